/**
 * Errors thrown by storage adapters. Every adapter throws these codes, never a driver's own error: SQL
 * adapters translate driver failures by SQLSTATE / error code (not message text) and wrap anything else as
 * `STORAGE_FAILURE` with the original as `cause`.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { Path } from '../errors';

/** Codes carried by {@link StorageError}, each mapped to the exception Frappe raises for the same case. */
export const STORAGE_ERROR_EXC = {
  /** A document (or child row) with this name already exists. */
  DUPLICATE_ENTRY: 'DuplicateEntryError',
  /** A `unique` field's value is already used by another row. */
  UNIQUE_VIOLATION: 'UniqueValidationError',
  /** `update` found a stored `modified` other than the expected one. */
  TIMESTAMP_MISMATCH: 'TimestampMismatchError',
  /** `update` / `delete` of a document that does not exist. */
  NOT_FOUND: 'DoesNotExistError',
  /** A query with an unknown operator, a wrong operand type, a bad `take` / `skip` / `orderBy`. */
  STORAGE_BAD_QUERY: 'ValidationError',
  /** A DocType that was not passed to `prepare`. */
  STORAGE_UNKNOWN_DOCTYPE: 'DoesNotExistError',
  /** A field in `where` / `orderBy` / `fields` that is not a column (or Table field) of the DocType. */
  STORAGE_UNKNOWN_FIELD: 'ValidationError',
  /** A document that cannot be stored as given (no name, a row that is not an object, a value of the wrong kind). */
  STORAGE_BAD_DOCUMENT: 'ValidationError',
  /** Anything else (a closed transaction, an injected fault, a driver error); see `cause`. */
  STORAGE_FAILURE: 'DatabaseError',
} as const;

/** A storage error code. */
export type StorageErrorCode = keyof typeof STORAGE_ERROR_EXC;

/** Context of a {@link StorageError}. */
export interface StorageErrorDetails {
  readonly doctype?: string | undefined;
  /** The document (or row) name concerned. */
  readonly name?: string | undefined;
  /** The field concerned (unique field, unknown field, bad value). */
  readonly field?: string | undefined;
  /** The offending value, when useful. */
  readonly value?: unknown;
  /** Where in the query or document the problem is, e.g. `['where', 'OR', 1, 'qty', 'gt']`. */
  readonly path?: Path | undefined;
  readonly cause?: unknown;
}

/** A storage operation failed. Branch on `code`; `exc` is Frappe's exception name for the same case. */
export class StorageError extends CoworkerError {
  declare readonly code: StorageErrorCode;
  /** Frappe's exception name, e.g. `TimestampMismatchError`. */
  readonly exc: string;
  readonly doctype: string | undefined;
  readonly docname: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly path: Path | undefined;

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.exc = STORAGE_ERROR_EXC[code];
    this.doctype = details.doctype;
    this.docname = details.name;
    this.field = details.field;
    this.value = details.value;
    this.path = details.path;
  }

  override get name(): string {
    return 'StorageError';
  }
}

/**
 * `DUPLICATE_ENTRY` with Frappe's message "{doctype} {name} already exists".
 * @param doctype - the table
 * @param name - the colliding name
 * @returns the error
 */
export function duplicateEntry(doctype: string, name: string): StorageError {
  return new StorageError('DUPLICATE_ENTRY', `${doctype} ${name} already exists`, { doctype, name });
}

/**
 * `UNIQUE_VIOLATION` with Frappe's message "{label} must be unique".
 * @param doctype - the table
 * @param name - the row being written
 * @param field - the unique field
 * @param label - its label (Frappe names the field by label)
 * @param value - the duplicated value
 * @returns the error
 */
export function uniqueViolation(doctype: string, name: string, field: string, label: string, value: unknown): StorageError {
  return new StorageError('UNIQUE_VIOLATION', `${label} must be unique`, { doctype, name, field, value });
}

/**
 * `TIMESTAMP_MISMATCH` with Frappe's `check_if_latest` message.
 * @param doctype - the table
 * @param name - the document
 * @param previous - the stored `modified`
 * @param next - the `modified` being written
 * @returns the error
 */
export function timestampMismatch(doctype: string, name: string, previous: string, next: string): StorageError {
  return new StorageError(
    'TIMESTAMP_MISMATCH',
    `Error: Document has been modified after you have opened it (${previous}, ${next}). ` +
      'Please refresh to get the latest document.',
    { doctype, name, value: previous },
  );
}

/**
 * `NOT_FOUND` with Frappe's message "{doctype} {name} not found".
 * @param doctype - the table
 * @param name - the missing document
 * @returns the error
 */
export function notFound(doctype: string, name: string): StorageError {
  return new StorageError('NOT_FOUND', `${doctype} ${name} not found`, { doctype, name });
}

/**
 * `STORAGE_UNKNOWN_DOCTYPE`.
 * @param doctype - the name that was not prepared
 * @returns the error
 */
export function unknownDoctype(doctype: string): StorageError {
  return new StorageError('STORAGE_UNKNOWN_DOCTYPE', `DocType ${JSON.stringify(doctype)} was not prepared in this storage`, { doctype });
}

/**
 * `STORAGE_BAD_DOCUMENT`.
 * @param doctype - the table
 * @param message - what is wrong
 * @param details - name, field, value, path
 * @returns the error
 */
export function badDocument(doctype: string, message: string, details: Omit<StorageErrorDetails, 'doctype'> = {}): StorageError {
  return new StorageError('STORAGE_BAD_DOCUMENT', `${doctype}: ${message}`, { ...details, doctype });
}

/**
 * Wrap anything that is not already a {@link StorageError} as `STORAGE_FAILURE`, keeping it as `cause`.
 * @param error - what was thrown
 * @param context - what was being done, for the message
 * @returns a StorageError
 */
export function asStorageError(error: unknown, context: string): StorageError {
  if (error instanceof StorageError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new StorageError('STORAGE_FAILURE', `${context}: ${text}`, { cause: error });
}
