/**
 * Tables from DocTypes: Frappe's layout (`"tab<DocType>"`, standard columns, one typed column per stored
 * field, child rows with `parent` / `parenttype` / `parentfield` / `idx`), created and migrated by `prepare`,
 * plus the naming-series table `"tabSeries"(name, current)`.
 *
 * Migration is additive like Frappe's `bench migrate`: new fields become new columns, a field whose column
 * type changed is converted (values the new type cannot hold become NULL, as in the memory adapter), unique
 * indexes follow the `unique` flag. Columns of removed fields are kept (Frappe never drops them); the adapter
 * simply stops reading and writing them.
 *
 * @module
 */
import type { Column, TableSchema } from '../columns';
import type { SqlClient } from './client';
import { ddlType, fromInformationSchema, sqlType } from './columns';
import type { SqlType } from './columns';
import type { ConstraintInfo } from './errors';
import { constraintName, quoteIdent, tableName } from './ident';
import { TEMPORAL_PATTERN_SOURCES } from '../../values/canonical';
import { SINGLES_TABLE } from '../singles';

/** Frappe's naming-series table. */
export const SERIES_TABLE = 'tabSeries';

/**
 * A table name qualified with its schema.
 * @param schema - the PostgreSQL schema
 * @param table - the table name
 * @returns `"schema"."table"`
 */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Suffix of the unique index of a field (the part after `<table>_`). */
const uniqueSuffix = (fieldname: string): string => `${fieldname}_key`;

/**
 * The constraints and unique indexes of a table, by the name PostgreSQL reports in a `23505` error.
 * @param schema - the table shape
 * @returns name → what it protects
 */
export function constraintsOf(schema: TableSchema): Map<string, ConstraintInfo> {
  if (schema.isSingle === true) return new Map();
  const table = tableName(schema.doctype);
  const out = new Map<string, ConstraintInfo>([[constraintName(table, 'pkey'), { kind: 'primary', doctype: schema.doctype }]]);
  for (const column of schema.unique) out.set(constraintName(table, uniqueSuffix(column.fieldname)), { kind: 'unique', doctype: schema.doctype, column });
  return out;
}

/**
 * Create the schema and the series table when missing.
 * @param client - the database
 * @param schema - the PostgreSQL schema to use
 */
export async function ensureBase(client: SqlClient, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, SERIES_TABLE)} (name text COLLATE "C" NOT NULL, current bigint NOT NULL DEFAULT 0, ` +
      `CONSTRAINT ${quoteIdent(constraintName(SERIES_TABLE, 'pkey'))} PRIMARY KEY (name))`,
  );
  // Single DocTypes: one (doctype, field, value) row per stored field, as Frappe's tabSingles.
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, SINGLES_TABLE)} (doctype text COLLATE "C" NOT NULL, field text COLLATE "C" NOT NULL, value text, ` +
      `CONSTRAINT ${quoteIdent(constraintName(SINGLES_TABLE, 'pkey'))} PRIMARY KEY (doctype, field))`,
  );
}

const TEXT_OF: Partial<Record<SqlType, string>> = {
  date: `to_char(%, 'YYYY-MM-DD')`,
  timestamp: `to_char(%, 'YYYY-MM-DD HH24:MI:SS.US')`,
  time: `to_char(%::interval, 'HH24:MI:SS.US')`,
};
const TEMPORAL_SHAPE: Partial<Record<SqlType, string>> = {
  date: TEMPORAL_PATTERN_SOURCES.Date,
  timestamp: TEMPORAL_PATTERN_SOURCES.Datetime,
  time: TEMPORAL_PATTERN_SOURCES.Time,
};
const NUMBERS: ReadonlySet<SqlType> = new Set<SqlType>(['numeric', 'bigint', 'smallint']);

/**
 * The `USING` expression converting a column between types, keeping what the memory adapter keeps when a
 * field's kind changes (docs/storage.md: values the new column cannot hold become null).
 */
function convertUsing(from: SqlType, to: SqlType, col: string): string {
  const asText = TEXT_OF[from]?.replace('%', col);
  if (to === 'json') return `to_json(${asText ?? col})`;
  if (to === 'text') {
    if (from === 'json') return `CASE WHEN json_typeof(${col}) = 'string' THEN ${col} #>> '{}' END`;
    return asText ?? 'NULL';
  }
  if (NUMBERS.has(to)) {
    const source = from === 'json' ? `CASE WHEN json_typeof(${col}) = 'number' THEN (${col} #>> '{}')::numeric END` : NUMBERS.has(from) ? `${col}::numeric` : undefined;
    if (!source) return 'NULL';
    // An integer column keeps only whole numbers, as the memory adapter's `columnValue` does.
    return to === 'numeric' ? source : `CASE WHEN (${source}) = trunc(${source}) THEN (${source})::${to} END`;
  }
  const shape = TEMPORAL_SHAPE[to];
  if (shape && (from === 'text' || from === 'json')) {
    const text = from === 'json' ? `(${col} #>> '{}')` : col;
    return `CASE WHEN ${text} ~ '${shape}' THEN ${text}::${to} END`;
  }
  // Another date / time kind: its canonical string does not match the new format (memory: null).
  return 'NULL';
}

function columnDdl(column: Column): string {
  return `${quoteIdent(column.fieldname)} ${ddlType(sqlType(column))}${column.fieldname === 'name' ? ' NOT NULL' : ''}`;
}

/** Suffix of the index of a `search_index` field. */
const searchSuffix = (fieldname: string): string => `${fieldname}_index`;

