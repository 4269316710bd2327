/**
 * Value equality for no-op detection and delta bookkeeping. Fields use the values layer's fieldtype-aware
 * {@link valuesEqual} (an Int `'5'` equals `5`, a Check `true` equals `1`, a Date `''` equals `null`...);
 * keys without a DocField (standard columns, `__` keys) use {@link sameValue} below.
 *
 * A write is a no-op when the stored value would not change in Frappe's eyes: numbers compare by value
 * (NaN equals NaN, 0 equals -0), `null` and `undefined` are both "no value", and dates compare by instant.
 * `''` and `null` stay different: Frappe stores them differently (a Data column keeps `''`, and `''` blocks a
 * default where `null` does not, `frappe/model/create_new.py` (step 5)), so turning one into the other is a change.
 * Objects and arrays (JSON, Geolocation values) compare by reference; writes share unchanged ones anyway.
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { valuesEqual } from '../values/equals';

/** True when writing `b` over `a` changes nothing. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/**
 * True when writing `b` over `a` changes nothing: {@link valuesEqual} for a field, {@link sameValue} for a
 * key without a DocField.
 */
export function fieldEqual(df: DocField | undefined, a: unknown, b: unknown): boolean {
  return df ? valuesEqual(df, a, b) : sameValue(a, b);
}
