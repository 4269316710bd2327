/**
 * From a document as the caller gives it to the rows a table stores: one frozen object per row holding
 * exactly the table's columns. Shared by every adapter so they accept and reject the same documents.
 *
 * Rules (docs/storage.md, "Writing"): keys that are not columns are dropped (Frappe's `get_valid_dict`);
 * missing columns become null; `docstatus` and a parent's `idx` default to 0, a row's `idx` to its position
 * + 1; a Date / Datetime / Time `''` becomes null (`frappe/model/base_document.py`) and other values must be canonical strings; a blank
 * value of a `unique` field becomes null (`frappe/model/base_document.py`); numbers must be finite (integers for Int / Check).
 *
 * @module
 */
import type { Path } from '../errors';
import type { DocData } from '../doc/types';
import type { Column, TableSchema } from './columns';
import { badDocument, duplicateEntry } from './errors';
import { isCanonicalTemporal } from '../values/canonical';

/** A stored row: every column of its table, frozen. */
export type StoredRow = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep-copy a JSON value and freeze it; anything that is not JSON (functions, cycles, class instances) is refused. */
function copyJson(value: unknown, fail: (message: string) => never, seen: Set<object> = new Set()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail('JSON numbers must be finite');
  if (typeof value !== 'object') return fail(`a ${typeof value} is not a JSON value`);
  if (seen.has(value)) return fail('a cyclic value is not JSON');
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = Object.freeze(value.map((item) => copyJson(item, fail, seen)));
  else if (isPlainObject(value)) {
    // Object.fromEntries defines keys, so a "__proto__" key stays an ordinary property.
    copy = Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyJson(v, fail, seen)])));
  } else return fail('only plain objects and arrays are JSON');
  seen.delete(value);
  return copy;
}

function isBlank(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Check one value against its column and return the value to store.
 * @param schema - the table
 * @param column - the column
 * @param value - the given value (`undefined` when the key is missing)
 * @param at - the row name and path, for errors
 * @returns the value to store (null for "no value")
 * @throws {StorageError} `STORAGE_BAD_DOCUMENT`
 */
export function columnValue(schema: TableSchema, column: Column, value: unknown, at: { name?: string | undefined; path: Path }): unknown {
  const plain = plainColumnValue(column, value);
  return plain === CHECK ? checkedColumnValue(schema, column, value, at) : plain;
}

/** {@link plainColumnValue}'s answer when the value needs the full check (a copy, a refusal). */
const CHECK: unique symbol = Symbol('check');

/**
 * The common cases of {@link columnValue} without allocating (no error context built): a number or a plain
 * string that is stored as given, or an empty value.
 * @returns the value to store, or {@link CHECK}
 */
function plainColumnValue(column: Column, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (column.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value) || (column.integer && !Number.isInteger(value))) return CHECK;
    return value === 0 ? 0 : value;
  }
  if (column.kind !== 'string' || typeof value !== 'string' || column.unique || value.includes('\u0000')) return CHECK;
  if (column.format) return value === '' ? null : isCanonicalTemporal(column.format, value) ? value : CHECK;
  return value;
}

