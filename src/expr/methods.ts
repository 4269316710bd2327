/**
 * The allow-listed methods an expression may call, by receiver type, each charged to the evaluation's meter.
 *
 * Methods are looked up in these fixed tables by the receiver's type (`typeof`, `Array.isArray`), never through
 * the receiver, so user data cannot supply or shadow a method. String methods call the built-in with arguments
 * already converted here ({@link toStr}, {@link prim}), after charging what the call will cost: the scan, the
 * result's length (known in advance for `repeat`, `padStart`, `replace` with `$'` patterns, `concat`, case
 * conversion), the pieces of `split`. Array methods are written here, reading elements as index access does
 * (own data properties; an accessor element reads as undefined and its getter never runs), so that no
 * built-in iterates a caller's array or looks up `constructor` / `Symbol.isConcatSpreadable` on it.
 *
 * @module
 */
import { describe, elementAt, fault, hasElement, isPlainArray, needsVetting } from './access';
import { LONG_STRING, chargeElements, joinArray, toPrimitive, toStr } from './convert';
import { ELEMENT_OPS, allocate, chargeArray, chargeString, spend, type Meter } from './meter';

type Method = (m: Meter, recv: never, args: unknown[]) => unknown;

/** A primitive argument: objects converted here (metered, no caller code), long strings charged. */
function prim(m: Meter, v: unknown, hint: 'string' | 'number'): unknown {
  if (typeof v === 'object' || typeof v === 'function') v = v === null ? v : toPrimitive(m, v, hint);
  if (typeof v === 'string' && v.length > LONG_STRING) spend(m, v.length);
  return v;
}

/** Regex-like arguments would run their own `Symbol.split`/`Symbol.replace`: only primitives are accepted. */
function primitivePattern(m: Meter, p: unknown, method: string): string {
  if ((typeof p === 'object' && p !== null) || typeof p === 'function') fault(`${method}() accepts only a string pattern`);
  return toStr(m, p);
}

/** ToIntegerOrInfinity. */
function toInteger(v: unknown): number {
  const n = Number(v);
  return Number.isNaN(n) ? 0 : Math.trunc(n);
}

/** The length of `replace`'s result for a string pattern found at `pos` (GetSubstitution, without captures). */
function substitutionLength(r: string, matchLen: number, pos: number, n: number): number {
  let len = 0;
  for (let i = 0; i < r.length; i++) {
    if (r.charCodeAt(i) !== 36 || i + 1 >= r.length) {
      len++;
      continue;
    }
    const c = r[i + 1];
    if (c === '$') len++;
    else if (c === '&') len += matchLen;
    else if (c === '`') len += pos;
    else if (c === "'") len += n - pos - matchLen;
    else {
      len++; // a lone `$`: the next character is read on its own
      continue;
    }
    i++;
  }
  return len;
}

/** A substring: a slice or a short copy, constant size. */
function chargeSubstring(m: Meter): void {
  spend(m, 1);
  allocate(m, 48);
}

const S = String.prototype;

