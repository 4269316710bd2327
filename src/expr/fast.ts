/**
 * The fast path of an evaluation: the commonest shapes of a Frappe condition (`doc.x == 'A'`, `!doc.x`,
 * `doc.x`, `parent.x`, combined with `!`, `&&`, `||`, `??`, `?:`, comparisons and `in_list` of constants: 85%
 * of the corpus) compiled a second time, into closures over the document itself: no runtime object is built,
 * no meter is set up, nothing is allocated.
 *
 * It runs only where the full closures (`nodes.ts`) would do exactly the same thing:
 *
 * - the document (and `parent`, when the expression reads it) is plain data, as `isPlainData` checks it: once per
 *   object for its own properties, and on every evaluation for its prototype; a read is then a plain property
 *   read of a key that was vetted at compile time (not blocked, nothing `Object.prototype` has);
 * - every value read stays light (a primitive, a string of at most 256 characters): an object or a long string
 *   would need the metered conversions, so the closure returns {@link SLOW} instead, and the evaluation starts
 *   again on the full path. Nothing is lost by starting again: the fast path only read data, it ran nothing.
 *
 * The meter has nothing to count here: the work is bounded by the source length, as for the operator closures
 * of the full path.
 *
 * @module
 */
import { BLOCKED_PROPERTIES } from './access';
import { heavy } from './convert';
import { CONSTANTS, ROOT } from './globals';
import { constantArray, literalValue, own, type State } from './nodes';
import type { R } from './operators';
import type { ExprNode } from './parse';

/** Returned by a fast closure when a value needs the full, metered path. */
export const SLOW: unique symbol = Symbol('slow');

/** A fast closure: `doc` and `parent`, both plain data; returns the value, or {@link SLOW}. */
export type FastFn = (doc: R, parent: R) => unknown;

/**
 * The three commonest shapes of the corpus (over half of its expressions), which get an entry of their own
 * (`entry.ts`): `doc.k`, `!doc.k`, and `doc.k <op> literal` (`op` as an index into {@link COMPARISONS}).
 */
export type Shape =
  | { readonly kind: 'read' | 'not'; readonly k: string }
  | { readonly kind: 'compare'; readonly op: number; readonly k: string; readonly v: unknown };

/** An expression's fast closure, whether it reads `parent` (so `parent` must be plain data too), its shape. */
export interface Fast {
  readonly fn: FastFn;
  readonly parent: boolean;
  readonly shape: Shape | undefined;
}

type Cmp = '==' | '!=' | '===' | '!==' | '<' | '>' | '<=' | '>=';
type N = number;
const hasOwn = Object.prototype.hasOwnProperty;
/** The comparison operators, in the order {@link Shape}'s `op` and {@link compareAt} number them. */
export const COMPARISONS: readonly Cmp[] = ['==', '!=', '===', '!==', '<', '>', '<=', '>='];
const COMPARE: ReadonlySet<string> = new Set(COMPARISONS);

/** `a <op> b` for the operator at index `op` of {@link COMPARISONS}: one function for all eight. */
export function compareAt(op: number, a: unknown, b: unknown): boolean {
  switch (op) {
    case 0: return a == b;
    case 1: return a != b;
    case 2: return a === b;
    case 3: return a !== b;
    case 4: return (a as N) < (b as N);
    case 5: return (a as N) > (b as N);
    case 6: return (a as N) <= (b as N);
    default: return (a as N) >= (b as N);
  }
}

/**
 * Compile the fast closure of one statement that has already compiled on the full path (so it is valid and
 * supported), or undefined when it has a shape the fast path does not take.
 */
export function compileFast(st: State, node: ExprNode): Fast | undefined {
  const c = { parent: false };
  const fn = fast(st, node, c);
  return fn === undefined ? undefined : { fn, parent: c.parent, shape: shapeOf(st, node) };
}

function shapeOf(st: State, node: ExprNode): Shape | undefined {
  const f = field(node);
  if (f !== undefined) return f[0] === 'doc' ? { kind: 'read', k: f[1] } : undefined;
  if (node.type === 'UnaryExpression' && node.operator === '!') {
    const g = field(node.argument);
    return g !== undefined && g[0] === 'doc' ? { kind: 'not', k: g[1] } : undefined;
  }
  if (node.type !== 'BinaryExpression' || !COMPARE.has(node.operator)) return undefined;
  const l = field(node.left);
  const lit = l !== undefined && l[0] === 'doc' ? light(st, node.right) : undefined;
  return l !== undefined && lit !== undefined ? { kind: 'compare', op: COMPARISONS.indexOf(node.operator as Cmp), k: l[1], v: lit[0] } : undefined;
}

/** `doc.k` / `parent.k` with a static key vetted for a plain read: `[object, key]`, else undefined. */
function field(node: ExprNode): readonly ['doc' | 'parent', string] | undefined {
  if (node.type !== 'MemberExpression' || node.optional === true) return undefined;
  const o = node.object;
  if (o.type !== 'Identifier' || (o.name !== 'doc' && o.name !== 'parent')) return undefined;
  const p = node.property;
  const k = !node.computed && p.type === 'Identifier' ? p.name
    : node.computed && p.type === 'Literal' && typeof p.value === 'string' && !p.raw.includes('\\') ? p.value : undefined;
  if (k === undefined || BLOCKED_PROPERTIES.has(k) || k in Object.prototype) return undefined;
  return [o.name, k];
}

