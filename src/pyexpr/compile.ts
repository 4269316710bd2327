/**
 * Compile a Python expression once into closures with Python's semantics, and evaluate it safely.
 *
 * Safety, as in `expr/`: the parser accepts only the subset (`parse.ts`); names and attributes that start with
 * `_` are refused at compile time (as RestrictedPython refuses them); attributes resolve through an allow-list
 * (`builtins.ts`), never through JavaScript property lookup; there is no `eval` / `new Function`; every
 * evaluation is metered (steps, result sizes, int sizes, database calls).
 *
 * Database reads: `frappe.db.get_value` / `get_list` need I/O, and a Python expression is pure apart from
 * them. So {@link CompiledPyExpression.evaluateAsync} evaluates synchronously; a read whose result is not
 * known yet stops the evaluation, is fetched from the data source, cached, and the evaluation starts again.
 * Each distinct read is fetched once per evaluation; the number of reads is limited.
 *
 * @module
 */
import { BUILTINS, getAttribute } from './builtins';
import { PyExprError, PyFault, raise } from './errors';
import { frappeNamespace, wallClock, type DbCall, type PyDataSource } from './frappe';
import { binaryOp, limit, unaryOp, type Meter } from './ops';
import { checkedTree, PY_DEFAULTS } from './check';
import type { PyNode } from './parse';
import {
  PyCallable, PyDict, PySet, PyTuple, hashKey, intOf, pyContains, pyEquals, pyIs, pyOrder, toJs, toPy, truthy, typeName,
} from './values';

/** Limits of compilation and evaluation. */
export interface PyCompileOptions {
  /** Longest accepted source, in characters. @default 4000 */
  readonly maxLength?: number;
  /** Deepest nesting. @default 64 */
  readonly maxDepth?: number;
  /** Work units per evaluation (a node is one; long results cost more). @default 20000 */
  readonly maxSteps?: number;
  /** Longest string / list a single operation may build. @default 100000 */
  readonly maxSize?: number;
  /** Largest int, in bits. @default 8192 */
  readonly maxIntBits?: number;
  /** Distinct database reads per evaluation. @default 20 */
  readonly maxDbCalls?: number;
}

/** What an evaluation reads. */
export interface PyEvalContext {
  /** The local `doc`: a JS object (becomes a `frappe._dict`, rows too), as `doc.as_dict()` gives it. */
  readonly doc?: unknown;
  /** More global names (JS values). */
  readonly names?: Readonly<Record<string, unknown>>;
  /** `frappe.session.user`. @default 'Guest' */
  readonly user?: string;
  /** The clock's now for `frappe.utils.now_datetime()`. @default new Date() */
  readonly now?: Date;
  /** The zone of the wall clock (Frappe's system time zone). @default 'UTC' */
  readonly timeZone?: string;
  /** Where `frappe.db.*` read from. Without one, a database read fails with `PYEXPR_UNSUPPORTED`. */
  readonly db?: PyDataSource;
  /** Fieldnames whose numbers are Python floats even when integral (Float, Currency, Percent). */
  readonly floatFields?: ReadonlySet<string>;
  /** `'workflow'`: the `frappe` namespace of `get_workflow_safe_globals()`; `'none'`: builtins only. @default 'workflow' */
  readonly globals?: 'workflow' | 'none';
}

/** A compiled Python expression. */
export interface CompiledPyExpression {
  readonly source: string;
  /** `doc.x` / `doc.get('x')` / `doc['x']` reads with a literal name, sorted; `*` when a key is computed. */
  readonly references: readonly string[];
  /** Every name the expression reads (`doc`, `frappe`, `int`...). */
  readonly names: readonly string[];
  /** Evaluate to a Python value (see `values.ts`); database reads must already be cached or absent. */
  evaluatePy(ctx: PyEvalContext): unknown;
  /** Evaluate, reading the database through `ctx.db`, and return the value as JS data. */
  evaluateAsync(ctx: PyEvalContext): Promise<unknown>;
  /** Evaluate and return Python's truthiness of the result (what a transition condition decides). */
  test(ctx: PyEvalContext): Promise<boolean>;
}

/** Defaults of {@link PyCompileOptions}. */
export { PY_DEFAULTS };

interface Rt {
  readonly meter: Meter;
  readonly scope: ReadonlyMap<string, unknown>;
  pos: number;
}

type Fn = (rt: Rt) => unknown;

/** Thrown inside evaluation when a database read is not cached yet. */
class NeedData {
  constructor(readonly key: string, readonly call: DbCall) {}
}

