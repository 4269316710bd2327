/**
 * Every storage adapter, for tests that must hold on each: memory, PGlite (one instance, a fresh schema per
 * adapter), SQLite (sql.js) and, when `COWORKER_PG_URL` is set, PostgreSQL (a fresh schema and pool per adapter).
 */
import { PGlite } from '@electric-sql/pglite';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import { memoryAdapter } from '../../src/storage/memory';
import type { StorageAdapter } from '../../src/storage/types';
import { sqlJs } from '../storage-sqlite/helpers';
import { PG_URL, uniqueSchema } from '../storage-pg/server';

/** `[kind, make]` pairs for `describe.each`, and `close` for `afterAll` (drops the schemas, ends the pools). */
export function everyAdapter(prefix: string): { adapters: [string, () => Promise<StorageAdapter>][]; close: () => Promise<void> } {
  let pglite: PGlite | undefined;
  let schemas = 0;
  const cleanups: (() => Promise<void>)[] = [];
  const adapters: [string, () => Promise<StorageAdapter>][] = [
    ['memory', async () => memoryAdapter()],
    ['pglite', async () => pgliteAdapter((pglite ??= new PGlite()), { schema: `${prefix}_${++schemas}` })],
    ['sqlite', async () => sqliteAdapter({ sqlJs: await sqlJs() })],
  ];
  if (PG_URL) {
    adapters.push(['postgres', async () => {
      const schema = uniqueSchema(prefix);
      const pg = await import('pg');
      const pool = new pg.default.Pool({ connectionString: PG_URL });
      cleanups.push(async () => {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool.end();
      });
      return postgresAdapter(pool, { schema });
    }]);
  }
  return {
    adapters,
    close: async () => {
      for (const c of cleanups) await c();
      await pglite?.close();
    },
  };
}
