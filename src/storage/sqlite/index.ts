/**
 * SQLite storage in the seeds' layout: one table `doctypes(name TEXT PRIMARY KEY, data TEXT)` holding each
 * document as JSON (child rows embedded), queried through SQLite's JSON functions, on sql.js.
 *
 * Terms: *data* is a document's JSON text; a *source* is the relation a query reads (a DocType's documents,
 * or a child DocType's rows unnested from their parents); the *committed view* is what reads outside an
 * open transaction see.
 *
 * @module
 */
export { sqliteAdapter } from './adapter';
export type { SqliteAdapter, SqliteAdapterOptions } from './adapter';
export type { SqlJsDatabase, SqlJsStatic, SqlValue } from './driver';
