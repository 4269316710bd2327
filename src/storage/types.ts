/**
 * The storage contract: what every adapter (memory, PGlite, PostgreSQL, SQLite) implements.
 *
 * Layout follows Frappe (`frappe/database/schema.py`, `frappe/database/postgres/database.py`, `frappe/model/document.py`): each DocType is a table of rows; a child DocType's
 * rows carry `parent`, `parenttype`, `parentfield` and `idx`. A *document* as this API sees it is the parent
 * row with every Table field holding its rows, ordered by `idx`. The exact query semantics (null handling,
 * comparison by field kind, ordering) are specified in docs/storage.md so SQL adapters can match them; the
 * conformance suite in test/storage/conformance.ts checks them.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { NamingCounters } from '../naming/counters';
import type { DocType } from '../schema/types';

export type { DocData } from '../doc/types';
export type { NamingCounters } from '../naming/counters';

/** A value a filter compares against. Booleans are not values in Frappe (Check holds 0 / 1). */
export type Scalar = string | number;

/**
 * Operators on one field. Several operators in one filter must all hold (AND). See docs/storage.md for the
 * exact semantics; in short: every predicate is true or false (never SQL's "unknown"), `null` only matches
 * through `equals: null` / `in: [null]`, and `not` / `notIn` / `NOT` are plain negations, so they match nulls.
 */
export interface FieldFilter {
  /** Equal to the value; `null` means "is null". */
  readonly equals?: Scalar | null;
  /** Equal to one of the values (`null` among them matches null). `[]` matches nothing. */
  readonly in?: readonly (Scalar | null)[];
  /** Equal to none of the values. `[]` matches everything. */
  readonly notIn?: readonly (Scalar | null)[];
  /** Negation: of `equals` for a value, of the nested filter for an object. */
  readonly not?: Scalar | null | FieldFilter;
  readonly lt?: Scalar;
  readonly lte?: Scalar;
  readonly gt?: Scalar;
  readonly gte?: Scalar;
  /** Substring, taken literally (`%` and `_` are ordinary characters). String fields only. */
  readonly contains?: string;
  readonly startsWith?: string;
  readonly endsWith?: string;
  /** `insensitive` lower-cases both sides (JavaScript `toLowerCase`). String fields only. @default 'default' (case-sensitive) */
  readonly mode?: 'default' | 'insensitive';
}

/**
 * A Prisma-like filter. Keys are column names (standard columns, value fields; `parent`, `parenttype`,
 * `parentfield` on child DocTypes) or the combinators `AND`, `OR`, `NOT`. Sibling keys are AND-ed.
 * A bare value means `equals`.
 */
export type Where = {
  readonly AND?: Where | readonly Where[];
  readonly OR?: readonly Where[];
  readonly NOT?: Where | readonly Where[];
} & {
  readonly [field: string]: Scalar | null | FieldFilter | Where | readonly Where[] | undefined;
};

/** Sort direction. */
export type SortOrder = 'asc' | 'desc';

/** `{ field: 'asc' }`, or a list of those for several keys (applied in list order). */
export type OrderBy = Readonly<Record<string, SortOrder>> | readonly Readonly<Record<string, SortOrder>>[];

/** A query on one DocType's table. */
export interface Query {
  /** Rows to keep. @default {} (every row) */
  readonly where?: Where;
  /** Sort keys; `name` ascending is always appended as the final tie-break. @default [] (name ascending) */
  readonly orderBy?: OrderBy;
  /** At most this many rows (after `skip`). @default undefined (all) */
  readonly take?: number;
  /** Skip this many rows first. @default 0 */
  readonly skip?: number;
  /**
   * Keys to return: column names and/or Table fieldnames (a Table fieldname loads that table's rows).
   * @default undefined (every column, plus `doctype`; tables only with `withChildren`)
   */
  readonly fields?: readonly string[];
  /** Load every Table field's rows into each result. @default false */
  readonly withChildren?: boolean;
}

/** Options of {@link StorageSession.get}. */
export interface GetOptions {
  /** Keys to return (column names and/or Table fieldnames). @default undefined (the whole document) */
  readonly fields?: readonly string[];
}

/**
 * What an adapter supports beyond the core contract; the conformance suite skips blocks whose capability
 * is missing. `transactions`: real all-or-nothing `transaction`; `unique`: `unique` fields enforced;
 * `savepoints`: nested transactions roll back on their own; `write_steps`: {@link StorageAdapter.withStepHook}.
 */
export type StorageCapability = 'transactions' | 'unique' | 'savepoints' | 'write_steps' | 'json_where';

