/**
 * The in-memory reference adapter: the default storage, and the executable definition of the storage
 * semantics every other adapter is tested against (test/storage/conformance.ts).
 *
 * State is copy-on-write ({@link Level}): a transaction, and every single write, runs in its own layer
 * that is merged into its parent on success and dropped on failure, so a failed write changes nothing.
 * A write is an explicit sequence of steps (`begin`, `parent`, one `row` per child row, `commit`) that a
 * step hook can observe and abort, which is how `withFaults` proves atomicity. Rows are stored frozen, in the
 * shape reads return (`memory-rows.ts`): a read of a whole document returns the stored object, not a copy.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { NamingCounters } from '../naming/counters';
import type { DocType } from '../schema/types';
import { tableSchema } from './columns';
import type { TableSchema } from './columns';
import {
  StorageError, badDocument, duplicateEntry, notFound, timestampMismatch, uniqueViolation,
} from './errors';
import { matches, own, rowComparator } from './match';
import { IndexedOverlay, IndexedTable, candidateNames, indexFields } from './memory-index';
import { childRowsOf, project, rowsByField, storedForm } from './memory-rows';
import { Level } from './overlay';
import type { KeyValue, SpaceFactory } from './overlay';
import { planProjection, planQuery, planWhere } from './query';
import type { Condition } from './query';
import { equalityTests } from './query';
import { columnValue, splitDocument } from './rows';
import { planUpdateWhere } from './update-where';
import type { SplitDocument, StoredRow } from './rows';
import type {
  GetOptions, Query, RowValues, StepHook, StorageAdapter, StorageCapability, StorageSession, Where, WriteOp,
} from './types';
import { planValues } from './set-values';
import { WriteSteps } from './steps';
import { schemaOf, childSchemaOf, storedModified, counterKey, counterValue, possibleName, withName } from './shared';

/** Options of {@link memoryAdapter}. */
export interface MemoryAdapterOptions {
  /** DocTypes to prepare at once (as `prepare` would). @default [] */
  readonly doctypes?: readonly DocType[];
  /**
   * Documents (with their rows) to insert, by DocType name. Each list is inserted when its DocType is
   * prepared, here or by a later `prepare` call. @default {}
   */
  readonly initial?: Readonly<Record<string, readonly DocData[]>>;
  /** Starting naming-series counters. @default {} */
  readonly counters?: Readonly<Record<string, number>>;
  /** The adapter's `name`. @default 'memory' */
  readonly name?: string;
}

const CAPABILITIES: ReadonlySet<StorageCapability> = new Set<StorageCapability>(['transactions', 'unique', 'savepoints', 'write_steps']);

/** State shared by the adapter, its step-hook views and its transactions. */
interface Shared {
  readonly name: string;
  readonly schemas: Map<string, TableSchema>;
  readonly root: Level;
  readonly pending: Map<string, readonly DocData[]>;
  closed: boolean;
}

/** Space names inside a {@link Level}: one per table, holding its stored rows (see `memory-rows.ts`) by name. */
const ROWS_PREFIX = 'rows:';
const rowsSpace = (doctype: string): string => `${ROWS_PREFIX}${doctype}`;
const COUNTERS = 'counters';

/** A change of stored columns (bulk updates): the row as stored, and the new values of some columns. */
type RowChange = readonly [previous: StoredRow, values: Readonly<Record<string, unknown>>];

/** What a single write does on its own level, reporting each step. */
class Write extends WriteSteps {
  constructor(
    private readonly shared: Shared,
    private readonly level: Level,
    hook: StepHook | undefined,
    op: WriteOp,
    doctype: string,
    name: string,
  ) {
    super(hook, op, doctype, name);
    this.step('begin');
  }

  rows(doctype: string): KeyValue<StoredRow> {
    return this.level.space(rowsSpace(doctype));
  }

