/**
 * Field states: visible / mandatory / read-only / collapsed for every field of a document and of each child
 * row, computed fully (`evaluateStates`) or incrementally after a change (`updateStates`).
 *
 * FieldState objects are interned: there are only a handful of distinct states, so each is one shared frozen
 * object. Unchanged fields therefore keep the very same state object across updates (callers can compare
 * with `===`), and a full evaluation allocates no state objects at all.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { makeIssue, type Issue } from '../issues';
import type { ExprContext } from '../expr/types';
import type { CompiledFieldCondition, CompiledRules, DocData, FieldRules, FieldState, FormState, RowState, StateContext } from './types';

/** Field-level permissions for state computation (`frappe/public/js/frappe/model/perm.js`): which permlevels the user may read and write. */
export interface StatePermissions {
  readonly read: ReadonlySet<number>;
  readonly write: ReadonlySet<number>;
}

/** Options of {@link evaluateStates} / {@link updateStates}. */
export interface StateOptions extends StateContext {
  /** When given, fields at unreadable levels are hidden and at unwritable levels read-only. */
  readonly permissions?: StatePermissions;
}

const interned: FieldState[] = [];
/** The shared frozen FieldState for these flags. */
export function fieldState(visible: boolean, mandatory: boolean, readOnly: boolean, collapsed?: boolean): FieldState {
  const key = (visible ? 1 : 0) | (mandatory ? 2 : 0) | (readOnly ? 4 : 0) | (collapsed === undefined ? 0 : collapsed ? 8 : 16);
  return (interned[key] ??= Object.freeze(collapsed === undefined ? { visible, mandatory, readOnly } : { visible, mandatory, readOnly, collapsed }));
}

const EMPTY_ROWS: FormState['rows'] = Object.freeze({});

/** Compute the state of every field of `doc` and of each of its child rows. */
export function evaluateStates(rules: CompiledRules, doc: DocData, options: StateOptions = {}): FormState {
  const issues: Issue[] = [];
  const fields = evaluateLevel(rules, doc, doc, options, issues, undefined, undefined, undefined);
  const rows: Record<string, Record<string, RowState>> = {};
  for (const [table, childRules] of rules.tables) {
    const byName: Record<string, RowState> = {};
    let last: RowState | undefined;
    for (const row of rowsOf(doc, table)) {
      const state = evaluateLevel(childRules, row, doc, options, issues, table, undefined, undefined);
      // Rows with the same states share one frozen object, so an update can recompute each distinct state once.
      last = last && sameStates(last, state) ? last : state;
      byName[rowKey(row)] = last;
    }
    rows[table] = Object.freeze(byName);
  }
  return Object.freeze({ fields, rows: rules.tables.size ? Object.freeze(rows) : EMPTY_ROWS, issues: Object.freeze(issues) });
}

/**
 * Recompute only what a change can affect: the fields whose conditions read a changed value (through the
 * reverse edges compiled in `rules`), the rows that changed, and, when a parent value read by rows as
 * `parent.x` changed, those fields in every row. Everything else keeps its state object.
 *
 * @param prev the states of `prevDoc`
 * @param prevDoc the document `prev` was computed for
 * @param doc the changed document (structurally shared with `prevDoc`, as the document layer produces it)
 */