function tick(rt: Rt): void {
  if (++rt.meter.steps > rt.meter.maxSteps) limit(`more than ${rt.meter.maxSteps} steps`);
}

/** Code-point view of a string, only when it has surrogates (the common case indexes UTF-16 directly). */
const codePoints = (s: string): readonly string[] | string => (/[\uD800-\uDFFF]/.test(s) ? [...s] : s);

function indexValue(v: unknown, what: string): number {
  if (typeof v === 'boolean' || typeof v === 'bigint') return Number(intOf(v));
  return raise('TypeError', `${what} indices must be integers or slices, not ${typeName(v)}`);
}

function sliceBound(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'bigint') return Number(intOf(v));
  return raise('TypeError', 'slice indices must be integers or None or have an __index__ method');
}

/** Python `slice.indices(len)` and the selection it makes. */
function sliceSeq<T>(items: readonly T[], lo: unknown, hi: unknown, st: unknown): T[] {
  const step = sliceBound(st) ?? 1;
  if (step === 0) raise('ValueError', 'slice step cannot be zero');
  const n = items.length;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) v += n;
    return step > 0 ? Math.min(Math.max(v, 0), n) : Math.min(Math.max(v, -1), n - 1);
  };
  const start = clamp(sliceBound(lo), step > 0 ? 0 : n - 1);
  const stop = clamp(sliceBound(hi), step > 0 ? n : -1);
  const out: T[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]!);
  else for (let i = start; i > stop; i += step) out.push(items[i]!);
  return out;
}

function subscript(obj: unknown, key: unknown, rt: Rt): unknown {
  // Frappe's _getitem guard: no key that starts with "_" (safe_exec.py).
  if (typeof key === 'string' && key.startsWith('_')) throw new PyFault('SyntaxError', 'Key starts with _', 'PYEXPR_UNSUPPORTED');
  if (obj instanceof PyDict) {
    const hit = obj.map.get(hashKey(key));
    return hit ? hit[1] : raise('KeyError', typeof key === 'string' ? `'${key}'` : String(toJs(key)));
  }
  const isStr = typeof obj === 'string';
  const items = isStr ? codePoints(obj) : Array.isArray(obj) ? obj : obj instanceof PyTuple ? obj.items : undefined;
  if (items === undefined) return raise('TypeError', `'${typeName(obj)}' object is not subscriptable`);
  if (key instanceof SliceKey) {
    const arr = typeof items === 'string' ? [...items] : items;
    rt.meter.steps += Math.ceil(arr.length / 64);
    const sel = sliceSeq(arr, key.lo, key.hi, key.step);
    return isStr ? sel.join('') : Array.isArray(obj) ? sel : new PyTuple(sel);
  }
  const what = isStr ? 'string' : Array.isArray(obj) ? 'list' : 'tuple';
  let i = indexValue(key, what);
  if (i < 0) i += items.length;
  if (i < 0 || i >= items.length) return raise('IndexError', `${what} index out of range`);
  return items[i];
}

/** A slice's bounds, as the subscript sees them. */
class SliceKey {
  constructor(readonly lo: unknown, readonly hi: unknown, readonly step: unknown) {}
}

function compare(op: string, a: unknown, b: unknown, rt: Rt): boolean {
  switch (op) {
    case '==': return pyEquals(a, b);
    case '!=': return !pyEquals(a, b);
    case 'in':
    case 'not in': {
      const size = Array.isArray(b) ? b.length : b instanceof PyTuple ? b.items.length : typeof b === 'string' ? b.length : 0;
      rt.meter.steps += Math.ceil(size / 16);
      const r = pyContains(b, a);
      return op === 'in' ? r : !r;
    }
    case 'is': return pyIs(a, b);
    case 'is not': return !pyIs(a, b);
    default: return pyOrder(op, a, b);
  }
}

function call(fn: unknown, args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>): unknown {
  if (!(fn instanceof PyCallable)) return raise('TypeError', `'${typeName(fn)}' object is not callable`);
  return fn.call(args, kwargs);
}

class Compiler {
  readonly refs = new Set<string>();
  readonly names = new Set<string>();
  constructor(readonly source: string) {}

  refuse(message: string, at: number): never {
    throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', message, this.source, at);
  }

