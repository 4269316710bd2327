/**
 * The Python-expression layer: Frappe's server-side conditions (workflow transition conditions, and the same
 * `frappe.safe_eval` expressions of Notifications, Assignment Rules and virtual fields), compiled once to
 * closures with Python's semantics, without `eval`. A sibling of `expr/` (Desk JavaScript).
 *
 * See docs/workflow.md for the grammar, the value model and the differences from RestrictedPython.
 *
 * @module
 */
export { compilePython, evaluatePython, PY_DEFAULTS } from './compile';
export type { CompiledPyExpression, PyCompileOptions, PyEvalContext } from './compile';
export type { DbCall, PyDataSource } from './frappe';
export { PyExprError } from './errors';
export type { PyExprErrorCode } from './errors';
export { PyCallable, PyDateTime, PyDict, PySet, PyTuple, toJs, toPy, truthy, typeName } from './values';
export type { ToPyOptions } from './values';
