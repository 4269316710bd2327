/**
 * The PostgreSQL storage adapter core, shared by PGlite and node-postgres through {@link SqlClient}.
 *
 * - Layout: Frappe's (`ddl.ts`); values typed per `frappe/database/schema.py`, `frappe/database/postgres/database.py` (`columns.ts`).
 * - Reads: `planQuery` → parameterised SQL (`where.ts`); child rows loaded per Table field with one
 *   `parent = ANY($n)` query, ordered by `idx`, `name`.
 * - Writes: one database transaction per document (a savepoint inside a caller's transaction). `update`
 *   locks the stored row (`SELECT … FOR UPDATE`, as Frappe's `check_if_latest` does) and compares its
 *   `modified` as a string, so of two concurrent writers holding the same `modified` exactly one wins and the
 *   other gets `TIMESTAMP_MISMATCH`. Each step (`begin`, `parent`, one per row, `commit`) is reported to a
 *   step hook between statements; a hook that throws rolls the transaction back.
 * - Errors: by SQLSTATE and constraint name (`errors.ts`).
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { NamingCounters } from '../../naming/counters';
import type { DocType } from '../../schema/types';
import { tableSchema } from '../columns';
import type { ChildTable, Column, TableSchema } from '../columns';
import { StorageError, badDocument, notFound, timestampMismatch, duplicateEntry } from '../errors';
import { createMutex } from '../mutex';
import type { Mutex } from '../mutex';
import { planProjection, planQuery, planWhere } from '../query';
import type { Projection } from '../query';
import { splitDocument } from '../rows';
import { planUpdateWhere, updateWhereByRewrite } from '../update-where';
import type { StoredRow } from '../rows';
import type {
  GetOptions, Query, RowValues, Scalar, StepHook, StorageAdapter, StorageCapability, StorageSession, Where, WriteOp, WriteStep,
} from '../types';
import type { SqlClient } from './client';
import { encodeValue, sqlType } from './columns';
import { SERIES_TABLE, constraintsOf, ensureBase, qualified, syncTables } from './ddl';
import type { ConstraintInfo, WriteContext } from './errors';
import { translateError } from './errors';
import { quoteIdent, tableName } from './ident';
import { Params, compileOrderBy, compileWhere } from './where';
import { schemaOf, childSchemaOf, storedModified, counterKey, counterValue, possibleName, withName } from '../shared';
import { planValues } from '../set-values';
import { bulkUpdateSql } from './bulk';
import { countSingle, querySingle } from '../singles';
import { singleOps } from './singles';

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

/** State shared by an adapter, its step-hook views and its transactions. */
interface Shared {
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

/** A row ready to write: the values to bind (in column order) and the row as it will read back. */
interface EncodedRow {
  readonly doctype: string;
  readonly name: string;
  readonly params: readonly unknown[];
  readonly stored: StoredRow;
}

function encodeRow(schema: TableSchema, row: StoredRow, path: readonly (string | number)[]): EncodedRow {
  const name = row['name'] as string;
  const params: unknown[] = [];
  const stored: Record<string, unknown> = {};
  for (const column of schema.columns) {
    const value = row[column.fieldname];
    const encoded = encodeValue(schema.doctype, column, value, { name, path });
    params.push(encoded);
    // JSON reads back as the (already frozen) value; everything else as the canonical form bound.
    stored[column.fieldname] = column.kind === 'json' ? value : encoded;
  }
  return { doctype: schema.doctype, name, params, stored: Object.freeze(stored) };
}

function placeholders(schema: TableSchema, start: number): string {
  return schema.columns.map((c, i) => (sqlType(c) === 'json' ? `CAST($${start + i}::text AS json)` : `$${start + i}`)).join(', ');
}

function columnList(columns: readonly Column[]): string {
  return columns.map((c) => quoteIdent(c.fieldname)).join(', ');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** One write's statements and steps, on its own transaction (or savepoint). */
class Write {
  private rowSteps = 0;

  constructor(
    private readonly shared: Shared,
    readonly db: SqlClient,
    private readonly hook: StepHook | undefined,
    private readonly op: WriteOp,
    private readonly doctype: string,
    private readonly name: string,
  ) {}

  step(kind: 'begin' | 'parent' | 'commit'): void {
    this.hook?.({ kind, op: this.op, doctype: this.doctype, name: this.name });
  }

  rowStep(childDoctype: string, row: string, action: 'put' | 'delete'): void {
    const step: WriteStep = { kind: 'row', op: this.op, doctype: this.doctype, name: this.name, childDoctype, row, action, index: this.rowSteps++ };
    this.hook?.(step);
  }

  /** Run a statement, translating a driver error into the storage error for `context`. */
  async run<R = Record<string, unknown>>(text: string, params: readonly unknown[], context: WriteContext): Promise<{ rows: readonly R[]; rowCount: number }> {
    try {
      return await this.db.query<R>(text, params);
    } catch (error) {
      throw translateError(error, this.shared.constraints, context);
    }
  }

  insertRow(schema: TableSchema, row: EncodedRow): Promise<unknown> {
    const sql = `INSERT INTO ${qualified(this.shared.schema, tableName(schema.doctype))} (${columnList(schema.columns)}) VALUES (${placeholders(schema, 1)})`;
    return this.run(sql, row.params, { doctype: row.doctype, name: row.name, row: row.stored });
  }
}

/** Where a session runs its statements, and whether it is still usable. */
interface SessionContext {
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
}

function createSession(shared: Shared, ctx: SessionContext, hook: StepHook | undefined): StorageSession {
  const check = (): void => {
    if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
    if (!ctx.isOpen()) throw new StorageError('STORAGE_FAILURE', 'this transaction has already finished; use the adapter (or the live transaction) instead');
  };
  const ready = (): Promise<void> => (shared.ready ??= init(shared));
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => ctx.lock.run(task);

  const isSynced = (doctype: string): boolean => {
    if (shared.synced.has(doctype)) return true;
    for (let c: SessionContext | undefined = ctx; c; c = c.parent) if (c.synced?.has(doctype)) return true;
    return false;
  };
  /** Bring the tables of a DocType and its child DocTypes up to date before the first statement on them. */
  const ensure = async (doctype: string): Promise<void> => {
    const schema = schemaOf(shared, doctype);
    const names = [doctype, ...schema.tables.map((t) => t.childDoctype).filter((d) => shared.schemas.has(d))];
    if (names.every(isSynced)) return;
    try {
      // With many sessions, tables are made on a connection of their own and committed at once, even from
      // inside a transaction: DDL in the caller's transaction would hold its locks (and the migration lock)
      // until it ends, and every other session needing a table would wait for it.
      if (ctx.synced === undefined || shared.client.singleSession !== true) {
        await shared.syncLock.run(async () => {
          const missing = [...new Set(names.filter((n) => !shared.synced.has(n)))];
          if (missing.length === 0) return;
          await shared.client.transaction((tx) => syncTables(tx, shared.schema, missing.map((n) => schemaOf(shared, n))));
          for (const n of missing) shared.synced.add(n);
        });
      } else {
        // On the transaction's own connection (PGlite has only one); undone with it if it rolls back.
        const missing = [...new Set(names.filter((n) => !isSynced(n)))];
        await syncTables(ctx.db, shared.schema, missing.map((n) => schemaOf(shared, n)));
        for (const n of missing) ctx.synced.add(n);
      }
    } catch (error) {
      throw translateError(error, shared.constraints, `${shared.name}: creating or migrating the tables of ${doctype}`);
    }
  };

  /** A read: validated, then one or more statements; driver errors become STORAGE_FAILURE. */
  const reading = async <T>(what: string, doctype: string | undefined, body: () => Promise<T>): Promise<T> => {
    check();
    await ready();
    if (doctype !== undefined) await ensure(doctype);
    try {
      return await body();
    } catch (error) {
      throw translateError(error, shared.constraints, what);
    }
  };

  /** A write in its own transaction (or savepoint): all steps or nothing. */
  const write = <T>(op: WriteOp, doctype: string, name: string, body: (w: Write) => Promise<T>): Promise<T> =>
    exclusive(async () => {
      check();
      await ready();
      await ensure(doctype);
      const run = (db: SqlClient) => async (): Promise<T> => {
        const w = new Write(shared, db, hook, op, doctype, name);
        w.step('begin');
        const result = await body(w);
        w.step('commit');
        return result;
      };
      try {
        return await ctx.db.transaction((db) => run(db)());
      } catch (error) {
        throw translateError(error, shared.constraints, `${op} ${doctype} ${name}`);
      }
    });

  const table = (doctype: string): string => qualified(shared.schema, tableName(doctype));

  /** Load the rows of `tables` for the given parents, grouped by parent name then Table field. */
  const loadChildren = async (schema: TableSchema, tables: readonly ChildTable[], parents: readonly string[]): Promise<Map<string, Record<string, DocData[]>>> => {
    const out = new Map<string, Record<string, DocData[]>>(parents.map((p) => [p, Object.fromEntries(tables.map((t) => [t.fieldname, []]))]));
    if (parents.length === 0) return out;
    for (const t of tables) {
      const child = schemaOf(shared, t.childDoctype);
      const rows = await ctx.db.query<Record<string, unknown>>(
        `SELECT ${columnList(child.columns)} FROM ${table(child.doctype)} WHERE parenttype = $1 AND parentfield = $2 AND parent = ANY($3::text[]) ORDER BY idx ASC NULLS FIRST, name ASC`,
        [schema.doctype, t.fieldname, parents],
      );
      for (const row of rows.rows) out.get(row['parent'] as string)?.[t.fieldname]?.push(readRow(child, row, undefined));
    }
    return out;
  };

  const readRow = (schema: TableSchema, row: Record<string, unknown>, projection: Projection | undefined): DocData => {
    const columns = projection ? projection.columns : schema.columns;
    const out: Record<string, unknown> = projection && !projection.withDoctype ? {} : { doctype: schema.doctype };
    for (const column of columns) out[column.fieldname] = row[column.fieldname] ?? null;
    return out;
  };

  /** Select rows with a projection, attaching their Table fields. */
  const select = async (schema: TableSchema, projection: Projection, tail: string, params: readonly unknown[]): Promise<readonly DocData[]> => {
    const columns = projection.columns.some((c) => c.fieldname === 'name') ? projection.columns : [...projection.columns, schema.byName.get('name') as Column];
    const result = await ctx.db.query<Record<string, unknown>>(`SELECT ${columnList(columns)} FROM ${table(schema.doctype)} ${tail}`, params);
    const children = projection.tables.length
      ? await loadChildren(schema, projection.tables, result.rows.map((r) => r['name'] as string))
      : undefined;
    return deepFreeze(result.rows.map((row) => {
      const doc = readRow(schema, row, projection) as Record<string, unknown>;
      const tables = children?.get(row['name'] as string);
      for (const t of projection.tables) doc[t.fieldname] = tables?.[t.fieldname] ?? [];
      return doc;
    }));
  };

  /** The document as a write leaves it (what `get` returns afterwards). */
  const written = (schema: TableSchema, parent: EncodedRow, rows: readonly EncodedRow[]): DocData => {
    const doc: Record<string, unknown> = { doctype: schema.doctype, ...parent.stored };
    for (const t of schema.tables) {
      const own = rows.filter((r) => r.doctype === t.childDoctype && r.stored['parentfield'] === t.fieldname);
      own.sort((a, b) => (a.stored['idx'] as number) - (b.stored['idx'] as number) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      doc[t.fieldname] = own.map((r) => ({ doctype: r.doctype, ...r.stored }));
    }
    return deepFreeze(doc);
  };

  const encodeDocument = (schema: TableSchema, doc: DocData): { parent: EncodedRow; rows: EncodedRow[] } => {
    const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
    const parent = encodeRow(schema, split.parent, []);
    // Paths for row errors: the Table field and the row's position in it.
    const positions = new Map<string, number>();
    const rows = split.rows.map(({ childDoctype, row }) => {
      const field = row['parentfield'] as string;
      const i = positions.get(field) ?? 0;
      positions.set(field, i + 1);
      return encodeRow(schemaOf(shared, childDoctype), row, [field, i]);
    });
    return { parent, rows };
  };

  const putRows = async (w: Write, rows: readonly EncodedRow[], upsert: boolean): Promise<void> => {
    for (const row of rows) {
      const child = schemaOf(shared, row.doctype);
      if (!upsert) await w.insertRow(child, row);
      else {
        // A row name is the child table's primary key: it may be reused only by the same document.
        const t = table(child.doctype);
        const sets = child.columns.filter((c) => c.fieldname !== 'name').map((c) => `${quoteIdent(c.fieldname)} = EXCLUDED.${quoteIdent(c.fieldname)}`);
        const result = await w.run(
          `INSERT INTO ${t} AS cur (${columnList(child.columns)}) VALUES (${placeholders(child, 1)}) ON CONFLICT (name) DO UPDATE SET ${sets.join(', ')} ` +
            'WHERE cur.parent = EXCLUDED.parent AND cur.parenttype = EXCLUDED.parenttype',
          row.params,
          { doctype: row.doctype, name: row.name, row: row.stored },
        );
        if (result.rowCount === 0) throw duplicateEntry(row.doctype, row.name);
      }
      w.rowStep(row.doctype, row.name, 'put');
    }
  };

  /** Delete a document's child rows except `keep` (row names per child DocType), one step per row. */
  const removeRows = async (w: Write, schema: TableSchema, name: string, keep: ReadonlyMap<string, readonly string[]>): Promise<void> => {
    for (const childDoctype of new Set(schema.tables.map((t) => t.childDoctype))) {
      const result = await w.run<{ name: string }>(
        `DELETE FROM ${table(childDoctype)} WHERE parenttype = $1 AND parent = $2 AND NOT (name = ANY($3::text[])) RETURNING name`,
        [schema.doctype, name, keep.get(childDoctype) ?? []],
        { doctype: childDoctype, name },
      );
      for (const row of result.rows) w.rowStep(childDoctype, row.name, 'delete');
    }
  };

  const counterWrite = (key: string, sql: string, params: readonly unknown[]): Promise<number> =>
    exclusive(async () => {
      check();
      await ready();
      try {
        const result = await ctx.db.query<{ current: number }>(sql, params);
        return result.rows[0]?.current ?? 0;
      } catch (error) {
        throw translateError(error, shared.constraints, `naming counter ${JSON.stringify(key)}`);
      }
    });

  const series = qualified(shared.schema, SERIES_TABLE);
  const singles = singleOps({ schema: shared.schema, loadChildren });
  /** A Single's stored document, whole (for queries on it), or undefined when never saved. */
  const wholeSingle = (schema: TableSchema): Promise<DocData | undefined> => singles.read(ctx.db, schema, planProjection(schema, undefined, true));

  const session: StorageSession = {
    get(doctype: string, name: string, options: GetOptions = {}) {
      return reading(`get ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, options.fields, options.fields === undefined);
        if (!possibleName(name)) return undefined;
        if (schema.isSingle === true) return name === doctype ? deepFreeze(await singles.read(ctx.db, schema, projection)) : undefined;
        const found = await select(schema, projection, 'WHERE name = $1', [name]);
        return found[0];
      });
    },

    getMany(doctype: string, names: readonly string[], options: GetOptions = {}) {
      return reading(`get ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, withName(options.fields), options.fields === undefined);
        const wanted = [...new Set(names.filter(possibleName))];
        const out = new Map<string, DocData>();
        if (schema.isSingle === true) {
          const doc = wanted.includes(doctype) ? await singles.read(ctx.db, schema, projection) : undefined;
          if (doc) out.set(doctype, deepFreeze(doc));
          return out as ReadonlyMap<string, DocData>;
        }
        // One statement per 1,000 names (one in practice: a document links to few documents of one DocType).
        for (let i = 0; i < wanted.length; i += 1000) {
          for (const doc of await select(schema, projection, 'WHERE name = ANY($1::text[])', [wanted.slice(i, i + 1000)])) out.set(doc['name'] as string, doc);
        }
        return out as ReadonlyMap<string, DocData>;
      });
    },

    query(doctype: string, query: Query = {}) {
      return reading(`query ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (schema.isSingle === true) return deepFreeze(querySingle(schema, await wholeSingle(schema), query));
        const plan = planQuery(schema, query);
        const params = new Params();
        const where = compileWhere(plan.where, params, { lowerCollation: shared.lowerCollation });
        let tail = `WHERE ${where} ORDER BY ${compileOrderBy(plan.orderBy)}`;
        if (plan.take !== undefined) tail += ` LIMIT ${params.add(plan.take)}`;
        if (plan.skip > 0) tail += ` OFFSET ${params.add(plan.skip)}`;
        return Object.freeze([...(await select(schema, plan.projection, tail, params.values))]);
      });
    },

    count(doctype: string, where?: Where) {
      return reading(`count ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (schema.isSingle === true) return countSingle(schema, await wholeSingle(schema), where);
        const params = new Params();
        const sql = compileWhere(planWhere(schema, where), params, { lowerCollation: shared.lowerCollation });
        const result = await ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table(doctype)} WHERE ${sql}`, params.values);
        return result.rows[0]?.n ?? 0;
      });
    },

    exists(doctype: string, name: string) {
      return reading(`exists ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (!possibleName(name)) return false;
        if (schema.isSingle === true) return name === doctype && singles.stored(ctx.db, schema);
        const result = await ctx.db.query(`SELECT 1 FROM ${table(doctype)} WHERE name = $1`, [name]);
        return result.rows.length > 0;
      });
    },