/** New column values of one stored row, for {@link StorageSession.setValues}. */
export interface RowValues {
  /** The row's name. */
  readonly name: string;
  /** Column -> value (plain columns only: not `name`, not Table fields). */
  readonly values: Readonly<Record<string, Scalar | null>>;
}

/** Options of {@link StorageSession.transaction}. */
export interface TransactionOptions {
  /**
   * The caller gives the whole transaction up on the first failed write: it never catches a storage error from
   * a write on `tx` and goes on writing. A write inside then needs no recovery point of its own, so SQL adapters
   * run its statements without a savepoint (PostgreSQL: no `SAVEPOINT` / `RELEASE` round trips per write).
   * Nested `tx.transaction(...)` calls still roll back on their own. The engine's write runs set it: any
   * storage error fails the run and rolls its transaction back. @default false
   */
  readonly abortOnError?: boolean;
}

/** The write operations. */
export type WriteOp = 'insert' | 'update' | 'delete';

/**
 * One step of a write, reported to a step hook *after* the step is applied (inside the write's own
 * transaction). Throwing from the hook aborts the write; the adapter must then leave storage unchanged.
 * Order for a document write: `begin`, `parent`, one `row` per child row written or removed, `commit`.
 * A `transaction(...)` reports one `commit` with `op: 'transaction'` before it commits.
 */
export type WriteStep =
  | { readonly kind: 'begin' | 'parent' | 'commit'; readonly op: WriteOp; readonly doctype: string; readonly name: string }
  | {
      readonly kind: 'row';
      readonly op: WriteOp;
      readonly doctype: string;
      readonly name: string;
      /** The child DocType of the row. */
      readonly childDoctype: string;
      /** The row's own `name`. */
      readonly row: string;
      /** `put` writes the row, `delete` removes it. */
      readonly action: 'put' | 'delete';
      /** 0-based count of `row` steps before this one in the same write. */
      readonly index: number;
    }
  | { readonly kind: 'commit'; readonly op: 'transaction' };

/** Receives each {@link WriteStep}; throwing aborts the write. Synchronous on purpose (see docs/storage.md). */
export type StepHook = (step: WriteStep) => void;

/**
 * The operations available both on an adapter and inside a transaction.
 * Every method is async; every returned document is a frozen copy (callers cannot change storage through it).
 */
