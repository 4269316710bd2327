/** `rename` and `copy` on the PostgreSQL server (test/run/rename-suite.ts): a fresh schema per test, dropped after. */
import pg from 'pg';
import { afterAll } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { renameCopySuite } from '../run/rename-suite';
import { uniqueSchema, withServer } from './server';

withServer('rename and copy on a PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  renameCopySuite('postgres', () => {
    const schema = uniqueSchema('rename');
    schemas.push(schema);
    return postgresAdapter(pool, { schema });
  });
});
