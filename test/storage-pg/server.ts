/**
 * The PostgreSQL server the server tests connect to: `COWORKER_PG_URL` (start one with
 * `eval "$(scripts/pg-test-server.sh --env)"`). When it is unset the tests are skipped with a loud reason,
 * except on CI (`CI=true`), where a missing server is a failure: CI must run them.
 */
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import type { StorageAdapter } from '../../src/storage/types';

export const PG_URL = process.env['COWORKER_PG_URL'];

/** Why server tests cannot run, or undefined when they can. */
export const PG_MISSING = PG_URL ? undefined : 'COWORKER_PG_URL is not set: start a server with `eval "$(scripts/pg-test-server.sh --env)"`';

/**
 * Define `body` when a server is configured; otherwise skip loudly (or fail on CI).
 * @param title - the describe title
 * @param body - the tests, given the connection string
 */
export function withServer(title: string, body: (url: string) => void): void {
  if (PG_URL) {
    describe(title, () => body(PG_URL));
    return;
  }
  if (process.env['CI'] === 'true') {
    describe(title, () => {
      it('needs a PostgreSQL server on CI', () => {
        throw new Error(`${PG_MISSING ?? ''} (CI=true: server tests must run)`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED ${title}: ${PG_MISSING ?? ''} ***\n`);
  describe.skip(`${title} (skipped: ${PG_MISSING ?? ''})`, () => {
    it('needs COWORKER_PG_URL', () => undefined);
  });
}

/** A schema name no other test run uses. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * One test of `scenario` on an adapter over a fresh schema of the server (dropped afterwards), skipped or
 * failed like {@link withServer} when no server is configured.
 * @param title - the describe title
 * @param test - the test title
 * @param prefix - the schema name's prefix
 * @param scenario - the test, given the adapter, a pool on the server and the schema name
 * @param timeout - ms @default 60000
 */
export function onServer(
  title: string, test: string, prefix: string,
  scenario: (adapter: StorageAdapter, pool: pg.Pool, schema: string) => Promise<void>, timeout = 60_000,
): void {
  withServer(title, (url) => {
    const pool = new pg.Pool({ connectionString: url });
    const schema = uniqueSchema(prefix);
    afterAll(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    });
    it(test, async () => {
      const adapter = postgresAdapter(url, { schema });
      try {
        await scenario(adapter, pool, schema);
      } finally {
        await adapter.close?.();
      }
    }, timeout);
  });
}
