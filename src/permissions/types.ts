/**
 * Types of the permissions layer (`frappe/permissions.py`).
 *
 * Everything here is plain data: callers pass the user, the DocTypes, the document and whatever Frappe
 * would have read from its database (user permissions, shares, Custom DocPerm rows); nothing is fetched.
 *
 * @module
 */
import type { DocData, UserPermission } from '../doc/types';
import type { User } from '../env';
import type { DocPerm, DocType, Flag, PermissionType } from '../schema/types';

export type { DocData, UserPermission };

/** The user a permission question is asked for: only the name and the assigned roles matter. */
export type PermissionUser = Pick<User, 'name' | 'roles'>;

/** One value per right, 0 or 1, as Frappe's permission dicts hold them. */
export type Rights = { readonly [K in PermissionType]: Flag };

/**
 * Level-0 role permissions of one user on one DocType (`frappe.permissions.get_role_permissions`).
 * Keys are Frappe's own, so the object reads like the dict Frappe returns.
 */
export interface RolePermissions extends Rights {
  /** True when any of the user's level-0 rows has `if_owner` set. */
  readonly has_if_owner_enabled: boolean;
  /**
   * Rights granted *only* through `if_owner` rows (never `create`), each 1 when the document's owner is the
   * user and 0 otherwise. The base right of such a right is 1 for `select` / `read`, 0 for the rest.
   */
  readonly if_owner: Readonly<Partial<Record<PermissionType, Flag>>>;
}

/** Rights evaluated for one document (`get_doc_permissions`); a missing right means 0. */
export type DocRights = Readonly<Partial<Record<PermissionType, Flag>>>;

/**
 * The user's User Permissions, keyed by the *restricted* DocType (`allow`), exactly the shape of
 * `frappe.defaults.get_user_permissions()`. Pass `undefined` or `{}` for a user without any, and also for a
 * user who has `write` on the User Permission DocType (Frappe lets them bypass user permissions).
 */
export type UserPermissions = Readonly<Record<string, readonly UserPermission[]>>;

/**
 * Child DocTypes of a parent, keyed by Table fieldname (the shape of `Doc.children`) or by child DocType
 * name; either key is looked up.
 */
export type ChildDoctypes = Readonly<Record<string, DocType>>;

/** Rights a document (or, without a document, at least one document of the DocType) is shared with. */
export type SharedRights = Readonly<Partial<Record<'read' | 'write' | 'share' | 'submit', boolean | Flag>>>;

/**
 * A `has_permission` hook (Frappe's `hooks.py` `has_permission`). It can only *deny*: any return other
 * than `true` removes the right, as in Frappe ≥ v15 (`if not controller_permission: return False`).
 * Hooks run only when a document is given, in reverse order, and stop at the first denial.
 */
export type PermissionHook = (doc: DocData, ptype: PermissionType, user: PermissionUser) => boolean | undefined;

/** Options shared by the role-based functions. */
export interface RoleOptions {
  /**
   * Custom DocPerm rows for this DocType. When non-empty they replace `doctype.permissions` entirely, as
   * Frappe does for a DocType that has any Custom DocPerm. @default undefined
   */
  readonly customDocPerms?: readonly DocPerm[] | undefined;
}

/** Options of {@link rolePermissions}. */
export interface RolePermissionOptions extends RoleOptions {
  /** Whether the user owns the document in question; decides the `if_owner` rights. @default false */
  readonly isOwner?: boolean | undefined;
}

/** Options of {@link hasPermission}. */
export interface HasPermissionOptions extends RoleOptions {
  /** The document to check. Without it the question is about the DocType (list / new-document access). */
  readonly doc?: DocData | undefined;
  /** Required for a child DocType: the parent DocType whose Table field holds it. */
  readonly parentDoctype?: DocType | undefined;
  /** For a child row given as `doc`: the parent document, whose permissions decide. */
  readonly parentDoc?: DocData | undefined;
  /** Child DocTypes of the (parent) DocType, for user permissions on Link fields of rows. */
  readonly childDoctypes?: ChildDoctypes | undefined;
  /** The user's User Permissions (`frappe/permissions.py`). @default {} */
  readonly userPermissions?: UserPermissions | undefined;
  /** System Settings `apply_strict_user_permissions`: empty Links are restricted too. @default false */
  readonly strictUserPermissions?: boolean | undefined;
  /** What is shared with the user (DocShare), for the sharing fallback. @default {} */
  readonly shared?: SharedRights | undefined;
  /** System Settings `disable_document_sharing`: `share` is then always denied. @default false */
  readonly disableSharing?: boolean | undefined;
  /** Skip the sharing fallback (Frappe's `ignore_share_permissions`). @default false */
  readonly ignoreSharePermissions?: boolean | undefined;
  /** `has_permission` hooks for this DocType and `*`, in hook order. @default [] */
  readonly hooks?: readonly PermissionHook[] | undefined;
}

/** The answer of {@link hasPermission}. */
export interface PermissionResult {
  readonly allowed: boolean;
  /** Why access was refused: Frappe's permission-check log lines, joined with newlines. */
  readonly reason?: string | undefined;
  /** How access was granted. */
  readonly via?: 'administrator' | 'role' | 'share' | undefined;
}

/** The answer of {@link hasUserPermission}. */
export interface UserPermissionResult {
  readonly allowed: boolean;
  /** Frappe's message for the first restriction that failed. */
  readonly message?: string | undefined;
  /** The field and row that failed, when a Link field did. */
  readonly field?: string | undefined;
  readonly table?: string | undefined;
  readonly row?: number | undefined;
}
