/**
 * Tier 2: fieldtype handlers. Every value present on the document and its rows is coerced the way Frappe's
 * server stores it (`get_valid_dict`), then validated per fieldtype (Select options, formats, length,
 * non-negative, dates, JSON), through the engine's handler registry (`createFieldtypeHandlers`, extendable).
 * Storage rejects uncoerced values, so this tier always runs before a write.
 *
 * @module
 */
import type { Issue } from '../../issues';
import type { DocField, DocType } from '../../schema/types';
import type { FieldtypeHandler, FieldtypeHandlers } from '../../values/handlers';
import type { ValueContext } from '../../values/validate';
import type { DocData } from '../../doc/types';
import { isMissing } from '../../values/mandatory';
import { checkLevelValues } from '../../values/plan';
import { rowList, type Draft } from '../data';

/** What tier 2 needs besides the document. */
export interface FieldtypeTierContext {
  readonly doctype: DocType;
  /** Child DocTypes by Table fieldname. */
  readonly children: Readonly<Record<string, DocType>>;
  readonly handlers: FieldtypeHandlers;
  /** The engine's time zone: dates with an offset and `Date` objects are read in it. @default 'UTC' */
  readonly timeZone?: string | undefined;
}

function valueContext(dt: DocType, doc: DocData, row?: { idx: number; table: string; name: unknown }, timeZone?: string): ValueContext {
  return {
    timeZone,
    doctype: dt.name,
    docname: typeof doc.name === 'string' ? doc.name : undefined,
    owner: typeof doc.owner === 'string' ? doc.owner : undefined,
    docstatus: Number(doc.docstatus ?? 0),
    issingle: dt.issingle === 1,
    ...(row ? { row: { idx: row.idx, table: row.table, name: typeof row.name === 'string' ? row.name : undefined } } : {}),
  };
}

/** Tier 2's plan for a DocType: each value field, its handler, and whether an empty value stays empty. */
interface CoercePlan {
  readonly df: DocField;
  /** `undefined` for a fieldtype without a handler: looked up (and refused) when a value of it is coerced. */
  readonly handler: FieldtypeHandler | undefined;
  /** A reqd number: left empty when missing, for the mandatory check. */
  readonly keepMissing: boolean;
}
const coercePlans = new WeakMap<DocType, WeakMap<FieldtypeHandlers, readonly CoercePlan[]>>();

function coercePlanOf(dt: DocType, handlers: FieldtypeHandlers): readonly CoercePlan[] {
  let byHandlers = coercePlans.get(dt);
  if (!byHandlers) coercePlans.set(dt, (byHandlers = new WeakMap()));
  let plan = byHandlers.get(handlers);
  if (!plan) {
    plan = dt.fields.filter((df) => df.fieldclass === 'value').map((df) => ({
      df,
      handler: handlers.fieldtypes().includes(df.fieldtype) ? handlers.get(df.fieldtype) : undefined,
      keepMissing: df.reqd === 1 && ZERO_WHEN_EMPTY.has(df.fieldtype),
    }));
    byHandlers.set(handlers, plan);
  }
  return plan;
}

const coerceIndexes = new WeakMap<readonly CoercePlan[], ReadonlyMap<string, CoercePlan>>();

/** The plan by fieldname: a level is walked by its own keys (a row holds far fewer than its DocType's fields). */
function coerceIndexOf(plan: readonly CoercePlan[]): ReadonlyMap<string, CoercePlan> {
  let index = coerceIndexes.get(plan);
  if (!index) coerceIndexes.set(plan, (index = new Map(plan.map((p) => [p.df.fieldname, p]))));
  return index;
}

function coerceLevel(dt: DocType, data: DocData, handlers: FieldtypeHandlers, ctx: ValueContext): Draft {
  const out: Draft = { ...data };
  const index = coerceIndexOf(coercePlanOf(dt, handlers));
  for (const key of Object.keys(data)) {
    const planned = index.get(key);
    if (planned === undefined) continue;
    const { df, handler, keepMissing } = planned;
    // Frappe checks mandatory fields on the values as given, before get_valid_dict casts them: a reqd number
    // left empty (None, "", "<p></p>") is a MandatoryError, not a 0. Keep it empty for the mandatory check.
    if (keepMissing && isMissing(df, data[df.fieldname])) continue;
    out[df.fieldname] = (handler ?? handlers.get(df.fieldtype)).coerce(df, data[df.fieldname], ctx);
  }
  return out;
}

/**
 * Documents {@link coerceDoc} returned that nobody changed since (the lifecycle marks its document when no hook
 * touched it): tier 2 validates them without coercing a second time. Built-in coercion is idempotent.
 */
const coercedDocs = new WeakSet<object>();

/**
 * Mark a document as coerced and unchanged since (see {@link applyFieldtypes}).
 * @param doc - a document {@link coerceDoc} returned, unchanged since
 * @returns the same document
 */
export function markCoerced<T extends object>(doc: T): T {
  coercedDocs.add(doc);
  return doc;
}

/**
 * Coerce every present value of the document and its rows.
 * @param doc - the document
 * @param ctx - see {@link FieldtypeTierContext}
 * @returns a coerced copy
 */