const STRING_METHODS: Readonly<Record<string, Method>> = {
  includes: (m, s: string, a) => {
    const p = toStr(m, a[0]);
    spend(m, s.length + p.length);
    return S.includes.call(s, p, prim(m, a[1], 'number') as number);
  },
  indexOf: (m, s: string, a) => {
    const p = toStr(m, a[0]);
    spend(m, s.length + p.length);
    return S.indexOf.call(s, p, prim(m, a[1], 'number') as number);
  },
  lastIndexOf: (m, s: string, a) => {
    const p = toStr(m, a[0]);
    // V8 searches backwards naively: up to (n - m + 1) * m character comparisons.
    spend(m, Math.max(s.length, (s.length - p.length + 1) * p.length));
    return S.lastIndexOf.call(s, p, prim(m, a[1], 'number') as number);
  },
  startsWith: (m, s: string, a) => {
    const p = toStr(m, a[0]);
    spend(m, p.length);
    return S.startsWith.call(s, p, prim(m, a[1], 'number') as number);
  },
  endsWith: (m, s: string, a) => {
    const p = toStr(m, a[0]);
    spend(m, p.length);
    return S.endsWith.call(s, p, prim(m, a[1], 'number') as number);
  },
  slice: (m, s: string, a) => {
    chargeSubstring(m);
    return S.slice.call(s, prim(m, a[0], 'number') as number, prim(m, a[1], 'number') as number);
  },
  substring: (m, s: string, a) => {
    chargeSubstring(m);
    return S.substring.call(s, prim(m, a[0], 'number') as number, prim(m, a[1], 'number') as number);
  },
  substr: (m, s: string, a) => {
    chargeSubstring(m);
    return S.substr.call(s, prim(m, a[0], 'number') as number, prim(m, a[1], 'number') as number);
  },
  toLowerCase: (m, s: string) => caseConverted(m, s, s.toLowerCase.bind(s)),
  toUpperCase: (m, s: string) => caseConverted(m, s, s.toUpperCase.bind(s)),
  trim: (m, s: string) => (spend(m, s.length), allocate(m, 48), s.trim()),
  trimStart: (m, s: string) => (spend(m, s.length), allocate(m, 48), s.trimStart()),
  trimEnd: (m, s: string) => (spend(m, s.length), allocate(m, 48), s.trimEnd()),
  split: (m, s: string, a) => {
    if (a[0] === undefined) {
      chargeArray(m, 1);
      return a.length > 1 && a[1] !== undefined && toInteger(prim(m, a[1], 'number')) >>> 0 === 0 ? [] : [s];
    }
    const sep = primitivePattern(m, a[0], 'split');
    const limit = a[1] === undefined ? 2 ** 32 - 1 : toInteger(prim(m, a[1], 'number')) >>> 0;
    spend(m, s.length + sep.length);
    let pieces: number;
    if (sep === '') pieces = s.length;
    else {
      pieces = 1;
      for (let i = s.indexOf(sep); i !== -1 && pieces <= limit; i = s.indexOf(sep, i + sep.length)) {
        spend(m, ELEMENT_OPS);
        pieces++;
      }
    }
    pieces = Math.min(pieces, limit);
    chargeArray(m, pieces);
    allocate(m, 32 * pieces); // each piece: a slice or a short copy
    return s.split(sep, limit);
  },
  charAt: (m, s: string, a) => (spend(m, 1), S.charAt.call(s, prim(m, a[0], 'number') as number)),
  charCodeAt: (m, s: string, a) => (spend(m, 1), S.charCodeAt.call(s, prim(m, a[0], 'number') as number)),
  padStart: (m, s: string, a) => padded(m, s, a, S.padStart),
  padEnd: (m, s: string, a) => padded(m, s, a, S.padEnd),
  repeat: (m, s: string, a) => {
    const c = prim(m, a[0], 'number');
    const count = toInteger(c);
    if (s.length > 0 && count > 0 && Number.isFinite(count)) chargeString(m, s.length * count);
    return S.repeat.call(s, c as number);
  },
  replace: (m, s: string, a) => {
    if (typeof a[1] === 'function') fault('replace() accepts only a string replacement');
    const pattern = primitivePattern(m, a[0], 'replace');
    const replacement = toStr(m, a[1]);
    spend(m, s.length + pattern.length + replacement.length);
    const pos = s.indexOf(pattern);
    if (pos === -1) return s;
    chargeString(m, s.length - pattern.length + substitutionLength(replacement, pattern.length, pos, s.length));
    return s.replace(pattern, replacement);
  },
  concat: (m, s: string, a) => {
    const parts = a.map((x) => toStr(m, x));
    chargeString(m, parts.reduce((n, p) => n + p.length, s.length));
    return S.concat.apply(s, parts);
  },
  at: (m, s: string, a) => (spend(m, 1), S.at.call(s, prim(m, a[0], 'number') as number)),
  localeCompare: (m, s: string, a) => {
    const that = toStr(m, a[0]);
    spend(m, 8 * (s.length + that.length)); // collation is several times dearer than a comparison
    return s.localeCompare(that);
  },
  toString: (_m: Meter, s: string) => s,
};

/** `toLowerCase` / `toUpperCase`: the result may be longer than the input (`'ß'` -> `'SS'`, at most 3x). */
function caseConverted(m: Meter, s: string, convert: () => string): string {
  chargeString(m, s.length);
  const out = convert();
  if (out.length > s.length) allocate(m, 2 * (out.length - s.length));
  return out;
}

function padded(m: Meter, s: string, a: unknown[], pad: (this: string, n: number, f?: string) => string): string {
  const target = toInteger(prim(m, a[0], 'number'));
  const filler = a[1] === undefined ? undefined : toStr(m, a[1]);
  if (target > s.length && filler !== '') chargeString(m, target);
  return pad.call(s, target, filler);
}

/** Elements may be read directly once the array is checked; the first check is charged. */
function vet(m: Meter, r: readonly unknown[]): boolean {
  if (needsVetting(r)) spend(m, 4 * ELEMENT_OPS * r.length);
  return isPlainArray(r);
}

/** The start index of includes/indexOf (`fromIndex`, relative from the end when negative). */
function fromIndex(m: Meter, v: unknown, n: number): number {
  const k = toInteger(prim(m, v, 'number'));
  return k >= 0 ? k : Math.max(n + k, 0);
}

/** Comparing a long string against every element costs up to its length each time. */
function chargeSearch(m: Meter, r: readonly unknown[], x: unknown): boolean {
  if (typeof x === 'string' && x.length > LONG_STRING) spend(m, r.length * (x.length >>> 3));
  return chargeElements(m, r);
}

