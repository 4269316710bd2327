/**
 * User Permissions read from storage (`get_user_permissions`, `frappe/core/doctype/user_permission/user_permission.py`):
 * when the registry holds Frappe's `User Permission` DocType, each run reads the run user's records once (a run's
 * checks all use that one read) and adds them to what the engine's `resolveUserPermissions` gives.
 *
 * - `allow` / `for_value` -> `{ [allow]: [{ doc: for_value }] }`;
 * - `apply_to_all_doctypes` (or an empty `applicable_for`) applies the record to every DocType; otherwise only
 *   to `applicable_for`;
 * - `is_default` is kept (the default of Link fields on new documents, `doc/defaults.ts`);
 * - tree DocTypes (`lft` and `rgt` fields, Frappe's `is_nested_set`): the descendants of `for_value` are allowed
 *   too unless `hide_descendants`. Descendants come from the stored `lft` / `rgt` values; a node without them
 *   (a tree whose nested set is not maintained) allows only its own value.
 *
 * Strict user permissions (System Settings `apply_strict_user_permissions`) come from the engine option
 * `strictUserPermissions`, else from a stored `System Settings` document when the registry holds that DocType.
 *
 * @module
 */
import type { User } from '../env';
import { isAdministrator, isGuest } from '../permissions/roles';
import type { UserPermission, UserPermissions } from '../permissions/types';
import type { DocData } from '../doc/types';
import type { EngineCore } from './core';
import type { EngineOptions } from './types';
import { treeFields, treeNames } from './tree';

/** Frappe's User Permission DocType. */
export const USER_PERMISSION = 'User Permission';
const SYSTEM_SETTINGS = 'System Settings';

/** What one run applies. */
export interface RunRestrictions {
  readonly userPermissions: UserPermissions | undefined;
  readonly strictUserPermissions: boolean;
}

const truthy = (v: unknown) => v === true || Number(v ?? 0) === 1;

/** `get_user_permissions` adds a node's descendants when the DocType is a tree (`is_tree`, kept as a nested set). */
function isTree(core: EngineCore, doctype: string): boolean {
  const dt = core.registry.tryGet(doctype);
  return !!dt && treeFields(dt) !== undefined;
}

/**
 * The stored User Permission documents of a user, in Frappe's `get_user_permissions` shape.
 * @param core - the engine core
 * @param user - the user's name
 * @returns the restrictions, or `undefined` when the registry has no `User Permission` DocType
 */
export async function storedUserPermissions(core: EngineCore, user: string): Promise<UserPermissions | undefined> {
  if (!core.registry.has(USER_PERMISSION)) return undefined;
  const rows: readonly DocData[] = await core.adapter.query(USER_PERMISSION, { where: { user }, orderBy: [{ creation: 'asc' }] });
  const out: Record<string, UserPermission[]> = Object.create(null);
  const add = (allow: string, perm: UserPermission) => (out[allow] ??= []).push(perm);
  for (const row of rows) {
    const allow = typeof row.allow === 'string' ? row.allow : '';
    const value = typeof row.for_value === 'string' ? row.for_value : '';
    if (!allow || !value) continue;
    const applicableFor = !truthy(row.apply_to_all_doctypes) && typeof row.applicable_for === 'string' && row.applicable_for ? row.applicable_for : null;
    add(allow, { doc: value, applicable_for: applicableFor, is_default: truthy(row.is_default) ? 1 : 0 });
    if (isTree(core, allow) && !truthy(row.hide_descendants)) {
      for (const name of await treeNames(core.adapter, allow, value, 'descendants')) add(allow, { doc: name, applicable_for: applicableFor, is_default: 0 });
    }
  }
  return out;
}

async function strictFromStorage(core: EngineCore): Promise<boolean> {
  if (!core.registry.has(SYSTEM_SETTINGS)) return false;
  try {
    const settings = await core.adapter.get(SYSTEM_SETTINGS, SYSTEM_SETTINGS);
    return truthy(settings?.apply_strict_user_permissions);
  } catch {
    return false; // storage without a System Settings record: Frappe's default
  }
}

/**
 * The User Permissions and strictness of one run: the resolver's records plus the stored ones.
 * @param core - the engine core (the run's storage session)
 * @param user - the run's user
 * @param options - the engine options (`strictUserPermissions`)
 * @param resolved - the engine resolver's records (`resolveUserPermissions`)
 * @returns what the run applies; nothing for Administrator and Guest's empty records
 */
export async function runRestrictions(
  core: EngineCore, user: User, options: Pick<EngineOptions, 'strictUserPermissions'>, resolved: () => Promise<UserPermissions | undefined>,
): Promise<RunRestrictions> {
  if (isAdministrator(user)) return { userPermissions: undefined, strictUserPermissions: false };
  const fromResolver = await resolved();
  const stored = isGuest(user) ? undefined : await storedUserPermissions(core, user.name);
  let userPermissions = fromResolver;
  if (stored && Object.keys(stored).length) {
    const merged: Record<string, UserPermission[]> = Object.create(null);
    for (const source of [fromResolver ?? {}, stored]) for (const [k, list] of Object.entries(source)) (merged[k] ??= []).push(...list);
    userPermissions = merged;
  }
  const strict = userPermissions && Object.keys(userPermissions).length ? options.strictUserPermissions ?? (await strictFromStorage(core)) : false;
  return { userPermissions, strictUserPermissions: strict };
}
