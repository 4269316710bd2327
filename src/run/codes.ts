/**
 * Error codes of failed runs, each mapped to the exception Frappe raises for the same failure, and
 * {@link RunFailure}, the one error the run layer throws internally to stop a run with a code (it never leaves
 * `run()`: it becomes the record's `error`).
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { Issue } from '../issues';

/** Stable codes of `run.error.code`, with Frappe's exception name (`frappe/exceptions.py`). */
export const RUN_ERROR_CODES = {
  /** The operation is neither built in, an alias, nor registered. */
  UNKNOWN_OPERATION: 'ValidationError',
  /** The DocType is not in the registry (or missing where the operation needs one). */
  UNKNOWN_DOCTYPE: 'DoesNotExistError',
  /** The run request is malformed (wrong types, missing `input.data.name`, unknown fields...). */
  INVALID_RUN: 'ValidationError',
  /** A DocPerm right is missing, or a field above the user's permlevel was written. */
  PERMISSION_DENIED: 'PermissionError',
  /** The document named by the run does not exist. */
  NOT_FOUND: 'DoesNotExistError',
  /** A docstatus change Frappe refuses (0->2, 1->0, amend of a non-cancelled document...). */
  DOCSTATUS_TRANSITION: 'DocstatusTransitionError',
  /** Any change to a cancelled document. */
  CANCELLED_DOCUMENT: 'ValidationError',
  /** Deleting a submitted document (`delete_doc` raises a plain ValidationError: cancel it first). */
  SUBMITTED_DOCUMENT: 'ValidationError',
  /** A field without `allow_on_submit` changed on a submitted document. */
  UPDATE_AFTER_SUBMIT: 'UpdateAfterSubmitError',
  /** A `set_only_once` field, `owner` or `creation` changed. */
  CANNOT_CHANGE_CONSTANT: 'CannotChangeConstantError',
  /** A read-only field was changed through input. */
  READ_ONLY_FIELD: 'ValidationError',
  /** Update or delete on an append-only DocType. */
  APPEND_ONLY: 'PermissionError',
  /** The document has data issues (every issue attached). */
  VALIDATION: 'ValidationError',
  /** The stored document changed since it was loaded (optimistic locking). */
  TIMESTAMP_MISMATCH: 'TimestampMismatchError',
  /** A document with this name exists. */
  DUPLICATE_ENTRY: 'DuplicateEntryError',
  /** A unique field's value is used by another document. */
  UNIQUE: 'UniqueValidationError',
  /** Delete (any link) or cancel (submitted links) of a document other documents link to. */
  LINK_EXISTS: 'LinkExistsError',
  /** The caller's `AbortSignal` was aborted before the run's work started (or while a service adapter worked). */
  ABORTED: 'ValidationError',
  /** A service adapter did not answer within its timeout. */
  ADAPTER_TIMEOUT: 'ValidationError',
  /** A service adapter's rate limit is exhausted. */
  RATE_LIMITED: 'ValidationError',
  /** Other runs (here or in other engine processes) kept changing the edit this run continues; try again. */
  EDIT_CONFLICT: 'TimestampMismatchError',
  /** The user's roles may not call this service adapter. */
  ADAPTER_FORBIDDEN: 'PermissionError',
  /** No service adapter or built-in serves the operation (or a named adapter does not exist). */
  NO_ADAPTER: 'ValidationError',
  /** A Frappe document flag (`options.flags`) the engine does not allow (`allowFlags`). */
  FLAG_NOT_ALLOWED: 'PermissionError',
  /**
   * A Frappe list argument coworker refuses for now (`descendants of`, raw SQL conditions, field expressions,
   * `like` patterns storage cannot express exactly). Frappe itself would run it.
   */
  LIST_UNSUPPORTED: 'ValidationError',
  /**
   * The engine's DocTypes or custom rules cannot run (a missing child DocType, a value cycle...): checked by
   * `createEngine`, seen by a run only when the registry changed after the engine was created.
   */
  ENGINE_CONFIG: 'ValidationError',
  /**
   * A controller hook threw something other than `ctx.throw` / a run failure (a bug or an unexpected value in
   * the app's controller); the message names the DocType and the hook, `exc` is the thrown error's name.
   */
  CONTROLLER_ERROR: 'Exception',
  /** A flow template (stored or inline) has mistakes; each issue names the step and the field. */
  FLOW_INVALID: 'ValidationError',
  /** A flow step's reference names a path its source does not have (the issue names the step and the path). */
  FLOW_REFERENCE: 'ValidationError',
  /** The database connection was lost during the run (nothing was written); a retry gets a fresh connection. */
  STORAGE_CONNECTION_LOST: 'OperationalError',
  /** The engine's `resolveUser` does not know the user (or they are disabled), or it failed. */
  USER_RESOLUTION: 'AuthenticationError',
  /** `rename`: the DocType's `allow_rename` is off (`validate_rename`). */
  RENAME_NOT_ALLOWED: 'ValidationError',
  /**
   * `rename`: the new name is the old one, is taken (without merge) or is missing (a merge target), or a tree
   * merge joins a group and a leaf (`exc` NestedSetInvalidMergeError).
   */
  RENAME_CONFLICT: 'ValidationError',
  /** A name Frappe's `validate_name` refuses (`<` / `>`, the DocType's own name, `New <DocType>`...). */
  INVALID_NAME: 'NameError',
  /** Tree DocTypes: delete of a node that has children (`NestedSet.validate_if_child_exists`). */
  TREE_CHILD_EXISTS: 'NestedSetChildExistsError',
  /** Tree DocTypes: a node placed under itself or one of its descendants (`validate_loop`). */
  TREE_RECURSION: 'NestedSetRecursionError',
  /** Tree DocTypes: a node with children saved as a leaf (`is_group` off; `validate_ledger`). */
  TREE_LEAF_HAS_CHILDREN: 'ValidationError',
  /** Tree DocTypes: the stored lft / rgt are inconsistent ("Nested set error"); `rebuildTree` repairs them. */
  TREE_CORRUPT: 'ValidationError',
  /**
   * A virtual field's expression (or `virtualFields` getter) failed on the document being read; `exc` is Python's
   * exception (`TypeError`...), as Frappe's read of that document raises it.
   */
  VIRTUAL_FIELD: 'Exception',
  /** A virtual DocType without a source (`virtualDoctypes`), or whose source cannot do what the run needs. */
  VIRTUAL_DOCTYPE: 'NotImplementedError',
  /** Anything unexpected; the message carries the cause. */
  INTERNAL: 'Exception',
} as const;

