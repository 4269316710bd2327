/**
 * Frappe `get_list` cases shared by the storage conformance suite (every adapter must return exactly these
 * names) and the oracle test (real Frappe v15 on PostgreSQL returns the same names for the same documents).
 * The expected names follow `frappe/model/db_query.py`: `ifnull` fallbacks, `like` as `ilike`, `in` values
 * stripped and split on commas, `between` spanning whole days on Datetime fields.
 */

/** A child table and its parent, with names of their own (the oracle refuses standard names). */
export const LIST_ROW_JSON = {
  name: 'CW List Row', doctype: 'DocType', module: 'Custom', istable: 1,
  fields: [
    { fieldname: 'item', fieldtype: 'Data', label: 'Item' },
    { fieldname: 'qty', fieldtype: 'Float', label: 'Qty' },
  ],
};
export const LIST_ORDER_JSON = {
  name: 'CW List Order', doctype: 'DocType', module: 'Custom', autoname: 'field:title',
  fields: [
    { fieldname: 'title', fieldtype: 'Data', label: 'Title', reqd: 1 },
    { fieldname: 'status', fieldtype: 'Select', label: 'Status', options: 'Draft\nOpen\nClosed' },
    { fieldname: 'customer', fieldtype: 'Data', label: 'Customer' },
    { fieldname: 'qty_total', fieldtype: 'Int', label: 'Qty Total' },
    { fieldname: 'amount', fieldtype: 'Currency', label: 'Amount' },
    { fieldname: 'posting_date', fieldtype: 'Date', label: 'Posting Date' },
    { fieldname: 'due', fieldtype: 'Datetime', label: 'Due' },
    { fieldname: 'notes', fieldtype: 'Small Text', label: 'Notes' },
    { fieldname: 'items', fieldtype: 'Table', label: 'Items', options: 'CW List Row' },
  ],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
};
export const LIST_DOCTYPE = 'CW List Order';

/** The documents, in insertion order (so `modified` grows from the first to the last). */
export const LIST_DOCS: readonly Record<string, unknown>[] = [
  { title: 'SO-001', status: 'Open', customer: 'Acme Corp', qty_total: 5, amount: 100.5, posting_date: '2024-01-10', due: '2024-01-10 09:00:00', items: [{ item: 'WIDGET', qty: 2 }] },
  { title: 'SO-002', status: 'Draft', customer: 'acme ltd', qty_total: 0, amount: 0, posting_date: '2024-01-31', due: '2024-01-31 23:30:00', items: [{ item: 'GADGET', qty: 1 }, { item: 'WIDGET', qty: 5 }] },
  { title: 'SO-003', status: 'Closed', qty_total: 12, amount: 2500, posting_date: '2024-02-01', due: '2024-02-01 00:00:00', items: [] },
  { title: 'SO-004', status: 'Open', customer: 'Beta', qty_total: 7, amount: 75, notes: 'rush', items: [] },
  { title: 'SO-010', status: 'Draft', customer: 'Gamma, Inc', qty_total: 3, amount: 10, posting_date: '2023-12-31', due: '2023-12-31 23:59:59', items: [] },
];

/** One case: get_list arguments and the names Frappe returns (in order). */
export interface ListCase {
  readonly title: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly names: readonly string[];
  /** The rows as returned, when the case checks more than names. */
  readonly rows?: readonly Record<string, unknown>[];
}

const byName = { order_by: 'name asc' };