export function updateStates(rules: CompiledRules, prev: FormState, prevDoc: DocData, doc: DocData, options: StateOptions = {}): FormState {
  if (prevDoc === doc) return prev;
  // docstatus and __islocal change the read-only state of every field: recompute all (still reusing objects).
  if (prevDoc.docstatus !== doc.docstatus || prevDoc.__islocal !== doc.__islocal) {
    return reuse(prev, evaluateStates(rules, doc, options));
  }
  const changed = changedKeys(prevDoc, doc);
  const affected = affectedFields(rules, changed);
  // What was re-evaluated (its old issues are dropped): top-level fields, and per table the fields re-evaluated in
  // every surviving row (those reading a changed parent value) plus what single rows re-evaluated. Kept as sets
  // per table, not as one key string per row and field.
  const recomputedTop = new Set<string>();
  const recomputedRows = new Map<string, RecomputedRows>();
  const issues: Issue[] = [];

  let fields = prev.fields;
  if (affected.size) {
    fields = evaluateLevel(rules, doc, doc, options, issues, undefined, prev.fields, affected, undefined);
    for (const f of affected) recomputedTop.add(f);
  }

  let rows = prev.rows;
  for (const [table, childRules] of rules.tables) {
    const parentAffected = affectedByParent(childRules, changed);
    const prevRows = rowsOf(prevDoc, table);
    const nextRows = rowsOf(doc, table);
    if (prevRows === nextRows && !parentAffected.size) continue;
    const prevStates = prev.rows[table] ?? {};
    const prevByName = prevRows === nextRows ? undefined : indexRows(prevRows);
    const out: Record<string, RowState> = {};
    const recomputed: RecomputedRows = { all: parentAffected, rows: new Map(), nextRows };
    recomputedRows.set(table, recomputed);
    // A condition that reads nothing but parent values has one result for every row: evaluated once per table.
    const memo: ConditionMemo | undefined = parentAffected.size ? new Map() : undefined;
    // When those fields depend on nothing of the row itself, rows that had the same states get the same new states.
    const shared = parentAffected.size && rowIndependent(childRules, parentAffected) ? new Map<RowState, RowState>() : undefined;
    let tableChanged = Object.keys(prevStates).length !== nextRows.length;
    for (const row of nextRows) {
      const key = rowKey(row);
      const before = prevStates[key];
      const prevRow = prevByName ? prevByName.get(key) : row;
      let state: RowState;
      if (!before || !prevRow) {
        state = evaluateLevel(childRules, row, doc, options, issues, table, undefined, undefined, memo);
        recomputed.rows.set(key, '*');
      } else {
        let only: ReadonlySet<string> = parentAffected;
        if (prevRow !== row) {
          only = union(only, affectedFields(childRules, changedKeys(prevRow, row)));
          if (only.size) recomputed.rows.set(key, only);
        }
        const known = shared && only === parentAffected ? shared.get(before) : undefined;
        if (known) state = known;
        else if (only.size) {
          const found = issues.length;
          state = evaluateLevel(childRules, row, doc, options, issues, table, before, only, memo);
          if (shared && only === parentAffected && issues.length === found) shared.set(before, state);
        } else state = before;
      }
      if (state !== before) tableChanged = true;
      out[key] = state;
    }
    if (tableChanged) {
      if (rows === prev.rows) rows = { ...prev.rows };
      (rows as Record<string, unknown>)[table] = Object.freeze(out);
    }
  }
  if (rows !== prev.rows) Object.freeze(rows);

  const dropped = (i: Issue): boolean => {
    if (i.table === undefined) return i.rowname === undefined && i.field !== undefined && recomputedTop.has(i.field);
    const r = recomputedRows.get(i.table);
    if (!r || i.rowname === undefined) return false;
    const one = r.rows.get(i.rowname);
    if (one === '*' || (one !== undefined && i.field !== undefined && one.has(i.field))) return true;
    if (i.field === undefined || !r.all.has(i.field)) return false;
    r.keys ??= new Set(r.nextRows.map(rowKey));
    return r.keys.has(i.rowname);
  };
  const keptIssues = prev.issues.length ? prev.issues.filter((i) => !dropped(i)) : prev.issues;
  const allIssues = keptIssues.length === prev.issues.length && !issues.length ? prev.issues : Object.freeze([...keptIssues, ...issues]);
  if (fields === prev.fields && rows === prev.rows && allIssues === prev.issues) return prev;
  return Object.freeze({ fields, rows, issues: allIssues });
}

/** What an update re-evaluated in one table. */
interface RecomputedRows {
  /** Fields re-evaluated in every row of `nextRows` that had a state (they read a changed parent value). */
  readonly all: ReadonlySet<string>;
  /** Rows re-evaluated on their own: every field (`*`) or these. */
  readonly rows: Map<string, '*' | ReadonlySet<string>>;
  readonly nextRows: readonly DocData[];
  /** Row keys of `nextRows`, built only when an old issue needs them. */
  keys?: Set<string>;
}

/** Results of parent-only conditions within one table of one update. */
type ConditionMemo = Map<CompiledFieldCondition, boolean>;