/** A run error code. */
export type RunErrorCode = keyof typeof RUN_ERROR_CODES;

/**
 * Thrown inside the run layer (and by custom operations) to fail the current run with a stable code;
 * `run()` turns it into the record's `error` and never rethrows it.
 */
export class RunFailure extends CoworkerError {
  declare readonly code: RunErrorCode;
  readonly issues: readonly Issue[];
  /** Frappe's exception name: the code's (see {@link RUN_ERROR_CODES}) unless one was given (`frappe.throw(exc=...)`). */
  readonly exc: string;
  /** What the failed run still reports as its `output` (e.g. a flow's per-step results). */
  readonly output: { readonly data?: readonly Readonly<Record<string, unknown>>[]; readonly meta?: Readonly<Record<string, unknown>> } | undefined;

  /**
   * @param code - the run error code
   * @param message - the message shown to the user
   * @param issues - issues (field, row, code, message) behind the failure @default []
   * @param options - `cause`; `exc` to name another Frappe exception than the code's; `output` kept on the failed record @default {}
   */
  constructor(
    code: RunErrorCode, message: string, issues: readonly Issue[] = [],
    options?: { cause?: unknown; exc?: string; output?: RunFailure['output'] },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.issues = issues;
    this.exc = options?.exc ?? RUN_ERROR_CODES[code];
    this.output = options?.output;
  }

  override get name(): string {
    return 'RunFailure';
  }
}

/** A guardian verdict: pass, or one reason with a code. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly code: RunErrorCode; readonly message: string; readonly issues?: readonly Issue[] };

/** The passing verdict (shared). */
export const OK: Verdict = Object.freeze({ ok: true });

/**
 * A failing verdict.
 * @param code - the run error code
 * @param message - the message
 * @param issues - the issues behind it @default undefined
 * @returns the verdict
 */
export function refuse(code: RunErrorCode, message: string, issues?: readonly Issue[]): Verdict {
  return issues ? { ok: false, code, message, issues } : { ok: false, code, message };
}

/**
 * Throw a failing verdict as a {@link RunFailure}; do nothing for a passing one.
 * @param verdict - the guardian's answer
 */
export function enforce(verdict: Verdict): void {
  if (!verdict.ok) throw new RunFailure(verdict.code, verdict.message, verdict.issues ?? []);
}
