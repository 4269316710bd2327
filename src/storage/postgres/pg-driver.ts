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
import type { QueryFn, QueryOptions, SqlClient, SqlResult } from './client';
import { StorageError, asStorageError, connectionLost } from '../errors';

const identity = (text: string): string => text;

/** Our parsers for the types the adapter reads; every other type stays text (the adapter reads no other). */
const TYPES = {
  getTypeParser: ((oid: number) => TYPE_PARSERS[oid] ?? identity) as unknown as CustomTypesConfig['getTypeParser'],
} satisfies CustomTypesConfig;

/** Whether a driver error carries a SQLSTATE (then `translateError` classifies it by that). */
function hasSqlState(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * A driver failure without a SQLSTATE: the socket closed ("Connection terminated unexpectedly"), the client
 * is no longer queryable, the server refused or reset the connection. All of these mean the session is
 * gone, so they become `STORAGE_CONNECTION_LOST`; anything else pg throws by itself is `STORAGE_FAILURE`.
 */
function driverFailure(error: unknown, context: string): unknown {
  if (error instanceof StorageError || hasSqlState(error)) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const text = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /connection|terminated|not queryable|socket/i.test(text)) {
    return connectionLost(context, error);
  }
  return asStorageError(error, context);
}

/**
 * Names of the statements sent prepared, by text, for the whole process: a name is per connection in
 * PostgreSQL and pg refuses one name for two texts, so one map serves every pool (adapters may share a pool).
 * The texts are the adapter's own (a few per table), so the map stays small.
 */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = `coworker_${statementNames.size + 1}`));
  return name;
}

function queryOn(runner: Pool | PoolClient): QueryFn {
  return async <R>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<SqlResult<R>> => {
    try {
      const result = await runner.query({ text, values: [...params], types: TYPES, ...(options?.prepare === true ? { name: statementName(text) } : {}) });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw driverFailure(error, 'PostgreSQL');
    }
  };
}

/** A multi-statement script: without parameters pg uses the simple protocol, which accepts several statements. */
function execOn(runner: Pool | PoolClient): (sql: string) => Promise<void> {
  return async (sql: string) => {
    try {
      await runner.query(sql);
    } catch (error) {
      throw driverFailure(error, 'PostgreSQL');
    }
  };
}

/** Listens to a pool we created: an idle connection the server ended emits 'error', which must not crash the process. */
function ignoreIdleErrors(pool: Pool): void {
  // The pool has already dropped the dead connection; the next checkout opens a fresh one.
  pool.on('error', () => undefined);
}

/**
 * Wrap a pool.
 * @param pool - a `pg.Pool`
 * @param owned - end the pool when the client is closed (it was created for the adapter), and listen to its
 *   idle connections' errors @default false
 * @returns the client
 */
export function pgClient(pool: Pool, owned = false): SqlClient {
  if (owned) ignoreIdleErrors(pool);
  return {
    query: queryOn(pool),
    exec: execOn(pool),
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      // A checked-out connection has no listener of the pool's: if the server ends it between two statements
      // (pg_terminate_backend, a restart, a network drop), its 'error' event would crash the process. Record
      // it instead; the next statement fails with STORAGE_CONNECTION_LOST and the connection is destroyed.
      let broken: unknown;
      const onError = (error: unknown): void => {
        broken ??= error;
      };
      let connection: PoolClient;
      try {
        // The listener goes on in pg's callback, synchronously: the server's "terminating connection" can come in
        // the same read as the connection's ReadyForQuery, before an `await pool.connect()` would resume.
        connection = await new Promise<PoolClient>((resolve, reject) => {
          pool.connect((error, client) => {
            if (error || !client) reject(error ?? new Error('no connection'));
            else {
              client.on('error', onError);
              resolve(client);
            }
          });
        });
      } catch (error) {
        throw driverFailure(error, 'PostgreSQL: connecting');
      }
      try {
        await queryOn(connection)('BEGIN');
        try {
          const result = await fn(transactionClient(queryOn(connection), execOn(connection)));
          await queryOn(connection)('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch((rollbackError: unknown) => {
            // A connection that cannot roll back must not go back to the pool.
            broken ??= rollbackError;
          });
          throw error;
        }
      } finally {
        connection.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
        // A healthy connection goes back to the pool, which listens to it while idle; a destroyed one keeps
        // our listener, so a late 'error' from its closing socket cannot crash the process either.
        if (broken === undefined) connection.removeListener('error', onError);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
