/**
 * Sharing (`frappe/share.py`, the sharing fallback of `frappe/permissions.py`): a `DocShare` document gives one
 * user (or `everyone` but Guest) `read` / `write` / `submit` / `share` on one document, whatever their roles.
 * Applied by every run when the registry holds Frappe's `DocShare` DocType:
 *
 * - `takeone`, `update`, `submit` (and the `share` / `unshare` operations) ask `hasPermission` with the
 *   document's shares, so a right the roles lack is granted by a share of it (cancel, delete and amend never are);
 * - a document reached through a share is not narrowed by User Permissions (Frappe's share fallback comes after them);
 * - `select` adds the shared documents to what the user may list (`DatabaseQuery.build_match_conditions`): with
 *   no role read, only them ("No permission to read" when there are none); with an owner or User Permission
 *   restriction, `(restriction) OR name in shared`.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { hasPermission } from '../permissions/has-permission';
import { isAdministrator, isGuest } from '../permissions/roles';
import { readableFields } from '../permissions/fields';
import type { SharedRights } from '../permissions/types';
import type { DocType, PermissionType } from '../schema/types';
import type { Where } from '../storage/types';
import type { User } from '../env';
import { enforce, RunFailure } from './codes';
import { childrenOf, type EngineCore, type RunContext } from './core';
import { checkRights } from './guardian';
import { enforceUserPermissions } from './restrictions';

/** Frappe's DocShare DocType: sharing applies when the registry holds it. */
export const DOCSHARE = 'DocShare';

/** The rights a share can hold (Frappe's DocShare checkboxes). */
export const SHARE_RIGHTS = ['read', 'write', 'submit', 'share'] as const;
type ShareRight = (typeof SHARE_RIGHTS)[number];

/** Runs whose access to the document came from a share (User Permissions do not narrow it then). */
const viaShare = new WeakSet<RunContext>();

const sharingOn = (core: EngineCore, user: User) => core.registry.has(DOCSHARE) && !isAdministrator(user);

/** `user = me OR everyone` (everyone never includes Guest, `get_shared`). */
const forUser = (user: User): Where => (isGuest(user) ? { user: user.name } : { OR: [{ user: user.name }, { everyone: 1 }] });

/**
 * What is shared with the user on one document (`get_shared` with `share_name`), as `hasPermission` takes it.
 * @param core - the engine core (storage, registry)
 * @param doctype - the document's DocType name
 * @param name - the document's name
 * @param user - the run's user
 * @returns the shared rights; `{}` when nothing is shared or sharing is not configured
 */
export async function sharedRights(core: EngineCore, doctype: string, name: string, user: User): Promise<SharedRights> {
  if (!sharingOn(core, user) || !name) return {};
  const rows = await core.adapter.query(DOCSHARE, { where: { AND: [{ share_doctype: doctype, share_name: name }, forUser(user)] } });
  const out: Record<string, boolean> = {};
  for (const row of rows) for (const r of SHARE_RIGHTS) if (rowGrants(row, r)) out[r] = true;
  return out;
}

/**
 * Which stored rows grant a right. A DocShare saved through Frappe always holds the rights its `validate`
 * cascades (`submit` brings `write`; any right brings `read`), and the `share` operation writes them so; a
 * DocShare document created directly (a run on DocShare, no controller here) may lack them, so they are read in.
 */
const GRANTED_BY: Readonly<Record<ShareRight, readonly ShareRight[]>> = {
  read: ['read', 'write', 'submit', 'share'], write: ['write', 'submit'], submit: ['submit'], share: ['share'],
};
const rowGrants = (row: Readonly<Record<string, unknown>>, right: ShareRight): boolean => GRANTED_BY[right].some((r) => Number(row[r] ?? 0) === 1);
const grantsWhere = (right: ShareRight): Where => ({ OR: GRANTED_BY[right].map((r) => ({ [r]: 1 })) });

/**
 * The names of the documents of a DocType shared with the user for a right (`frappe.share.get_shared`).
 * @param core - the engine core
 * @param doctype - the DocType name
 * @param user - the run's user
 * @param right - the right @default 'read'
 * @returns the names (unordered, unique)
 */
