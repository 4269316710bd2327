/**
 * How each storage column is held in PostgreSQL (`frappe/database/schema.py`, `frappe/database/postgres/database.py` "On Postgres"), and how a value
 * is checked and converted on its way in. The storage layer's `columnValue` has already checked the kind;
 * this adds what only a typed column refuses: impossible calendar dates, integers beyond the column's range.
 *
 * @module
 */
import type { Column } from '../columns';
import { paddedTemporal } from '../../values/canonical';
import { badDocument } from '../errors';
import type { Path } from '../../errors';

/** The PostgreSQL types the adapter creates. */
export type SqlType = 'text' | 'json' | 'numeric' | 'bigint' | 'smallint' | 'date' | 'timestamp' | 'time';

/** The SQL type of a column. */
export function sqlType(column: Column): SqlType {
  if (column.kind === 'json') return 'json';
  if (column.kind === 'number') {
    if (!column.integer) return 'numeric';
    // Check is smallint on Postgres (`frappe/database/schema.py`, `frappe/database/postgres/database.py`), and so is docstatus (0, 1, 2).
    return column.fieldtype === 'Check' || (column.fieldtype === undefined && column.fieldname === 'docstatus') ? 'smallint' : 'bigint';
  }
  if (column.format === 'Date') return 'date';
  if (column.format === 'Datetime') return 'timestamp';
  if (column.format === 'Time') return 'time';
  return 'text';
}

/** The DDL spelling of a type: text compares by code point (`COLLATE "C"`), as docs/storage.md requires. */
export function ddlType(type: SqlType): string {
  switch (type) {
    case 'text': return 'text COLLATE "C"';
    case 'timestamp': return 'timestamp(6)';
    case 'time': return 'time(6)';
    default: return type;
  }
}

/** `information_schema.columns.data_type` → {@link SqlType} (undefined for a type this adapter never makes). */
export function fromInformationSchema(dataType: string): SqlType | undefined {
  const map: Record<string, SqlType> = {
    text: 'text', json: 'json', numeric: 'numeric', bigint: 'bigint', smallint: 'smallint', date: 'date',
    'timestamp without time zone': 'timestamp', 'time without time zone': 'time',
  };
  return map[dataType];
}

const RANGE: Partial<Record<SqlType, number>> = { smallint: 32767, bigint: 9223372036854775807 };

/**
 * The canonical form a date / time column stores and returns, or undefined when `text` is not a valid
 * canonical value of that format. Datetime and Time get exactly six fractional digits (Frappe's `now()`
 * form), which is what the database gives back.
 * @param format - the column format
 * @param text - a string
 * @returns the canonical string, or undefined
 */
export function canonicalTemporal(format: NonNullable<Column['format']>, text: string): string | undefined {
  return paddedTemporal(format, text);
}

/**
 * Convert a value already accepted by the storage layer's `columnValue` to what the column stores, refusing
 * what the typed column cannot hold.
 * @param doctype - the table's DocType, for errors
 * @param column - the column
 * @param value - the value (null, number, string, or a frozen JSON value)
 * @param at - row name and path, for errors
 * @returns the value to bind: JSON as text, temporal values canonical, the rest unchanged
 * @throws {StorageError} `STORAGE_BAD_DOCUMENT`
 */
export function encodeValue(doctype: string, column: Column, value: unknown, at: { name?: string | undefined; path: Path }): unknown {
  if (value === null || value === undefined) return null;
  const fail = (message: string): never => {
    throw badDocument(doctype, `${column.fieldname}: ${message}`, { name: at.name, field: column.fieldname, value, path: [...at.path, column.fieldname] });
  };
  const type = sqlType(column);
  if (type === 'json') return JSON.stringify(value);
  const range = RANGE[type];
  if (range !== undefined && Math.abs(value as number) > range) return fail(`${String(value)} is out of range for a ${type} column`);
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return fail('PostgreSQL text cannot hold the NUL character');
    if (column.format) return canonicalTemporal(column.format, value) ?? fail(`${JSON.stringify(value)} is not a valid ${column.format}`);
  }
  return value;
}
