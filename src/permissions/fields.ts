/**
 * Field-level permissions: what a user may read and write inside a document, by `permlevel`
 * (`frappe/permissions.py`, `frappe/model/meta.py`).
 *
 * Each field has a level (0 when missing); a user reads or writes a level when one of their roles' DocPerm
 * rows *at that level* grants read or write. Child rows use their parent's rows. Administrator is exempt.
 *
 * Output documents are new frozen objects sharing every untouched row and value with the input; when nothing
 * changes, the input object itself is returned (compare with `===`).
 *
 * @module
 */
import { DISPLAY_FIELDTYPES } from '../schema/fieldtypes';
import { tableFields } from '../schema/fields';
import { jsonEqual } from '../schema/json';
import type { DocField, DocType } from '../schema/types';
import { permissionRows, permlevelAccess } from './role-permissions';
import type { PermlevelOptions } from './role-permissions';
import { isAdministrator } from './roles';
import type { ChildDoctypes, DocData, PermissionUser, RoleOptions } from './types';

/**
 * Names of the fields `user` may read (`Meta.get_permitted_fieldnames`, `frappe/permissions.py`, `frappe/model/meta.py`): value and Table fields whose
 * permlevel the user's roles can read. A DocType without any permission rows has every field readable, as
 * in Frappe; Administrator reads everything. (Frappe's list-view rule "select only → search fields" is not
 * applied here.)
 *
 * @param doctype - the DocType (for a child DocType, pass `opts.parentDoctype`: its rows decide)
 * @param user - the user
 * @param opts - `parentDoctype`, `customDocPerms`
 * @returns fieldnames in field order
 */
export function readableFields(doctype: DocType, user: PermissionUser, opts: PermlevelOptions = {}): string[] {
  const fields = doctype.fields.filter((df) => df.fieldclass !== 'display');
  const source = doctype.istable === 1 && opts.parentDoctype ? opts.parentDoctype : doctype;
  if (isAdministrator(user) || permissionRows(source, opts).length === 0) return fields.map((df) => df.fieldname);
  const levels = permlevelAccess(doctype, user, 'read', opts);
  return fields.filter((df) => levels.has(df.permlevel)).map((df) => df.fieldname);
}

/**
 * The document without the values the user may not read (`apply_fieldlevel_read_permissions`, `frappe/permissions.py`, `frappe/model/meta.py`): every
 * field with `permlevel > 0` at a level the user cannot read is *removed* (the key disappears), in the
 * document and in the rows of each table. Child fields are judged by the parent's levels. Level-0 fields are
 * never removed: document-level `read` is {@link hasPermission}'s job.
 *
 * @example
 * stripUnreadable(salesOrder, salesUser, order, { items: salesOrderItem }).internal_margin; // undefined
 * @param doctype - the document's DocType
 * @param user - the user
 * @param doc - the document
 * @param childDoctypes - child DocTypes by Table fieldname or name; tables without one are left as they are
 * @param opts - `customDocPerms` @default {}
 * @returns the filtered document (the same object when nothing was removed)
 */
export function stripUnreadable(
  doctype: DocType,
  user: PermissionUser,
  doc: DocData,
  childDoctypes: ChildDoctypes = {},
  opts: RoleOptions = {},
): DocData {
  if (isAdministrator(user)) return doc;
  const readable = permlevelAccess(doctype, user, 'read', opts);
  const hidden = (df: DocField) => df.permlevel > 0 && !readable.has(df.permlevel);
  let out = withoutKeys(doc, doctype.fields.filter(hidden));
  for (const table of tableFields(doctype)) {
    const child = childOf(childDoctypes, table);
    const rows = out[table.fieldname];
    if (!child || !Array.isArray(rows)) continue;
    const drop = child.fields.filter(hidden);
    if (drop.length === 0) continue;
    const next = mapRows(rows, (row) => withoutKeys(row, drop));
    if (next !== rows) out = replace(out, table.fieldname, next);
  }
  return out;
}

/** Where {@link resetUnwritable} takes reset values from. */
export type ResetReference =
  /** An existing document: unwritable fields go back to the stored values (rows matched by `name`). */
  | { readonly stored: DocData }
  /**
   * A new document: unwritable fields go back to the new-document defaults (`frappe.new_doc`); child rows of
   * a new parent are not reset.
   */
  | { readonly defaults: DocData };

/** Options of {@link resetUnwritable}. */
export interface ResetOptions extends RoleOptions {
  /** Child DocTypes by Table fieldname or name; tables without one are not reset. @default {} */
  readonly childDoctypes?: ChildDoctypes | undefined;
  /**
   * New-row defaults per child DocType, for rows added to an existing document (a row with `__islocal` or
   * without `name`). Without it such rows get `null`, which is what Frappe's `new_doc` gives a field without a
   * default. @default undefined
   */
  readonly rowDefaults?: ((child: DocType, table: string) => DocData) | undefined;
  /** Fieldnames exempt from the reset (`flags.ignore_permlevel_for_fields`). @default [] */
  readonly ignoreFields?: readonly string[] | undefined;
}

