/**
 * The state an adapter shares with its sessions (step-hook views, transactions), and small helpers every
 * part of the adapter uses.
 *
 * @module
 */
import type { TableSchema } from '../columns';
import type { Mutex } from '../mutex';
import type { SqlClient } from './client';
import { qualified } from './ddl';
import type { ConstraintInfo } from './errors';
import { tableName } from './ident';

/** State shared by an adapter, its step-hook views and its transactions. */
export interface Shared {
  readonly name: string;
  readonly schema: string;
  readonly client: SqlClient;
  readonly schemas: Map<string, TableSchema>;
  readonly constraints: Map<string, ConstraintInfo>;
  /** A collation whose lower() folds all of Unicode, detected once. */
  lowerCollation: string | undefined;
  /** Schema and series table created, collation detected (once, on first use). */
  ready: Promise<void> | undefined;
  readonly prepareLock: Mutex;
  /** DocTypes whose tables match their current schema (committed). */
  readonly synced: Set<string>;
  /** Serialises table syncs outside transactions. */
  readonly syncLock: Mutex;
  readonly migrateAtPrepare: boolean;
  closed: boolean;
}

/** Where a session runs its statements, and whether it is still usable. */
export interface SessionContext {
  readonly db: SqlClient;
  readonly isOpen: () => boolean;
  /**
   * Serialises the session's writes and transactions in call order (docs/storage.md: a write made while a
   * transaction is open waits for it). Inside a transaction it also keeps savepoints on its one connection
   * properly nested.
   */
  readonly lock: Mutex;
  /**
   * Inside a transaction: DocTypes whose tables this transaction created or migrated. They count as synced
   * for this transaction (and its nested ones) and become committed knowledge only when it commits: a
   * rollback undoes the DDL too. Undefined for the adapter itself.
   */
  readonly synced: Set<string> | undefined;
  readonly parent: SessionContext | undefined;
  /**
   * Inside a transaction opened with `abortOnError`: a write runs its statements directly on the transaction,
   * without a savepoint of its own (the caller rolls the whole transaction back when a write fails).
   */
  readonly abortOnError: boolean;
}

/** The qualified, quoted table of a DocType in the adapter's schema. */
export function tableOf(shared: Shared, doctype: string): string {
  return qualified(shared.schema, tableName(doctype));
}

/** Freeze a value and everything in it (documents returned to callers). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
