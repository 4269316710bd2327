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

/**
 * Whether `db` was created with {@link TYPE_PARSERS} (`new PGlite({ parsers: TYPE_PARSERS })`). Then no
 * per-query parsers are passed: PGlite merges per-query parsers on every statement, which costs about as much
 * as a simple statement itself.
 */
function hasOwnParsers(db: PGliteInterface): boolean {
  const installed = (db as { parsers?: Record<number, unknown> }).parsers;
  return installed !== undefined && Object.entries(TYPE_PARSERS).every(([oid, parser]) => installed[Number(oid)] === parser);
}

function queryOn(runner: Runner, options: typeof OPTIONS | undefined): QueryFn {
  return async <R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> => {
    const result: Results<R> = await runner.query<R>(text, [...params], options);
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
  const options = hasOwnParsers(db) ? undefined : OPTIONS;
  return {
    query: queryOn(db, options),
    transaction: (fn) => db.transaction((tx) => fn(transactionClient(queryOn(tx, options), async (sql) => { await tx.exec(sql); }))),
    async exec(sql: string) {
      await db.exec(sql);
    },
    singleSession: true,
    async close() {
      if (owned && !db.closed) await db.close();
    },
  };
}
