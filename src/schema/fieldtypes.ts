/**
 * Frappe's fieldtype classes, exactly as `frappe/model/__init__.py` lists them
 * (`frappe/model/__init__.py`). Everything that asks "does this field hold a value / is it a table /
 * is it layout" asks here, so the lists exist once.
 *
 * @module
 */

/** Every fieldtype coworker accepts: the 43 of the DocField editor, plus `Long Int` and `Attachment Gallery`. */
export const FIELDTYPES = [
  'Autocomplete', 'Attach', 'Attach Image', 'Attachment Gallery', 'Barcode', 'Button', 'Check', 'Code', 'Color',
  'Column Break', 'Currency', 'Data', 'Date', 'Datetime', 'Duration', 'Dynamic Link', 'Float', 'Fold',
  'Geolocation', 'Heading', 'HTML', 'HTML Editor', 'Icon', 'Image', 'Int', 'JSON', 'Link', 'Long Int',
  'Long Text', 'Markdown Editor', 'Password', 'Percent', 'Phone', 'Read Only', 'Rating', 'Section Break',
  'Select', 'Signature', 'Small Text', 'Tab Break', 'Table', 'Table MultiSelect', 'Text', 'Text Editor', 'Time',
] as const;

export type Fieldtype = (typeof FIELDTYPES)[number];

/** Types that have a database column (`data_fieldtypes`, 35 entries). */
export const DATA_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Currency', 'Int', 'Long Int', 'Float', 'Percent', 'Check', 'Small Text', 'Long Text', 'Code', 'Text Editor',
  'Markdown Editor', 'HTML Editor', 'Date', 'Datetime', 'Time', 'Text', 'Data', 'Link', 'Dynamic Link', 'Password',
  'Select', 'Rating', 'Read Only', 'Attach', 'Attach Image', 'Signature', 'Color', 'Barcode', 'Geolocation',
  'Duration', 'Icon', 'Phone', 'Autocomplete', 'JSON',
]);

/** Types that hold no value of their own (`no_value_fields`; tables hold rows, not a column value). */
export const NO_VALUE_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Section Break', 'Column Break', 'Tab Break', 'HTML', 'Table', 'Table MultiSelect', 'Button', 'Image', 'Fold',
  'Heading', 'Attachment Gallery',
]);

/** Types that only shape the form (`display_fieldtypes` = no-value types minus tables). */
export const DISPLAY_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(
  [...NO_VALUE_FIELDTYPES].filter((t) => t !== 'Table' && t !== 'Table MultiSelect'),
);

/** Client `layout_fields`. */
export const LAYOUT_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Section Break', 'Column Break', 'Tab Break', 'Fold',
]);

/** Types whose value is a list of child rows. */
export const TABLE_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Table', 'Table MultiSelect']);

export const FLOAT_LIKE_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Float', 'Currency', 'Percent']);
export const INT_LIKE_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Int', 'Long Int', 'Check']);
export const NUMERIC_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Currency', 'Int', 'Long Int', 'Float', 'Percent', 'Check',
]);
export const DATETIME_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Datetime', 'Date', 'Time']);
export const ATTACHMENT_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Attach', 'Attach Image']);

/** Types stored as varchar(140 or `length`): the length check of `frappe/model/base_document.py` applies to them. */
export const VARCHAR_FIELDTYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Data', 'Link', 'Dynamic Link', 'Select', 'Read Only', 'Color', 'Icon', 'Phone', 'Autocomplete',
]);

/** `data_field_options`: the `options` values a Data field may carry. */
export const DATA_FIELD_OPTIONS = ['Email', 'Name', 'Phone', 'URL', 'Barcode'] as const;

/** `default_fields` without `doctype`: the standard columns of every table. */
export const STANDARD_FIELDNAMES = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx'] as const;

/** `child_table_fields`. */
export const CHILD_TABLE_FIELDNAMES = ['parent', 'parentfield', 'parenttype'] as const;

/** `optional_fields`. */
export const OPTIONAL_FIELDNAMES = ['_user_tags', '_comments', '_assign', '_liked_by', '_seen'] as const;

/** Standard fields that can never change once a document is inserted (`Meta.standard_set_once_fields`). */
export const STANDARD_SET_ONCE_FIELDNAMES = ['owner', 'creation'] as const;

/** True for a known fieldtype name. */
export function isFieldtype(value: unknown): value is Fieldtype {
  return typeof value === 'string' && (FIELDTYPES as readonly string[]).includes(value);
}
