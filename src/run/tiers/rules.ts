/**
 * Tier 3: the DocType's rules. In order: server `fetch_from` and Link / Dynamic Link existence through
 * storage (`frappe/model/base_document.py` `CancelledLinkError` for links to cancelled submittable
 * documents except `amended_from`), computed fields in graph order (re-coerced by tier 2), then mandatory
 * fields (incl. `mandatory_depends_on`) and custom validators (`validateDoc`).
 *
 * Split into a pure plan ({@link linkReferences}) and a pure application ({@link applyLinks}); the only
 * effect, reading the linked rows, is the injected `ctx.lookup`.
 *
 * @module
 */
import { makeIssue, type Issue } from '../../issues';
import { applyComputed } from '../../rules/computed';
import type { CompiledRules, HookAction } from '../../rules/types';
import { validateDoc } from '../../rules/validate';
import { getField } from '../../schema/fields';
import { FIELDTYPES } from '../../schema/fieldtypes';
import type { DocField, DocType } from '../../schema/types';
import { createFieldtypeHandlers, passThroughHandler, type FieldtypeHandlers } from '../../values/handlers';
import type { DocData } from '../../doc/types';
import type { User } from '../../env';
import { isBlank, rowList, type Draft } from '../data';
import { coerceDoc } from './fieldtypes';

/**
 * A Link the run could not check because its DocType is not held: `skip` it silently, `warn` (a warning
 * issue), or `error` (a blocking issue); see the engine option `unknownLinks`.
 */
export interface LinkUnchecked {
  readonly unchecked: 'skip' | 'warn' | 'error';
}

/** What a lookup finds: the linked document, `null` when it does not exist, or why it was not checked. */
export type LinkOutcome = DocData | null | LinkUnchecked;

/** Reads `name`, `docstatus` and `fields` of a linked document; `null` when it does not exist. */
export type LinkLookup = (doctype: string, name: string, fields: readonly string[]) => Promise<LinkOutcome>;

const isUnchecked = (v: LinkOutcome): v is LinkUnchecked => v !== null && typeof (v as LinkUnchecked).unchecked === 'string';

/**
 * Reads `name`, `docstatus` and `fields` of several documents of one DocType; those missing are absent. Returns
 * `undefined` for a DocType it does not serve (its Links then go through the single lookup).
 */
export type LinkLookupMany = (doctype: string, names: readonly string[], fields: readonly string[]) => Promise<ReadonlyMap<string, DocData> | undefined>;

/** What tier 3 needs besides the document. */
export interface RulesTierContext {
  readonly doctype: DocType;
  readonly children: Readonly<Record<string, DocType>>;
  /** Compiled rules of the DocType (custom computed fields and validators included). */
  readonly rules: CompiledRules;
  /** Resolves DocTypes linked to (unknown ones are not checked: their documents cannot be read). */
  readonly getDoctype: (name: string) => DocType | undefined;
  readonly handlers: FieldtypeHandlers;
  readonly user: User;
  readonly now: Date;
  /** Whether the document is being inserted (fetch targets are then always set). */
  readonly isNew: boolean;
  readonly enforceMandatoryDependsOn: boolean;
  readonly lookup: LinkLookup;
  /** Frappe's `ignore_links`: no Link check and no `fetch_from` (`_validate_links` is skipped). @default false */
  readonly ignoreLinks?: boolean;
  /** Frappe's `ignore_mandatory`: mandatory fields and tables are not checked. @default false */
  readonly ignoreMandatory?: boolean;
  /** Runs after links and computed fields, before mandatory (Frappe's `set_title_field` runs there). */
  readonly beforeMandatory?: (doc: DocData) => DocData;
  /** The write, passed with the user to custom computed fields and validators. @default null */
  readonly action?: HookAction | null;
  /**
   * Apply `fetch_from`. Off when controller hooks ran: Frappe fetches once, before the hooks
   * (`_validate_links`), so a value a hook set is kept. @default true
   */
  readonly fetch?: boolean;
  /**
   * Batched reads for the DocTypes it serves (one read per target DocType, one after another); the others go
   * through `lookup`. @default undefined (every Link through `lookup`)
   */
  readonly lookupMany?: LinkLookupMany | undefined;
}

