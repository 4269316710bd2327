/**
 * The write operations: create, update, upsert, submit, cancel, amend, delete, and draft edits.
 *
 * Each follows the same shape: load what is stored, ask the guardian (fail fast, one reason), merge the
 * caller's delta over the stored document (or a new document's defaults), then inside one storage
 * transaction run tier 1 (system fields; naming draws counters of this transaction), tier 2 (fieldtypes) and
 * tier 3 (links, fetch_from, computed fields, mandatory, validators), collect every issue, and write the
 * document with its rows. A failure anywhere rolls the transaction back: storage is unchanged, and the
 * caller's input (and a draft's accumulated delta) is untouched for a retry. `dry_run` rolls back on purpose.
 *
 * @module
 */
import { copyDoc } from '../doc/copy';
import { DocError } from '../doc/errors';
import { build, resolveChildren } from '../doc/new';
import type { DefaultsOptions, DocData } from '../doc/types';
import { makeIssue } from '../issues';
import { childRowName, resolveName } from '../naming/resolve';
import { revertSeriesIfLast } from '../naming/maintenance';
import { syncAutonameField } from '../naming/sync';
import { stripUnreadable } from '../permissions/fields';
import type { DocType } from '../schema/types';
import { StorageError } from '../storage/errors';
import type { StorageSession } from '../storage/types';
import { enforce, refuse, RunFailure } from './codes';
import { childrenOf, type EngineCore, type OperationOutcome, type RunContext } from './core';
import { mergeDelta, publicData, tableNames, type Draft } from './data';
import {
  checkAppendOnly, checkDoctype, checkInputShape, checkPermlevelWrite, checkReadOnlyInput, checkRights, checkSetOnce,
  checkUpdateAfterSubmit, docstatusTransition, rightsFor, type Children,
} from './guardian';
import { CLEAR_SECRETS, maskPasswords, removeSecrets, storeSecrets } from './passwords';
import { checkDocAccess, checkWrittenUserPermissions } from './shares';
import { fillInsertTimes } from './insert-defaults';
import { applySystemFields } from './tiers/system';
import { applyFieldtypes, coerceDoc, storableDoc } from './tiers/fieldtypes';
import { applyRules } from './tiers/rules';
import { acceptInput } from './input';
import { linkReads } from './links';
import { applyTitle, bootDocsFor, withoutDefaults } from './prefill';
import type { Verdict } from './codes';
import { coreInSession, docAction, lifecycleMeta, openLifecycle } from './lifecycle';
import type { WriteAction } from './types';
import { NSM_ACTIONS, placeNode, removeNode, treeFields } from './tree';
import { wouldInsert } from './dry-store';
import { withVirtualFields } from './reads';
import { keepVirtualValues } from './virtual-fields';
import { isSingle, isUnsavedSingle, loadSingle, singleName, writeSingle } from './singles';

/** Thrown inside the transaction of a dry run so that nothing it wrote is kept. */
class DryRunRollback {
  constructor(readonly doc: DocData) {}
}

export interface Target {
  readonly doctype: DocType;
  readonly children: Children;
}

export function target(ctx: RunContext): Target {
  enforce(checkDoctype(ctx.core.registry, ctx.target));
  const doctype = ctx.core.registry.get(ctx.target!);
  enforce(checkAppendOnly(doctype.name, ctx.operation, ctx.core.appendOnly));
  return { doctype, children: childrenOf(ctx.core.registry, doctype) };
}

export function docName(ctx: RunContext, data: Readonly<Record<string, unknown>>): string {
  const name = data.name;
  // A Single's one document is named after its DocType: no name needed, and any name given addresses it.
  const single = singleName(ctx.core.registry, ctx.target);
  if (single !== undefined) return single;
  if (typeof name !== 'string' || name === '') {
    throw new RunFailure('INVALID_RUN', `${ctx.operation} needs the document name in input.data.name`);
  }
  return name;
}

export async function loadStored(session: StorageSession, doctype: DocType, name: string): Promise<DocData> {
  const stored = await session.get(doctype.name, name);
  if (!stored) throw new RunFailure('NOT_FOUND', `${doctype.name} ${name} not found`);
  return stored;
}

/** What the caller (or a user) sees of a document: no private keys, no unreadable fields. */
export function visible(ctx: RunContext, t: Target, doc: DocData): DocData {
  if (ctx.flags.ignore_permissions) return publicData(doc);
  return stripUnreadable(t.doctype, ctx.user, publicData(doc), t.children);
}

