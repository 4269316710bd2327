/**
 * `coworker/expr`: the expression evaluator on its own, for apps that only evaluate Frappe conditions (a
 * form in the browser): nothing of the schema, rules or run layers, no zod, no immer.
 *
 * @example
 * ```ts
 * import { evaluateCondition } from 'coworker/expr';
 * evaluateCondition("eval:doc.status == 'Open'", { doc: { status: 'Open' } }); // true
 * ```
 *
 * @module
 */
export * from './index';
export { CoworkerError, ExpressionError, type ExpressionErrorCode } from '../errors';
