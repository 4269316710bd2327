/**
 * The SQLite adapter for the seeds' layout: every document is one row of `doctypes(name TEXT PRIMARY KEY,
 * data TEXT)`, `data` being the whole document as JSON (its `doctype`, its columns, and each Table field
 * holding its rows). Runs on sql.js (SQLite compiled to WebAssembly), so the same code works in Node and in
 * browsers. See docs/storage-sqlite.md.
 *
 * Concurrency: sql.js is synchronous and has one connection. Every write runs synchronously inside a
 * SAVEPOINT while holding its session's lock (a promise mutex), so no other call can observe half of it.
 * A `transaction(fn)` holds the adapter's lock while `fn` awaits; reads made outside it meanwhile must not see
 * its uncommitted writes on the one shared connection, so each write inside a transaction first saves the
 * committed image of what it touches in a TEMP table, and outside reads use a view that puts those images
 * back. Nested transactions are SAVEPOINTs.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { NamingCounters } from '../../naming/counters';
import type { DocType } from '../../schema/types';
import { tableSchema } from '../columns';
import type { Column, TableSchema } from '../columns';
import { StorageError, badDocument, duplicateEntry, notFound, timestampMismatch } from '../errors';
import { createMutex } from '../mutex';
import { planProjection, planQuery, planWhere } from '../query';
import type { Projection } from '../query';
import { splitDocument } from '../rows';
import type {
  GetOptions, Query, Scalar, StepHook, StorageAdapter, StorageCapability, StorageSession, Where, WriteOp,
} from '../types';
import { SqliteDb } from './driver';
import type { SqlJsDatabase, SqlJsStatic } from './driver';
import { documentData, parseData, readDocument, readValue } from './json';
import { removeEntries, syncEntries } from './keys';
import { LOWER_FUNCTION, Params, orderSql, pageSql, valueSql } from './sql';
import { Reader, eqName } from './reader';
import {
  COMMITTED_DOCTYPES, DOCTYPES, SERIES, TX_DOCTYPES, TX_SERIES, chunks, ensureTables, inSavepoint, rollback, saved,
} from './state';
import type { Level, Shared } from './state';
import { Write, storedRowNames } from './write';
import { schemaOf, childSchemaOf, counterKey, counterValue, possibleName, withName } from '../shared';
import { planUpdateWhere, updateWhereByRewrite } from '../update-where';

/** Options of {@link sqliteAdapter}: pass `database`, or `sqlJs` (with optional `data`). */
export interface SqliteAdapterOptions {
  /** An open sql.js database to use. The adapter never closes it. @default undefined */
  readonly database?: SqlJsDatabase | undefined;
  /** The object `await initSqlJs()` resolved to, to open a new database (closed by `close()`). @default undefined */
  readonly sqlJs?: SqlJsStatic | undefined;
  /** With `sqlJs`: the bytes of a database file to open (e.g. read from disk or IndexedDB). @default undefined (empty) */
  readonly data?: ArrayLike<number> | undefined;
  /** DocTypes to prepare at once (as `prepare` would). @default [] */
  readonly doctypes?: readonly DocType[] | undefined;
  /**
   * Called with the database file's bytes after every committed write, transaction and counter change, in
   * commit order (e.g. write them to a file). The write is committed in memory before this runs; if it
   * throws, the call rejects with `STORAGE_FAILURE` saying so. @default undefined (no saving)
   */
  readonly save?: ((bytes: Uint8Array) => void | Promise<void>) | undefined;
  /** The adapter's `name`. @default 'sqlite' */
  readonly name?: string | undefined;
}

/** The SQLite adapter: a {@link StorageAdapter} plus access to the database file. */
export interface SqliteAdapter extends StorageAdapter {
  /** The sql.js database (for raw SQL; do not write to it while the adapter is in use). */
  readonly database: SqlJsDatabase;
  /**
   * The database file's bytes, once pending writes and transactions have finished (sql.js cannot export
   * during a transaction).
   * @returns a SQLite database file, loadable with `new SQL.Database(bytes)`
   */
  exportBytes(): Promise<Uint8Array>;
  withStepHook(hook: StepHook): SqliteAdapter;
  /** Wait for pending writes, then refuse further calls; closes the database only if the adapter opened it. */
  close(): Promise<void>;
}

const CAPABILITIES: ReadonlySet<StorageCapability> = new Set<StorageCapability>(['transactions', 'unique', 'savepoints', 'write_steps']);

/** Databases with a live adapter: two adapters on one connection would interleave their transactions. */
const inUse = new WeakSet<SqlJsDatabase>();