/** A permission verdict, unless the run has Frappe's `ignore_permissions` flag. */
export function permit(ctx: RunContext, verdict: Verdict): void {
  if (!ctx.flags.ignore_permissions) enforce(verdict);
}

/** Storage errors as run failures (codes of the run layer, issues naming the field). */
export function fromStorage(error: unknown): never {
  if (error instanceof RunFailure || error instanceof DryRunRollback) throw error;
  if (error instanceof StorageError) {
    const where = { doctype: error.doctype, field: error.field };
    switch (error.code) {
      case 'TIMESTAMP_MISMATCH': throw new RunFailure('TIMESTAMP_MISMATCH', error.message, [], { cause: error });
      case 'DUPLICATE_ENTRY': throw new RunFailure('DUPLICATE_ENTRY', error.message, [makeIssue('DUPLICATE_ENTRY', error.message, { ...where, field: 'name', value: error.docname })], { cause: error });
      case 'UNIQUE_VIOLATION': throw new RunFailure('UNIQUE', error.message, [makeIssue('UNIQUE', error.message, { ...where, value: error.value })], { cause: error });
      case 'NOT_FOUND': throw new RunFailure('NOT_FOUND', error.message, [], { cause: error });
      case 'STORAGE_BAD_QUERY':
      case 'STORAGE_UNKNOWN_FIELD': throw new RunFailure('INVALID_RUN', error.message, [], { cause: error });
      case 'STORAGE_CONNECTION_LOST': throw new RunFailure('STORAGE_CONNECTION_LOST', error.message, [], { cause: error });
      default: throw new RunFailure('INTERNAL', `Storage failed: ${error.message}`, [], { cause: error });
    }
  }
  throw error;
}

/** Defaults options of the doc layer for this run. */
function docOptions(ctx: RunContext) {
  const { core } = ctx;
  return { user: ctx.user, clock: core.clock, ids: core.ids, timeZone: core.timeZone, systemTimeZone: core.timeZone, getDoctype: (n: string) => core.registry.get(n), userPermissions: ctx.userPermissions };
}

/**
 * A new document with Desk's defaults and the given values (tier 3 "defaults on create"). Private keys stay
 * (`__islocal`, `__newname`: naming and field states read them); they are dropped before storage. A
 * document whose caller gave it a name and no `__islocal` is not local (Frappe's `frappe.get_doc(dict)`):
 * Prompt and UUID naming keep that name.
 */
export function newDocument(ctx: RunContext, t: Target, values: Readonly<Record<string, unknown>>, bootDocs: DefaultsOptions['bootDocs'] = {}): Draft {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (k !== 'doctype') clean[k] = v;
  try {
    // The document layer's builder, unfrozen: the run owns this document (no frozen copy to copy again).
    const data: Draft = build(t.doctype, resolveChildren(t.doctype, docOptions(ctx).getDoctype), clean, undefined, { ...docOptions(ctx), bootDocs });
    delete data.__run_link_triggers;
    delete data.__unsaved;
    const named = typeof values.name === 'string' && values.name !== '';
    if (named && !Object.hasOwn(values, '__islocal')) delete data.__islocal;
    return data;
  } catch (e) {
    if (e instanceof DocError) throw new RunFailure('INVALID_RUN', e.message, [makeIssue('INVALID_VALUE', e.message, { doctype: e.doctype, field: e.field })]);
    throw e;
  }
}

/** Tiers 2 and 3 (no naming): shared by saves and draft previews. `hooked`: controller hooks ran (no second fetch). */
export async function validateTiers(ctx: RunContext, t: Target, doc: DocData, session: StorageSession, isNew: boolean, action?: WriteAction, hooked = false) {
  const { core } = ctx;
  const t2 = applyFieldtypes(doc, { doctype: t.doctype, children: t.children, handlers: core.handlers, timeZone: core.timeZone });
  const t3 = await applyRules(t2.doc, {
    doctype: t.doctype, children: t.children, rules: core.rulesFor(t.doctype), getDoctype: (n) => core.registry.tryGet(n),
    handlers: core.handlers, user: ctx.user, now: core.clock(), isNew, enforceMandatoryDependsOn: core.enforceMandatoryDependsOn,
    ...linkReads(ctx, session),
    ignoreLinks: ctx.flags.ignore_links, ignoreMandatory: ctx.flags.ignore_mandatory,
    beforeMandatory: (d) => applyTitle(t.doctype, d, isNew),
    action: action ? docAction(action) : isNew ? 'insert' : 'save', fetch: !hooked,
  });
  // in_import: Frappe's `_validate_selects` returns early.
  const t2Issues = ctx.flags.in_import ? t2.issues.filter((i) => i.code !== 'INVALID_SELECT') : t2.issues;
  return { doc: t3.doc, issues: [...t2Issues, ...t3.issues] };
}

