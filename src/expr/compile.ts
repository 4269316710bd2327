/**
 * Compile `eval:` expressions into closures that reproduce Frappe Desk's JavaScript semantics without `eval`.
 *
 * Frappe runs `new Function('doc', 'parent', 'let out = <body>; return out')`. We parse the body
 * ({@link parseBody}), refuse at compile time everything outside a fixed subset (unknown globals, assignment,
 * `new`, `this`, functions as values, blocked property names, methods not on the allow-list), and turn each AST
 * node into a closure that applies the *real* JavaScript operator to the values, so coercions (`==`, `+`, `<`)
 * are JavaScript's own. Property reads and method calls go through `access.ts` (own data properties only).
 *
 * @module
 */
import { CoworkerError, ExpressionError } from '../errors';
import { BLOCKED_PROPERTIES, EvalFault, getMember, markPlain, readStatic, toKey } from './access';
import { heavy, toKeyMetered, toPrimitive } from './convert';
import { decodeStringLiteral, type Token } from './lex';
import { DEFAULT_LIMITS, DEFAULT_MAX_BYTES, DEFAULT_MAX_OPS, LimitFault, chargeArray, validLimit, type EvalLimits } from './meter';
import { METHOD_NAMES, callMethod, methodFor } from './methods';
import { CONSTANTS, CUR_FRM_DOC, ROOT, type Entry } from './globals';
import { BINARY, UNARY, fusedCompare, plus, slowBinary, type Fn, type N, type R } from './operators';
import { parseBody, startOf, type ExprNode } from './parse';
import { makeRuntime, type Runtime } from './runtime';
import type { CompiledExpression, ExprContext } from './types';

/** Options of {@link compileExpression}. */
export interface CompileOptions {
  /** Longest accepted source text, in characters. @default 2000 */
  readonly maxLength?: number;
  /** Deepest accepted AST nesting. @default 64 */
  readonly maxDepth?: number;
  /** Use the compile cache (same source, same compiled object). `false` always compiles afresh. @default true */
  readonly cache?: boolean;
  /**
   * Operations one evaluation may spend in helpers, methods and conversions (characters scanned or copied,
   * elements visited); beyond it `evaluate` throws `EXPR_LIMIT`. `Infinity` turns the limit off.
   * @default 2_000_000 ({@link DEFAULT_MAX_OPS})
   */
  readonly maxOps?: number;
  /**
   * Bytes one evaluation may allocate in the strings and arrays it builds (2 per character, 8 per array slot);
   * beyond it `evaluate` throws `EXPR_LIMIT`. `Infinity` turns the limit off.
   * @default 4 MiB ({@link DEFAULT_MAX_BYTES})
   */
  readonly maxBytes?: number;
}

/** Default {@link CompileOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 2000;
/** Default {@link CompileOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 64;
/** How many compiled expressions the cache keeps (oldest evicted first). */
export const CACHE_SIZE = 10_000;


export { DEFAULT_MAX_BYTES, DEFAULT_MAX_OPS };

/** Returned inside an optional chain (`a?.b.c`) when it short-circuits; the chain's end turns it into undefined. */
const SHORT: unique symbol = Symbol('short-circuit');

const own = <T>(o: Readonly<Record<string, T>>, k: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

// ---------------------------------------------------------------------------------------------------------------
// Operators: the real JavaScript operators on the values.

const hasOwn = Object.prototype.hasOwnProperty;

// ---------------------------------------------------------------------------------------------------------------
// The compiler.

interface State {
  readonly source: string;
  readonly limits: EvalLimits;
  readonly bodyStart: number;
  readonly tokens: readonly Token[];
  readonly maxDepth: number;
  readonly refs: Set<string>;
}

/**
 * Index in the source of the first token matching, for error positions (most nodes carry none): an identifier
 * (optionally only as a property name, after `.` or `?.`), or a punctuator.
 */
function locate(st: State, value: string, as: 'ident' | 'property' | 'punct' = 'ident'): number | undefined {
  const ts = st.tokens;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t.value !== value) continue;
    if (as === 'punct' ? t.kind !== 'punct' : t.kind !== 'ident') continue;
    const prev = ts[i - 1];
    const afterDot = prev?.kind === 'punct' && (prev.value === '.' || prev.value === '?.');
    if (as === 'property' && !afterDot) continue;
    if (as === 'ident' && afterDot) continue;
    return st.bodyStart + t.start;
  }
  return undefined;
}

