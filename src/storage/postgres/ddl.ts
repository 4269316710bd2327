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

/**
 * Create a DocType's table, or migrate it to the DocType's current columns and unique fields.
 * Run it inside a transaction: a failed migration then changes nothing.
 * @param client - the database (in a transaction)
 * @param schema - the PostgreSQL schema
 * @param table - the table shape
 */
export async function syncTable(client: SqlClient, schema: string, table: TableSchema): Promise<void> {
  const name = tableName(table.doctype);
  const target = qualified(schema, name);
  const existing = await client.query<{ column_name: string; data_type: string }>(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schema, name],
  );
  if (existing.rows.length === 0) {
    const columns = table.columns.map(columnDdl);
    columns.push(`CONSTRAINT ${quoteIdent(constraintName(name, 'pkey'))} PRIMARY KEY (name)`);
    await client.query(`CREATE TABLE ${target} (${columns.join(', ')})`);
  } else {
    const types = new Map(existing.rows.map((r) => [r.column_name, fromInformationSchema(r.data_type)]));
    for (const column of table.columns) {
      const want = sqlType(column);
      if (!types.has(column.fieldname)) {
        await client.query(`ALTER TABLE ${target} ADD COLUMN ${columnDdl(column)}`);
        continue;
      }
      const have = types.get(column.fieldname);
      if (have === want) continue;
      const col = quoteIdent(column.fieldname);
      // A type this adapter never makes (a column altered by hand): convert through text, best effort.
      const using = have === undefined ? `${col}::text::${want}` : convertUsing(have, want, col);
      await client.query(`ALTER TABLE ${target} ALTER COLUMN ${col} TYPE ${ddlType(want)} USING ${using}`);
    }
  }
  await syncIndexes(client, schema, table);
}

async function syncIndexes(client: SqlClient, schema: string, table: TableSchema): Promise<void> {
  const name = tableName(table.doctype);
  const target = qualified(schema, name);
  const indexes = await client.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [schema, name]);
  const present = new Set(indexes.rows.map((r) => r.indexname));
  const wanted = new Set<string>();
  for (const column of table.unique) {
    const index = constraintName(name, uniqueSuffix(column.fieldname));
    wanted.add(index);
    if (!present.has(index)) await client.query(`CREATE UNIQUE INDEX ${quoteIdent(index)} ON ${target} (${quoteIdent(column.fieldname)})`);
  }
  // Unique indexes of fields that are no longer unique (or no longer exist) go; other indexes stay.
  for (const column of table.columns) {
    const index = constraintName(name, uniqueSuffix(column.fieldname));
    if (present.has(index) && !wanted.has(index)) await client.query(`DROP INDEX ${qualified(schema, index)}`);
  }
  if (table.isChild) {
    // Frappe indexes `parent`; rows are always loaded by (parent, parenttype), so both are in the key.
    const index = constraintName(name, 'parent_idx');
    if (!present.has(index)) await client.query(`CREATE INDEX ${quoteIdent(index)} ON ${target} (parent, parenttype)`);
  }
}
