/**
 * Choosing a new document's name: `Document.set_new_name` and `naming.set_new_name`
 * (`frappe/model/naming.py`, `frappe/model/document.py`).
 *
 * @module
 */
import { cstr } from '../schema/cast';
import type { Issue } from '../issues';
import type { DocType } from '../schema/types';
import type { NamingContext, NamingDoc } from './context';
import { amendedName } from './amend';
import { InvalidNamingSeriesError } from './errors';
import { namingIssue } from './issue';
import { formatAutoname, makeAutoname } from './series';
import { getOwn, pyStrip, pyTruthy } from './text';
import { isUuidText, uuidV7 } from './uuid';
import { isAutoincrement, validateName } from './validate';

/** The outcome of naming: a name, or the issues that prevented one (never both). */
export type NameResult =
  | {
      readonly name: string | number;
      readonly issues: readonly [];
      /**
       * Field values Frappe writes on the document while naming it: `naming_series` when it was empty and
       * the first option of the `naming_series` field was used. Absent when nothing is written.
       */
      readonly set?: Readonly<Record<string, unknown>>;
    }
  | { readonly name: undefined; readonly issues: readonly Issue[] };

/** Options of {@link resolveName}. */
export interface ResolveNameOptions {
  /** `insert(set_name=...)`: use this name (validated) instead of the autoname rules. @default undefined */
  readonly setName?: string | undefined;
}

type Outcome = { readonly name?: string | number; readonly issue?: Issue; readonly set?: Readonly<Record<string, unknown>> };

const failed = (issue: Issue): NameResult => ({ name: undefined, issues: [issue] });

function finish(doctype: DocType, name: unknown, ctx: NamingContext, set?: Readonly<Record<string, unknown>>): NameResult {
  const checked = validateName(doctype, name, ctx.applyNameCase === true ? doctype.name_case : undefined);
  if ('issue' in checked) return failed(checked.issue);
  return set ? { name: checked.name, issues: [], set } : { name: checked.name, issues: [] };
}

/**
 * The name a client already gave, kept only for `prompt` and `uuid` DocTypes. Local (unsaved) documents
 * carry a throw-away `new-...` name that Frappe's `set_local_name` clears first.
 */
function incomingName(doc: NamingDoc): string | number | undefined {
  if (pyTruthy(getOwn(doc, '__islocal'))) return undefined;
  const name = getOwn(doc, 'name');
  return typeof name === 'string' || typeof name === 'number' ? name : undefined;
}

/**
 * Name a new document as Frappe's `Document.set_new_name` does (`frappe/model/naming.py`):
 * 1. `__newname` with `autoname: Prompt`, or `opts.setName`, validated;
 * 2. otherwise the rules of {@link childRowName} (autoincrement, UUID, amendment, single, custom hook, the
 *    `autoname` forms of `frappe/model/naming.py`, hash), then `validate_name`.
 *
 * Problems in the data (missing `field:` value, no naming series, no prompt name, invalid name) come back
 * as `NAMING` issues carrying Frappe's message; nothing is thrown for them.
 *
 * @example
 * const r = await resolveName(salesInvoice, { naming_series: 'SINV-.YYYY.-' }, ctx);
 * r.name; // 'SINV-2024-00001'
 *
 * @param doctype - the document's DocType
 * @param doc - the document's values (not modified)
 * @param ctx - counters, clock, ids and lookups
 * @param opts - see {@link ResolveNameOptions}
 * @returns `{ name, issues: [] }` or `{ name: undefined, issues }`
 * @throws {InvalidNamingSeriesError} when the DocType's own `autoname` series is malformed (a definition bug)
 */
export async function resolveName(
  doctype: DocType,
  doc: NamingDoc,
  ctx: NamingContext,
  opts: ResolveNameOptions = {},
): Promise<NameResult> {
  const newname = getOwn(doc, '__newname');
  if (pyTruthy(newname) && (doctype.autoname ?? '').toLowerCase() === 'prompt') return finish(doctype, newname, ctx);
  if (pyTruthy(opts.setName)) return finish(doctype, opts.setName, ctx);
  return childRowName(doctype, doc, ctx);
}

/**
 * Frappe's `naming.set_new_name(doc)`, used for parents and child rows alike. For a child row with no
 * `autoname` this is a 10-character hash; a child DocType with its own `autoname` (e.g. `field:X`) is
 * named by it.
 *
 * @param doctype - the (child) DocType
 * @param doc - the row or document values (not modified)
 * @param ctx - the naming context
 * @returns the name, or the issues
 * @throws {InvalidNamingSeriesError} when the DocType's own `autoname` series is malformed
 */
