/**
 * What ERPNext's tree controllers add on top of NestedSet is written as a controller: "the parent must be a
 * group" (Account's validate_parent, Item Group's parent check) through ctx.db, and a controller can read the
 * tree (`ctx.db.get_ancestors_of` / `get_descendants_of`) inside the write's transaction.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import type { Controllers } from '../../src/run/lifecycle';
import { memoryAdapter } from '../../src/storage/memory';
import { ADMIN, benchSubset, make } from './helpers';

const IG = 'Item Group';

describe('tree rules written as controllers', () => {
  it('a parent must be a group; ancestors are readable in hooks', async () => {
    const seen: string[][] = [];
    const controllers: Controllers = {
      [IG]: {
        async validate(ctx) {
          const parent = ctx.doc.parent_item_group as string | null;
          if (parent && !(await ctx.db.get_value(IG, parent, 'is_group'))) {
            ctx.throw(`Parent Item Group ${parent} must be a group`, { field: 'parent_item_group' });
          }
        },
        async on_update(ctx) {
          seen.push(await ctx.db.get_ancestors_of(IG, String(ctx.doc.name)));
        },
      },
    };
    const engine = createEngine({ doctypes: benchSubset(IG), adapter: memoryAdapter(), user: ADMIN, unknownLinks: 'skip', controllers });
    await make(engine, IG, { item_group_name: 'All', is_group: 1 });
    await make(engine, IG, { item_group_name: 'Products', is_group: 1, parent_item_group: 'All' });
    await make(engine, IG, { item_group_name: 'Widgets', parent_item_group: 'Products' });
    const refused = await engine.run({ operation: 'create', target_doctype: IG, input: { data: { item_group_name: 'Tiny', parent_item_group: 'Widgets' } } });
    expect(refused.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Widgets must be a group') });
    // on_update runs after update_nsm, so the new node is already placed: its ancestors, nearest first.
    expect(seen).toEqual([[], ['All'], ['Products', 'All']]);
    expect(await engine.adapter.count(IG)).toBe(3);
  });
});
