/**
 * Which keys a document write may touch, and the Table-field check of the row functions. Field lookups
 * themselves are the schema layer's (cached per DocType).
 *
 * @module
 */
import { getField } from '../schema/fields';
import type { DocField, DocType } from '../schema/types';
import { CHILD_TABLE_FIELDNAMES, OPTIONAL_FIELDNAMES, STANDARD_FIELDNAMES } from '../schema/fieldtypes';
import { DocError } from './errors';

const STANDARD_KEYS: ReadonlySet<string> = new Set<string>([...STANDARD_FIELDNAMES, ...OPTIONAL_FIELDNAMES]);
const ROW_MANAGED_KEYS: ReadonlySet<string> = new Set<string>(['idx', ...CHILD_TABLE_FIELDNAMES]);

/**
 * Check that `fieldname` may be written with a plain value and return its DocField (`undefined` for a
 * standard column or a private `__` key, which have none).
 *
 * Allowed: value fields of the DocType, the standard columns (`name`, `owner`, `docstatus`...), the optional
 * bookkeeping columns and private `__` keys (`__newname`, `__unsaved`...). Refused, each with its own code:
 * Table fields, layout fields, `doctype`, and on child rows `idx` / `parent` / `parentfield` / `parenttype`
 * (position and parentage are kept right by the row functions).
 */
export function writableField(
  meta: DocType,
  fieldname: string,
  where: { table?: string | undefined; rowname?: string | undefined } = {},
): DocField | undefined {
  const ctx = { doctype: meta.name, field: fieldname, ...where };
  const df = getField(meta, fieldname);
  if (df) {
    if (df.fieldclass === 'table') {
      throw new DocError('DOC_TABLE_FIELD', `${meta.name}.${fieldname} is a Table field: use addRow / removeRow / setRowValue`, ctx);
    }
    if (df.fieldclass === 'display') {
      throw new DocError('DOC_NO_VALUE_FIELD', `${meta.name}.${fieldname} is a ${df.fieldtype} and holds no value`, ctx);
    }
    return df;
  }
  if (fieldname === 'doctype' || (where.rowname !== undefined && ROW_MANAGED_KEYS.has(fieldname))) {
    throw new DocError('DOC_MANAGED_FIELD', `${fieldname} of ${meta.name} is managed by the document layer`, ctx);
  }
  if (STANDARD_KEYS.has(fieldname) || fieldname.startsWith('__')) return undefined;
  throw new DocError('DOC_UNKNOWN_FIELD', `${meta.name} has no field ${JSON.stringify(fieldname)}`, ctx);
}

/** The Table DocField named `fieldname`, or a `DOC_NOT_TABLE` error. */
export function tableField(meta: DocType, fieldname: string): DocField {
  const df = getField(meta, fieldname);
  if (!df || df.fieldclass !== 'table') {
    throw new DocError('DOC_NOT_TABLE', `${meta.name}.${fieldname} is not a Table field`, { doctype: meta.name, field: fieldname });
  }
  return df;
}