    async insert(doctype: string, doc: DocData) {
      check();
      const schema = schemaOf(shared, doctype);
      // Everything about the document itself is checked before the first statement.
      const { parent, rows } = encodeDocument(schema, doc);
      await write('insert', doctype, parent.name, async (w) => {
        if (schema.isSingle === true) await singles.insert(w.db, schema, parent.stored);
        else await w.insertRow(schema, parent);
        w.step('parent');
        await putRows(w, rows, false);
      });
      return written(schema, parent, rows);
    },

    async update(doctype: string, doc: DocData, expectedModified: string | null) {
      check();
      const schema = schemaOf(shared, doctype);
      const { parent, rows } = encodeDocument(schema, doc);
      const name = parent.name;
      await write('update', doctype, name, async (w) => {
        if (schema.isSingle === true) {
          await singles.update(w.db, schema, parent.stored, expectedModified);
          w.step('parent');
          const kept = new Map<string, string[]>();
          for (const row of rows) kept.set(row.doctype, [...(kept.get(row.doctype) ?? []), row.name]);
          await removeRows(w, schema, name, kept);
          await putRows(w, rows, true);
          return;
        }
        // Lock the row first: a concurrent writer waits here, then sees the committed `modified`.
        const current = await w.run<{ modified: string | null }>(`SELECT modified FROM ${table(doctype)} WHERE name = $1 FOR UPDATE`, [name], { doctype, name });
        const stored = current.rows[0];
        if (!stored) throw notFound(doctype, name);
        // Frappe's check_if_latest: an empty stored `modified` never conflicts; otherwise string equality.
        const previous = storedModified(stored.modified);
        if (previous !== '' && previous !== (expectedModified ?? '')) {
          throw timestampMismatch(doctype, name, previous, storedModified(parent.stored['modified']));
        }
        const others = schema.columns.filter((c) => c.fieldname !== 'name');
        const sets = others.map((c) => `${quoteIdent(c.fieldname)} = ${sqlType(c) === 'json' ? `CAST($${schema.columns.indexOf(c) + 1}::text AS json)` : `$${schema.columns.indexOf(c) + 1}`}`);
        await w.run(`UPDATE ${table(doctype)} SET ${sets.join(', ')} WHERE name = $${schema.columns.indexOf(schema.byName.get('name') as Column) + 1}`, parent.params, {
          doctype, name, row: parent.stored,
        });
        w.step('parent');
        const keep = new Map<string, string[]>();
        for (const row of rows) keep.set(row.doctype, [...(keep.get(row.doctype) ?? []), row.name]);
        await removeRows(w, schema, name, keep);
        await putRows(w, rows, true);
      });
      return written(schema, parent, rows);
    },

