/** Flow templates: stored through run() (permissions apply), checked when saved and when run inline. */
import { describe, expect, it } from 'vitest';
import { FLOW_STATE_JSON, FLOW_TEMPLATE, FLOW_TEMPLATE_JSON, FLOW_TEMPLATE_STEP_JSON } from '../../src/flow/index';
import { lintRegistry } from '../../src/lint/lint';
import { createRegistry } from '../../src/schema/registry';
import { ADMIN, flowEngine, SALES_USER, SYSTEM_MANAGER } from './helpers';

const good = [
  { step_id: 'customer', operation: 'takeone', source_doctype: 'Customer', input: { data: { name: '{{input.customer}}' } } },
  { step_id: 'todo', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'Call {{customer.customer_name}}' } } },
];

/** Each kind of mistake, the issue code it gives, the step and the field it names. */
const MISTAKES: [string, Record<string, unknown>[], { code: string; value: string; field: string; row: number }][] = [
  ['unknown operation', [{ step_id: 'a', operation: 'frobnicate' }], { code: 'FLOW_UNKNOWN_OPERATION', value: 'a', field: 'operation', row: 1 }],
  ['unknown DocType', [{ step_id: 'a', operation: 'select', source_doctype: 'Nope' }], { code: 'FLOW_UNKNOWN_DOCTYPE', value: 'a', field: 'source_doctype', row: 1 }],
  ['reference to an unknown step', [good[0]!, { step_id: 'b', operation: 'create', target_doctype: 'ToDo', input: { data: { description: '{{ghost.name}}' } } }], { code: 'FLOW_UNKNOWN_STEP', value: 'b', field: 'input', row: 2 }],
  ['reference to a later step', [{ step_id: 'a', operation: 'takeone', source_doctype: 'ToDo', input: { data: { name: '{{b.name}}' } } }, { step_id: 'b', operation: 'select', source_doctype: 'ToDo' }], { code: 'FLOW_LATER_STEP', value: 'a', field: 'input', row: 1 }],
  ['cycle through after', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', after: 'b' }, { step_id: 'b', operation: 'select', source_doctype: 'ToDo', query: { where: { name: '{{a.name}}' } } }], { code: 'FLOW_CYCLE', value: 'a', field: 'after', row: 1 }],
  ['reference to itself', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', query: { where: { name: '{{a.name}}' } } }], { code: 'FLOW_CYCLE', value: 'a', field: 'query', row: 1 }],
  ['unparseable condition', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', condition: 'input.x >' }], { code: 'FLOW_BAD_CONDITION', value: 'a', field: 'condition', row: 1 }],
  ['condition outside the subset', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', condition: 'window.alert(1)' }], { code: 'FLOW_BAD_CONDITION', value: 'a', field: 'condition', row: 1 }],
  ['unparseable reference', [{ step_id: 'a', operation: 'create', target_doctype: 'ToDo', input: { data: { description: '{{input.x' } } }], { code: 'FLOW_BAD_REFERENCE', value: 'a', field: 'input', row: 1 }],
  ['bad reference path', [{ step_id: 'a', operation: 'create', target_doctype: 'ToDo', input: { data: { description: '{{input..x}}' } } }], { code: 'FLOW_BAD_REFERENCE', value: 'a', field: 'input', row: 1 }],
  ['duplicate step id', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo' }, { step_id: 'a', operation: 'select', source_doctype: 'ToDo' }], { code: 'FLOW_DUPLICATE_STEP', value: 'a', field: 'step_id', row: 2 }],
  ['invalid step id', [{ step_id: 'input', operation: 'select', source_doctype: 'ToDo' }], { code: 'FLOW_STEP_ID', value: 'input', field: 'step_id', row: 1 }],
  ['input not JSON', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', input: '{not json' }], { code: 'FLOW_BAD_JSON', value: 'a', field: 'input', row: 1 }],
  ['bad on_error', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', on_error: 'ignore' }], { code: 'FLOW_BAD_VALUE', value: 'a', field: 'on_error', row: 1 }],
  ['too many retries', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', on_error: 'retry', retries: 1000 }], { code: 'FLOW_BAD_VALUE', value: 'a', field: 'retries', row: 1 }],
  ['negative retries', [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', on_error: 'retry', retries: -1 }], { code: 'FLOW_BAD_VALUE', value: 'a', field: 'retries', row: 1 }],
];

describe('flow templates: checked inline', () => {
  it.each(MISTAKES)('refuses %s with FLOW_INVALID naming the step and the field', async (_, steps, expected) => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({ operation: 'flow', input: { steps } });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe('FLOW_INVALID');
    expect(r.error?.issues).toContainEqual(expect.objectContaining(expected));
    expect(r.child_run_ids).toEqual([]);
  });

  it('refuses a flow without steps, and a request with both or neither of template and steps', async () => {
    const engine = flowEngine({ user: ADMIN });
    expect((await engine.run({ operation: 'flow', input: { steps: [] } })).error?.issues[0]).toMatchObject({ code: 'FLOW_NO_STEPS' });
    expect((await engine.run({ operation: 'flow', input: {} })).error?.code).toBe('INVALID_RUN');
    expect((await engine.run({ operation: 'flow', input: { template: 'x', steps: good } })).error?.code).toBe('INVALID_RUN');
    expect((await engine.run({ operation: 'flow', input: { template: 'Missing' } })).error?.code).toBe('NOT_FOUND');
  });

  it('reports the expression and position of a bad condition as written', async () => {
    const engine = flowEngine({ user: ADMIN });
    const r = await engine.run({ operation: 'flow', input: { steps: [{ step_id: 'a', operation: 'select', source_doctype: 'ToDo', condition: "steps.x.status == 'done' && doc.y" }, { step_id: 'x', operation: 'select', source_doctype: 'ToDo' }] } });
    const issue = r.error?.issues.find((i) => i.field === 'condition');
    expect(issue).toMatchObject({ code: 'FLOW_BAD_CONDITION', expression: "steps.x.status == 'done' && doc.y", index: 28 });
  });
});

describe('flow templates: stored documents', () => {
  const template = (steps: unknown[]) => ({ title: 'Call the customer', flow_type: 'workflow', steps });

  it('is created through run() (System Manager may, Sales User may not) and run by name', async () => {
    const engine = flowEngine({ user: SYSTEM_MANAGER });
    const refused = await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: template(good) }, user: SALES_USER });
    expect(refused.error?.code).toBe('PERMISSION_DENIED');
    const saved = await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: template(good) } });
    expect(saved.error).toBeNull();
    expect(saved.docname).toBe('Call the customer');
    await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } }, user: ADMIN });
    const r = await engine.run({ operation: 'flow', input: { template: 'Call the customer', data: { customer: 'Acme' } }, user: ADMIN });
    expect(r.error).toBeNull();
    // The template's flow_type reaches every step when the request names none.
    expect(engine.runs.get(r.child_run_ids[1]!)).toMatchObject({ flow_type: 'workflow', step_id: 'todo' });
    expect(r.output?.data[0]).toMatchObject({ description: 'Call Acme' });
    expect(r.output?.meta).toMatchObject({ template: 'Call the customer' });
  });

  it.each(MISTAKES)('refuses to save a template with %s (VALIDATION, the issue on the step\'s row and field)', async (_, steps, expected) => {
    const engine = flowEngine({ user: SYSTEM_MANAGER });
    const rows = steps.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])));
    const r = await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: template(rows) } });
    expect(r.error?.code).toBe('VALIDATION');
    const { value, ...where } = expected;
    expect(r.error?.issues).toContainEqual(expect.objectContaining({ ...where, table: 'steps', doctype: 'Flow Template Step', message: expect.stringContaining(`Step "${value}"`) }));
  });

  it('an update that breaks a stored template is refused; the stored one is unchanged', async () => {
    const engine = flowEngine({ user: SYSTEM_MANAGER });
    const saved = await engine.run({ operation: 'create', target_doctype: FLOW_TEMPLATE, input: { data: template(good) } });
    const stored = saved.output!.data[0]!;
    const rows = (stored.steps as Record<string, unknown>[]).map((row) => (row.step_id === 'todo' ? { ...row, operation: 'teleport' } : row));
    const r = await engine.run({ operation: 'update', target_doctype: FLOW_TEMPLATE, input: { data: { name: stored.name, steps: rows } } });
    expect(r.error?.issues).toContainEqual(expect.objectContaining({ code: 'FLOW_UNKNOWN_OPERATION', field: 'operation', row: 2 }));
    const again = await engine.run({ operation: 'takeone', source_doctype: FLOW_TEMPLATE, input: { data: { name: stored.name } } });
    expect((again.output!.data[0]!.steps as { operation: string }[]).map((s) => s.operation)).toEqual(['takeone', 'create']);
  });
});

describe('flow DocTypes', () => {
  it('are DocType JSON the linter finds nothing wrong with', () => {
    const findings = lintRegistry(createRegistry([FLOW_TEMPLATE_STEP_JSON, FLOW_TEMPLATE_JSON, FLOW_STATE_JSON]));
    expect(findings).toEqual([]);
  });
});