function checkedColumnValue(schema: TableSchema, column: Column, value: unknown, at: { name?: string | undefined; path: Path }): unknown {
  const fail = (message: string): never => {
    throw badDocument(schema.doctype, `${column.fieldname}: ${message}`, { name: at.name, field: column.fieldname, value, path: [...at.path, column.fieldname] });
  };
  if (value === undefined || value === null) return null;
  switch (column.kind) {
    case 'json':
      return copyJson(value, fail);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`expected a finite number, got ${describe(value)}`);
      if (column.integer && !Number.isInteger(value)) return fail(`expected an integer, got ${value}`);
      // -0 would print as 0 but compare apart from it in some drivers; one zero only.
      return value === 0 ? 0 : value;
    case 'string': {
      if (typeof value !== 'string') return fail(`expected a string, got ${describe(value)}`);
      // PostgreSQL text cannot hold NUL; every adapter refuses it so a document stored on one can be stored on all.
      if (value.includes('\u0000')) return fail('text cannot contain the NUL character (U+0000)');
      if (column.unique && isBlank(value)) return null;
      if (column.format) {
        if (value === '') return null;
        if (!isCanonicalTemporal(column.format, value)) return fail(`${JSON.stringify(value)} is not a canonical ${column.format} string`);
      }
      return value;
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Values the storage layer sets itself on rows (`parent`, `parenttype`, `parentfield`), by column. */
export type Forced = Readonly<Record<string, unknown>>;

/**
 * Build the stored form of one row.
 * @param schema - its table
 * @param input - the row as given
 * @param path - where it sits in the written document, for errors
 * @param forced - values that replace the given ones (parent linkage)
 * @param defaultIdx - `idx` when none is given
 * @returns the frozen row with exactly the table's columns
 * @throws {StorageError} `STORAGE_BAD_DOCUMENT`
 */
export function storedRow(schema: TableSchema, input: unknown, path: Path, forced: Forced, defaultIdx: number): StoredRow {
  if (!isPlainObject(input)) throw badDocument(schema.doctype, `expected an object, got ${describe(input)}`, { path });
  const name = input['name'];
  if (typeof name !== 'string' || name === '') {
    throw badDocument(schema.doctype, `every document and row needs a non-empty string name, got ${describe(name)}`, { field: 'name', value: name, path: [...path, 'name'] });
  }
  // Every column is set below: starting from the table's template keeps the row in V8's fast-properties mode
  // (an object built key by key with hundreds of computed keys becomes a slow dictionary for every reader).
  const out: Record<string, unknown> = { ...templateOf(schema) };
  for (const column of schema.columns) {
    const key = column.fieldname;
    if (Object.hasOwn(forced, key)) out[key] = forced[key];
    else {
      const value = Object.hasOwn(input, key) ? input[key] : undefined;
      const plain = plainColumnValue(column, value);
      out[key] = plain === CHECK ? checkedColumnValue(schema, column, value, { name, path }) : plain;
    }
  }
  if (out['docstatus'] === null) out['docstatus'] = 0;
  else if (out['docstatus'] !== 0 && out['docstatus'] !== 1 && out['docstatus'] !== 2) {
    throw badDocument(schema.doctype, `docstatus must be 0, 1 or 2, got ${String(out['docstatus'])}`, { name, field: 'docstatus', path: [...path, 'docstatus'] });
  }
  if (out['idx'] === null) out['idx'] = defaultIdx;
  return Object.freeze(out);
}

const templates = new WeakMap<TableSchema, Readonly<Record<string, unknown>>>();

/** A row of the table with every column null, in column order (built once per table). */
function templateOf(schema: TableSchema): Readonly<Record<string, unknown>> {
  let template = templates.get(schema);
  if (!template) {
    const keys: Record<string, unknown> = {};
    for (const column of schema.columns) keys[column.fieldname] = null;
    templates.set(schema, (template = { ...keys }));
  }
  return template;
}

/** A document split into its parent row and its child rows, ready to write. */
export interface SplitDocument {
  readonly parent: StoredRow;
  /** Child rows per child DocType, in write order (table field order, then array order). */
  readonly rows: readonly { readonly childDoctype: string; readonly row: StoredRow }[];
}

/**
 * Split a document into rows for its own table and its child tables, checking everything first so a bad
 * document is refused before any step is written.
 * @param schema - the parent table
 * @param doc - the document
 * @param childSchema - resolves a child DocType's table
 * @returns the parent row and child rows
 * @throws {StorageError} `STORAGE_BAD_DOCUMENT`, `STORAGE_UNKNOWN_DOCTYPE`, `DUPLICATE_ENTRY` (two rows of
 *   one document share a name)
 */
export function splitDocument(schema: TableSchema, doc: DocData, childSchema: (doctype: string) => TableSchema): SplitDocument {
  if (schema.isChild) {
    throw badDocument(schema.doctype, 'is a child DocType: its rows are written through their parent document');
  }
  const parent = storedRow(schema, doc, [], {}, 0);
  const name = parent['name'] as string;
  if (schema.isSingle === true && name !== schema.doctype) {
    // A Single has one document, named after its DocType (`frappe/model/naming.py`, `set_new_name`).
    throw badDocument(schema.doctype, `is a Single DocType: its one document is named ${JSON.stringify(schema.doctype)}, not ${JSON.stringify(name)}`, { name, field: 'name', value: name, path: ['name'] });
  }
  const rows: { childDoctype: string; row: StoredRow }[] = [];
  const seen = new Set<string>();
  for (const table of schema.tables) {
    const given = Object.hasOwn(doc, table.fieldname) ? doc[table.fieldname] : undefined;
    if (given === undefined || given === null) continue;
    if (!Array.isArray(given)) {
      throw badDocument(schema.doctype, `Table field ${table.fieldname} must hold an array of rows`, { name, field: table.fieldname, path: [table.fieldname] });
    }
    const child = childSchema(table.childDoctype);
    const forced = { parent: name, parenttype: schema.doctype, parentfield: table.fieldname };
    given.forEach((input: unknown, i) => {
      const row = storedRow(child, input, [table.fieldname, i], forced, i + 1);
      // Row names are primary keys of the child table: two rows of one document may not share one.
      const key = `${child.doctype}\u0000${row['name'] as string}`;
      if (seen.has(key)) throw duplicateEntry(child.doctype, row['name'] as string);
      seen.add(key);
      rows.push({ childDoctype: child.doctype, row });
    });
  }
  return Object.freeze({ parent, rows: Object.freeze(rows) });
}
