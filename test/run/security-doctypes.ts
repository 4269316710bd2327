/**
 * DocTypes of the User Permission and sharing tests (names of their own, so the oracle can hold them too): a
 * region tree (nested set fields), customers in regions, submittable orders with rows; plus Frappe's own
 * `DocShare` and `User Permission` DocTypes, read from the shared Frappe app.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedRoot } from '../helpers/paths';

const core = (folder: string) => JSON.parse(readFileSync(path.join(sharedRoot, 'frappe-apps/frappe/frappe/core/doctype', folder, `${folder}.json`), 'utf8'));

/** Frappe's DocShare and User Permission DocTypes, as shipped. */
export const FRAPPE_SECURITY_DOCTYPES = [core('docshare'), core('user_permission')];

const READER = { role: 'Sec Reader', read: 1 };
export const SEC_REGION = {
  name: 'Sec Region', module: 'Custom', autoname: 'field:region_name', is_tree: 1, nsm_parent_field: 'parent_sec_region',
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }, { role: 'Sec User', read: 1 }, READER],
  fields: [
    { fieldname: 'region_name', fieldtype: 'Data', reqd: 1, label: 'Region Name' },
    { fieldname: 'parent_sec_region', fieldtype: 'Link', options: 'Sec Region', label: 'Parent Region', ignore_user_permissions: 1 },
    { fieldname: 'is_group', fieldtype: 'Check', label: 'Is Group' },
    { fieldname: 'lft', fieldtype: 'Int', label: 'Left', read_only: 1, hidden: 1 },
    { fieldname: 'rgt', fieldtype: 'Int', label: 'Right', read_only: 1, hidden: 1 },
    { fieldname: 'old_parent', fieldtype: 'Link', options: 'Sec Region', label: 'Old Parent', hidden: 1, ignore_user_permissions: 1 },
  ],
};
export const SEC_CUSTOMER = {
  name: 'Sec Customer', module: 'Custom', autoname: 'field:customer_name',
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }, { role: 'Sec User', read: 1 }, READER],
  fields: [
    { fieldname: 'customer_name', fieldtype: 'Data', reqd: 1, label: 'Customer Name' },
    { fieldname: 'region', fieldtype: 'Link', options: 'Sec Region', label: 'Region' },
  ],
};
export const SEC_ORDER_LINE = {
  name: 'Sec Order Line', module: 'Custom', istable: 1,
  fields: [{ fieldname: 'item', fieldtype: 'Data', label: 'Item' }, { fieldname: 'bill_to', fieldtype: 'Link', options: 'Sec Customer', label: 'Bill To' }],
};
export const SEC_ORDER = {
  name: 'Sec Order', module: 'Custom', autoname: 'field:title', is_submittable: 1,
  permissions: [
    { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1, submit: 1, cancel: 1, amend: 1, share: 1 },
    { role: 'Sec User', read: 1, write: 1, create: 1, submit: 1, share: 1 },
    { role: 'Sec Owner', read: 1, write: 1, create: 1, if_owner: 1 },
    READER,
  ],
  fields: [
    { fieldname: 'title', fieldtype: 'Data', reqd: 1, label: 'Title' },
    { fieldname: 'customer', fieldtype: 'Link', options: 'Sec Customer', label: 'Customer' },
    { fieldname: 'region', fieldtype: 'Link', options: 'Sec Region', label: 'Region' },
    { fieldname: 'notes', fieldtype: 'Data', label: 'Notes', allow_on_submit: 1 },
    { fieldname: 'margin', fieldtype: 'Float', label: 'Margin', permlevel: 1 },
    { fieldname: 'lines', fieldtype: 'Table', options: 'Sec Order Line', label: 'Lines' },
    { fieldname: 'amended_from', fieldtype: 'Link', options: 'Sec Order', label: 'Amended From', read_only: 1, no_copy: 1 },
  ],
};

/** Every DocType of these tests. */
export const SECURITY_DOCTYPES = [SEC_REGION, SEC_CUSTOMER, SEC_ORDER_LINE, SEC_ORDER, ...FRAPPE_SECURITY_DOCTYPES];

/**
 * The region tree with consistent nested-set values (`lft` / `rgt` as Frappe's `nestedset.py` would number it):
 * All (1, 10) > North (2, 7) > North East (3, 4), North West (5, 6); South (8, 9).
 */
export const REGIONS = [
  { region_name: 'All', is_group: 1, lft: 1, rgt: 10 },
  { region_name: 'North', parent_sec_region: 'All', is_group: 1, lft: 2, rgt: 7 },
  { region_name: 'North East', parent_sec_region: 'North', lft: 3, rgt: 4 },
  { region_name: 'North West', parent_sec_region: 'North', lft: 5, rgt: 6 },
  { region_name: 'South', parent_sec_region: 'All', lft: 8, rgt: 9 },
];
