/**
 * Who a run is for. The request names the user (authentication is the host's job); the engine decides what
 * that user may do:
 * - no user anywhere: `Guest`, as Frappe falls back to for a session without login. Administrator only when
 *   the engine or the request names it;
 * - with the engine option `resolveUser`, roles come from the resolver (e.g. stored `User` / `Has Role`
 *   documents) and a request's own `roles` are ignored;
 * - an agent acts with its user's roles, or fewer (`agent_roles`), never a role its user lacks.
 *
 * @module
 */
import type { User } from '../env';
import { effectiveRoles, isAdministrator, isGuest } from '../permissions/roles';
import type { UserPermissions } from '../permissions/types';
import type { StorageAdapter } from '../storage/types';
import type { ResolveUserPermissions } from './restrictions';
import { RunFailure } from './codes';

/** The anonymous user an engine without `user` runs as. */
export const GUEST_USER: User = Object.freeze({ name: 'Guest', roles: Object.freeze(['Guest']) as readonly string[] });

/**
 * The roles of a user by name, decided by the engine (not the request). Returns `null` / `undefined` for a
 * user that does not exist or may not act (disabled): the run fails with `USER_RESOLUTION`.
 */
export type ResolveUser = (name: string) => readonly string[] | null | undefined | Promise<readonly string[] | null | undefined>;

/** What identity needs of a request. */
export interface IdentityRequest {
  readonly user: User | undefined;
  readonly agent: string | null;
  readonly agent_roles: readonly string[] | null;
}

/**
 * The user a run's permissions are decided for.
 * @param req - the request's user, agent and agent roles
 * @param engineUser - the engine's `user` option (or {@link GUEST_USER})
 * @param resolveUser - the engine's `resolveUser` option
 * @returns the user, with the roles that apply to this run
 * @throws {RunFailure} `USER_RESOLUTION` (unknown user or a failing resolver), `PERMISSION_DENIED` (an agent
 *   role the user lacks), `INVALID_RUN` (`agent_roles` without `agent`)
 */
export async function identify(req: IdentityRequest, engineUser: User, resolveUser?: ResolveUser): Promise<User> {
  let user = req.user ?? engineUser;
  if (resolveUser && !isGuest(user)) {
    let roles: readonly string[] | null | undefined;
    try {
      roles = await resolveUser(user.name);
    } catch (e) {
      if (e instanceof RunFailure) throw e;
      throw new RunFailure('USER_RESOLUTION', `resolveUser failed for ${user.name}: ${e instanceof Error ? e.message : String(e)}`, [], { cause: e });
    }
    if (roles === null || roles === undefined) throw new RunFailure('USER_RESOLUTION', `Unknown or disabled user ${user.name}`);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
      throw new RunFailure('USER_RESOLUTION', `resolveUser must return a list of role names for ${user.name}`);
    }
    user = { ...user, roles: Object.freeze([...roles]) };
  } else if (isGuest(user)) {
    user = { ...user, roles: GUEST_USER.roles };
  }
  if (req.agent_roles !== null) {
    if (req.agent === null) throw new RunFailure('INVALID_RUN', 'agent_roles needs agent');
    // Administrator holds every role (Frappe gives it every Role record), so nothing is beyond it.
    const held = effectiveRoles(user);
    const extra = isAdministrator(user) ? [] : req.agent_roles.filter((r) => !held.has(r));
    if (extra.length) {
      throw new RunFailure('PERMISSION_DENIED', `Agent ${req.agent} cannot hold ${extra.join(', ')}: user ${user.name} does not have ${extra.length === 1 ? 'it' : 'them'}`);
    }
    user = { ...user, roles: Object.freeze([...req.agent_roles]) };
  }
  return user;
}

/**
 * A {@link ResolveUser} reading Frappe's own records through a storage adapter: the `User` document (absent
 * or `enabled: 0` -> unknown) and its `Has Role` rows (table `roles`). `Administrator` is known without a
 * stored record, as on every Frappe site; a stored, disabled Administrator is refused.
 * @example
 * createEngine({ doctypes, adapter, resolveUser: userRolesFromStorage(adapter) });
 * @param adapter - storage holding the `User` and `Has Role` DocTypes
 * @returns the resolver
 */
export function userRolesFromStorage(adapter: StorageAdapter): ResolveUser {
  return async (name) => {
    // Frappe names a User by its email (the controller's autoname); without that controller the name is a
    // hash, so the email finds it too.
    const user = (await adapter.get('User', name, { fields: ['name', 'enabled'] }))
      ?? (await adapter.query('User', { where: { email: name }, fields: ['name', 'enabled'], take: 1 }))[0];
    // Every Frappe site has the Administrator user; a store without its record still knows it (its rights come from its name).
    if (!user && isAdministrator({ name, roles: [] })) return [];
    if (!user || Number(user.enabled ?? 1) === 0) return null;
    const rows = await adapter.query('Has Role', { where: { parent: String(user.name), parenttype: 'User', parentfield: 'roles' } });
    return rows.map((r) => String(r.role ?? '')).filter((r) => r !== '');
  };
}

/**
 * The User Permissions a run applies (none for Administrator, or without a resolver).
 * @param user - the run's user
 * @param resolve - the engine's `resolveUserPermissions`
 * @returns the restrictions, or `undefined`
 * @throws {RunFailure} `USER_RESOLUTION` when the resolver fails or returns something else than an object
 */
export async function userPermissionsOf(user: User, resolve: ResolveUserPermissions | undefined): Promise<UserPermissions | undefined> {
  if (!resolve || isAdministrator(user)) return undefined;
  let perms: unknown;
  try {
    perms = await resolve(user.name);
  } catch (e) {
    if (e instanceof RunFailure) throw e;
    throw new RunFailure('USER_RESOLUTION', `resolveUserPermissions failed for ${user.name}: ${e instanceof Error ? e.message : String(e)}`, [], { cause: e });
  }
  if (perms === undefined || perms === null) return undefined;
  if (typeof perms !== 'object' || Array.isArray(perms)) throw new RunFailure('USER_RESOLUTION', `resolveUserPermissions must return { [doctype]: [{ doc }] } for ${user.name}`);
  return perms as UserPermissions;
}