/** One Link value to resolve. */
export interface LinkReference {
  readonly table: string | undefined;
  /** Row position in its table (0-based). */
  readonly index: number | undefined;
  readonly df: DocField;
  /** The DocType linked to, or `undefined` for a Dynamic Link whose DocType field is empty. */
  readonly target: string | undefined;
  readonly value: string;
  /** Fetch targets (fields of the same level) and their source fields. */
  readonly fetch: readonly { readonly field: string; readonly source: string }[];
}

const silentHandlers: FieldtypeHandlers = createFieldtypeHandlers(
  Object.fromEntries(FIELDTYPES.map((ft) => [ft, passThroughHandler])),
);

/** A Link / Dynamic Link field of a DocType and the fields fetched through it (`fetch_from: "<link>.<source>"`). */
interface LinkFieldPlan {
  readonly df: DocField;
  readonly fetch: ReadonlyArray<{ readonly t: DocField; readonly source: string }>;
}

const linkPlans = new WeakMap<DocType, readonly LinkFieldPlan[]>();

/** The Link fields of a DocType with their fetch candidates, derived once per (frozen) DocType. */
function linkPlanOf(dt: DocType): readonly LinkFieldPlan[] {
  let plan = linkPlans.get(dt);
  if (!plan) {
    const list: LinkFieldPlan[] = [];
    for (const df of dt.fields) {
      if (df.fieldtype !== 'Link' && df.fieldtype !== 'Dynamic Link') continue;
      const prefix = `${df.fieldname}.`;
      const fetch = dt.fields
        .filter((t) => t.fieldclass === 'value' && t.fetch_from?.startsWith(prefix))
        .map((t) => ({ t, source: t.fetch_from!.slice(t.fetch_from!.lastIndexOf('.') + 1) }));
      list.push({ df, fetch });
    }
    linkPlans.set(dt, (plan = list));
  }
  return plan;
}

function referencesOf(
  dt: DocType, data: DocData, docstatus: number, isNew: boolean, table: string | undefined, index: number | undefined,
  getDoctype: (name: string) => DocType | undefined, out: LinkReference[], withFetch: boolean,
): void {
  for (const { df, fetch: candidates } of linkPlanOf(dt)) {
    const value = data[df.fieldname];
    if (isBlank(value)) continue;
    const target = df.fieldtype === 'Link' ? df.options : (typeof data[df.options] === 'string' && data[df.options] ? String(data[df.options]) : undefined);
    const targetDt = target ? getDoctype(target) : undefined;
    if (target && !targetDt) {
      // A DocType this engine does not hold: the lookup decides (registry for `DocType`, else `unknownLinks`).
      out.push({ table, index, df, target, value: String(value), fetch: [] });
      continue;
    }
    const fetch: Array<{ field: string; source: string }> = [];
    for (const { t, source } of withFetch ? candidates : []) {
      if (t.fetch_if_empty && !isBlank(data[t.fieldname])) continue;
      if (!(isNew || docstatus !== 1 || t.allow_on_submit === 1)) continue;
      if (source !== 'name' && !(targetDt && getField(targetDt, source)?.fieldclass === 'value')) continue;
      fetch.push({ field: t.fieldname, source });
    }
    out.push({ table, index, df, target, value: String(value), fetch });
  }
}

/**
 * The Link values of a document and its rows that must be read (pure).
 * @param doc - the document
 * @param ctx - DocTypes and flags
 * @returns one reference per non-empty Link / Dynamic Link value
 */
