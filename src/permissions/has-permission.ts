/**
 * `hasPermission`: may this user do `ptype` on this DocType or document (`frappe/permissions.py`)?
 *
 * The order is Frappe's (`frappe.permissions.has_permission`): Administrator; disabled sharing; child
 * DocTypes deferring to their parent; DocType-level or document-level role rights (with hooks, ownership and
 * User Permissions); finally the sharing fallback.
 *
 * An AI agent acting for a user asks with that user: it has exactly the user's rights and nothing here can
 * add any.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { tableFields } from '../schema/fields';
import type { DocType, PermissionType } from '../schema/types';
import { permlevelAccess, rolePermissions } from './role-permissions';
import { isAdministrator } from './roles';
import { hasUserPermission } from './user-permissions';
import type { DocData, DocRights, HasPermissionOptions, PermissionResult, PermissionUser } from './types';

/** Rights the sharing fallback can grant (`false_if_not_shared`). */
const SHAREABLE: ReadonlySet<PermissionType> = new Set<PermissionType>(['read', 'write', 'share', 'submit', 'email', 'print']);

/** Options of {@link docPermissions}. */
export type DocPermissionOptions = Pick<
  HasPermissionOptions,
  'customDocPerms' | 'childDoctypes' | 'userPermissions' | 'strictUserPermissions' | 'hooks'
>;

/**
 * Whether `user` owns `doc`: Frappe compares `owner` and the user name case-insensitively.
 * @param doc - the document
 * @param user - the user
 * @returns true for the owner
 */
export function isOwner(doc: DocData, user: PermissionUser): boolean {
  const owner = typeof doc.owner === 'string' ? doc.owner : '';
  return owner.toLowerCase() === user.name.toLowerCase();
}

/**
 * The rights `user` has on one document (`get_doc_permissions`, `frappe/permissions.py`), before sharing:
 * 1. any hook not returning `true` for `ptype` gives `{ [ptype]: 0 }`;
 * 2. the level-0 role rights with `isOwner` from `doc.owner`, `submit` / `import` forced as in
 *    {@link rolePermissions}, and the `if_owner` rights laid over them when any row has `if_owner`;
 * 3. when User Permissions deny the document, an owner keeps only the `if_owner` rights (without `create`)
 *    and anyone else gets nothing.
 *
 * @param doctype - the document's DocType (not a child DocType: ask about the parent)
 * @param user - the user
 * @param doc - the document
 * @param ptype - the right hooks are asked about @default 'read'
 * @param opts - see {@link DocPermissionOptions}
 * @returns the rights; a missing key means 0
 */
export function docPermissions(
  doctype: DocType,
  user: PermissionUser,
  doc: DocData,
  ptype: PermissionType = 'read',
  opts: DocPermissionOptions = {},
): DocRights {
  return evaluateDoc(doctype, user, doc, ptype, opts, []);
}

function evaluateDoc(
  doctype: DocType,
  user: PermissionUser,
  doc: DocData,
  ptype: PermissionType,
  opts: DocPermissionOptions,
  log: string[],
): DocRights {
  // Hooks run last-registered first and can only take a right away.
  const hooks = opts.hooks ?? [];
  for (let i = hooks.length - 1; i >= 0; i--) {
    if (hooks[i]!(doc, ptype, user) !== true) {
      log.push('Not allowed via controller permission check');
      return { [ptype]: 0 };
    }
  }
  const owner = isOwner(doc, user);
  const role = rolePermissions(doctype, user, { isOwner: owner, customDocPerms: opts.customDocPerms });
  const { has_if_owner_enabled: hasIfOwner, if_owner: ifOwner, ...rights } = role;
  const permissions: Record<string, 0 | 1> = hasIfOwner ? { ...rights, ...ifOwner } : { ...rights };
  const up = hasUserPermission(doctype, doc, opts.userPermissions, opts.childDoctypes, { strict: opts.strictUserPermissions });
  if (!up.allowed) {
    if (up.message) log.push(up.message);
    // An owner keeps what ownership alone grants; if_owner never comes with create.
    return owner ? { ...ifOwner, create: 0 } : {};
  }
  return permissions;
}

/**
 * Whether `user` may do `ptype` on `doctype`, or on the document `opts.doc` (`frappe/permissions.py`).
 *
 * - Administrator: always allowed.
 * - `share` with `opts.disableSharing`: denied.
 * - A child DocType (`istable`) has no rights of its own: `opts.parentDoctype` must hold a Table field for it,
 *   a given row's `parentfield` must be one of those fields, that field's permlevel must be accessible for
 *   `ptype`, and then the *parent* is checked (with `opts.parentDoc` when a row is given).
 * - Without a document: `submit` on a non-submittable DocType and `import` without `allow_import` are
 *   denied; otherwise the level-0 role right decides (an `if_owner`-only right counts only for select/read).
 * - With a document: {@link docPermissions}.
 * - Still denied and `ptype` is read, write, share, submit, email or print: allowed when `opts.shared` grants
 *   it (email and print ask for a read share). With a document, `shared` describes that document's shares;
 *   without one, whether at least one document of the DocType is shared with the user.
 *
 * @example
 * hasPermission(salesOrder, 'submit', salesUser);               // { allowed: false, reason: '…' }
 * hasPermission(salesOrder, 'write', salesUser, { doc: order }); // { allowed: true, via: 'role' }
 * @param doctype - the DocType asked about
 * @param ptype - the right
 * @param user - the user
 * @param opts - see {@link HasPermissionOptions}
 * @returns `{ allowed, reason?, via? }`
 * @throws {CoworkerError} `PERM_PARENT_MISMATCH` when a row's `parenttype` names another DocType than
 *   `opts.parentDoctype`; `PERM_PARENT_DOC_REQUIRED` when a row is given without `opts.parentDoc`
 */
