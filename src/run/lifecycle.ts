/**
 * Controllers: Frappe's document lifecycle hooks (`validate`, `on_submit`, ...) written in TypeScript, run by
 * the write operations in Frappe's order, inside the run's storage transaction.
 *
 * Frappe runs, per action (`frappe/model/document.py` `insert`, `save`, `run_before_save_methods`,
 * `run_post_save_methods`; `frappe/model/naming.py` `set_new_name`; `frappe/model/delete_doc.py`):
 * - insert: `before_insert`, `before_naming`, `autoname`, `before_validate`, `validate`, `before_save` (or
 *   `before_submit` when inserted submitted), the write, `after_insert`, `on_update` (`on_submit`), `on_change`;
 * - save / submit: `before_validate`, `validate`, `before_save` / `before_submit`, the write, `on_update`
 *   (`on_submit`), `on_change`;
 * - cancel: `before_cancel`, the write, `on_cancel`, `on_change`;
 * - update after submit: `before_update_after_submit`, the write, `on_update_after_submit`, `on_change`;
 * - delete: `on_trash`, `on_change`, the link check, the delete, `after_delete`.
 *
 * For each hook, the DocType's controllers run first, then the `'*'` controllers, each list in registration
 * order (Frappe: the controller class, then `doc_events` of the DocType, then of `*`). The hooks before the
 * write share one mutable document (`ctx.doc`); what they leave is what tiers 2 and 3 validate and what is
 * written. Hooks after the write see the written document; changing `ctx.doc` there changes nothing stored
 * (as in Frappe, where `on_update` must `db_set` or save again): write through `ctx.run`.
 *
 * When no controller applies to a DocType, every function here is the identity: a run behaves exactly as it
 * does without controllers.
 *
 * @module
 */
import type { User } from '../env';
import { makeIssue, type Issue } from '../issues';
import type { NamingContext } from '../naming/context';
import type { HookAction } from '../rules/types';
import type { DocType } from '../schema/types';
import type { StorageAdapter, StorageSession } from '../storage/types';
import type { DocData } from '../doc/types';
import { isTemporaryName } from '../doc/names';
import { RunFailure } from './codes';
import type { EngineCore, RunContext } from './core';
import { cloneData, type Draft } from './data';
import { hookDb, type HookDb } from './lifecycle-db';
import { linkReads } from './links';
import { singleDefaults } from './singles';
import { changedPaths, sameValue } from './lifecycle-diff';
import { coerceDoc, markCoerced } from './tiers/fieldtypes';
import { applyLinks, linkReferences, lookupGrouped } from './tiers/rules';
import { applySystemFields, type SystemTierContext } from './tiers/system';
import type { RunRecord, RunRequest, SystemFieldRule, WriteAction } from './types';
import { updateWhere } from '../storage/update-where';

export type { HookAction } from '../rules/types';
export type { HookDb, HookFilters, HookListArgs } from './lifecycle-db';
export { changedPaths } from './lifecycle-diff';

/** Every hook a controller may define, named exactly as Frappe's controller methods and `doc_events`. */
export const HOOK_NAMES = Object.freeze([
  'before_insert', 'before_naming', 'autoname', 'before_validate', 'validate', 'before_save', 'before_submit',
  'before_cancel', 'before_update_after_submit', 'after_insert', 'on_update', 'on_submit', 'on_cancel',
  'on_update_after_submit', 'on_change', 'on_trash', 'after_delete',
  'before_rename', 'after_rename',
] as const);

/** A hook name. */
export type HookName = (typeof HOOK_NAMES)[number];

/** A document as hooks see it: plain, assignable values; Table fields hold arrays of plain row objects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HookDoc = Record<string, any>;

/** Where `ctx.throw` / `ctx.warn` attach their issue. */
export interface HookIssueOptions {
  /** The fieldname (of the document, or of the row when `row` is given). */
  readonly field?: string;
  /** A child row's 1-based `idx`. */
  readonly row?: number;
  /** The row's Table fieldname (with `row`). */
  readonly table?: string;
  /** Frappe's exception name, as `frappe.throw(msg, exc=...)`. @default 'ValidationError' */
  readonly exc?: string;
}

