/**
 * The one interface the PostgreSQL storage core talks to. Two thin drivers implement it: PGlite
 * (`coworker/pglite`) and node-postgres (`coworker/postgres`). Everything else — DDL, query translation,
 * error mapping, write steps — is shared, so both databases behave identically.
 *
 * @module
 */

/** Rows and affected-row count of one statement. */
export interface SqlResult<R = Record<string, unknown>> {
  readonly rows: readonly R[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  readonly rowCount: number;
}

/** How a statement is sent. */
export interface QueryOptions {
  /**
   * The statement runs often and its text fixes the type of every parameter (`$1::text`, `$2::numeric[]`):
   * a driver that can keep it prepared on the connection does (node-postgres: a named statement, parsed and
   * planned once per connection); others ignore it. @default false
   */
  readonly prepare?: boolean;
}

/** Run one parameterised statement (`$1`, `$2`, ... placeholders; values are never spliced into the text). */
export type QueryFn = <R = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions) => Promise<SqlResult<R>>;

/**
 * A database connection (or pool) as the storage core needs it.
 *
 * Drivers must return DATE, TIMESTAMP and TIME values as strings, NUMERIC and INT8 as JS numbers and JSON
 * parsed — {@link TYPE_PARSERS} does exactly that; a driver only has to apply it.
 */
export interface SqlClient {
  /** Run one statement outside any explicit transaction (autocommit), or inside this transaction. */
  readonly query: QueryFn;
  /**
   * Run `fn` in a transaction: `BEGIN` … `COMMIT`, or `ROLLBACK` (and rethrow) when `fn` throws. On a client
   * that is already a transaction this is a savepoint. Every statement `fn` runs through `tx` uses one
   * connection.
   * @param fn - the work
   * @returns what `fn` returned
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Run a script of several statements without parameters in one round trip (migrations). Optional: without
   * it the statements are sent one by one through `query`.
   * @param sql - statements separated by `;`
   */
  exec?(sql: string): Promise<void>;
  /**
   * True when the database is one session (PGlite): a transaction then holds the whole database, so work
   * needed inside it (creating a table on first use) must run on the transaction itself. @default false
   */
  readonly singleSession?: boolean;
  /** Release what the driver created itself (a pool it opened, a database it started). */
  close?(): Promise<void>;
}

/** PostgreSQL type OIDs the storage core reads. */
export const OID = {
  INT8: 20, INT2: 21, INT4: 23, TEXT: 25, JSON: 114, FLOAT4: 700, FLOAT8: 701, DATE: 1082, TIME: 1083, TIMESTAMP: 1114, NUMERIC: 1700, JSONB: 3802,
} as const;

/** Pad `HH:MM:SS[.f]` (the tail of a TIME or TIMESTAMP text) to exactly six fractional digits. */
function sixDigits(text: string, timeStart: number): string {
  const dot = text.indexOf('.', timeStart);
  if (dot < 0) return `${text}.000000`;
  return text.padEnd(dot + 7, '0');
}

/**
 * Text-to-JS parsers by type OID, applied by both drivers (per query, so a caller's PGlite or pool keeps its
 * own global settings).
 *
 * - DATE stays `YYYY-MM-DD` (never a JS Date: no time zone can shift it).
 * - TIMESTAMP and TIME come back with exactly six fractional digits, Frappe's `now()` format
 *   (`YYYY-MM-DD HH:MM:SS.ffffff`): PostgreSQL prints no trailing zeros, so `10:30:00.000000` would come
 *   back as `10:30:00` and no longer equal the `modified` a caller holds.
 * - NUMERIC and INT8 become numbers: the adapter stores JS numbers, whose shortest decimal text NUMERIC keeps
 *   exactly, so `Number(text)` gives back the very same double.
 */
export const TYPE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = Object.freeze({
  [OID.DATE]: (text: string) => text,
  [OID.TIMESTAMP]: (text: string) => sixDigits(text, 11),
  [OID.TIME]: (text: string) => sixDigits(text, 0),
  [OID.NUMERIC]: Number,
  [OID.INT8]: Number,
  [OID.INT4]: Number,
  [OID.INT2]: Number,
  [OID.FLOAT4]: Number,
  [OID.FLOAT8]: Number,
  [OID.JSON]: (text: string) => JSON.parse(text) as unknown,
  [OID.JSONB]: (text: string) => JSON.parse(text) as unknown,
});

/**
 * Turn a connection that is inside a transaction into a {@link SqlClient} whose `transaction` makes
 * savepoints (so nested transactions and single writes inside a transaction can fail on their own).
 * Drivers use it for the client they hand to a root transaction's `fn`.
 * @param query - runs a statement on the transaction's connection
 * @param exec - runs a multi-statement script on it, when the driver can
 * @returns the transaction client
 */
export function transactionClient(query: QueryFn, exec?: (sql: string) => Promise<void>): SqlClient {
  let counter = 0;
  const client: SqlClient = {
    query,
    ...(exec ? { exec } : {}),
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const savepoint = `coworker_sp_${++counter}`;
      await query(`SAVEPOINT ${savepoint}`);
      let result: T;
      try {
        result = await fn(client);
      } catch (error) {
        // If even the rollback fails the connection is broken and the outer transaction fails too; the
        // caller needs the original error, not the rollback's.
        await query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
        throw error;
      }
      await query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    },
  };
  return client;
}
