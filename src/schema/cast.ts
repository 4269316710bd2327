/**
 * Frappe's scalar conversions (`frappe/utils/data.py`): `cint`, `flt`, `cstr`, `sbool` and `cast`, ported
 * to TypeScript with Python's semantics, so DocType flags and Property Setter values come out exactly as
 * Frappe computes them.
 *
 * @module
 */
import type { Flag } from './types';

/**
 * Python's `float(str)` grammar: optional sign, digits with single `_` separators, optional fraction and
 * exponent, or inf / infinity / nan, with surrounding whitespace allowed.
 */
const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)$/i;

/** Python `float(x)` for the values JSON can hold; `undefined` where Python raises. */
function pyFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!PY_FLOAT.test(text)) return undefined;
  const lower = text.toLowerCase().replace(/_/g, '');
  if (lower.endsWith('nan')) return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(lower);
}

/**
 * Frappe's `cint(s, default=0)`: `int(float(s))`, or `default` when that raises.
 * So `true` → 1, `'3.9'` → 3, `' 12 '` → 12, `'-2.5'` → -2, `'1,000'` → 0, `'true'` → 0, `null` → 0.
 * @param value - any JSON value
 * @param fallback - returned where Python raises (None, 'abc', inf, nan, objects) @default 0
 * @returns an integer
 */
export function cint(value: unknown, fallback = 0): number {
  const n = pyFloat(value);
  // int(inf) and int(nan) raise in Python.
  if (n === undefined || !Number.isFinite(n)) return fallback;
  return Math.trunc(n) + 0; // `+ 0` turns -0 into 0, as Python has no negative zero int
}

/**
 * Frappe's `flt(s)` without precision: commas are removed from strings, then `float()`; failure gives 0.
 * @param value - any JSON value
 * @returns a number (never NaN from unparsable input; Python's float('nan') does give NaN)
 */
export function flt(value: unknown): number {
  const n = pyFloat(typeof value === 'string' ? value.replace(/,/g, '') : value);
  return n === undefined ? 0 : n;
}

/**
 * Frappe's `sbool(x)`: 'true'/'1' → true, 'false'/'0' → false (case-insensitive), anything else unchanged.
 * @param value - any JSON value
 * @returns a boolean or the value unchanged
 */
export function sbool(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return value;
}

/**
 * Frappe's `cstr(s)` for JSON values: `None` → '', strings unchanged, booleans as Python prints them
 * ('True' / 'False'), numbers as JavaScript prints them (Python would print `1.0` for a float 1).
 * @param value - any JSON value
 * @returns a string
 */
export function cstr(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A Check column value: `1 if cint(value) else 0`. */
export function toFlag(value: unknown): Flag {
  return cint(value) ? 1 : 0;
}

const CAST_STRING_TYPES = new Set([
  'Data', 'Text', 'Small Text', 'Long Text', 'Text Editor', 'Select', 'Link', 'Dynamic Link',
]);

/**
 * Frappe's `cast(fieldtype, value)`, used on every Property Setter value before it is applied.
 * - Currency / Float / Percent → `flt(value)`;
 * - Int / Check → `cint(sbool(value))` (so 'true' → 1, unlike plain `cint`);
 * - Data, Text, Small Text, Long Text, Text Editor, Select, Link, Dynamic Link → `cstr(value)`;
 * - Date / Datetime → the value, or Frappe's minimum ('0001-01-01', '0001-01-01 00:00:00') when empty.
 *   Frappe returns date objects; coworker keeps the canonical text;
 * - Time → the value, or '0:00:00' when empty;
 * - anything else (Code, JSON, missing property_type...) → the value unchanged.
 * @param fieldtype - the Property Setter's `property_type`
 * @param value - the Property Setter's `value`
 * @returns the cast value
 */
export function cast(fieldtype: string | null | undefined, value: unknown): unknown {
  if (fieldtype === 'Currency' || fieldtype === 'Float' || fieldtype === 'Percent') return flt(value);
  if (fieldtype === 'Int' || fieldtype === 'Check') return cint(sbool(value));
  if (fieldtype && CAST_STRING_TYPES.has(fieldtype)) return cstr(value);
  if (fieldtype === 'Date') return value ? cstr(value) : '0001-01-01';
  if (fieldtype === 'Datetime') return value ? cstr(value) : '0001-01-01 00:00:00';
  if (fieldtype === 'Time') return value ? cstr(value) : '0:00:00';
  return value;
}
