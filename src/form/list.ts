/**
 * List-view and title helpers per DocType, chosen as Frappe's Desk chooses them:
 * - `listViewFields`: `frappe.views.ListView.setup_columns` (`frappe/public/js/frappe/list/list_view.js`): the
 *   title field (or `name`), then the value fields marked `in_list_view` (not the title field; not `status` when
 *   the DocType shows an indicator), at most `limit` columns (Desk's default 6 on a normal screen).
 * - `titleOf`: the form's title (`frm.get_title`) and the server's `set_title_field`
 *   (`frappe/model/document.py`): the title field's value, else its `{fieldname}` template default filled in from
 *   the document, else the name.
 * - `searchFields`: what a Link search looks in (`frappe/desk/search.py`): `name`, then `search_fields`, then the
 *   title field when `show_title_field_in_link` is set.
 * - `standardFilters`: the list's standard filter bar (`frappe/public/js/frappe/list/base_list.js`): `name`
 *   (like), then each value field marked `in_standard_filter`, text-like ones matched with `like`.
 *
 * @module
 */
import { valueFields } from '../schema/fields';
import type { DocData } from '../rules/types';
import type { DocField, DocType } from '../schema/types';

/** A list-view column. */
export interface ListColumn {
  readonly fieldname: string;
  readonly label: string;
  readonly fieldtype: string;
  /** `subject` (the title / name column) or `field`. */
  readonly kind: 'subject' | 'field';
}

/** A standard filter of the list view. */
export interface StandardFilter {
  readonly fieldname: string;
  readonly label: string;
  readonly fieldtype: string;
  readonly options: string;
  /** The operator the filter applies (`like` for text, `=` otherwise). */
  readonly condition: 'like' | '=';
}

const LIKE_TYPES = new Set(['Text', 'Small Text', 'Text Editor', 'HTML Editor', 'Markdown Editor', 'Data', 'Code', 'Phone', 'JSON', 'Read Only', 'Long Text']);
const NO_COLUMN = new Set(['Table', 'Table MultiSelect', 'Attach Image', 'Signature', 'Password', 'Text Editor', 'HTML Editor', 'Code', 'Long Text', 'Markdown Editor', 'JSON', 'Geolocation']);

/** Whether the list shows a status indicator for the DocType (`frappe.has_indicator`: submittable or a `status` field). */
function hasIndicator(doctype: DocType): boolean {
  return doctype.is_submittable === 1 || doctype.fields.some((f) => f.fieldname === 'status' && f.fieldtype === 'Select');
}

function titleField(doctype: DocType): DocField | undefined {
  return doctype.title_field ? doctype.fields.find((f) => f.fieldname === doctype.title_field) : undefined;
}

/**
 * The list view's columns for a DocType.
 * @param doctype - the DocType
 * @param limit - how many columns at most (Desk: 4, 6 or 8 by screen width; `List View Settings.total_fields`) @default 6
 */
export function listViewFields(doctype: DocType, limit = 6): ListColumn[] {
  const title = titleField(doctype);
  const cols: ListColumn[] = [
    title
      ? { fieldname: title.fieldname, label: title.label ?? title.fieldname, fieldtype: title.fieldtype, kind: 'subject' }
      : { fieldname: 'name', label: 'Name', fieldtype: 'Data', kind: 'subject' },
  ];
  const indicator = hasIndicator(doctype);
  for (const df of valueFields(doctype)) {
    if (df.in_list_view !== 1 || NO_COLUMN.has(df.fieldtype) || df.fieldname === doctype.title_field) continue;
    if (indicator && df.fieldname === 'status') continue;
    cols.push({ fieldname: df.fieldname, label: df.label ?? df.fieldname, fieldtype: df.fieldtype, kind: 'field' });
  }
  return cols.slice(0, Math.max(1, limit));
}

/**
 * The title of a document: its title field's value, else that field's `{field}` template filled from the
 * document (missing values as empty text), else its name.
 * @param doctype - the DocType
 * @param doc - the document
 */
export function titleOf(doctype: DocType, doc: DocData): string {
  const df = titleField(doctype);
  if (df) {
    const value = doc[df.fieldname];
    if (value !== null && value !== undefined && value !== '') return String(value);
    if (df.default && df.default.includes('{')) {
      return df.default.replace(/\{(\w+)\}/g, (_, key: string) => {
        const v = doc[key];
        return v === null || v === undefined ? '' : String(v);
      });
    }
  }
  return typeof doc.name === 'string' ? doc.name : '';
}

/**
 * The fields a Link search looks in: `name`, the DocType's `search_fields`, and the title field when
 * `show_title_field_in_link` is set. Unknown names in `search_fields` are left out.
 * @param doctype - the DocType
 */
export function searchFields(doctype: DocType): string[] {
  const out = ['name'];
  const known = new Set(doctype.fields.map((f) => f.fieldname));
  for (const f of (doctype.search_fields ?? '').split(',').map((s) => s.trim())) {
    if (f && known.has(f) && !out.includes(f)) out.push(f);
  }
  const title = titleField(doctype);
  if (title && (doctype as { show_title_field_in_link?: unknown }).show_title_field_in_link === 1 && !out.includes(title.fieldname)) out.push(title.fieldname);
  return out;
}

/**
 * The list view's standard filters: `name`, then the value fields marked `in_standard_filter`.
 * @param doctype - the DocType
 */
export function standardFilters(doctype: DocType): StandardFilter[] {
  const out: StandardFilter[] = [{ fieldname: 'name', label: 'ID', fieldtype: 'Data', options: '', condition: 'like' }];
  for (const df of valueFields(doctype)) {
    if ((df as { in_standard_filter?: unknown }).in_standard_filter !== 1 || df.fieldtype === 'Table' || df.fieldtype === 'Table MultiSelect') continue;
    out.push({
      fieldname: df.fieldname, label: df.label ?? df.fieldname, fieldtype: df.fieldtype, options: df.options,
      condition: LIKE_TYPES.has(df.fieldtype) ? 'like' : '=',
    });
  }
  return out;
}