  /**
   * Refuse a value of a `unique` column already held by another row of the table (blank is never unique,
   * `frappe/model/base_document.py`). The column's index names the few rows that may hold it.
   */
  checkUnique(schema: TableSchema, row: StoredRow): void {
    const rows = this.rows(schema.doctype);
    for (const column of schema.unique) {
      const value = own(row, column.fieldname);
      if (value === null || value === undefined) continue;
      for (const name of candidateNames(rows, column, [value]) ?? allNames(rows)) {
        if (name !== row['name'] && (rows.get(name) ? own(rows.get(name)!, column.fieldname) : undefined) === value) {
          throw uniqueViolation(schema.doctype, row['name'] as string, column.fieldname, column.label, value);
        }
      }
    }
  }

  /**
   * Set columns of stored rows (bulk updates), unique-checked one by one. A parent keeps its rows; changed
   * child rows are also replaced in their parent documents, each document rebuilt once.
   */
  replace(schema: TableSchema, changes: readonly RowChange[]): void {
    const rows = this.rows(schema.doctype);
    const byParent = new Map<string, Map<StoredRow, StoredRow>>();
    for (const [previous, values] of changes) {
      const next = storedForm(schema, { ...previous, ...values }, (field) => previous[field] as readonly StoredRow[]);
      this.checkUnique(schema, next);
      rows.set(next['name'] as string, next);
      if (!schema.isChild) continue;
      const key = `${previous['parenttype'] as string}\u0000${previous['parent'] as string}`;
      let replaced = byParent.get(key);
      if (!replaced) byParent.set(key, (replaced = new Map()));
      replaced.set(previous, next);
    }
    for (const [key, replaced] of byParent) {
      const [parenttype, parent] = key.split('\u0000') as [string, string];
      const parentSchema = this.shared.schemas.get(parenttype);
      const doc = parentSchema ? this.rows(parenttype).get(parent) : undefined;
      if (!parentSchema || !doc) continue;
      const tables = rowsByField(childRowsOf(parentSchema, doc).map(({ row }) => replaced.get(row) ?? row));
      this.rows(parenttype).set(parent, storedForm(parentSchema, doc, (field) => tables.get(field)));
    }
  }
}

function allNames(rows: KeyValue<StoredRow>): Iterable<string> {
  return [...rows.entries()].map(([name]) => name);
}

/** A document's child rows in their stored form, checked for shape (and grouped by Table field). */
function storedChildren(shared: Shared, split: SplitDocument): { childDoctype: string; row: StoredRow }[] {
  return split.rows.map(({ childDoctype, row }) => ({ childDoctype, row: storedForm(schemaOf(shared, childDoctype), row) }));
}

/** The stored form of a written document: its columns and its rows. */
function storedDocument(schema: TableSchema, parent: StoredRow, children: readonly { row: StoredRow }[]): StoredRow {
  const tables = rowsByField(children.map((c) => c.row));
  return storedForm(schema, parent, (field) => tables.get(field));
}

/** Write the child rows of a document (after its parent row), one step per row. */
function putRows(shared: Shared, w: Write, schema: TableSchema, name: string, children: readonly { childDoctype: string; row: StoredRow }[]): void {
  for (const { childDoctype, row } of children) {
    const rowName = row['name'] as string;
    const rows = w.rows(childDoctype);
    const existing = rows.get(rowName);
    // A row name is the child table's primary key: it may only be reused by this same document.
    if (existing && (existing['parent'] !== name || existing['parenttype'] !== schema.doctype)) throw duplicateEntry(childDoctype, rowName);
    rows.set(rowName, row);
    w.checkUnique(schemaOf(shared, childDoctype), row);
    w.rowStep(childDoctype, rowName, 'put');
  }
}

/** Delete a stored document's child rows except those in `keep` (`childDoctype \0 name`), one step per row. */
function removeRows(w: Write, schema: TableSchema, stored: StoredRow, keep: ReadonlySet<string>): void {
  for (const { childDoctype, row } of childRowsOf(schema, stored)) {
    const n = row['name'] as string;
    if (keep.has(`${childDoctype}\u0000${n}`)) continue;
    w.rows(childDoctype).delete(n);
    w.rowStep(childDoctype, n, 'delete');
  }
}

