/**
 * The row shape of the memory adapter. A row is stored exactly as it is returned: one frozen object holding
 * `doctype` and then every column of its table in column order (null when empty), and a parent document also
 * holds each Table field's rows, as frozen arrays of the very row objects its child table stores. A `get` of a
 * whole document is then one map lookup and no copy (the stored object is already immutable), and only reads
 * of another shape (`fields`, a query without child rows) build a new object.
 *
 * Every row of a table is built with the same keys in the same order by `Object.fromEntries`, so V8 gives them
 * one shared hidden class and keeps each as a flat array of values (8 bytes a column, null included). Built key
 * by key instead (`out[field] = value` in code that sees many tables), V8 turns an object of more than a dozen
 * keys into a hash table: measured 13 kB instead of 2.7 kB for 330 columns, and a Sales Order with 5 rows in
 * the adapter at 5.8x the heap of a `structuredClone`d copy instead of 1.1x (bench/heap.ts). `fromEntries` also
 * defines every key as an own property, so a column named `__proto__` stays a column.
 *
 * @module
 */
import type { Column, TableSchema } from './columns';
import { own, rowComparator } from './match';
import type { Projection } from './query';
import type { StoredRow } from './rows';

/** The rows of a Table field that has none (shared: it is frozen). */
const NO_ROWS: readonly StoredRow[] = Object.freeze([]);

/**
 * The stored form of a row or document.
 * @param schema - its table
 * @param row - its column values (a missing key is null)
 * @param tables - a parent's rows per Table field (none: every Table field empty)
 * @returns the frozen row: `doctype`, every column, then every Table field of `schema`
 */
export function storedForm(schema: TableSchema, row: Readonly<Record<string, unknown>>, tables?: (fieldname: string) => readonly StoredRow[] | undefined): StoredRow {
  const entries: [string, unknown][] = [['doctype', schema.doctype]];
  for (const column of schema.columns) entries.push([column.fieldname, own(row, column.fieldname) ?? null]);
  for (const table of schema.tables) entries.push([table.fieldname, tables?.(table.fieldname) ?? NO_ROWS]);
  return Object.freeze(Object.fromEntries(entries));
}

const IDX_COLUMN: Column = Object.freeze({ fieldname: 'idx', kind: 'number', fieldtype: undefined, integer: true, format: undefined, unique: false, label: 'idx' });
const NAME_COLUMN: Column = { ...IDX_COLUMN, fieldname: 'name', kind: 'string', integer: false, label: 'name' };
/** Rows of a Table field in the order Frappe loads them (`ORDER BY idx`), then by name. */
const byIdx = rowComparator([{ column: IDX_COLUMN, desc: false }, { column: NAME_COLUMN, desc: false }]);

/**
 * A parent's stored child rows grouped by Table field, each list in load order.
 * @param rows - stored child rows (each with its `parentfield`)
 * @returns parentfield -> frozen, sorted rows
 */
export function rowsByField(rows: Iterable<StoredRow>): Map<string, readonly StoredRow[]> {
  const lists = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const field = row['parentfield'] as string;
    let list = lists.get(field);
    if (!list) lists.set(field, (list = []));
    list.push(row);
  }
  const out = new Map<string, readonly StoredRow[]>();
  for (const [field, list] of lists) out.set(field, Object.freeze(list.sort(byIdx)));
  return out;
}

/**
 * Every child row of a stored document, in Table field order.
 * @param schema - the parent table
 * @param doc - the stored document
 * @returns its rows with their child DocType
 */
export function childRowsOf(schema: TableSchema, doc: StoredRow): { childDoctype: string; row: StoredRow }[] {
  const out: { childDoctype: string; row: StoredRow }[] = [];
  for (const table of schema.tables) {
    for (const row of (own(doc, table.fieldname) as readonly StoredRow[] | null) ?? NO_ROWS) out.push({ childDoctype: table.childDoctype, row });
  }
  return out;
}

/**
 * A stored row or document in a read's shape: the stored object itself when the read asks for all of it,
 * otherwise a frozen object with `doctype` (unless `fields` were given), the projected columns and tables.
 * @param schema - the table
 * @param stored - the stored form
 * @param projection - the read's projection
 * @returns the document or row to return
 */
export function project(schema: TableSchema, stored: StoredRow, projection: Projection): StoredRow {
  if (projection.withDoctype && projection.columns === schema.columns && projection.tables.length === schema.tables.length) return stored;
  const entries: [string, unknown][] = projection.withDoctype ? [['doctype', schema.doctype]] : [];
  for (const column of projection.columns) entries.push([column.fieldname, own(stored, column.fieldname) ?? null]);
  for (const table of projection.tables) entries.push([table.fieldname, own(stored, table.fieldname) ?? NO_ROWS]);
  return Object.freeze(Object.fromEntries(entries));
}
