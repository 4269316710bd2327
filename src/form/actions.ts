/**
 * Which buttons a form shows: Frappe Desk's toolbar logic (`frappe/public/js/frappe/form/toolbar.js`,
 * `frappe/public/js/frappe/form/save.js`) as a pure function of the DocType, the document, the user's rights
 * and, when one is active, the workflow's transitions.
 *
 * | docstatus | actions (each only with the right) |
 * |---|---|
 * | new | `save` (create); `submit` too when submittable and the user may submit (Desk saves, then submits) |
 * | 0 draft | `save` (write), `submit` (submittable + submit), `delete` (delete) |
 * | 1 submitted | `save` (write, when a field is `allow_on_submit`: update after submit), `cancel` (cancel) |
 * | 2 cancelled | `amend` (amend + create), `delete` (delete) |
 *
 * With an active workflow, Desk hides Submit and Cancel (`frappe.ui.form.States`): the transitions the user
 * may take are offered instead, by their action names; `save` stays while the state allows editing.
 * `discard` is offered by a form controller when it holds unsaved changes.
 *
 * @module
 */
import { hasPermission } from '../permissions/has-permission';
import type { PermissionUser } from '../permissions/types';
import type { DocData } from '../rules/types';
import type { DocType, PermissionType } from '../schema/types';

/** A built-in form action. */
export type FormAction = 'save' | 'submit' | 'cancel' | 'amend' | 'delete' | 'discard';

/** What {@link documentActions} needs besides the DocType, document and user. */
export interface ActionContext {
  /** The document was never saved. */
  readonly isNew: boolean;
  /** A form holds unsaved changes (offers `discard`). @default false */
  readonly dirty?: boolean;
  /**
   * The workflow's transitions the user may take now (action names), when the DocType has an active workflow;
   * `undefined` when it has none.
   */
  readonly workflowActions?: readonly string[];
  /** With a workflow: whether the user may edit the document in its current state (`allow_edit`). @default true */
  readonly workflowAllowsEdit?: boolean;
}

/**
 * The actions a user may take on a document now, in Desk's order.
 * @param doctype - the document's DocType
 * @param doc - the document (a new one too)
 * @param user - who asks
 * @param ctx - see {@link ActionContext}
 * @returns built-in actions and, with a workflow, its action names
 */
export function documentActions(doctype: DocType, doc: DocData, user: PermissionUser, ctx: ActionContext): string[] {
  const may = (ptype: PermissionType): boolean =>
    hasPermission(doctype, ptype, user, ctx.isNew ? {} : { doc }).allowed;
  const docstatus = Number(doc.docstatus ?? 0);
  const submittable = doctype.is_submittable === 1;
  const workflow = ctx.workflowActions;
  const out: string[] = [];
  const editable = ctx.workflowAllowsEdit ?? true;
  if (ctx.isNew) {
    if (may('create')) out.push('save');
    if (!workflow && submittable && may('create') && may('submit')) out.push('submit');
  } else if (docstatus === 0) {
    if (editable && may('write')) out.push('save');
    if (!workflow && submittable && may('submit')) out.push('submit');
    if (may('delete')) out.push('delete');
  } else if (docstatus === 1) {
    const onSubmit = doctype.fields.some((f) => f.allow_on_submit === 1);
    if (onSubmit && editable && may('write')) out.push('save');
    if (!workflow && may('cancel')) out.push('cancel');
  } else if (docstatus === 2) {
    if (may('amend') && may('create')) out.push('amend');
    if (may('delete')) out.push('delete');
  }
  if (ctx.dirty) out.push('discard');
  if (workflow) for (const action of workflow) if (!out.includes(action)) out.push(action);
  return out;
}
