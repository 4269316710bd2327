/**
 * Structural sharing for document data, with patches: the few updates the document layer makes (set top-level
 * values, set values of one row, replace a table's rows), each copying only the objects on the way to what
 * changed and returning the forward and inverse patches, and {@link applyPatches} to replay them.
 *
 * The patches are JSON-Patch-like objects with array paths, the format immer's `produceWithPatches` gives (which
 * this module replaced, so documents and patches from earlier versions stay interchangeable): a value write is a
 * `replace` (or an `add` for a key the object did not have), a table's rows are compared by position (`replace`
 * where the row at an index is another object, then `add` / `remove` at the end). test/doc/immer-parity.test.ts
 * checks every write against immer itself.
 *
 * Results are frozen: the new containers, and the values written (deeply, as immer's auto-freeze did).
 *
 * @module
 */
import { DocError } from './errors';
import type { DocData } from './types';

/** One step of a document's history: `value` for `replace` and `add`; `path` runs from the document's root. */
export interface Patch {
  readonly op: 'replace' | 'add' | 'remove';
  readonly path: ReadonlyArray<string | number>;
  readonly value?: unknown;
}

/** Updated data with the patches turning the old data into it, and back. */
export interface Change {
  readonly data: DocData;
  readonly patches: readonly Patch[];
  readonly inverse: readonly Patch[];
}

type Mutable = Record<string, unknown>;

/** Keys and values to write, in order (further tuple members are ignored). */
type Entries = ReadonlyArray<readonly [key: string, value: unknown, ...rest: unknown[]]>;

/** Deep-freeze plain data in place and return it (frozen objects are taken as frozen throughout). */
export function freezeData<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeData(v);
  }
  return value;
}

/** `target[key] = value` as an own data property, even for `__proto__`. */
function put(target: Mutable, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A shallow, writable copy of an object (own enumerable keys, `__proto__` included) or an array. */
function shallowCopy<T extends object>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  const out: Mutable = {};
  for (const key of Object.keys(value)) put(out, key, (value as Mutable)[key]);
  return out as T;
}

const patch = (op: Patch['op'], path: Array<string | number>, value?: unknown): Patch =>
  Object.freeze(op === 'remove' ? { op, path: Object.freeze(path) } : { op, path: Object.freeze(path), value });

/**
 * Write `entries` into a copy of `base` and record each write (`prefix` is the path of `base`). Values are
 * frozen; writes of the value already there are skipped, as immer skipped them.
 */
function writeKeys(base: Mutable, entries: Entries, prefix: Array<string | number>, patches: Patch[], inverse: Patch[]): Mutable {
  const out = shallowCopy(base);
  for (const [key, value] of entries) {
    const had = Object.hasOwn(base, key);
    const old = base[key];
    if (had && old === value) continue;
    put(out, key, freezeData(value));
    patches.push(patch(had ? 'replace' : 'add', [...prefix, key], value));
    inverse.push(had ? patch('replace', [...prefix, key], old) : patch('remove', [...prefix, key]));
  }
  return Object.freeze(out);
}

/**
 * Set top-level values.
 * @param base - the current data
 * @param entries - key and value, in order
 * @returns the change (no patches when every value is already there)
 */
export function setKeys(base: DocData, entries: Entries): Change {
  const patches: Patch[] = [];
  const inverse: Patch[] = [];
  const data = writeKeys(base, entries, [], patches, inverse);
  return patches.length ? { data, patches, inverse } : { data: base, patches, inverse };
}

/**
 * Set values of the row at `index` of `table`: the data, the table array and that row are copied, nothing else.
 * @param base - the current data (`base[table][index]` must be a row)
 * @param table - the Table fieldname
 * @param index - the row's position
 * @param entries - key and value, in order
 * @returns the change
 */
export function setRowKeys(base: DocData, table: string, index: number, entries: Entries): Change {
  const patches: Patch[] = [];
  const inverse: Patch[] = [];
  const rows = base[table] as readonly Mutable[];
  const row = writeKeys(rows[index]!, entries, [table, index], patches, inverse);
  if (!patches.length) return { data: base, patches, inverse };
  const nextRows = rows.slice();
  nextRows[index] = row;
  const data = shallowCopy(base);
  put(data, table, Object.freeze(nextRows));
  return { data: Object.freeze(data), patches, inverse };
}

