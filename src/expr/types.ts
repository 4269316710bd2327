/**
 * Types of the expression layer: what an expression sees (the context) and what compiling one gives.
 *
 * @module
 */

/** The user an expression runs for: `frappe.session.user`, `frappe.user.has_role(...)`. */
export interface ExprUser {
  readonly name: string;
  readonly roles: readonly string[];
  readonly full_name?: string;
  readonly email?: string;
}

/**
 * Everything an expression can read. Nothing else is reachable: no globals, no prototypes.
 *
 * - `doc`: the document (or, for a child-table field, the child row) being evaluated;
 * - `parent`: the form's document: for a child row, its parent document; at top level Frappe passes the
 *   document itself, and so does coworker when `parent` is omitted (`frappe/public/js/frappe/form/layout.js`);
 * - `user`: the session user; `now`: the clock (for `frappe.datetime.*`); `boot`: what Desk keeps in
 *   `frappe.boot` (e.g. `{ sysdefaults: { float_precision: '3' } }`).
 */
export interface ExprContext {
  readonly doc: Readonly<Record<string, unknown>>;
  readonly parent?: Readonly<Record<string, unknown>> | undefined;
  readonly user?: ExprUser | undefined;
  readonly now?: Date | undefined;
  readonly boot?: Readonly<Record<string, unknown>> | undefined;
}

/** A compiled expression: compile once, evaluate many times. */
export interface CompiledExpression {
  /** Evaluate against a context. Throws only {@link ExpressionError} with code `EXPR_RUNTIME`. */
  evaluate(ctx: ExprContext): unknown;
  /**
   * Fields the expression reads, for the dependency graph: `doc.x` / `doc['x']` as `x`,
   * `parent.x` / `cur_frm.doc.x` as `parent.x`. Sorted, unique. A computed key that is not a literal
   * (`doc[name]`) cannot be known statically and is reported as `*` / `parent.*`.
   */
  readonly references: readonly string[];
  /** The source text as given. */
  readonly source: string;
}