export function linkReferences(doc: DocData, ctx: Pick<RulesTierContext, 'doctype' | 'children' | 'getDoctype' | 'isNew'> & Pick<RulesTierContext, 'fetch'>): LinkReference[] {
  const docstatus = Number(doc.docstatus ?? 0);
  const withFetch = ctx.fetch !== false;
  const refs: LinkReference[] = [];
  referencesOf(ctx.doctype, doc, docstatus, ctx.isNew, undefined, undefined, ctx.getDoctype, refs, withFetch);
  for (const [table, child] of Object.entries(ctx.children)) {
    rowList(doc, table).forEach((row, i) => referencesOf(child, row, docstatus, ctx.isNew, table, i, ctx.getDoctype, refs, withFetch));
  }
  return refs;
}

/**
 * Apply resolved links (pure): canonical names written back, fetch targets set (to null when the record is
 * missing), and issues for missing, cancelled, or DocType-less links.
 * @param doc - the document
 * @param refs - from {@link linkReferences}
 * @param found - the linked record per reference (same order), or null
 * @param ctx - DocTypes
 * @returns the document and the link issues
 */
export function applyLinks(
  doc: DocData, refs: readonly LinkReference[], found: readonly LinkOutcome[], ctx: Pick<RulesTierContext, 'doctype' | 'children' | 'getDoctype'>,
): { doc: Draft; issues: Issue[] } {
  const out: Draft = { ...doc };
  const issues: Issue[] = [];
  const tables = new Map<string, Draft[]>();
  const levelOf = (ref: LinkReference): Draft => {
    if (ref.table === undefined) return out;
    let rows = tables.get(ref.table);
    if (!rows) tables.set(ref.table, (rows = rowList(out, ref.table).map((r) => ({ ...r }))));
    return rows[ref.index!]!;
  };
  const submittable = ctx.doctype.is_submittable === 1;
  refs.forEach((ref, i) => {
    const level = levelOf(ref);
    const dt = ref.table === undefined ? ctx.doctype : ctx.children[ref.table]!;
    const prefix = ref.table === undefined ? '' : `Row #${ref.index! + 1}: `;
    const where = { doctype: dt.name, field: ref.df.fieldname, row: ref.index === undefined ? undefined : ref.index + 1, table: ref.table, value: ref.value };
    const label = ref.df.label || ref.df.fieldname;
    if (ref.target === undefined) {
      issues.push(makeIssue('DYNAMIC_LINK_NO_DOCTYPE', `${prefix}${label}: ${ref.df.options} must be set first`, where));
      return;
    }
    const outcome = found[i] ?? null;
    if (outcome !== null && isUnchecked(outcome)) {
      if (outcome.unchecked !== 'skip') {
        issues.push(makeIssue('LINK_NOT_CHECKED', `${prefix}${label}: ${ref.value} was not checked: this engine does not hold DocType ${ref.target}`, {
          ...where, severity: outcome.unchecked === 'warn' ? 'warning' : 'error',
        }));
      }
      return;
    }
    const record = outcome;
    if (!record) {
      for (const f of ref.fetch) level[f.field] = null;
      issues.push(makeIssue('LINK_NOT_FOUND', `Could not find ${prefix}${label}: ${ref.value}`, where));
      return;
    }
    if (typeof record.name === 'string') level[ref.df.fieldname] = record.name;
    for (const f of ref.fetch) level[f.field] = record[f.source] ?? null;
    const targetDt = ctx.getDoctype(ref.target);
    if (submittable && targetDt?.is_submittable === 1 && Number(record.docstatus ?? 0) === 2 && ref.df.fieldname !== 'amended_from') {
      issues.push(makeIssue('CANCELLED_LINK', `Cannot link cancelled document: ${prefix}${label}: ${ref.value}`, where));
    }
  });
  for (const [table, rows] of tables) out[table] = rows;
  return { doc: out, issues };
}

/**
 * Computed fields (in the compiled graph order), re-coerced by their fieldtypes (pure).
 * @param doc - the document
 * @param ctx - rules and handlers
 * @returns the document with computed values
 */