/**
 * Replace the rows of `table` (rows added, removed, moved or renumbered; unchanged rows keep their identity).
 * Patched position by position: `replace` where the row object differs, then `add` for extra rows or `remove`
 * (from the end) for missing ones. A table that was not an array is replaced whole.
 * @param base - the current data
 * @param table - the Table fieldname
 * @param rows - the new rows (frozen here)
 * @returns the change
 */
export function setTable(base: DocData, table: string, rows: readonly DocData[]): Change {
  const old = base[table];
  if (!Array.isArray(old)) return setKeys(base, [[table, rows]]);
  const patches: Patch[] = [];
  const inverse: Patch[] = [];
  const common = Math.min(old.length, rows.length);
  for (let i = 0; i < common; i++) {
    if (rows[i] === old[i]) continue;
    patches.push(patch('replace', [table, i], rows[i]));
    inverse.push(patch('replace', [table, i], old[i]));
  }
  for (let i = common; i < rows.length; i++) patches.push(patch('add', [table, i], rows[i]));
  for (let i = rows.length - 1; i >= common; i--) inverse.push(patch('remove', [table, i]));
  for (let i = old.length - 1; i >= common; i--) patches.push(patch('remove', [table, i]));
  for (let i = common; i < old.length; i++) inverse.push(patch('add', [table, i], old[i]));
  if (!patches.length) return { data: base, patches, inverse };
  const data = shallowCopy(base);
  put(data, table, freezeData(rows));
  return { data: Object.freeze(data), patches, inverse };
}

/** A copy of a patch value (plain objects and arrays), so the result never shares the caller's patch objects. */
function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Mutable = {};
  for (const key of Object.keys(value)) put(out, key, cloneValue((value as Mutable)[key]));
  return out;
}

function badPatch(message: string): DocError {
  return new DocError('DOC_INVALID_PATCH', `cannot apply patch: ${message}`, { doctype: '' });
}

const isContainer = (v: unknown): v is Mutable => typeof v === 'object' && v !== null;

/**
 * Apply patches to data, copy-on-write: the input is untouched (each object on a patched path is copied once),
 * the result frozen.
 * @param base - the data to start from
 * @param patches - patches as {@link Patch} describes them (an `add` at index `-` appends to an array)
 * @returns the patched data
 * @throws {DocError} `DOC_INVALID_PATCH` for an unknown op, an empty path, a path through a missing value, or a
 *   path through `__proto__` / `constructor` / `prototype`
 */
export function applyPatches(base: DocData, patches: readonly Patch[]): DocData {
  const copies = new Set<object>();
  const own = <T extends object>(value: T): T => {
    if (copies.has(value)) return value;
    const copy = shallowCopy(value);
    copies.add(copy);
    return copy;
  };
  if (patches.length === 0) return base;
  const root = own(base as Mutable);
  for (const p of patches) {
    const path = p?.path;
    if (!Array.isArray(path) || path.length === 0) throw badPatch(`${JSON.stringify(path)} is not a path into the document`);
    if (path.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) throw badPatch(`${path.join('/')} patches a reserved property`);
    let target: Mutable = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = String(path[i]);
      const child = target[key];
      if (!isContainer(child) || !Object.hasOwn(target, key)) throw badPatch(`path ${path.join('/')} does not resolve`);
      const copy = own(child);
      if (copy !== child) put(target, key, copy);
      target = copy;
    }
    const key = path[path.length - 1]!;
    const value = cloneValue(p.value);
    if (p.op === 'replace') put(target, String(key), value);
    else if (p.op === 'add') {
      if (Array.isArray(target)) {
        if (key === '-') target.push(value);
        else target.splice(Number(key), 0, value);
      } else put(target, String(key), value);
    } else if (p.op === 'remove') {
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[String(key)];
    } else throw badPatch(`unsupported operation ${JSON.stringify(p.op)}`);
  }
  return freezeData(root);
}
