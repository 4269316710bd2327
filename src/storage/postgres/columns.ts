/**
 * How each storage column is held in PostgreSQL (FRAPPE_SEMANTICS.md §2.2, "On Postgres"), and how a value
 * is checked and converted on its way in. The storage layer's `columnValue` has already checked the kind;
 * this adds what only a typed column refuses: impossible calendar dates, integers beyond the column's range.
 *
 * @module
 */
import type { Column } from '../columns';
import { badDocument } from '../errors';
import type { Path } from '../../errors';

/** The PostgreSQL types the adapter creates. */
export type SqlType = 'text' | 'json' | 'numeric' | 'bigint' | 'smallint' | 'date' | 'timestamp' | 'time';

/** The SQL type of a column. */
export function sqlType(column: Column): SqlType {
  if (column.kind === 'json') return 'json';
  if (column.kind === 'number') {
    if (!column.integer) return 'numeric';
    // Check is smallint on Postgres (§2.2), and so is docstatus (0, 1, 2).
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

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Is `YYYY-MM-DD` a real calendar date PostgreSQL accepts (year 1 to 9999)? */
function validDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** Is `HH:MM:SS[.f]` a time of day (00:00:00 to 23:59:59.999999)? */
function validTime(text: string): boolean {
  return Number(text.slice(0, 2)) <= 23 && Number(text.slice(3, 5)) <= 59 && Number(text.slice(6, 8)) <= 59;
}

const SHAPES = {
  Date: /^\d{4}-\d{2}-\d{2}$/,
  Datetime: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
  Time: /^\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
} as const;

function padFraction(text: string): string {
  const dot = text.lastIndexOf('.');
  return dot < 0 ? `${text}.000000` : text.padEnd(dot + 7, '0');
}

/**
 * The canonical form a date / time column stores and returns, or undefined when `text` is not a valid
 * canonical value of that format. Datetime and Time get exactly six fractional digits (Frappe's `now()`
 * form), which is what the database gives back.
 * @param format - the column format
 * @param text - a string
 * @returns the canonical string, or undefined
 */
export function canonicalTemporal(format: NonNullable<Column['format']>, text: string): string | undefined {
  if (!SHAPES[format].test(text)) return undefined;
  if (format === 'Date') return validDate(text) ? text : undefined;
  if (format === 'Time') return validTime(text) ? padFraction(text) : undefined;
  return validDate(text.slice(0, 10)) && validTime(text.slice(11)) ? padFraction(text) : undefined;
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
