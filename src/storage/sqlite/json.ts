/**
 * The seeds' JSON-document layout, JavaScript side: how a stored `data` text becomes the document the storage
 * API returns, and how a split document becomes that text.
 *
 * Terms: the *data* of a document is one JSON object holding `doctype`, every column of the parent, and each
 * Table field as an array of row objects (each row holding its own `doctype` and columns). A *legacy* value is
 * one written by the seeds that does not have its column's kind (a number written as text, a Check as `true`);
 * {@link readValue} reads it exactly as the SQL expressions of `sql.ts` compare it, so a row that a filter
 * matches also reads back with the value the filter saw.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { Column, TableSchema } from '../columns';
import { rowComparator } from '../match';
import type { Projection } from '../query';
import type { SplitDocument, StoredRow } from '../rows';

/** Where a child row sits: filled in from its parent, whatever the row itself holds. */
export interface RowContext {
  readonly parent: string;
  readonly parenttype: string;
  readonly parentfield: string;
  /** 0-based position in the parent's array (a missing `idx` reads as position + 1). */
  readonly position: number;
}

/** Columns the context decides for child rows (Frappe sets them from the parent on every save). */
const FROM_CONTEXT = new Set(['parent', 'parenttype', 'parentfield']);

/**
 * The SQLite JSON path of a top-level key, quoted so that any fieldname (dots, brackets, quotes) names
 * exactly that key. The path is always bound as a parameter, never spliced into SQL.
 * @param key - a fieldname
 * @returns e.g. `$."qty"`
 */
