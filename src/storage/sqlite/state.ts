/**
 * What the SQLite adapter's sessions share: the tables it uses, its state, and the savepoint helpers every
 * write runs in. (Split out of adapter.ts, which keeps the sessions and the factory.)
 *
 * @module
 */
import type { TableSchema } from '../columns';
import { StorageError } from '../errors';
import type { Mutex } from '../mutex';
import type { SqliteDb, SqlValue } from './driver';
import { ensureKeyTables } from './keys';

/** The seeds' table, and the series table this adapter adds for naming counters. */
export const DOCTYPES = 'main.doctypes';
export const SERIES = 'main.series';
/** Committed images of what the open transaction changed (`data` / `current` null: the row did not exist). */
export const TX_DOCTYPES = 'temp.coworker_tx_doctypes';
export const TX_SERIES = 'temp.coworker_tx_series';
/** `doctypes` and `series` as seen outside an open transaction. */
export const COMMITTED_DOCTYPES =
  `(SELECT name, data FROM ${DOCTYPES} WHERE name NOT IN (SELECT name FROM ${TX_DOCTYPES}) ` +
  `UNION ALL SELECT name, data FROM ${TX_DOCTYPES} WHERE data IS NOT NULL)`;
export const COMMITTED_SERIES =
  `(SELECT name, "current" FROM ${SERIES} WHERE name NOT IN (SELECT name FROM ${TX_SERIES}) ` +
  `UNION ALL SELECT name, "current" FROM ${TX_SERIES} WHERE "current" IS NOT NULL)`;

/** State shared by the adapter, its step-hook views and its transactions. */
export interface Shared {
  readonly name: string;
  readonly sql: SqliteDb;
  readonly schemas: Map<string, TableSchema>;
  readonly save: ((bytes: Uint8Array) => void | Promise<void>) | undefined;
  readonly owned: boolean;
  /** True while a top-level transaction is open: outside reads then use the committed view. */
  inTransaction: boolean;
  savepoints: number;
  closed: boolean;
}

/** One nesting level: the adapter (depth 0) or a transaction / savepoint. */
export interface Level {
  readonly depth: number;
  readonly lock: Mutex;
}

/** A SQL value as text (null as the empty string). */
export function text(value: SqlValue | undefined): string {
  return typeof value === 'string' ? value : String(value ?? '');
}

/** Split a list into chunks, keeping `IN (...)` lists well under SQLite's parameter limit. */
export function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Run `body` inside a savepoint: released when it returns, rolled back (and released) when it throws.
 * Synchronous, so nothing else runs on the connection in between.
 */
export function inSavepoint<T>(shared: Shared, body: () => T): T {
  const sp = `coworker_sp_${++shared.savepoints}`;
  shared.sql.run(`SAVEPOINT ${sp}`);
  let result: T;
  try {
    result = body();
  } catch (error) {
    rollback(shared, sp, error);
    throw error;
  }
  shared.sql.run(`RELEASE ${sp}`);
  return result;
}

export function rollback(shared: Shared, sp: string, error: unknown): void {
  try {
    shared.sql.run(`ROLLBACK TO ${sp}`);
    shared.sql.run(`RELEASE ${sp}`);
  } catch (failure) {
    throw new StorageError('STORAGE_FAILURE', `${shared.name}: rolling back after an error failed; the database state is unknown`, { cause: [error, failure] });
  }
}

/** After a top-level commit: hand the database file to the `save` hook. */
export async function saved(shared: Shared, level: Level): Promise<void> {
  if (!shared.save || level.depth > 0) return;
  try {
    await shared.save(shared.sql.db.export());
  } catch (error) {
    throw new StorageError('STORAGE_FAILURE', `${shared.name}: the write is committed in memory, but saving the database failed`, { cause: error });
  }
}

/** Create the tables if missing, and refuse a `doctypes` table of another shape. */
export function ensureTables(sql: SqliteDb): void {
  sql.run('CREATE TABLE IF NOT EXISTS main.doctypes(name TEXT PRIMARY KEY, data TEXT)');
  const columns = new Set(sql.all("SELECT name FROM pragma_table_info('doctypes', 'main')").map((r) => r[0]));
  if (!columns.has('name') || !columns.has('data')) {
    throw new StorageError('STORAGE_FAILURE', 'the database has a doctypes table without the columns name and data; it is not the seeds\' layout');
  }
  sql.run('CREATE TABLE IF NOT EXISTS main.series(name TEXT PRIMARY KEY, "current" INTEGER)');
  // Every query filters on the DocType marker; an expression index makes that a lookup, not a scan.
  sql.run("CREATE INDEX IF NOT EXISTS main.doctypes_doctype ON doctypes(json_extract(data, '$.doctype'))");
  ensureKeyTables(sql);
  sql.run(`CREATE TEMP TABLE IF NOT EXISTS coworker_tx_doctypes(name TEXT PRIMARY KEY, data TEXT)`);
  sql.run(`CREATE TEMP TABLE IF NOT EXISTS coworker_tx_series(name TEXT PRIMARY KEY, "current" INTEGER)`);
}

