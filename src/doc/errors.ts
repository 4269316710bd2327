/**
 * The error thrown when a caller asks the document layer for something the DocType does not allow
 * (an unknown field, a row that does not exist). Problems in the *values* are not errors here: the rules
 * layer reports them as issues.
 *
 * @module
 */
import { CoworkerError } from '../errors';

/** Codes carried by {@link DocError}. */
export type DocErrorCode =
  /** The fieldname is not a field of the DocType (nor a standard field). */
  | 'DOC_UNKNOWN_FIELD'
  /** A Table field was written through `setValue`; use the row functions. */
  | 'DOC_TABLE_FIELD'
  /** A layout field (Section Break, HTML, ...) was written; it holds no value. */
  | 'DOC_NO_VALUE_FIELD'
  /** A field the document layer manages (`doctype`, a row's `idx` / `parent*`) was written directly. */
  | 'DOC_MANAGED_FIELD'
  /** A row function named a field that is not a Table field. */
  | 'DOC_NOT_TABLE'
  /** No row with this name in the table. */
  | 'DOC_UNKNOWN_ROW'
  /** A row position outside the table. */
  | 'DOC_ROW_INDEX'
  /** A fetch was asked for a field that is not a Link or Dynamic Link. */
  | 'DOC_NOT_LINK'
  /** Child DocTypes had to be resolved but no `getDoctype` was given. */
  | 'DOC_NO_LOOKUP'
  /** Data given to `loadDoc` / `copyDoc` is not a document (not an object, a table that is not a list...). */
  | 'DOC_INVALID_DATA'
  /** `replay` was given a patch it cannot apply (an unknown op, a path that does not resolve or is reserved). */
  | 'DOC_INVALID_PATCH';

/** A document operation was refused. Carries the DocType, field and, for rows, the table and row name. */
export class DocError extends CoworkerError {
  declare readonly code: DocErrorCode;
  readonly doctype: string;
  readonly field: string | undefined;
  readonly table: string | undefined;
  readonly rowname: string | undefined;

  constructor(
    code: DocErrorCode,
    message: string,
    where: { doctype: string; field?: string | undefined; table?: string | undefined; rowname?: string | undefined },
  ) {
    super(code, message);
    this.doctype = where.doctype;
    this.field = where.field;
    this.table = where.table;
    this.rowname = where.rowname;
  }

  override get name(): string {
    return 'DocError';
  }
}