/** The arguments of `before_rename` / `after_rename` (Frappe's `olddn, newdn, merge`). */
export interface RenameArgs {
  readonly old: string;
  /** The new name; `before_rename` may change it (Frappe: the name it returns). */
  new: string;
  readonly merge: boolean;
}

/** What every hook receives (the Contract of controllers: keep these names). */
export interface HookContext<D extends HookDoc = HookDoc> {
  /** The document: assign fields and rows freely before the write (Frappe's `self`). Replacing it works too. */
  doc: D;
  /** The stored version before this write (`self.get_doc_before_save()`), frozen; `null` on insert. */
  readonly doc_before_save: DocData | null;
  /** Frappe's `doc._action` (`insert` for a draft insert; `submit` for an insert that submits). */
  readonly action: HookAction;
  /** The hook running. */
  readonly hook: HookName;
  /** True while the document is being inserted (`self.is_new()` before the write; `after_insert` too). */
  readonly is_new: boolean;
  /** The human the run is for. */
  readonly user: User;
  /** The AI agent acting for `user`, if any. */
  readonly agent: string | null;
  /** The DocType name (`self.doctype`). */
  readonly doctype: string;
  /** The DocType itself (`self.meta`). */
  readonly meta: DocType;
  /** The name of the run this hook runs in. */
  readonly run_name: string;
  /** Reads inside the run's transaction. */
  readonly db: HookDb;
  /** In `before_rename` / `after_rename` only: the old and new names and whether it is a merge. */
  readonly rename?: RenameArgs;
  /**
   * Append a row to a Table field (`self.append(table, values)`): `parentfield`, `parenttype`, `idx` and
   * `docstatus` are set, the name is drawn at the write. @returns the row (assignable)
   */
  append(table: string, values?: Readonly<Record<string, unknown>>): HookDoc;
  /** `frappe.throw`: stop; the run fails with `VALIDATION` and this message as an issue. */
  throw(message: string, options?: HookIssueOptions): never;
  /** `frappe.msgprint`: a non-blocking warning, reported in the run's `output.meta.warnings`. */
  warn(message: string, options?: Omit<HookIssueOptions, 'exc'>): void;
  /**
   * A child run in the same transaction (linked both ways, same user, agent and flow). Resolves to its
   * record; a failed child run throws its failure, so the whole run fails and rolls back.
   */
  run(request: RunRequest): Promise<RunRecord>;
}

/** A hook: may change `ctx.doc` (before the write), read `ctx.db`, start child runs, throw. */
export type Hook<D extends HookDoc = HookDoc> = (ctx: HookContext<D>) => void | Promise<void>;

/** A controller: any of Frappe's hooks, plus an optional `name` shown in traces and errors. */
export type Controller<D extends HookDoc = HookDoc> = { readonly [K in HookName]?: Hook<D> } & { readonly name?: string };

/** Controllers per DocType name, and `'*'` for every (non-child) DocType. Several per DocType run in order. */
export type Controllers = Readonly<Record<string, Controller | readonly Controller[]>>;

/** One hook call as the run reports it in `output.meta.hooks`. */
export interface HookTrace {
  readonly doctype: string;
  readonly hook: HookName;
  /** The controller's `name`, or `<DocType>#<n>` / `*#<n>` (1-based registration position). */
  readonly controller: string;
  /** What the hook changed on `ctx.doc`: `total`, `items[2].amount`, `items: 2 -> 3 rows`. */
  readonly changed: readonly string[];
}