export async function childRowName(doctype: DocType, doc: NamingDoc, ctx: NamingContext): Promise<NameResult> {
  const autoname = doctype.autoname ?? '';
  const lower = autoname.toLowerCase();
  // Any client-sent name is dropped, except for prompt and uuid (Frappe's in_import exception is not modelled).
  let name: string | number | undefined = lower === 'prompt' || lower === 'uuid' ? incomingName(doc) : undefined;

  if (isAutoincrement(doctype)) {
    // Returned as is: Frappe skips validate_name for sequence values.
    const next = ctx.autoincrement
      ? await ctx.autoincrement(doctype.name)
      : await ctx.counters.next(`autoincrement:${doctype.name}`);
    return { name: next, issues: [] };
  }

  if (autoname === 'UUID') {
    if (!pyTruthy(name)) return { name: (ctx.uuid ?? 'v7') === 'v7' ? uuidV7(ctx.clock, ctx.ids) : ctx.ids.uuid(), issues: [] };
    if (typeof name === 'string' && isUuidText(name)) return { name, issues: [] };
    return failed(
      namingIssue(`Invalid value specified for UUID: ${String(name)}`, 'InvalidUUIDValue', {
        doctype: doctype.name, field: 'name', value: name,
      }),
    );
  }

  const amendedFrom = getOwn(doc, 'amended_from');
  if (pyTruthy(amendedFrom)) {
    if ((ctx.amendNaming ?? 'Amend Counter') !== 'Default Naming') {
      const source = cstr(amendedFrom);
      const sourceAmendedFrom = ctx.getAmendedFrom ? await ctx.getAmendedFrom(doctype.name, source) : undefined;
      // Frappe returns here, before validate_name.
      return { name: amendedName(source, sourceAmendedFrom), issues: [] };
    }
  } else if (doctype.issingle) {
    name = doctype.name;
  }

  if (!pyTruthy(name) && ctx.customAutoname) name = (await ctx.customAutoname(doctype, doc)) ?? undefined;

  let set: Readonly<Record<string, unknown>> | undefined;
  if (!pyTruthy(name) && autoname) {
    const out = await fromNamingOptions(doctype, doc, ctx, name);
    if (out.issue) return failed(out.issue);
    name = out.name;
    set = out.set;
  }

  if (!pyTruthy(name)) name = ctx.ids.hash(10);
  return finish(doctype, name, ctx, set);
}

/** `set_name_from_naming_options` (`frappe/model/naming.py`): prefixes matched case-insensitively, in Frappe's order. */
async function fromNamingOptions(
  doctype: DocType,
  doc: NamingDoc,
  ctx: NamingContext,
  current: string | number | undefined,
): Promise<Outcome> {
  const autoname = doctype.autoname;
  const lower = autoname.toLowerCase();

  if (lower.startsWith('field:')) {
    const fieldname = autoname.slice('field:'.length);
    const name = pyStrip(cstr(getOwn(doc, fieldname)));
    if (name) return { name };
    const df = doctype.fields.find((f) => f.fieldname === fieldname);
    // meta.get_label: the field's label, "No Label" when the field does not exist.
    const label = df ? df.label || df.fieldname : 'No Label';
    return { issue: namingIssue(`${label} is required`, 'ValidationError', { doctype: doctype.name, field: fieldname }) };
  }

  if (lower.startsWith('naming_series:')) return byNamingSeries(doctype, doc, ctx);

  if (lower.startsWith('prompt')) {
    if (pyTruthy(current)) return { name: current as string | number };
    return { issue: namingIssue('Please set the document name', 'ValidationError', { doctype: doctype.name, field: 'name' }) };
  }

  if (lower.startsWith('format:')) return { name: await formatAutoname(autoname, doc, ctx) };
  if (autoname.includes('#')) return { name: await makeAutoname(autoname, doc, ctx) };
  // `hash`, or anything unrecognised: no name here, so the hash fallback applies.
  return {};
}

/** `set_name_by_naming_series`: the doc's series, or the first non-empty option of its `naming_series` field. */
async function byNamingSeries(doctype: DocType, doc: NamingDoc, ctx: NamingContext): Promise<Outcome> {
  let series = getOwn(doc, 'naming_series');
  let set: Readonly<Record<string, unknown>> | undefined;
  const fromDoc = pyTruthy(series);
  if (!fromDoc) {
    const df = doctype.fields.find((f) => f.fieldname === 'naming_series');
    const options = df ? (df.select_options ?? df.options.split('\n')) : [];
    series = options.find((o) => o);
    if (series) set = { naming_series: series };
  }
  if (!pyTruthy(series)) {
    return { issue: namingIssue('Naming Series mandatory', 'ValidationError', { doctype: doctype.name, field: 'naming_series' }) };
  }
  try {
    return { name: await makeAutoname(`${cstr(series)}.#####`, doc, ctx), ...(set ? { set } : {}) };
  } catch (error) {
    // A bad series typed into the document is a data problem; a bad option in the DocType is a definition bug.
    if (!fromDoc || !(error instanceof InvalidNamingSeriesError)) throw error;
    return {
      issue: namingIssue(error.message, 'InvalidNamingSeriesError', { doctype: doctype.name, field: 'naming_series', value: series }),
    };
  }
}
