/**
 * The per-call entry of a compiled expression: what `evaluate` and a condition's `test` run. It reads `ctx.doc`
 * and `ctx.parent` once, takes the fast path (`fast.ts`) when the document is plain data, and otherwise (or when
 * the fast closures give up) runs the full closures with a fresh runtime and meter. The three commonest shapes
 * get an entry of their own, so that their evaluation is one call: the entry itself.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { EvalFault, isPlainData } from './access';
import { heavy } from './convert';
import { SLOW, compareAt, type Fast } from './fast';
import { LimitFault, type EvalLimits } from './meter';
import type { Fn, R } from './operators';
import { runtimeOf } from './runtime';
import type { ExprContext } from './types';

/** The closures behind one compiled expression: the full ones per statement, the fast one, the limits. */
export interface Body {
  readonly first: Fn;
  readonly rest: readonly Fn[];
  readonly fast: Fast | undefined;
  readonly limits: EvalLimits;
}

/**
 * The entry of a one-statement expression: `evaluate` (`truth` false) or a condition's `test` (`truth`: false
 * without a document, else the truthiness of the value). Everything thrown comes out as an ExpressionError.
 */
export function entry(body: Body, src: string, truth: boolean): (ctx: ExprContext) => unknown {
  const general = generalEntry(body, truth);
  const shape = body.fast?.shape;
  if (shape === undefined) {
    return (ctx) => {
      try {
        return general(ctx, ctx.doc);
      } catch (e) {
        throw runtimeError(e, src);
      }
    };
  }
  const k = shape.k;
  if (shape.kind === 'compare') {
    // `doc.k <op> literal`: a comparison is a boolean, so `truth` changes nothing here.
    const { op, v } = shape;
    return (ctx) => {
      try {
        const doc = ctx.doc;
        if (isPlainData(doc)) {
          const a = (doc as R)[k];
          if (!heavy(a)) return compareAt(op, a, v);
        }
        return general(ctx, doc);
      } catch (e) {
        throw runtimeError(e, src);
      }
    };
  }
  const not = shape.kind === 'not';
  return (ctx) => {
    try {
      const doc = ctx.doc;
      if (isPlainData(doc)) {
        const a = (doc as R)[k];
        return not ? !a : truth ? Boolean(a) : a;
      }
      return general(ctx, doc);
    } catch (e) {
      throw runtimeError(e, src);
    }
  };
}

/**
 * Every other one-statement expression, and the shapes above when the document is not plain data or the value
 * needs the meter: the fast closure when `doc` (and `parent`, if read) is plain data, else (or when it answers
 * {@link SLOW}) the full closures. Throws what they throw; the caller wraps it.
 */
function generalEntry(body: Body, truth: boolean): (ctx: ExprContext, doc: unknown) => unknown {
  const { first, limits } = body;
  const fast = body.fast?.fn;
  const readsParent = body.fast?.parent === true;
  return (ctx, doc) => {
    if (truth && !doc) return false;
    const parent = ctx.parent ?? doc;
    if (fast !== undefined && isPlainData(doc) && (!readsParent || parent === doc || isPlainData(parent))) {
      const v = fast(doc as R, parent as R);
      if (v !== SLOW) return truth ? Boolean(v) : v;
    }
    const v = first(runtimeOf(ctx, doc, parent, limits));
    return truth ? Boolean(v) : v;
  };
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

