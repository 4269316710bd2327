/**
 * Tier 1: system fields (`name`, `owner`, `creation`, `modified`, `modified_by`, `docstatus`, `idx`, and the
 * child rows' `parent`, `parenttype`, `parentfield`), as pluggable {@link SystemFieldRule}s
 * (`frappe/model/document.py` (steps 4-5 and 10-11)).
 *
 * For each document level (the parent, then each child row) the rules that apply run by priority: when the
 * action is in `auto_set_on` the generator sets the value; otherwise an empty value is filled by the generator
 * or the default. Then `required_on` and `validate` report issues. Pure apart from `ctx.nameFor`, which draws
 * naming counters from the write's own transaction (so they roll back with it).
 *
 * @module
 */
import { makeIssue, type Issue } from '../../issues';
import { isTemporaryName } from '../../doc/names';
import type { DocType } from '../../schema/types';
import type { DocData } from '../../doc/types';
import { isBlank, rowList, type Draft } from '../data';
import type { SystemFieldContext, SystemFieldRule, WriteAction } from '../types';

const ALL: readonly WriteAction[] = ['create', 'update', 'submit', 'cancel', 'amend', 'update_after_submit'];
const INSERT: readonly WriteAction[] = ['create', 'amend'];

/** The built-in system-field rules, Frappe's `set_user_and_timestamp`, `set_docstatus`, `set_new_name`, `set_parent_in_children`. */
export const SYSTEM_FIELD_RULES: readonly SystemFieldRule[] = Object.freeze([
  {
    field: 'docstatus', applies_to: 'all', priority: 5, auto_set_on: [], default: 0,
    validate: (v) => (v === 0 || v === 1 || v === 2 ? undefined : 'Invalid docstatus'),
  },
  {
    // Rows always carry the parent's docstatus (`set_docstatus`).
    field: 'docstatus', applies_to: 'child', priority: 6, auto_set_on: ALL, generate: (ctx) => ctx.doc.docstatus ?? 0,
  },
  {
    field: 'name', applies_to: 'parent', priority: 10, auto_set_on: INSERT, required_on: ALL,
    generate: async (ctx) => ctx.nameFor(),
  },
  {
    // Rows are renamed on insert (Frappe's `set_child_names`); on save only new rows get a name.
    field: 'name', applies_to: 'child', priority: 10, auto_set_on: ALL, required_on: ALL,
    generate: async (ctx) => {
      const current = ctx.row?.data.name;
      if (!INSERT.includes(ctx.action) && typeof current === 'string' && current && !isTemporaryName(current)) return current;
      return ctx.nameFor();
    },
  },
  { field: 'owner', applies_to: 'parent', priority: 20, auto_set_on: INSERT, generate: (ctx) => ctx.user.name },
  { field: 'owner', applies_to: 'child', priority: 20, auto_set_on: INSERT, generate: (ctx) => ctx.doc.owner ?? ctx.user.name },
  { field: 'creation', applies_to: 'all', priority: 20, auto_set_on: INSERT, generate: (ctx) => ctx.timestamp },
  { field: 'modified', applies_to: 'all', priority: 20, auto_set_on: ALL, generate: (ctx) => ctx.timestamp },
  { field: 'modified_by', applies_to: 'all', priority: 20, auto_set_on: ALL, generate: (ctx) => ctx.user.name },
  { field: 'idx', applies_to: 'parent', priority: 30, auto_set_on: [], default: 0 },
  { field: 'idx', applies_to: 'child', priority: 30, auto_set_on: ALL, generate: (ctx) => (ctx.row?.index ?? 0) + 1 },
  { field: 'parent', applies_to: 'child', priority: 30, auto_set_on: ALL, generate: (ctx) => ctx.doc.name },
  { field: 'parenttype', applies_to: 'child', priority: 30, auto_set_on: ALL, generate: (ctx) => ctx.doctype.name },
  { field: 'parentfield', applies_to: 'child', priority: 30, auto_set_on: ALL, generate: (ctx) => ctx.row?.table },
] satisfies SystemFieldRule[]);

/**
 * The rule set: built-ins, with user rules added; a user rule for the same field and `applies_to` replaces
 * the built-in one. Sorted by priority (stable).
 * @param extra - user rules
 * @returns the rules in the order they run
 */
