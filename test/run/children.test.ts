/** Child runs: flow_type inherited, `before` carries the canonical operation, unknown parents refused, failures propagate, transactions. */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/run/types';
import { sequentialIds } from '../../src/env';
import { memoryAdapter } from '../../src/storage/memory';
import { ADMIN, appEngine, SYSTEM_MANAGER } from './helpers';

describe('child runs', () => {
  it('inherit flow_type (an explicit one wins) and the before event carries the canonical operation', async () => {
    const before: RunRecord[] = [];
    const engine = appEngine({
      user: SYSTEM_MANAGER,
      operations: {
        pair: {
          async handle({ run }) {
            await run({ operation: 'insert', target_doctype: 'ToDo', input: { data: { description: 'a' } } });
            await run({ operation: 'insert', target_doctype: 'ToDo', input: { data: { description: 'b' } }, flow_type: 'batch-job' });
          },
        },
      },
    });
    engine.on('before', (r) => before.push(r));
    const parent = await engine.run({ operation: 'pair', flow_type: 'ai-conversation' });
    expect(parent.success).toBe(true);
    const [a, b] = parent.child_run_ids.map((id) => engine.runs.get(id)!);
    expect(a).toMatchObject({ flow_type: 'ai-conversation', flow_id: parent.name });
    expect(b).toMatchObject({ flow_type: 'batch-job', flow_id: parent.name });
    expect(before.map((r) => [r.operation, r.operation_original, r.target_doctype])).toEqual([['pair', 'pair', null], ['create', 'insert', 'ToDo'], ['create', 'insert', 'ToDo']]);
  });

  it('an unknown parent_run_id is refused', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER });
    const r = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x' } }, parent_run_id: 'run-nope' });
    expect(r.error).toMatchObject({ code: 'INVALID_RUN', message: 'Unknown parent_run_id "run-nope"' });
    expect((await engine.run({ operation: 'select', source_doctype: 'ToDo', query: {} })).output!.data).toHaveLength(0);
  });

  it('a parent known only as a stored Run (storeRuns) is accepted', async () => {
    const adapter = memoryAdapter();
    const first = appEngine({ user: SYSTEM_MANAGER, storeRuns: true, adapter });
    const parent = await first.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'p' } }, flow_type: 'batch-job' });
    const second = appEngine({ user: SYSTEM_MANAGER, storeRuns: true, adapter, ids: sequentialIds(100) });
    const child = await second.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'c' } }, parent_run_id: parent.name });
    expect(child.error).toBeNull();
    expect(child.parent_run_id).toBe(parent.name);
  });

  it('a failed child fails its parent with the child\'s code, unless started with failParent: false', async () => {
    const engine = appEngine({
      user: ADMIN,
      operations: {
        strict: { async handle({ run }) { await run({ operation: 'create', target_doctype: 'Customer', input: { data: {} } }); } },
        lenient: { async handle({ run }) { const r = await run({ operation: 'takeone', source_doctype: 'Customer', input: { data: { name: 'none' } } }, { failParent: false }); return { meta: { found: r.success } }; } },
      },
    });
    const strict = await engine.run({ operation: 'strict' });
    expect(strict.error?.code).toBe('VALIDATION');
    expect(strict.error?.message).toContain(`Child run ${strict.child_run_ids[0]} (create) failed`);
    expect(strict.error?.issues[0]).toMatchObject({ code: 'NAMING', field: 'customer_name' });
    const lenient = await engine.run({ operation: 'lenient' });
    expect(lenient.success).toBe(true);
    expect(lenient.output?.meta).toEqual({ found: false });
  });

  it('ctx.transaction: children commit together or roll back together', async () => {
    const listenerErrors: unknown[] = [];
    const engine = appEngine({
      user: ADMIN, storeRuns: true, onListenerError: (e) => void listenerErrors.push(e),
      operations: {
        both: {
          async handle({ run, transaction, request }) {
            await transaction(async () => {
              const a = await run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'in tx' } } });
              const b = await run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: String(request.input?.name ?? '') } } }, { failParent: false });
              if (!a.success || !b.success) throw new Error('roll back');
            });
          },
        },
      },
    });
    const count = async () => (await engine.run({ operation: 'select', source_doctype: 'ToDo', query: {} })).output!.data.length;
    expect((await engine.run({ operation: 'both', input: { name: 'Acme' } })).success).toBe(true);
    expect(await count()).toBe(1);
    const failed = await engine.run({ operation: 'both', input: { name: '' } });
    expect(failed.error?.message).toContain('roll back');
    expect(await count()).toBe(1);
    // The children's Run records are stored after the transaction ended, even those of rolled-back writes.
    const stored = await engine.adapter.query('Run', { where: { parent_run_id: failed.name } });
    expect(stored.map((r) => r.operation)).toEqual(['create', 'create']);
    expect(listenerErrors).toEqual([]);
  });
});