export function hasPermission(
  doctype: DocType,
  ptype: PermissionType,
  user: PermissionUser,
  opts: HasPermissionOptions = {},
): PermissionResult {
  if (isAdministrator(user)) return ADMIN;
  if (ptype === 'share' && opts.disableSharing) return deny(["User can't share because sharing is disabled globally from system settings"]);
  if (doctype.istable === 1) return hasChildPermission(doctype, ptype, user, opts);

  const log: string[] = [];
  const doc = opts.doc;
  let allowed: boolean;
  if (doc) {
    allowed = evaluateDoc(doctype, user, doc, ptype, opts, log)[ptype] === 1;
    if (!allowed) {
      const named = rolePermissions(doctype, user, { customDocPerms: opts.customDocPerms }).read === 1;
      log.push(`User ${user.name} does not have access to this document${named ? `: ${doctype.name} - ${String(doc.name ?? '')}` : ''}`);
    }
  } else {
    if (ptype === 'submit' && doctype.is_submittable !== 1) return deny(['Document Type is not submittable']);
    if (ptype === 'import' && doctype.allow_import !== 1) return deny(['Document Type is not importable']);
    allowed = rolePermissions(doctype, user, { customDocPerms: opts.customDocPerms })[ptype] === 1;
    if (!allowed) log.push(`User ${user.name} does not have doctype access via role permission for document ${doctype.name}`);
  }
  if (allowed) return ROLE;
  if (!opts.ignoreSharePermissions && SHAREABLE.has(ptype)) {
    const right = ptype === 'email' || ptype === 'print' ? 'read' : ptype;
    const shared = opts.shared?.[right as 'read' | 'write' | 'share' | 'submit'];
    if (shared === true || shared === 1) return SHARE;
  }
  return deny(log);
}

/** `has_child_permission`: rights on a child row are rights on its parent, through the Table field. */
function hasChildPermission(child: DocType, ptype: PermissionType, user: PermissionUser, opts: HasPermissionOptions): PermissionResult {
  const { doc, parentDoctype: parent } = opts;
  if (doc && typeof doc.parenttype === 'string' && doc.parenttype !== '' && parent && doc.parenttype !== parent.name) {
    throw new CoworkerError(
      'PERM_PARENT_MISMATCH',
      `The ${child.name} row belongs to ${doc.parenttype}, but parentDoctype ${parent.name} was given`,
    );
  }
  if (!parent) return deny([`Please specify a valid parent DocType for ${child.name}`]);
  const validFields = parent.istable === 1 ? [] : tableFields(parent).filter((df) => df.options === child.name);
  if (validFields.length === 0) return deny([`${parent.name} is not a valid parent DocType for ${child.name}`]);
  let parentDoc: DocData | undefined;
  if (doc) {
    const parentfield = doc.parentfield;
    if (typeof parentfield !== 'string' || parentfield === '') {
      return deny([`Parentfield not specified in ${child.name}: ${String(doc.name ?? '')}`]);
    }
    const field = validFields.find((df) => df.fieldname === parentfield);
    if (!field) return deny([`${parentfield} is not a valid parentfield for ${child.name}`]);
    if (field.permlevel > 0 && !permlevelAccess(parent, user, ptype, opts).has(field.permlevel)) {
      return deny([`Insufficient Permission Level for ${parent.name}`]);
    }
    parentDoc = opts.parentDoc;
    if (!parentDoc) {
      throw new CoworkerError(
        'PERM_PARENT_DOC_REQUIRED',
        `Checking a ${child.name} row needs its parent ${parent.name} document (opts.parentDoc)`,
      );
    }
  }
  return hasPermission(parent, ptype, user, { ...opts, doc: parentDoc, parentDoctype: undefined, parentDoc: undefined });
}

const ADMIN: PermissionResult = Object.freeze({ allowed: true, via: 'administrator' });
const ROLE: PermissionResult = Object.freeze({ allowed: true, via: 'role' });
const SHARE: PermissionResult = Object.freeze({ allowed: true, via: 'share' });

function deny(log: readonly string[]): PermissionResult {
  return Object.freeze({ allowed: false, reason: log.join('\n') || undefined });
}