/** A finding about the configuration, reported once by `createEngine` (`engine.diagnostics`). */
export interface EngineDiagnostic {
  /** `NAMING_BY_SCRIPT`: a DocType Frappe names in its controller has no `autoname` hook (names will be hashes). */
  readonly code: 'NAMING_BY_SCRIPT';
  readonly severity: 'warning';
  readonly doctype: string;
  readonly message: string;
}

/** An adapter view of a transaction, so a child run's every read and write stays inside it (hooks' and `ctx.transaction`'s). */
export function sessionAdapter(base: StorageAdapter, session: StorageSession): StorageAdapter {
  return {
    name: base.name, capabilities: base.capabilities, prepare: (d) => base.prepare(d),
    get: (d, n, o) => session.get(d, n, o), query: (d, q) => session.query(d, q), count: (d, w) => session.count(d, w),
    exists: (d, n) => session.exists(d, n), insert: (d, doc) => session.insert(d, doc),
    update: (d, doc, m) => session.update(d, doc, m), delete: (d, n) => session.delete(d, n),
    transaction: (fn, options) => session.transaction(fn, options), counters: session.counters,
    updateWhere: (d, w, v) => updateWhere(session, d, w, v),
  };
}

/**
 * The core a child run started by a hook uses: the same configuration over the parent's transaction.
 * @param core - the engine's core
 * @param session - the parent run's transaction, if the run is a hook's child run
 * @returns `core` itself, or a copy reading and writing through `session`
 */
export function coreInSession(core: EngineCore, session: StorageSession | undefined): EngineCore {
  return session ? { ...core, adapter: sessionAdapter(core.adapter, session) } : core;
}

// ---------------------------------------------------------------------------------------------------------
// One write's lifecycle

/** What the run reports about its hooks (`output.meta.hooks`, `output.meta.warnings`). */
interface Report {
  readonly hooks: HookTrace[];
  readonly warnings: Issue[];
}

const reports = new WeakMap<RunContext, Report>();

/**
 * The hook trace and warnings of a run, for its output meta (empty when no hook ran).
 * @param ctx - the run
 * @returns `{ hooks, warnings? }` or `{}`
 */
export function lifecycleMeta(ctx: RunContext): Record<string, unknown> {
  const r = reports.get(ctx);
  if (!r || (!r.hooks.length && !r.warnings.length)) return {};
  return { hooks: r.hooks, ...(r.warnings.length ? { warnings: r.warnings } : {}) };
}

/** The hook sequence of one write, called by the write operations at fixed points. */
export interface Lifecycle {
  /** Whether any controller applies (otherwise every step is the identity). */
  readonly active: boolean;
  /** Before tier 1: values coerced, links fetched (`_validate_links`), then `before_insert`, `before_naming` on insert. */
  prepare(doc: DocData): Promise<Draft>;
  /** For the naming context: the `autoname` hook (`undefined` when none is registered). */
  readonly customAutoname: NamingContext['customAutoname'];
  /**
   * After tier 1: `before_validate`, `validate`, `before_save` / `before_submit` (or `before_cancel`,
   * `before_update_after_submit`); rows the hooks added get their system fields. Tier-1 issues of those
   * rows are appended to `issues`.
   */
  beforeWrite(doc: DocData, tier1: SystemTierContext, issues: Issue[]): Promise<DocData>;
  /**
   * After the write, in the transaction: `after_insert`, `on_update` / `on_submit` / `on_cancel` / ..., then
   * `beforeChange` (the Version of `track_changes`, `run_post_save_methods`), then `on_change`.
   */
  afterWrite(written: DocData, beforeChange?: () => Promise<unknown>): Promise<void>;
  /** Whether a hook runs after the write (`after_insert`, `on_update`..., `on_change`): it may read what was written. */
  readonly afterHooks: boolean;
  /** Delete, before the link check: `on_trash`, `on_change`. */
  trash(stored: DocData): Promise<void>;
  /** Delete, after the row is gone: `after_delete`. */
  deleted(stored: DocData): Promise<void>;
  /**
   * A draft preview (`draftHooks`): values coerced, links fetched, then `before_validate` and `validate`. A
   * `ctx.throw` stops them and becomes an issue; the document is what the hooks had done until then.
   */
  preview(doc: DocData): Promise<{ readonly doc: Draft; readonly issues: readonly Issue[] }>;
  /** `rename`: `before_rename` (on the stored document, before the checks) or `after_rename` (on the renamed one). @returns the arguments as the hooks left them */
  rename(hook: 'before_rename' | 'after_rename', doc: DocData, args: RenameArgs): Promise<RenameArgs>;
}

