/**
 * Python values in JavaScript, and the conversions at the boundary.
 *
 * | Python | here |
 * |---|---|
 * | `None` | `null` (`undefined` read from JS data is `None` too) |
 * | `bool` | `boolean` |
 * | `int` | `bigint`: exact, unbounded, so `7 // 2`, `2 ** 100`, `-7 % 3` are Python's |
 * | `float` | `number` |
 * | `str` | `string` |
 * | `list` | `Array` (never mutated by evaluation) |
 * | `tuple` | {@link PyTuple} |
 * | `dict` | {@link PyDict} (`attrs`: a `frappe._dict`, where a missing attribute is `None`) |
 * | `set` | {@link PySet} |
 * | `datetime.datetime` | {@link PyDateTime} |
 * | a function / bound method | {@link PyCallable} |
 *
 * JavaScript has one number type, so the boundary decides: a JS number that is an integer becomes an `int`,
 * any other a `float`, unless the caller names fields that hold floats ({@link ToPyOptions.floatFields}), as
 * Frappe's `as_dict()` gives Float / Currency / Percent fields as Python floats.
 *
 * @module
 */
import { raise } from './errors';

/** A Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** A Python set (only literals make them). */
export class PySet {
  constructor(readonly map: ReadonlyMap<unknown, unknown>) {}
}

/** A Python dict; `attrs` marks a `frappe._dict` (attribute access reads keys, a missing one is `None`). */
export class PyDict {
  constructor(
    readonly map: ReadonlyMap<unknown, readonly [unknown, unknown]>,
    readonly attrs: boolean,
  ) {}

  /** `d.get(key)`: the value or undefined. */
  get(key: unknown): unknown {
    return this.map.get(hashKey(key))?.[1];
  }

  has(key: unknown): boolean {
    return this.map.has(hashKey(key));
  }

  static from(entries: Iterable<readonly [unknown, unknown]>, attrs: boolean): PyDict {
    const map = new Map<unknown, readonly [unknown, unknown]>();
    for (const [k, v] of entries) map.set(hashKey(k), [k, v]);
    return new PyDict(map, attrs);
  }
}

/** A naive `datetime.datetime` (or, with `dateOnly`, a `datetime.date`): wall-clock fields, microseconds. */
export class PyDateTime {
  /**
   * @param ms milliseconds of the wall-clock time read as if it were UTC
   * @param micro microseconds below the millisecond
   * @param dateOnly a `datetime.date`
   */
  constructor(readonly ms: number, readonly micro: number, readonly dateOnly = false) {}

  /** Microseconds on one scale, for comparisons and arithmetic. */
  get ordinal(): number {
    return this.ms * 1000 + this.micro;
  }

