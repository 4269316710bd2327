/**
 * The `share` / `unshare` operations (`frappe.share.add` / `remove`) over DocShare documents; how shares grant
 * access on reads and writes is shares.ts. Loaded on the first share / unshare run (docs/DECISIONS.md).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { DocType } from '../schema/types';
import { enforce, RunFailure } from './codes';
import type { OperationOutcome, RunContext } from './core';
import { checkDoctype } from './guardian';
import { checkDocAccess, DOCSHARE } from './shares';

const flag = (v: unknown) => (v === true || v === 1 || v === '1' ? 1 : 0);

/**
 * `share` (Frappe's `frappe.share.add`): `input.data` = `{ name, user?, everyone?, read?, write?, submit?, share? }`.
 * Needs the `share` right on the document; the share always includes `read`. Updates the user's existing share.
 */
export async function shareOperation(ctx: RunContext): Promise<OperationOutcome> {
  const { doctype, doc } = await shareTarget(ctx);
  const everyone = flag(ctx.data.everyone);
  if (flag(ctx.data.submit) && doctype.is_submittable !== 1) {
    // DocShare.check_is_submittable
    throw new RunFailure('VALIDATION', `Cannot share ${String(doc.name)} with submit permission as the doctype ${doctype.name} is not submittable`);
  }
  const user = typeof ctx.data.user === 'string' && ctx.data.user ? ctx.data.user : everyone ? null : ctx.user.name;
  const key = everyone ? { everyone: 1 } : { user };
  const core = ctx.core;
  const dryRun = ctx.options.dry_run === true;
  const written = await core.adapter.transaction(async (tx) => {
    const existing = (await tx.query(DOCSHARE, { where: { share_doctype: doctype.name, share_name: String(doc.name), ...key }, take: 1 }))[0];
    const stamp = core.stamper.next(existing?.modified as string | undefined);
    // DocShare.validate: `submit` brings `write` (cascade_permissions_downwards); `read` is always given.
    const submit = flag(ctx.data.submit);
    const values = { read: 1, write: submit || flag(ctx.data.write), submit, share: flag(ctx.data.share) };
    const next: DocData = existing
      ? { ...existing, ...values, modified: stamp, modified_by: ctx.user.name }
      : {
        name: core.ids.hash(10), user, share_doctype: doctype.name, share_name: String(doc.name), everyone, notify_by_email: 0, ...values,
        owner: ctx.user.name, modified_by: ctx.user.name, creation: stamp, modified: stamp, docstatus: 0,
      };
    if (dryRun) return next; // dry_run: checked, nothing written
    return existing ? tx.update(DOCSHARE, next, (existing.modified as string | null) ?? null) : tx.insert(DOCSHARE, next);
  });
  return { data: [written], meta: { doctype: DOCSHARE, name: written.name, action: 'share', dry_run: dryRun }, docname: String(doc.name) };
}

/**
 * `unshare` (Frappe's `frappe.share.remove`): `input.data` = `{ name, user?, everyone? }`. coworker asks for the
 * `share` right here too (Frappe's `remove` is not whitelisted and checks nothing).
 */
export async function unshareOperation(ctx: RunContext): Promise<OperationOutcome> {
  const { doctype, doc } = await shareTarget(ctx);
  const everyone = flag(ctx.data.everyone);
  const user = typeof ctx.data.user === 'string' && ctx.data.user ? ctx.data.user : ctx.user.name;
  const where = { share_doctype: doctype.name, share_name: String(doc.name), ...(everyone ? { everyone: 1 } : { user }) };
  const removed = await ctx.core.adapter.transaction(async (tx) => {
    const rows = await tx.query(DOCSHARE, { where });
    if (ctx.options.dry_run !== true) for (const row of rows) await tx.delete(DOCSHARE, String(row.name));
    return rows;
  });
  return { data: removed, meta: { doctype: DOCSHARE, action: 'unshare', count: removed.length, dry_run: ctx.options.dry_run === true }, docname: String(doc.name) };
}

async function shareTarget(ctx: RunContext): Promise<{ doctype: DocType; doc: DocData }> {
  if (!ctx.core.registry.has(DOCSHARE)) throw new RunFailure('ENGINE_CONFIG', `${ctx.operation} needs Frappe's DocShare DocType in the engine's DocTypes`);
  enforce(checkDoctype(ctx.core.registry, ctx.target));
  const doctype = ctx.core.registry.get(ctx.target!);
  const name = ctx.data.name;
  if (typeof name !== 'string' || !name) throw new RunFailure('INVALID_RUN', `${ctx.operation} needs the document name in input.data.name`);
  const doc = await ctx.core.adapter.get(doctype.name, name);
  if (!doc) throw new RunFailure('NOT_FOUND', `${doctype.name} ${name} not found`);
  try {
    await checkDocAccess(ctx, doctype, ['share'], doc);
  } catch (e) {
    // Frappe's check_share_permission message.
    if (e instanceof RunFailure && e.code === 'PERMISSION_DENIED') throw new RunFailure('PERMISSION_DENIED', `No permission to share ${doctype.name} ${name}`, e.issues);
    throw e;
  }
  return { doctype, doc };
}