    async updateWhere(doctype: string, where: Where, values: Readonly<Record<string, unknown>>) {
      check();
      const schema = schemaOf(shared, doctype);
      // A Single's values are rows of "tabSingles", not a table of its own: rewrite its one document.
      if (schema.isSingle === true) return updateWhereByRewrite(session, doctype, where, values as Readonly<Record<string, Scalar | null>>);
      const { columns, condition } = planUpdateWhere(schema, where, values);
      const row: Record<string, unknown> = {};
      const params = new Params();
      const sets = columns.map((c) => {
        const value = encodeValue(doctype, c, values[c.fieldname], { path: [] });
        row[c.fieldname] = value;
        const p = params.add(value);
        return `${quoteIdent(c.fieldname)} = ${sqlType(c) === 'json' ? `CAST(${p}::text AS json)` : p}`;
      });
      const sql = compileWhere(condition, params, { lowerCollation: shared.lowerCollation });
      // One statement in its own savepoint: a unique clash on any row leaves every row as it was.
      return write('update', doctype, '', async (w) => {
        const result = await w.run(`UPDATE ${table(doctype)} SET ${sets.join(', ')} WHERE ${sql}`, params.values, { doctype, name: '', row });
        return result.rowCount;
      });
    },

    async setValues(doctype: string, rows: readonly RowValues[]) {
      check();
      const schema = schemaOf(shared, doctype);
      const planned = planValues(schema, rows).filter((p) => possibleName(p.name));
      if (planned.length === 0) return 0;
      // One UPDATE ... FROM unnest(...) per set of columns (a tree's renumbering: one), in chunks.
      const groups = new Map<string, { columns: readonly Column[]; rows: { name: string; values: unknown[] }[] }>();
      for (const p of planned) {
        const key = p.columns.map((c) => c.fieldname).join('\u0000');
        const group = groups.get(key) ?? { columns: p.columns, rows: [] };
        group.rows.push({ name: p.name, values: p.columns.map((c, i) => encodeValue(doctype, c, p.values[i], { name: p.name, path: [] })) });
        groups.set(key, group);
      }
      return write('update', doctype, planned[0]!.name, async (w) => {
        let changed = 0;
        for (const { columns, rows: list } of groups.values()) {
          if (columns.length === 0) continue;
          const sql = bulkUpdateSql(table(doctype), columns);
          for (let at = 0; at < list.length; at += 5000) {
            const chunk = list.slice(at, at + 5000);
            const params = [chunk.map((r) => r.name), ...columns.map((_, i) => chunk.map((r) => r.values[i]))];
            changed += (await w.run(sql, params, { doctype, name: chunk[0]!.name })).rowCount;
          }
        }
        w.step('parent');
        return changed;
      });
    },