export function applyComputedFields(
  doc: DocData, ctx: Pick<RulesTierContext, 'rules' | 'doctype' | 'children' | 'handlers'> & Partial<Pick<RulesTierContext, 'action' | 'user'>>,
): DocData {
  const { doc: computed } = applyComputed(ctx.rules, doc, undefined, { action: ctx.action ?? null, user: ctx.user ?? null });
  return computed === doc ? doc : coerceDoc(computed, ctx);
}

/**
 * Mandatory fields (static and `mandatory_depends_on`) and custom validators (pure). Fieldtype checks are
 * tier 2's, so they are not repeated here.
 * @param doc - the document
 * @param ctx - rules, user, clock
 * @returns the issues
 */
export function validateRules(
  doc: DocData, ctx: Pick<RulesTierContext, 'rules' | 'user' | 'now' | 'enforceMandatoryDependsOn'> & Partial<Pick<RulesTierContext, 'action' | 'ignoreMandatory'>>,
): Issue[] {
  return validateDoc(ctx.rules, doc, {
    handlers: silentHandlers, enforceMandatoryDependsOn: ctx.enforceMandatoryDependsOn, user: ctx.user, now: ctx.now, action: ctx.action ?? null,
    mandatory: ctx.ignoreMandatory !== true,
  });
}

/**
 * Tier 3: links and fetch_from through `ctx.lookup`, computed fields, mandatory and custom validators.
 * @param doc - the document after tier 2
 * @param ctx - see {@link RulesTierContext}
 * @returns the document and every issue found
 */
export async function applyRules(doc: DocData, ctx: RulesTierContext): Promise<{ doc: DocData; issues: Issue[] }> {
  const refs = ctx.ignoreLinks ? [] : linkReferences(doc, ctx);
  const found = ctx.lookupMany
    ? await lookupGrouped(refs, ctx.lookupMany, ctx.lookup)
    : await lookupEach(refs, ctx.lookup);
  const linked = applyLinks(doc, refs, found, ctx);
  const computedDoc = applyComputedFields(linked.doc, ctx);
  const computed = ctx.beforeMandatory ? ctx.beforeMandatory(computedDoc) : computedDoc;
  // ignore_mandatory: the mandatory pass does not run at all (its conditions are not evaluated either).
  let ruleIssues = validateRules(computed, ctx);
  if (ctx.ignoreMandatory) ruleIssues = ruleIssues.filter((i) => i.code !== 'MANDATORY' && i.code !== 'MANDATORY_TABLE');
  return { doc: computed, issues: [...linked.issues, ...ruleIssues] };
}

/** The linked documents of `refs`, one lookup after another (never concurrent reads on one session). */
async function lookupEach(refs: readonly LinkReference[], lookup: LinkLookup): Promise<LinkOutcome[]> {
  const out: LinkOutcome[] = [];
  for (const r of refs) out.push(r.target ? await lookup(r.target, r.value, r.fetch.map((f) => f.source)) : null);
  return out;
}

/** The linked documents of `refs`, read with one batched lookup per target DocType, sequentially. */
export async function lookupGrouped(refs: readonly LinkReference[], lookupMany: LinkLookupMany, single: LinkLookup): Promise<LinkOutcome[]> {
  const wanted = new Map<string, { names: Set<string>; fields: Set<string> }>();
  for (const r of refs) {
    if (!r.target) continue;
    let entry = wanted.get(r.target);
    if (!entry) wanted.set(r.target, (entry = { names: new Set(), fields: new Set() }));
    entry.names.add(r.value);
    for (const f of r.fetch) entry.fields.add(f.source);
  }
  const found = new Map<string, ReadonlyMap<string, DocData> | undefined>();
  for (const [target, { names, fields }] of wanted) found.set(target, await lookupMany(target, [...names], [...fields]));
  const out: LinkOutcome[] = [];
  for (const r of refs) {
    if (!r.target) out.push(null);
    else {
      const batch = found.get(r.target);
      out.push(batch ? batch.get(r.value) ?? null : await single(r.target, r.value, r.fetch.map((f) => f.source)));
    }
  }
  return out;
}