/**
 * The incoming document with every `permlevel > 0` field the user cannot write put back
 * (`validate_higher_perm_levels`, `frappe/permissions.py`, `frappe/model/meta.py`), silently, as Frappe does on insert and save:
 * - a new document takes the values of `reference.defaults`;
 * - an existing one takes `reference.stored`'s values, and so does each row of each table, matched by
 *   `name`; a row not in the stored document keeps its values unless it is new (`__islocal` or no `name`),
 *   then it takes {@link ResetOptions.rowDefaults}.
 * Display fields (breaks, HTML, buttons) are skipped; a Table field at an unwritable level is reset whole.
 * Administrator is exempt.
 *
 * @example
 * resetUnwritable(salesOrder, salesUser, incoming, { stored }).internal_margin === stored.internal_margin;
 * @param doctype - the document's DocType
 * @param user - the user
 * @param incoming - the document as submitted
 * @param reference - `{ stored }` for an existing document, `{ defaults }` for a new one
 * @param opts - see {@link ResetOptions}
 * @returns the corrected document (the same object when nothing changed)
 */
export function resetUnwritable(
  doctype: DocType,
  user: PermissionUser,
  incoming: DocData,
  reference: ResetReference,
  opts: ResetOptions = {},
): DocData {
  if (isAdministrator(user)) return incoming;
  const writable = permlevelAccess(doctype, user, 'write', opts);
  const ignored = new Set(opts.ignoreFields ?? []);
  const locked = (df: DocField) =>
    df.permlevel > 0 && !writable.has(df.permlevel) && !DISPLAY_FIELDTYPES.has(df.fieldtype) && !ignored.has(df.fieldname);

  const isNew = 'defaults' in reference;
  const source = isNew ? reference.defaults : reference.stored;
  let out = withValuesFrom(incoming, doctype.fields.filter(locked), source);
  // Frappe resets rows only for an existing parent; rows of a new document are all new anyway.
  if (isNew) return out;

  const children = opts.childDoctypes ?? {};
  for (const table of tableFields(doctype)) {
    const child = childOf(children, table);
    const rows = out[table.fieldname];
    if (!child || !Array.isArray(rows)) continue;
    const fields = child.fields.filter(locked);
    if (fields.length === 0) continue;
    const storedRows = reference.stored[table.fieldname];
    const byName = new Map<unknown, DocData>();
    if (Array.isArray(storedRows)) for (const r of storedRows) if (isRow(r)) byName.set(r.name, r);
    const next = mapRows(rows, (row) => {
      if (row.__islocal || !row.name) {
        return withValuesFrom(row, fields, opts.rowDefaults ? opts.rowDefaults(child, table.fieldname) : {});
      }
      const storedRow = byName.get(row.name);
      return storedRow ? withValuesFrom(row, fields, storedRow) : row;
    });
    if (next !== rows) out = replace(out, table.fieldname, next);
  }
  return out;
}

/** The child DocType of a Table field, looked up by fieldname, then by DocType name. */
function childOf(children: ChildDoctypes, table: DocField): DocType | undefined {
  return children[table.fieldname] ?? children[table.options];
}

function isRow(value: unknown): value is DocData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `doc` without the given fields' keys, or `doc` itself when it has none of them. */
function withoutKeys(doc: DocData, fields: readonly DocField[]): DocData {
  const present = fields.filter((df) => Object.hasOwn(doc, df.fieldname));
  if (present.length === 0) return doc;
  const copy: Record<string, unknown> = { ...doc };
  for (const df of present) delete copy[df.fieldname];
  return Object.freeze(copy);
}

/** `doc` with the given fields set from `source` (missing: null, or [] for tables); `doc` when all equal. */
function withValuesFrom(doc: DocData, fields: readonly DocField[], source: DocData): DocData {
  let copy: Record<string, unknown> | undefined;
  for (const df of fields) {
    const value = Object.hasOwn(source, df.fieldname) && source[df.fieldname] !== undefined
      ? source[df.fieldname]
      : df.fieldclass === 'table' ? [] : null;
    if (Object.hasOwn(doc, df.fieldname) && jsonEqual(doc[df.fieldname], value)) continue;
    copy ??= { ...doc };
    copy[df.fieldname] = value;
  }
  return copy ? Object.freeze(copy) : doc;
}

/** Map rows, returning the original array when every row came back unchanged. */
function mapRows(rows: readonly unknown[], fn: (row: DocData) => DocData): readonly unknown[] {
  let changed = false;
  const next = rows.map((r) => {
    if (!isRow(r)) return r;
    const n = fn(r);
    if (n !== r) changed = true;
    return n;
  });
  return changed ? Object.freeze(next) : rows;
}

function replace(doc: DocData, key: string, value: unknown): DocData {
  return Object.freeze({ ...doc, [key]: value });
}
