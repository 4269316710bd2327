/**
 * `copy`: Frappe's `frappe.copy_doc` (`frappe/__init__.py`) as an operation. The output is the unsaved copy of a
 * stored document: `name`, `owner`, `creation`, `modified`, `modified_by`, `docstatus`, `amended_from` and
 * `amendment_date` cleared, `no_copy` fields cleared (unless `input.ignore_no_copy`), every row copied with
 * the same keys cleared, and `__islocal: 1` on the document and on each row. Rows keep `parent`,
 * `parentfield`, `parenttype` and `idx` as `copy_doc` does (an insert sets them). Nothing is stored; the
 * copy is what a `create` takes to save it. Needs `read` on the source (and its User Permissions); fields
 * the user cannot read are not in the copy, and Password fields are empty (their secret never leaves
 * `__Auth`).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { stripUnreadable } from '../permissions/fields';
import type { DocType } from '../schema/types';
import { enforce, RunFailure } from './codes';
import { childrenOf, type OperationOutcome, type RunContext } from './core';
import { publicData } from './data';
import { checkDoctype } from './guardian';
import { checkDocAccess } from './shares';

/** Keys `copy_doc` clears on the document and on every row (`fields_to_clear`, with `docstatus` outside tests). */
const CLEARED = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus'] as const;
/** Keys cleared on the document only. */
const CLEARED_TOP = ['amended_from', 'amendment_date'] as const;

/** Clear what `copy_doc` clears on one document or row of `meta`. */
function clear(meta: DocType, data: Readonly<Record<string, unknown>>, keys: readonly string[], keepNoCopy: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const key of keys) if (Object.hasOwn(out, key) || meta.fields.some((df) => df.fieldname === key)) out[key] = null;
  for (const df of meta.fields) {
    if (!Object.hasOwn(out, df.fieldname)) continue;
    if ((df.no_copy && !keepNoCopy) || df.fieldtype === 'Password') out[df.fieldname] = null;
  }
  out.__islocal = 1;
  return out;
}

/** Frappe's `sbool` for `ignore_no_copy`. */
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** `copy`: the unsaved copy of `input.data.name` (see the module comment). */
export async function copyOperation(ctx: RunContext): Promise<OperationOutcome> {
  enforce(checkDoctype(ctx.core.registry, ctx.source));
  const doctype = ctx.core.registry.get(ctx.source!);
  const name = ctx.data.name;
  if (typeof name !== 'string' || name === '') throw new RunFailure('INVALID_RUN', 'copy needs the document name in input.data.name');
  const stored = await ctx.core.adapter.get(doctype.name, name);
  if (!stored) throw new RunFailure('NOT_FOUND', `${doctype.name} ${name} not found`);
  const children = childrenOf(ctx.core.registry, doctype);
  // Read as takeone reads: roles and User Permissions, or a share.
  await checkDocAccess(ctx, doctype, ['read'], stored);
  const readable: DocData = ctx.flags.ignore_permissions ? publicData(stored) : stripUnreadable(doctype, ctx.user, publicData(stored), children);
  const keepNoCopy = flag(ctx.input?.ignore_no_copy);
  const copy = clear(doctype, readable, [...CLEARED, ...CLEARED_TOP], keepNoCopy);
  for (const [fieldname, child] of Object.entries(children)) {
    const rows = copy[fieldname];
    if (!Array.isArray(rows)) continue;
    copy[fieldname] = rows.map((row: DocData) => clear(child, row, CLEARED, keepNoCopy));
  }
  return { data: [copy], meta: { doctype: doctype.name, source_name: name, action: 'copy' }, docname: null };
}