export function jsonPath(key: string): string {
  return `$."${key.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

// SQLite's CAST(text AS NUMERIC): skip leading whitespace (sqlite3Isspace), then take the longest prefix
// that is a decimal number; no such prefix means 0.
const NUMERIC_PREFIX = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

/**
 * What SQLite's `CAST(text AS NUMERIC)` gives for a text, in JavaScript, so that legacy numbers stored as
 * text read back as the value a numeric filter compared.
 * @param text - the stored text
 * @returns the number (0 when the text does not start with one), or null when it overflows
 */
export function sqliteNumeric(text: string): number | null {
  const match = NUMERIC_PREFIX.exec(text);
  if (!match) return 0;
  const value = Number(match[1]);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}

/**
 * Read one stored value as its column's kind (the JavaScript twin of `valueSql` in `sql.ts`).
 * Numbers: JSON numbers as they are, `true`/`false` as 1/0, text through {@link sqliteNumeric}.
 * Text: JSON strings only. JSON fields: any value. Anything else reads as null.
 * @param column - the column
 * @param raw - the value in the stored JSON (`undefined` when the key is missing)
 * @returns the value the API returns
 */
export function readValue(column: Column, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  switch (column.kind) {
    case 'json':
      return deepFreeze(raw);
    case 'number':
      if (typeof raw === 'number') return Number.isFinite(raw) ? (raw === 0 ? 0 : raw) : null;
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      return typeof raw === 'string' ? sqliteNumeric(raw) : null;
    case 'string':
      return typeof raw === 'string' ? raw : null;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parse a stored `data` text. Text that is not a JSON object reads as an empty object (every column null).
 * @param text - the `data` column
 * @returns the object
 */
export function parseData(text: unknown): Readonly<Record<string, unknown>> {
  if (typeof text !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Own keys only: a JSON key such as `__proto__` or `constructor` must not reach the prototype chain. */
function own(data: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

/**
 * Read the columns of one row.
 * @param data - the row's stored object (a document's data, or one element of a Table array)
 * @param columns - the columns to read
 * @param name - the parent's `name` column (a parent's name lives in the table's key, not in its data)
 * @param child - for a child row, where it sits
 * @returns the row's values
 */
export function readRow(data: Readonly<Record<string, unknown>>, columns: readonly Column[], name: string | undefined, child?: RowContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const key = column.fieldname;
    let value: unknown;
    if (key === 'name' && name !== undefined) value = name;
    else if (child && FROM_CONTEXT.has(key)) value = child[key as 'parent' | 'parenttype' | 'parentfield'];
    else value = readValue(column, own(data, key));
    // Frappe's defaults for rows written without them: docstatus 0; idx 0 on a parent, position + 1 on a row.
    if (value === null && key === 'docstatus') value = 0;
    if (value === null && key === 'idx') value = child ? child.position + 1 : 0;
    out[key] = value;
  }
  return out;
}

const IDX: Column = Object.freeze({ fieldname: 'idx', kind: 'number', fieldtype: undefined, integer: true, format: undefined, unique: false, label: 'idx' });
const NAME: Column = Object.freeze({ ...IDX, fieldname: 'name', kind: 'string', integer: false, label: 'name' });
const byIdx = rowComparator([{ column: IDX, desc: false }, { column: NAME, desc: false }]);

/**
 * The rows of one Table field, read and ordered by `idx`, then `name` (Frappe loads them `ORDER BY idx`).
 * @param data - the parent's stored object
 * @param parent - the parent's name and DocType
 * @param fieldname - the Table field
 * @param child - the child DocType's table
 * @returns frozen rows, each with `doctype`
 */
export function readChildRows(
  data: Readonly<Record<string, unknown>>, parent: { name: string; doctype: string }, fieldname: string, child: TableSchema,
): readonly DocData[] {
  const list = own(data, fieldname);
  if (!Array.isArray(list)) return Object.freeze([]);
  const rows: StoredRow[] = [];
  list.forEach((item: unknown, position) => {
    if (!isObject(item)) return;
    rows.push(readRow(item, child.columns, undefined, { parent: parent.name, parenttype: parent.doctype, parentfield: fieldname, position }));
  });
  rows.sort(byIdx);
  return Object.freeze(rows.map((row) => Object.freeze({ doctype: child.doctype, ...row })));
}

/**
 * Read a parent document through a projection.
 * @param schema - the parent's table
 * @param data - its stored object
 * @param name - its `name` column
 * @param projection - the columns and Table fields to return
 * @param childSchema - resolves a child DocType's table
 * @returns the frozen document
 */
export function readDocument(
  schema: TableSchema, data: Readonly<Record<string, unknown>>, name: string, projection: Projection, childSchema: (doctype: string) => TableSchema,
): DocData {
  const out: Record<string, unknown> = projection.withDoctype ? { doctype: schema.doctype } : {};
  Object.assign(out, readRow(data, projection.columns, name));
  for (const table of projection.tables) {
    out[table.fieldname] = readChildRows(data, { name, doctype: schema.doctype }, table.fieldname, childSchema(table.childDoctype));
  }
  return Object.freeze(out);
}

/**
 * Read a child row found by a query on its child DocType.
 * @param schema - the child table
 * @param data - the row's stored object
 * @param context - its parent and position
 * @param projection - the columns to return
 * @returns the frozen row
 */
export function readChildRow(schema: TableSchema, data: Readonly<Record<string, unknown>>, context: RowContext, projection: Projection): DocData {
  const out: Record<string, unknown> = projection.withDoctype ? { doctype: schema.doctype } : {};
  Object.assign(out, readRow(data, projection.columns, undefined, context));
  return Object.freeze(out);
}

/** A row without its null values: a missing key reads as null, and wide DocTypes are mostly empty. */
function withoutNulls(doctype: string, row: StoredRow): Record<string, unknown> {
  const out: Record<string, unknown> = { doctype };
  for (const [key, value] of Object.entries(row)) if (value !== null) out[key] = value;
  return out;
}

/**
 * The stored object of a document: `doctype`, the parent's non-null columns, and each Table field holding its
 * rows (each with its own `doctype`), as Frappe's `as_dict()` shapes it and the seeds stored it. Null columns
 * are left out: they read back as null, and a Sales Order with its rows is then a few hundred bytes instead of
 * tens of kilobytes of nulls, which every JSON scan would parse.
 * @param schema - the parent table
 * @param split - the validated document
 * @returns the object to serialise into `data`
 */
export function documentData(schema: TableSchema, split: SplitDocument): Record<string, unknown> {
  const data = withoutNulls(schema.doctype, split.parent);
  for (const table of schema.tables) {
    data[table.fieldname] = split.rows
      .filter((r) => r.row['parentfield'] === table.fieldname)
      .map((r) => withoutNulls(r.childDoctype, r.row));
  }
  return data;
}
