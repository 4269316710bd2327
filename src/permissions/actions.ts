/**
 * Which rights each document operation needs (`frappe/model/document.py`, `frappe/model/delete_doc.py`).
 *
 * @module
 */
import type { PermissionType } from '../schema/types';

/** A document operation. */
export type DocAction =
  | 'create' | 'read' | 'update' | 'submit' | 'cancel' | 'amend' | 'delete' | 'update_after_submit' | 'discard';

/**
 * Why each action needs what it needs, from `frappe/model/document.py` and `delete_doc.py`:
 * - `insert()` checks `create` (inserting with docstatus 1 additionally checks `submit`);
 * - `save()` of a saved document checks `write`, then `check_docstatus_transition` adds `submit` for 0→1 and
 *   for 1→1 (update after submit), `cancel` for 1→2: submit and cancel need write too (`frappe/model/document.py`);
 * - amending copies a cancelled document into a new one: the form offers it with `amend`, and the new
 *   document is inserted, which checks `create`;
 * - `delete_doc` checks `delete` (and refuses submitted documents whatever the rights, `frappe/model/delete_doc.py`);
 * - `discard()` [develop] needs `write`.
 */
const REQUIRED: Readonly<Record<DocAction, readonly PermissionType[]>> = Object.freeze({
  create: Object.freeze(['create'] as const),
  read: Object.freeze(['read'] as const),
  update: Object.freeze(['write'] as const),
  submit: Object.freeze(['write', 'submit'] as const),
  cancel: Object.freeze(['write', 'cancel'] as const),
  amend: Object.freeze(['create', 'amend'] as const),
  delete: Object.freeze(['delete'] as const),
  update_after_submit: Object.freeze(['write', 'submit'] as const),
  discard: Object.freeze(['write'] as const),
});

/**
 * The rights an operation needs; *all* of them must be granted (check each with {@link hasPermission}).
 *
 * | action | rights |
 * |---|---|
 * | create | create |
 * | read | read |
 * | update | write |
 * | submit | write, submit |
 * | cancel | write, cancel |
 * | amend | create, amend |
 * | delete | delete |
 * | update_after_submit | write, submit |
 * | discard | write |
 *
 * @example
 * requiredRights('cancel'); // ['write', 'cancel']
 * @param action - the operation
 * @returns a frozen list of rights
 */
export function requiredRights(action: DocAction): readonly PermissionType[] {
  return REQUIRED[action];
}