export function coerceDoc(doc: DocData, ctx: FieldtypeTierContext): Draft {
  const out = coerceLevel(ctx.doctype, doc, ctx.handlers, valueContext(ctx.doctype, doc, undefined, ctx.timeZone));
  for (const [table, child] of Object.entries(ctx.children)) {
    if (!Array.isArray(doc[table])) continue;
    out[table] = rowList(doc, table).map((row, i) =>
      coerceLevel(child, row, ctx.handlers, valueContext(child, doc, { idx: i + 1, table, name: row.name }, ctx.timeZone)));
  }
  return out;
}

/**
 * Validate every present value of the document and its rows with its fieldtype handler.
 * @param doc - a coerced document
 * @param ctx - see {@link FieldtypeTierContext}
 * @returns the issues (field, row, code, message)
 */
export function validateFields(doc: DocData, ctx: FieldtypeTierContext): Issue[] {
  const issues: Issue[] = [];
  const level = (dt: DocType, data: DocData, vctx: ValueContext) => checkLevelValues(dt, data, vctx, ctx.handlers, issues);
  level(ctx.doctype, doc, valueContext(ctx.doctype, doc));
  for (const [table, child] of Object.entries(ctx.children)) {
    rowList(doc, table).forEach((row, i) => level(child, row, valueContext(child, doc, { idx: Number(row.idx ?? i + 1), table, name: row.name })));
  }
  return issues;
}

/**
 * Tier 2: coerce, then validate.
 * @param doc - the document after tier 1
 * @param ctx - see {@link FieldtypeTierContext}
 * @returns the coerced document and its fieldtype issues
 */
export function applyFieldtypes(doc: DocData, ctx: FieldtypeTierContext): { doc: Draft; issues: Issue[] } {
  const coerced = coercedDocs.has(doc) ? (doc as Draft) : coerceDoc(doc, ctx);
  return { doc: coerced, issues: validateFields(coerced, ctx) };
}

/**
 * Fieldtypes Frappe never stores as NULL: `get_valid_dict` casts a missing Check / Int / Float / Currency /
 * Percent value (`None`) to 0 on every insert and update, and `_fix_rating_value` does the same for Rating
 * (their columns are `NOT NULL DEFAULT 0`). Long Int and Duration are left as they are, like Frappe.
 */
const ZERO_WHEN_EMPTY: ReadonlySet<string> = new Set(['Check', 'Int', 'Float', 'Currency', 'Percent', 'Rating']);

const zeroPlans = new WeakMap<DocType, readonly string[]>();

/** The fields of a DocType stored as 0 when empty (derived once per frozen DocType). */
function zeroFieldsOf(dt: DocType): readonly string[] {
  let plan = zeroPlans.get(dt);
  if (!plan) zeroPlans.set(dt, (plan = dt.fields.filter((df) => ZERO_WHEN_EMPTY.has(df.fieldtype)).map((df) => df.fieldname)));
  return plan;
}

function zeroLevel(dt: DocType, data: DocData): Draft {
  let out: Draft | undefined;
  for (const f of zeroFieldsOf(dt)) {
    if (data[f] !== undefined && data[f] !== null) continue;
    out ??= { ...data };
    out[f] = 0;
  }
  return out ?? (data as Draft);
}

/** One level as stored: private (`__`) keys dropped, empty numbers 0; `rows` replaces the Table values. */
function storableLevel(data: DocData, zero: readonly string[]): Draft {
  const out: Draft = {};
  for (const key of Object.keys(data)) {
    if (key.charCodeAt(0) === 95 && key.charCodeAt(1) === 95) continue; // "__"
    out[key] = data[key];
  }
  for (const f of zero) if (out[f] === undefined || out[f] === null) out[f] = 0;
  return out;
}

/**
 * The document as written, in one pass per level: what `zeroEmptyNumbers(publicData(doc))` gives (private keys
 * of the document and its rows dropped, every empty number field 0), one fresh object per level.
 * @param doc - a validated document
 * @param ctx - the DocType and its child DocTypes
 * @returns a fresh document to write
 */
export function storableDoc(doc: DocData, ctx: Pick<FieldtypeTierContext, 'doctype' | 'children'>): Draft {
  const out = storableLevel(doc, zeroFieldsOf(ctx.doctype));
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (!Array.isArray(value)) continue;
    const child = Object.hasOwn(ctx.children, key) ? ctx.children[key] : undefined;
    const zero = child ? zeroFieldsOf(child) : [];
    // publicData's rule for any list: objects lose their private keys; a Table's rows also get their zeros.
    out[key] = value.map((r: unknown) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? storableLevel(r as DocData, zero) : r));
  }
  return out;
}

/**
 * The document as Frappe writes it: every empty number field of the document and its rows stored as 0.
 * Runs after validation (a `reqd` Int left empty is still a MandatoryError, as in Frappe), just before the write.
 * @param doc - a validated document
 * @param ctx - the DocType and its child DocTypes
 * @returns the document to write
 */
export function zeroEmptyNumbers(doc: DocData, ctx: Pick<FieldtypeTierContext, 'doctype' | 'children'>): Draft {
  let out = zeroLevel(ctx.doctype, doc);
  for (const [table, child] of Object.entries(ctx.children)) {
    if (!Array.isArray(doc[table])) continue;
    // zeroLevel hands back the caller's own object when nothing was empty: copy before setting the rows.
    if (out === doc) out = { ...doc };
    out[table] = rowList(doc, table).map((row) => zeroLevel(child, row));
  }
  return out;
}
