/**
 * The slice of sql.js this adapter uses, typed structurally: src/ may not import `sql.js` (it is an optional
 * peer dependency, and the source rules allow only the runtime dependencies), so callers pass in a Database
 * they opened, or the `SQL` object `initSqlJs()` resolved to. {@link SqliteDb} wraps the two calls we make
 * (`exec` and `run`) so every driver failure becomes a `STORAGE_FAILURE` with the driver error as `cause`.
 *
 * @module
 */
import { asStorageError } from '../errors';

/** A value SQLite hands over or accepts (sql.js maps INTEGER and REAL to numbers, BLOB to bytes). */
export type SqlValue = string | number | Uint8Array | null;

/** The part of a sql.js `Database` the adapter calls. */
export interface SqlJsDatabase {
  // Mutable parameter arrays, as sql.js declares them (`BindParams`), so its `SqlJsStatic` is assignable here.
  exec(sql: string, params?: SqlValue[]): { columns: string[]; values: SqlValue[][] }[];
  run(sql: string, params?: SqlValue[]): unknown;
  getRowsModified(): number;
  export(): Uint8Array;
  close(): void;
  create_function(name: string, fn: (...args: SqlValue[]) => SqlValue): unknown;
}

/** What `await initSqlJs()` resolves to: the constructor of databases. */
export interface SqlJsStatic {
  readonly Database: new (data?: ArrayLike<number> | null) => SqlJsDatabase;
}

/** Runs statements on one sql.js database, translating driver errors. */
export class SqliteDb {
  /** @param db - the sql.js database */
  constructor(readonly db: SqlJsDatabase) {}

  /**
   * Run one statement and return its rows.
   * @param sql - a single statement; values only as `?NNN` parameters
   * @param params - the parameter values, `?1` first
   * @returns the rows, each an array of column values
   * @throws {StorageError} `STORAGE_FAILURE` for any driver error
   */
  all(sql: string, params: readonly SqlValue[] = []): SqlValue[][] {
    try {
      return this.db.exec(sql, params as SqlValue[]) /* sql.js only reads them */[0]?.values ?? [];
    } catch (error) {
      throw asStorageError(error, 'SQLite failed');
    }
  }

  /**
   * Run one statement that returns no rows.
   * @param sql - a single statement
   * @param params - the parameter values
   * @returns the number of rows it inserted, updated or deleted
   * @throws {StorageError} `STORAGE_FAILURE` for any driver error
   */
  run(sql: string, params: readonly SqlValue[] = []): number {
    try {
      this.db.run(sql, params as SqlValue[]); // sql.js only reads them
      return this.db.getRowsModified();
    } catch (error) {
      throw asStorageError(error, 'SQLite failed');
    }
  }
}