/** What the database holds for some tables: their columns (with types) and index names, by table name. */
export interface Catalog {
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, SqlType | undefined>>;
  readonly indexes: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Read the columns and indexes of many tables in two statements (not two per table: with hundreds of
 * DocTypes the per-table catalog queries were most of the migration time).
 * @param client - the database
 * @param schema - the PostgreSQL schema
 * @param tables - table names
 * @returns the catalog of those that exist
 */
export async function readCatalog(client: SqlClient, schema: string, tables: readonly string[]): Promise<Catalog> {
  const columns = new Map<string, Map<string, SqlType | undefined>>();
  const indexes = new Map<string, Set<string>>();
  const cols = await client.query<{ t: string; c: string; type: string }>(
    'SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, NULL) AS type FROM pg_attribute a ' +
      'JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace ' +
      "WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
    [schema, tables],
  );
  for (const r of cols.rows) {
    let found = columns.get(r.t);
    if (!found) columns.set(r.t, (found = new Map()));
    found.set(r.c, fromInformationSchema(r.type));
  }
  const idx = await client.query<{ t: string; i: string }>(
    'SELECT tablename AS t, indexname AS i FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2::text[])', [schema, tables],
  );
  for (const r of idx.rows) {
    let found = indexes.get(r.t);
    if (!found) indexes.set(r.t, (found = new Set()));
    found.add(r.i);
  }
  return { columns, indexes };
}

/**
 * The statements that create a DocType's table, or migrate it to the DocType's current columns, unique and
 * `search_index` fields (none when it already matches).
 * @param schema - the PostgreSQL schema
 * @param table - the table shape
 * @param catalog - what the database holds (from {@link readCatalog})
 * @returns DDL statements, in order
 */
export function migrationStatements(schema: string, table: TableSchema, catalog: Catalog): string[] {
  const name = tableName(table.doctype);
  const target = qualified(schema, name);
  const out: string[] = [];
  const types = catalog.columns.get(name);
  if (!types) {
    const columns = table.columns.map(columnDdl);
    columns.push(`CONSTRAINT ${quoteIdent(constraintName(name, 'pkey'))} PRIMARY KEY (name)`);
    out.push(`CREATE TABLE ${target} (${columns.join(', ')})`);
  } else {
    for (const column of table.columns) {
      const want = sqlType(column);
      if (!types.has(column.fieldname)) {
        out.push(`ALTER TABLE ${target} ADD COLUMN ${columnDdl(column)}`);
        continue;
      }
      const have = types.get(column.fieldname);
      if (have === want) continue;
      const col = quoteIdent(column.fieldname);
      // A type this adapter never makes (a column altered by hand): convert through text, best effort.
      const using = have === undefined ? `${col}::text::${want}` : convertUsing(have, want, col);
      out.push(`ALTER TABLE ${target} ALTER COLUMN ${col} TYPE ${ddlType(want)} USING ${using}`);
    }
  }
  const present = catalog.indexes.get(name) ?? new Set<string>();
  const wanted = new Set<string>();
  const want = (index: string, unique: boolean, columns: string): void => {
    wanted.add(index);
    if (!present.has(index)) out.push(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index)} ON ${target} (${columns})`);
  };
  for (const column of table.unique) want(constraintName(name, uniqueSuffix(column.fieldname)), true, quoteIdent(column.fieldname));
  // Frappe's `search_index` (a plain index, as Frappe adds on MariaDB and PostgreSQL).
  for (const column of table.indexed) want(constraintName(name, searchSuffix(column.fieldname)), false, quoteIdent(column.fieldname));
  // Indexes of fields that are no longer unique / indexed (or no longer exist) go; other indexes stay.
  for (const column of table.columns) {
    for (const index of [constraintName(name, uniqueSuffix(column.fieldname)), constraintName(name, searchSuffix(column.fieldname))]) {
      if (present.has(index) && !wanted.has(index)) out.push(`DROP INDEX ${qualified(schema, index)}`);
    }
  }
  // Frappe indexes `parent`; rows are always loaded by (parent, parenttype), so both are in the key.
  if (table.isChild) want(constraintName(name, 'parent_idx'), false, 'parent, parenttype');
  return out;
}

/** A stable 32-bit key for `pg_advisory_xact_lock`, one per PostgreSQL schema. */
function lockKey(schema: string): number {
  let h = 0x811c9dc5;
  for (const c of `coworker-migrate:${schema}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h | 0;
}

/**
 * Create or migrate many DocTypes' tables: two catalog reads for all of them, then every statement in one
 * script. Run it inside a transaction: a failed migration then changes nothing, and the advisory lock taken
 * here makes concurrent migrations of one schema (several processes starting at once) wait for each other.
 * @param client - the database (in a transaction)
 * @param schema - the PostgreSQL schema
 * @param all - the table shapes (Singles are skipped: they have no table)
 */
export async function syncTables(client: SqlClient, schema: string, all: readonly TableSchema[]): Promise<void> {
  // A Single has no table of its own: its values are rows of tabSingles (made by `ensureBase`).
  const tables = all.filter((t) => t.isSingle !== true);
  if (tables.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(schema)]);
  const catalog = await readCatalog(client, schema, [...new Set(tables.map((t) => tableName(t.doctype)))]);
  const statements = tables.flatMap((t) => migrationStatements(schema, t, catalog));
  if (statements.length === 0) return;
  if (client.exec) await client.exec(statements.join(';\n'));
  else for (const statement of statements) await client.query(statement);
}
