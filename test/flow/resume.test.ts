/**
 * Durability: a flow interrupted between steps (a step that never returns, then the storage closed as if the
 * process died) is resumed by a new engine over the same PGlite folder; only the steps that did not complete run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlowEngine, FLOW_STATE, type StepResult } from '../../src/flow/index';
import { pgliteAdapter } from '../../src/pglite';
import type { OperationDefinition, RunRecord } from '../../src/run/types';
import type { StorageAdapter } from '../../src/storage/types';
import { appDoctypes, MANAGER } from '../run/helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'coworker-flow-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const engineOn = (adapter: StorageAdapter, gate: OperationDefinition) =>
  createFlowEngine({ doctypes: appDoctypes(), adapter, user: MANAGER, storeRuns: true, operations: { gate } });

const STEPS = [
  { step_id: 'customer', operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: '{{input.customer}}' } } },
  { step_id: 'first', operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'Call {{customer.name}}' } } },
  { step_id: 'gate', operation: 'gate', after: 'first' },
  { step_id: 'second', operation: 'create', target_doctype: 'ToDo', after: 'gate', input: { data: { description: 'Follow up on {{first.name}}' } } },
];

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('resume_flow (PGlite folder)', () => {
  it('runs only the steps that did not complete, with the stored results of those that did', async () => {
    // Engine A: the gate never returns.
    const storageA = pgliteAdapter({ dataDir: dir });
    const a = engineOn(storageA, { handle: () => new Promise(() => {}) });
    await a.ready();
    let settled: RunRecord | undefined;
    void a.run({ operation: 'flow', flow_type: 'batch-job', input: { steps: STEPS, data: { customer: 'Acme' } }, options: { idempotency_key: 'acme-onboarding' } }).then((r) => (settled = r));
    // Progress is stored as it goes: wait until the gate is running with the first two steps completed.
    const state = await until(async () => {
      const [doc] = await storageA.query(FLOW_STATE, {});
      const results = doc?.results as Record<string, StepResult> | undefined;
      return results?.gate?.status === 'running' ? doc : undefined;
    });
    const flowName = String(state.name);
    const before = state.results as Record<string, StepResult>;
    expect([before.customer!.status, before.first!.status, before.second!.status]).toEqual(['completed', 'completed', 'pending']);
    // The process "dies": the storage closes with the flow still waiting at the gate.
    await storageA.close!();
    expect(settled).toBeUndefined();

    // Engine B over the same folder: the gate passes.
    const storageB = pgliteAdapter({ dataDir: dir });
    const b = engineOn(storageB, { handle: () => ({ data: [{ passed: true }] }) });
    await b.ready();
    // Starting it again with the same key does not run it twice: it says the flow was interrupted.
    const again = await b.run({ operation: 'flow', input: { steps: STEPS, data: { customer: 'Acme' } }, options: { idempotency_key: 'acme-onboarding' } });
    expect(again.error).toMatchObject({ code: 'INVALID_RUN' });
    expect(again.error?.message).toContain('interrupted');
    // Someone else may not resume it.
    expect((await b.run({ operation: 'resume_flow', input: { flow: flowName }, user: { name: 'x@y.com', roles: ['Sales Manager'] } })).error?.code).toBe('PERMISSION_DENIED');

    const resumed = await b.run({ operation: 'resume_flow', input: { flow: flowName } });
    expect(resumed.error).toBeNull();
    const steps = (resumed.output!.meta as { steps: { step_id: string; status: string; run: string }[] }).steps;
    expect(steps.map((s) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    // Only gate and second ran now; customer and first keep the runs of engine A.
    expect(resumed.child_run_ids).toEqual([steps[2]!.run, steps[3]!.run]);
    expect(steps[0]!.run).toBe(before.customer!.run);
    expect(steps[1]!.run).toBe(before.first!.run);
    expect(await storageB.count('Customer')).toBe(1);
    const todos = await storageB.query('ToDo', { orderBy: [{ creation: 'asc' }] });
    expect(todos.map((t) => t.description)).toEqual([`Call Acme`, `Follow up on ${before.first!.docname}`]);
    // The resumed steps belong to the original flow.
    for (const id of resumed.child_run_ids) expect(b.runs.get(id)).toMatchObject({ flow_id: flowName, flow_type: 'batch-job', parent_run_id: resumed.name });
    const stored = await storageB.get(FLOW_STATE, flowName);
    expect(stored).toMatchObject({ status: 'completed' });
    expect(stored!.runs).toEqual([flowName, resumed.name]);
    // Traced from the last ToDo: the step run, the flow (its resume run) and its state.
    const trace = await b.trace('ToDo', String(todos[1]!.name));
    expect(trace.step).toMatchObject({ step_id: 'second', flow_id: flowName });
    expect(trace.flow).toMatchObject({ name: resumed.name, operation: 'resume_flow' });
    expect(trace.state?.name).toBe(flowName);
    // Now a start with the key returns the flow's result instead of running it again; resuming again is a no-op.
    const replay = await b.run({ operation: 'flow', input: { steps: STEPS, data: { customer: 'Acme' } }, options: { idempotency_key: 'acme-onboarding' } });
    expect(replay.output?.meta).toMatchObject({ replay_of: flowName });
    expect((await b.run({ operation: 'resume_flow', input: { flow: flowName } })).output?.meta).toMatchObject({ resumed: false });
    expect(await storageB.count('ToDo')).toBe(2);
    await storageB.close!();
  }, 120_000);
});