interface PersistPlan {
  readonly action: WriteAction;
  readonly doc: Draft;
  readonly stored: DocData | undefined;
  /** `modified` the caller loaded (updates). */
  readonly expectedModified: string | null;
  /** Cancel skips validation and link checks (`frappe/model/document.py`). */
  readonly validate: boolean;
}

/**
 * Tiers 1-3 and the write, in one transaction.
 * @returns the document as stored (or as it would be, for a dry run)
 */
async function persist(ctx: RunContext, t: Target, plan: PersistPlan): Promise<DocData> {
  const { core } = ctx;
  const isNew = plan.stored === undefined;
  try {
    return await core.adapter.transaction(async (tx) => {
      const hooks = openLifecycle(ctx, t, tx, plan);
      const timestamp = core.stamper.next(plan.stored?.modified);
      const namingCtx = {
        counters: tx.counters, clock: core.clock, ids: core.ids, timeZone: core.timeZone,
        getAmendedFrom: async (doctype: string, name: string) => {
          const found = await tx.get(doctype, name).catch(() => undefined);
          return typeof found?.amended_from === 'string' ? found.amended_from : null;
        },
        customAutoname: hooks.customAutoname,
      };
      const tier1: Parameters<typeof applySystemFields>[1] = {
        action: isNew ? (plan.action === 'amend' ? 'amend' : 'create') : plan.action,
        doctype: t.doctype, children: t.children, stored: plan.stored, user: ctx.user, timestamp, rules: core.systemRules,
        nameFor: async (dt, data) => {
          // in_import: Frappe's `set_new_name` keeps the name the document came with.
          if (ctx.flags.in_import && dt.istable !== 1 && typeof data.name === 'string' && data.name && !data.__islocal) return { name: data.name, issues: [] };
          const r = dt.istable === 1 ? await childRowName(dt, data, namingCtx) : await resolveName(dt, data, namingCtx);
          return r.name === undefined ? { issues: r.issues } : { name: String(r.name), issues: [], ...(('set' in r && r.set) ? { set: r.set } : {}) };
        },
      };
      const t1 = await applySystemFields(await hooks.prepare(plan.doc), tier1);
      const issues = [...t1.issues];
      // `_sync_autoname_field` (in `_validate`, after the hooks): a `field:X` document keeps X equal to its name.
      let doc: DocData = syncAutonameField(t.doctype, await hooks.beforeWrite(t1.doc, tier1, issues));
      if (plan.validate) {
        const checked = await validateTiers(ctx, t, doc, tx, isNew, plan.action, hooks.active);
        doc = checked.doc;
        issues.push(...checked.issues);
      } else {
        // No validation on this path: coerce only (tier 2's checks would be computed and thrown away).
        doc = coerceDoc(doc, { doctype: t.doctype, children: t.children, handlers: core.handlers, timeZone: core.timeZone });
      }
      if (plan.action === 'update_after_submit' && plan.stored && !ctx.flags.ignore_validate_update_after_submit) {
        enforce(checkUpdateAfterSubmit(t.doctype, t.children, plan.stored, doc));
      }
      ctx.notes.warnings.push(...issues.filter((i) => i.severity === 'warning'));
      const blocking = issues.filter((i) => i.severity !== 'warning');
      if (blocking.length) {
        throw new RunFailure('VALIDATION', `${t.doctype.name}: ${blocking.length} problem${blocking.length === 1 ? '' : 's'}: ${blocking.map((i) => i.message).join('; ')}`, blocking);
      }
      // User Permissions judge the document as it will be stored (its Link values, `frappe/permissions.py`).
      checkWrittenUserPermissions(ctx, t.doctype, t.children, doc);
      // Private keys (`__islocal`, `__newname`...) are never stored; empty numbers are stored as 0 (get_valid_dict).
      // Password values go to __Auth; the row keeps their mask (a mask in the input means unchanged).
      const masked = maskPasswords(t.doctype, storableDoc(doc, t), plan.stored, t.children);
      let written: DocData;
      if (ctx.options.dry_run === true && isNew && !isSingle(t.doctype) && !treeFields(t.doctype) && !hooks.afterHooks) {
        // A dry run of an insert writes nothing: storage's answer is computed (dry-store.ts), unless a tree places
        // the node among stored ones or a hook after the write may read what was written.
        written = keepVirtualValues(t.doctype, t.children, masked.doc, await wouldInsert(tx, t.doctype, t.children, masked.doc));
      } else {
        // Tree DocTypes: NestedSet's update_nsm (on_update runs on insert, save and submit) under the tree's lock.
        const row = NSM_ACTIONS.has(plan.action) ? await placeNode(tx, t.doctype, masked.doc, isNew) : masked.doc;
        const stored = isSingle(t.doctype)
          ? await writeSingle(tx, t.doctype, row, plan.stored, plan.expectedModified)
          : isNew ? await tx.insert(t.doctype.name, row) : await tx.update(t.doctype.name, row, plan.expectedModified);
        // Virtual values the write gave are not stored but stay on the written document (Frappe's __dict__).
        written = keepVirtualValues(t.doctype, t.children, row, stored);
        if (masked.secrets.length) await storeSecrets(tx, String(written.name), masked.secrets, timestamp, core.secretCipher ?? CLEAR_SECRETS, core.clock());
        // ignore_version: Frappe's `doc.flags.ignore_version` (save_version returns early).
        const saved = written;
        // versions.ts loads on the first save of a DocType that tracks changes (docs/DECISIONS.md).
        await hooks.afterWrite(saved, async () => !ctx.flags.ignore_version && t.doctype.track_changes === 1 && (await import('./versions')).saveVersion(tx, {
          doctype: t.doctype, children: t.children, stored: plan.stored, written: saved, user: ctx.user.name, timestamp: core.stamper.next(timestamp), ids: core.ids, format: core.formatSettings ?? {},
        }));
      }
      // Virtual fields of the output, inside the transaction: one that fails fails the write and keeps nothing
      // (Frappe's response, `doc.as_dict()`, is built before the request commits).
      const [shown] = await withVirtualFields({ ...ctx, core: coreInSession(core, tx) }, t.doctype, [written]);
      if (ctx.options.dry_run === true) throw new DryRunRollback(shown!);
      return shown!;
    }, { abortOnError: true }); // any storage error fails the run: no savepoint per write
  } catch (e) {
    if (e instanceof DryRunRollback) return e.doc;
    return fromStorage(e);
  }
}

