/**
 * Step conditions: expressions of the safe expression engine (src/expr: compiled to closures, deny by default,
 * metered) over `{ input, steps }`. The expression engine's documents are `doc` and `parent`, so a condition is
 * compiled with every free `input` / `steps` identifier read as `doc.input` / `doc.steps` (a token-level
 * rewrite: strings and property names are never touched), and evaluated with `doc = { input, steps }`. Error
 * positions are mapped back to the text as written.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { compileExpression } from '../expr/index';
import { tokenize } from '../expr/index';
import type { CompiledExpression } from '../expr/types';
import type { CompileOptions } from '../expr/index';

/** A compiled step condition. */
export interface FlowCondition {
  readonly source: string;
  /** Step ids the condition reads (`steps.<id>`): the step waits for them. */
  readonly steps: readonly string[];
  /** Evaluate over the flow's input and the step results so far. @throws {ExpressionError} `EXPR_RUNTIME` */
  test(scope: { readonly input: unknown; readonly steps: Readonly<Record<string, unknown>> }): boolean;
}

const ROOTS = new Set(['input', 'steps']);

/**
 * Compile a condition.
 * @param source - the expression (an `eval:` prefix is accepted and ignored)
 * @param options - limits (the engine's `expressionBudget`) @default the expression defaults
 * @throws {ExpressionError} `EXPR_SYNTAX` / `EXPR_UNSUPPORTED` / `EXPR_LIMIT`, index into `source`
 */
export function compileFlowCondition(source: string, options?: CompileOptions): FlowCondition {
  const offset = source.startsWith('eval:') ? 5 : 0;
  const body = source.slice(offset);
  const lexed = tokenize(body);
  if (!lexed.ok) throw new ExpressionError(lexed.problem.code, lexed.problem.description, source, lexed.problem.index + offset);
  const inserts: number[] = [];
  const steps: string[] = [];
  const tokens = lexed.tokens;
  tokens.forEach((t, i) => {
    if (t.kind !== 'ident') return;
    const prev = tokens[i - 1];
    if (prev && prev.kind === 'punct' && (prev.value === '.' || prev.value === '?.')) return;
    if (t.value === 'doc' || t.value === 'parent') {
      throw new ExpressionError('EXPR_UNSUPPORTED', `'${t.value}' is not available in a flow condition; use input and steps`, source, t.start + offset);
    }
    if (!ROOTS.has(t.value)) return;
    inserts.push(t.start);
    if (t.value === 'steps') {
      const dot = tokens[i + 1];
      const id = tokens[i + 2];
      if (!dot || dot.kind !== 'punct' || (dot.value !== '.' && dot.value !== '?.') || !id || id.kind !== 'ident') {
        throw new ExpressionError('EXPR_UNSUPPORTED', 'name a step as steps.<step_id>', source, t.start + offset);
      }
      if (!steps.includes(id.value)) steps.push(id.value);
    }
  });
  let rewritten = '';
  let pos = 0;
  for (const at of inserts) {
    rewritten += body.slice(pos, at) + 'doc.';
    pos = at;
  }
  rewritten += body.slice(pos);
  let compiled: CompiledExpression;
  try {
    compiled = compileExpression(rewritten, options);
  } catch (e) {
    if (e instanceof ExpressionError) {
      const index = e.index === undefined ? undefined : back(e.index, inserts) + offset;
      throw new ExpressionError(e.code, e.description, source, index);
    }
    throw e;
  }
  return {
    source,
    steps,
    test: (scope) => {
      try {
        return Boolean(compiled.evaluate({ doc: { input: scope.input, steps: scope.steps } }));
      } catch (e) {
        if (e instanceof ExpressionError) throw new ExpressionError(e.code, e.description, source, e.index === undefined ? undefined : back(e.index, inserts) + offset);
        throw e;
      }
    },
  };
}

/** An index into the rewritten text, as an index into the text as written. */
function back(index: number, inserts: readonly number[]): number {
  let shift = 0;
  for (const at of inserts) if (at + shift * 4 < index) shift++;
  return Math.max(0, index - shift * 4);
}
