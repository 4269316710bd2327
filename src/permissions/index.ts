/**
 * The permissions layer: Frappe's permission model as pure functions (`frappe/permissions.py`).
 *
 * Terms:
 * - a *right* (`PermissionType`) is one of read, write, create, delete, submit, cancel, amend, … ;
 * - a *DocPerm row* grants rights to a role at a *permlevel*; level 0 governs the document, higher levels
 *   govern the fields carrying that `permlevel`;
 * - *role permissions* are the union of the level-0 rows of the user's roles (deny by default);
 * - *if_owner* rows grant their rights only on documents the user owns;
 * - *User Permissions* restrict a user to named documents of some DocTypes, including through Link fields;
 * - *sharing* (DocShare) grants read / write / submit / share on one document.
 *
 * Nothing here reads storage: callers pass the user, the DocTypes, the document and what Frappe would have
 * looked up. An AI agent acting for a user is checked *as that user*: it has exactly the user's rights.
 *
 * @module
 */
export { effectiveRoles, isAdministrator, isGuest, GUEST_ROLE, ALL_USER_ROLE, SYSTEM_USER_ROLE, ADMIN_ROLE } from './roles';
export { rolePermissions, permlevelAccess, levelRights, RIGHTS } from './role-permissions';
export type { PermlevelOptions, LevelRights } from './role-permissions';
export { hasPermission, docPermissions, isOwner } from './has-permission';
export type { DocPermissionOptions } from './has-permission';
export { hasUserPermission, allowedDocs } from './user-permissions';
export type { UserPermissionOptions } from './user-permissions';
export { readableFields, stripUnreadable, resetUnwritable } from './fields';
export type { ResetReference, ResetOptions } from './fields';
export { fieldDisplayStatus, documentLevelRights } from './display';
export type { DisplayStatus, FieldDisplayState, DocumentLevelOptions } from './display';
export { requiredRights } from './actions';
export type { DocAction } from './actions';
export type {
  PermissionUser, Rights, RolePermissions, DocRights, UserPermissions, ChildDoctypes, SharedRights,
  PermissionHook, RoleOptions, RolePermissionOptions, HasPermissionOptions, PermissionResult, UserPermissionResult,
} from './types';
