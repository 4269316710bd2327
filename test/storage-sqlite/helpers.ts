/** Loads sql.js once per test file (its WASM module is shared by every database). */
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from '../../src/storage/sqlite/driver';

let loading: Promise<SqlJsStatic> | undefined;

/** The sql.js module, initialised once. */
export function sqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs() as unknown as Promise<SqlJsStatic>;
  return loading;
}
