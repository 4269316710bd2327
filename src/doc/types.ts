/**
 * Types of the document layer.
 *
 * A *document* here is Frappe's doc dict (`frappe.get_doc(...).as_dict()`): plain data, table fields holding
 * arrays of child-row dicts. A {@link Doc} wraps it immutably: the state as loaded (`original`), the current
 * state (`data`), and what changed between the two, both as a readable {@link DocDelta} and as patches.
 *
 * @module
 */
import type { Patch } from './patch';
import type { Clock, IdGenerator, User } from '../env';
import type { DocType } from '../schema/types';

/** A Frappe document or child row as plain data; Table fields hold arrays of row dicts. Always frozen. */
export type { DocData } from '../rules/types';
import type { DocData } from '../rules/types';

/** Resolves a DocType by name (a registry's `get` satisfies it). Throws when the name is unknown. */
export type GetDoctype = (name: string) => DocType;

/** What changed in one Table field, rows identified by `name`. */
export interface TableDelta {
  /** Rows not in the original table, in table order, as they are now. */
  readonly added: readonly DocData[];
  /** Names of original rows that are gone, in original order. */
  readonly removed: readonly string[];
  /**
   * Per original row still present: the fields whose value differs from the original, with the new value.
   * `idx` is never listed here: it follows from the row's position (see `reordered`).
   */
  readonly changed: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** True when the original rows still present are no longer in their original relative order. */
  readonly reordered?: boolean;
}

/** Only what changed versus `original`. An unchanged document has `{ values: {}, tables: {} }`. */
export interface DocDelta {
  /** Changed top-level value fields (and standard / private keys), with their new values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Per Table fieldname with any change. */
  readonly tables: Readonly<Record<string, TableDelta>>;
}

/**
 * An immutable document. Every write returns a new `Doc` (or the same one when nothing changed).
 * All members are frozen; `data` shares structure with earlier states (copy-on-write).
 */
export interface Doc {
  /** DocType name (`data.doctype`). */
  readonly doctype: string;
  /** The normalised DocType this document follows. */
  readonly meta: DocType;
  /** Child DocTypes, keyed by Table fieldname, resolved once when the document was created or loaded. */
  readonly children: Readonly<Record<string, DocType>>;
  /** The state as loaded; for a new document, its initial state with defaults applied. */
  readonly original: DocData;
  /** The current state. */
  readonly data: DocData;
  /** What differs between `original` and `data`. */
  readonly delta: DocDelta;
  /** Patches turning `original` into `data`, in order (immer's patch format). */
  readonly patches: readonly Patch[];
  /** Patches turning `data` back into `original`, in applicable order. */
  readonly inversePatches: readonly Patch[];
  /** True for a document never saved (`__islocal`). */
  readonly isNew: boolean;
}

/** A user permission record as Frappe boots it (`frappe.defaults.get_user_permissions()[doctype][i]`). */
export interface UserPermission {
  /** The allowed document name. */
  readonly doc: string;
  /** When set, the permission only applies to documents of this DocType. */
  readonly applicable_for?: string | null;
  /** Marks the record used as the default value for new documents. */
  readonly is_default?: 0 | 1 | boolean;
}

/**
 * What computing client defaults needs (`frappe/public/js/frappe/model/create_new.js`). Every ambient input is injected.
 */
export interface DefaultsOptions {
  /** The session user: `owner`, `__user` / `user` / `user_fullname` defaults, and user defaults (`user.defaults`). */
  readonly user: User;
  /** "now" for `Today` / `now` defaults. */
  readonly clock: Clock;
  /** Random parts of temporary names. */
  readonly ids: IdGenerator;
  /** Resolves child DocTypes of Table fields. */
  readonly getDoctype: GetDoctype;
  /** The user's time zone, for `Today` and `now` on Time fields. @default 'UTC' */
  readonly timeZone?: string;
  /** The system time zone, for `now` on Datetime (and other non-Time) fields. @default timeZone */
  readonly systemTimeZone?: string;
  /** User permissions keyed by the allowed DocType (`frappe.defaults.get_user_permissions()`). @default {} */
  readonly userPermissions?: Readonly<Record<string, readonly UserPermission[]>>;
  /** `frappe.boot.user.last_selected_values`, keyed by Link target DocType. @default {} */
  readonly lastSelected?: Readonly<Record<string, string>>;
  /**
   * Boot documents for `:DocType` defaults, keyed by DocType then by name
   * (what Desk keeps under `locals[':Company']`). @default {}
   */
  readonly bootDocs?: Readonly<Record<string, Readonly<Record<string, DocData>>>>;
}

/** Options of {@link newDoc}. */
export interface NewDocOptions extends DefaultsOptions {
  /**
   * Initial values, applied before defaults so they block them (any non-null value does). A Table field may
   * be given an array of row values: each becomes a new row with its own defaults. @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Add one empty row to every mandatory Table field (`with_mandatory_children`). @default false */
  readonly withMandatoryChildren?: boolean;
}

/** Options of {@link copyDoc}. */
export interface CopyDocOptions extends DefaultsOptions {
  /** Amend (keep `no_copy` fields, set `amended_from`) rather than duplicate. @default false */
  readonly amend?: boolean;
}

/** Options of {@link applyFetch} / {@link applyRowFetch}. */
export interface FetchOptions {
  /**
   * `v15` (default) skips a `fetch_if_empty` target that already holds a value, on the client as on the
   * server; `develop` follows the newest client `link.js`, which always overwrites. @default 'v15'
   */
  readonly mode?: 'v15' | 'develop';
}

/** Reads a linked record: `name` plus the requested fields, or `null` when it does not exist. */
export type FetchLookup = (doctype: string, name: string, fields: readonly string[]) => Promise<DocData | null>;