  /** `str(dt)`: `YYYY-MM-DD HH:MM:SS[.ffffff]`, or `YYYY-MM-DD` for a date. */
  toString(): string {
    const d = new Date(this.ms);
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const day = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
    if (this.dateOnly) return day;
    const base = `${day} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    const us = d.getUTCMilliseconds() * 1000 + this.micro;
    return us ? `${base}.${p(us, 6)}` : base;
  }
}

/** A callable value: a builtin or a bound method. */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly call: (args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>) => unknown,
  ) {}
}

/** Python's type name of a value, for messages (`'NoneType'`, `'int'`...). */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'str';
    default:
  }
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PySet) return 'set';
  if (v instanceof PyDateTime) return v.dateOnly ? 'datetime.date' : 'datetime.datetime';
  if (v instanceof PyCallable) return 'builtin_function_or_method';
  return 'object';
}

/** The key a dict or set files a value under: `1`, `1.0` and `True` are one key, as in Python. */
export function hashKey(k: unknown): unknown {
  if (k === undefined) return null;
  if (typeof k === 'boolean') return k ? 1n : 0n;
  if (typeof k === 'number') return Number.isInteger(k) ? BigInt(k) : k;
  if (k instanceof PyTuple) return `\u0000t(${k.items.map((x) => String(hashKey(x)) + typeof hashKey(x)).join(',')})`;
  if (k instanceof PyDateTime) return `\u0000d${k.dateOnly ? 'd' : ''}${k.ordinal}`;
  if (k === null || typeof k === 'string' || typeof k === 'bigint') return k;
  return raise('TypeError', `unhashable type: '${typeName(k)}'`);
}

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0; // NaN is true
    case 'string': return v.length > 0;
    default:
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict || v instanceof PySet) return v.map.size > 0;
  return true;
}

/** Is `v` a Python number (`bool`, `int`, `float`)? */
export function isNumber(v: unknown): v is boolean | bigint | number {
  return typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number';
}

/** Integers (`bool` is an `int` subclass) as bigint; other values unchanged. */
export function intOf(v: boolean | bigint | number): bigint | number {
  return typeof v === 'boolean' ? (v ? 1n : 0n) : v;
}

/** Compare two numbers exactly (an int and a float compare by their exact values, as Python does). */
export function numCompare(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  const [i, f, sign] = typeof a === 'bigint' ? [a, b as number, 1] : [b as bigint, a as number, -1];
  if (Number.isNaN(f)) return NaN;
  if (!Number.isFinite(f)) return (f > 0 ? -1 : 1) * sign;
  const fi = BigInt(Math.trunc(f));
  if (i !== fi) return (i < fi ? -1 : 1) * sign;
  const frac = f - Math.trunc(f);
  return (frac > 0 ? -1 : frac < 0 ? 1 : 0) * sign;
}

/** Python `==`. No coercion: `1 == '1'` is False, `1 == 1.0 == True` is True, `[1] == (1,)` is False. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isNumber(a) && isNumber(b)) return numCompare(intOf(a), intOf(b)) === 0;
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return seqEquals(a, b);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [h, [, v]] of a.map) {
      const other = b.map.get(h);
      if (!other || !pyEquals(v, other[1])) return false;
    }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) {
    if (a.map.size !== b.map.size) return false;
    for (const h of a.map.keys()) if (!b.map.has(h)) return false;
    return true;
  }
  if (a instanceof PyDateTime && b instanceof PyDateTime) return a.dateOnly === b.dateOnly && a.ordinal === b.ordinal;
  return a === b;
}

function seqEquals(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || pyEquals(x, b[i]));
}

/** Compare strings by code point, as Python does (JS `<` compares UTF-16 units). */
function strCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

const ORDER_NAMES: Readonly<Record<string, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Python ordering `a op b` for `<`, `<=`, `>`, `>=`; `TypeError` where Python has no order (None < 1). */
export function pyOrder(op: string, a: unknown, b: unknown): boolean {
  const seqA = Array.isArray(a) ? a : a instanceof PyTuple ? a.items : undefined;
  const seqB = Array.isArray(b) ? b : b instanceof PyTuple ? b.items : undefined;
  if (seqA && seqB && Array.isArray(a) === Array.isArray(b)) {
    // Lexicographic: the first pair that differs decides; else the lengths.
    for (let i = 0; i < Math.min(seqA.length, seqB.length); i++) {
      if (!pyEquals(seqA[i], seqB[i])) return pyOrder(op, seqA[i], seqB[i]);
    }
    return holds(op, Math.sign(seqA.length - seqB.length));
  }
  return holds(op, orderOf(op, a, b));
}

function holds(op: string, c: number): boolean {
  if (Number.isNaN(c)) return false;
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    default: return c >= 0;
  }
}

function orderOf(op: string, a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return numCompare(intOf(a), intOf(b));
  if (typeof a === 'string' && typeof b === 'string') return strCompare(a, b);
  if (a instanceof PyDateTime && b instanceof PyDateTime && a.dateOnly === b.dateOnly) return Math.sign(a.ordinal - b.ordinal);
  return raise('TypeError', `'${ORDER_NAMES[op]}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `x in container`. */
export function pyContains(container: unknown, x: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof x !== 'string') raise('TypeError', `'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (Array.isArray(container)) return container.some((y) => y === x || pyEquals(y, x));
  if (container instanceof PyTuple) return container.items.some((y) => y === x || pyEquals(y, x));
  if (container instanceof PyDict || container instanceof PySet) return container.map.has(hashKey(x));
  return raise('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

/** Python `is`: identity. Singletons and equal immutable scalars of one type are the same object here. */
export function pyIs(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  return a === b;
}

/** Options of {@link toPy}. */
export interface ToPyOptions {
  /** Fieldnames whose numbers are Python floats even when integral (Frappe's Float, Currency, Percent). */
  readonly floatFields?: ReadonlySet<string>;
}

/**
 * JSON-like JS data to Python values: objects become `frappe._dict`s (attribute access), arrays lists, numbers
 * ints or floats (see the module notes), `Date` a datetime.
 */
export function toPy(value: unknown, options: ToPyOptions = {}, key?: string): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && !(key !== undefined && options.floatFields?.has(key)) ? BigInt(value) : value;
    case 'boolean':
    case 'string':
    case 'bigint':
      return value;
    default:
  }
  if (Array.isArray(value)) return value.map((v) => toPy(v, options));
  if (value instanceof PyTuple || value instanceof PyDict || value instanceof PySet || value instanceof PyDateTime) return value;
  if (value instanceof Date) return new PyDateTime(value.getTime() - value.getTimezoneOffset() * 60_000, 0);
  if (typeof value === 'object') {
    // String keys are their own hash key: fill the map directly (documents are the hot path).
    const map = new Map<unknown, readonly [unknown, unknown]>();
    for (const k of Object.keys(value)) map.set(k, [k, toPy((value as Record<string, unknown>)[k], options, k)]);
    return new PyDict(map, true);
  }
  return null;
}

/** Python values back to JS data: ints as numbers (bigint when beyond 2^53), tuples as arrays, dicts as objects. */
export function toJs(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(toJs);
  if (value instanceof PyTuple) return value.items.map(toJs);
  if (value instanceof PySet) return [...value.map.values()].map(toJs);
  if (value instanceof PyDict) return Object.fromEntries([...value.map.values()].map(([k, v]) => [String(toJs(k)), toJs(v)]));
  if (value instanceof PyDateTime) return value.toString();
  if (value instanceof PyCallable) return `<${value.name}>`;
  return value;
}
