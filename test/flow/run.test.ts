/** Running flows on memory storage: child runs, references, conditions, failures, concurrency, permissions. */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/run/types';
import { ADMIN, flowEngine, MANAGER, SALES_USER, testOperations, type Timings } from './helpers';
import { seed } from '../run/helpers';

const meta = (r: RunRecord) => r.output?.meta as { steps: { step_id: string; status: string; run: string | null; reason: string | null; runs: string[]; error_code: string | null; docname: string | null }[]; data_from: string | null };

describe('flow: inline steps', () => {
  it('runs each step as a child run of the flow, references resolve to typed values', async () => {
    const engine = flowEngine();
    await seed(engine as never);
    const r = await engine.run({
      operation: 'flow', flow_type: 'api-request', agent: 'assistant-1',
      input: {
        data: { customer: 'Zeta Corp', qty: 3, items: ['ITEM-2', 'ITEM-1'] },
        steps: [
          { step_id: 'customer', operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: '{{input.customer}}', email_id: 'sales@zeta.example' } } },
          {
            step_id: 'order', operation: 'insert', target_doctype: 'Sales Order',
            input: { data: { customer: '{{customer.name}}', delivery_date: '2024-03-20', items: [{ item_code: '{{input.items[1]}}', qty: '{{input.qty}}' }] } },
          },
          { step_id: 'read', operation: 'takeone', source_doctype: 'Sales Order', input: { data: { name: '{{order.output.data[0].name}}' } } },
          {
            step_id: 'note', operation: 'create', target_doctype: 'ToDo',
            input: { data: { description: 'Order {{read.name}} for {{customer.customer_name}}: {{read.items[0].qty}} x {{read.items[0].item_code}}, dated {{read.transaction_date}}' } },
          },
        ],
      },
    });
    expect(r.error).toBeNull();
    expect(r.success).toBe(true);
    const steps = meta(r).steps;
    expect(steps.map((s) => [s.step_id, s.status])).toEqual([['customer', 'completed'], ['order', 'completed'], ['read', 'completed'], ['note', 'completed']]);
    // Children: linked both ways, in start order, flow_id / flow_type / user / agent inherited, step_id set.
    expect(r.child_run_ids).toEqual(steps.map((s) => s.run));
    for (const s of steps) {
      const child = engine.runs.get(s.run!)!;
      expect(child).toMatchObject({ parent_run_id: r.name, flow_id: r.flow_id, flow_type: 'api-request', step_id: s.step_id, owner: MANAGER.name, agent: 'assistant-1' });
    }
    // An exact reference keeps its type: qty arrives as the number 3 in the order run's input.
    const orderRun = engine.runs.get(steps[1]!.run!)!;
    expect(orderRun.input?.data).toMatchObject({ customer: 'Zeta Corp', items: [{ item_code: 'ITEM-1', qty: 3 }] });
    expect(typeof (orderRun.input!.data!.items as { qty: unknown }[])[0]!.qty).toBe('number');
    // Inside a longer string, values are stringified (numbers with String).
    const note = engine.runs.get(steps[3]!.run!)!.output!.data[0]!;
    expect(note.description).toBe(`Order ${orderRun.docname} for Zeta Corp: 3 x ITEM-1, dated 2024-03-05`);
    // The flow's data is the last step's; meta says which.
    expect(meta(r).data_from).toBe('note');
    expect(r.output!.data[0]!.name).toBe(note.name);
  });

  it('an exact reference to an object or a list passes it whole; null inside a string is empty', async () => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({
      operation: 'flow',
      input: {
        data: { payload: { a: [1, 2], b: { c: true } }, nothing: null, n: 7 },
        steps: [
          { step_id: 'echo', operation: 'wait', input: { label: 'x', value: '{{input.payload}}' } },
          { step_id: 'echo2', operation: 'wait', input: { label: 'y', value: '{{echo.value.a}}' } },
          { step_id: 'echo3', operation: 'wait', input: { label: 'z', value: 'n={{input.n}} nothing=[{{input.nothing}}] obj={{echo.value.b}} flag={{echo.value.b.c}}' } },
          { step_id: 'echo4', operation: 'wait', input: { label: 'w', value: ['{{ echo.value["b"]["c"] }}', '{{input.payload.a.1}}', '{{echo.output.data[0].value.a[0]}}', '{{echo2}}'] } },
        ],
      },
    });
    expect(r.success).toBe(true);
    const out = (i: number) => engine.runs.get(meta(r).steps[i]!.run!)!.output!.data[0]!.value;
    expect(out(0)).toEqual({ a: [1, 2], b: { c: true } });
    expect(out(1)).toEqual([1, 2]);
    expect(out(2)).toBe('n=7 nothing=[] obj={"c":true} flag=true');
    // ["key"] accessors, .1 on a list, the full output path, and {{step}} for the step's one document.
    expect(out(3)).toEqual([true, 2, 1, { label: 'y', value: [1, 2] }]);
  });

  it('a reference to a missing path fails the step with FLOW_REFERENCE naming the step and the path', async () => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({
      operation: 'flow',
      input: {
        data: { x: 1 },
        steps: [
          { step_id: 'a', operation: 'wait', input: { label: 'a' } },
          { step_id: 'b', operation: 'wait', input: { label: 'b', value: '{{a.output.data[3].label}}' } },
        ],
      },
    });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe('FLOW_REFERENCE');
    expect(r.error?.message).toContain('Flow stopped at step "b"');
    expect(r.error?.message).toContain('{{a.output.data[3].label}}');
    expect(r.error?.issues[0]).toMatchObject({ code: 'FLOW_MISSING_PATH', field: 'input', value: 'a.output.data[3]', rowname: 'b' });
    expect(meta(r).steps.map((s) => s.status)).toEqual(['completed', 'failed']);
    // The one-document shortcut refuses a step that returned several documents.
    const many = await engine.run({
      operation: 'flow',
      input: { steps: [{ step_id: 'all', operation: 'select', source_doctype: 'ToDo', query: {} }, { step_id: 'b', operation: 'wait', input: { value: '{{all.name}}' } }] },
    });
    expect(many.error?.message).toContain('returned 0 documents');
    const missingInput = await engine.run({ operation: 'flow', input: { data: {}, steps: [{ step_id: 'a', operation: 'wait', input: { value: '{{input.nope}}' } }] } });
    expect(missingInput.error?.issues[0]).toMatchObject({ code: 'FLOW_MISSING_PATH', value: 'input.nope' });
  });
});

