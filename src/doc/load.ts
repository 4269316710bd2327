/**
 * Wrapping an existing document (as Frappe returns it) in a {@link Doc}.
 *
 * @module
 */
import { randomIds } from '../env';
import type { IdGenerator } from '../env';
import type { DocType } from '../schema/types';
import { DocError } from './errors';
import { tableFields } from '../schema/fields';
import { temporaryName } from './names';
import { EMPTY_DELTA, createDoc, freezeData } from './state';
import { resolveChildren } from './new';
import type { Doc, DocData, GetDoctype } from './types';

/** Options of {@link loadDoc}. */
export interface LoadDocOptions {
  /** Resolves child DocTypes; required when the DocType has Table fields. */
  readonly getDoctype?: GetDoctype;
  /** Names rows that arrive without one. @default randomIds */
  readonly ids?: IdGenerator;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Copy arrays and plain objects recursively, so freezing the document never freezes the caller's objects. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isRecord(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyPlain(v);
    return out;
  }
  return value;
}

/**
 * Wrap an existing document: `original` and `data` are the (normalised, frozen) input, the delta is empty.
 *
 * Normalisation, as Frappe's `Document` constructor does it: missing `doctype` and `docstatus` (0) are
 * filled, a missing Table field becomes `[]`, and each row gets its missing `doctype`, `parent`,
 * `parentfield`, `parenttype` and `idx` (position + 1). Rows keep their names; a row without a name gets
 * a temporary one (rows are identified by name in deltas). The input is copied, never mutated.
 *
 * @param doctype the normalised DocType
 * @param input the document as plain data (`frappe.get_doc(...).as_dict()` or a REST response)
 * @param opts child DocType lookup and id source
 * @returns a Doc with `isNew` following `data.__islocal`
 * @throws DocError `DOC_INVALID_DATA` (not an object, wrong doctype, a table that is not a list of objects,
 *   duplicate row names), `DOC_NO_LOOKUP` (tables but no `getDoctype`)
 */
export function loadDoc(doctype: DocType, input: unknown, opts: LoadDocOptions = {}): Doc {
  const data = copyPlain(input);
  const where = { doctype: doctype.name };
  if (!isRecord(data)) throw new DocError('DOC_INVALID_DATA', `${doctype.name}: document data must be an object`, where);
  if (data.doctype != null && data.doctype !== doctype.name) {
    throw new DocError('DOC_INVALID_DATA', `data is a ${String(data.doctype)}, not a ${doctype.name}`, where);
  }
  const tables = tableFields(doctype);
  if (tables.length && !opts.getDoctype) {
    throw new DocError('DOC_NO_LOOKUP', `${doctype.name} has Table fields: loadDoc needs opts.getDoctype`, where);
  }
  const children: Readonly<Record<string, DocType>> = opts.getDoctype ? resolveChildren(doctype, opts.getDoctype) : Object.freeze({});
  const out: Record<string, unknown> = { ...data, doctype: doctype.name, docstatus: data.docstatus ?? 0 };
  for (const df of tables) {
    const given = data[df.fieldname] ?? [];
    const childName = children[df.fieldname]?.name ?? df.options;
    const fieldWhere = { ...where, field: df.fieldname };
    if (!Array.isArray(given)) throw new DocError('DOC_INVALID_DATA', `${doctype.name}.${df.fieldname} must be a list`, fieldWhere);
    const seen = new Set<string>();
    out[df.fieldname] = given.map((row: unknown, i) => {
      if (!isRecord(row)) throw new DocError('DOC_INVALID_DATA', `${doctype.name}.${df.fieldname}[${i}] is not an object`, fieldWhere);
      const name = typeof row.name === 'string' && row.name ? row.name : temporaryName(childName, opts.ids ?? randomIds);
      if (seen.has(name)) {
        throw new DocError('DOC_INVALID_DATA', `${doctype.name}.${df.fieldname}: two rows named ${JSON.stringify(name)}`, {
          ...fieldWhere, table: df.fieldname, rowname: name,
        });
      }
      seen.add(name);
      return {
        ...row,
        name,
        doctype: row.doctype ?? childName,
        parent: row.parent ?? data.name ?? null,
        parentfield: row.parentfield ?? df.fieldname,
        parenttype: row.parenttype ?? doctype.name,
        idx: row.idx ?? i + 1,
      };
    });
  }
  const frozen: DocData = freezeData(out);
  return createDoc({ meta: doctype, children, original: frozen, data: frozen, delta: EMPTY_DELTA }, undefined);
}