const ARRAY_METHODS: Readonly<Record<string, Method>> = {
  includes: (m, r: unknown[], a) => {
    const x = a[0];
    const plain = chargeSearch(m, r, x);
    const n = r.length;
    for (let k = fromIndex(m, a[1], n); k < n; k++) {
      const e = elementAt(r, k, plain);
      if (e === x || (e !== e && x !== x)) return true; // SameValueZero
    }
    return false;
  },
  indexOf: (m, r: unknown[], a) => {
    const x = a[0];
    const plain = chargeSearch(m, r, x);
    const n = r.length;
    for (let k = fromIndex(m, a[1], n); k < n; k++) if (hasElement(r, k) && elementAt(r, k, plain) === x) return k;
    return -1;
  },
  lastIndexOf: (m, r: unknown[], a) => {
    const x = a[0];
    const plain = chargeSearch(m, r, x);
    const n = r.length;
    const from = a.length > 1 ? toInteger(prim(m, a[1], 'number')) : n - 1;
    for (let k = from >= 0 ? Math.min(from, n - 1) : n + from; k >= 0; k--) if (hasElement(r, k) && elementAt(r, k, plain) === x) return k;
    return -1;
  },
  join: (m, r: unknown[], a) => joinArray(m, r, a[0] === undefined ? ',' : toStr(m, a[0])),
  slice: (m, r: unknown[], a) => {
    const n = r.length;
    const rel = (v: unknown, dflt: number) => {
      if (v === undefined) return dflt;
      const k = toInteger(prim(m, v, 'number'));
      return k < 0 ? Math.max(n + k, 0) : Math.min(k, n);
    };
    const start = rel(a[0], 0);
    const count = Math.max(rel(a[1], n) - start, 0);
    chargeArray(m, count);
    const plain = vet(m, r);
    const out: unknown[] = new Array(count); // holes stay holes
    for (let j = 0; j < count; j++) if (hasElement(r, start + j)) out[j] = elementAt(r, start + j, plain);
    return out;
  },
  concat: (m, r: unknown[], a) => {
    const items: unknown[] = [r, ...a];
    let total = 0;
    for (const x of items) total += Array.isArray(x) ? x.length : 1;
    chargeArray(m, total);
    const out: unknown[] = new Array(total);
    let j = 0;
    for (const x of items) {
      if (!Array.isArray(x)) {
        out[j++] = x;
        continue;
      }
      const plain = vet(m, x);
      for (let i = 0; i < x.length; i++, j++) if (hasElement(x, i)) out[j] = elementAt(x, i, plain);
    }
    return out;
  },
  at: (m, r: unknown[], a) => {
    spend(m, 1);
    const n = r.length;
    const i = toInteger(prim(m, a[0], 'number'));
    const k = i >= 0 ? i : n + i;
    return k < 0 || k >= n ? undefined : elementAt(r, k, !needsVetting(r));
  },
};

const N = Number.prototype;
/** Number formatting: results are at most ~1,100 characters (`toString(2)` of a tiny number). */
const NUMBER_METHODS: Readonly<Record<string, Method>> = {
  toFixed: (m, n: number, a) => (spend(m, 1), allocate(m, 256), N.toFixed.call(n, prim(m, a[0], 'number') as number)),
  toPrecision: (m, n: number, a) => (spend(m, 1), allocate(m, 256), N.toPrecision.call(n, prim(m, a[0], 'number') as number)),
  toString: (m: Meter, n: number, a: unknown[]) => (spend(m, 1), allocate(m, 2300), N.toString.call(n, prim(m, a[0], 'number') as number)),
};

const BOOLEAN_METHODS: Readonly<Record<string, Method>> = {
  toString: (_m: Meter, b: boolean) => String(b),
};

/** Every method name callable on some receiver type; a call to any other name is refused at compile time. */
export const METHOD_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(STRING_METHODS), ...Object.keys(ARRAY_METHODS), ...Object.keys(NUMBER_METHODS), ...Object.keys(BOOLEAN_METHODS),
]);

const own = (table: Readonly<Record<string, Method>>, name: string): Method | undefined =>
  Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;

/**
 * The allow-listed method `name` for this receiver, chosen by its type, or undefined.
 * @param recv the receiver value
 * @param name the method name
 */
export function methodFor(recv: unknown, name: string): Method | undefined {
  if (typeof recv === 'string') return own(STRING_METHODS, name);
  if (typeof recv === 'number') return own(NUMBER_METHODS, name);
  if (typeof recv === 'boolean') return own(BOOLEAN_METHODS, name);
  if (Array.isArray(recv)) return own(ARRAY_METHODS, name);
  return undefined;
}

/**
 * `recv[name](...args)` restricted to the allow-list, charged to the meter.
 * @param m the evaluation's meter
 * @param recv the receiver (already evaluated)
 * @param name the method name
 * @param args the evaluated arguments
 * @throws EvalFault when JavaScript would throw a TypeError (nullish receiver, no such method);
 *   LimitFault when the budget runs out
 */
export function callMethod(m: Meter, recv: unknown, name: string, args: unknown[]): unknown {
  if (recv === null || recv === undefined) fault(`Cannot read properties of ${describe(recv)} (reading '${name}')`);
  const fn = methodFor(recv, name);
  if (!fn) fault(`${describe(recv)} value has no callable method '${name}'`);
  return fn(m, recv as never, args);
}
