/**
 * Errors thrown by coworker.
 *
 * Two channels, as in zod: problems in *data* (a document that fails validation) are returned as
 * {@link Issue} values and never thrown; problems in *what the caller or the configuration gave us*
 * (a DocType JSON that does not parse, an expression we refuse to run) are thrown as a subclass of
 * {@link CoworkerError}, each with a stable string `code` callers can branch on.
 *
 * @module
 */

/** A location inside a JSON value: object keys and array indices, outermost first. */
export type Path = ReadonlyArray<string | number>;

/** Base class of every error coworker throws. `code` is stable across releases. */
export class CoworkerError extends Error {
  /** Stable machine-readable code, e.g. `SCHEMA_INVALID`, `EXPR_SYNTAX`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  override get name(): string {
    return 'CoworkerError';
  }
}

/** One problem found in a DocType (or Custom Field / Property Setter) definition. */
export interface SchemaProblem {
  /** Where in the JSON the problem is, e.g. `['fields', 3, 'fieldtype']`. */
  readonly path: Path;
  readonly message: string;
  /** Finer-grained code of this one problem, e.g. `duplicate_fieldname`. */
  readonly code?: string;
}

/** Codes carried by {@link SchemaError}. */
export type SchemaErrorCode =
  /** The JSON does not have the shape of a DocType (wrong types, missing fieldname, unknown fieldtype...). */
  | 'SCHEMA_INVALID'
  /** A registry lookup named a DocType that is not registered. */
  | 'SCHEMA_UNKNOWN_DOCTYPE'
  /** A Table / Table MultiSelect field names a child DocType that is missing or not `istable`. */
  | 'SCHEMA_CHILD_TABLE'
  /** A Custom Field or Property Setter cannot be applied. */
  | 'SCHEMA_CUSTOMIZATION'
  /** A DocType with this name is already registered. */
  | 'SCHEMA_DUPLICATE_DOCTYPE'
  /** `loadDoctypes` with `strict`: a document did not load cleanly (each diagnostic is an issue). */
  | 'SCHEMA_LOAD_FAILED';

/**
 * A DocType definition was rejected. `problems` names every problem found, not just the first.
 * (`issues` is the same array, under the name the foundation contract uses.)
 */
export class SchemaError extends CoworkerError {
  declare readonly code: SchemaErrorCode;
  /** The DocType concerned, when known. */
  readonly doctype: string | undefined;
  readonly issues: readonly SchemaProblem[];

  constructor(
    code: SchemaErrorCode,
    doctype: string | undefined,
    issues: readonly SchemaProblem[],
    options?: { cause?: unknown },
  ) {
    super(code, formatSchemaMessage(doctype, issues), options);
    this.doctype = doctype;
    this.issues = issues;
  }

  override get name(): string {
    return 'SchemaError';
  }
}

function formatSchemaMessage(doctype: string | undefined, issues: readonly SchemaProblem[]): string {
  const head = doctype ? `DocType "${doctype}"` : 'DocType';
  const lines = issues.slice(0, 10).map((p) => `  - ${p.path.length ? p.path.join('.') + ': ' : ''}${p.message}`);
  const more = issues.length > 10 ? [`  ... and ${issues.length - 10} more`] : [];
  return [`${head}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, ...lines, ...more].join('\n');
}

/** Codes carried by {@link ExpressionError}. */
export type ExpressionErrorCode =
  /** The text does not parse as an expression. */
  | 'EXPR_SYNTAX'
  /** The text parses but uses something coworker refuses or cannot run headlessly (DOM, `erpnext.*`, `fn:`, assignment...). */
  | 'EXPR_UNSUPPORTED'
  /** The expression is longer or deeper than the configured limits, or one evaluation exceeded its budget (`maxOps`, `maxBytes`). */
  | 'EXPR_LIMIT'
  /** Evaluation failed where Frappe's JavaScript would have thrown (e.g. `in_list(null, x)`, `null.x`). */
  | 'EXPR_RUNTIME';

/** An expression could not be compiled or evaluated. Carries the source and the character position. */
export class ExpressionError extends CoworkerError {
  declare readonly code: ExpressionErrorCode;
  /** The expression text as given (including any `eval:` prefix). */
  readonly source: string;
  /** 0-based character index into `source` where the problem is, when known. */
  readonly index: number | undefined;
  /** Short description without the position, e.g. `Unexpected token )`. */
  readonly description: string;

  constructor(
    code: ExpressionErrorCode,
    description: string,
    source: string,
    index?: number,
    options?: { cause?: unknown },
  ) {
    super(code, `${description}${index === undefined ? '' : ` at character ${index}`} in ${JSON.stringify(source)}`, options);
    this.source = source;
    this.index = index;
    this.description = description;
  }

  override get name(): string {
    return 'ExpressionError';
  }
}
