/**
 * The only ways an expression touches a value: reading a property and calling an allow-listed method.
 *
 * Deny by default. A read returns an *own data* property of an object or array, a character or `length` of a
 * string, and `undefined` for a name that JavaScript would not find either. A name JavaScript *would* find on the
 * prototype chain (`toString`, `includes`, `__proto__`...) is never returned: it would hand a function or a
 * prototype to the expression. Methods are looked up by receiver type in fixed tables of the built-in
 * prototype functions, never through the receiver, so user data cannot supply or shadow a method (`methods.ts`).
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

/** Property names refused outright, statically and at run time: they lead to prototypes and constructors. */
export const BLOCKED_PROPERTIES: ReadonlySet<string> = new Set([
  '__proto__', 'constructor', 'prototype',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/** `typeof x` for a value that may be null, as JavaScript names it in messages. */
export function describe(v: unknown): string {
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
  if (key === 'length' && Array.isArray(obj)) return obj.length; // always an own data property
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (desc) return 'value' in desc ? desc.value : undefined; // an accessor reads as undefined: no getter runs
  if (key in obj) fault(`Inherited member '${key}' cannot be used as a value`);
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;
const gopd = Object.getOwnPropertyDescriptor;

/**
 * Objects and arrays checked once and found to be plain data: an object whose prototype is `Object.prototype`
 * (or `null`) and whose own properties are all data properties; an array whose indexed elements are all data
 * properties. Reading them directly can never run a getter or return an inherited member.
 *
 * The check of the properties runs once per object, the first time an evaluation sees it, and is remembered for
 * the object's lifetime, so the per-access path is a plain property read whether or not the caller froze the
 * object (checking descriptors on every read costs several times the read). The prototype is checked again on
 * every evaluation ({@link plainProto}), so a prototype changed later is caught. For a frozen object the verdict
 * is exact forever. An unfrozen object keeps it while its properties are changed by assignment (`doc.x = 1`),
 * which can never create an accessor. What remains is a caller that later *redefines* a property of an
 * already-seen object as an accessor (`Object.defineProperty`): its own getter then runs when an expression
 * reads that property, as a Proxy's trap does. That is harmless to the sandbox (docs/expressions.md says why,
 * test/expr/vetting.test.ts proves it): the getter gets no argument from the expression, runs at most once per
 * read site of an evaluation, and what it returns is data like any other value. Nothing an expression does can
 * change an object: expressions never write.
 */
const plainData = new WeakSet<object>();
// eslint-disable-next-line no-restricted-properties -- the one allocation-free way to ask "is there a getter?"
const lookupGetter = (Object.prototype as unknown as { __lookupGetter__(k: PropertyKey): unknown }).__lookupGetter__;
/** Recently vetted objects: a form evaluates all its conditions against one document (and its parent). */
let last1: object | undefined;
let last2: object | undefined;

const getPrototypeOf = Object.getPrototypeOf;
const OBJECT_PROTOTYPE = Object.prototype;

/**
 * Whether `obj` inherits nothing but `Object.prototype` (or nothing at all). Checked on every evaluation, not only
 * the first time: a prototype can be changed after an evaluation saw the object (`Object.setPrototypeOf(doc, X)`),
 * and a direct read would then find X's members.
 */
function plainProto(obj: object): boolean {
  const proto = getPrototypeOf(obj) as unknown;
  return proto === OBJECT_PROTOTYPE || proto === null;
}

function remember(obj: object): true {
  last2 = last1;
  last1 = obj;
  return true;
}

/**
 * True when `obj` is a plain object of data properties (see {@link plainData}), so `obj[key]` is a plain read.
 * @param obj any value; non-objects and arrays give false
 */
export function isPlainData(obj: unknown): boolean {
  if (obj === last1 || obj === last2) return obj !== undefined && plainProto(obj as object);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
  if (plainData.has(obj)) return plainProto(obj) && remember(obj);
  if (!plainProto(obj)) return false;
  // A getter is what a read could run (a setter-only accessor reads as undefined and runs nothing).
  // __lookupGetter__ allocates nothing per property, unlike getOwnPropertyDescriptor(s).
  for (const k of Object.getOwnPropertyNames(obj)) if (lookupGetter.call(obj, k) !== undefined) return false;
  for (const k of Object.getOwnPropertySymbols(obj)) if (lookupGetter.call(obj, k) !== undefined) return false;
  plainData.add(obj);
  return remember(obj);
}

/**
 * True when every indexed element of `a` is a data property (holes allowed), checked once per array.
 * @param a an array
 * @returns whether elements may be read directly; the caller charges the first check ({@link vetCost})
 */
export function isPlainArray(a: readonly unknown[]): boolean {
  if (plainData.has(a)) return true;
  for (let i = 0, n = a.length; i < n; i++) {
    const d = gopd(a, i);
    if (d !== undefined && !('value' in d)) return false;
  }
  plainData.add(a);
  return true;
}

/** Whether {@link isPlainArray} would have to scan `a` (for the meter: a first check costs a descriptor read per element). */
export function needsVetting(a: readonly unknown[]): boolean {
  return !plainData.has(a);
}

/** Mark an array the evaluator built from constants as plain data (it is frozen). */
export function markPlain<T extends object>(obj: T): T {
  plainData.add(obj);
  return obj;
}

/**
 * Element `i` of an array as index access reads it: an own data property, else undefined (holes, accessors).
 * @param plain the result of {@link isPlainArray} for `a`
 */
export function elementAt(a: readonly unknown[], i: number, plain: boolean): unknown {
  if (plain) return hasOwn.call(a, i) ? a[i] : undefined;
  const d = gopd(a, i);
  return d !== undefined && 'value' in d ? d.value : undefined;
}

/** Whether `a` has an own element at `i` (a data or accessor property: JavaScript's HasProperty, without the chain). */
export function hasElement(a: readonly unknown[], i: number): boolean {
  return hasOwn.call(a, i);
}

/**
 * {@link getMember} for a key vetted at compile time (not blocked), on an object already known to be plain
 * data (or not): the fast path of `doc.field`. Same results and faults as `getMember`.
 */
export function readStatic(obj: unknown, key: string, plain: boolean): unknown {
  return plain && hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : getMember(obj, key);
}
