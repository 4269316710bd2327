/**
 * Draft edits (docs/edit-state.md): a `draft: true` create / update accumulates its delta on an edit that belongs
 * to the user and agent who opened it, and a non-draft create / update with the edit as parent saves it through
 * the write operations of writes.ts.
 */
import type { DocData } from '../doc/types';
import { permlevelAccess } from '../permissions/role-permissions';
import { evaluateStates } from '../rules/states';
import { enforce, RunFailure } from './codes';
import type { OperationOutcome, RunContext } from './core';
import { accumulateDelta, mergeDelta, tableNames } from './data';
import { checkEditOwner, EditConflict, editSnapshot, nextEditState, type Edit } from './edit-state';
import { checkRights } from './guardian';
import { previewHooks } from './lifecycle';
import { bootDocsFor } from './prefill';
import { isSingle, loadSingle } from './singles';
import type { DraftMeta, RunError } from './types';
import {
  checkInput, enforceRights, insertNew, newDocument, permit, saveExisting, target, validateTiers, visible, type Target,
} from './writes';

/** The edit this run joins by `parent_run_id`, if any; only its owner (same user, same agent) may join it. */
async function editOf(ctx: RunContext): Promise<Edit | undefined> {
  const edit = ctx.parentRunId ? await ctx.core.edits.get(ctx.parentRunId, ctx.core.adapter) : undefined;
  if (edit) enforce(checkEditOwner(edit, ctx.user, ctx.agent));
  return edit;
}

/** Every step reads the document through the edit: checked like a takeone (read on the stored document), plus the right to change it. */
async function checkEditRights(ctx: RunContext, t: Target, edit: Edit): Promise<void> {
  if (edit.docname !== null) await enforceRights(ctx, t, ['read', 'write'], edit.base);
  else permit(ctx, checkRights(t.doctype, ctx.user, ['create']));
}

/** The edit after `event`, not kept yet. */
function movedEdit(edit: Edit, event: Parameters<typeof nextEditState>[1], patch: Partial<Edit> = {}): Edit {
  const state = nextEditState(edit.state, event);
  if (!state) throw new RunFailure('INVALID_RUN', `Edit ${edit.id} is ${edit.state}: cannot ${event} now`);
  return Object.freeze({ ...edit, ...patch, state });
}

/** Apply `event` and keep the edit, if it is still as this run read it (else `EditConflict`: the run is retried).
 * The end of a save (`saved` / `fail`) is written whatever happened: only the saving run moves a `saving` edit. */
async function moveEdit(ctx: RunContext, edit: Edit, event: Parameters<typeof nextEditState>[1], patch: Partial<Edit> = {}): Promise<Edit> {
  const force = event === 'saved' || event === 'fail';
  return ctx.core.edits.replace(edit, movedEdit(edit, event, patch), ctx.core.adapter, force);
}

/**
 * A draft step (`options.draft`): accumulate the change on its edit (opening one when `parent_run_id` names
 * none; its id is this run's name), then return the merged document with tiers 2-3 applied, the field
 * states, and the issues (non-blocking). Nothing is written and no counter is drawn.
 */
export async function draftOperation(ctx: RunContext): Promise<OperationOutcome> {
  if (ctx.operation !== 'create' && ctx.operation !== 'update' && ctx.operation !== 'upsert') {
    throw new RunFailure('INVALID_RUN', `options.draft applies to create and update, not ${ctx.operation}`);
  }
  const t = target(ctx);
  let edit = await editOf(ctx);
  if (edit && edit.doctype !== t.doctype.name) {
    throw new RunFailure('INVALID_RUN', `Edit ${edit.id} is about ${edit.doctype}, not ${t.doctype.name}`);
  }
  // A new edit is kept once, at the end of this step (a step that fails opens nothing).
  const opening = !edit;
  if (!edit) {
    // An edit of a Single (not a create) starts from the Single as stored, or its defaults.
    const single = isSingle(t.doctype) && ctx.operation !== 'create';
    const name = single ? t.doctype.name : typeof ctx.data.name === 'string' && ctx.data.name ? ctx.data.name : null;
    const stored = single ? await loadSingle(ctx, ctx.core.adapter, t.doctype) : ctx.operation !== 'create' && name ? await ctx.core.adapter.get(t.doctype.name, name) : undefined;
    if (ctx.operation === 'update' && !stored) throw new RunFailure('NOT_FOUND', `${t.doctype.name} ${String(name)} not found`);
    if (stored) await enforceRights(ctx, t, ['read', 'write'], stored);
    else permit(ctx, checkRights(t.doctype, ctx.user, ['create']));
    edit = Object.freeze({
      id: ctx.runName, doctype: t.doctype.name, docname: stored ? name : null, state: 'pristine', delta: {},
      baseModified: stored ? ((stored.modified as string | null) ?? null) : null, error: null,
      owner: ctx.user.name, agent: ctx.agent, base: stored ?? newDocument(ctx, t, {}),
    } satisfies Edit);
  } else await checkEditRights(ctx, t, edit);
  const change: Record<string, unknown> = { ...ctx.data };
  if (edit.docname !== null) delete change.name;
  delete change.modified;
  let delta = accumulateDelta(edit.delta, change);
  const accepted = checkInput(ctx, t, edit.base, delta);
  const isNew = edit.docname === null;
  // A new document keeps the temporary name it got when the edit opened (and stays local), so every step
  // shows the same document.
  const merged = isNew
    ? newDocument(ctx, t, { ...accepted, name: edit.base.name, __islocal: 1 }, await bootDocsFor(t.doctype, t.children, accepted, ctx.core.adapter))
    : mergeDelta(edit.base, accepted, tableNames(t.doctype));
  // Rows added without a name are named once, in the delta, so later steps (and their field states) see the same rows.
  delta = nameNewRows(delta, merged, tableNames(t.doctype));
  const previewed = await previewHooks(ctx, t, merged, isNew ? undefined : edit.base);
  const checked = await validateTiers(ctx, t, previewed.doc, ctx.core.adapter, isNew, undefined, previewed.hooked);
  checked.issues.unshift(...previewed.issues);
  const changed = Object.keys(change).length > 0 ? movedEdit(edit, 'change', { delta, error: null }) : edit;
  edit = opening ? await ctx.core.edits.open(changed, ctx.core.adapter) : changed === edit ? edit : await ctx.core.edits.replace(edit, changed, ctx.core.adapter);
  const rules = ctx.core.rulesFor(t.doctype);
  const states = evaluateStates(rules, checked.doc, {
    user: ctx.user, now: ctx.core.clock(),
    permissions: { read: permlevelAccess(t.doctype, ctx.user, 'read'), write: permlevelAccess(t.doctype, ctx.user, 'write') },
  });
  const meta: DraftMeta = { edit: editSnapshot(edit), states, issues: checked.issues };
  // A draft shows the document as Desk holds it: a new one carries `__islocal` (and `__newname` when given).
  const shown: Record<string, unknown> = { ...visible(ctx, t, checked.doc) };
  for (const key of LOCAL_KEYS) if (checked.doc[key] !== undefined) shown[key] = checked.doc[key];
  return { data: [shown], meta: meta as unknown as Record<string, unknown>, docname: edit.docname };
}