/** The source index where a node starts (for `EXPR_LIMIT` raised at that site), or -1. */
function siteOf(st: State, node: ExprNode): number {
  const start = startOf(node);
  return start === undefined ? -1 : st.bodyStart + start;
}

/** A primitive-only array literal given to a consumer that never returns it: one frozen, pre-checked array. */
function constantArray(st: State, node: ExprNode): readonly unknown[] | undefined {
  if (node.type !== 'ArrayExpression' || node.elements.length > 64) return undefined;
  const values: unknown[] = [];
  for (const e of node.elements) {
    if (e === null || e.type !== 'Literal') return undefined;
    values.push(literalValue(st, e));
  }
  return markPlain(Object.freeze(values));
}

/** An argument (or receiver) that is only read: a constant array literal is built once, at compile time. */
function compileReadOnly(st: State, node: ExprNode, d: number): Fn {
  const constant = constantArray(st, node);
  if (constant === undefined) return compile(st, node, d);
  compile(st, node, d); // the same checks as any other literal
  return () => constant;
}

/** Helpers whose array arguments are only read (never returned): `in_list(['A', 'B'], doc.x)` and the like. */
const READ_ONLY_ARGS: ReadonlySet<string> = new Set(['in_list', 'has_common', 'has_words', 'frappe.user.has_role']);
/** Array methods that never return their receiver. */
const READ_ONLY_RECEIVER: ReadonlySet<string> = new Set(['includes', 'indexOf', 'lastIndexOf', 'join', 'at', 'slice', 'concat']);

function unsupported(st: State, description: string, index?: number): never {
  throw new ExpressionError('EXPR_UNSUPPORTED', description, st.source, index);
}

/** A static property name: `a.b`, or `a['b']` / `a[0]` with a literal key. */
function staticKey(st: State, node: Extract<ExprNode, { type: 'MemberExpression' }>): string | undefined {
  const p = node.property;
  if (!node.computed) return p.type === 'Identifier' ? p.name : undefined;
  if (p.type !== 'Literal') return undefined;
  return toKey(literalValue(st, p));
}

function literalValue(st: State, node: Extract<ExprNode, { type: 'Literal' }>): unknown {
  if (typeof node.value !== 'string') return node.value;
  const decoded = decodeStringLiteral(node.raw);
  if (!decoded.ok) {
    const t = st.tokens.find((x) => x.kind === 'str' && x.value === node.raw);
    const index = t === undefined ? undefined : st.bodyStart + t.start + decoded.offset;
    throw new ExpressionError('EXPR_SYNTAX', decoded.description, st.source, index);
  }
  return decoded.value;
}

/** Resolve a chain like `frappe.user.has_role` against the globals tree; undefined when it is data. */
function resolveGlobal(st: State, node: ExprNode): Entry | undefined {
  if (node.type === 'Identifier') return own(ROOT, node.name);
  if (node.type !== 'MemberExpression') return undefined;
  const parent = resolveGlobal(st, node.object);
  if (parent === undefined || parent.kind !== 'ns') return undefined;
  const key = staticKey(st, node);
  if (key === undefined) unsupported(st, `unsupported computed access on '${parent.name}'`, locate(st, parent.name.split('.').pop()!));
  const entry = own(parent.members, key);
  if (entry === undefined) unsupported(st, `unsupported '${parent.name}.${key}'`, locate(st, key, 'property'));
  return entry;
}

