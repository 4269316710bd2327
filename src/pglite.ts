/**
 * `coworker/pglite`: storage in PGlite, PostgreSQL compiled to WASM — in memory, in a Node folder, or in the
 * browser's IndexedDB (`idb://name`). Loads `@electric-sql/pglite` (an optional peer dependency), so the main
 * `coworker` entry never does.
 *
 * @module
 */
import { PGlite } from '@electric-sql/pglite';
import type { PGliteInterface, PGliteOptions } from '@electric-sql/pglite';
import { sqlAdapter } from './storage/postgres/adapter';
import type { SqlAdapterOptions } from './storage/postgres/adapter';
import { TYPE_PARSERS } from './storage/postgres/client';
import { pgliteClient } from './storage/postgres/pglite-driver';
import type { StorageAdapter } from './storage/types';

export { sqlAdapter } from './storage/postgres/adapter';
export type { SqlAdapterOptions } from './storage/postgres/adapter';
export { TYPE_PARSERS } from './storage/postgres/client';
export type { SqlClient, SqlResult, QueryFn, QueryOptions } from './storage/postgres/client';

/** Where PGlite keeps its data when the adapter creates the database. */
export interface PgliteSource extends PGliteOptions {
  /**
   * `undefined` or `memory://` for memory, a folder path in Node, `idb://<name>` for IndexedDB in the
   * browser. @default undefined (memory)
   */
  readonly dataDir?: string;
}

function isPglite(value: unknown): value is PGliteInterface {
  return typeof value === 'object' && value !== null && typeof (value as PGliteInterface).query === 'function'
    && typeof (value as PGliteInterface).transaction === 'function';
}

/**
 * A storage adapter over PGlite.
 *
 * @example
 * const storage = pgliteAdapter({ dataDir: 'idb://my-app' });   // or pgliteAdapter(existingPglite)
 * await storage.prepare([salesOrder, salesOrderItem]);
 * await storage.insert('Sales Order', order);
 *
 * @param db - a PGlite instance (the caller keeps owning it; create it with `parsers: TYPE_PARSERS` to save
 *   the per-statement cost of passing them), or options to create one (closed by `close()`)
 *   @default {} (a new in-memory database)
 * @param options - schema, name, capabilities; see {@link SqlAdapterOptions}
 * @returns the adapter; tables are created by `prepare`
 */
export function pgliteAdapter(db: PGliteInterface | PgliteSource = {}, options: SqlAdapterOptions = {}): StorageAdapter {
  // A database we create gets the adapter's type parsers up front (faster than passing them per query).
  const client = isPglite(db) ? pgliteClient(db, false) : pgliteClient(new PGlite({ ...db, parsers: { ...db.parsers, ...TYPE_PARSERS } }), true);
  return sqlAdapter(client, { name: 'pglite', ...options });
}
