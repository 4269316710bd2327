/**
 * Plain-data helpers of the run layer: copying caller input (never mutated, so a failed run leaves the
 * caller's delta intact), merging a delta over a stored document, and dropping private keys from output.
 *
 * @module
 */
import type { DocType } from '../schema/types';
import type { DocData } from '../doc/types';

/** A mutable document under construction. */
export type Draft = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A deep copy of JSON-like data (objects, arrays, primitives). Guards prototype keys so caller data can
 * never reach `Object.prototype`.
 * @param value - the data
 * @returns an unfrozen copy
 */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneData(v)) as T;
  if (isObject(value)) {
    // A spread copies own enumerable data properties (a "__proto__" key stays a plain key) into an object in
    // V8's fast mode; key-by-key assignment of a wide row would make it a slow dictionary for every later reader.
    const out: Record<string, unknown> = { ...value };
    for (const k of UNSAFE_KEYS) if (Object.hasOwn(out, k)) delete out[k];
    for (const k in out) {
      const v = out[k];
      if (typeof v === 'object' && v !== null) out[k] = cloneData(v);
    }
    return out as T;
  }
  return value;
}

/** Keys a copy never carries, so caller data can never reach a prototype. */
const UNSAFE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Deep-freeze plain data (returns the same value).
 * @param value - data built by the run layer
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Rows of a Table field as an array of objects (anything else: none). */
export function rowList(doc: Readonly<Record<string, unknown>>, table: string): Record<string, unknown>[] {
  const rows = doc[table];
  return Array.isArray(rows) ? (rows.filter(isObject) as Record<string, unknown>[]) : [];
}

/**
 * A delta merged over a base document, as Frappe's `doc.update(dict)` followed by save: top-level values
 * replace; a Table field in the delta is the table's new row list, each row merged over the base row of the
 * same `name` (rows without a known name are new).
 * @param base - the stored document (or a new document's defaults)
 * @param delta - the caller's values
 * @param tables - Table fieldnames of the DocType
 * @returns a fresh mutable document
 */
export function mergeDelta(base: DocData, delta: Readonly<Record<string, unknown>>, tables: ReadonlySet<string>): Draft {
  const out = cloneData(base) as Draft;
  for (const [key, value] of Object.entries(delta)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (tables.has(key) && Array.isArray(value)) {
      const byName = new Map(rowList(base, key).map((r) => [r.name, r] as const));
      out[key] = value.map((row) => {
        if (!isObject(row)) return cloneData(row);
        const stored = row.name !== undefined ? byName.get(row.name) : undefined;
        return stored ? { ...cloneData(stored), ...cloneData(row) } : cloneData(row);
      });
    } else out[key] = cloneData(value);
  }
  return out;
}

/**
 * Accumulate one delta over another (draft edits): later values win; a Table field is replaced whole.
 * @param earlier - the accumulated delta
 * @param later - the new change
 * @returns a new delta
 */
export function accumulateDelta(earlier: Readonly<Record<string, unknown>>, later: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...cloneData(earlier), ...cloneData(later) };
}

/**
 * The document without private keys (`__islocal`, `__unsaved`, `_amended_from` on rows...) and without
 * keys that are neither fields, standard columns nor `doctype`: what a caller should see.
 * @param doc - a document
 * @returns a copy without `__` keys, rows included
 */
export function publicData(doc: Readonly<Record<string, unknown>>): Draft {
  const out: Draft = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k.startsWith('__')) continue;
    out[k] = Array.isArray(v) ? v.map((r) => (isObject(r) ? publicData(r) : r)) : v;
  }
  return out;
}

/** Table fieldnames of a DocType. */
export function tableNames(doctype: DocType): ReadonlySet<string> {
  return new Set(doctype.fields.filter((df) => df.fieldclass === 'table').map((df) => df.fieldname));
}

/** Whether a value counts as empty for system fields and read-only comparisons (Frappe's falsy, but 0 is a value). */
export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
