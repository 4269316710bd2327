/**
 * Which roles a user has (`frappe.permissions.get_roles`, `frappe/permissions.py`).
 *
 * @module
 */
import type { PermissionUser } from './types';

/** Every session, logged in or not, has this role; a DocPerm row for it applies to everyone. */
export const GUEST_ROLE = 'Guest';
/** Every logged-in user has this role. */
export const ALL_USER_ROLE = 'All';
/** System Users have this role [develop]. */
export const SYSTEM_USER_ROLE = 'Desk User';
/** The role of the `Administrator` user. */
export const ADMIN_ROLE = 'Administrator';

/** The name of the built-in superuser. */
const ADMINISTRATOR = 'Administrator';

/**
 * Roles Frappe assigns by user type and strips from a user's Has Role rows (`AUTOMATIC_ROLES`). `Desk User` is
 * kept when given: coworker has no `user_type`, so listing it is how a caller says "this is a System User".
 */
const STRIPPED_ROLES: ReadonlySet<string> = new Set([GUEST_ROLE, ALL_USER_ROLE, ADMIN_ROLE]);

/**
 * True for the `Administrator` user, who bypasses every permission check (`frappe/permissions.py`). Only the user *name*
 * counts: an `Administrator` entry in another user's roles is ignored, as in Frappe.
 * @param user - the user
 * @returns whether the user is Administrator
 */
export function isAdministrator(user: PermissionUser): boolean {
  return user.name === ADMINISTRATOR;
}

/** True for the anonymous session (`Guest`, or no user name). */
export function isGuest(user: PermissionUser): boolean {
  return user.name === GUEST_ROLE || user.name === '';
}

/**
 * The roles Frappe considers a user to have:
 * - `Guest` (or an empty name): `Guest` only;
 * - `Administrator`: the given roles plus `Administrator`, `All` and `Guest`. Frappe gives Administrator
 *   *every* Role record, which a pure function cannot list; use {@link isAdministrator} (every role check in
 *   this module does) rather than looking for a role in this set;
 * - everyone else: the given roles without the automatic ones (`Guest`, `All`, `Administrator`), plus `All`
 *   and `Guest`.
 *
 * @example
 * effectiveRoles({ name: 'jane@example.com', roles: ['Sales User'] }); // Set { 'Sales User', 'All', 'Guest' }
 * @param user - the user
 * @returns a new set of role names
 */
export function effectiveRoles(user: PermissionUser): Set<string> {
  if (isGuest(user)) return new Set([GUEST_ROLE]);
  const roles = new Set(user.roles.filter((r) => !STRIPPED_ROLES.has(r)));
  if (isAdministrator(user)) roles.add(ADMIN_ROLE);
  roles.add(ALL_USER_ROLE);
  roles.add(GUEST_ROLE);
  return roles;
}

/**
 * A predicate telling whether a DocPerm row's role applies to the user (Administrator: every role).
 * @internal
 */
export function roleMatcher(user: PermissionUser): (role: string) => boolean {
  if (isAdministrator(user)) return () => true;
  const roles = effectiveRoles(user);
  return (role) => roles.has(role);
}
