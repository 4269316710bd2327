/**
 * The PostgreSQL storage adapter, shared by PGlite and node-postgres through {@link SqlClient}.
 *
 * - Layout: Frappe's (`ddl.ts`); values typed per `frappe/database/schema.py`, `frappe/database/postgres/database.py` (`columns.ts`).
 * - Sessions (reads, writes, transactions, counters): `session.ts`; a document write's statements: `write.ts`;
 *   reads with child rows: `read.ts`.
 * - Errors: by SQLSTATE and constraint name (`errors.ts`).
 *
 * @module
 */
import type { DocType } from '../../schema/types';
import { tableSchema } from '../columns';
import type { TableSchema } from '../columns';
import { StorageError } from '../errors';
import { createMutex } from '../mutex';
import type { StepHook, StorageAdapter, StorageCapability } from '../types';
import type { SqlClient } from './client';
import { constraintsOf, syncTables } from './ddl';
import { translateError } from './errors';
import { createSession, init } from './session';
import type { SessionContext, Shared } from './state';

/** Options shared by `pgliteAdapter` and `postgresAdapter`. */
export interface SqlAdapterOptions {
  /**
   * The PostgreSQL schema holding the tables (created when missing). One database can host several
   * independent coworker stores, one per schema. @default 'public'
   */
  readonly schema?: string;
  /** The adapter's `name`. @default the driver's name ('pglite' or 'postgres') */
  readonly name?: string;
  /**
   * Optional features to announce. @default ['transactions', 'unique', 'savepoints', 'write_steps']
   * (a single-connection database such as PGlite cannot let reads outside an open transaction run; see
   * docs/storage-postgres.md)
   */
  readonly capabilities?: Iterable<StorageCapability>;
  /**
   * When tables are created or migrated. `'on-first-use'`: `prepare` only records the DocTypes, and the first
   * statement touching a DocType (or its child tables) first brings those tables up to date, all in one batch;
   * an app with hundreds of DocTypes then pays only for the ones it uses. `'at-prepare'`: `prepare` migrates
   * every table it is given, in one batch and one transaction, so a migration error surfaces there.
   * @default 'on-first-use'
   */
  readonly migrate?: 'on-first-use' | 'at-prepare';
}

const DEFAULT_CAPABILITIES: readonly StorageCapability[] = ['transactions', 'unique', 'savepoints', 'write_steps'];

function isDoctype(value: unknown): value is DocType {
  return typeof value === 'object' && value !== null && typeof (value as DocType).name === 'string' && Array.isArray((value as DocType).fields);
}

/**
 * Build a storage adapter over any {@link SqlClient}. `pgliteAdapter` and `postgresAdapter` are this plus a
 * driver; use it directly to plug in another PostgreSQL client.
 *
 * @example
 * const storage = sqlAdapter(myClient, { schema: 'coworker', name: 'pg' });
 * await storage.prepare([salesOrder, salesOrderItem]);
 *
 * @param client - the database
 * @param options - see {@link SqlAdapterOptions}
 * @returns the adapter (tables are created by `prepare`; nothing is sent before the first call)
 */
export function sqlAdapter(client: SqlClient, options: SqlAdapterOptions = {}): StorageAdapter {
  const shared: Shared = {
    name: options.name ?? 'postgres',
    schema: options.schema ?? 'public',
    client,
    schemas: new Map(),
    constraints: new Map(),
    lowerCollation: undefined,
    ready: undefined,
    prepareLock: createMutex(),
    synced: new Set(),
    syncLock: createMutex(),
    migrateAtPrepare: options.migrate === 'at-prepare',
    closed: false,
  };
  const capabilities: ReadonlySet<StorageCapability> = new Set(options.capabilities ?? DEFAULT_CAPABILITIES);
  // One lock for the adapter and its step-hook views: they are one session over the same data.
  const root: SessionContext = { db: client, isOpen: () => true, lock: createMutex(), synced: undefined, parent: undefined, abortOnError: false };

  const build = (hook: StepHook | undefined): StorageAdapter => ({
    ...createSession(shared, root, hook),
    name: shared.name,
    capabilities,
    prepare(doctypes: readonly DocType[]) {
      return shared.prepareLock.run(async () => {
        if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
        if (!Array.isArray(doctypes)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects an array of DocTypes');
        const tables: TableSchema[] = [];
        for (const doctype of doctypes) {
          if (!isDoctype(doctype)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects normalised DocTypes (from parseDoctype or a registry)');
          tables.push(tableSchema(doctype));
        }
        await (shared.ready ??= init(shared));
        // The last of a DocType given twice wins, as a second prepare call would.
        const byDoctype = [...new Map(tables.map((t) => [t.doctype, t])).values()];
        if (shared.migrateAtPrepare) {
          try {
            // All tables in one transaction: a failed migration leaves every table as it was.
            await shared.syncLock.run(() => client.transaction((tx) => syncTables(tx, shared.schema, byDoctype)));
          } catch (error) {
            throw translateError(error, shared.constraints, `${shared.name}: prepare`);
          }
        }
        for (const table of byDoctype) {
          const before = shared.schemas.get(table.doctype);
          if (before) for (const name of constraintsOf(before).keys()) shared.constraints.delete(name);
          shared.schemas.set(table.doctype, table);
          for (const [name, info] of constraintsOf(table)) shared.constraints.set(name, info);
          // Migrated now, or on the next statement that touches it (again, when its DocType changed).
          if (shared.migrateAtPrepare) shared.synced.add(table.doctype);
          else if (before !== table) shared.synced.delete(table.doctype);
        }
      });
    },
    withStepHook(next: StepHook) {
      return build(next);
    },
    async close() {
      if (shared.closed) return;
      shared.closed = true;
      await client.close?.();
    },
  });
  return build(undefined);
}
