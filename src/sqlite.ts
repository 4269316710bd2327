/**
 * `coworker/sqlite`: the SQLite storage adapter (sql.js, Node and browsers) for the seeds' layout
 * `doctypes(name TEXT PRIMARY KEY, data TEXT)`. sql.js is an optional peer dependency that this entry never
 * imports: you load it (choosing where its `.wasm` file comes from) and pass it in.
 *
 * @example
 * import initSqlJs from 'sql.js';
 * import { sqliteAdapter } from 'coworker/sqlite';
 * const storage = sqliteAdapter({ sqlJs: await initSqlJs(), doctypes });
 *
 * @module
 */
export { sqliteAdapter } from './storage/sqlite/index';
export type { SqliteAdapter, SqliteAdapterOptions, SqlJsDatabase, SqlJsStatic, SqlValue } from './storage/sqlite/index';
