/**
 * Small helpers for plain JSON values: a safe deep clone, deep freeze and structural equality.
 *
 * @module
 */

/** A plain JSON object (the only kind of object DocType JSON holds). */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-copy arrays and objects so later freezing never touches the caller's input.
 * Keys are copied with `Object.fromEntries` (define semantics), so a `"__proto__"` key from
 * `JSON.parse` stays an ordinary own property instead of replacing the prototype.
 * @param value - a JSON value
 * @param seen - objects on the current path (a cycle means the input is not JSON)
 * @returns the copy
 * @throws {RangeError} on a cyclic structure (callers translate this into a SchemaError)
 */
export function cloneJson(value: unknown, seen: Set<object> = new Set()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) throw new RangeError('cyclic structure');
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map((item) => cloneJson(item, seen));
  else {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const v = cloneJson((value as JsonObject)[key], seen);
      if (key === '__proto__') setOwn(out, key, v);
      else out[key] = v;
    }
    copy = out;
  }
  seen.delete(value);
  return copy;
}

/**
 * Freeze a JSON value and everything inside it.
 * @param value - the value to freeze (in place)
 * @returns the same value
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Structural equality of JSON values (key order ignored).
 * @param a - first value
 * @param b - second value
 * @returns true when both hold the same data
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isObject(a) || !isObject(b) || Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/**
 * Set an own, enumerable property, even for keys like `__proto__` that plain assignment would treat
 * specially (property names in Property Setters come from data).
 * @param target - the object to change
 * @param key - the property name
 * @param value - the new value
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
