/** `rename` and `copy` on the PostgreSQL server (test/run/rename-suite.ts): a fresh schema per test, dropped after. */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { createEngine } from '../../src/run/index';
import { doctypesFor, renameCopySuite } from '../run/rename-suite';
import { uniqueSchema, withServer } from './server';

withServer('rename and copy on a PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const fresh = () => {
    const schema = uniqueSchema('rename');
    schemas.push(schema);
    return postgresAdapter(pool, { schema });
  };
  renameCopySuite('postgres', fresh);

  it('two renames of one document at once, from two engines: one wins, the other fails, links follow the winner', async () => {
    const schema = uniqueSchema('rename_race');
    schemas.push(schema);
    const admin = { name: 'Administrator', roles: ['Administrator'] };
    const doctypes = doctypesFor(['Customer', 'Sales Order']);
    const [a, b] = [postgresAdapter(url, { schema }), postgresAdapter(url, { schema })];
    try {
      const [ea, eb] = [createEngine({ doctypes, adapter: a, user: admin }), createEngine({ doctypes, adapter: b, user: admin })];
      await ea.ready();
      await eb.ready();
      await a.insert('Customer', { name: 'C1', customer_name: 'C1' });
      for (let i = 0; i < 20; i++) await a.insert('Sales Order', { name: `SO-${i}`, customer: 'C1' });
      const runs = await Promise.all([
        ea.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'Left' } }),
        eb.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'Right' } }),
      ]);
      const won = runs.filter((r) => r.success);
      expect(won).toHaveLength(1);
      const lost = runs.find((r) => !r.success)!;
      expect(['NOT_FOUND', 'RENAME_CONFLICT']).toContain(lost.error!.code);
      const winner = won[0]!.docname!;
      expect(await a.query('Customer', { fields: ['name'] })).toEqual([{ name: winner }]);
      expect(await a.count('Sales Order', { customer: winner })).toBe(20);
    } finally {
      await a.close?.();
      await b.close?.();
    }
  }, 60_000);
});