  compile(node: PyNode): Fn {
    switch (node.t) {
      case 'const': {
        const v = node.v;
        return (rt) => { tick(rt); return v; };
      }
      case 'name': {
        const id = node.id;
        this.names.add(id);
        const at = node.i;
        return (rt) => {
          tick(rt);
          if (rt.scope.has(id)) return rt.scope.get(id);
          rt.pos = at;
          return raise('NameError', `name '${id}' is not defined`);
        };
      }
      case 'attr': {
        if (node.obj.t === 'name' && node.obj.id === 'doc') this.refs.add(node.name);
        const obj = this.compile(node.obj);
        const { name, i } = node;
        return (rt) => { tick(rt); const o = obj(rt); rt.pos = i; return getAttribute(o, name); };
      }
      case 'sub': {
        if (node.obj.t === 'name' && node.obj.id === 'doc') {
          this.refs.add(node.index.t === 'const' && typeof node.index.v === 'string' ? node.index.v : '*');
        }
        const obj = this.compile(node.obj);
        const key = this.compile(node.index);
        const at = node.i;
        return (rt) => { tick(rt); const o = obj(rt); const k = key(rt); rt.pos = at; return subscript(o, k, rt); };
      }
      case 'slice': {
        const none: Fn = () => null;
        const lo = node.lo ? this.compile(node.lo) : none;
        const hi = node.hi ? this.compile(node.hi) : none;
        const st = node.step ? this.compile(node.step) : none;
        return (rt) => new SliceKey(lo(rt), hi(rt), st(rt));
      }
      case 'call': return this.compileCall(node);
      case 'unary': {
        const x = this.compile(node.x);
        const { op, i } = node;
        return (rt) => { tick(rt); const v = x(rt); rt.pos = i; return unaryOp(op, v); };
      }
      case 'bin': {
        const l = this.compile(node.l);
        const r = this.compile(node.r);
        const { op, i } = node;
        return (rt) => { tick(rt); const a = l(rt); const b = r(rt); rt.pos = i; return binaryOp(op, a, b, rt.meter); };
      }
      case 'bool': {
        const xs = node.xs.map((x) => this.compile(x));
        const isAnd = node.op === 'and';
        return (rt) => {
          tick(rt);
          let v: unknown = null;
          for (const x of xs) {
            v = x(rt);
            if (truthy(v) !== isAnd) return v;
          }
          return v;
        };
      }
      case 'not': {
        const x = this.compile(node.x);
        return (rt) => { tick(rt); return !truthy(x(rt)); };
      }
      case 'cmp': {
        const first = this.compile(node.first);
        const rest = node.rest.map((x) => this.compile(x));
        const { ops, i } = node;
        return (rt) => {
          tick(rt);
          let left = first(rt);
          for (let k = 0; k < ops.length; k++) {
            const right = rest[k]!(rt);
            rt.pos = i;
            if (!compare(ops[k]!, left, right, rt)) return false;
            left = right;
          }
          return true;
        };
      }
      case 'if': {
        const test = this.compile(node.test);
        const body = this.compile(node.body);
        const orelse = this.compile(node.orelse);
        return (rt) => { tick(rt); return truthy(test(rt)) ? body(rt) : orelse(rt); };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const xs = node.xs.map((x) => this.compile(x));
        const kind = node.t;
        const at = node.i;
        return (rt) => {
          tick(rt);
          const items = xs.map((x) => x(rt));
          if (kind === 'list') return items;
          if (kind === 'tuple') return new PyTuple(items);
          rt.pos = at;
          const map = new Map<unknown, unknown>();
          for (const v of items) if (!map.has(hashKey(v))) map.set(hashKey(v), v);
          return new PySet(map);
        };
      }
      case 'dict': {
        const keys = node.keys.map((x) => this.compile(x));
        const values = node.values.map((x) => this.compile(x));
        const at = node.i;
        return (rt) => {
          tick(rt);
          const entries = keys.map((k, j) => [k(rt), values[j]!(rt)] as const);
          rt.pos = at;
          return PyDict.from(entries, false);
        };
      }
      default:
        return this.refuse('unsupported construct', 0);
    }
  }

  compileCall(node: Extract<PyNode, { t: 'call' }>): Fn {
    // `doc.get('x')` reads a field: a reference for the dependency graph.
    if (node.fn.t === 'attr' && node.fn.name === 'get' && node.fn.obj.t === 'name' && node.fn.obj.id === 'doc') {
      const a0 = node.args[0];
      this.refs.add(a0 && a0.t === 'const' && typeof a0.v === 'string' ? a0.v : '*');
    }
    const fn = this.compile(node.fn);
    const args = node.args.map((x) => this.compile(x));
    const kwargs = node.kwargs.map(([k, x]) => [k, this.compile(x)] as const);
    const at = node.i;
    return (rt) => {
      tick(rt);
      const f = fn(rt);
      const a = args.map((x) => x(rt));
      const k = new Map(kwargs.map(([name, x]) => [name, x(rt)]));
      rt.pos = at;
      return call(f, a, k);
    };
  }
}

