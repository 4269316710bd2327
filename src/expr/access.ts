/**
 * The only ways an expression touches a value: reading a property and calling an allow-listed method.
 *
 * Deny by default. A read returns an *own data* property of an object or array, a character or `length` of a
 * string, and `undefined` for a name that JavaScript would not find either. A name JavaScript *would* find on the
 * prototype chain (`toString`, `includes`, `__proto__`...) is never returned: it would hand a function or a
 * prototype to the expression. Methods are looked up by receiver type in fixed tables of the built-in
 * prototype functions, never through the receiver, so user data cannot supply or shadow a method.
 *
 * @module
 */

/** An error thrown where JavaScript would throw; the evaluator turns it into `ExpressionError('EXPR_RUNTIME')`. */
export class EvalFault extends Error {
  override get name(): string {
    return 'EvalFault';
  }
}

/** Throw an {@link EvalFault}. */
export function fault(description: string): never {
  throw new EvalFault(description);
}

/** Longest string or array an expression may build (`repeat`, `padStart`, `join`, `+`...). Frappe's never exceed a few hundred. */
export const MAX_RESULT_LENGTH = 1_000_000;

/** Property names refused outright, statically and at run time: they lead to prototypes and constructors. */
export const BLOCKED_PROPERTIES: ReadonlySet<string> = new Set([
  '__proto__', 'constructor', 'prototype',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/** `typeof x` for a value that may be null, as JavaScript names it in messages. */
function describe(v: unknown): string {
  return v === null ? 'null' : typeof v;
}

/** Property key as JavaScript computes it for `obj[key]` (ToPropertyKey; our values are never symbols). */
export function toKey(key: unknown): string {
  return typeof key === 'string' ? key : String(key);
}

const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;

/** Whether `name` exists on the built-in prototype chain of a primitive of this type. */
function inheritedByPrimitive(v: unknown, name: string): boolean {
  switch (typeof v) {
    case 'string': return name in String.prototype;
    case 'number': return name in Number.prototype;
    case 'boolean': return name in Boolean.prototype;
    case 'bigint': return name in BigInt.prototype;
    default: return name in Object.prototype;
  }
}

/**
 * `obj[key]` for expressions: own data properties only, accessors read as `undefined` (getters never run).
 * @param obj the receiver
 * @param key the property key (already converted with {@link toKey})
 * @returns the value, or `undefined` where JavaScript finds nothing
 * @throws EvalFault on `null`/`undefined` receivers, blocked names and inherited members
 */
export function getMember(obj: unknown, key: string): unknown {
  if (obj === null || obj === undefined) fault(`Cannot read properties of ${describe(obj)} (reading '${key}')`);
  if (BLOCKED_PROPERTIES.has(key)) fault(`Access to '${key}' is not allowed`);
  if (typeof obj === 'string') {
    if (key === 'length') return obj.length;
    if (CANONICAL_INDEX.test(key)) {
      const i = Number(key);
      return i < obj.length ? obj.charAt(i) : undefined;
    }
    if (inheritedByPrimitive(obj, key)) fault(`String method '${key}' cannot be used as a value`);
    return undefined;
  }
  if (typeof obj !== 'object' && typeof obj !== 'function') {
    if (inheritedByPrimitive(obj, key)) fault(`${typeof obj} method '${key}' cannot be used as a value`);
    return undefined;
  }
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (desc) return 'value' in desc ? desc.value : undefined; // an accessor reads as undefined: no getter runs
  if (key in obj) fault(`Inherited member '${key}' cannot be used as a value`);
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;
/** Frozen objects whose own properties are all data properties: reading them can never run a getter. */
const plainData = new WeakSet<object>();

/**
 * True when `obj` is frozen and has no accessor property, so `obj[key]` is a plain read. Checked once per
 * object (frozen objects cannot change); coworker's documents are always frozen, so this is the common case.
 */
let lastPlain: object | undefined; // one-entry cache: a form evaluates all its conditions against one document
export function isPlainData(obj: unknown): boolean {
  if (obj === lastPlain) return true;
  if (typeof obj !== 'object' || obj === null) return false;
  if (plainData.has(obj)) {
    lastPlain = obj;
    return true;
  }
  if (!Object.isFrozen(obj)) return false;
  // Only plain objects: their prototype chain is Object.prototype alone (or nothing).
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const descs = Object.getOwnPropertyDescriptors(obj);
  for (const k in descs) if (!('value' in descs[k]!)) return false;
  plainData.add(obj);
  lastPlain = obj;
  return true;
}

/**
 * {@link getMember} for a key vetted at compile time (not blocked), on an object already known to be plain
 * data (or not): the fast path of `doc.field`. Same results and faults as `getMember`.
 */
export function readStatic(obj: unknown, key: string, plain: boolean): unknown {
  return plain && hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : getMember(obj, key);
}

type Method = (recv: never, args: unknown[]) => unknown;

function checkLength(n: number, what: string): void {
  if (n > MAX_RESULT_LENGTH) fault(`${what} would be longer than ${MAX_RESULT_LENGTH} characters`);
}

/** Regex-like arguments would run their own `Symbol.split`/`Symbol.replace`: only primitives are accepted. */
function primitivePattern(p: unknown, method: string): unknown {
  if ((typeof p === 'object' && p !== null) || typeof p === 'function') fault(`${method}() accepts only a string pattern`);
  return p;
}

/** ToIntegerOrInfinity, as `repeat` / `padStart` apply it to their count. */
function toInteger(v: unknown): number {
  const n = Number(v);
  return Number.isNaN(n) ? 0 : Math.trunc(n);
}

const S = String.prototype;
const A = Array.prototype;

const STRING_METHODS: Readonly<Record<string, Method>> = {
  includes: (s: string, a) => S.includes.apply(s, a as [string]),
  indexOf: (s: string, a) => S.indexOf.apply(s, a as [string]),
  lastIndexOf: (s: string, a) => S.lastIndexOf.apply(s, a as [string]),
  startsWith: (s: string, a) => S.startsWith.apply(s, a as [string]),
  endsWith: (s: string, a) => S.endsWith.apply(s, a as [string]),
  slice: (s: string, a) => S.slice.apply(s, a as [number]),
  substring: (s: string, a) => S.substring.apply(s, a as [number]),
  substr: (s: string, a) => S.substr.apply(s, a as [number]),
  toLowerCase: (s: string) => s.toLowerCase(),
  toUpperCase: (s: string) => s.toUpperCase(),
  trim: (s: string) => s.trim(),
  trimStart: (s: string) => s.trimStart(),
  trimEnd: (s: string) => s.trimEnd(),
  split: (s: string, a) => s.split(primitivePattern(a[0], 'split') as string, a[1] as number),
  charAt: (s: string, a) => S.charAt.apply(s, a as [number]),
  charCodeAt: (s: string, a) => S.charCodeAt.apply(s, a as [number]),
  padStart: (s: string, a) => {
    checkLength(toInteger(a[0]), 'padStart() result');
    return S.padStart.apply(s, a as [number]);
  },
  padEnd: (s: string, a) => {
    checkLength(toInteger(a[0]), 'padEnd() result');
    return S.padEnd.apply(s, a as [number]);
  },
  repeat: (s: string, a) => {
    const count = toInteger(a[0]);
    if (s.length > 0 && count > 0 && Number.isFinite(count)) checkLength(s.length * count, 'repeat() result');
    return S.repeat.call(s, a[0] as number);
  },
  replace: (s: string, a) => {
    const replacement = a[1];
    if (typeof replacement === 'function') fault('replace() accepts only a string replacement');
    return s.replace(primitivePattern(a[0], 'replace') as string, replacement as string);
  },
  concat: (s: string, a) => {
    const out = S.concat.apply(s, a as string[]);
    checkLength(out.length, 'concat() result');
    return out;
  },
  at: (s: string, a) => S.at.apply(s, a as [number]),
  localeCompare: (s: string, a) => S.localeCompare.apply(s, a as [string]),
  toString: (s: string) => s,
};

const ARRAY_METHODS: Readonly<Record<string, Method>> = {
  includes: (r: unknown[], a) => A.includes.apply(r, a as [unknown]),
  indexOf: (r: unknown[], a) => A.indexOf.apply(r, a as [unknown]),
  lastIndexOf: (r: unknown[], a) => A.lastIndexOf.apply(r, a as [unknown]),
  join: (r: unknown[], a) => {
    const sep = a[0] === undefined ? ',' : String(a[0]);
    checkLength(sep.length * Math.max(0, r.length - 1), 'join() result');
    const out = A.join.call(r, sep);
    checkLength(out.length, 'join() result');
    return out;
  },
  slice: (r: unknown[], a) => A.slice.apply(r, a as [number]),
  concat: (r: unknown[], a) => {
    const out = A.concat.apply(r, a);
    checkLength(out.length, 'concat() result');
    return out;
  },
  at: (r: unknown[], a) => A.at.apply(r, a as [number]),
};

const NUMBER_METHODS: Readonly<Record<string, Method>> = {
  toFixed: (n: number, a) => Number.prototype.toFixed.apply(n, a as [number]),
  toPrecision: (n: number, a) => Number.prototype.toPrecision.apply(n, a as [number]),
  toString: (n: number, a: unknown[]) => Number.prototype.toString.apply(n, a as [number]),
};

const BOOLEAN_METHODS: Readonly<Record<string, Method>> = {
  toString: (b: boolean) => String(b),
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
 * `recv[name](...args)` restricted to the allow-list.
 * @param recv the receiver (already evaluated)
 * @param name the method name
 * @param args the evaluated arguments
 * @throws EvalFault when JavaScript would throw a TypeError (nullish receiver, no such method) or a limit is hit
 */
export function callMethod(recv: unknown, name: string, args: unknown[]): unknown {
  if (recv === null || recv === undefined) fault(`Cannot read properties of ${describe(recv)} (reading '${name}')`);
  const m = methodFor(recv, name);
  if (!m) fault(`${describe(recv)} value has no callable method '${name}'`);
  return m(recv as never, args);
}