async function writeOutcome(ctx: RunContext, t: Target, written: DocData, action: WriteAction): Promise<OperationOutcome> {
  // `written` has its virtual fields already (persist computes them inside the transaction); what storage
  // returns holds columns only (no private keys): no copy to drop them.
  const data = ctx.flags.ignore_permissions ? written : stripUnreadable(t.doctype, ctx.user, written, t.children);
  return {
    data: [data],
    meta: { doctype: t.doctype.name, name: written.name, action, dry_run: ctx.options.dry_run === true, ...lifecycleMeta(ctx) },
    docname: typeof written.name === 'string' ? written.name : null,
  };
}

/**
 * The guardian's input checks shared by create and update: unknown keys and Frappe's row bookkeeping
 * (input.ts), shape, read-only fields (engine option `readOnlyInput`), permlevels.
 * @returns the input as the write uses it
 */
export function checkInput(ctx: RunContext, t: Target, base: DocData, delta: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const accepted = acceptInput(t.doctype, t.children, delta, ctx.core.unknownKeys);
  if ('ok' in accepted) return enforceNever(accepted);
  ctx.notes.warnings.push(...accepted.warnings);
  const values = accepted.values;
  enforce(checkInputShape(t.doctype, t.children, values));
  if (ctx.core.readOnlyInput === 'refuse') enforce(checkReadOnlyInput(t.doctype, t.children, base, values));
  permit(ctx, checkPermlevelWrite(t.doctype, t.children, ctx.user, base, values));
  return values;
}