describe('flow: conditions and skipped steps', () => {
  it('a false condition skips the step; steps depending on it are skipped unless run_if_skipped', async () => {
    const engine = flowEngine({ user: ADMIN });
    const run = (amount: number) => engine.run({
      operation: 'flow',
      input: {
        data: { amount },
        steps: [
          { step_id: 'big', operation: 'wait', condition: 'input.amount > 100', input: { label: 'big', value: '{{input.amount}}' } },
          { step_id: 'after_big', operation: 'wait', input: { value: '{{big.value}}' } },
          { step_id: 'anyway', operation: 'wait', after: 'big', condition: "steps.big.status == 'skipped' || steps.big.output.data[0].value > 100" },
          { step_id: 'always', operation: 'wait', input: { value: 'ok' } },
        ],
      },
    });
    const small = await run(5);
    expect(small.success).toBe(true);
    expect(meta(small).steps.map((s) => [s.step_id, s.status, s.reason])).toEqual([
      ['big', 'skipped', 'condition is false'],
      ['after_big', 'skipped', 'step "big" it references was skipped'],
      ['anyway', 'completed', null],
      ['always', 'completed', null],
    ]);
    expect(small.child_run_ids).toHaveLength(2);
    // A condition that throws (reading the output of a skipped step) fails its step with FLOW_REFERENCE.
    const broken = await engine.run({
      operation: 'flow',
      input: { steps: [{ step_id: 'never', operation: 'wait', condition: 'false' }, { step_id: 'reader', operation: 'wait', condition: 'steps.never.output.data.length > 0' }] },
    });
    expect(broken.error?.code).toBe('FLOW_REFERENCE');
    expect(broken.error?.message).toContain('Step "reader", condition');
    expect(broken.error?.issues[0]).toMatchObject({ code: 'EXPR_RUNTIME', field: 'condition', rowname: 'reader' });
    const big = await run(500);
    expect(meta(big).steps.map((s) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });
});

describe('flow: on_error', () => {
  const steps = (on_error: string, extra: Record<string, unknown> = {}) => [
    { step_id: 'first', operation: 'wait', input: { label: 'first' } },
    { step_id: 'middle', operation: 'flaky', on_error, input: { key: `k-${on_error}-${Math.random()}`, failures: 2, code: 'ADAPTER_TIMEOUT' }, ...extra },
    { step_id: 'last', operation: 'wait', after: 'middle', input: { label: 'last' } },
  ];

  it('stop: later steps do not start and the flow fails naming the step, with per-step results', async () => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({ operation: 'flow', input: { steps: steps('stop') } });
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({ code: 'ADAPTER_TIMEOUT' });
    expect(r.error?.message).toContain('Flow stopped at step "middle"');
    expect(meta(r).steps.map((s) => [s.step_id, s.status])).toEqual([['first', 'completed'], ['middle', 'failed'], ['last', 'not_run']]);
    expect(meta(r).steps[2]!.reason).toBe('the flow stopped at step "middle"');
    expect(r.child_run_ids).toHaveLength(2);
  });

  it('continue: the failure is recorded and the flow goes on and succeeds', async () => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({ operation: 'flow', input: { steps: steps('continue') } });
    expect(r.success).toBe(true);
    expect(meta(r).steps.map((s) => [s.step_id, s.status, s.error_code])).toEqual([['first', 'completed', null], ['middle', 'failed', 'ADAPTER_TIMEOUT'], ['last', 'completed', null]]);
  });

  it('retry: retryable failures are attempted again with a doubling backoff, each attempt a child run', async () => {
    const waits: number[] = [];
    const engine = flowEngine({ user: ADMIN }, { sleep: async (ms) => void waits.push(ms) });
    const ok = await engine.run({ operation: 'flow', input: { steps: steps('retry', { retries: 2, retry_delay: 50 }) } });
    expect(ok.success).toBe(true);
    expect(meta(ok).steps[1]).toMatchObject({ status: 'completed' });
    expect(meta(ok).steps[1]!.runs).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
    expect(ok.child_run_ids).toHaveLength(5);
    // Too few retries: fails after retries + 1 attempts.
    const short = await engine.run({ operation: 'flow', input: { steps: steps('retry', { retries: 1 }) } });
    expect(short.success).toBe(false);
    expect(meta(short).steps[1]!.runs).toHaveLength(2);
    expect(meta(short).steps[1]!.reason).toContain('after 2 attempts');
    // A validation failure is not worth retrying: one attempt only.
    const invalid = await engine.run({
      operation: 'flow',
      input: { steps: [{ step_id: 'bad', operation: 'create', target_doctype: 'Customer', on_error: 'retry', retries: 3, input: { data: {} } }] },
    });
    expect(invalid.error?.code).toBe('VALIDATION');
    expect(meta(invalid).steps[0]!.runs).toHaveLength(1);
  });
});

