/**
 * Frappe's `Version` DocType as data: what an engine with a `track_changes` DocType registers at `createEngine`.
 * The diff and the write of a Version (versions.ts) load on the first save of such a DocType.
 *
 * @module
 */

/** The name of Frappe's Version DocType. */
export const VERSION_DOCTYPE = 'Version';

/**
 * Frappe's `Version` DocType (frappe/core/doctype/version/version.json: the same fields, naming and
 * permissions), added to an engine whose registry has a DocType with `track_changes` and no `Version`. Frappe's
 * own JSON of it loads in its place.
 */
export const VERSION_DOCTYPE_JSON = Object.freeze({
  doctype: 'DocType', name: VERSION_DOCTYPE, module: 'Core', autoname: 'hash', naming_rule: 'Random', track_changes: 1,
  in_create: 1, title_field: 'docname', sort_field: 'creation', sort_order: 'DESC',
  field_order: ['ref_doctype', 'column_break_3', 'docname', 'data', 'section_break_4', 'table_html'],
  fields: [
    { fieldname: 'ref_doctype', label: 'Ref DocType', fieldtype: 'Link', options: 'DocType', reqd: 1, in_list_view: 1, in_standard_filter: 1, read_only: 1 },
    { fieldname: 'column_break_3', fieldtype: 'Column Break' },
    // Indexed: `engine.history()` reads by docname (Frappe indexes (ref_doctype, docname) in `on_doctype_update`).
    { fieldname: 'docname', label: 'Docname', fieldtype: 'Data', reqd: 1, in_list_view: 1, in_standard_filter: 1, read_only: 1, search_index: 1 },
    { fieldname: 'data', label: 'Data', fieldtype: 'Code', read_only: 1 },
    { fieldname: 'section_break_4', fieldtype: 'Section Break' },
    { fieldname: 'table_html', label: 'Table HTML', fieldtype: 'HTML' },
  ],
  permissions: [
    { role: 'System Manager', read: 1, export: 1, report: 1 },
    { role: 'Administrator', read: 1, delete: 1 },
  ],
});
