/**
 * The four storage adapters the security tests run on: memory, PGlite, SQLite (sql.js) and a PostgreSQL server
 * (`COWORKER_PG_URL`; without it the server case is left out, and on CI that is a failure).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll } from 'vitest';
import { memoryAdapter } from '../../src/storage/memory';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import type { StorageAdapter } from '../../src/storage/types';
import { PG_URL, uniqueSchema } from '../storage-pg/server';
import { sqlJs } from '../storage-sqlite/helpers';

let pglite: PGlite | undefined;
let pool: pg.Pool | undefined;
const schemas: string[] = [];

afterAll(async () => {
  if (pool) {
    for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
  await pglite?.close();
});

/** [kind, make a fresh, empty adapter] for each adapter available here. */
export function everyAdapter(prefix: string): [string, () => Promise<StorageAdapter>][] {
  const out: [string, () => Promise<StorageAdapter>][] = [
    ['memory', async () => memoryAdapter()],
    ['pglite', async () => pgliteAdapter((pglite ??= new PGlite()), { schema: uniqueSchema(prefix).slice(0, 40) })],
    ['sqlite', async () => sqliteAdapter({ sqlJs: await sqlJs() })],
  ];
  if (PG_URL || process.env['CI'] === 'true') {
    out.push(['postgres', async () => {
      if (!PG_URL) throw new Error('COWORKER_PG_URL is not set (CI=true: server tests must run)');
      pool ??= new pg.Pool({ connectionString: PG_URL, max: 4 });
      const schema = uniqueSchema(prefix).slice(0, 40);
      schemas.push(schema);
      return postgresAdapter(pool, { schema });
    }]);
  } else {
    console.warn(`\n*** ${prefix}: the PostgreSQL server case is skipped: COWORKER_PG_URL is not set ***\n`);
  }
  return out;
}