    async delete(doctype: string, name: string) {
      check();
      const schema = schemaOf(shared, doctype);
      if (schema.isChild) throw badDocument(doctype, 'is a child DocType: its rows are deleted through their parent document');
      await write('delete', doctype, String(name), async (w) => {
        if (!possibleName(name) || (schema.isSingle === true && name !== doctype)) throw notFound(doctype, String(name));
        if (schema.isSingle === true) await singles.remove(w.db, schema);
        else {
          const result = await w.run(`DELETE FROM ${table(doctype)} WHERE name = $1`, [name], { doctype, name });
          if (result.rowCount === 0) throw notFound(doctype, name);
        }
        w.step('parent');
        await removeRows(w, schema, name, new Map());
      });
    },

    transaction<T>(fn: (tx: StorageSession) => Promise<T>): Promise<T> {
      return exclusive(async () => {
        check();
        await ready();
        let open = true;
        try {
          const synced = new Set<string>();
          const result = await ctx.db.transaction(async (db) => {
            const tx = createSession(shared, { db, isOpen: () => open && ctx.isOpen(), lock: createMutex(), synced, parent: ctx }, hook);
            const value = await fn(tx);
            check();
            hook?.({ kind: 'commit', op: 'transaction' });
            return value;
          });
          // Committed (or released into the outer transaction): the tables it created now count there.
          for (const doctype of synced) (ctx.synced ?? shared.synced).add(doctype);
          return result;
        } catch (error) {
          // The caller's own errors come back unchanged; a failing COMMIT becomes a StorageError.
          throw translateError(error, shared.constraints, 'transaction');
        } finally {
          // Whatever happened, the transaction is over: later use of `tx` fails instead of running outside it.
          open = false;
        }
      });
    },

