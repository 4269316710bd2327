/**
 * Engines starting at once on a new PostgreSQL schema (processes of one deployment, each with its own pool):
 * `CREATE SCHEMA / TABLE IF NOT EXISTS` is not safe against itself (a unique violation in the catalog), so the
 * first setup takes the schema's migration lock. Before the fix, most rounds failed.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { createEngine } from '../../src/run/engine';
import { uniqueSchema, withServer } from '../storage-pg/server';
import { appOptions } from './app';

withServer('engines starting at once on a new schema', (url) => {
  const pool = new pg.Pool({ connectionString: url });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('eight rounds of four engines preparing one new schema together: all ready', async () => {
    for (let round = 0; round < 8; round++) {
      const schema = uniqueSchema('startup');
      schemas.push(schema);
      const adapters = [0, 1, 2, 3].map(() => postgresAdapter(url, { schema }));
      try {
        const results = await Promise.allSettled(adapters.map((adapter) => createEngine({ ...appOptions(), adapter }).ready()));
        expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ready'))).toEqual(['ready', 'ready', 'ready', 'ready']);
      } finally {
        for (const a of adapters) await a.close?.();
      }
    }
  }, 60_000);
});
