/**
 * Role permissions: what a user's DocPerm rows grant (`frappe/permissions.py`, `frappe/model/meta.py`).
 *
 * Deny by default: a right is granted only by a row whose role the user has; no row, no right. Rows are
 * read the way Frappe reads JSON, so a missing right is 0 (`frappe/core/doctype/docperm/docperm.json`).
 *
 * @module
 */
import { cint } from '../schema/cast';
import type { DocPerm, DocType, Flag, PermissionType } from '../schema/types';
import { isAdministrator, roleMatcher } from './roles';
import type { PermissionUser, RoleOptions, RolePermissionOptions, RolePermissions, Rights } from './types';

/** Every right a DocPerm row can grant, in Frappe's client order (`frappe.perm.rights`). */
export const RIGHTS: readonly PermissionType[] = Object.freeze([
  'select', 'read', 'write', 'create', 'delete', 'submit', 'cancel', 'amend',
  'report', 'import', 'export', 'print', 'email', 'share', 'set_user_permissions',
] as const);

/** Rights that survive as 1 when granted only through `if_owner`, so a list view can still open. */
const OWNER_LIST_RIGHTS: ReadonlySet<PermissionType> = new Set<PermissionType>(['select', 'read']);

/** True when a DocPerm value grants: Frappe reads them with `p.get(ptype, 0)` truthiness / `cint`. */
export function grants(value: unknown): boolean {
  return value === true || cint(value) !== 0;
}

/**
 * The DocPerm rows in force for a DocType: the Custom DocPerm rows when there are any, else its own.
 * @internal
 */
export function permissionRows(doctype: DocType, opts: RoleOptions = {}): readonly DocPerm[] {
  const custom = opts.customDocPerms;
  return custom && custom.length > 0 ? custom : doctype.permissions;
}

/**
 * Level-0 role permissions of `user` on `doctype` (`get_role_permissions`, `frappe/permissions.py`), with `submit` forced to 0
 * on a non-submittable DocType and `import` on one without `allow_import` (as every Frappe caller of
 * `get_role_permissions` that decides access does: `has_permission` and `get_doc_permissions`).
 *
 * - Only rows at permlevel 0 whose role the user has count; each right is the union over them.
 * - `if_owner`: a right granted *only* by `if_owner` rows (`create` excepted) goes into `if_owner`, 1 for an
 *   owner, 0 otherwise; its base value becomes 1 for `select` / `read` (lists still open, filtered to own
 *   documents) and 0 for the rest.
 * - Administrator gets every right (Frappe's `allow_everything`), before the forcing above.
 *
 * @example
 * rolePermissions(salesOrder, { name: 'u', roles: ['Sales User'] }).submit; // 0
 * @param doctype - the DocType (for a child DocType, pass its parent: children have no rights of their own)
 * @param user - the user
 * @param opts - `isOwner` (@default false) and `customDocPerms` (@default undefined)
 * @returns a frozen {@link RolePermissions}
 */
export function rolePermissions(doctype: DocType, user: PermissionUser, opts: RolePermissionOptions = {}): RolePermissions {
  const rights = {} as Record<PermissionType, Flag>;
  const ifOwner: Partial<Record<PermissionType, Flag>> = {};
  let hasIfOwner = false;
  if (isAdministrator(user)) {
    for (const right of RIGHTS) rights[right] = 1;
  } else {
    const hasRole = roleMatcher(user);
    const rows = permissionRows(doctype, opts).filter((p) => hasRole(p.role) && cint(p.permlevel) === 0);
    hasIfOwner = rows.some((p) => grants(p.if_owner));
    for (const right of RIGHTS) {
      const granted = rows.some((p) => grants(p[right]));
      rights[right] = granted ? 1 : 0;
      const onlyIfOwner = granted && hasIfOwner && right !== 'create' && !rows.some((p) => grants(p[right]) && !grants(p.if_owner));
      if (onlyIfOwner) {
        ifOwner[right] = opts.isOwner ? 1 : 0;
        rights[right] = OWNER_LIST_RIGHTS.has(right) ? 1 : 0;
      }
    }
  }
  // Submitting a non-submittable DocType or importing a non-importable one is never allowed (`frappe/permissions.py`).
  if (doctype.is_submittable !== 1) {
    rights.submit = 0;
    if ('submit' in ifOwner) ifOwner.submit = 0;
  }
  if (doctype.allow_import !== 1) {
    rights.import = 0;
    if ('import' in ifOwner) ifOwner.import = 0;
  }
  return Object.freeze({ ...rights, has_if_owner_enabled: hasIfOwner, if_owner: Object.freeze(ifOwner) });
}