/** A literal (or `undefined` / `NaN` / `Infinity`) that never needs the metered path: `[value]`, else undefined. */
function light(st: State, node: ExprNode): readonly [unknown] | undefined {
  let v: unknown;
  if (node.type === 'Literal') v = literalValue(st, node);
  else if (node.type === 'Identifier' && hasOwn.call(CONSTANTS, node.name)) v = CONSTANTS[node.name];
  else return undefined;
  return heavy(v) ? undefined : [v];
}

function fast(st: State, node: ExprNode, c: { parent: boolean }): FastFn | undefined {
  const f = field(node);
  if (f !== undefined) {
    const k = f[1];
    if (f[0] === 'doc') return (d) => d[k];
    c.parent = true;
    return (_d, p) => p[k];
  }
  const lit = light(st, node);
  if (lit !== undefined) {
    const v = lit[0];
    return () => v;
  }
  switch (node.type) {
    case 'UnaryExpression': {
      if (node.operator !== '!') return undefined;
      const g = field(node.argument);
      if (g !== undefined && g[0] === 'doc') {
        const k = g[1];
        return (d) => !d[k]; // `!` converts nothing
      }
      const arg = fast(st, node.argument, c);
      if (arg === undefined) return undefined;
      return (d, p) => {
        const v = arg(d, p);
        return v === SLOW ? SLOW : !v;
      };
    }
    case 'BinaryExpression':
      return binary(st, node, c);
    case 'ConditionalExpression': {
      const test = fast(st, node.test, c);
      const yes = test && fast(st, node.consequent, c);
      const no = yes && fast(st, node.alternate, c);
      if (test === undefined || yes === undefined || no === undefined) return undefined;
      return (d, p) => {
        const t = test(d, p);
        return t === SLOW ? SLOW : t ? yes(d, p) : no(d, p);
      };
    }
    case 'CallExpression':
      return constantSearch(st, node, c);
    default:
      return undefined;
  }
}

function binary(st: State, node: Extract<ExprNode, { type: 'BinaryExpression' }>, c: { parent: boolean }): FastFn | undefined {
  const op = node.operator;
  if (op === '&&' || op === '||' || op === '??') {
    const left = fast(st, node.left, c);
    const right = left && fast(st, node.right, c);
    if (left === undefined || right === undefined) return undefined;
    if (op === '&&') {
      return (d, p) => {
        const a = left(d, p);
        return a === SLOW || !a ? a : right(d, p);
      };
    }
    // SLOW is truthy and not nullish: `||` and `??` hand it on as it is.
    return op === '||' ? (d, p) => left(d, p) || right(d, p) : (d, p) => left(d, p) ?? right(d, p);
  }
  if (!COMPARE.has(op)) return undefined;
  const f = field(node.left);
  const lit = f !== undefined && f[0] === 'doc' ? light(st, node.right) : undefined;
  if (f !== undefined && lit !== undefined) return fused(op as Cmp, f[1], lit[0]);
  const left = fast(st, node.left, c);
  const right = left && fast(st, node.right, c);
  if (left === undefined || right === undefined) return undefined;
  const o = COMPARISONS.indexOf(op as Cmp);
  return (d, p) => {
    const a = left(d, p);
    if (a === SLOW) return SLOW;
    const b = right(d, p);
    return b === SLOW || heavy(a) || heavy(b) ? SLOW : compareAt(o, a, b);
  };
}

/** `doc.k <op> literal` as one closure: one read, one test, one operator. */
function fused(op: Cmp, k: string, v: unknown): FastFn {
  switch (op) {
    case '==': return (d) => { const a = d[k]; return heavy(a) ? SLOW : a == v; };
    case '!=': return (d) => { const a = d[k]; return heavy(a) ? SLOW : a != v; };
    case '===': return (d) => { const a = d[k]; return heavy(a) ? SLOW : a === v; };
    case '!==': return (d) => { const a = d[k]; return heavy(a) ? SLOW : a !== v; };
    case '<': return (d) => { const a = d[k]; return heavy(a) ? SLOW : (a as N) < (v as N); };
    case '>': return (d) => { const a = d[k]; return heavy(a) ? SLOW : (a as N) > (v as N); };
    case '<=': return (d) => { const a = d[k]; return heavy(a) ? SLOW : (a as N) <= (v as N); };
    case '>=': return (d) => { const a = d[k]; return heavy(a) ? SLOW : (a as N) >= (v as N); };
  }
}

/**
 * `in_list(['A', 'B'], x)` and `['A', 'B'].includes(x)` over a constant list of primitives (the full path
 * builds the same frozen array): `includes` on it runs no caller code whatever `x` is, so `x` may be heavy.
 */
function constantSearch(st: State, node: Extract<ExprNode, { type: 'CallExpression' }>, c: { parent: boolean }): FastFn | undefined {
  if (node.optional === true) return undefined;
  const callee = node.callee;
  let list: readonly unknown[] | undefined;
  let item: ExprNode | undefined;
  if (callee.type === 'Identifier' && callee.name === 'in_list' && own(ROOT, 'in_list') !== undefined && node.arguments.length === 2) {
    list = constantArray(st, node.arguments[0]!);
    item = node.arguments[1];
  } else if (callee.type === 'MemberExpression' && callee.optional !== true && !callee.computed && callee.property.type === 'Identifier' &&
    callee.property.name === 'includes' && node.arguments.length === 1) {
    list = constantArray(st, callee.object);
    item = node.arguments[0];
  }
  if (list === undefined || item === undefined) return undefined;
  const arg = fast(st, item, c);
  if (arg === undefined) return undefined;
  const values = list;
  return (d, p) => {
    const v = arg(d, p);
    return v === SLOW ? SLOW : values.includes(v);
  };
}
