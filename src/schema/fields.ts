/**
 * Field lookups on a DocType, cached per DocType object. DocTypes are frozen, so the caches live in
 * `WeakMap`s keyed by the DocType (never written onto it) and die with it.
 *
 * @module
 */
import type { DocField, DocType } from './types';

const indexes = new WeakMap<DocType, ReadonlyMap<string, DocField>>();
const valueLists = new WeakMap<DocType, readonly DocField[]>();
const tableLists = new WeakMap<DocType, readonly DocField[]>();

/**
 * The field named `fieldname`, in O(1) after the first call for this DocType.
 * @param doctype - a normalised DocType
 * @param fieldname - the field's name
 * @returns the field, or `undefined` when the DocType has none of that name
 */
export function getField(doctype: DocType, fieldname: string): DocField | undefined {
  let index = indexes.get(doctype);
  if (!index) {
    index = new Map(doctype.fields.map((f) => [f.fieldname, f]));
    indexes.set(doctype, index);
  }
  return index.get(fieldname);
}

/**
 * Fields that hold a value (a column: `data_fieldtypes`, `frappe/model/__init__.py`), in field order.
 * @param doctype - a normalised DocType
 * @returns a frozen, cached list
 */
export function valueFields(doctype: DocType): readonly DocField[] {
  return cached(valueLists, doctype, 'value');
}

/**
 * Table and Table MultiSelect fields (their rows live in a child DocType), in field order.
 * @param doctype - a normalised DocType
 * @returns a frozen, cached list
 */
export function tableFields(doctype: DocType): readonly DocField[] {
  return cached(tableLists, doctype, 'table');
}

function cached(cache: WeakMap<DocType, readonly DocField[]>, doctype: DocType, fieldclass: DocField['fieldclass']): readonly DocField[] {
  let list = cache.get(doctype);
  if (!list) {
    list = Object.freeze(doctype.fields.filter((f) => f.fieldclass === fieldclass));
    cache.set(doctype, list);
  }
  return list;
}

/**
 * The label to show for a field: its `label`, or, when that is empty, the fieldname title-cased the way
 * Frappe's `unscrub` does (`_` and `-` become spaces, then Python's `str.title()`: `sales_order_2b` →
 * `Sales Order 2B`).
 * @param df - a field
 * @returns the display label
 */
export function fieldLabel(df: Pick<DocField, 'label' | 'fieldname'>): string {
  if (df.label) return df.label;
  // Fields are frozen, so the derived label can be kept (it is built with a Unicode regex per character).
  let label = derivedLabels.get(df);
  if (label === undefined) derivedLabels.set(df, (label = pythonTitle(df.fieldname.replace(/[_-]/g, ' '))));
  return label;
}
const derivedLabels = new WeakMap<object, string>();

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/** Python `str.title()`: a cased letter after a cased letter is lowercased, any other is uppercased. */
function pythonTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const char of text) {
    const cased = CASED.test(char);
    out += cased ? (previousCased ? char.toLowerCase() : char.toUpperCase()) : char;
    previousCased = cased;
  }
  return out;
}