/** The hooks before the write, by Frappe's `_action` (`run_before_save_methods`). */
const BEFORE: Readonly<Record<HookAction, readonly HookName[]>> = {
  insert: ['before_validate', 'validate', 'before_save'],
  save: ['before_validate', 'validate', 'before_save'],
  submit: ['before_validate', 'validate', 'before_submit'],
  cancel: ['before_cancel'],
  update_after_submit: ['before_update_after_submit'],
  delete: [],
};

/** The hooks after the write (`run_post_save_methods`, without `on_change`, which always runs last). */
const AFTER: Readonly<Record<HookAction, readonly HookName[]>> = {
  insert: ['on_update'],
  save: ['on_update'],
  submit: ['on_update', 'on_submit'],
  cancel: ['on_cancel'],
  update_after_submit: ['on_update_after_submit'],
  delete: [],
};

/**
 * The action hooks see for a write action of the run layer.
 * @param action - the write action
 * @returns Frappe's `_action` (an insert of a draft is `insert`)
 */
export function docAction(action: WriteAction | 'delete'): HookAction {
  switch (action) {
    case 'create': case 'amend': return 'insert';
    case 'update': return 'save';
    default: return action;
  }
}

interface Target {
  readonly doctype: DocType;
  readonly children: Readonly<Record<string, DocType>>;
}

const IDENTITY: Lifecycle = Object.freeze({
  active: false,
  prepare: async (doc: DocData) => doc as Draft,
  customAutoname: undefined,
  beforeWrite: async (doc: DocData) => doc,
  afterWrite: async (_written: DocData, beforeChange?: () => Promise<unknown>) => {
    await beforeChange?.();
  },
  afterHooks: false,
  trash: async () => {},
  deleted: async () => {},
  preview: async (doc: DocData) => ({ doc: doc as Draft, issues: [] }),
  rename: async (_hook: string, _doc: DocData, args: RenameArgs) => args,
});

/**
 * The lifecycle of one write (or delete) of `target` in `session`.
 * @param ctx - the run
 * @param t - the DocType and its child DocTypes
 * @param session - the write's transaction
 * @param write - the write action and the stored document (`undefined` on insert)
 * @returns the lifecycle (the identity when no controller applies)
 */
