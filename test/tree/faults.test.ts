/**
 * A tree write that fails at any storage step (the node's own write, the renumbering of the others, the
 * transaction's commit) leaves every node where it was (memory with injected faults; PostgreSQL rolls back the
 * same transaction).
 */
import { describe, expect, it } from 'vitest';
import { withFaults } from '../../src/storage/faults';
import { memoryAdapter } from '../../src/storage/memory';
import type { WriteStep } from '../../src/storage/types';
import { make, positions, treeEngine } from './helpers';

const IG = 'Item Group';

describe('tree writes under injected faults', () => {
  it('insert, move and delete: a fault at any step leaves the tree as it was', async () => {
    const base = memoryAdapter();
    const seedEngine = treeEngine(base);
    await make(seedEngine, IG, { item_group_name: 'All', is_group: 1 });
    for (const g of ['A', 'B', 'C']) await make(seedEngine, IG, { item_group_name: g, is_group: 1, parent_item_group: 'All' });
    for (const l of ['a1', 'a2']) await make(seedEngine, IG, { item_group_name: l, parent_item_group: 'A' });
    await make(seedEngine, IG, { item_group_name: 'c1', parent_item_group: 'C' });
    const before = await positions(base, IG);
    const writes = [
      { operation: 'create', target_doctype: IG, input: { data: { item_group_name: 'new', parent_item_group: 'A' } } },
      { operation: 'update', target_doctype: IG, input: { data: { name: 'A', parent_item_group: 'C' } } },
      { operation: 'delete', target_doctype: IG, input: { data: { name: 'a1' } } },
    ] as const;
    for (const request of writes) {
      let tried = 0;
      for (const kind of ['begin', 'parent', 'commit'] as WriteStep['kind'][]) {
        for (let nth = 1; ; nth++) {
          const faulty = withFaults(base, { kind, nth });
          const r = await treeEngine(faulty).run(request);
          if (faulty.fired === 0) {
            // Past the last step of this kind: the write went through; undo it by restoring the seed.
            expect(r.error).toBeNull();
            break;
          }
          tried++;
          expect(r.error?.code, `${request.operation} ${kind} #${nth}`).toBe('INTERNAL');
          expect(await positions(base, IG), `${request.operation} ${kind} #${nth}`).toEqual(before);
        }
        // The successful run above changed the tree: rebuild the seed state for the next fault.
        await resetTo(base, before);
      }
      // The node's own write plus the renumbering of the others: several steps each time.
      expect(tried).toBeGreaterThan(4);
    }
  });
});

/** Put the seed tree back after a write went through (delete what is new, restore numbers and parents). */
async function resetTo(adapter: ReturnType<typeof memoryAdapter>, before: Record<string, [number, number]>): Promise<void> {
  const parents: Record<string, string> = { A: 'All', B: 'All', C: 'All', a1: 'A', a2: 'A', c1: 'C', All: '' };
  for (const row of await adapter.query(IG, { fields: ['name'] })) if (!(String(row.name) in before)) await adapter.delete(IG, String(row.name));
  for (const [name, [lft, rgt]] of Object.entries(before)) {
    const doc = await adapter.get(IG, name);
    const parent = parents[name] || null;
    const values = { lft, rgt, parent_item_group: parent, old_parent: parent ?? '' };
    if (doc) await adapter.setValues!(IG, [{ name, values }]);
    else await adapter.insert(IG, { name, item_group_name: name, is_group: name === 'a1' ? 0 : 1, modified: '2024-01-01 00:00:00.000000', ...values });
  }
  expect(await positions(adapter, IG)).toEqual(before);
}