/**
 * True when the states of `fields` in a row follow from the parent alone: every condition reads only `parent.*`,
 * no fetched read-only, no set-only-once, no collapsible section (those read the row's own values).
 */
function rowIndependent(childRules: CompiledRules, fields: ReadonlySet<string>): boolean {
  if (hasCollapsible(childRules)) return false;
  for (const f of fields) {
    const rule = childRules.fields.get(f);
    if (!rule) continue;
    if (rule.fetch || rule.df.set_only_once === 1) return false;
    for (const cond of [rule.depends_on, rule.mandatory_depends_on, rule.read_only_depends_on]) if (cond && !readsOnlyParent(cond)) return false;
  }
  return true;
}

const parentOnly = new WeakMap<CompiledFieldCondition, boolean>();
/** True when a (row) condition reads only `parent.*`: its result is the same for every row. */
function readsOnlyParent(cond: CompiledFieldCondition): boolean {
  let only = parentOnly.get(cond);
  if (only === undefined) {
    only = cond.references.length > 0 && cond.references.every((r) => r.startsWith('parent.'));
    parentOnly.set(cond, only);
  }
  return only;
}

/** Keep the previous objects wherever a fresh evaluation produced equal states. */
function reuse(prev: FormState, next: FormState): FormState {
  const fields = sameStates(prev.fields, next.fields) ? prev.fields : next.fields;
  let rowsSame = true;
  const rows: Record<string, Readonly<Record<string, RowState>>> = {};
  for (const [table, byName] of Object.entries(next.rows)) {
    const before = prev.rows[table] ?? {};
    const out: Record<string, RowState> = {};
    let same = Object.keys(before).length === Object.keys(byName).length;
    for (const [name, state] of Object.entries(byName)) {
      const b = before[name];
      out[name] = b && sameStates(b, state) ? b : state;
      if (out[name] !== b) same = false;
    }
    rows[table] = same ? before : Object.freeze(out);
    if (!same) rowsSame = false;
  }
  return Object.freeze({ fields, rows: rowsSame ? prev.rows : Object.freeze(rows), issues: next.issues });
}

