/**
 * Compile `eval:` expressions into closures that reproduce Frappe Desk's JavaScript semantics without `eval`.
 *
 * Frappe runs `new Function('doc', 'parent', 'let out = <body>; return out')`. We parse the body
 * ({@link parseBody}), refuse at compile time everything outside a fixed subset (unknown globals, assignment,
 * `new`, `this`, functions as values, blocked property names, methods not on the allow-list), and turn each AST
 * node into a closure that applies the *real* JavaScript operator to the values, so coercions (`==`, `+`, `<`)
 * are JavaScript's own (`nodes.ts`). Property reads and method calls go through `access.ts` (own data
 * properties only). This module is the public side: options, the compile cache, the evaluation entry points.
 *
 * @module
 */
import { CoworkerError, ExpressionError } from '../errors';
import { EvalFault } from './access';
import { DEFAULT_LIMITS, DEFAULT_MAX_BYTES, DEFAULT_MAX_OPS, LimitFault, validLimit, type EvalLimits } from './meter';
import { compile, type State } from './nodes';
import type { Fn } from './operators';
import { parseBody } from './parse';
import { makeRuntime } from './runtime';
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

// ---------------------------------------------------------------------------------------------------------------
// Public API.

const cache = new Map<string, CompiledExpression>();

/** The closures behind one compiled expression: the full ones per statement, and the limits. */
interface Body {
  readonly first: Fn;
  readonly rest: readonly Fn[];
  readonly limits: EvalLimits;
}

/** The closures behind each compiled expression, for {@link truthTest} and {@link measureEvaluation}. */
const bodies = new WeakMap<CompiledExpression, Body>();

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
  const body: Body = { first, rest, limits };
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
  bodies.set(compiled, body);
  if (useCache) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  return compiled;
}
