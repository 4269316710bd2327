/**
 * Fieldtype-aware equality, used to recognise no-op writes (STYLE rule 12): two values are equal when
 * Frappe would store the same thing for them.
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { DATETIME_FIELDTYPES, TABLE_FIELDTYPES } from '../schema/fieldtypes';
import { coerceValue } from './coerce';
import { isPlainObject } from './predicates';
import { normalizeTemporal, paddedTemporal, type TemporalFormat } from './canonical';

/** A date / time string in the form two values compare in (canonical, fraction padded); itself when unreadable. */
function normaliseDateString(fieldtype: TemporalFormat, s: string): string {
  const canonical = normalizeTemporal(fieldtype, s);
  return (canonical === undefined ? undefined : paddedTemporal(fieldtype, canonical)) ?? s;
}

/** Structural equality of JSON-like data (plain objects, arrays, primitives). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || (a === 0 && b === 0)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function parseJson(s: unknown): unknown {
  if (typeof s !== 'string') return s;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/**
 * True when writing `b` over `a` changes nothing Frappe would store.
 *
 * Both values are first coerced for the field ({@link coerceValue}): so for an Int `"5"` equals `5`, for a
 * Check `true` equals `1`, for a Date `''` equals `null`. Then: `null` equals `undefined`; numbers compare by
 * value with `NaN` equal to `NaN` and `0` equal to `-0`; Date / Datetime / Time strings compare as instants
 * (`"10:00:00"` equals `"10:00:00.000000"`); JSON compares parsed structure; Table fields compare rows by
 * identity; other objects structurally.
 * @param df the field
 * @param a the current value
 * @param b the incoming value
 * @returns true when the write is a no-op
 */
export function valuesEqual(df: DocField, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (TABLE_FIELDTYPES.has(df.fieldtype)) {
    const ra = a ?? [];
    const rb = b ?? [];
    return Array.isArray(ra) && Array.isArray(rb) && ra.length === rb.length && ra.every((row, i) => row === rb[i]);
  }
  const ca = coerceValue(df, a) ?? null;
  const cb = coerceValue(df, b) ?? null;
  if (typeof ca === 'number' && typeof cb === 'number') return ca === cb || (Number.isNaN(ca) && Number.isNaN(cb));
  if (typeof ca === 'string' && typeof cb === 'string') {
    if (DATETIME_FIELDTYPES.has(df.fieldtype)) {
      return normaliseDateString(df.fieldtype as TemporalFormat, ca) === normaliseDateString(df.fieldtype as TemporalFormat, cb);
    }
    if (df.fieldtype === 'JSON') return deepEqual(parseJson(ca), parseJson(cb));
    return ca === cb;
  }
  if (typeof ca === 'bigint' || typeof cb === 'bigint') {
    try {
      return BigInt(ca as bigint | number) === BigInt(cb as bigint | number);
    } catch {
      return false;
    }
  }
  return deepEqual(ca, cb);
}