export async function sharedNames(core: EngineCore, doctype: string, user: User, right: ShareRight = 'read'): Promise<string[]> {
  if (!sharingOn(core, user)) return [];
  const rows = await core.adapter.query(DOCSHARE, { where: { AND: [{ share_doctype: doctype }, grantsWhere(right), forUser(user)] }, fields: ['share_name'] });
  return [...new Set(rows.map((r) => String(r.share_name)))];
}

/**
 * The rights on one stored document: role rights, else the document's shares (`has_permission`), then User
 * Permissions unless a share granted the access.
 * @param ctx - the run
 * @param doctype - the document's DocType
 * @param rights - every one is needed
 * @param doc - the stored document
 * @throws {RunFailure} `PERMISSION_DENIED`
 */
export async function checkDocAccess(ctx: RunContext, doctype: DocType, rights: readonly PermissionType[], doc: DocData): Promise<void> {
  if (ctx.flags.ignore_permissions) return;
  const byRole = rights.every((ptype) => hasPermission(doctype, ptype, ctx.user, { doc }).allowed);
  if (byRole) {
    try {
      enforceUserPermissions(doctype, childrenOf(ctx.core.registry, doctype), ctx.user, ctx.userPermissions, doc, ctx.strictUserPermissions);
      return;
    } catch (denied) {
      // Refused by User Permissions: every right must then come from a share (the roles' rights are gone).
      if (!(denied instanceof RunFailure)) throw denied;
      const shared = await sharedRights(ctx.core, doctype.name, String(doc.name ?? ''), ctx.user);
      if (!rights.every((r) => (SHARE_RIGHTS as readonly string[]).includes(r) && shared[r as ShareRight])) throw denied;
      viaShare.add(ctx);
      return;
    }
  }
  const shared = await sharedRights(ctx.core, doctype.name, String(doc.name ?? ''), ctx.user);
  enforce(checkRights(doctype, ctx.user, rights, doc, shared));
  viaShare.add(ctx);
}

/**
 * User Permissions on the document as it will be written, unless the run reached the document through a share.
 * @param ctx - the run
 * @param doctype - the DocType
 * @param children - its child DocTypes
 * @param doc - the document about to be written
 */
export function checkWrittenUserPermissions(ctx: RunContext, doctype: DocType, children: Readonly<Record<string, DocType>>, doc: DocData): void {
  if (ctx.flags.ignore_permissions || viaShare.has(ctx)) return;
  enforceUserPermissions(doctype, children, ctx.user, ctx.userPermissions, doc, ctx.strictUserPermissions);
}

/**
 * The `where` a `select` adds for the user's role restrictions (owner, User Permissions) and shares.
 * @param ctx - the run
 * @param doctype - the DocType listed
 * @param restriction - the owner / User Permission clause, `undefined` when the user reads everything
 * @returns the clause to AND with the caller's filter (`undefined`: none)
 * @throws {RunFailure} `PERMISSION_DENIED` for a user without role read and without shared documents
 */
export async function listAccess(ctx: RunContext, doctype: DocType, restriction: Where | undefined): Promise<Where | undefined> {
  const byRole = checkRights(doctype, ctx.user, ['read']);
  if (!byRole.ok) {
    const shared = await sharedNames(ctx.core, doctype.name, ctx.user);
    if (!shared.length) enforce(byRole);
    viaShare.add(ctx);
    return { name: { in: shared } };
  }
  if (!restriction) return undefined;
  const shared = await sharedNames(ctx.core, doctype.name, ctx.user);
  return shared.length ? { OR: [restriction, { name: { in: shared } }] } : restriction;
}

/**
 * The fields the user reads: by role (permlevel), and level 0 of a document reached only through a share
 * (a share grants the document, and Frappe's level-0 fields come with it).
 * @param ctx - the run (after {@link checkDocAccess} / {@link listAccess})
 * @param doctype - the DocType read
 * @returns fieldnames in field order
 */
export function readableFor(ctx: RunContext, doctype: DocType): string[] {
  const byRole = readableFields(doctype, ctx.user);
  if (!viaShare.has(ctx)) return byRole;
  const levelZero = new Set(doctype.fields.filter((df) => df.permlevel === 0).map((df) => df.fieldname));
  return doctype.fields.filter((df) => df.fieldclass !== 'display' && (levelZero.has(df.fieldname) || byRole.includes(df.fieldname))).map((df) => df.fieldname);
}
