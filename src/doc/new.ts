/**
 * New documents and child rows with client defaults (`frappe.model.get_new_doc`, `frappe/public/js/frappe/model/create_new.js`).
 *
 * A new document starts as `{docstatus: 0, doctype, name: 'new-<slug>-<hash>', __islocal: 1,
 * __unsaved: 1, owner}`; caller values come next (so they block defaults), then defaults. A parent also
 * gets `__run_link_triggers: 1` (Desk runs link triggers on first load); a child row gets `parent`,
 * `parentfield`, `parenttype` and `idx = rows + 1`, and keeps its temporary name until the parent is saved
 * (the naming layer replaces it; Frappe's server-side `__temporary_name` is not used by the client).
 *
 * @module
 */
import type { DocField, DocType } from '../schema/types';
import { defaultsFor } from './defaults';
import { DocError } from './errors';
import { tableFields } from '../schema/fields';
import { tableField, writableField } from './fields';
import { temporaryName } from './names';
import { EMPTY_DELTA, createDoc, freezeData, isDoc } from './state';
import type { DefaultsOptions, Doc, DocData, GetDoctype, NewDocOptions } from './types';

/** Resolve the child DocType of every Table field, once per document. */
export function resolveChildren(meta: DocType, getDoctype: GetDoctype): Readonly<Record<string, DocType>> {
  // No prototype: a field named `constructor` or `toString` must not find Object.prototype's members.
  const children: Record<string, DocType> = Object.create(null);
  for (const df of tableFields(meta)) children[df.fieldname] = getDoctype(df.options);
  return Object.freeze(children);
}

/** The parent of a row being built: its data (possibly still under construction) and the Table field. */
export interface Parent {
  readonly data: DocData;
  readonly field: DocField;
}

function rowValuesOf(meta: DocType, df: DocField, given: unknown): readonly Readonly<Record<string, unknown>>[] {
  if (given == null) return [];
  if (!Array.isArray(given) || !given.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
    throw new DocError('DOC_INVALID_DATA', `${meta.name}.${df.fieldname} must be a list of row objects`, {
      doctype: meta.name, field: df.fieldname,
    });
  }
  return given as Readonly<Record<string, unknown>>[];
}

/**
 * Build (unfrozen) a new document or row of `meta`: base keys, caller values, defaults, parent keys, rows.
 * `children` maps Table fieldnames to child DocTypes. Internal to the document layer.
 */
export function build(
  meta: DocType,
  children: Readonly<Record<string, DocType>>,
  values: Readonly<Record<string, unknown>>,
  parent: Parent | undefined,
  opts: DefaultsOptions & { readonly withMandatoryChildren?: boolean },
): Record<string, unknown> {
  const name = temporaryName(meta.name, opts.ids);
  const where = parent ? { table: parent.field.fieldname, rowname: name } : {};
  const tableValues = new Map<string, unknown>();
  // The caller's values as they are, unless a table or an `undefined` must be taken out.
  let plain = true;
  for (const key of Object.keys(values)) {
    if (Object.hasOwn(children, key)) {
      tableValues.set(key, values[key]);
      plain = false;
      continue;
    }
    writableField(meta, key, where);
    if (values[key] === undefined) plain = false;
  }
  const given = plain ? values : Object.fromEntries(Object.entries(values).filter(([k]) => !tableValues.has(k)).map(([k, v]) => [k, v === undefined ? null : v]));
  // Built with spreads in one go, not key by key: a wide row stays in V8's fast-properties mode, so every
  // later copy of it is cheap (key-by-key stores of many computed keys turn an object into a slow dictionary).
  const start = { docstatus: 0, doctype: meta.name, name, __islocal: 1, __unsaved: 1, owner: opts.user.name, ...given };
  const defaults = defaultsFor(meta, start, parent?.data, opts);
  const siblings = parent ? parent.data[parent.field.fieldname] : undefined;
  const target: Record<string, unknown> = {
    ...start,
    ...(defaults.length ? Object.fromEntries(defaults) : undefined),
    ...(parent
      ? { parent: parent.data.name, parentfield: parent.field.fieldname, parenttype: parent.data.doctype, idx: (Array.isArray(siblings) ? siblings.length : 0) + 1 }
      : { __run_link_triggers: 1 }),
  };
  for (const df of tableFields(meta)) {
    const childMeta = children[df.fieldname];
    const rows: DocData[] = [];
    target[df.fieldname] = rows;
    if (!childMeta) continue;
    const given = rowValuesOf(meta, df, tableValues.get(df.fieldname));
    // Row defaults may read the parent (`:Company` defaults), which `target` already holds.
    const parentRef: Parent = { data: target, field: df };
    for (const rowValues of given) rows.push(build(childMeta, {}, rowValues, parentRef, opts));
    if (opts.withMandatoryChildren && !meta.istable && df.fieldtype === 'Table' && df.reqd && rows.length === 0) {
      rows.push(build(childMeta, {}, {}, parentRef, opts));
    }
  }
  return target;
}

/**
 * A new document with client defaults (`frappe.model.get_new_doc`).
 *
 * @param doctype the normalised DocType
 * @param opts user, clock, ids, child DocType lookup; `values` are applied before defaults and block them
 * @returns a Doc whose `original` is the initial state (defaults included) and whose delta is empty
 * @throws DocError `DOC_UNKNOWN_FIELD` (and the other write codes) for a bad key in `opts.values`
 *
 * @example
 * const doc = newDoc(todo, { user, clock: systemClock, ids: randomIds, getDoctype: registry.get });
 * doc.data.status; // 'Open' (the Select's default)
 */
export function newDoc(doctype: DocType, opts: NewDocOptions): Doc {
  const children = resolveChildren(doctype, opts.getDoctype);
  const data = freezeData(build(doctype, children, opts.values ?? {}, undefined, opts));
  return createDoc({ meta: doctype, children, original: data, data, delta: EMPTY_DELTA }, undefined);
}

/**
 * A new child row for `parent[tableFieldname]`, with client defaults (parent-aware), `parent`,
 * `parentfield`, `parenttype` and `idx` (rows + 1). The row is not added; see {@link addRow}.
 *
 * @param parent the parent Doc, or its plain data (then its DocType comes from `opts.getDoctype`)
 * @param tableFieldname the Table field
 * @param values row values, applied before defaults
 * @returns the frozen row
 * @throws DocError `DOC_NOT_TABLE` when the field is not a Table field; write codes for bad `values` keys
 */
export function newRow(
  parent: Doc | DocData,
  tableFieldname: string,
  values: Readonly<Record<string, unknown>> = {},
  opts: DefaultsOptions,
): DocData {
  const doc = isDoc(parent) ? parent : undefined;
  const data = doc ? doc.data : (parent as DocData);
  const meta = doc ? doc.meta : opts.getDoctype(String(data.doctype));
  const df = tableField(meta, tableFieldname);
  const childMeta = doc?.children[tableFieldname] ?? opts.getDoctype(df.options);
  return freezeData(build(childMeta, {}, values, { data, field: df }, opts));
}
