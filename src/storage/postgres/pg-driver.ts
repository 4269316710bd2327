/**
 * The node-postgres driver: a `pg.Pool` as a {@link SqlClient}. Only types are imported here; the
 * `coworker/postgres` entry loads `pg` itself.
 *
 * Statements outside a transaction run on any pooled connection; a transaction checks one connection out
 * for its whole life. Type parsers are passed per query, so the pool's global `pg.types` settings are left
 * alone.
 *
 * @module
 */
import type { CustomTypesConfig, Pool, PoolClient } from 'pg';
import { TYPE_PARSERS, transactionClient } from './client';
import type { QueryFn, SqlClient, SqlResult } from './client';

const identity = (text: string): string => text;

/** Our parsers for the types the adapter reads; every other type stays text (the adapter reads no other). */
const TYPES = {
  getTypeParser: ((oid: number) => TYPE_PARSERS[oid] ?? identity) as unknown as CustomTypesConfig['getTypeParser'],
} satisfies CustomTypesConfig;

function queryOn(runner: Pool | PoolClient): QueryFn {
  return async <R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> => {
    const result = await runner.query({ text, values: [...params], types: TYPES });
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  };
}

/**
 * Wrap a pool.
 * @param pool - a `pg.Pool`
 * @param owned - end the pool when the client is closed (it was created for the adapter) @default false
 * @returns the client
 */
export function pgClient(pool: Pool, owned = false): SqlClient {
  return {
    query: queryOn(pool),
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      let broken: unknown;
      try {
        await connection.query('BEGIN');
        try {
          const result = await fn(transactionClient(queryOn(connection)));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch((rollbackError: unknown) => {
            // A connection that cannot roll back must not go back to the pool.
            broken = rollbackError;
          });
          throw error;
        }
      } finally {
        connection.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
