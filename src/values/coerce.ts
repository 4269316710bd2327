/**
 * Per-fieldtype coercion of a value on its way to storage, exactly as Frappe's
 * `BaseDocument.get_valid_dict` does on every insert and update, plus the Rating clamp of
 * `Document._fix_rating_value` (`frappe/model/base_document.py`).
 *
 * JavaScript values are treated as Python would treat their JSON equivalents:
 * `null` / `undefined` are `None`, `true` / `false` are `True` / `False` (a Python `bool` is an `int`),
 * a plain object is a `dict`, an array is a `list`. Values JSON cannot carry are mapped as documented in
 * docs/values.md (a `Date` object, a bigint, NaN / Infinity).
 *
 * Coercion never throws and never reports: problems (a list on a non-table field, an object in a Data
 * field, a malformed date) are left in place for {@link validateValue} to report as issues.
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { DATETIME_FIELDTYPES, FLOAT_LIKE_FIELDTYPES, TABLE_FIELDTYPES } from '../schema/fieldtypes';
import { cint, flt } from './number';
import { isCheckedSelect, isPlainObject, isTruthy } from './predicates';
import { cstr, pyFloatFromString, pyIntFromString, pyStrip } from '../util/pystr';
import { normalizeTemporal, temporalFromDate, type TemporalFormat } from './canonical';

/**
 * Python `json.dumps(value, separators=(",", ":"))`: compact, and with `ensure_ascii=True`, so every
 * character outside printable ASCII is written as a `\uXXXX` escape (lower-case hex, as Python writes it).
 * Returns `undefined` when the value cannot be serialised (a cycle).
 */
export function pythonCompactJson(value: unknown): string | undefined {
  let text: string | undefined;
  try {
    // bigint has no JSON form in JS; Python would write the exact integer, we write the nearest number.
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isScalar(value: unknown): value is string | number | bigint | boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean';
}

/**
 * Fieldtypes stored as text (every data fieldtype but the numeric, JSON and date / time ones): a number or a
 * boolean given for one is written as `cstr(value)`, the text the database stores for it (`"pincode": 411001`).
 */
const TEXT_STORED_FIELDTYPES: ReadonlySet<string> = new Set([
  'Small Text', 'Long Text', 'Code', 'Text Editor', 'Markdown Editor', 'HTML Editor', 'Text', 'Data', 'Link',
  'Dynamic Link', 'Password', 'Select', 'Read Only', 'Attach', 'Attach Image', 'Signature', 'Color', 'Barcode',
  'Geolocation', 'Icon', 'Phone', 'Autocomplete',
]);

/**
 * Long Int and Duration have numeric columns that Frappe fills without converting (the database casts): a
 * numeric string or a boolean becomes the number the column would hold; anything else is left for
 * validation to report.
 */
function numericColumnValue(fieldtype: string, value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    // A blank value is no value: the numeric column stores null (MariaDB would coerce '' to 0 with a warning,
    // PostgreSQL refuses it; null is what both hold for "not set").
    if (pyStrip(value) === '') return null;
    const n = pyIntFromString(value) ?? pyFloatFromString(value);
    if (n === undefined || !Number.isFinite(n)) return value;
    return fieldtype === 'Long Int' ? Math.trunc(n) + 0 : n;
  }
  if (fieldtype === 'Long Int' && typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value) + 0;
  return value;
}

/**
 * Coerce one field value to what Frappe would store (`get_valid_dict`, `frappe/model/base_document.py`), never throwing.
 *
 * | fieldtype | rule |
 * |---|---|
 * | Check | `1 if cint(v) else 0` (`null` and `"true"` → 0) |
 * | Int | `cint(v)` unless already an integer (`null` → 0, `"12.7"` → 12, `"1,000"` → 0); `true` → 1 |
 * | Float, Currency, Percent | `flt(v)` unless already a number (`null` → 0, commas stripped), **no rounding** |
 * | JSON | a plain object → compact JSON text; a string passes through |
 * | Date, Datetime, Time | `''` → `null`; a string or a valid `Date` object → the canonical string (values/canonical) |
 * | Long Int, Duration | a numeric string or a boolean → the number (Long Int truncated to an integer); blank → `null` |
 * | text fieldtypes (Data, Link, Text...) | a number, bigint or boolean → `cstr(v)` |
 * | Rating | `flt(v)` clamped to [0, 1] (`_fix_rating_value`) |
 * | Select (checked ones) | a non-empty scalar → `cstr(v).strip()` (`_validate_selects` writes it back) |
 * | any field with `unique` | blank / whitespace-only → `null` (after the rules above, like Frappe's elif chain) |
 * | everything else | unchanged |
 *
 * Arrays are returned unchanged for every type (a list on a non-table field is a `LIST_NOT_ALLOWED` issue).
 *
 * @param df the field
 * @param value the incoming value
 * @param timeZone IANA zone in which a `Date` object or a string with an offset is read @default 'UTC'
 * @returns the value Frappe would store
 */
export function coerceValue(df: DocField, value: unknown, timeZone = 'UTC'): unknown {
  const fieldtype = df.fieldtype;
  if (Array.isArray(value)) return value;
  if (TABLE_FIELDTYPES.has(fieldtype)) return value;

  // Frappe's branches form one if/elif chain: only the first that applies runs.
  if (fieldtype === 'Check') return cint(value) ? 1 : 0;
  if (fieldtype === 'Int') {
    if (typeof value === 'boolean') return value ? 1 : 0; // a Python bool is an int; stored as 1 / 0
    if (typeof value === 'number' && Number.isInteger(value)) return value + 0;
    return cint(value);
  }
  if (fieldtype === 'JSON' && isPlainObject(value)) return pythonCompactJson(value) ?? value;
  if (FLOAT_LIKE_FIELDTYPES.has(fieldtype)) {
    // isinstance(value, float): a JS number is kept as is, NaN and Infinity included (validate reports them).
    if (typeof value === 'number') return value;
    return flt(value);
  }
  if (DATETIME_FIELDTYPES.has(fieldtype)) {
    if (value === '') return null;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return temporalFromDate(fieldtype as TemporalFormat, value, timeZone);
    const canonical = normalizeTemporal(fieldtype as TemporalFormat, value, timeZone);
    if (canonical !== undefined) return canonical;
  }
  if (fieldtype === 'Long Int' || fieldtype === 'Duration') return numericColumnValue(fieldtype, value);
  if (fieldtype === 'Rating') {
    const v = typeof value === 'number' ? value : flt(value);
    // Python max(0, min(v, 1)): NaN compares false both ways and ends as 0.
    return v >= 1 ? 1 : v > 0 ? v : 0;
  }
  if (fieldtype === 'Select' && isCheckedSelect(df) && isTruthy(value) && isScalar(value)) {
    // _validate_selects writes back `cstr(value).strip()` before comparing with the options.
    return pyStrip(cstr(value));
  }
  if (df.unique && pyStrip(cstr(value)) === '') return null;
  if (TEXT_STORED_FIELDTYPES.has(fieldtype) && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')) {
    return cstr(value);
  }
  return value;
}