export interface StorageSession {
  /**
   * Read one document with its child rows.
   * @param doctype - a prepared DocType
   * @param name - the document name
   * @param options - see {@link GetOptions}
   * @returns the frozen document, or `undefined` when there is none
   * @throws {StorageError} `STORAGE_UNKNOWN_DOCTYPE`, `STORAGE_UNKNOWN_FIELD`
   */
  get(doctype: string, name: string, options?: GetOptions): Promise<DocData | undefined>;
  /**
   * Rows of one table matching a query.
   * @param doctype - a prepared DocType (parent or child)
   * @param query - see {@link Query}
   * @returns frozen rows, sorted
   * @throws {StorageError} `STORAGE_UNKNOWN_DOCTYPE`, `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_QUERY`
   */
  query(doctype: string, query?: Query): Promise<readonly DocData[]>;
  /**
   * Count rows matching a filter.
   * @param doctype - a prepared DocType
   * @param where - the filter @default {}
   * @returns the number of matching rows
   */
  count(doctype: string, where?: Where): Promise<number>;
  /**
   * Read several documents of one DocType by name at once (Link checks read every value a document links to
   * this way: one query per target DocType instead of one per value). Names that do not exist are absent
   * from the result; each result is what `get` returns, plus `name` when `fields` leaves it out. Optional for adapters
   * written outside coworker: callers use `getMany` from the storage module, which falls back to `get`.
   * @param doctype - a prepared DocType
   * @param names - the names (duplicates allowed)
   * @param options - see {@link GetOptions}
   * @returns the found documents by name, frozen
   * @throws {StorageError} `STORAGE_UNKNOWN_DOCTYPE`, `STORAGE_UNKNOWN_FIELD`
   */
  getMany?(doctype: string, names: readonly string[], options?: GetOptions): Promise<ReadonlyMap<string, DocData>>;
  /**
   * Set columns on every row of one table (parent or child) that matches `where`, in one atomic step, leaving
   * `modified` and every other column as they are (Frappe's `frappe.db.set_value(..., update_modified=False)`,
   * which `rename_doc` uses to repoint Links). `name`, `parent`, `parenttype`, `parentfield` may not be set.
   * Optional for adapters written outside coworker: callers use `updateWhere` from the storage module, which
   * falls back to rewriting each document through `update`.
   * @param doctype - a prepared DocType (parent or child)
   * @param where - which rows
   * @param values - column -> new value
   * @returns how many rows matched
   * @throws {StorageError} `STORAGE_BAD_QUERY`, `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_DOCUMENT`, `UNIQUE_VIOLATION`
   */
  updateWhere?(doctype: string, where: Where, values: Readonly<Record<string, Scalar | null>>): Promise<number>;
  /**
   * Whether a row named `name` exists.
   * @param doctype - a prepared DocType
   * @param name - the row name
   * @returns true when it exists
   */
  exists(doctype: string, name: string): Promise<boolean>;
  /**
   * Set columns of several stored rows by name at once, as Frappe's `frappe.db.set_value(..., update_modified=False)`
   * and its bulk `UPDATE`s do: no `modified` change, no timestamp check, child rows untouched (tree DocTypes
   * renumber their nodes this way). Names that are not stored are skipped. Optional for adapters written outside
   * coworker: callers use `setValues` from the storage module, which falls back to `get` + `update`.
   * @param doctype - a prepared DocType
   * @param rows - the rows and their new values
   * @returns how many rows were changed
   * @throws {StorageError} `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_DOCUMENT` (a value the column cannot hold), `UNIQUE_VIOLATION`
   */
  setValues?(doctype: string, rows: readonly RowValues[]): Promise<number>;
  /**
   * Insert a document and its child rows atomically. Keys that are not columns (e.g. `__islocal`) are
   * dropped; missing columns are stored as null; each row gets `parent`, `parenttype`, `parentfield`.
   * @param doctype - a prepared, non-child DocType
   * @param doc - the document, Table fields holding arrays of rows (each with a `name`)
   * @returns the document as stored (what `get` returns afterwards)
   * @throws {StorageError} `DUPLICATE_ENTRY`, `UNIQUE_VIOLATION`, `STORAGE_BAD_DOCUMENT`, `STORAGE_UNKNOWN_DOCTYPE`
   */
  insert(doctype: string, doc: DocData): Promise<DocData>;
  /**
   * Replace a stored document and its rows atomically (rows missing from `doc` are deleted), but only if the
   * stored `modified` is still `expectedModified` (Frappe's `check_if_latest`; no lost update).
   * @param doctype - a prepared, non-child DocType
   * @param doc - the new state; `doc.name` names the stored document
   * @param expectedModified - the `modified` the caller loaded
   * @returns the document as stored
   * @throws {StorageError} `NOT_FOUND`, `TIMESTAMP_MISMATCH`, `DUPLICATE_ENTRY` (a row name used elsewhere),
   *   `UNIQUE_VIOLATION`, `STORAGE_BAD_DOCUMENT`
   */
  update(doctype: string, doc: DocData, expectedModified: string | null): Promise<DocData>;
  /**
   * Delete a document and all its child rows.
   * @param doctype - a prepared, non-child DocType
   * @param name - the document name
   * @throws {StorageError} `NOT_FOUND`
   */
  delete(doctype: string, name: string): Promise<void>;
  /**
   * Run `fn` in a transaction: everything it wrote through `tx` is committed when it resolves and discarded
   * when it throws (the error is rethrown). Nested calls on `tx` are savepoints. While `fn` runs, use `tx`,
   * not the outer session: outer writes wait for the transaction to end.
   * @param fn - the work; must not keep using `tx` after it settles
   * @param options - see {@link TransactionOptions} (adapters without per-write savepoints ignore it)
   * @returns what `fn` returned
   */
  transaction<T>(fn: (tx: StorageSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Naming-series counters (Frappe's `tabSeries`), part of the same transactions as documents. */
  readonly counters: NamingCounters;
}

/** A storage backend. */
export interface StorageAdapter extends StorageSession {
  /** Short name for messages and test titles, e.g. `memory`. */
  readonly name: string;
  /** Optional features this adapter supports. */
  readonly capabilities: ReadonlySet<StorageCapability>;
  /**
   * Make the adapter aware of DocTypes (SQL adapters create or migrate tables here). Idempotent; calling it
   * again with a changed DocType re-shapes stored rows to the new columns. Pass child DocTypes too.
   * @param doctypes - normalised DocTypes (from `parseDoctype` or a registry)
   */
  prepare(doctypes: readonly DocType[]): Promise<void>;
  /**
   * A view of the same storage whose writes report each {@link WriteStep} to `hook` (for fault injection).
   * Only adapters with the `write_steps` capability implement it.
   * @param hook - called after each step; throwing aborts that write
   * @returns an adapter sharing this one's data
   */
  withStepHook?(hook: StepHook): StorageAdapter;
  /** Release resources (connections, files). Further calls fail. */
  close?(): Promise<void>;
}