/** The steps of an insert: refuse a taken name, write the parent row, then its rows. */
function insertSteps(shared: Shared, w: Write, schema: TableSchema, split: SplitDocument): StoredRow {
  const name = split.parent['name'] as string;
  if (w.rows(schema.doctype).get(name)) throw duplicateEntry(schema.doctype, name);
  w.checkUnique(schema, split.parent);
  const children = storedChildren(shared, split);
  const doc = storedDocument(schema, split.parent, children);
  w.rows(schema.doctype).set(name, doc);
  w.step('parent');
  putRows(shared, w, schema, name, children);
  return doc;
}

/**
 * A session bound to one level: the adapter itself (root level) or a transaction (a child level).
 * `isOpen` turns false when the transaction settles, so a leaked `tx` cannot write into a dead layer.
 */
function createSession(shared: Shared, level: Level, hook: StepHook | undefined, isOpen: () => boolean): StorageSession {
  const check = (): void => {
    if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
    if (!isOpen()) throw new StorageError('STORAGE_FAILURE', 'this transaction has already finished; use the adapter (or the live transaction) instead');
  };
  /** Run a write on its own child level: merged on success, dropped (with all its steps) on failure. */
  const write = <T>(op: WriteOp, doctype: string, name: string, body: (w: Write) => T): Promise<T> =>
    level.lock.run(() => {
      check();
      const layer = new Level(level);
      const w = new Write(shared, layer, hook, op, doctype, name);
      const result = body(w);
      w.step('commit');
      layer.commit();
      return result;
    });
  // Reads run synchronously against the level's current state, so they never see half a write.
  const reading = <T>(body: () => T): Promise<T> => {
    try {
      check();
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  // A level keeps its spaces for its lifetime: each table's is looked up once per session, not once per read.
  const tables = new Map<string, KeyValue<StoredRow>>();
  const rowsOf = (doctype: string): KeyValue<StoredRow> => {
    let rows = tables.get(doctype);
    if (!rows) tables.set(doctype, (rows = level.space(rowsSpace(doctype))));
    return rows;
  };

  const session: StorageSession = {
    get(doctype: string, name: string, options: GetOptions = {}) {
      return reading(() => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, options.fields, options.fields === undefined);
        const row = possibleName(name) ? rowsOf(doctype).get(name) : undefined;
        return row ? project(schema, row, projection) : undefined;
      });
    },

    getMany(doctype: string, names: readonly string[], options: GetOptions = {}) {
      return reading(() => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, withName(options.fields), options.fields === undefined);
        const rows = rowsOf(doctype);
        const out = new Map<string, DocData>();
        for (const name of names) {
          const row = possibleName(name) && !out.has(name) ? rows.get(name) : undefined;
          if (row) out.set(name, project(schema, row, projection));
        }
        return out as ReadonlyMap<string, DocData>;
      });
    },

    query(doctype: string, query: Query = {}) {
      return reading(() => {
        const schema = schemaOf(shared, doctype);
        const plan = planQuery(schema, query);
        const found: StoredRow[] = [];
        for (const row of scan(rowsOf(doctype), plan.where)) if (matches(plan.where, row)) found.push(row);
        found.sort(rowComparator(plan.orderBy));
        const page = found.slice(plan.skip, plan.take === undefined ? undefined : plan.skip + plan.take);
        return Object.freeze(page.map((row) => project(schema, row, plan.projection)));
      });
    },

    count(doctype: string, where?: Where) {
      return reading(() => {
        const condition = planWhere(schemaOf(shared, doctype), where);
        let n = 0;
        for (const row of scan(rowsOf(doctype), condition)) if (matches(condition, row)) n++;
        return n;
      });
    },

    exists(doctype: string, name: string) {
      return reading(() => {
        schemaOf(shared, doctype);
        return possibleName(name) && rowsOf(doctype).get(name) !== undefined;
      });
    },

    async insert(doctype: string, doc: DocData) {
      check();
      const schema = schemaOf(shared, doctype);
      // Everything about the document itself is checked before the first step.
      const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
      return write('insert', doctype, split.parent['name'] as string, (w) => insertSteps(shared, w, schema, split));
    },

    async update(doctype: string, doc: DocData, expectedModified: string | null) {
      check();
      const schema = schemaOf(shared, doctype);
      const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
      const name = split.parent['name'] as string;
      return write('update', doctype, name, (w) => {
        const stored = w.rows(doctype).get(name);
        if (!stored) throw notFound(doctype, name);
        // Frappe's check_if_latest: an empty stored `modified` never conflicts; otherwise string equality.
        const previous = storedModified(stored['modified']);
        if (previous !== '' && previous !== (expectedModified ?? '')) {
          throw timestampMismatch(doctype, name, previous, storedModified(split.parent['modified']));
        }
        w.checkUnique(schema, split.parent);
        const children = storedChildren(shared, split);
        const doc = storedDocument(schema, split.parent, children);
        w.rows(doctype).set(name, doc);
        w.step('parent');
        removeRows(w, schema, stored, new Set(split.rows.map((r) => `${r.childDoctype}\u0000${r.row['name'] as string}`)));
        putRows(shared, w, schema, name, children);
        return doc;
      });
    },

    async updateWhere(doctype: string, where: Where, values: Readonly<Record<string, unknown>>) {
      check();
      const schema = schemaOf(shared, doctype);
      const { columns, condition } = planUpdateWhere(schema, where, values);
      return write('update', doctype, '', (w) => {
        const rows = w.rows(doctype);
        // Collect first: setting rows while scanning an index would move them under the scan.
        const hits: StoredRow[] = [];
        for (const row of scan(rows, condition)) if (matches(condition, row)) hits.push(row);
        w.replace(schema, hits.map((row) => {
          const at = { name: row['name'] as string, path: [] };
          return [row, Object.fromEntries(columns.map((column) => [column.fieldname, columnValue(schema, column, values[column.fieldname], at)]))] as const;
        }));
        return hits.length;
      });
    },

    async setValues(doctype: string, rows: readonly RowValues[]) {
      check();
      const schema = schemaOf(shared, doctype);
      const planned = planValues(schema, rows).map((p) => ({ name: p.name, set: p.columns.map((c, i) => [c.fieldname, columnValue(schema, c, p.values[i], { name: p.name, path: [] })] as const) }));
      if (planned.length === 0) return 0;
      return write('update', doctype, planned[0]!.name, (w) => {
        // One change per row (a name given twice: its later values win), each counted once as before.
        const byName = new Map<string, Record<string, unknown>>();
        let changed = 0;
        for (const { name, set } of planned) {
          if (!possibleName(name) || !w.rows(doctype).get(name)) continue;
          changed++;
          byName.set(name, { ...byName.get(name), ...Object.fromEntries(set) });
        }
        w.replace(schema, [...byName].map(([name, values]) => [w.rows(doctype).get(name)!, values] as const));
        w.step('parent');
        return changed;
      });
    },

    async delete(doctype: string, name: string) {
      check();
      const schema = schemaOf(shared, doctype);
      if (schema.isChild) throw badDocument(doctype, 'is a child DocType: its rows are deleted through their parent document');
      await write('delete', doctype, String(name), (w) => {
        const stored = possibleName(name) ? w.rows(doctype).get(name) : undefined;
        if (!stored) throw notFound(doctype, String(name));
        w.rows(doctype).delete(name);
        w.step('parent');
        removeRows(w, schema, stored, new Set());
      });
    },

    transaction<T>(fn: (tx: StorageSession) => Promise<T>): Promise<T> {
      return level.lock.run(async () => {
        check();
        const layer = new Level(level);
        let open = true;
        try {
          const result = await fn(createSession(shared, layer, hook, () => open && isOpen()));
          check();
          hook?.({ kind: 'commit', op: 'transaction' });
          layer.commit();
          return result;
        } finally {
          // Whatever happened, the layer is finished: later use of `tx` fails instead of writing nowhere.
          open = false;
        }
      });
    },

    counters: {
      next(key: string) {
        return level.lock.run(() => {
          check();
          const counters = level.space<number>(COUNTERS);
          const value = (counters.get(counterKey(key)) ?? 0) + 1;
          counters.set(key, value);
          return value;
        });
      },
      current(key: string) {
        return reading(() => {
          return level.space<number>(COUNTERS).get(counterKey(key)) ?? 0;
        });
      },
      set(key: string, value: number) {
        return level.lock.run(() => {
          check();
          level.space<number>(COUNTERS).set(key, counterValue(key, value));
        });
      },
    } satisfies NamingCounters,
  };
  return session;
}