/** Insert a new document from values (create, and the create half of upsert / draft saves). */
export async function insertNew(ctx: RunContext, t: Target, values: Readonly<Record<string, unknown>>): Promise<OperationOutcome> {
  const docstatus = Number(values.docstatus ?? 0);
  const transition = docstatusTransition(null, docstatus, t.doctype.is_submittable === 1);
  permit(ctx, checkRights(t.doctype, ctx.user, ['create']));
  if (!transition.ok) return enforceNever(transition);
  permit(ctx, checkRights(t.doctype, ctx.user, rightsFor(transition.action, true)));
  const defaults = newDocument(ctx, t, {});
  const accepted = checkInput(ctx, t, defaults, values);
  const built = newDocument(ctx, t, accepted, await bootDocsFor(t.doctype, t.children, accepted, ctx.core.adapter));
  // in_import: Frappe's `_set_defaults` returns early.
  const doc = fillInsertTimes(
    ctx.flags.in_import ? withoutDefaults(t.doctype, t.children, built, accepted) : built,
    t.doctype, t.children, ctx.core.clock(), ctx.core.timeZone,
  );
  // The throw-away `new-...` name of a new document is not a name the caller chose (Frappe clears it with
  // set_local_name): without this, a Prompt DocType would be saved under it instead of "Please set the document name".
  if (accepted.name === undefined || accepted.name === null || accepted.name === '') delete doc.name;
  const written = await persist(ctx, t, { action: transition.action, doc, stored: undefined, expectedModified: null, validate: true });
  return writeOutcome(ctx, t, written, transition.action);
}

function enforceNever(v: Parameters<typeof enforce>[0]): never {
  enforce(v);
  throw new RunFailure('INTERNAL', 'unreachable');
}

/**
 * Save a change to a stored document: `update` (0→0, 1→1 after submit), `submit` (0→1), `cancel` (1→2).
 * The action follows from the stored and the incoming docstatus, exactly as Frappe's
 * `check_docstatus_transition`.
 */
export async function saveExisting(
  ctx: RunContext, t: Target, name: string, delta: Readonly<Record<string, unknown>>, nextDocstatus: number | undefined,
  expected: string | null | undefined, require?: WriteAction,
): Promise<OperationOutcome> {
  const stored = isSingle(t.doctype) ? await loadSingle(ctx, ctx.core.adapter, t.doctype) : await loadStored(ctx.core.adapter, t.doctype, name);
  const previous = Number(stored.docstatus ?? 0);
  const next = nextDocstatus ?? (delta.docstatus === undefined ? previous : Number(delta.docstatus));
  const transition = docstatusTransition(previous, next, t.doctype.is_submittable === 1);
  // Permissions come before docstatus (fail fast in the guardian's order).
  // Role rights, else the document's shares; then User Permissions unless a share granted it (shares.ts).
  await checkDocAccess(ctx, t.doctype, transition.ok ? rightsFor(transition.action, false) : ['write'], stored);
  if (!transition.ok) return enforceNever(transition);
  // Frappe's submit() sets docstatus 1 and saves: on a submitted document that is an update after submit.
  const allowed = require === 'submit' && transition.action === 'update_after_submit';
  if (require && transition.action !== require && !allowed) {
    enforce(refuse('DOCSTATUS_TRANSITION', `Cannot ${require} ${t.doctype.name} ${name}: its docstatus is ${previous}`));
  }
  const values: Record<string, unknown> = { ...delta };
  delete values.docstatus;
  delete values.modified;
  if (isSingle(t.doctype)) delete values.name;
  const accepted = checkInput(ctx, t, stored, values);
  const merged = mergeDelta(stored, accepted, tableNames(t.doctype));
  merged.docstatus = next;
  // in_import: Frappe's `_validate_constants` returns early.
  if (!ctx.flags.in_import) enforce(checkSetOnce(t.doctype, stored, merged));
  const expectedModified = expected ?? (typeof delta.modified === 'string' ? delta.modified : (stored.modified as string | null) ?? null);
  const written = await persist(ctx, t, {
    action: transition.action, doc: merged, stored, expectedModified, validate: transition.action !== 'cancel',
  });
  return writeOutcome(ctx, t, written, transition.action);
}