function entryAsValue(st: State, e: Entry): Fn {
  if (e.kind === 'value') {
    if (e === CUR_FRM_DOC) st.refs.add('parent.*');
    return e.get;
  }
  const what = e.kind === 'fn' ? `function '${e.name}'` : `namespace '${e.name}'`;
  return unsupported(st, `unsupported use of ${what} as a value`, locate(st, e.name.split('.').pop()!, e.name.includes('.') ? 'property' : 'ident'));
}

/** Compile a node that ends a chain (or is not a chain): optional short-circuits become `undefined`. */
function compile(st: State, node: ExprNode, depth: number): Fn {
  if (depth > st.maxDepth) {
    throw new ExpressionError('EXPR_LIMIT', `Expression nests deeper than ${st.maxDepth} levels`, st.source);
  }
  const d = depth + 1;
  switch (node.type) {
    case 'Literal': {
      const v = literalValue(st, node);
      return () => v;
    }
    case 'Identifier': {
      const name = node.name;
      if (name === 'doc') {
        st.refs.add('*');
        return (rt) => rt.doc;
      }
      if (name === 'parent') {
        st.refs.add('parent.*');
        return (rt) => rt.parent;
      }
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) {
        const v = CONSTANTS[name];
        return () => v;
      }
      const entry = own(ROOT, name);
      if (entry !== undefined) return entryAsValue(st, entry);
      return unsupported(st, `unsupported global '${name}'`, locate(st, name));
    }
    case 'MemberExpression':
    case 'CallExpression': {
      const f = compileChain(st, node, d);
      if (!hasOptional(node)) return f;
      return (rt) => {
        const v = f(rt);
        return v === SHORT ? undefined : v;
      };
    }
    case 'UnaryExpression': {
      const op = own(UNARY, node.operator);
      if (op === undefined) return unsupported(st, `unsupported operator '${node.operator}'`, locate(st, node.operator, 'punct'));
      const arg = compile(st, node.argument, d);
      const field = node.operator === '!' ? docField(node.argument) : undefined;
      if (field !== undefined) return (rt) => !(rt.docPlain ? (rt.doc as R)[field] : getMember(rt.doc, field));
      if (node.operator === '!' || node.operator === 'typeof') return (rt) => op(arg(rt)); // no conversion
      const at = siteOf(st, node);
      return (rt) => {
        const v = arg(rt);
        if (!heavy(v)) return op(v);
        rt.at = at;
        return op(toPrimitive(rt, v, 'number'));
      };
    }
    case 'BinaryExpression':
      return compileBinary(st, node, d);
    case 'ConditionalExpression': {
      const test = compile(st, node.test, d);
      const yes = compile(st, node.consequent, d);
      const no = compile(st, node.alternate, d);
      return (rt) => (test(rt) ? yes(rt) : no(rt));
    }
    case 'ArrayExpression': {
      const items = node.elements.map((e) => (e === null ? null : compile(st, e, d)));
      const at = siteOf(st, node);
      return (rt) => {
        rt.at = at;
        chargeArray(rt, items.length);
        const out: unknown[] = new Array(items.length); // holes stay holes, as in `[1,,2]`
        for (let i = 0; i < items.length; i++) {
          const f = items[i];
          if (f) out[i] = f(rt);
        }
        return out;
      };
    }
    case 'SequenceExpression': {
      const parts = node.expressions.map((e) => compile(st, e, d));
      return (rt) => {
        let v: unknown;
        for (const p of parts) v = p(rt);
        return v;
      };
    }
    case 'ThisExpression':
      return unsupported(st, "unsupported 'this'", locate(st, 'this'));
    default:
      return unsupported(st, `unsupported syntax '${(node as { type: string }).type}'`);
  }
}

/**
 * `doc.k` with a static key that nothing on `Object.prototype` is named: the read the fused closures below
 * inline (a vetted plain object inherits nothing named `k`, so a missing field reads as undefined).
 */