export function openLifecycle(
  ctx: RunContext, t: Target, session: StorageSession, write: { readonly action: WriteAction | 'delete'; readonly stored: DocData | undefined },
): Lifecycle {
  const { core } = ctx;
  const set = core.controllers;
  if (!set?.has(t.doctype.name)) return IDENTITY;
  const isNew = write.stored === undefined;
  const action = docAction(write.action);
  const dt = t.doctype;
  let report = reports.get(ctx);
  if (!report) reports.set(ctx, (report = { hooks: [], warnings: [] }));
  const stored = write.stored ? Object.freeze(cloneData(write.stored)) : null;
  /** Values the autoname hook set besides the name, applied before the next hooks. */
  let afterNaming: Record<string, unknown> = {};
  let dirty = false;

  const call = async (hook: HookName, input: Draft, rename?: RenameArgs): Promise<Draft> => {
    let doc = input;
    for (const h of set.hooksFor(dt.name, hook)) {
      const before = cloneData(doc);
      const hctx = hookContext(ctx, t, session, report!, { hook, action, isNew, stored, doc, rename });
      try {
        await h.fn(hctx);
      } catch (e) {
        throw hookFailure(e, dt.name, hook, h.source);
      }
      if (typeof hctx.doc !== 'object' || hctx.doc === null || Array.isArray(hctx.doc)) {
        throw new RunFailure('CONTROLLER_ERROR', `${dt.name} controller ${h.source}: ${hook} set ctx.doc to something that is not a document`);
      }
      doc = hctx.doc as Draft;
      const changed = changedPaths(before, doc);
      if (changed.length) dirty = true;
      report!.hooks.push(Object.freeze({ doctype: dt.name, hook, controller: h.source, changed: Object.freeze(changed) }));
    }
    return doc;
  };

  // In the engine's time zone, as tier 2 coerces (a Date or an offset read the same with or without hooks).
  const coerce = (doc: DocData) => coerceDoc(doc, { doctype: dt, children: t.children, handlers: core.handlers, timeZone: core.timeZone });
  const afterHooks = (isNew && set.hooksFor(dt.name, 'after_insert').length > 0)
    || AFTER[action].some((h) => set.hooksFor(dt.name, h).length > 0) || set.hooksFor(dt.name, 'on_change').length > 0;

  return {
    active: true,

    async prepare(input) {
      // One copy: fetchLinks hands back a copy of its own.
      const coerced = coerce(input);
      let doc = action !== 'cancel' ? await fetchLinks(ctx, t, session, coerced, isNew) : cloneData(coerced);
      if (!isNew) return doc;
      doc = await call('before_insert', doc);
      return call('before_naming', doc);
    },

    customAutoname: set.hooksFor(dt.name, 'autoname').length
      ? async (namingDt, namingDoc) => {
        if (namingDt.name !== dt.name) return undefined; // child rows are named by their own rules
        const doc = cloneData(namingDoc) as Draft;
        // naming.set_new_name clears any incoming name first, except for Prompt.
        if ((dt.autoname ?? '').toLowerCase() !== 'prompt') doc.name = null;
        const named = await call('autoname', doc);
        const { name, ...rest } = named;
        afterNaming = Object.fromEntries(Object.entries(rest).filter(([k, v]) => !sameValue(v, namingDoc[k])));
        return typeof name === 'number' || (typeof name === 'string' && name) ? name : undefined;
      }
      : undefined,

    async beforeWrite(input, tier1, issues) {
      // `input` is tier 1's document, built from prepare's copy: the run's own, nothing else holds it.
      let doc = coerce({ ...input, ...afterNaming });
      dirty = Object.keys(afterNaming).length > 0;
      for (const hook of BEFORE[action]) doc = await call(hook, doc);
      if (Number(doc.docstatus ?? 0) !== Number(input.docstatus ?? 0)) {
        throw new RunFailure('CONTROLLER_ERROR', `${dt.name}: a controller changed docstatus during ${action}; submit, cancel and amend are runs of their own`);
      }
      if (!isNew && doc.name !== input.name) {
        throw new RunFailure('CONTROLLER_ERROR', `${dt.name}: a controller changed the name of ${String(input.name)}; renaming is not part of a save`);
      }
      // Unchanged by the hooks: tier 2 need not coerce it again.
      if (!dirty) return markCoerced(doc);
      // Rows added or changed by the hooks get parent, idx, names... as tier 1 gives every row.
      const settled = await applySystemFields(doc, { ...tier1, rules: settleRules(tier1.rules) });
      const seen = new Set(issues.map(issueKey));
      for (const issue of settled.issues) if (!seen.has(issueKey(issue))) issues.push(issue);
      return settled.doc;
    },

    afterHooks,

    async afterWrite(written, beforeChange) {
      // No hook after the write: nothing to copy the written document for.
      if (!afterHooks) {
        await beforeChange?.();
        return;
      }
      let doc = cloneData(written) as Draft;
      if (isNew) doc = await call('after_insert', doc);
      for (const hook of AFTER[action]) doc = await call(hook, doc);
      await beforeChange?.();
      await call('on_change', doc);
    },

    async trash(doc) {
      const copy = await call('on_trash', cloneData(doc) as Draft);
      await call('on_change', copy);
    },

    async deleted(doc) {
      await call('after_delete', cloneData(doc) as Draft);
    },

    async preview(input) {
      const doc = await fetchLinks(ctx, t, session, coerce(input), isNew);
      // Hooks change this one object in place, so what they did before a ctx.throw is kept.
      const state = { doc };
      try {
        for (const hook of ['before_validate', 'validate'] as const) state.doc = await call(hook, state.doc);
      } catch (e) {
        if (e instanceof RunFailure && e.code === 'VALIDATION') return { doc: state.doc, issues: e.issues };
        throw e;
      }
      return { doc: state.doc, issues: [] };
    },

    async rename(hook, doc, args) {
      const state: RenameArgs = { ...args };
      await call(hook, cloneData(doc) as Draft, state);
      return state;
    },
  };
}