/** Documents that link to `name` and block its delete (docstatus < 2) or cancel (docstatus 1), `frappe/model/document.py`, `frappe/model/delete_doc.py`. */
async function backLinks(core: EngineCore, doctype: string, name: string, method: 'Delete' | 'Cancel'): Promise<string[]> {
  const found: string[] = [];
  const blocks = (docstatus: unknown) => (method === 'Delete' ? Number(docstatus ?? 0) < 2 : Number(docstatus ?? 0) === 1);
  for (const dt of core.registry.list()) {
    for (const df of dt.fields) {
      let where: Record<string, string> | undefined;
      if (df.fieldtype === 'Link' && df.options === doctype) where = { [df.fieldname]: name };
      else if (df.fieldtype === 'Dynamic Link' && dt.fields.some((f) => f.fieldname === df.options)) where = { [df.fieldname]: name, [df.options]: doctype };
      if (!where) continue;
      let rows: readonly DocData[];
      try {
        rows = await core.adapter.query(dt.name, { where });
      } catch {
        continue; // a DocType the storage does not hold cannot link to anything
      }
      for (const row of rows) {
        const owner = dt.istable === 1 ? { doctype: String(row.parenttype ?? ''), name: String(row.parent ?? '') } : { doctype: dt.name, name: String(row.name) };
        if (owner.doctype === doctype && owner.name === name) continue; // self-links never block
        if (blocks(row.docstatus)) found.push(`${owner.doctype} ${owner.name}`);
      }
    }
  }
  return [...new Set(found)];
}

/** `create`: insert a new document (or save a create edit). */
export async function createOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  // Frappe names a Single after its DocType whatever the input says (`set_new_name`).
  if (isSingle(t.doctype)) return insertNew(ctx, t, withoutName(ctx.data));
  return insertNew(ctx, t, ctx.data);
}

function withoutName(data: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const out = { ...data };
  delete out.name;
  return out;
}

/** `update`: save a change to a stored document (0→0, 0→1 or 1→1 / 1→2 when the input changes docstatus). */
export async function updateOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  return saveExisting(ctx, t, docName(ctx, ctx.data), ctx.data, undefined, undefined);
}

/** `upsert`: update when `input.data.name` is stored, create otherwise. */
export async function upsertOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  const name = ctx.data.name;
  // A Single always exists (`frappe.db.exists`): upsert saves it.
  if (isSingle(t.doctype)) return saveExisting(ctx, t, t.doctype.name, ctx.data, undefined, undefined);
  if (typeof name === 'string' && name && (await ctx.core.adapter.exists(t.doctype.name, name))) {
    return saveExisting(ctx, t, name, ctx.data, undefined, undefined);
  }
  return insertNew(ctx, t, ctx.data);
}

/** `submit`: docstatus 0→1 (with write + submit), the input's other values saved with it. */
export async function submitOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  return saveExisting(ctx, t, docName(ctx, ctx.data), ctx.data, 1, undefined, 'submit');
}

/** `cancel`: docstatus 1→2 (with write + cancel), no validation or link checks; refused while submitted documents link here. */
export async function cancelOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  const name = docName(ctx, ctx.data);
  const extra = Object.keys(ctx.data).filter((k) => k !== 'name' && k !== 'modified' && k !== 'docstatus' && k !== 'doctype');
  if (extra.length) throw new RunFailure('INVALID_RUN', `cancel changes nothing but docstatus; remove ${extra.join(', ')} from input.data`);
  const stored = await loadStored(ctx.core.adapter, t.doctype, name);
  if (Number(stored.docstatus ?? 0) === 1) {
    const links = await backLinks(ctx.core, t.doctype.name, name, 'Cancel');
    await enforceRights(ctx, t, ['write', 'cancel'], stored);
    // ignore_links: Frappe's `check_no_back_links_exist` is skipped. Otherwise it raises delete_doc's message
    // (raise_link_exists_exception) for the first one.
    if (links.length && !ctx.flags.ignore_links) throw new RunFailure('LINK_EXISTS', `Cannot delete or cancel because ${t.doctype.name} ${name} is linked with ${links[0]}`);
  }
  return saveExisting(ctx, t, name, { name }, 2, typeof ctx.data.modified === 'string' ? ctx.data.modified : undefined, 'cancel');
}

export function enforceRights(ctx: RunContext, t: Target, rights: Parameters<typeof checkRights>[2], doc: DocData): Promise<void> {
  return checkDocAccess(ctx, t.doctype, rights, doc);
}