describe('flow: concurrency', () => {
  const parallel = (ms: number) => [
    { step_id: 'a', operation: 'wait', input: { label: 'a', ms } },
    { step_id: 'b', operation: 'wait', input: { label: 'b', ms } },
    { step_id: 'c', operation: 'wait', input: { label: 'c', ms: 1, value: '{{a.label}}+{{b.label}}' } },
  ];

  it('independent steps overlap; results keep template order; a dependent step waits for both', async () => {
    const timings: Timings = new Map();
    const engine = flowEngine({ user: ADMIN, operations: testOperations(timings) });
    const r = await engine.run({ operation: 'flow', input: { steps: [{ step_id: 'slow', operation: 'wait', input: { label: 'slow', ms: 120 } }, ...parallel(60)] } });
    expect(r.success).toBe(true);
    const t = (k: string) => timings.get(k)!;
    // a and b (and slow) ran at the same time: each started before the other ended.
    expect(t('a').start).toBeLessThan(t('b').end);
    expect(t('b').start).toBeLessThan(t('a').end);
    expect(t('slow').start).toBeLessThan(t('a').end);
    // c waited for a and b, not for slow; it finished before slow did, yet results are in template order.
    expect(t('c').start).toBeGreaterThanOrEqual(Math.max(t('a').end, t('b').end));
    expect(t('c').end).toBeLessThan(t('slow').end);
    expect(meta(r).steps.map((s) => s.step_id)).toEqual(['slow', 'a', 'b', 'c']);
    expect(engine.runs.get(meta(r).steps[3]!.run!)!.output!.data[0]!.value).toBe('a+b');
  });

  it('options.concurrency bounds the steps running at once', async () => {
    const timings: Timings = new Map();
    const engine = flowEngine({ user: ADMIN, operations: testOperations(timings) });
    const r = await engine.run({ operation: 'flow', input: { steps: parallel(30) }, options: { concurrency: 1 } });
    expect(r.success).toBe(true);
    expect(timings.get('b')!.start).toBeGreaterThanOrEqual(timings.get('a')!.end);
  });

  it('stop lets running siblings finish but starts nothing new', async () => {
    const timings: Timings = new Map();
    const engine = flowEngine({ user: ADMIN, operations: testOperations(timings) });
    const r = await engine.run({
      operation: 'flow',
      input: {
        steps: [
          { step_id: 'slow', operation: 'wait', input: { label: 'slow', ms: 60 } },
          { step_id: 'boom', operation: 'flaky', input: { key: 'boom', failures: 1, code: 'VALIDATION' } },
          { step_id: 'later', operation: 'wait', after: 'boom', input: { label: 'later' } },
        ],
      },
    });
    expect(r.error?.code).toBe('VALIDATION');
    expect(meta(r).steps.map((s) => s.status)).toEqual(['completed', 'failed', 'not_run']);
    expect(timings.has('slow')).toBe(true);
    expect(timings.has('later')).toBe(false);
  });
});