function sameStates(a: Readonly<Record<string, FieldState>>, b: Readonly<Record<string, FieldState>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * States of one level (the document, or one row). With `only`, recompute just those fields and copy the
 * rest from `before`; returns `before` itself when nothing differs.
 */
function evaluateLevel(
  rules: CompiledRules,
  doc: DocData,
  parent: DocData,
  options: StateOptions,
  issues: Issue[],
  table: string | undefined,
  before: Readonly<Record<string, FieldState>> | undefined,
  only: ReadonlySet<string> | undefined,
  memo?: ConditionMemo,
): Readonly<Record<string, FieldState>> {
  // A fixed-shape context (no spread of `options`): built once per document or row.
  const ctx: ExprContext = { doc, parent, user: options.user, now: options.now, boot: options.boot };
  // Children always carry their parent's docstatus (`frappe/model/document.py`); new-ness is per row.
  const docstatus = Number(parent.docstatus ?? 0);
  const isNew = Boolean(doc.__islocal) || doc.name === undefined || doc.name === null;
  const rowname = table ? rowKey(doc) : undefined;
  const where = { doctype: rules.doctype.name, table, rowname, row: table ? (doc.idx as number | undefined) : undefined };
  let out: Record<string, FieldState>;
  let changed = !before;
  if (before && only) {
    // Incremental: compute the few affected fields first and copy the state map only if one of them differs.
    let updates: Array<[string, FieldState]> | undefined;
    for (const f of only) {
      const rule = rules.fields.get(f);
      if (!rule) continue;
      const state = computeField(rule, ctx, docstatus, isNew, options.permissions, issues, where, memo);
      if (before[f] !== state) (updates ??= []).push([f, state]);
    }
    out = updates || hasCollapsible(rules) ? { ...before } : (before as Record<string, FieldState>);
    for (const [f, state] of updates ?? []) out[f] = state;
    changed = updates !== undefined;
  } else {
    out = {};
    for (const rule of rules.fields.values()) out[rule.df.fieldname] = computeField(rule, ctx, docstatus, isNew, options.permissions, issues, where);
  }
  if (hasCollapsible(rules)) {
    for (const [section, members] of sectionsOf(rules)) {
      if (only && !only.has(section)) continue;
      const current = out[section]!;
      const collapsed = collapsedState(rules.fields.get(section)!, members, out, doc, ctx, issues, where);
      if (current.collapsed !== collapsed) {
        out[section] = fieldState(current.visible, current.mandatory, current.readOnly, collapsed);
        changed = true;
      }
    }
  }
  return changed || !before ? Object.freeze(out) : before;
}

interface Where {
  readonly doctype: string;
  readonly table: string | undefined;
  readonly rowname: string | undefined;
  readonly row: number | undefined;
}

function computeField(
  rule: FieldRules,
  ctx: ExprContext,
  docstatus: number,
  isNew: boolean,
  perms: StatePermissions | undefined,
  issues: Issue[],
  where: Where,
  memo?: ConditionMemo,
): FieldState {
  const df = rule.df;
  // A false depends_on hides the field; its value is kept (`frappe/public/js/frappe/form/layout.js`).
  let visible = df.hidden !== 1 && (rule.depends_on ? test(rule.depends_on, ctx, true, df.fieldname, 'depends_on', issues, where, memo) : true);
  // mandatory_depends_on / read_only_depends_on override the static flag both ways (`frappe/public/js/frappe/form/layout.js`).
  const mandatory = rule.mandatory_depends_on
    ? test(rule.mandatory_depends_on, ctx, df.reqd === 1, df.fieldname, 'mandatory_depends_on', issues, where, memo)
    : df.reqd === 1;
  let readOnly = rule.read_only_depends_on
    ? test(rule.read_only_depends_on, ctx, df.read_only === 1, df.fieldname, 'read_only_depends_on', issues, where, memo)
    : df.read_only === 1;
  if (df.fieldtype === 'Read Only') readOnly = true;
  // After submit only allow_on_submit fields stay editable; a cancelled document is read-only (`frappe/public/js/frappe/model/perm.js`).
  if (docstatus === 2 || (docstatus === 1 && df.allow_on_submit !== 1)) readOnly = true;
  if (df.set_only_once === 1 && !isNew) readOnly = true;
  // Fetched fields show read-only while their link has a value, unless fetch_if_empty (`frappe/public/js/frappe/form/controls/link.js`).
  if (rule.fetch && !rule.fetch.ifEmpty && hasValue(ctx.doc[rule.fetch.link])) readOnly = true;
  if (perms) {
    if (!perms.read.has(df.permlevel) && !perms.write.has(df.permlevel)) visible = false;
    if (!perms.write.has(df.permlevel)) readOnly = true;
  }
  return fieldState(visible, mandatory, readOnly, rule.df.fieldtype === 'Section Break' && rule.df.collapsible === 1 ? true : undefined);
}

function test(
  cond: CompiledFieldCondition,
  ctx: ExprContext,
  fallback: boolean,
  field: string,
  property: string,
  issues: Issue[],
  where: Where,
  memo?: ConditionMemo,
): boolean {
  const shared = memo !== undefined && readsOnlyParent(cond);
  if (shared) {
    const known = memo.get(cond);
    if (known !== undefined) return known;
  }
  try {
    const value = cond.test(ctx);
    // Only a result is shared: a failure is reported for each row, as a per-row evaluation would.
    if (shared) memo.set(cond, value);
    return value;
  } catch (e) {
    // Desk would throw and stop refreshing the form; we report the expression and use the static flag.
    const err = e instanceof ExpressionError ? e : undefined;
    // A spent budget is an attack or a runaway rule, not a form quirk: it blocks the write instead of falling back.
    if (err?.code === 'EXPR_LIMIT') {
      issues.push(makeIssue('EXPR_LIMIT', `"${property}" expression for ${field} exceeded its evaluation budget: ${err.description}`, {
        doctype: where.doctype, field, table: where.table, rowname: where.rowname, row: where.row, expression: cond.source, index: err.index,
      }));
      return fallback;
    }
    issues.push(
      makeIssue('EXPR_RUNTIME', `Invalid "${property}" expression for ${field}: ${err ? err.description : String(e)}`, {
        doctype: where.doctype, field, table: where.table, rowname: where.rowname, row: where.row,
        expression: cond.source, index: err?.index, severity: 'warning',
      }),
    );
    return fallback;
  }
}

/**
 * A collapsible section starts collapsed unless `collapsible_depends_on` is true, and stays open while it holds
 * a mandatory field with no value (`frappe/public/js/frappe/form/layout.js`).
 */
function collapsedState(
  rule: FieldRules,
  members: readonly string[],
  states: Readonly<Record<string, FieldState>>,
  doc: DocData,
  ctx: ExprContext,
  issues: Issue[],
  where: Where,
): boolean {
  let collapse = rule.collapsible_depends_on
    ? !test(rule.collapsible_depends_on, ctx, false, rule.df.fieldname, 'collapsible_depends_on', issues, where)
    : true;
  if (collapse && members.some((m) => states[m]?.mandatory && !hasValue(doc[m]))) collapse = false;
  return collapse;
}

/** Frappe's `has_value` on the client: tables need rows; otherwise not null/undefined/blank (0 is a value). */
export function hasValue(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.trim() !== '';
  return true;
}

const sectionCache = new WeakMap<CompiledRules, ReadonlyArray<readonly [string, readonly string[]]>>();
/** Collapsible Section Breaks with the fields they contain (up to the next Section or Tab Break). */
function sectionsOf(rules: CompiledRules): ReadonlyArray<readonly [string, readonly string[]]> {
  let out = sectionCache.get(rules);
  if (!out) {
    const list: Array<[string, string[]]> = [];
    let current: [string, string[]] | undefined;
    for (const df of rules.doctype.fields) {
      if (df.fieldtype === 'Section Break' || df.fieldtype === 'Tab Break') {
        current = df.fieldtype === 'Section Break' && df.collapsible === 1 ? [df.fieldname, []] : undefined;
        if (current) list.push(current);
      } else if (current) current[1].push(df.fieldname);
    }
    sectionCache.set(rules, (out = list));
  }
  return out;
}

function hasCollapsible(rules: CompiledRules): boolean {
  return sectionsOf(rules).length > 0;
}

/** Top-level keys whose value differs by identity (writes keep unchanged values identical). */
function changedKeys(a: DocData, b: DocData): Set<string> {
  const out = new Set<string>();
  for (const k in b) if (a[k] !== b[k]) out.add(k);
  for (const k in a) if (!(k in b)) out.add(k);
  return out;
}

function affectedFields(rules: CompiledRules, changed: ReadonlySet<string>): Set<string> {
  const out = new Set<string>(changed.size ? rules.wildcardReaders : []);
  for (const key of changed) for (const f of rules.stateReaders.get(key) ?? []) out.add(f);
  // A collapsible section re-checks when a member changes value or state (a mandatory member filled in).
  for (const [section, members] of sectionsOf(rules)) if (members.some((m) => changed.has(m) || out.has(m))) out.add(section);
  return out;
}

function affectedByParent(childRules: CompiledRules, changedInParent: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  if (!changedInParent.size) return out;
  for (const f of childRules.parentReaders.get('*') ?? []) out.add(f);
  for (const key of changedInParent) for (const f of childRules.parentReaders.get(key) ?? []) out.add(f);
  return out;
}

function union<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): ReadonlySet<T> {
  if (!a.size) return b;
  if (!b.size) return a;
  return new Set([...a, ...b]);
}

/** Rows of a table field, tolerating a missing or malformed value. */
export function rowsOf(doc: DocData, table: string): readonly DocData[] {
  const v = doc[table];
  return Array.isArray(v) ? (v as DocData[]) : EMPTY;
}
const EMPTY: readonly DocData[] = Object.freeze([]);

/** A row's identity: its `name` (temporary names included), else its position. */
export function rowKey(row: DocData): string {
  const n = row.name;
  return typeof n === 'string' && n !== '' ? n : `#${String(row.idx ?? '?')}`;
}

function indexRows(rows: readonly DocData[]): Map<string, DocData> {
  const m = new Map<string, DocData>();
  for (const r of rows) m.set(rowKey(r), r);
  return m;
}