/** Options of {@link permlevelAccess}. */
export interface PermlevelOptions extends RoleOptions {
  /**
   * For a child DocType: the parent whose rows decide (a child row uses its parent's permissions, `frappe/permissions.py`, `frappe/model/meta.py`).
   * Without it a child DocType's own (usually empty) rows are read, as Frappe's Meta does. @default undefined
   */
  readonly parentDoctype?: DocType | undefined;
}

/**
 * The permission levels at which the user's roles grant `ptype` (`get_permlevel_access`, `frappe/permissions.py`, `frappe/model/meta.py`): the
 * `permlevel` of every row, at any level and with or without `if_owner`, whose role the user has and which
 * grants `ptype`. Levels are not cumulative: level 2 does not imply level 1.
 *
 * @example
 * permlevelAccess(salesOrder, manager, 'write'); // Set { 0, 1 }
 * @param doctype - the DocType (or child DocType, with `opts.parentDoctype`)
 * @param user - the user; Administrator has every role, so every level some row grants
 * @param ptype - the right asked about @default 'read'
 * @param opts - see {@link PermlevelOptions}
 * @returns a new set of levels
 */
export function permlevelAccess(
  doctype: DocType,
  user: PermissionUser,
  ptype: PermissionType = 'read',
  opts: PermlevelOptions = {},
): Set<number> {
  const source = doctype.istable === 1 && opts.parentDoctype ? opts.parentDoctype : doctype;
  const hasRole = roleMatcher(user);
  const levels = new Set<number>();
  for (const p of permissionRows(source, opts)) {
    if (hasRole(p.role) && grants(p[ptype])) levels.add(cint(p.permlevel));
  }
  return levels;
}

/** Level-0 rights plus the set of those that some non-`if_owner` row grants (the client's level 0). */
export interface LevelRights extends Partial<Rights> {
  readonly permlevel: number;
  /** Level 0 only: rights granted by at least one row without `if_owner`. */
  readonly rights_without_if_owner?: ReadonlySet<PermissionType>;
}

/**
 * The client's per-level permission array (`frappe.perm.get_role_permissions(meta)`, `frappe/permissions.py`, `frappe/model/meta.py` "Client"): index =
 * permlevel, each entry the union of the user's rows at that level, gaps filled with `{ permlevel }`.
 * This is what {@link fieldDisplayStatus} reads. It does not apply document-specific rules (ownership,
 * sharing); see {@link documentLevelRights} for that.
 *
 * @param doctype - the DocType (for a child DocType, pass the parent)
 * @param user - the user; Administrator matches every row and always has read at level 0
 * @param opts - `customDocPerms` @default undefined
 * @returns a frozen array of frozen entries
 */
export function levelRights(doctype: DocType, user: PermissionUser, opts: RoleOptions = {}): readonly LevelRights[] {
  const hasRole = roleMatcher(user);
  const levels: Array<Record<string, unknown>> = [{ permlevel: 0, read: isAdministrator(user) ? 1 : 0 }];
  const withoutIfOwner = new Set<PermissionType>();
  for (const p of permissionRows(doctype, opts)) {
    const level = Math.max(0, cint(p.permlevel));
    const entry = (levels[level] ??= { permlevel: level });
    if (!hasRole(p.role)) continue;
    for (const right of RIGHTS) {
      if (!grants(p[right])) continue;
      entry[right] = 1;
      if (level === 0 && !grants(p.if_owner)) withoutIfOwner.add(right);
    }
  }
  const out: LevelRights[] = [];
  for (let i = 0; i < levels.length; i++) {
    const entry = levels[i] ?? { permlevel: i };
    if (i === 0) entry.rights_without_if_owner = withoutIfOwner;
    out.push(Object.freeze(entry) as unknown as LevelRights);
  }
  return Object.freeze(out);
}
