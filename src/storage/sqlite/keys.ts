/**
 * Side tables that keep the JSON layout free of scans. The seeds' `doctypes(name, data)` table can only find a
 * document by its name; everything a write must check elsewhere (is a child row name taken? is a unique value
 * held by another document or row?) would otherwise parse every stored document of the DocType. These tables
 * are maintained by every write, in the write's own savepoint, and rebuilt from `doctypes` when they are missing
 * or were built for other DocType definitions:
 *
 * - `coworker_rows(doctype, name, parenttype, parent)`: every child row's name (the child table's key).
 * - `coworker_keys(doctype, field, value, name, parenttype, parent)`: the value of each `unique` and
 *   `search_index` column of every document (`parent` null) and child row, indexed by (doctype, field, value).
 *   Filters on such a column use it to read only the documents holding the value.
 * - `coworker_meta(doctype, signature)`: which definition the entries of a parent DocType were built for.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { Column, TableSchema } from '../columns';
import { planProjection } from '../query';
import type { SqlValue } from './driver';
import type { SqliteDb } from './driver';
import { parseData, readDocument } from './json';

export const KEYS = 'main.coworker_keys';
export const ROWS = 'main.coworker_rows';
const META = 'main.coworker_meta';

/**
 * Create the side tables when missing.
 * @param sql - the database
 */
export function ensureKeyTables(sql: SqliteDb): void {
  sql.run(`CREATE TABLE IF NOT EXISTS ${ROWS}(doctype TEXT NOT NULL, name TEXT NOT NULL, parenttype TEXT NOT NULL, parent TEXT NOT NULL, PRIMARY KEY (doctype, name))`);
  sql.run(`CREATE INDEX IF NOT EXISTS main.coworker_rows_parent ON coworker_rows(parenttype, parent)`);
  // `value` has no declared type: numbers stay numbers and text stays text, compared as the storage layer does.
  sql.run(`CREATE TABLE IF NOT EXISTS ${KEYS}(doctype TEXT NOT NULL, field TEXT NOT NULL, value, name TEXT NOT NULL, parenttype TEXT, parent TEXT)`);
  sql.run(`CREATE INDEX IF NOT EXISTS main.coworker_keys_value ON coworker_keys(doctype, field, value)`);
  sql.run(`CREATE INDEX IF NOT EXISTS main.coworker_keys_owner ON coworker_keys(parenttype, parent)`);
  // (name, doctype), not (doctype, name): SQLite without statistics would otherwise prefer it to the value index.
  sql.run(`CREATE INDEX IF NOT EXISTS main.coworker_keys_name ON coworker_keys(name, doctype)`);
  sql.run(`CREATE TABLE IF NOT EXISTS ${META}(doctype TEXT PRIMARY KEY, signature TEXT NOT NULL)`);
}

/** Columns whose values are kept in `coworker_keys`. */
export function keyColumns(schema: TableSchema): readonly Column[] {
  return [...schema.unique, ...schema.indexed];
}

/** What the entries of a parent DocType depend on: its key columns, Table fields and their key columns. */
function signature(schema: TableSchema, childSchema: (doctype: string) => TableSchema | undefined): string {
  const own = keyColumns(schema).map((c) => `${c.fieldname}:${c.kind}`);
  const tables = schema.tables.map((t) => `${t.fieldname}>${t.childDoctype}(${(childSchema(t.childDoctype) ? keyColumns(childSchema(t.childDoctype) as TableSchema) : []).map((c) => `${c.fieldname}:${c.kind}`).join(',')})`);
  return JSON.stringify([1, own, tables]);
}

/** Rows to insert, several per statement (sql.js pays per call). */
function insertMany(sql: SqliteDb, table: string, width: number, rows: readonly SqlValue[][]): void {
  const per = Math.floor(500 / width);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    let n = 0;
    const tuples = chunk.map(() => `(${Array.from({ length: width }, () => `?${++n}`).join(', ')})`).join(', ');
    sql.run(`INSERT INTO ${table} VALUES ${tuples}`, chunk.flat());
  }
}

