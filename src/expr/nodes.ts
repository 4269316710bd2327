/**
 * The node compiler: each AST node of an expression becomes a closure over one evaluation's {@link Runtime}
 * that applies the *real* JavaScript operator to the values, so coercions (`==`, `+`, `<`) are JavaScript's own.
 * Everything outside the fixed subset is refused here, at compile time (unknown globals, assignment, `new`,
 * `this`, functions as values, blocked property names, methods not on the allow-list). Property reads and
 * method calls go through `access.ts` (own data properties only). `compile.ts` drives it.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { BLOCKED_PROPERTIES, getMember, markPlain, readStatic, toKey } from './access';
import { heavy, toKeyMetered, toPrimitive } from './convert';
import { decodeStringLiteral, type Token } from './lex';
import { chargeArray, type EvalLimits } from './meter';
import { METHOD_NAMES, callMethod, methodFor } from './methods';
import { CONSTANTS, CUR_FRM_DOC, ROOT, type Entry } from './globals';
import { BINARY, UNARY, fusedCompare, plus, slowBinary, type Fn, type N, type R } from './operators';
import { startOf, type ExprNode } from './parse';
import type { Runtime } from './runtime';

/** Returned inside an optional chain (`a?.b.c`) when it short-circuits; the chain's end turns it into undefined. */
const SHORT: unique symbol = Symbol('short-circuit');

const hasOwn = Object.prototype.hasOwnProperty;

/** An own member of a fixed table (never an inherited one). */
const own = <T>(o: Readonly<Record<string, T>>, k: string): T | undefined =>
  hasOwn.call(o, k) ? o[k] : undefined;

/** What compiling one expression carries: its text and tokens (for error positions), limits, and the fields it reads. */
export interface State {
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
export function compile(st: State, node: ExprNode, depth: number): Fn {
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
