/**
 * How a form shows a field to this user: editable, read-only or not at all
 * (`frappe.perm.get_field_display_status`, `frappe/public/js/frappe/model/perm.js`), and the per-level rights it reads
 * (`frappe.perm.get_perm`).
 *
 * @module
 */
import { cint } from '../schema/cast';
import type { DocField, DocType, PermissionType } from '../schema/types';
import { levelRights, RIGHTS } from './role-permissions';
import type { LevelRights } from './role-permissions';
import type { DocData, DocRights, PermissionUser, RoleOptions, SharedRights } from './types';

/** What a form does with a field. */
export type DisplayStatus = 'Write' | 'Read' | 'None';

/** Dynamic state of a field in the current form, from its conditions (`frappe/public/js/frappe/form/layout.js`). */
export interface FieldDisplayState {
  /** `depends_on` is false (`hidden_due_to_dependency`). @default false */
  readonly hiddenDueToDependency?: boolean | undefined;
  /** The evaluated `read_only_depends_on`; replaces the static `read_only` when given. @default df.read_only */
  readonly readOnly?: boolean | undefined;
  /** Replaces the static `hidden` when given (a form's `set_df_property`). @default df.hidden */
  readonly hidden?: boolean | undefined;
}

/**
 * The display status of `df` (`frappe/public/js/frappe/model/perm.js`), in Frappe's order:
 * 1. with no permission info (`perms` undefined): hidden → `None`, read-only → `Read`, else `Write`;
 * 2. from the rights at `df.permlevel`: `Write` if write (and the field is not `disabled`), `Read` if read,
 *    else `None`;
 * 3–4. hidden, or hidden by `depends_on` → `None`;
 * 5. with no document, stop here;
 * 6. `docstatus > 0` turns `Write` into `Read`;
 * 7. `allow_on_submit` on a submitted document turns `Read` back into `Write` when the level is writable;
 * 8. (workflow: Frappe's step keeps `Read` as `Read`; it changes nothing);
 * 9. `read_only`, or fieldtype `Read Only`, turns `Write` into `Read`;
 * 10. `set_only_once` on a saved document (no `__islocal`) turns `Write` into `Read`.
 *
 * @example
 * fieldDisplayStatus(marginField, order, levelRights(salesOrder, salesUser)); // 'None'
 * @param df - the field
 * @param doc - the document, or undefined (no document-dependent steps)
 * @param perms - rights per permlevel ({@link levelRights} or {@link documentLevelRights}), or undefined
 * @param state - the field's dynamic state @default {}
 * @returns `'Write'`, `'Read'` or `'None'`
 */
export function fieldDisplayStatus(
  df: DocField,
  doc: DocData | undefined,
  perms: readonly Partial<LevelRights>[] | undefined,
  state: FieldDisplayState = {},
): DisplayStatus {
  const hidden = state.hidden ?? df.hidden === 1;
  const readOnly = state.readOnly ?? df.read_only === 1;
  const hiddenByDependency = state.hiddenDueToDependency === true;
  if (!perms) return hidden || hiddenByDependency ? 'None' : readOnly ? 'Read' : 'Write';

  const p = perms[df.permlevel];
  let status: DisplayStatus = 'None';
  if (p) {
    if (p.write && !cint(df.disabled)) status = 'Write';
    else if (p.read) status = 'Read';
  }
  if (hidden || hiddenByDependency) status = 'None';
  if (!doc) return status;

  const docstatus = cint(doc.docstatus);
  if (status === 'Write' && docstatus > 0) status = 'Read';
  if (status === 'Read' && df.allow_on_submit === 1 && docstatus === 1 && p?.write) status = 'Write';
  if (status === 'Write' && (readOnly || df.fieldtype === 'Read Only')) status = 'Read';
  if (status === 'Write' && df.set_only_once === 1 && !doc.__islocal) status = 'Read';
  return status;
}

/** Options of {@link documentLevelRights}. */
export interface DocumentLevelOptions extends RoleOptions {
  /**
   * The server's rights on this document (Desk's `docinfo.permissions`, i.e. {@link docPermissions}); they
   * overwrite level 0. @default undefined
   */
  readonly docRights?: DocRights | undefined;
  /** This document's shares with the user (read, write, submit, share). @default {} */
  readonly shared?: SharedRights | undefined;
  /**
   * Whether a read share also grants email / print (Desk's boot lists `can_email` / `can_print` contain the
   * DocType). @default { email: false, print: false }
   */
  readonly sharedReadGrants?: { readonly email?: boolean; readonly print?: boolean } | undefined;
  /** The user can read the DocType through some share (`frappe.model.can_read`): level-0 read. @default false */
  readonly canReadViaShare?: boolean | undefined;
}

/**
 * The client's per-level rights for one saved document (`frappe.perm.get_perm(doctype, doc)`, `frappe/permissions.py`, `frappe/model/meta.py` "Client"):
 * {@link levelRights}, then for a saved document (no `__islocal`):
 * - `opts.docRights` overwrite level 0;
 * - for a non-owner (`doc.owner !== user.name`, exactly as the client compares), level-0 rights that exist only through `if_owner` rows are removed;
 * - shared read / write / submit / share are added; a read share grants email / print per
 *   `opts.sharedReadGrants`;
 * and finally, if level 0 still has no read but `opts.canReadViaShare`, read = 1.
 *
 * @param doctype - the DocType
 * @param user - the user
 * @param doc - the document; a new one (`__islocal`) gets the DocType's rights unchanged
 * @param opts - see {@link DocumentLevelOptions}
 * @returns a frozen array of frozen entries, index = permlevel
 */
export function documentLevelRights(
  doctype: DocType,
  user: PermissionUser,
  doc: DocData,
  opts: DocumentLevelOptions = {},
): readonly LevelRights[] {
  const levels = levelRights(doctype, user, opts);
  const base = levels[0]!;
  const level0: Record<string, unknown> = { ...base };
  if (!doc.__islocal) {
    for (const [right, value] of Object.entries(opts.docRights ?? {})) level0[right] = value;
    // The client compares owner and user exactly (case-sensitive), unlike the server.
    if (doc.owner !== user.name) {
      const keep = base.rights_without_if_owner ?? new Set<PermissionType>();
      for (const right of RIGHTS) if (level0[right] && !keep.has(right)) level0[right] = 0;
    }
    const shared = opts.shared ?? {};
    for (const right of ['read', 'write', 'submit', 'share'] as const) {
      if (!level0[right] && shared[right]) level0[right] = 1;
    }
    if (shared.read) {
      level0.email = opts.sharedReadGrants?.email ? 1 : 0;
      level0.print = opts.sharedReadGrants?.print ? 1 : 0;
    }
  }
  if (!level0.read && opts.canReadViaShare) level0.read = 1;
  return Object.freeze([Object.freeze(level0) as unknown as LevelRights, ...levels.slice(1)]);
}