function docField(node: ExprNode): string | undefined {
  if (node.type !== 'MemberExpression' || node.optional === true || node.parenthesized) return undefined;
  if (node.object.type !== 'Identifier' || node.object.name !== 'doc' || node.object.parenthesized) return undefined;
  const p = node.property;
  const k = !node.computed && p.type === 'Identifier' ? p.name : node.computed && p.type === 'Literal' && typeof p.value === 'string' && !p.raw.includes('\\') ? p.value : undefined;
  return k !== undefined && !BLOCKED_PROPERTIES.has(k) && !(k in Object.prototype) ? k : undefined;
}

/** A literal operand that never needs the metered path (a primitive, not a long string). */
function lightLiteral(st: State, node: ExprNode): { readonly value: unknown } | undefined {
  if (node.type !== 'Literal') return undefined;
  const value = literalValue(st, node);
  return heavy(value) ? undefined : { value };
}

function compileBinary(st: State, node: Extract<ExprNode, { type: 'BinaryExpression' }>, d: number): Fn {
  const { operator } = node;
  const bare = (n: ExprNode, ops: string[]) => n.type === 'BinaryExpression' && !n.parenthesized && ops.includes(n.operator);
  // JavaScript forbids mixing ?? with || or && without parentheses; the parser gives ?? the precedence of ||.
  if ((operator === '??' && (bare(node.left, ['||', '&&']) || bare(node.right, ['||', '&&']))) ||
      ((operator === '||' || operator === '&&') && (bare(node.left, ['??']) || bare(node.right, ['??'])))) {
    throw new ExpressionError('EXPR_SYNTAX', "Unexpected token: '??' cannot be mixed with '||' or '&&' without parentheses", st.source, locate(st, '??', 'punct'));
  }
  if (operator === '**' && node.left.type === 'UnaryExpression' && !node.left.parenthesized) {
    throw new ExpressionError('EXPR_SYNTAX', "Unary operator used immediately before '**': parentheses are required", st.source, locate(st, '**', 'punct'));
  }
  const left = compile(st, node.left, d);
  const right = compile(st, node.right, d);
  switch (operator) {
    case '&&': return (rt) => left(rt) && right(rt);
    case '||': return (rt) => left(rt) || right(rt);
    case '??': return (rt) => left(rt) ?? right(rt);
  }
  const op = own(BINARY, operator);
  if (op === undefined) return unsupported(st, `unsupported operator '${operator}'`, locate(st, operator, 'punct'));
  // One closure per operator, so each call site stays monomorphic (a table lookup per evaluation cost ~2x).
  // Operands that are objects or long strings take the metered path (conversions, long scans); the test is a
  // `typeof` and a length read, which V8 folds into the operator's own type checks.
  const at = siteOf(st, node);
  const slow = (rt: Runtime, a: unknown, b: unknown) => slowBinary(rt, operator, a, b, at);
  const field = docField(node.left);
  const literal = field === undefined ? undefined : lightLiteral(st, node.right);
  const fused = field !== undefined && literal !== undefined ? fusedCompare(operator, field, literal.value, slow) : undefined;
  if (fused) return fused;
  switch (operator) {
    case '==': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : a == b; };
    case '!=': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : a != b; };
    case '===': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) ? slow(rt, a, b) : a === b; };
    case '!==': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) ? slow(rt, a, b) : a !== b; };
    case '<': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : (a as N) < (b as N); };
    case '>': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : (a as N) > (b as N); };
    case '<=': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : (a as N) <= (b as N); };
    case '>=': return (rt) => { const a = left(rt), b = right(rt); return heavy(a) || heavy(b) ? slow(rt, a, b) : (a as N) >= (b as N); };
    case '+': return (rt) => {
      const a = left(rt), b = right(rt);
      return typeof a === 'number' && typeof b === 'number' ? a + b : plus(rt, a, b, at);
    };
  }
  return (rt) => {
    const a = left(rt), b = right(rt);
    return typeof a === 'number' && typeof b === 'number' ? op(a, b) : heavy(a) || heavy(b) ? slow(rt, a, b) : op(a, b);
  };
}

