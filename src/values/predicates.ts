/**
 * Small predicates shared by coercion and validation: Python's view of JS values (`dict`, truthiness) and
 * which Select fields Frappe checks.
 *
 * @module
 */
import type { DocField } from '../schema/types';

/** True for what Python's `isinstance(value, dict)` would say of the JSON equivalent: a plain object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python truthiness of a JSON-like value, as Frappe's `if not value` tests use it. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0) return false;
  if (typeof value === 'bigint') return value !== 0n;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true; // NaN included: float('nan') is truthy in Python
}

/**
 * True when Frappe's `_validate_selects` looks at this field at all: a Select whose options are not empty,
 * `[Select]` or `Loading...` (`Meta.get_select_fields`), other than `naming_series`.
 */
export function isCheckedSelect(df: Pick<DocField, 'fieldtype' | 'fieldname' | 'options'>): boolean {
  return (
    df.fieldtype === 'Select' &&
    df.fieldname !== 'naming_series' &&
    df.options !== '' &&
    df.options !== '[Select]' &&
    df.options !== 'Loading...'
  );
}
