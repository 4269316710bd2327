/**
 * Frappe's `sbool` and `cast` (`frappe/utils/data.py`), over the `cint` / `flt` / `cstr` of the values layer,
 * with Python's semantics, so DocType flags and Property Setter values come out exactly as
 * Frappe computes them.
 *
 * @module
 */
import type { Flag } from './types';
import { cint, flt } from '../values/number';
import { cstr } from '../util/pystr';

// One implementation of Frappe's scalar conversions: re-exported here for the schema layer's callers.
export { cint, flt, cstr };

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
