/**
 * The stable lint codes: what each means and how serious it is. The table in docs/cli.md mirrors this one
 * (a test keeps them in step).
 *
 * @module
 */

/** Severity of a finding: `error` is a definite defect, `warning` a probable one or a coworker limitation. */
export type LintSeverity = 'error' | 'warning';

/** Every lint code with its default severity and a one-line description. */
export const LINT_CODES = {
  /** A file is not JSON. */
  INVALID_JSON: { severity: 'error', description: 'the file is not valid JSON' },
  /** A DocType JSON that `parseDoctype` rejects (wrong types, unknown fieldtype, bad fieldname...). */
  INVALID_DOCTYPE: { severity: 'error', description: 'the DocType JSON does not load (each schema problem is listed)' },
  /** Two files define the same DocType name; the first (in path order) is linted. */
  DUPLICATE_DOCTYPE: { severity: 'error', description: 'two files define the same DocType' },
  /** Two fields share a fieldname; Frappe\'s Meta keeps the later row. */
  DUPLICATE_FIELDNAME: { severity: 'error', description: 'two fields share a fieldname (the later row wins, as in Frappe\'s Meta)' },
  /** A `field_order` entry names no field. */
  UNKNOWN_FIELD_ORDER_ENTRY: { severity: 'warning', description: 'field_order names a field the DocType does not have' },
  /** An expression does not parse. */
  EXPR_SYNTAX: { severity: 'error', description: 'a condition is not valid JavaScript' },
  /** An expression uses something coworker does not run headlessly (`erpnext.*`, `fn:`, DOM...). */
  EXPR_UNSUPPORTED: { severity: 'warning', description: 'a condition uses a construct coworker does not run (the field behaves as if it had no condition)' },
  /** An expression is over the length / depth limits. */
  EXPR_LIMIT: { severity: 'warning', description: 'a condition is longer or deeper than the expression limits' },
  /** `&` / `|` where `&&` / `||` was probably meant. */
  BITWISE_OPERATOR: { severity: 'warning', description: 'a bitwise & or | between boolean-looking operands (&& or || was probably meant)' },
  /** A condition reads a field the DocType (or, for `parent.*`, a parent DocType) does not have. */
  UNKNOWN_FIELD_REFERENCE: { severity: 'error', description: 'a condition reads a field the DocType (or, for parent.*, a parent DocType) does not have' },
  /** `fetch_from` is malformed, goes through a field that is not a Link, or names a field the target lacks. */
  BAD_FETCH_FROM: { severity: 'error', description: 'fetch_from is not link.field, the link is not a Link / Dynamic Link, or the target lacks the field' },
  /** `fetch_from` chains form a cycle. */
  FETCH_CYCLE: { severity: 'error', description: 'fetch_from (and computed) values form a cycle' },
  /** A Table field names a DocType that is not in the folder. */
  UNKNOWN_CHILD_TABLE: { severity: 'error', description: 'a Table field names a child DocType that is not in the folder' },
  /** A Table field names a DocType that is not a child table (`istable` 0). */
  TABLE_NOT_CHILD: { severity: 'error', description: 'a Table field names a DocType that is not a child table (istable is 0)' },
  /** A Select default that is not one of its options (Frappe refuses to save such a DocType). */
  SELECT_DEFAULT_NOT_IN_OPTIONS: { severity: 'error', description: 'a Select default is not one of its options' },
  /** A Check default other than 0 / 1 (Frappe refuses to save such a DocType). */
  CHECK_DEFAULT_INVALID: { severity: 'error', description: 'a Check default is not 0 or 1' },
  /** Any other schema warning (e.g. a customization whose target is gone). */
  SCHEMA_WARNING: { severity: 'warning', description: 'another oddity Frappe tolerates' },
  /** A Workflow document Frappe refuses to save (unknown state, a transition out of cancelled, submitted to draft, draft to cancelled) or a second active one. */
  WORKFLOW_INVALID: { severity: 'error', description: 'a workflow Frappe refuses to save (unknown state, bad docstatus transition), or a second active workflow for one DocType' },
  /** A Workflow for a DocType that is not in the folder. */
  WORKFLOW_UNKNOWN_DOCTYPE: { severity: 'error', description: 'a workflow names a Document Type that is not in the folder' },
  /** A transition condition that does not compile as coworker's Python subset. */
  WORKFLOW_CONDITION: { severity: 'error', description: 'a transition condition is not valid Python, or uses something outside the subset coworker runs' },
  /** An `update_field`, or a `doc.x` a condition reads, that the DocType does not have. */
  WORKFLOW_UNKNOWN_FIELD: { severity: 'warning', description: 'a state\'s update_field, or a field a condition reads, is not a field of the DocType' },
} as const satisfies Record<string, { readonly severity: LintSeverity; readonly description: string }>;

/** A stable lint code. */
export type LintCode = keyof typeof LINT_CODES;