function createSession(shared: Shared, level: Level, hook: StepHook | undefined, isOpen: () => boolean): StorageSession {
  const check = (): void => {
    if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
    if (!isOpen()) throw new StorageError('STORAGE_FAILURE', 'this transaction has already finished; use the adapter (or the live transaction) instead');
  };
  /** Reads are synchronous; at the top level during a transaction they see only committed data. */
  const reading = <T>(body: (reader: Reader) => T): Promise<T> => {
    try {
      check();
      const table = level.depth === 0 && shared.inTransaction ? COMMITTED_DOCTYPES : DOCTYPES;
      return Promise.resolve(body(new Reader(shared, table)));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const write = <T>(op: WriteOp, doctype: string, name: string, body: (w: Write) => T): Promise<T> =>
    level.lock.run(async () => {
      check();
      const result = inSavepoint(shared, () => {
        const w = new Write(shared, level, hook, op, doctype, name);
        w.step('begin');
        const value = body(w);
        w.step('commit');
        return value;
      });
      await saved(shared, level);
      return result;
    });
  const full = (schema: TableSchema): Projection => planProjection(schema, undefined, true);

  const session: StorageSession = {
    get(doctype: string, name: string, options: GetOptions = {}) {
      return reading((reader) => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, options.fields, options.fields === undefined);
        if (!possibleName(name)) return undefined;
        return reader.read(schema, reader.select(schema, eqName(schema, name), () => 'LIMIT 1'), projection)[0];
      });
    },

    getMany(doctype: string, names: readonly string[], options: GetOptions = {}) {
      return reading((reader) => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, withName(options.fields), options.fields === undefined);
        const nameColumn = schema.byName.get('name') as Column;
        const out = new Map<string, DocData>();
        for (const chunk of chunks([...new Set(names.filter(possibleName))])) {
          const rows = reader.select(schema, { op: 'in', column: nameColumn, values: chunk, insensitive: false });
          for (const doc of reader.read(schema, rows, projection)) out.set(doc['name'] as string, doc);
        }
        return out as ReadonlyMap<string, DocData>;
      });
    },

    query(doctype: string, query: Query = {}) {
      return reading((reader) => {
        const schema = schemaOf(shared, doctype);
        const plan = planQuery(schema, query);
        const rows = reader.select(schema, plan.where, (column, p) => `${orderSql(plan.orderBy, column, p)} ${pageSql(plan.skip, plan.take, p)}`);
        return Object.freeze(reader.read(schema, rows, plan.projection));
      });
    },

    count(doctype: string, where?: Where) {
      return reading((reader) => {
        const schema = schemaOf(shared, doctype);
        return reader.count(schema, planWhere(schema, where));
      });
    },

    exists(doctype: string, name: string) {
      return reading((reader) => {
        const schema = schemaOf(shared, doctype);
        return possibleName(name) && reader.select(schema, eqName(schema, name), () => 'LIMIT 1').length > 0;
      });
    },

    async insert(doctype: string, doc: DocData) {
      check();
      const schema = schemaOf(shared, doctype);
      // Everything about the document itself is checked before the first step.
      const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
      const name = split.parent['name'] as string;
      const data = documentData(schema, split);
      await write('insert', doctype, name, (w) => {
        const taken = w.owner(name);
        if (taken) {
          if (taken.doctype === doctype) throw duplicateEntry(doctype, name);
          // One table for all DocTypes: a name is unique across them (docs/storage-sqlite.md).
          throw new StorageError('DUPLICATE_ENTRY', `${doctype} ${name} already exists: the name is taken by a ${taken.doctype} document (all DocTypes share the doctypes table)`, { doctype, name });
        }
        w.checkParentUnique(schema, split.parent);
        w.checkRows(schema, name, split);
        w.remember(name);
        shared.sql.run(`INSERT INTO ${DOCTYPES}(name, data) VALUES (?1, ?2)`, [name, JSON.stringify(data)]);
        w.index(schema, split);
        w.step('parent');
        for (const { childDoctype, row } of split.rows) w.rowStep(childDoctype, row['name'] as string, 'put');
      });
      return readDocument(schema, data, name, full(schema), childSchemaOf(shared, schema));
    },

    async update(doctype: string, doc: DocData, expectedModified: string | null) {
      check();
      const schema = schemaOf(shared, doctype);
      const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
      const name = split.parent['name'] as string;
      const data = documentData(schema, split);
      await write('update', doctype, name, (w) => {
        const stored = w.owner(name);
        if (!stored || stored.doctype !== doctype) throw notFound(doctype, name);
        const before = parseData(stored.data);
        // Frappe's check_if_latest: an empty stored `modified` never conflicts; otherwise string equality.
        const modifiedColumn = schema.byName.get('modified') as Column;
        const previous = (readValue(modifiedColumn, before['modified']) as string | null) ?? '';
        const next = (split.parent['modified'] as string | null) ?? '';
        if (previous !== '' && previous !== (expectedModified ?? '')) throw timestampMismatch(doctype, name, previous, next);
        w.checkParentUnique(schema, split.parent);
        w.checkRows(schema, name, split);
        w.remember(name);
        // The same check again in the statement itself, so the row written is the row that was checked.
        const p = new Params();
        const modified = valueSql('data', modifiedColumn, p);
        const changed = shared.sql.run(
          `UPDATE ${DOCTYPES} SET data = ${p.add(JSON.stringify(data))} WHERE name = ${p.add(name)} ` +
            `AND (COALESCE(${modified}, '') = '' OR ${modified} = ${p.add(expectedModified ?? '')})`,
          p.values,
        );
        if (changed !== 1) throw timestampMismatch(doctype, name, previous, next);
        removeEntries(shared.sql, doctype, name);
        w.index(schema, split);
        w.step('parent');
        const keep = new Set(split.rows.map((r) => `${r.childDoctype}\u0000${r.row['name'] as string}`));
        for (const old of storedRowNames(schema, before)) {
          if (!keep.has(`${old.childDoctype}\u0000${old.name}`)) w.rowStep(old.childDoctype, old.name, 'delete');
        }
        for (const { childDoctype, row } of split.rows) w.rowStep(childDoctype, row['name'] as string, 'put');
      });
      return readDocument(schema, data, name, full(schema), childSchemaOf(shared, schema));
    },

    async updateWhere(doctype: string, where: Where, values: Readonly<Record<string, Scalar | null>>) {
      check();
      // Checked first (an unknown column is refused, not dropped); then each document holding a matching row
      // (a child row's parent) is rewritten once, through `update`, in one transaction (a savepoint inside one).
      planUpdateWhere(schemaOf(shared, doctype), where, values);
      return updateWhereByRewrite(session, doctype, where, values);
    },

    async delete(doctype: string, name: string) {
      check();
      const schema = schemaOf(shared, doctype);
      if (schema.isChild) throw badDocument(doctype, 'is a child DocType: its rows are deleted through their parent document');
      await write('delete', doctype, String(name), (w) => {
        const stored = possibleName(name) ? w.owner(name) : undefined;
        if (!stored || stored.doctype !== doctype) throw notFound(doctype, String(name));
        w.remember(name);
        shared.sql.run(`DELETE FROM ${DOCTYPES} WHERE name = ?1`, [name]);
        removeEntries(shared.sql, doctype, name);
        w.step('parent');
        for (const old of storedRowNames(schema, parseData(stored.data))) w.rowStep(old.childDoctype, old.name, 'delete');
      });
    },

    transaction<T>(fn: (tx: StorageSession) => Promise<T>): Promise<T> {
      return level.lock.run(async () => {
        check();
        const sp = `coworker_tx_${++shared.savepoints}`;
        const top = level.depth === 0;
        if (top) {
          shared.sql.run(`DELETE FROM ${TX_DOCTYPES}`);
          shared.sql.run(`DELETE FROM ${TX_SERIES}`);
        }
        shared.sql.run(`SAVEPOINT ${sp}`);
        if (top) shared.inTransaction = true;
        let open = true;
        const finish = (): void => {
          // Whatever happened, the level is finished: later use of `tx` fails instead of writing nowhere.
          open = false;
          if (top) shared.inTransaction = false;
        };
        let result: T;
        try {
          const inner: Level = { depth: level.depth + 1, lock: createMutex() };
          result = await fn(createSession(shared, inner, hook, () => open && isOpen()));
          check();
          hook?.({ kind: 'commit', op: 'transaction' });
          if (top) {
            shared.sql.run(`DELETE FROM ${TX_DOCTYPES}`);
            shared.sql.run(`DELETE FROM ${TX_SERIES}`);
          }
          shared.sql.run(`RELEASE ${sp}`);
        } catch (error) {
          finish();
          rollback(shared, sp, error);
          throw error;
        }
        finish();
        await saved(shared, level);
        return result;
      });
    },

    counters: {
      next(key: string) {
        return level.lock.run(async () => {
          check();
          counterKey(key);
          const value = inSavepoint(shared, () => {
            rememberCounter(shared, level, key);
            const rows = shared.sql.all(
              `INSERT INTO ${SERIES}(name, "current") VALUES (?1, 1) ON CONFLICT(name) DO UPDATE SET "current" = COALESCE("current", 0) + 1 RETURNING "current"`,
              [key],
            );
            return Number(rows[0]?.[0]);
          });
          await saved(shared, level);
          return value;
        });
      },
      current(key: string) {
        return reading((reader) => reader.counter(counterKey(key)));
      },
      set(key: string, value: number) {
        return level.lock.run(async () => {
          check();
          const checked = counterValue(counterKey(key), value);
          inSavepoint(shared, () => {
            rememberCounter(shared, level, key);
            shared.sql.run(`INSERT INTO ${SERIES}(name, "current") VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET "current" = excluded."current"`, [key, checked]);
          });
          await saved(shared, level);
        });
      },
    } satisfies NamingCounters,
  };
  return session;
}

