/**
 * Tree DocTypes on the PostgreSQL server (COWORKER_PG_URL): the cases every adapter runs, and concurrency:
 * engines with their own connection pools inserting under one parent, and moving nodes, at the same time.
 * The tree's lock (a row of the series table, locked until commit) makes them take turns, so the nested set
 * stays valid; without it two writers read the same parent rgt and shift over each other.
 */
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { postgresAdapter } from '../../src/postgres';
import { treeCases } from './cases';
import { expectValidTree, make, positions, treeEngine } from './helpers';
import { uniqueSchema, withServer } from '../storage-pg/server';

withServer('tree DocTypes on the PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const fresh = () => {
    const schema = uniqueSchema('tree');
    schemas.push(schema);
    return schema;
  };

  treeCases(async () => {
    const adapter = postgresAdapter(url, { schema: fresh() });
    return { adapter, close: () => adapter.close!() };
  });

  it('concurrent inserts under one parent and concurrent moves keep a valid nested set', async () => {
    const schema = fresh();
    const adapters = Array.from({ length: 6 }, () => postgresAdapter(url, { schema }));
    const engines = adapters.map((a) => treeEngine(a));
    try {
      await engines[0]!.ready();
      await make(engines[0]!, 'Item Group', { item_group_name: 'All Item Groups', is_group: 1 });
      await make(engines[0]!, 'Item Group', { item_group_name: 'Products', is_group: 1, parent_item_group: 'All Item Groups' });
      await make(engines[0]!, 'Item Group', { item_group_name: 'Services', is_group: 1, parent_item_group: 'All Item Groups' });
      for (const e of engines) await e.ready();
      // Every engine inserts 4 groups under Products, all at once.
      const runs = await Promise.all(engines.flatMap((e, i) => Array.from({ length: 4 }, (_, j) =>
        e.run({ operation: 'create', target_doctype: 'Item Group', input: { data: { item_group_name: `P ${i}-${j}`, is_group: 1, parent_item_group: 'Products' } } }))));
      expect(runs.filter((r) => r.error).map((r) => r.error)).toEqual([]);
      await expectValidTree(adapters[0]!, 'Item Group', 'parent_item_group');
      expect(await positions(adapters[0]!, 'Item Group')).toMatchObject({ 'All Item Groups': [1, 54], Products: [2, 51], Services: [52, 53] });
      // Moves and inserts at once: half the groups move under Services, each engine adds one more under Products.
      const mixed = await Promise.all(engines.flatMap((e, i) => [
        e.run({ operation: 'update', target_doctype: 'Item Group', input: { data: { name: `P ${i}-0`, parent_item_group: 'Services' } } }),
        e.run({ operation: 'update', target_doctype: 'Item Group', input: { data: { name: `P ${i}-1`, parent_item_group: `P ${(i + 1) % engines.length}-2` } } }),
        e.run({ operation: 'create', target_doctype: 'Item Group', input: { data: { item_group_name: `Q ${i}`, parent_item_group: 'Products' } } }),
      ]));
      expect(mixed.filter((r) => r.error).map((r) => r.error)).toEqual([]);
      await expectValidTree(adapters[0]!, 'Item Group', 'parent_item_group');
      // Concurrent deletes of leaves close their gaps.
      const deletes = await Promise.all(engines.map((e, i) => e.run({ operation: 'delete', target_doctype: 'Item Group', input: { data: { name: `Q ${i}` } } })));
      expect(deletes.filter((r) => r.error).map((r) => r.error)).toEqual([]);
      await expectValidTree(adapters[0]!, 'Item Group', 'parent_item_group');
      expect(await adapters[0]!.count('Item Group')).toBe(3 + 24);
    } finally {
      for (const a of adapters) await a.close?.();
    }
  }, 120_000);
});
