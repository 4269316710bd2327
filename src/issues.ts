/**
 * Issues: problems found in *document data*. They are returned, collected, never thrown.
 *
 * Every issue has a stable `code` (ours, UPPER_SNAKE), `exc` (the name of the exception Frappe's server raises
 * for the same problem, `frappe/exceptions.py` so callers that know Frappe can match on it), the field and
 * child row concerned, and Frappe's message text.
 *
 * @module
 */

/** Our issue codes, each mapped to Frappe's exception name. */
export const ISSUE_CODES = {
  /** A mandatory field (reqd or a true `mandatory_depends_on`) has no value. */
  MANDATORY: 'MandatoryError',
  /** A mandatory Table field has no rows. */
  MANDATORY_TABLE: 'MandatoryError',
  /** A list given for a non-table field. */
  LIST_NOT_ALLOWED: 'ValidationError',
  /** A Select value that is not one of the options. */
  INVALID_SELECT: 'ValidationError',
  /** A negative value in a `non_negative` Int / Float / Currency field. */
  NEGATIVE_VALUE: 'NonNegativeError',
  /** A varchar value longer than its length, or an int beyond its column range. */
  LENGTH_EXCEEDED: 'CharacterLengthExceededError',
  INVALID_EMAIL: 'InvalidEmailAddressError',
  INVALID_NAME: 'InvalidNameError',
  INVALID_PHONE: 'InvalidPhoneNumberError',
  INVALID_URL: 'ValidationError',
  /** A Date / Datetime / Time value that is not Frappe's canonical string form. */
  INVALID_DATE: 'ValidationError',
  /** A JSON field value that is neither a JSON string nor an object. */
  INVALID_JSON: 'ValidationError',
  /** A value of the wrong kind for its fieldtype that cannot be coerced (e.g. an object in a Data field). */
  INVALID_VALUE: 'ValidationError',
  /** A Link / Dynamic Link naming a document that does not exist. */
  LINK_NOT_FOUND: 'LinkValidationError',
  /** A Link to a DocType the engine does not hold, so its value was not checked (engine option `unknownLinks`). */
  LINK_NOT_CHECKED: 'LinkValidationError',
  /** An input key the DocType does not have (ignored, as Frappe ignores it; engine option `unknownKeys`). */
  UNKNOWN_KEY: 'ValidationError',
  /** A Link to a cancelled document of a submittable DocType. */
  CANCELLED_LINK: 'CancelledLinkError',
  /** A Dynamic Link whose DocType field is empty. */
  DYNAMIC_LINK_NO_DOCTYPE: 'ValidationError',
  /** A custom cross-field validator failed. */
  VALIDATION: 'ValidationError',
  /** from/to dates in the wrong order (`validate_from_to_dates`). */
  INVALID_DATES: 'InvalidDates',
  /** An expression failed at run time; the field falls back to a documented state. */
  EXPR_RUNTIME: 'ValidationError',
  /** An expression exceeded its evaluation budget (engine option `expressionBudget`): blocking, never a fallback. */
  EXPR_LIMIT: 'ValidationError',
  /** A `set_only_once` field (or owner / creation) was changed. */
  CANNOT_CHANGE_CONSTANT: 'CannotChangeConstantError',
  /** A field without `allow_on_submit` was changed on a submitted document. */
  UPDATE_AFTER_SUBMIT: 'UpdateAfterSubmitError',
  /** A read-only field was changed through input. */
  READ_ONLY: 'ValidationError',
  /** A field above the user's permlevel was written. */
  PERMLEVEL: 'PermissionError',
  /** The user's User Permissions do not allow the document (or a Link value in it). */
  USER_PERMISSION: 'PermissionError',
  /** Naming failed (missing field: value, bad series...). */
  NAMING: 'NameError',
  /** A unique field's value is already used by another document. */
  UNIQUE: 'UniqueValidationError',
  /** A document with this name exists. */
  DUPLICATE_ENTRY: 'DuplicateEntryError',
  /** Flows (src/flow): a step without a valid `step_id` (letters, digits, `_`; not `input`). */
  FLOW_STEP_ID: 'ValidationError',
  /** Flows: two steps share a `step_id`. */
  FLOW_DUPLICATE_STEP: 'ValidationError',
  /** Flows: a template without steps. */
  FLOW_NO_STEPS: 'ValidationError',
  /** Flows: a step's operation is not known to the engine. */
  FLOW_UNKNOWN_OPERATION: 'ValidationError',
  /** Flows: a step's `source_doctype` / `target_doctype` is not in the registry. */
  FLOW_UNKNOWN_DOCTYPE: 'ValidationError',
  /** Flows: `input` / `query` / `options` is not a JSON object. */
  FLOW_BAD_JSON: 'ValidationError',
  /** Flows: a `{{reference}}` that does not parse. */
  FLOW_BAD_REFERENCE: 'ValidationError',
  /** Flows: a reference or `after` names no step of the template. */
  FLOW_UNKNOWN_STEP: 'ValidationError',
  /** Flows: a reference names a step that comes later in the template. */
  FLOW_LATER_STEP: 'ValidationError',
  /** Flows: steps wait for each other in a cycle (through `after` or a reference to themselves). */
  FLOW_CYCLE: 'ValidationError',
  /** Flows: a `condition` that does not compile. */
  FLOW_BAD_CONDITION: 'ValidationError',
  /** Flows: a bad `on_error` / `retries` / `retry_delay` value. */
  FLOW_BAD_VALUE: 'ValidationError',
  /** Flows: `options.atomic` with a step that is not a storage operation of the engine's adapter. */
  FLOW_NOT_ATOMIC: 'ValidationError',
  /** Flows, at run time: a reference names a path its source does not have. */
  FLOW_MISSING_PATH: 'ValidationError',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** One problem in a document. Plain, frozen data. */
export interface Issue {
  readonly code: IssueCode;
  /** Frappe's exception name for this problem, e.g. `MandatoryError`. */
  readonly exc: string;
  /** Frappe's message text where Frappe has one. */
  readonly message: string;
  /** DocType of the document or row the issue is about. */
  readonly doctype?: string | undefined;
  /** Fieldname concerned, when the issue is about one field. */
  readonly field?: string | undefined;
  /** For child rows: the row's 1-based `idx` in its table. */
  readonly row?: number | undefined;
  /** For child rows: the parent's Table fieldname (`parentfield`). */
  readonly table?: string | undefined;
  /** For child rows: the row's `name`. */
  readonly rowname?: string | undefined;
  /** The offending value, when useful. */
  readonly value?: unknown;
  /** For expression issues: the expression text and character index. */
  readonly expression?: string | undefined;
  readonly index?: number | undefined;
  /** `error` blocks a save; `warning` does not. @default 'error' */
  readonly severity?: 'error' | 'warning';
  /**
   * Where the issue is, as Standard Schema consumers read it: `['items', 0, 'qty']` for a row's field
   * (0-based row position), `['customer']` for a top-level field; absent for the whole document.
   */
  readonly path?: readonly (string | number)[];
}

/**
 * The path of an issue from its `field`, `table` and 1-based `row`: `['items', 0, 'qty']` for a row's field.
 * @param issue - the issue's location
 * @returns the path, or `undefined` for an issue about the whole document
 */
export function issuePath(issue: Pick<Issue, 'field' | 'table' | 'row'>): readonly (string | number)[] | undefined {
  if (issue.table !== undefined && issue.row !== undefined) {
    return issue.field !== undefined ? [issue.table, issue.row - 1, issue.field] : [issue.table, issue.row - 1];
  }
  if (issue.field !== undefined) return [issue.field];
  return undefined;
}

/** Build a frozen issue, filling `exc` from the code. */
export function makeIssue(code: IssueCode, message: string, details: Omit<Issue, 'code' | 'exc' | 'message'> = {}): Issue {
  const path = details.path ?? issuePath(details);
  return Object.freeze(path ? { code, exc: ISSUE_CODES[code], message, ...details, path: Object.freeze([...path]) } : { code, exc: ISSUE_CODES[code], message, ...details });
}
