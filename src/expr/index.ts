/**
 * The expression layer: Frappe `depends_on` / `eval:` expressions, compiled once to closures, evaluated with
 * JavaScript's semantics and without `eval`. Terms:
 *
 * - *expression*: the JavaScript after `eval:` (or the whole `eval:...` string);
 * - *condition*: a `depends_on`-style property value: an expression, a fieldname, a boolean, or empty;
 * - *context*: `{ doc, parent, user, now, boot }`, everything an expression can read;
 * - *references*: the fields an expression reads, for the dependency graph.
 *
 * See docs/expressions.md for the supported grammar, helpers and security model.
 *
 * @module
 */
export { compileExpression, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_OPS, DEFAULT_MAX_BYTES, type CompileOptions } from './compile';
export { compileCondition, evaluateCondition, parseConditionKind, type CompiledCondition, type ConditionKind } from './condition';
export type { CompiledExpression, ExprContext, ExprUser } from './types';
export { tokenize } from './lex';
export type { LexResult, LexProblem, Token } from './lex';
export type { EvalLimits } from './meter';