describe('flow: permissions of the user and the agent', () => {
  const createItem = { step_id: 'item', operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'NEW', item_name: 'New' } } };
  const readItems = { step_id: 'items', operation: 'select', source_doctype: 'Item', query: {} };

  it('an agent runs a flow with exactly its user\'s permissions and is refused where the user would be', async () => {
    const engine = flowEngine();
    await seed(engine as never);
    // Sales User may read Items but not create them; their agent neither.
    const asUser = await engine.run({ operation: 'flow', user: SALES_USER, input: { steps: [readItems, createItem] } });
    const asAgent = await engine.run({ operation: 'flow', user: SALES_USER, agent: 'assistant-1', input: { steps: [readItems, createItem] } });
    for (const r of [asUser, asAgent]) {
      expect(r.error?.code).toBe('PERMISSION_DENIED');
      expect(meta(r).steps.map((s) => s.status)).toEqual(['completed', 'failed']);
    }
    const refused = engine.runs.get(meta(asAgent).steps[1]!.run!)!;
    expect(refused).toMatchObject({ owner: SALES_USER.name, agent: 'assistant-1', error: { code: 'PERMISSION_DENIED' } });
    // A step cannot name another user or drop the agent: only the step fields are read, so it runs as the flow's user.
    const escalate = await engine.run({ operation: 'flow', user: SALES_USER, agent: 'assistant-1', input: { steps: [{ ...createItem, user: ADMIN, agent: null, parent_run_id: null }] } });
    expect(escalate.error?.code).toBe('PERMISSION_DENIED');
    expect(engine.runs.get(escalate.child_run_ids[0]!)).toMatchObject({ owner: SALES_USER.name, agent: 'assistant-1', parent_run_id: escalate.name });
    // The Sales Manager's agent may.
    const manager = await engine.run({ operation: 'flow', user: MANAGER, agent: 'assistant-1', input: { steps: [readItems, createItem] } });
    expect(manager.success).toBe(true);
  });
});

describe('flow: atomic', () => {
  it('options.atomic: storage steps commit together or roll back together', async () => {
    const engine = flowEngine({ user: ADMIN });
    const steps = (second: string) => [
      { step_id: 'one', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'one' } } },
      { step_id: 'two', operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: second } } },
    ];
    const count = async () => (await engine.run({ operation: 'select', source_doctype: 'ToDo', query: {} })).output!.data.length;
    const ok = await engine.run({ operation: 'flow', input: { steps: steps('Acme') }, options: { atomic: true } });
    expect(ok.success).toBe(true);
    expect(await count()).toBe(1);
    // The second step fails (duplicate customer): the first step's ToDo is rolled back with it.
    const failed = await engine.run({ operation: 'flow', input: { steps: steps('Acme') }, options: { atomic: true } });
    expect(failed.error?.code).toBe('DUPLICATE_ENTRY');
    expect(failed.output?.meta).toMatchObject({ atomic: true, rolled_back: true });
    expect(meta(failed).steps.map((s) => s.status)).toEqual(['completed', 'failed']);
    expect(await count()).toBe(1);
    // Without atomic the first write stays.
    await engine.run({ operation: 'flow', input: { steps: steps('Acme') } });
    expect(await count()).toBe(2);
    // A step that is not a storage operation is refused up front.
    const mixed = await engine.run({ operation: 'flow', input: { steps: [...steps('B'), { step_id: 'w', operation: 'wait' }] }, options: { atomic: true } });
    expect(mixed.error?.code).toBe('FLOW_INVALID');
    expect(mixed.error?.issues[0]).toMatchObject({ code: 'FLOW_NOT_ATOMIC', value: 'w', field: 'operation' });
  });
});