/** Whether a chain (`a?.b.c()`, up to a parenthesised link) contains an optional link that may short-circuit. */
function hasOptional(node: ExprNode): boolean {
  for (let n: ExprNode = node; ; ) {
    if (n.type === 'MemberExpression') {
      if (n.optional === true) return true;
      n = n.object;
    } else if (n.type === 'CallExpression') {
      if (n.optional === true) return true;
      n = n.callee;
    } else return false;
    if (n.parenthesized) return false;
  }
}

/** The object of a member access or the receiver of a call: keeps an optional chain going unless parenthesised. */
function compileLink(st: State, node: ExprNode, d: number): Fn {
  return (node.type === 'MemberExpression' || node.type === 'CallExpression') && !node.parenthesized
    ? compileChain(st, node, d)
    : compile(st, node, d);
}

/**
 * The object of `obj.x`. For `doc`, `parent` and `cur_frm.doc` the read is recorded per field by
 * {@link recordReference}, so they are not counted as reads of the whole document.
 */
function compileObject(st: State, object: ExprNode, d: number): Fn {
  if (object.type === 'Identifier' && object.name === 'doc') return (rt) => rt.doc;
  if (object.type === 'Identifier' && object.name === 'parent') return (rt) => rt.parent;
  if (object.type === 'MemberExpression' && resolveGlobal(st, object) === CUR_FRM_DOC && CUR_FRM_DOC.kind === 'value') return CUR_FRM_DOC.get;
  return compileLink(st, object, d);
}

/** Record which field a `doc.x` / `parent.x` / `cur_frm.doc.x` read depends on. */
function recordReference(st: State, object: ExprNode, key: string | undefined): void {
  let prefix: string | undefined;
  if (object.type === 'Identifier' && object.name === 'doc') prefix = '';
  else if (object.type === 'Identifier' && object.name === 'parent') prefix = 'parent.';
  else if (object.type === 'MemberExpression' && resolveGlobal(st, object) === CUR_FRM_DOC) prefix = 'parent.';
  if (prefix !== undefined) st.refs.add(prefix + (key ?? '*'));
}