/** Private keys a draft's document keeps in its output (never stored). */
const LOCAL_KEYS = ['__islocal', '__newname'] as const;

/** Give the unnamed rows of each table in `delta` the names they got in `merged` (same positions). */
function nameNewRows(delta: Readonly<Record<string, unknown>>, merged: DocData, tables: ReadonlySet<string> | readonly string[]): Readonly<Record<string, unknown>> {
  let out: Record<string, unknown> | undefined;
  for (const table of tables) {
    const rows = delta[table];
    const named = merged[table];
    if (!Array.isArray(rows) || !Array.isArray(named)) continue;
    if (!rows.some((r) => r && typeof r === 'object' && !(r as DocData).name)) continue;
    out ??= { ...delta };
    out[table] = rows.map((r, i) =>
      r && typeof r === 'object' && !(r as DocData).name && (named[i] as DocData | undefined)?.name ? { ...(r as DocData), name: (named[i] as DocData).name } : r,
    );
  }
  return out ?? delta;
}

/**
 * A save of an edit (a non-draft create / update whose `parent_run_id` names an edit): the accumulated delta
 * plus this run's input, written against the `modified` the edit started from. On success the edit is
 * `saved` (its base becomes the written document); on failure it is `failed` with its delta intact.
 */
export async function saveEditOperation(ctx: RunContext, edit: Edit): Promise<OperationOutcome> {
  const t = target(ctx);
  const change: Record<string, unknown> = { ...ctx.data };
  delete change.name;
  const explicitModified = typeof change.modified === 'string' ? change.modified : undefined;
  delete change.modified;
  const delta = accumulateDelta(edit.delta, change);
  const save = (e: Edit) => e.docname === null
    ? insertNew(ctx, t, delta)
    : saveExisting(ctx, t, e.docname, delta, undefined, explicitModified ?? e.baseModified);
  // A dry run previews the save and leaves the edit as it was.
  if (ctx.options.dry_run === true) return save(edit);
  let current = await moveEdit(ctx, edit, 'save');
  try {
    const outcome = await save(current);
    const written = await ctx.core.adapter.get(t.doctype.name, outcome.docname!);
    current = await moveEdit(ctx, current, 'saved', {
      delta: {}, error: null, docname: outcome.docname ?? null, base: written ?? current.base,
      baseModified: (written?.modified as string | undefined) ?? null,
    });
    return { ...outcome, meta: { ...outcome.meta, edit: editSnapshot(current) } };
  } catch (e) {
    const error: RunError | null = e instanceof RunFailure
      ? { code: e.code, exc: e.exc, message: e.message, issues: e.issues }
      : null;
    // The save's own error is the run's, even if the edit cannot be marked failed (storage gone).
    await moveEdit(ctx, current, 'fail', { delta, error }).catch(() => undefined);
    // Never redo a save that may have written (the dispatch retries on EditConflict).
    if (e instanceof EditConflict) throw new RunFailure('EDIT_CONFLICT', e.message);
    throw e;
  }
}

/** The edit a run belongs to, if any (exported for the engine's dispatch). */
export function editFor(ctx: RunContext): Promise<Edit | undefined> {
  return editOf(ctx);
}
