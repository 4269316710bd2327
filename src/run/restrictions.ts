/**
 * User Permissions applied in runs (`frappe/permissions.py`): with the engine option `resolveUserPermissions`,
 * a restricted user ("Customer = South Co") can read, create, change and delete only documents that pass
 * `hasUserPermission` (the document itself, and its Link fields without `ignore_user_permissions`, in the parent
 * and in rows), and a `select` is narrowed the way Frappe's `get_list` narrows it (the DocType's own names, and
 * the parent's restricted Link fields: allowed value or empty). Administrator is never restricted.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { makeIssue } from '../issues';
import { allowedDocs, hasUserPermission } from '../permissions/user-permissions';
import { isAdministrator } from '../permissions/roles';
import type { UserPermissions } from '../permissions/types';
import type { DocType } from '../schema/types';
import type { Where } from '../storage/types';
import { RunFailure } from './codes';
import type { User } from '../env';

/** The User Permissions of a user by name, decided by the engine (e.g. from stored `User Permission` documents). */
export type ResolveUserPermissions = (name: string) => UserPermissions | Promise<UserPermissions>;

const restricted = (user: User, perms: UserPermissions | undefined): perms is UserPermissions =>
  perms !== undefined && !isAdministrator(user) && Object.keys(perms).length > 0;

/**
 * Refuse a document the user's User Permissions do not allow.
 * @param doctype - the document's DocType
 * @param children - its child DocTypes by Table fieldname
 * @param user - the run's user
 * @param perms - the user's User Permissions (`undefined`: none)
 * @param doc - the stored document, or the one about to be written
 * @param strict - System Settings `apply_strict_user_permissions`: an empty restricted Link is refused too @default false
 * @throws {RunFailure} `PERMISSION_DENIED` with Frappe's message and an issue naming the field and row
 */
export function enforceUserPermissions(doctype: DocType, children: Readonly<Record<string, DocType>>, user: User, perms: UserPermissions | undefined, doc: DocData, strict = false): void {
  if (!restricted(user, perms)) return;
  const r = hasUserPermission(doctype, doc, perms, children, { strict });
  if (r.allowed) return;
  const message = r.message ?? `Not allowed for ${doctype.name}`;
  throw new RunFailure('PERMISSION_DENIED', message, [makeIssue('USER_PERMISSION', message, { doctype: doctype.name, field: r.field ?? 'name', table: r.table, row: r.row })]);
}

/**
 * A `where` narrowed to what the user's User Permissions allow (`DatabaseQuery.add_user_permissions`): the
 * DocType's own names, and each restricted Link field of the DocType (allowed value, or empty).
 * @param doctype - the DocType queried
 * @param user - the run's user
 * @param perms - the user's User Permissions
 * @param where - the caller's filter
 * @param strict - `apply_strict_user_permissions`: empty Link values are not listed either @default false
 * @returns the narrowed filter (the same object when nothing applies)
 */
export function restrictWhere(doctype: DocType, user: User, perms: UserPermissions | undefined, where: Where | undefined, strict = false): Where | undefined {
  if (!restricted(user, perms)) return where;
  const clauses: Where[] = [];
  if (Object.hasOwn(perms, doctype.name)) {
    const allowed = allowedDocs(perms[doctype.name], doctype.name);
    if (allowed.length) clauses.push({ name: { in: allowed } });
  }
  for (const df of doctype.fields) {
    if (df.fieldtype !== 'Link' || df.ignore_user_permissions === 1 || !Object.hasOwn(perms, df.options)) continue;
    const allowed = allowedDocs(perms[df.options], doctype.name);
    if (allowed.length) clauses.push({ [df.fieldname]: { in: strict ? allowed : [...allowed, null, ''] } });
  }
  if (!clauses.length) return where;
  return { AND: where ? [where, ...clauses] : clauses };
}