/** A stored value as a key value (null when it has none). */
function keyValue(value: unknown): SqlValue {
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

/** A document as the side tables need it: its key values, and its rows' names and key values. */
export interface KeyedDocument {
  readonly doctype: string;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly rows: readonly { readonly childDoctype: string; readonly values: Readonly<Record<string, unknown>> }[];
}

/**
 * Add a document's entries (after its row in `doctypes` was written).
 * @param sql - the database
 * @param schema - the parent table
 * @param doc - the document
 * @param childSchema - resolves child tables
 */
export function addEntries(sql: SqliteDb, schema: TableSchema, doc: KeyedDocument, childSchema: (doctype: string) => TableSchema): void {
  const keys: SqlValue[][] = [];
  const rows: SqlValue[][] = [];
  for (const column of keyColumns(schema)) {
    const value = keyValue(doc.values[column.fieldname]);
    if (value !== null) keys.push([schema.doctype, column.fieldname, value, doc.name, null, null]);
  }
  for (const row of doc.rows) {
    const name = row.values['name'];
    if (typeof name !== 'string') continue;
    rows.push([row.childDoctype, name, schema.doctype, doc.name]);
    for (const column of keyColumns(childSchema(row.childDoctype))) {
      const value = keyValue(row.values[column.fieldname]);
      if (value !== null) keys.push([row.childDoctype, column.fieldname, value, name, schema.doctype, doc.name]);
    }
  }
  // OR REPLACE: rows a legacy document repeats keep one entry (the seeds did not enforce row keys).
  if (rows.length) insertManyOrReplace(sql, rows);
  if (keys.length) insertMany(sql, KEYS, 6, keys);
}

function insertManyOrReplace(sql: SqliteDb, rows: readonly SqlValue[][]): void {
  for (let i = 0; i < rows.length; i += 120) {
    const chunk = rows.slice(i, i + 120);
    let n = 0;
    const tuples = chunk.map(() => `(?${++n}, ?${++n}, ?${++n}, ?${++n})`).join(', ');
    sql.run(`INSERT OR REPLACE INTO ${ROWS} VALUES ${tuples}`, chunk.flat());
  }
}

/**
 * Remove a document's entries (its own and its rows').
 * @param sql - the database
 * @param doctype - the parent DocType
 * @param name - the document
 */
export function removeEntries(sql: SqliteDb, doctype: string, name: string): void {
  sql.run(`DELETE FROM ${KEYS} WHERE doctype = ?1 AND name = ?2 AND parent IS NULL`, [doctype, name]);
  sql.run(`DELETE FROM ${KEYS} WHERE parenttype = ?1 AND parent = ?2`, [doctype, name]);
  sql.run(`DELETE FROM ${ROWS} WHERE parenttype = ?1 AND parent = ?2`, [doctype, name]);
}

/** The side-table form of a document read back from its stored data. */
function keyedFrom(schema: TableSchema, doc: DocData): KeyedDocument {
  const rows: { childDoctype: string; values: Readonly<Record<string, unknown>> }[] = [];
  for (const table of schema.tables) {
    for (const row of (doc[table.fieldname] as readonly DocData[] | undefined) ?? []) rows.push({ childDoctype: table.childDoctype, values: row });
  }
  return { doctype: schema.doctype, name: doc['name'] as string, values: doc, rows };
}

/**
 * Rebuild the entries of the given parent DocTypes whose definition changed since they were built (or that
 * were never built: a seeds database, or one written before these tables existed). One pass over the
 * documents of each such DocType; nothing for the others.
 * @param sql - the database
 * @param parents - the prepared parent tables
 * @param childSchema - resolves child tables (undefined when not prepared)
 */
export function syncEntries(sql: SqliteDb, parents: readonly TableSchema[], childSchema: (doctype: string) => TableSchema | undefined): void {
  const built = new Map(sql.all(`SELECT doctype, signature FROM ${META}`).map((r) => [String(r[0]), String(r[1])]));
  for (const schema of parents) {
    const wanted = signature(schema, childSchema);
    if (built.get(schema.doctype) === wanted) continue;
    // Child tables not prepared yet: their rows cannot be read; build once they are.
    if (schema.tables.some((t) => !childSchema(t.childDoctype))) continue;
    sql.run(`DELETE FROM ${KEYS} WHERE doctype = ?1 AND parent IS NULL`, [schema.doctype]);
    sql.run(`DELETE FROM ${KEYS} WHERE parenttype = ?1`, [schema.doctype]);
    sql.run(`DELETE FROM ${ROWS} WHERE parenttype = ?1`, [schema.doctype]);
    const projection = planProjection(schema, undefined, true);
    const resolve = (doctype: string): TableSchema => childSchema(doctype) as TableSchema;
    for (const [name, data] of sql.all(`SELECT name, data FROM main.doctypes WHERE json_extract(data, '$.doctype') = ?1 AND name IS NOT NULL`, [schema.doctype])) {
      const doc = readDocument(schema, parseData(data), String(name), projection, resolve);
      addEntries(sql, schema, keyedFrom(schema, doc), resolve);
    }
    sql.run(`INSERT OR REPLACE INTO ${META}(doctype, signature) VALUES (?1, ?2)`, [schema.doctype, wanted]);
  }
}
