/**
 * PostgreSQL storage: the shared SQL core and its drivers. The drivers import their database packages only
 * as types; the subpath entries `coworker/pglite` and `coworker/postgres` load them.
 *
 * @module
 */
export { sqlAdapter } from './adapter';
export type { SqlAdapterOptions } from './adapter';
export { TYPE_PARSERS, transactionClient } from './client';
export type { QueryFn, QueryOptions, SqlClient, SqlResult } from './client';
export { quoteIdent } from './ident';