/** Carries a preview's document out of the transaction that is rolled back on purpose. */
class PreviewRollback {
  constructor(readonly doc: DocData, readonly issues: readonly Issue[]) {}
}

/**
 * A draft step with controllers (engine option `draftHooks`): `before_validate` and `validate` run on the
 * merged document in a transaction that is always rolled back, so the preview shows what they compute (totals,
 * fetched names...) and nothing they write is kept. A `ctx.throw` becomes the draft's issue; any other failure
 * fails the draft run.
 * @param ctx - the draft run
 * @param t - the DocType and its child DocTypes
 * @param doc - the merged document (not changed)
 * @param stored - the stored document, for an edit of a saved one
 * @returns the document the hooks left, whether they ran, and the issues they raised
 */
export async function previewHooks(
  ctx: RunContext, t: Target, doc: DocData, stored: DocData | undefined,
): Promise<{ readonly doc: DocData; readonly hooked: boolean; readonly issues: readonly Issue[] }> {
  if (!ctx.core.draftHooks || !ctx.core.controllers?.has(t.doctype.name)) return { doc, hooked: false, issues: [] };
  try {
    await ctx.core.adapter.transaction(async (tx) => {
      const lifecycle = openLifecycle(ctx, t, tx, { action: stored ? 'update' : 'create', stored });
      const previewed = await lifecycle.preview(doc);
      throw new PreviewRollback(previewed.doc, previewed.issues);
    });
  } catch (e) {
    if (e instanceof PreviewRollback) return { doc: e.doc, hooked: true, issues: e.issues };
    throw e;
  }
  return { doc, hooked: false, issues: [] };
}

interface CallState {
  readonly hook: HookName;
  readonly action: HookAction;
  readonly isNew: boolean;
  readonly stored: DocData | null;
  readonly doc: Draft;
  readonly rename?: RenameArgs | undefined;
}

