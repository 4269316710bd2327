/**
 * Duplicate and amend: Desk's `frappe.model.copy_doc` (`frappe/model/__init__.py` and `frappe/public/js/frappe/model/model.js`) and the form's Amend action.
 *
 * @module
 */
import type { DocType } from '../schema/types';
import { formatDate } from '../util/datetime';
import { DocError } from './errors';
import { getField } from '../schema/fields';
import { build, resolveChildren } from './new';
import type { Parent } from './new';
import { EMPTY_DELTA, createDoc, freezeData, isDoc } from './state';
import type { CopyDocOptions, Doc, DocData } from './types';

// Keys copy_doc never copies, whatever the field says.
const NO_COPY_KEYS: ReadonlySet<string> = new Set(['name', 'amended_from', 'amendment_date', 'cancel_reason']);

/**
 * Copy the docfield values of `source` into a freshly built document or row of `meta` (client rules:
 * only keys that are fields of the DocType; not `__` keys, not the keys above, not Password fields, not
 * `no_copy` fields unless amending; Table rows copied recursively as new rows).
 */
function copyInto(
  meta: DocType,
  source: DocData,
  parent: Parent | undefined,
  children: Readonly<Record<string, DocType>>,
  getChild: (fieldname: string, options: string) => DocType,
  opts: CopyDocOptions,
): Record<string, unknown> {
  const amend = opts.amend === true;
  const target = build(meta, children, {}, parent, opts);
  for (const key of Object.keys(source)) {
    const df = getField(meta, key);
    if (!df || key.startsWith('__') || NO_COPY_KEYS.has(key) || (!amend && df.no_copy) || df.fieldtype === 'Password') continue;
    if (df.fieldclass === 'display') continue;
    if (df.fieldclass === 'table') {
      const rows = source[key];
      if (!Array.isArray(rows)) continue;
      const childMeta = getChild(key, df.options);
      const out = target[key] as Record<string, unknown>[];
      const parentRef: Parent = { data: target, field: df };
      for (const row of rows as DocData[]) out.push(copyInto(childMeta, row, parentRef, {}, getChild, opts));
      continue;
    }
    target[key] = source[key];
  }
  Object.assign(target, {
    __islocal: 1, docstatus: 0, owner: opts.user.name, creation: '', modified_by: opts.user.name, modified: '',
  });
  // Desk also nulls lft / rgt on every copy; we do it only where they are fields (tree DocTypes), so copies of
  // other DocTypes do not grow keys that are no columns.
  if (getField(meta, 'lft')) target.lft = null;
  if (getField(meta, 'rgt')) target.rgt = null;
  if (amend && parent) target._amended_from = source.name;
  return target;
}

/**
 * A new document copied from another (`frappe.model.copy_doc`), or its amendment.
 *
 * The copy starts from a new document with defaults, then takes every docfield value of the source except
 * `name`, `amended_from`, `amendment_date`, `cancel_reason`, `__` keys, Password fields and (unless
 * amending) `no_copy` fields. Rows become new rows (temporary names, `parent` = the copy). The copy has
 * `docstatus` 0, `owner` / `modified_by` the current user, empty `creation` / `modified`. Amending also sets
 * `amended_from` = the source's name (and `amendment_date` = today where that field exists), and each row
 * gets `_amended_from` = its source row's name.
 *
 * @param source the document to copy (a Doc or plain data)
 * @param doctype the DocType of the source and the copy
 * @param opts defaults options plus `amend` @default { amend: false }
 * @returns a new Doc (`isNew`, empty delta; `original` is the copied state)
 * @throws DocError `DOC_UNKNOWN_FIELD` when amending a DocType without an `amended_from` field
 */
export function copyDoc(source: Doc | DocData, doctype: DocType, opts: CopyDocOptions): Doc {
  const data = isDoc(source) ? source.data : (source as DocData);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DocError('DOC_INVALID_DATA', `${doctype.name}: document data must be an object`, { doctype: doctype.name });
  }
  if (opts.amend && !getField(doctype, 'amended_from')) {
    throw new DocError('DOC_UNKNOWN_FIELD', `${doctype.name} has no amended_from field, so it cannot be amended`, {
      doctype: doctype.name, field: 'amended_from',
    });
  }
  const children = isDoc(source) && source.meta === doctype ? source.children : resolveChildren(doctype, opts.getDoctype);
  const getChild = (fieldname: string, options: string) => children[fieldname] ?? opts.getDoctype(options);
  const copy = copyInto(doctype, data, undefined, children, getChild, opts);
  if (opts.amend) {
    copy.amended_from = data.name ?? null;
    if (getField(doctype, 'amendment_date')) copy.amendment_date = formatDate(opts.clock(), opts.timeZone);
  }
  const frozen: DocData = freezeData(copy);
  return createDoc({ meta: doctype, children, original: frozen, data: frozen, delta: EMPTY_DELTA }, undefined);
}
