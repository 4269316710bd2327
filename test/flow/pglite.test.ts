/** Flows on PGlite: atomic flows commit or roll back together in one real transaction; each on_error; overlap. */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import type { RunRecord } from '../../src/run/types';
import { ADMIN, flowEngine, testOperations, type Timings } from './helpers';

const db = new PGlite();
afterAll(() => db.close());
let n = 0;
const engineOnPglite = (timings?: Timings) => flowEngine({ user: ADMIN, adapter: pgliteAdapter(db, { schema: `flow_${++n}` }), storeRuns: true, operations: testOperations(timings) });
const statuses = (r: RunRecord) => (r.output!.meta as { steps: { status: string }[] }).steps.map((s) => s.status);

describe('flows on PGlite', () => {
  it('options.atomic commits every step or none', async () => {
    const engine = engineOnPglite();
    const steps = (customer: string) => [
      { step_id: 'todo', operation: 'create', target_doctype: 'ToDo', input: { data: { description: `for ${customer}` } } },
      { step_id: 'customer', operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: customer } } },
      { step_id: 'check', operation: 'takeone', source_doctype: 'ToDo', input: { data: { name: '{{todo.name}}' } } },
    ];
    const ok = await engine.run({ operation: 'flow', input: { steps: steps('Acme') }, options: { atomic: true } });
    expect(ok.error).toBeNull();
    expect(statuses(ok)).toEqual(['completed', 'completed', 'completed']);
    const failed = await engine.run({ operation: 'flow', input: { steps: steps('Acme') }, options: { atomic: true } });
    expect(failed.error?.code).toBe('DUPLICATE_ENTRY');
    expect(statuses(failed)).toEqual(['completed', 'failed', 'not_run']);
    expect(await engine.adapter.count('ToDo')).toBe(1);
    // The step runs of the rolled-back flow are still stored (after the transaction), with the failure.
    const runs = await engine.adapter.query('Run', { where: { parent_run_id: failed.name }, orderBy: [{ creation: 'asc' }] });
    expect(runs.map((r) => [r.step_id, r.status])).toEqual([['todo', 'completed'], ['customer', 'failed']]);
  }, 60_000);

  it('stop, continue and retry', async () => {
    const engine = engineOnPglite();
    const flow = (on_error: string, retries = 0) => engine.run({
      operation: 'flow',
      input: {
        steps: [
          { step_id: 'a', operation: 'create', target_doctype: 'ToDo', input: { data: { description: on_error } } },
          { step_id: 'b', operation: 'flaky', on_error, retries, input: { key: `pg-${on_error}-${retries}`, failures: 1, code: 'TIMESTAMP_MISMATCH' } },
          { step_id: 'c', operation: 'create', target_doctype: 'ToDo', after: 'b', input: { data: { description: 'after {{a.name}}' } } },
        ],
      },
    });
    const stop = await flow('stop');
    expect([stop.error?.code, statuses(stop)]).toEqual(['TIMESTAMP_MISMATCH', ['completed', 'failed', 'not_run']]);
    const cont = await flow('continue');
    expect([cont.success, statuses(cont)]).toEqual([true, ['completed', 'failed', 'completed']]);
    const retry = await flow('retry', 1);
    expect([retry.success, statuses(retry)]).toEqual([true, ['completed', 'completed', 'completed']]);
    expect(await engine.adapter.count('ToDo')).toBe(5);
  }, 60_000);

  it('independent steps overlap', async () => {
    const timings: Timings = new Map();
    const engine = engineOnPglite(timings);
    const r = await engine.run({ operation: 'flow', input: { steps: ['x', 'y'].map((label) => ({ step_id: label, operation: 'wait', input: { label, ms: 80 } })) } });
    expect(r.success).toBe(true);
    expect(timings.get('x')!.start).toBeLessThan(timings.get('y')!.end);
    expect(timings.get('y')!.start).toBeLessThan(timings.get('x')!.end);
  }, 60_000);
});