export function systemFieldRules(extra: readonly SystemFieldRule[] = []): readonly SystemFieldRule[] {
  const replaced = new Set(extra.map((r) => `${r.applies_to}\u0000${r.field}`));
  const base = SYSTEM_FIELD_RULES.filter((r) => !replaced.has(`${r.applies_to}\u0000${r.field}`));
  return [...base, ...extra].sort((a, b) => a.priority - b.priority);
}

/** What tier 1 needs besides the document. */
export interface SystemTierContext {
  readonly action: WriteAction;
  readonly doctype: DocType;
  /** Child DocTypes by Table fieldname. */
  readonly children: Readonly<Record<string, DocType>>;
  readonly stored: DocData | undefined;
  readonly user: SystemFieldContext['user'];
  readonly timestamp: string;
  readonly rules: readonly SystemFieldRule[];
  /** Names a document or row of `doctype` (naming layer, with the transaction's counters). */
  readonly nameFor: (doctype: DocType, data: DocData) => ReturnType<SystemFieldContext['nameFor']>;
}

/**
 * Tier 1: set and check the system fields of a document and its rows.
 * @param doc - the merged document (not modified)
 * @param ctx - see {@link SystemTierContext}
 * @returns the document with system fields set, and the issues (e.g. naming problems)
 */
export async function applySystemFields(doc: DocData, ctx: SystemTierContext): Promise<{ doc: Draft; issues: Issue[] }> {
  const issues: Issue[] = [];
  const out: Draft = { ...doc };
  const parentRules = ctx.rules.filter((r) => r.applies_to !== 'child');
  const childRules = ctx.rules.filter((r) => r.applies_to !== 'parent');

  const runLevel = async (target: Draft, rules: readonly SystemFieldRule[], base: Omit<SystemFieldContext, 'nameFor'>, dt: DocType) => {
    const fieldCtx: SystemFieldContext = {
      ...base,
      nameFor: async () => {
        const r = await ctx.nameFor(dt, target);
        if (r.set) Object.assign(target, r.set);
        return r;
      },
    };
    for (const rule of rules) {
      let value = target[rule.field];
      let generated: unknown;
      const generateNow = ctx.action && rule.auto_set_on.includes(ctx.action) && rule.generate;
      if (generateNow || (isBlank(value) && (rule.generate || rule.default !== undefined))) {
        value = rule.generate ? (isPromise(generated = rule.generate(fieldCtx)) ? await generated : generated) : rule.default;
        if (rule.field === 'name' && value && typeof value === 'object') {
          // `nameFor` answers `{ name, issues }`: unpack it.
          const r = value as { name?: unknown; issues: readonly Issue[] };
          issues.push(...r.issues);
          value = r.name ?? target.name;
        }
        target[rule.field] = typeof value === 'number' && rule.field === 'name' ? String(value) : value;
      }
      if (rule.required_on?.includes(ctx.action) && isBlank(target[rule.field]) && !issues.some((i) => i.code === 'NAMING')) {
        issues.push(makeIssue('MANDATORY', `Value missing for ${dt.name}: ${rule.field}`, { doctype: dt.name, field: rule.field, ...rowInfoOf(base) }));
      }
      const message = rule.validate?.(target[rule.field], fieldCtx);
      if (message) issues.push(makeIssue('VALIDATION', message, { doctype: dt.name, field: rule.field, value: target[rule.field], ...rowInfoOf(base) }));
    }
  };

  const common = { action: ctx.action, doctype: ctx.doctype, stored: ctx.stored, user: ctx.user, timestamp: ctx.timestamp };
  await runLevel(out, parentRules, { ...common, doc: out }, ctx.doctype);
  for (const [table, child] of Object.entries(ctx.children)) {
    if (!Array.isArray(out[table])) continue;
    const rows = rowList(out, table).map((r) => ({ ...r }));
    for (const [index, row] of rows.entries()) {
      await runLevel(row, childRules, { ...common, doc: out, row: { data: row, table, index, doctype: child } }, child);
    }
    out[table] = rows;
  }
  return { doc: out, issues };
}

/** Where an issue of a level sits: its row and table (a row), nothing (the document). */
function rowInfoOf(base: Omit<SystemFieldContext, 'nameFor'>): { row?: number; table?: string } {
  return base.row ? { row: base.row.index + 1, table: base.row.table } : {};
}

/** Most system-field generators are synchronous: awaiting only real promises saves a microtask per rule and row. */
function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
