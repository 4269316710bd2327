/**
 * JavaScript's implicit conversions (ToPrimitive, ToString, ToNumber), done here instead of by the engine
 * whenever an operand is an object or a long string, for two reasons:
 *
 * - **metering**: `[doc.big, doc.big, ...] + ''` or `-doc.long_text` would otherwise build or parse megabytes
 *   inside one native call the meter cannot see; here every element and character is charged first;
 * - **no caller code**: the engine's ToPrimitive reads `toString`, `valueOf` and `Symbol.toPrimitive` through
 *   the object (own accessors, own functions, class methods). Here arrays are joined element by element with
 *   index-access semantics, Dates use the built-in Date methods, plain objects give `'[object Object]'`, and an
 *   object that brings its own conversion is refused (`EXPR_RUNTIME`) instead of having it run.
 *
 * Primitives and short strings never come here: the operator closures test {@link heavy} first.
 *
 * @module
 */
import { describe, elementAt, fault, isPlainArray, needsVetting } from './access';
import { ELEMENT_OPS, allocate, chargeString, spend, type Meter } from './meter';

/** Strings longer than this are compared, parsed and concatenated on the metered path. */
export const LONG_STRING = 256;

/** Whether an operand must take the metered path: an object, a function, or a long string. */
export function heavy(v: unknown): boolean {
  return typeof v === 'string' ? v.length > LONG_STRING : typeof v === 'object' ? v !== null : typeof v === 'function';
}

type Hint = 'default' | 'number' | 'string';

const hasOwn = Object.prototype.hasOwnProperty;
const dateTime = Date.prototype.getTime;
const dateString = Date.prototype.toString;

function isDate(v: object): boolean {
  try {
    dateTime.call(v);
    return true;
  } catch {
    return false;
  }
}

/** Charge for reading every element of `a` (and for checking them once, the first time this array is seen). */
export function chargeElements(m: Meter, a: readonly unknown[]): boolean {
  spend(m, (needsVetting(a) ? 5 : 1) * ELEMENT_OPS * a.length);
  return isPlainArray(a);
}

/**
 * `Array.prototype.join` with index-access reads, charged per element and for the result before it is built.
 * Cyclic arrays join as `''` where they recur, as in V8.
 */
export function joinArray(m: Meter, a: readonly unknown[], sep: string, stack: unknown[] = []): string {
  if (stack.includes(a)) return '';
  const plain = chargeElements(m, a);
  const n = a.length;
  allocate(m, 8 * n + 16);
  stack.push(a);
  const parts = new Array<string>(n);
  let total = sep.length * Math.max(0, n - 1);
  for (let i = 0; i < n; i++) {
    const e = elementAt(a, i, plain);
    const s = e === null || e === undefined ? '' : typeof e === 'string' ? e : Array.isArray(e) ? joinArray(m, e, ',', stack) : toStr(m, e);
    total += s.length;
    parts[i] = s;
  }
  stack.pop();
  chargeString(m, total); // before the engine builds it
  return parts.join(sep);
}

/**
 * ToPrimitive without running code of the value: arrays join, Dates convert with Date's own methods, plain
 * objects are `'[object Object]'`; anything else is refused.
 */
export function toPrimitive(m: Meter, v: unknown, hint: Hint): unknown {
  if (typeof v === 'function') fault('A function cannot be converted to a primitive value');
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return joinArray(m, v, ',');
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype) {
    if (hasOwn.call(v, 'toString') || hasOwn.call(v, 'valueOf') || hasOwn.call(v, Symbol.toPrimitive) || hasOwn.call(v, Symbol.toStringTag)) {
      fault('Cannot convert an object with its own toString / valueOf to a primitive value (it is never called)');
    }
    return '[object Object]';
  }
  if (proto === null) fault('Cannot convert object to primitive value');
  if (isDate(v)) return hint === 'number' ? dateTime.call(v) : dateString.call(v);
  return fault(`Cannot convert this ${describe(v)} to a primitive value (its own conversion code is never run)`);
}

/** ToString (`v + ''` for primitives), metered for objects. Symbols throw, as in JavaScript. */
export function toStr(m: Meter, v: unknown, hint: Hint = 'string'): string {
  if (typeof v === 'string') return v;
  const p = typeof v === 'object' || typeof v === 'function' ? toPrimitive(m, v, hint) : v;
  return typeof p === 'string' ? p : '' + (p as string);
}

/** A property key from a computed `obj[key]` (ToPropertyKey), metered for objects. */
export function toKeyMetered(m: Meter, key: unknown): string {
  return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : toStr(m, key);
}

/** ToPrimitive for an operator, charging the scan of a long string (comparison, parsing, copying). */
export function operand(m: Meter, v: unknown, hint: Hint): unknown {
  const p = typeof v === 'object' || typeof v === 'function' ? toPrimitive(m, v, hint) : v;
  if (typeof p === 'string') spend(m, p.length);
  return p;
}
