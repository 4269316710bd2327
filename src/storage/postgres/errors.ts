/**
 * Driver errors → {@link StorageError}, by SQLSTATE and constraint name only (never by message text, which
 * changes with the server's language and version).
 *
 * @module
 */
import { StorageError, asStorageError, badDocument, connectionLost, duplicateEntry, uniqueViolation } from '../errors';
import type { Column } from '../columns';

/** What a constraint protects, recorded when the adapter creates it. */
export type ConstraintInfo =
  | { readonly kind: 'primary'; readonly doctype: string }
  | { readonly kind: 'unique'; readonly doctype: string; readonly column: Column };

/** The fields of a PostgreSQL error the adapter reads (pg and PGlite both expose them). */
interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
}

/**
 * The SQLSTATE of a driver error.
 * @param error - anything thrown
 * @returns the five-character code, or undefined when `error` is not a database error
 */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || error instanceof StorageError) return undefined;
  const code = (error as DriverError).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Where a failing statement was writing, so a violation names the right document, row and value. */
export interface WriteContext {
  /** The row being written (its DocType, name and stored values). */
  readonly doctype: string;
  readonly name: string;
  readonly row?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Translate an error thrown by a statement.
 *
 * - `23505` (unique_violation) on a table's primary key → `DUPLICATE_ENTRY`; on a unique field's index →
 *   `UNIQUE_VIOLATION` with Frappe's "{label} must be unique".
 * - class `22` (data exception: a value the column cannot hold) while writing → `STORAGE_BAD_DOCUMENT`.
 * - anything else that is not already a StorageError → `STORAGE_FAILURE` with the driver error as `cause`.
 * Errors that are not database errors (a step hook's, the caller's) pass through unchanged.
 *
 * @param error - what was thrown
 * @param constraints - constraint name → what it protects
 * @param context - what was being done (a string for reads) or the row being written
 * @returns the error to throw
 */
export function translateError(error: unknown, constraints: ReadonlyMap<string, ConstraintInfo>, context: string | WriteContext): unknown {
  const state = sqlState(error);
  if (state === undefined) return error;
  const write = typeof context === 'string' ? undefined : context;
  const what = typeof context === 'string' ? context : `writing ${context.doctype} ${context.name}`;
  if (state === '23505') {
    const constraint = (error as DriverError).constraint;
    const info = typeof constraint === 'string' ? constraints.get(constraint) : undefined;
    if (info?.kind === 'primary') return duplicateEntry(info.doctype, write && write.doctype === info.doctype ? write.name : '');
    if (info?.kind === 'unique') {
      const value = write?.row?.[info.column.fieldname];
      return uniqueViolation(info.doctype, write?.name ?? '', info.column.fieldname, info.column.label, value);
    }
  }
  // Class 08 (connection exception) and 57P01-57P03 (admin / crash shutdown, cannot connect now): the
  // session is gone, whatever the statement was.
  if (state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03') return connectionLost(what, error);
  if (state.startsWith('22') && write) {
    return badDocument(write.doctype, `a value cannot be stored (SQLSTATE ${state})`, { name: write.name, cause: error });
  }
  return asStorageError(error, `${what} (SQLSTATE ${state})`);
}