    counters: {
      async next(key: string) {
        return counterWrite(
          key,
          `INSERT INTO ${series} AS s (name, current) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET current = s.current + 1 RETURNING current`,
          [counterKey(key)],
        );
      },
      current(key: string) {
        return reading(`naming counter ${JSON.stringify(key)}`, undefined, async () => {
          const result = await ctx.db.query<{ current: number }>(`SELECT current FROM ${series} WHERE name = $1`, [counterKey(key)]);
          return result.rows[0]?.current ?? 0;
        });
      },
      async revert(key: string, expected: number) {
        // Compare and step back in one statement: the row lock orders it against every concurrent `next`.
        const sql = `UPDATE ${series} SET current = current - 1 WHERE name = $1 AND current = $2 AND current > 0 RETURNING 1 AS current`;
        return (await counterWrite(key, sql, [counterKey(key), counterValue(key, expected)])) === 1; // 0: no row changed
      },
      async set(key: string, value: number) {
        await counterWrite(
          key,
          `INSERT INTO ${series} AS s (name, current) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET current = EXCLUDED.current RETURNING current`,
          [counterKey(key), counterValue(key, value)],
        );
      },
    } satisfies NamingCounters,
  };
  return session;
}

/** First use: the schema and series table, and the collation `mode: 'insensitive'` lower-cases with. */
async function init(shared: Shared): Promise<void> {
  try {
    await ensureBase(shared.client, shared.schema);
    // pg_c_utf8 (PostgreSQL 17+) and ICU's root collation fold all of Unicode; the C locale folds only ASCII.
    const found = await shared.client.query<{ collname: string }>(
      "SELECT collname FROM pg_collation WHERE collname IN ('pg_c_utf8', 'und-x-icu') AND collencoding IN (-1, pg_char_to_encoding(current_setting('server_encoding'))) ORDER BY collname = 'pg_c_utf8' DESC LIMIT 1",
    );
    shared.lowerCollation = found.rows[0]?.collname;
  } catch (error) {
    shared.ready = undefined; // let a later call retry (e.g. the server was not up yet)
    throw translateError(error, shared.constraints, `${shared.name}: setting up schema ${JSON.stringify(shared.schema)}`);
  }
}

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
  const root: SessionContext = { db: client, isOpen: () => true, lock: createMutex(), synced: undefined, parent: undefined };

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