/** A member access or call inside a chain; may return {@link SHORT}. */
function compileChain(st: State, node: Extract<ExprNode, { type: 'MemberExpression' | 'CallExpression' }>, d: number): Fn {
  if (d > st.maxDepth) throw new ExpressionError('EXPR_LIMIT', `Expression nests deeper than ${st.maxDepth} levels`, st.source);
  if (node.type === 'MemberExpression') {
    const global = resolveGlobal(st, node);
    if (global !== undefined) return entryAsValue(st, global);
    const key = staticKey(st, node);
    if (key !== undefined && BLOCKED_PROPERTIES.has(key)) {
      unsupported(st, `unsupported property '${key}'`, locate(st, key, node.computed ? 'punct' : 'property'));
    }
    const object = compileObject(st, node.object, d);
    recordReference(st, node.object, key);
    const keyFn = key === undefined ? compile(st, node.property, d) : undefined;
    const optional = node.optional === true;
    if (key !== undefined && !optional) {
      // The hot path of every corpus expression: `doc.field`. The key was vetted above, at compile time.
      const k = key;
      if (node.object.type === 'Identifier' && node.object.name === 'doc') {
        if (!(k in Object.prototype)) {
          // A vetted plain object inherits nothing named `k`: a missing field reads as undefined without hasOwn.
          return (rt) => (rt.docPlain ? (rt.doc as Record<string, unknown>)[k] : getMember(rt.doc, k));
        }
        return (rt) => (rt.docPlain && hasOwn.call(rt.doc, k) ? (rt.doc as Record<string, unknown>)[k] : getMember(rt.doc, k));
      }
      if (node.object.type === 'Identifier' && node.object.name === 'parent') {
        return (rt) => (rt.parentPlain && hasOwn.call(rt.parent, k) ? (rt.parent as Record<string, unknown>)[k] : getMember(rt.parent, k));
      }
      return (rt) => {
        const o = object(rt);
        return o === SHORT ? SHORT : readStatic(o, k, false);
      };
    }
    const at = siteOf(st, node.property);
    return (rt) => {
      const o = object(rt);
      if (o === SHORT) return SHORT;
      if (optional && (o === null || o === undefined)) return SHORT;
      let k = key as string;
      if (keyFn) {
        const v = keyFn(rt);
        if (typeof v === 'string') k = v;
        else {
          rt.at = at;
          k = toKeyMetered(rt, v);
        }
      }
      return getMember(o, k);
    };
  }

  // CallExpression
  const callee = node.callee;
  const optionalCall = node.optional === true;
  const global = callee.type === 'Identifier' || callee.type === 'MemberExpression' ? resolveGlobal(st, callee) : undefined;
  const readOnly = global !== undefined && READ_ONLY_ARGS.has(global.name);
  const args = node.arguments.map((a) => (readOnly ? compileReadOnly(st, a, d) : compile(st, a, d)));
  const evalArgs = (rt: Runtime) => args.map((a) => a(rt));
  const at = siteOf(st, callee.type === 'MemberExpression' ? callee.property : callee);
  if (global !== undefined) {
    if (global.kind !== 'fn') {
      const what = global.kind === 'ns' ? `namespace '${global.name}'` : `'${global.name}'`;
      unsupported(st, `unsupported call of ${what} (not a function)`, locate(st, global.name.split('.').pop()!, global.name.includes('.') ? 'property' : 'ident'));
    }
    const list = global.name === 'in_list' && args.length === 2 ? constantArray(st, node.arguments[0]!) : undefined;
    if (list !== undefined) {
      // `in_list(['A', 'B'], x)`: our own frozen array of at most 64 primitives; the search is bounded by the source.
      const item = args[1]!;
      return (rt) => list.includes(item(rt));
    }
    const call = global.call;
    return (rt) => {
      const values = evalArgs(rt);
      rt.at = at;
      return call(rt, values);
    };
  }
  if (callee.type === 'Identifier') {
    if (callee.name === 'doc' || callee.name === 'parent' || Object.prototype.hasOwnProperty.call(CONSTANTS, callee.name)) {
      unsupported(st, `unsupported call of '${callee.name}' (not a function)`, locate(st, callee.name));
    }
    return unsupported(st, `unsupported global '${callee.name}'`, locate(st, callee.name));
  }
  if (callee.type !== 'MemberExpression') {
    // Compile the callee first: a problem inside it (`doc.constructor...`) is the one to report, with its position.
    compile(st, callee, d);
    return unsupported(st, 'unsupported call of a computed value (only helpers and allow-listed methods can be called)');
  }
  // A method call: compile the receiver first, so an unknown global (`erpnext.x()`) is named as such.
  const name = staticKey(st, callee);
  const receiver = name !== undefined && READ_ONLY_RECEIVER.has(name) && callee.object.type === 'ArrayExpression'
    ? compileReadOnly(st, callee.object, d)
    : compileObject(st, callee.object, d);
  recordReference(st, callee.object, undefined);
  if (name === undefined) return unsupported(st, 'unsupported computed method call', locate(st, '[', 'punct'));
  const constant = name === 'includes' && args.length === 1 && !optionalCall && callee.optional !== true ? constantArray(st, callee.object) : undefined;
  if (constant !== undefined) {
    const item = args[0]!;
    return (rt) => constant.includes(item(rt)); // `['A', 'B'].includes(x)`: as in_list above
  }
  if (!METHOD_NAMES.has(name) || BLOCKED_PROPERTIES.has(name)) {
    return unsupported(st, `unsupported method '${name}'`, locate(st, name, 'property'));
  }
  const optionalMember = callee.optional === true;
  return (rt) => {
    const r = receiver(rt);
    if (r === SHORT) return SHORT;
    if (optionalMember && (r === null || r === undefined)) return SHORT;
    if (r === null || r === undefined) return callMethod(rt, r, name, []); // throws: cannot read properties of null
    if (methodFor(r, name) === undefined && optionalCall && getMemberOrUndefined(r, name) == null) return SHORT;
    const values = evalArgs(rt);
    rt.at = at;
    return callMethod(rt, r, name, values);
  };
}

