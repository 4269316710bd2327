/**
 * User Permissions: per-user restrictions to named documents (`has_user_permission`, `frappe/permissions.py`).
 *
 * A User Permission "allow Customer = ACME" means: wherever this user meets a Customer, only ACME is allowed.
 * It restricts the Customer documents themselves (step 1) and every document linking to a Customer through a
 * Link field without `ignore_user_permissions`, in the parent and in every child row (step 2).
 *
 * @module
 */
import type { DocField, DocType } from '../schema/types';
import { tableFields } from '../schema/fields';
import type { ChildDoctypes, DocData, UserPermission, UserPermissionResult, UserPermissions } from './types';

/** Options of {@link hasUserPermission}. */
export interface UserPermissionOptions {
  /**
   * System Settings `apply_strict_user_permissions`: an *empty* restricted Link denies too. Never applied to
   * single DocTypes, whose Links are often empty. @default false
   */
  readonly strict?: boolean | undefined;
}

const ALLOWED: UserPermissionResult = Object.freeze({ allowed: true });

/**
 * The allowed document names in `records` that apply when checking a document of `doctype`
 * (`get_allowed_docs_for_doctype`): records without `applicable_for`, or with `applicable_for === doctype`.
 * @param records - the user's records for one restricted DocType
 * @param doctype - the DocType of the document being checked (for child rows: the parent's)
 * @returns the allowed names, possibly empty (empty means: no restriction applies)
 */
export function allowedDocs(records: readonly UserPermission[] | undefined, doctype: string): string[] {
  const out: string[] = [];
  for (const r of records ?? []) if (!r.applicable_for || r.applicable_for === doctype) out.push(r.doc);
  return out;
}

/**
 * Whether User Permissions let the user access `doc` (`frappe/permissions.py`), with Frappe's message when they do not.
 *
 * 1. When the document's own DocType is restricted and some record applies, its `name` must be allowed
 *    (a document without a name, i.e. a new one, passes). Message: "Not allowed for {doctype}: {name}".
 * 2. Every Link field (parent first, then each child row in table order) without `ignore_user_permissions`
 *    whose target DocType is restricted must hold an allowed value. Records are matched against the
 *    *parent's* DocType even for rows (as Frappe does). Empty values pass unless `strict`.
 *    Messages, verbatim: "You are not allowed to access this {DocType} record because it is linked to
 *    {Target} '{value}' in field {label}" and "… in row {idx}, field {label}" for rows, where {DocType} is
 *    the row's own DocType.
 *
 * @example
 * hasUserPermission(salesOrder, doc, { Customer: [{ doc: 'ACME' }] }, { items: salesOrderItem });
 * @param doctype - the document's DocType
 * @param doc - the document, Table fields holding row arrays
 * @param userPermissions - the user's User Permissions; `undefined` / `{}` allows everything
 * @param childDoctypes - child DocTypes by Table fieldname or name; rows of a table not found here are skipped
 * @param opts - see {@link UserPermissionOptions}
 * @returns `{ allowed: true }` or `{ allowed: false, message, field?, table?, row? }`
 */
export function hasUserPermission(
  doctype: DocType,
  doc: DocData,
  userPermissions: UserPermissions | undefined,
  childDoctypes: ChildDoctypes = {},
  opts: UserPermissionOptions = {},
): UserPermissionResult {
  if (!userPermissions || Object.keys(userPermissions).length === 0) return ALLOWED;
  const strict = opts.strict === true && doctype.issingle !== 1;

  // Step 1: the document itself.
  if (Object.hasOwn(userPermissions, doctype.name)) {
    const allowed = allowedDocs(userPermissions[doctype.name], doctype.name);
    const name = doc.name;
    if (allowed.length > 0 && hasValue(name) && !allowed.includes(String(name))) {
      return Object.freeze({ allowed: false, message: `Not allowed for ${doctype.name}: ${String(name)}` });
    }
  }

  // Step 2: Link fields of the document, then of each child row.
  const own = checkLinks(doctype, doc, doctype.name, userPermissions, strict, undefined);
  if (own) return own;
  for (const table of tableFields(doctype)) {
    const child = childDoctypes[table.fieldname] ?? childDoctypes[table.options];
    const rows = doc[table.fieldname];
    if (!child || !Array.isArray(rows)) continue;
    for (let i = 0; i < rows.length; i++) {
      const row: unknown = rows[i];
      if (typeof row !== 'object' || row === null) continue;
      const failed = checkLinks(child, row as DocData, doctype.name, userPermissions, strict, { table: table.fieldname, position: i });
      if (failed) return failed;
    }
  }
  return ALLOWED;
}

function checkLinks(
  meta: DocType,
  d: DocData,
  checkedDoctype: string,
  userPermissions: UserPermissions,
  strict: boolean,
  row: { table: string; position: number } | undefined,
): UserPermissionResult | undefined {
  for (const df of linkFields(meta)) {
    if (df.ignore_user_permissions === 1) continue;
    const value = d[df.fieldname];
    if (!hasValue(value) && !strict) continue;
    if (!Object.hasOwn(userPermissions, df.options)) continue;
    const allowed = allowedDocs(userPermissions[df.options], checkedDoctype);
    // Python compares str(value): None becomes 'None', which is never an allowed name.
    if (allowed.length === 0 || (hasValue(value) && allowed.includes(String(value)))) continue;
    const shown = hasValue(value) ? String(value) : 'empty';
    const label = df.label ? df.label : df.fieldname;
    if (row) {
      const idx = typeof d.idx === 'number' ? d.idx : row.position + 1;
      return Object.freeze({
        allowed: false,
        message: `You are not allowed to access this ${meta.name} record because it is linked to ${df.options} '${shown}' in row ${idx}, field ${label}`,
        field: df.fieldname, table: row.table, row: idx,
      });
    }
    return Object.freeze({
      allowed: false,
      message: `You are not allowed to access this ${meta.name} record because it is linked to ${df.options} '${shown}' in field ${label}`,
      field: df.fieldname,
    });
  }
  return undefined;
}

const linkFieldCache = new WeakMap<DocType, readonly DocField[]>();

/** `Meta.get_link_fields()`: Link fields, except those whose options is the `[Select]` placeholder. */
function linkFields(meta: DocType): readonly DocField[] {
  let list = linkFieldCache.get(meta);
  if (!list) {
    list = meta.fields.filter((f) => f.fieldtype === 'Link' && f.options !== '[Select]');
    linkFieldCache.set(meta, list);
  }
  return list;
}

/** Python truthiness of a field value (`not d.get(fieldname)`). */
function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== 0 && value !== false;
}
