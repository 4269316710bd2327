/**
 * `coworker/postgres`: storage in a PostgreSQL server through node-postgres (`pg`, an optional peer
 * dependency loaded only by this entry).
 *
 * @module
 */
import pg from 'pg';
import type { Pool, PoolConfig } from 'pg';
import { sqlAdapter } from './storage/postgres/adapter';
import type { SqlAdapterOptions } from './storage/postgres/adapter';
import { pgClient } from './storage/postgres/pg-driver';
import type { StorageAdapter } from './storage/types';

export { sqlAdapter } from './storage/postgres/adapter';
export type { SqlAdapterOptions } from './storage/postgres/adapter';
export type { SqlClient, SqlResult, QueryFn, QueryOptions } from './storage/postgres/client';

function isPool(value: unknown): value is Pool {
  return typeof value === 'object' && value !== null && typeof (value as Pool).connect === 'function' && typeof (value as Pool).query === 'function';
}

/**
 * A storage adapter over a PostgreSQL server.
 *
 * @example
 * const storage = postgresAdapter('postgres://app@localhost/erp', { schema: 'coworker' });
 * await storage.prepare([salesOrder, salesOrderItem]);
 * // ...
 * await storage.close();   // ends the pool it created
 *
 * @param pool - a `pg.Pool` (the caller keeps owning it), a connection string or a pool config (the
 *   adapter creates the pool and `close()` ends it)
 * @param options - schema, name, capabilities; see {@link SqlAdapterOptions}
 * @returns the adapter; tables are created by `prepare`
 */
export function postgresAdapter(pool: Pool | string | PoolConfig, options: SqlAdapterOptions = {}): StorageAdapter {
  // Duck-typed, not instanceof: the caller's `pg` may be another copy of the package.
  if (isPool(pool)) return sqlAdapter(pgClient(pool, false), options);
  const config: PoolConfig = typeof pool === 'string' ? { connectionString: pool } : pool;
  return sqlAdapter(pgClient(new pg.Pool(config), true), options);
}