/** `r[name]` for deciding `r.name?.()`: inherited members count as present. */
function getMemberOrUndefined(r: unknown, name: string): unknown {
  try {
    return getMember(r, name);
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API.

const cache = new Map<string, CompiledExpression>();

/** The closures behind each compiled expression, for {@link measureEvaluation}. */
const bodies = new WeakMap<CompiledExpression, { readonly first: Fn; readonly rest: readonly Fn[]; readonly limits: EvalLimits }>();

/** What one evaluation spent of its budget. */
export interface EvaluationUsage {
  readonly value: unknown;
  /** Operations spent. */
  readonly ops: number;
  /** Bytes allocated, as the meter counts them. */
  readonly bytes: number;
}

/**
 * A `depends_on`-style test over a compiled expression: false without a document, else the truthiness of the
 * value (true when `forceTrue` says so: Frappe's DocType-editor hack). Built here, on the expression's own
 * closures, so a condition costs one call layer, not two. Internal: `condition.ts` uses it.
 */
export function truthTest(compiled: CompiledExpression, forceTrue: ((ctx: ExprContext) => boolean) | undefined): (ctx: ExprContext) => boolean {
  const { first, rest, limits } = bodies.get(compiled)!;
  const src = compiled.source;
  if (forceTrue === undefined && rest.length === 0) {
    // The common case, one statement and no editor hack: the per-call path of every condition.
    return (ctx) => {
      try {
        return ctx.doc ? Boolean(first(makeRuntime(ctx, limits))) : false;
      } catch (e) {
        throw runtimeError(e, src);
      }
    };
  }
  return (ctx) => {
    try {
      if (!ctx.doc) return false;
      const rt = makeRuntime(ctx, limits);
      const out = first(rt);
      for (let i = 0; i < rest.length; i++) rest[i]!(rt);
      return forceTrue !== undefined && forceTrue(ctx) ? true : Boolean(out);
    } catch (e) {
      throw runtimeError(e, src);
    }
  };
}

/**
 * Evaluate and report what the evaluation spent (operations, bytes): for measuring real expressions against
 * the limits (the corpus measurement in docs/expressions.md). Internal: not part of the package's API.
 * @throws ExpressionError as `evaluate`
 */
export function measureEvaluation(compiled: CompiledExpression, ctx: ExprContext): EvaluationUsage {
  const body = bodies.get(compiled);
  if (body === undefined) throw new TypeError('not a compiled expression');
  try {
    const rt = makeRuntime(ctx, body.limits);
    const value = body.first(rt);
    for (const f of body.rest) f(rt);
    return { value, ops: body.limits.maxOps - rt.ops, bytes: body.limits.maxBytes - rt.bytes };
  } catch (e) {
    throw runtimeError(e, compiled.source);
  }
}

/**
 * Wrap anything thrown during evaluation: a spent budget as `EXPR_LIMIT` (with the site's index), everything
 * else as `EXPR_RUNTIME`, keeping ExpressionErrors as they are. Never throws itself: a value thrown by a
 * caller's object (a Proxy trap, a getter on the context) may be impossible to print or even to inspect.
 */
export function runtimeError(e: unknown, source: string): ExpressionError {
  try {
    if (e instanceof ExpressionError) return e;
    if (e instanceof LimitFault) return new ExpressionError('EXPR_LIMIT', e.message, source, e.index, { cause: e });
    const description =
      e instanceof EvalFault ? e.message : e instanceof Error ? `${String(e.name)}: ${String(e.message)}` : `Thrown value: ${String(e)}`;
    return new ExpressionError('EXPR_RUNTIME', description.length > 500 ? `${description.slice(0, 500)}...` : description, source, undefined, { cause: e });
  } catch {
    return new ExpressionError('EXPR_RUNTIME', 'Evaluation threw a value that cannot be described', source, undefined, { cause: e });
  }
}

/**
 * Compile a Frappe `depends_on` / `eval:` expression once; evaluate it many times.
 *
 * @example
 * ```ts
 * const e = compileExpression("eval:doc.status == 'Open' && doc.items.length > 0");
 * e.evaluate({ doc: { status: 'Open', items: [{}] } }); // true
 * e.references; // ['items', 'status']
 * ```
 * @param src the body of an `eval:` expression, or the whole `eval:...` string (error indices refer to `src`)
 * @param options length and depth limits, and the budget of each evaluation (`maxOps`, `maxBytes`)
 * @returns a compiled expression (the same object for the same source and options, from a bounded cache)
 * @throws ExpressionError `EXPR_SYNTAX` (not JavaScript), `EXPR_UNSUPPORTED` (outside the supported subset),
 *   `EXPR_LIMIT` (too long or too deep), and CoworkerError `EXPR_OPTIONS` (a budget that is not a positive integer)
 */
export function compileExpression(src: string, options?: CompileOptions): CompiledExpression {
  if (typeof src !== 'string') {
    throw new ExpressionError('EXPR_SYNTAX', `Expression must be a string, got ${src === null ? 'null' : typeof src}`, String(src));
  }
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxOps = options?.maxOps ?? DEFAULT_MAX_OPS;
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  const defaults = maxLength === DEFAULT_MAX_LENGTH && maxDepth === DEFAULT_MAX_DEPTH && maxOps === DEFAULT_MAX_OPS && maxBytes === DEFAULT_MAX_BYTES;
  const key = defaults ? src : `${maxLength}\u0000${maxDepth}\u0000${maxOps}\u0000${maxBytes}\u0000${src}`;
  const useCache = options?.cache !== false;
  const hit = useCache ? cache.get(key) : undefined;
  if (hit) return hit;

  if (!validLimit(options?.maxOps) || !validLimit(options?.maxBytes)) {
    throw new CoworkerError('EXPR_OPTIONS', `maxOps and maxBytes must be positive integers or Infinity (got ${String(options?.maxOps)}, ${String(options?.maxBytes)})`);
  }
  const limits: EvalLimits = maxOps === DEFAULT_MAX_OPS && maxBytes === DEFAULT_MAX_BYTES ? DEFAULT_LIMITS : Object.freeze({ maxOps, maxBytes });
  if (src.length > maxLength) {
    throw new ExpressionError('EXPR_LIMIT', `Expression is longer than ${maxLength} characters`, src, maxLength);
  }
  const bodyStart = src.startsWith('eval:') ? 5 : 0;
  const { statements, tokens } = parseBody(src, bodyStart);
  const st: State = { source: src, limits, bodyStart, tokens, maxDepth, refs: new Set() };
  let fns: Fn[];
  try {
    fns = statements.map((s) => compile(st, s, 1));
  } catch (e) {
    if (e instanceof RangeError) throw new ExpressionError('EXPR_LIMIT', 'Expression nests too deeply', src, undefined, { cause: e });
    throw e;
  }
  const [first, ...rest] = fns as [Fn, ...Fn[]];
  const evaluate = rest.length === 0
    ? (ctx: ExprContext): unknown => {
        try {
          return first(makeRuntime(ctx, limits));
        } catch (e) {
          throw runtimeError(e, src);
        }
      }
    : (ctx: ExprContext): unknown => {
        try {
          const rt = makeRuntime(ctx, limits);
          const out = first(rt);
          // Frappe's `let out = a; b; return out`: later statements run (and may throw) but do not change the value.
          for (let i = 0; i < rest.length; i++) rest[i]!(rt);
          return out;
        } catch (e) {
          throw runtimeError(e, src);
        }
      };
  const compiled: CompiledExpression = Object.freeze({
    evaluate,
    references: Object.freeze([...st.refs].sort()),
    source: src,
  });
  bodies.set(compiled, { first, rest, limits });
  if (useCache) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  return compiled;
}