function rememberCounter(shared: Shared, level: Level, key: string): void {
  if (level.depth === 0) return;
  shared.sql.run(`INSERT OR IGNORE INTO ${TX_SERIES}(name, "current") VALUES (?1, (SELECT "current" FROM ${SERIES} WHERE name = ?1))`, [key]);
}

function isDoctype(value: unknown): value is DocType {
  return typeof value === 'object' && value !== null && typeof (value as DocType).name === 'string' && Array.isArray((value as DocType).fields);
}

function openDatabase(options: SqliteAdapterOptions): { db: SqlJsDatabase; owned: boolean } {
  if (options.database && options.sqlJs) {
    throw new StorageError('STORAGE_FAILURE', 'sqliteAdapter takes either database or sqlJs, not both');
  }
  if (options.database) return { db: options.database, owned: false };
  if (options.sqlJs) return { db: new options.sqlJs.Database(options.data ?? null), owned: true };
  throw new StorageError('STORAGE_FAILURE', 'sqliteAdapter needs an open sql.js database (database) or the sql.js module (sqlJs: await initSqlJs())');
}

/**
 * A storage adapter over SQLite (sql.js) in the seeds' layout `doctypes(name TEXT PRIMARY KEY, data TEXT)`.
 * A document's `name` is the row key and `data` holds the document as JSON, `doctype` included, child rows
 * embedded under their Table fields. Names are therefore unique across DocTypes (a clash is
 * `DUPLICATE_ENTRY`). Naming counters live in an added table `series(name TEXT PRIMARY KEY, current INTEGER)`.
 *
 * @example
 * import initSqlJs from 'sql.js';
 * const storage = sqliteAdapter({ sqlJs: await initSqlJs(), doctypes: [todo] });
 * await storage.insert('ToDo', { name: 'T-1', description: 'Write docs', modified: '2024-01-01 00:00:00.000000' });
 * const bytes = await storage.exportBytes(); // a SQLite file
 *
 * @param options - see {@link SqliteAdapterOptions}
 * @returns the adapter
 * @throws {StorageError} `STORAGE_FAILURE` when no database is given, the database already has a live
 *   adapter, or its `doctypes` table has another shape
 */
