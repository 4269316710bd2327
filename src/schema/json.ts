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
 * Keys are copied as own properties, so a `"__proto__"` key from `JSON.parse` stays an ordinary own property
 * instead of replacing the prototype.
 * @param value - a JSON value
 * @returns the copy
 * @throws {RangeError} on a cyclic structure (callers translate this into a SchemaError)
 */
export function cloneJson(value: unknown): unknown {
  // DocType JSON is a few levels deep: copy without tracking the path, and only when that goes deeper than any
  // real file does, copy again tracking it (which tells a cycle from data that is merely deep).
  try {
    return copy(value, 0);
  } catch (e) {
    if (e !== TOO_DEEP) throw e;
    return copy(value, 0, new Set());
  }
}

const TOO_DEEP = new RangeError('deeper than MAX_UNTRACKED_DEPTH');
const MAX_UNTRACKED_DEPTH = 32;

function copy(value: unknown, depth: number, seen?: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen) {
    if (seen.has(value)) throw new RangeError('cyclic structure');
    seen.add(value);
  } else if (depth > MAX_UNTRACKED_DEPTH) throw TOO_DEEP;
  let out: unknown;
  if (Array.isArray(value)) {
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) list[i] = copy(value[i], depth + 1, seen);
    out = list;
  } else {
    // A spread copies every own property in one step (defining them, so an own `__proto__` stays a property) and
    // keeps the object in V8's fast mode; adding them one by one turns an object of more than a dozen properties
    // into a slow dictionary. Nested values are then replaced by their copies, which adds no property.
    const object: JsonObject = { ...(value as JsonObject) };
    for (const key of Object.keys(object)) {
      const v = object[key];
      if (typeof v !== 'object' || v === null) continue;
      const c = copy(v, depth + 1, seen);
      if (key === '__proto__') setOwn(object, key, c);
      else object[key] = c;
    }
    out = object;
  }
  seen?.delete(value);
  return out;
}

/**
 * Freeze a JSON value and everything inside it.
 * @param value - the value to freeze (in place)
 * @returns the same value
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Indexed and keyed loops rather than Object.values: loading a corpus freezes ~100,000 objects, and an array
    // of values per object was most of the garbage. JSON objects have no inherited enumerable keys.
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child === 'object' && child !== null) deepFreeze(child);
      }
    } else {
      for (const key in value) {
        const child: unknown = value[key];
        if (typeof child === 'object' && child !== null) deepFreeze(child);
      }
    }
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