export const LIST_CASES: readonly ListCase[] = [
  { title: 'dict filter, =', args: { filters: { status: 'Open' }, ...byName }, names: ['SO-001', 'SO-004'] },
  { title: '= is case-sensitive (PostgreSQL)', args: { filters: { customer: 'ACME LTD' }, ...byName }, names: [] },
  { title: '!= matches nulls (ifnull)', args: { filters: [['customer', '!=', 'Beta']], ...byName }, names: ['SO-001', 'SO-002', 'SO-003', 'SO-010'] },
  { title: '[doctype, field, op, value] form', args: { filters: [['CW List Order', 'status', '!=', 'Open']], ...byName }, names: ['SO-002', 'SO-003', 'SO-010'] },
  { title: 'like %x% is case-insensitive (ilike)', args: { filters: { customer: ['like', '%ACME%'] }, ...byName }, names: ['SO-001', 'SO-002'] },
  { title: 'like x%', args: { filters: { customer: ['like', 'acme%'] }, ...byName }, names: ['SO-001', 'SO-002'] },
  { title: 'like %x', args: { filters: { customer: ['like', '%inc'] }, ...byName }, names: ['SO-010'] },
  { title: 'like without % is a case-insensitive equality', args: { filters: { customer: ['like', 'beta'] }, ...byName }, names: ['SO-004'] },
  // Frappe rewrites `like` to `ilike` on PostgreSQL but not `not like`: 'Acme Corp' is not like '%acme%'.
  { title: 'not like matches nulls and is case-sensitive', args: { filters: { customer: ['not like', '%acme%'] }, ...byName }, names: ['SO-001', 'SO-003', 'SO-004', 'SO-010'] },
  { title: 'not like', args: { filters: { customer: ['not like', '%Corp'] }, ...byName }, names: ['SO-002', 'SO-003', 'SO-004', 'SO-010'] },
  { title: 'is set', args: { filters: { customer: ['is', 'set'] }, ...byName }, names: ['SO-001', 'SO-002', 'SO-004', 'SO-010'] },
  { title: 'is not set', args: { filters: { customer: ['is', 'not set'] }, ...byName }, names: ['SO-003'] },
  { title: '= "" means not set', args: { filters: { notes: '' }, ...byName }, names: ['SO-001', 'SO-002', 'SO-003', 'SO-010'] },
  { title: '= "" on a Data field matches nulls', args: { filters: { customer: '' }, ...byName }, names: ['SO-003'] },
  { title: '!= "" never matches nulls', args: { filters: { customer: ['!=', ''] }, ...byName }, names: ['SO-001', 'SO-002', 'SO-004', 'SO-010'] },
  { title: 'like "" matches nulls and blanks', args: { filters: { customer: ['like', ''] }, ...byName }, names: ['SO-003'] },
  { title: '< on text compares code points and matches nulls', args: { filters: { customer: ['<', 'B'] }, ...byName }, names: ['SO-001', 'SO-003'] },
  { title: '!= on an Int', args: { filters: { qty_total: ['!=', 5] }, ...byName }, names: ['SO-002', 'SO-003', 'SO-004', 'SO-010'] },
  { title: '< with a number as text on a Currency', args: { filters: { amount: ['<', '50'] }, ...byName }, names: ['SO-002', 'SO-010'] },
  { title: 'in with a list', args: { filters: { customer: ['in', ['Beta', 'Acme Corp']] }, ...byName }, names: ['SO-001', 'SO-004'] },
  { title: 'in with a comma-separated string (values stripped)', args: { filters: { customer: ['in', 'Beta, Acme Corp'] }, ...byName }, names: ['SO-001', 'SO-004'] },
  { title: 'in with numbers as strings on an Int field', args: { filters: { qty_total: ['in', ['5', '7']] }, ...byName }, names: ['SO-001', 'SO-004'] },
  { title: 'not in matches nulls', args: { filters: { customer: ['not in', ['Beta']] }, ...byName }, names: ['SO-001', 'SO-002', 'SO-003', 'SO-010'] },
  { title: 'between on a Date', args: { filters: { posting_date: ['between', ['2024-01-10', '2024-01-31']] }, ...byName }, names: ['SO-001', 'SO-002'] },
  { title: 'between dates on a Datetime spans whole days', args: { filters: { due: ['between', ['2024-01-10', '2024-01-31']] }, ...byName }, names: ['SO-001', 'SO-002'] },
  { title: '< on a Date matches nulls (ifnull 0001-01-01)', args: { filters: { posting_date: ['<', '2024-01-31'] }, ...byName }, names: ['SO-001', 'SO-004', 'SO-010'] },
  { title: '> on a Date never matches nulls', args: { filters: { posting_date: ['>', '2024-01-10'] }, ...byName }, names: ['SO-002', 'SO-003'] },
  { title: 'a datetime given for a Date compares its date', args: { filters: { posting_date: ['=', '2024-01-10 15:00:00'] }, ...byName }, names: ['SO-001'] },
  { title: 'a date given for a Datetime is midnight', args: { filters: { due: ['>=', '2024-01-31'] }, ...byName }, names: ['SO-002', 'SO-003'] },
  { title: '>= on an Int', args: { filters: { qty_total: ['>=', 5] }, ...byName }, names: ['SO-001', 'SO-003', 'SO-004'] },
  { title: 'a number given as a string on an Int', args: { filters: { qty_total: ['>', '4'] }, ...byName }, names: ['SO-001', 'SO-003', 'SO-004'] },
  { title: 'a child-table filter selects parents with a matching row', args: { filters: [['CW List Row', 'item', '=', 'WIDGET']], ...byName }, names: ['SO-001', 'SO-002'] },
  { title: 'a field only the child table has', args: { filters: { item: 'GADGET' }, ...byName }, names: ['SO-002'] },
  { title: 'or_filters', args: { or_filters: [['status', '=', 'Closed'], ['qty_total', '<', 1]], ...byName }, names: ['SO-002', 'SO-003'] },
  {
    title: 'filters AND (or_filters)', args: { filters: { status: 'Draft' }, or_filters: { customer: ['like', '%acme%'], amount: ['>', 50] }, ...byName },
    names: ['SO-002'],
  },
  {
    title: 'fields, order_by, limit_start and limit_page_length',
    args: { fields: ['name', 'qty_total'], order_by: 'qty_total desc', limit_start: 1, limit_page_length: 2 },
    names: ['SO-004', 'SO-001'], rows: [{ name: 'SO-004', qty_total: 7 }, { name: 'SO-001', qty_total: 5 }],
  },
  { title: 'start, page_length and a `tabX`.`field` order_by', args: { start: 0, page_length: 1, order_by: '`tabCW List Order`.`name` desc' }, names: ['SO-010'] },
  { title: 'limit', args: { limit: 2, ...byName }, names: ['SO-001', 'SO-002'] },
  { title: 'no order_by: the DocType default, modified desc', args: { filters: { status: ['in', ['Open', 'Draft']] } }, names: ['SO-010', 'SO-004', 'SO-002', 'SO-001'] },
  { title: 'filters given as JSON text (as REST sends them)', args: { filters: '{"status": ["=", "Open"]}', fields: '["name"]', ...byName }, names: ['SO-001', 'SO-004'] },
];