export function sqliteAdapter(options: SqliteAdapterOptions): SqliteAdapter {
  const { db, owned } = openDatabase(options);
  if (inUse.has(db)) throw new StorageError('STORAGE_FAILURE', 'this sql.js database already has a live sqliteAdapter; close it first');
  const sql = new SqliteDb(db);
  ensureTables(sql);
  try {
    // JavaScript's lower-casing for mode: 'insensitive' (SQLite's lower() only folds ASCII).
    db.create_function(LOWER_FUNCTION, (value) => (typeof value === 'string' ? value.toLowerCase() : value));
  } catch (error) {
    throw new StorageError('STORAGE_FAILURE', `could not register ${LOWER_FUNCTION} on the database`, { cause: error });
  }
  inUse.add(db);
  const shared: Shared = {
    name: options.name ?? 'sqlite', sql, schemas: new Map(), save: options.save, owned, inTransaction: false, savepoints: 0, closed: false,
  };
  const root: Level = { depth: 0, lock: createMutex() };

  const register = (doctypes: readonly DocType[]): void => {
    if (!Array.isArray(doctypes)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects an array of DocTypes');
    for (const doctype of doctypes) {
      if (!isDoctype(doctype)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects normalised DocTypes (from parseDoctype or a registry)');
    }
    // Nothing to migrate: rows are read through the current columns, so a changed DocType applies at once.
    for (const doctype of doctypes) shared.schemas.set(doctype.name, tableSchema(doctype));
    // The side tables follow the definitions (rebuilt for DocTypes whose keys changed), all or nothing.
    const parents = [...shared.schemas.values()].filter((schema) => !schema.isChild);
    inSavepoint(shared, () => syncEntries(sql, parents, (name) => shared.schemas.get(name)));
  };

  const build = (hook: StepHook | undefined): SqliteAdapter => ({
    ...createSession(shared, root, hook, () => true),
    name: shared.name,
    capabilities: CAPABILITIES,
    database: db,
    async prepare(doctypes: readonly DocType[]) {
      if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
      await root.lock.run(() => register(doctypes));
    },
    exportBytes() {
      return root.lock.run(() => {
        if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
        return db.export();
      });
    },
    withStepHook(next: StepHook) {
      return build(next);
    },
    close() {
      return root.lock.run(() => {
        if (shared.closed) return;
        shared.closed = true;
        inUse.delete(db);
        if (shared.owned) db.close();
      });
    },
  });
  register(options.doctypes ?? []);
  return build(undefined);
}