/** `amend`: a new draft copied from a cancelled document, named `<name>-1` (or the next `-n`), with `amended_from`. */
export async function amendOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  const name = docName(ctx, ctx.data);
  const stored = await loadStored(ctx.core.adapter, t.doctype, name);
  await enforceRights(ctx, t, ['create', 'amend'], stored);
  if (Number(stored.docstatus ?? 0) !== 2) {
    throw new RunFailure('DOCSTATUS_TRANSITION', `${t.doctype.name} ${name} cannot be amended because it is not cancelled`);
  }
  if (!t.doctype.fields.some((df) => df.fieldname === 'amended_from')) {
    throw new RunFailure('INVALID_RUN', `${t.doctype.name} has no amended_from field, so it cannot be amended`);
  }
  const copy = publicData(copyDoc(stored, t.doctype, { ...docOptions(ctx), amend: true }).data);
  const extra: Record<string, unknown> = { ...ctx.data };
  delete extra.name;
  delete extra.docstatus;
  delete extra.modified;
  const doc = fillInsertTimes(mergeDelta(copy, checkInput(ctx, t, copy, extra), tableNames(t.doctype)), t.doctype, t.children, ctx.core.clock(), ctx.core.timeZone);
  const written = await persist(ctx, t, { action: 'amend', doc, stored: undefined, expectedModified: null, validate: true });
  return writeOutcome(ctx, t, written, 'amend');
}

/**
 * `delete_doc` gives a series number back when the deleted document held the last one
 * (`revert_series_if_last`, frappe/model/delete_doc.py): for `naming_series:` the document's series, for any
 * other autoname but Prompt / field / hash / autoincrement the autoname itself.
 */
async function revertSeries(ctx: RunContext, dt: DocType, stored: DocData, tx: StorageSession): Promise<void> {
  const autoname = dt.autoname ?? '';
  let key: string | undefined;
  if (autoname.startsWith('naming_series:')) key = typeof stored.naming_series === 'string' && stored.naming_series ? stored.naming_series : undefined;
  else if (autoname && !['Prompt', 'field', 'hash', 'autoincrement'].includes(autoname.split(':', 1)[0]!)) key = autoname;
  if (key) await revertSeriesIfLast(key, String(stored.name), { counters: tx.counters, clock: ctx.core.clock, timeZone: ctx.core.timeZone }, stored);
}

/** `delete`: needs delete; refused for submitted documents and while other documents link here (`frappe/model/delete_doc.py`). */
export async function deleteOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  const name = docName(ctx, ctx.data);
  const stored = isSingle(t.doctype) ? await loadSingle(ctx, ctx.core.adapter, t.doctype) : await loadStored(ctx.core.adapter, t.doctype, name);
  await enforceRights(ctx, t, ['delete'], stored);
  if (Number(stored.docstatus ?? 0) === 1) {
    throw new RunFailure('SUBMITTED_DOCUMENT', `${t.doctype.name} ${name}: Submitted Record cannot be deleted. You must Cancel it first.`);
  }
  // One transaction: on_trash / on_change, the link check (after them: on_trash may remove what links here),
  // the series given back, the delete, after_delete (delete_doc.py); any failure keeps the document.
  try {
    await ctx.core.adapter.transaction(async (tx) => {
      const hooks = openLifecycle(ctx, t, tx, { action: 'delete', stored });
      await hooks.trash(stored);
      await removeNode(tx, t.doctype, name);
      const links = await backLinks(coreInSession(ctx.core, tx), t.doctype.name, name, 'Delete');
      // Frappe's check_if_doc_is_linked raises at the first linking document it finds, and names that one.
      if (links.length) throw new RunFailure('LINK_EXISTS', `Cannot delete or cancel because ${t.doctype.name} ${name} is linked with ${links[0]}`);
      await revertSeries(ctx, t.doctype, stored, tx);
      // A never-saved Single has nothing stored: delete_doc of it runs the hooks and removes nothing.
      if (!isUnsavedSingle(stored)) await tx.delete(t.doctype.name, name);
      await removeSecrets(tx, t.doctype, stored, t.children);
      await hooks.deleted(stored);
      if (ctx.options.dry_run === true) throw new DryRunRollback(stored);
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) fromStorage(e);
  }
  return { data: [visible(ctx, t, stored)], meta: { doctype: t.doctype.name, name, action: 'delete', dry_run: ctx.options.dry_run === true, ...lifecycleMeta(ctx) }, docname: name };
}