const cache = new Map<string, CompiledPyExpression>();
const CACHE_SIZE = 5000;

/**
 * Compile a Python expression (Frappe's `safe_eval` subset). Throws {@link PyExprError} with `PYEXPR_SYNTAX`,
 * `PYEXPR_UNSUPPORTED` or `PYEXPR_LIMIT`. The text is NFKC-normalised first, as `safe_eval` does.
 */
export function compilePython(source: string, options: PyCompileOptions = {}): CompiledPyExpression {
  const o = { ...PY_DEFAULTS, ...options };
  const key = `${o.maxLength}|${o.maxDepth}|${o.maxSteps}|${o.maxSize}|${o.maxIntBits}|${o.maxDbCalls}|${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Length, syntax and RestrictedPython's compile-time refusals (check.ts).
  const tree = checkedTree(source, o);
  const compiler = new Compiler(source);
  const root = compiler.compile(tree);
  const compiled = makeCompiled(source, root, compiler, o);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

function makeCompiled(source: string, root: Fn, compiler: Compiler, o: Required<PyCompileOptions>): CompiledPyExpression {
  const usesFrappe = compiler.names.has('frappe');
  const run = (ctx: PyEvalContext, fetched: Map<string, unknown>): unknown => {
    const meter: Meter = { steps: 0, maxSteps: o.maxSteps, maxSize: o.maxSize, maxIntBits: o.maxIntBits };
    const scope = new Map<string, unknown>();
    // The namespace only when the expression names it; the clock only when a date function runs.
    if (ctx.globals !== 'none' && usesFrappe) {
      let now: ReturnType<typeof wallClock> | undefined;
      scope.set('frappe', frappeNamespace({
        user: ctx.user ?? 'Guest',
        get now() { return (now ??= wallClock(ctx.now ?? new Date(), ctx.timeZone ?? 'UTC')); },
        db: (c) => {
          const k = JSON.stringify(c, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
          if (fetched.has(k)) return fetched.get(k);
          if (!ctx.db) throw new PyFault('RuntimeError', `frappe.db.${c.kind} needs a data source`, 'PYEXPR_UNSUPPORTED');
          throw new NeedData(k, c);
        },
      }));
    }
    for (const [k, v] of Object.entries(ctx.names ?? {})) scope.set(k, toPy(v, { floatFields: ctx.floatFields }));
    for (const [k, v] of BUILTINS) scope.set(k, v);
    if (ctx.doc !== undefined) scope.set('doc', toPy(ctx.doc, { floatFields: ctx.floatFields }));
    const rt: Rt = { meter, scope, pos: 0 };
    try {
      return root(rt);
    } catch (error) {
      if (error instanceof PyFault) throw new PyExprError(error.code, error.pyType, error.message, source, rt.pos);
      if (error instanceof RangeError) throw new PyExprError('PYEXPR_LIMIT', 'MemoryError', error.message, source, rt.pos);
      throw error;
    }
  };

  const evaluateAsync = async (ctx: PyEvalContext): Promise<unknown> => {
    const fetched = new Map<string, unknown>();
    for (;;) {
      try {
        return run(ctx, fetched);
      } catch (error) {
        if (!(error instanceof NeedData)) throw error;
        if (fetched.size >= o.maxDbCalls) {
          throw new PyExprError('PYEXPR_LIMIT', 'RuntimeError', `more than ${o.maxDbCalls} database reads`, source);
        }
        const c = error.call;
        fetched.set(error.key, c.kind === 'get_value' ? await ctx.db!.get_value(c) : await ctx.db!.get_list(c));
      }
    }
  };

  return Object.freeze({
    source,
    references: Object.freeze([...compiler.refs].sort()),
    names: Object.freeze([...compiler.names].sort()),
    evaluatePy(ctx: PyEvalContext): unknown {
      try {
        return run(ctx, new Map());
      } catch (error) {
        if (error instanceof NeedData) {
          throw new PyExprError('PYEXPR_UNSUPPORTED', 'RuntimeError', 'a database read needs evaluateAsync', source);
        }
        throw error;
      }
    },
    evaluateAsync: async (ctx: PyEvalContext) => toJs(await evaluateAsync(ctx)),
    test: async (ctx: PyEvalContext) => truthy(await evaluateAsync(ctx)),
  });
}

/** Compile-and-evaluate in one step (compiles are cached). Resolves to JS data. */
export function evaluatePython(source: string, ctx: PyEvalContext, options?: PyCompileOptions): Promise<unknown> {
  return compilePython(source, options).evaluateAsync(ctx);
}