/** Rows that may match `condition`: through an index when it tests one, otherwise every row. */
function* scan(rows: KeyValue<StoredRow>, condition: Condition): Iterable<StoredRow> {
  for (const test of equalityTests(condition)) {
    const names = candidateNames(rows, test.column, test.values);
    if (!names) continue;
    for (const name of names) {
      const row = rows.get(name);
      if (row) yield row;
    }
    return;
  }
  for (const [, row] of rows.entries()) yield row;
}

/**
 * Re-shape stored rows to a changed DocType: kept columns keep valid values, new columns are null. A parent
 * keeps the rows of the Table fields it still has (the rows of a removed one are deleted with it); a changed
 * child DocType's rows are re-pointed in the documents holding them.
 */
function migrate(shared: Shared, level: Level, before: TableSchema, after: TableSchema): void {
  const rows = level.space<StoredRow>(rowsSpace(after.doctype));
  const kept = new Set(after.tables.filter((t) => before.tables.some((b) => b.fieldname === t.fieldname && b.childDoctype === t.childDoctype)).map((t) => t.fieldname));
  for (const [name, row] of [...rows.entries()]) {
    const out: Record<string, unknown> = {};
    for (const column of after.columns) {
      const old = before.byName.has(column.fieldname) ? own(row, column.fieldname) : null;
      try {
        out[column.fieldname] = columnValue(after, column, old, { name, path: [] });
      } catch {
        // A value the new column cannot hold (e.g. text in what is now an Int field) is dropped, as a
        // column type change would; data loss on migration is documented in docs/storage.md.
        out[column.fieldname] = null;
      }
    }
    for (const { childDoctype, row: child } of childRowsOf(before, row)) {
      if (!kept.has(child['parentfield'] as string)) level.space<StoredRow>(rowsSpace(childDoctype)).delete(child['name'] as string);
    }
    rows.set(name, storedForm(after, out, (field) => (kept.has(field) ? (own(row, field) as readonly StoredRow[]) : undefined)));
  }
  if (!after.isChild) return;
  // The documents hold the rows themselves: point them at the re-shaped ones.
  for (const parent of shared.schemas.values()) {
    if (!parent.tables.some((t) => t.childDoctype === after.doctype)) continue;
    const docs = level.space<StoredRow>(rowsSpace(parent.doctype));
    for (const [name, doc] of [...docs.entries()]) {
      const children = childRowsOf(parent, doc);
      if (!children.some((c) => c.childDoctype === after.doctype)) continue;
      const tables = rowsByField(children.map(({ childDoctype, row }) => (childDoctype === after.doctype ? rows.get(row['name'] as string) ?? row : row)));
      docs.set(name, storedForm(parent, doc, (field) => tables.get(field)));
    }
  }
}