function hookContext(ctx: RunContext, t: Target, session: StorageSession, report: Report, s: CallState): HookContext {
  const dt = t.doctype;
  const issueOf = (message: string, o: HookIssueOptions = {}) => {
    const row = o.row !== undefined ? { row: o.row, table: o.table } : {};
    const rowDt = o.table !== undefined ? t.children[o.table]?.name ?? dt.name : dt.name;
    return { message, details: { doctype: rowDt, field: o.field, ...row } };
  };
  const hctx: HookContext = {
    doc: s.doc,
    doc_before_save: s.stored,
    action: s.action,
    hook: s.hook,
    is_new: s.isNew,
    user: ctx.user,
    agent: ctx.agent,
    doctype: dt.name,
    meta: dt,
    run_name: ctx.runName,
    db: hookDb(session, { getDoctype: (n) => ctx.core.registry.tryGet(n), singleDefaults: (d) => singleDefaults(ctx, d) }),
    ...(s.rename ? { rename: s.rename } : {}),
    append(table, values = {}) {
      if (!t.children[table]) throw new Error(`${dt.name} has no Table field "${table}"`);
      const current = hctx.doc;
      if (!Array.isArray(current[table])) current[table] = [];
      const rows = current[table] as HookDoc[];
      const row: HookDoc = { ...cloneData(values), parentfield: table, parenttype: dt.name, idx: rows.length + 1, docstatus: current.docstatus ?? 0 };
      rows.push(row);
      return row;
    },
    throw(message, options = {}) {
      const { details } = issueOf(message, options);
      const issue = Object.freeze({ ...makeIssue('VALIDATION', message, details), exc: options.exc ?? 'ValidationError' });
      throw new RunFailure('VALIDATION', message, [issue], { exc: options.exc ?? 'ValidationError' });
    },
    warn(message, options = {}) {
      const { details } = issueOf(message, options);
      report.warnings.push(makeIssue('VALIDATION', message, { ...details, severity: 'warning' }));
    },
    async run(request) {
      const child = await ctx.core.runChild!({
        ...request, parent_run_id: ctx.runName,
        user: request.user ?? ctx.user, agent: request.agent === undefined ? ctx.agent : request.agent,
      }, session);
      if (!child.success) {
        const e = child.error!;
        throw new RunFailure(e.code, `${dt.name} ${s.hook}: child run ${child.operation} ${child.target_doctype ?? ''} failed: ${e.message}`, e.issues, { exc: e.exc });
      }
      return child;
    },
  };
  return hctx;
}

/** Anything a hook throws, as the run failure that names the DocType and the hook (never `INTERNAL`). */
function hookFailure(e: unknown, doctype: string, hook: HookName, source: string): RunFailure {
  if (e instanceof RunFailure) return e;
  const name = e instanceof Error ? e.name : 'Exception';
  const message = e instanceof Error ? e.message : String(e);
  return new RunFailure('CONTROLLER_ERROR', `${doctype} controller ${source}: ${hook} threw ${name}: ${message}`, [], { cause: e, exc: name });
}

/** Frappe's `_validate_links` before the hooks: link values canonical, `fetch_from` targets filled. @returns a deep copy */
async function fetchLinks(ctx: RunContext, t: Target, session: StorageSession, doc: Draft, isNew: boolean): Promise<Draft> {
  const where = { doctype: t.doctype, children: t.children, getDoctype: (n: string) => ctx.core.registry.tryGet(n), isNew };
  const refs = linkReferences(doc, where);
  if (!refs.some((r) => r.fetch.length)) return cloneData(doc);
  // One read per target DocType (links.ts), one after another on the session; a failed read counts as not
  // found, as tier 3 reports it. Tier 3 reuses what this found.
  const reads = linkReads(ctx, session, { lenient: true });
  const found = await lookupGrouped(refs, reads.lookupMany, reads.lookup);
  // Issues are tier 3's to report (after the hooks); here only the values matter.
  return cloneData(applyLinks(doc, refs, found, where).doc);
}

/** Tier-1 rules for rows the hooks touched: the document keeps its name, rows keep theirs unless temporary. */
function settleRules(rules: readonly SystemFieldRule[]): SystemFieldRule[] {
  return rules
    .filter((r) => !(r.field === 'name' && r.applies_to === 'parent'))
    .map((r) => (r.field !== 'name' || !r.generate ? r : {
      ...r,
      generate: (c) => {
        const current = c.row ? c.row.data.name : c.doc.name;
        return typeof current === 'string' && current && !isTemporaryName(current) ? current : r.generate!(c);
      },
    }));
}

function issueKey(i: Issue): string {
  return `${i.code}\u0000${i.field ?? ''}\u0000${i.table ?? ''}\u0000${i.row ?? ''}\u0000${i.message}`;
}

