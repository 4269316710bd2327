/**
 * The PGlite driver: PGlite (PostgreSQL compiled to WASM, in-process in Node and the browser) as a
 * {@link SqlClient}. Only a type is imported here; the `coworker/pglite` entry loads PGlite itself.
 *
 * PGlite is one database session: its own lock runs statements and transactions one at a time, so a
 * transaction holds the whole database until it ends (docs/storage-postgres.md, "PGlite").
 *
 * @module
 */
import type { PGliteInterface, Results } from '@electric-sql/pglite';
import { TYPE_PARSERS, transactionClient } from './client';
import type { QueryFn, SqlClient, SqlResult } from './client';

/** The part of a PGlite instance (or its transaction object) that runs statements. */
type Runner = Pick<PGliteInterface, 'query'>;

const OPTIONS = { parsers: TYPE_PARSERS as Record<number, (value: string) => unknown> };

function queryOn(runner: Runner): QueryFn {
  return async <R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> => {
    const result: Results<R> = await runner.query<R>(text, [...params], OPTIONS);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
}

/**
 * Wrap a PGlite instance.
 * @param db - a PGlite instance (ready or not: PGlite waits by itself)
 * @param owned - close `db` when the client is closed (it was created for the adapter) @default false
 * @returns the client
 */
export function pgliteClient(db: PGliteInterface, owned = false): SqlClient {
  return {
    query: queryOn(db),
    transaction: (fn) => db.transaction((tx) => fn(transactionClient(queryOn(tx)))),
    async close() {
      if (owned && !db.closed) await db.close();
    },
  };
}