function isDoctype(value: unknown): value is DocType {
  return typeof value === 'object' && value !== null && typeof (value as DocType).name === 'string' && Array.isArray((value as DocType).fields);
}

/**
 * The in-memory storage adapter (the default, and the reference for all others).
 *
 * @example
 * const storage = memoryAdapter({ doctypes: [todo] });
 * await storage.insert('ToDo', { name: 'T-1', description: 'Write docs', modified: '2024-01-01 00:00:00.000000' });
 * const open = await storage.query('ToDo', { where: { status: 'Open' }, orderBy: { modified: 'desc' }, take: 20 });
 *
 * @param options - see {@link MemoryAdapterOptions}
 * @returns a new, empty (or pre-filled) adapter
 * @throws {StorageError} when `initial` holds a document that cannot be inserted
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): StorageAdapter {
  const schemas = new Map<string, TableSchema>();
  const fieldsOf = (key: string): string[] => {
    const schema = schemas.get(key.slice(ROWS_PREFIX.length));
    return schema ? indexFields([...schema.unique, ...schema.indexed]) : [];
  };
  const factory: SpaceFactory = {
    root: (key) => (key.startsWith(ROWS_PREFIX) ? new IndexedTable(fieldsOf(key)) as KeyValue<unknown> : undefined),
    over: (key, base) => (key.startsWith(ROWS_PREFIX) ? new IndexedOverlay(base as KeyValue<StoredRow>, fieldsOf(key)) as KeyValue<unknown> : undefined),
  };
  const shared: Shared = {
    name: options.name ?? 'memory',
    schemas,
    root: new Level(undefined, factory),
    pending: new Map(Object.entries(options.initial ?? {})),
    closed: false,
  };
  const counters = shared.root.space<number>(COUNTERS);
  for (const [key, value] of Object.entries(options.counters ?? {})) counters.set(key, counterValue(key, value));

  /** Register DocTypes (re-shaping stored rows of changed ones). Synchronous: memory needs no I/O. */
  const register = (doctypes: readonly DocType[]): void => {
    if (!Array.isArray(doctypes)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects an array of DocTypes');
    for (const doctype of doctypes) {
      if (!isDoctype(doctype)) throw new StorageError('STORAGE_BAD_DOCUMENT', 'prepare expects normalised DocTypes (from parseDoctype or a registry)');
      const after = tableSchema(doctype);
      const before = shared.schemas.get(doctype.name);
      shared.schemas.set(doctype.name, after);
      const table = shared.root.space<StoredRow>(rowsSpace(doctype.name));
      if (table instanceof IndexedTable) table.reindex(fieldsOf(rowsSpace(doctype.name)));
      if (before && before !== after) migrate(shared, shared.root, before, after);
    }
  };

  /**
   * Insert the initial documents whose DocType (and child DocTypes) are now prepared, all in one layer:
   * one bad document loads none of them.
   */
  const loadPending = (): void => {
    const layer = new Level(shared.root);
    const loaded: string[] = [];
    for (const [doctype, docs] of shared.pending) {
      const schema = shared.schemas.get(doctype);
      if (!schema || schema.tables.some((t) => !shared.schemas.has(t.childDoctype))) continue;
      for (const doc of docs) {
        const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
        insertSteps(shared, new Write(shared, layer, undefined, 'insert', doctype, split.parent['name'] as string), schema, split);
      }
      loaded.push(doctype);
    }
    layer.commit();
    for (const doctype of loaded) shared.pending.delete(doctype);
  };

  const build = (hook: StepHook | undefined): StorageAdapter => ({
    ...createSession(shared, shared.root, hook, () => true),
    name: shared.name,
    capabilities: CAPABILITIES,
    async prepare(doctypes: readonly DocType[]) {
      if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
      await shared.root.lock.run(() => {
        register(doctypes);
        loadPending();
      });
    },
    withStepHook(next: StepHook) {
      return build(next);
    },
    close() {
      shared.closed = true;
      return Promise.resolve();
    },
  });
  register(options.doctypes ?? []);
  loadPending();
  return build(undefined);
}