describe('flow: idempotency', () => {
  it('a second start with the same key returns the first flow\'s result without running again', async () => {
    const engine = flowEngine({ user: ADMIN });
    const req = { operation: 'flow', input: { steps: [{ step_id: 'todo', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'once' } } }] }, options: { idempotency_key: 'order-42' } };
    const [first, second] = await Promise.all([engine.run(req), engine.run(req)]);
    const third = await engine.run(req);
    expect(first!.success).toBe(true);
    for (const again of [second!, third]) {
      expect(again.success).toBe(true);
      expect(again.output?.meta).toMatchObject({ replay_of: first!.name });
      expect(again.output?.data).toEqual(first!.output?.data);
      expect(again.child_run_ids).toEqual([]);
    }
    const todos = await engine.run({ operation: 'select', source_doctype: 'ToDo', query: {} });
    expect(todos.output!.data).toHaveLength(1);
    // Keys are per user: another user's same key starts their own flow.
    const other = await engine.run({ ...req, user: { name: 'other@x.com', roles: ['System Manager'] } });
    expect(other.output?.meta).not.toHaveProperty('replay_of');
  });
});

describe('flow: resume (memory state)', () => {
  it('a flow that stopped on a failure resumes from the failed step, reusing what completed', async () => {
    const engine = flowEngine({ user: ADMIN });
    const steps = [
      { step_id: 'todo', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'first' } } },
      { step_id: 'flaky', operation: 'flaky', input: { key: 'resume-me', failures: 1, code: 'VALIDATION' } },
      { step_id: 'after', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'after {{todo.name}} in {{flaky.attempts}} attempts' } } },
    ];
    const failed = await engine.run({ operation: 'flow', input: { steps } });
    expect(meta(failed).steps.map((s) => s.status)).toEqual(['completed', 'failed', 'not_run']);
    const resumed = await engine.run({ operation: 'resume_flow', input: { flow: failed.name } });
    expect(resumed.error).toBeNull();
    expect(meta(resumed).steps.map((s) => s.status)).toEqual(['completed', 'completed', 'completed']);
    expect(meta(resumed).steps[0]!.run).toBe(meta(failed).steps[0]!.run);
    expect(resumed.child_run_ids).toHaveLength(2);
    expect(resumed.output!.data[0]!.description).toBe(`after ${meta(failed).steps[0]!.docname} in 2 attempts`);
    const unknown = await engine.run({ operation: 'resume_flow', input: { flow: 'run-nope' } });
    expect(unknown.error?.code).toBe('NOT_FOUND');
  });
});

describe('flow: step conditions under the engine\'s expressionBudget', () => {
  it('the default budget runs an expensive condition; a low one fails the step with EXPR_LIMIT', async () => {
    const steps = [{ step_id: 'big', operation: 'wait', condition: "input.word.repeat(10000).indexOf('zz') < 0" }];
    const normal = await flowEngine({ user: ADMIN }).run({ operation: 'flow', input: { data: { word: 'ab' }, steps } });
    expect(normal.error).toBeNull();
    expect(meta(normal).steps.map((s) => s.status)).toEqual(['completed']);
    const low = await flowEngine({ user: ADMIN, expressionBudget: { maxBytes: 10_000 } }).run({ operation: 'flow', input: { data: { word: 'ab' }, steps } });
    expect(low.success).toBe(false);
    expect(low.error?.issues[0]).toMatchObject({ code: 'EXPR_LIMIT', field: 'condition', rowname: 'big' });
  });
});
