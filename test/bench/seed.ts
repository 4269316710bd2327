/**
 * A small company on the bench (Frappe + ERPNext + HRMS): the master data that real ERPNext / HRMS
 * transactions link to, and payloads shaped like Frappe's REST API returns saved documents
 * (`GET /api/resource/<DocType>/<name>`: standard columns, read-only and computed fields filled, child rows
 * with `doctype` / `parent` / `parentfield` / `parenttype` / `idx` / `name`).
 */
import type { Engine, RunRecord } from '../../src/index';

export const COMPANY = 'Wind Power LLC';
export const ABBR = 'WP';
const STAMP = '2024-04-02 10:15:30.123456';

type Values = Record<string, unknown>;

let rowSeq = 0;

/**
 * A saved document as Frappe's REST API returns it.
 * @param doctype - the DocType
 * @param name - its name
 * @param values - its fields; Table fields hold plain rows, completed here with Frappe's row keys
 */
export function saved(doctype: string, name: string, values: Values, docstatus = 0): Values {
  const out: Values = {
    name, owner: 'Administrator', creation: STAMP, modified: STAMP, modified_by: 'Administrator', docstatus, idx: 0, doctype,
  };
  for (const [key, value] of Object.entries(values)) {
    out[key] = Array.isArray(value)
      ? value.map((row: Values, i) => ({
        name: `row${String(++rowSeq).padStart(6, '0')}`, owner: 'Administrator', creation: STAMP, modified: STAMP,
        modified_by: 'Administrator', docstatus, idx: i + 1, parent: name, parentfield: key, parenttype: doctype,
        doctype: row.doctype ?? undefined, ...row,
      }))
      : value;
  }
  return out;
}

const acc = (n: string) => `${n} - ${ABBR}`;

/** Master data in dependency order: [DocType, values]; every one is created with its given name (in_import). */
export const MASTERS: readonly [string, Values, { ignore_mandatory?: boolean; in_import?: boolean }?][] = [
  ['Currency', { name: 'INR', currency_name: 'INR', enabled: 1, symbol: '₹', fraction: 'Paisa', fraction_units: 100, number_format: '#,##,###.##' }],
  ['Country', { name: 'India', country_name: 'India', code: 'in', date_format: 'dd-mm-yyyy', time_zones: 'Asia/Kolkata' }],
  ['Gender', { name: 'Female', gender: 'Female' }],
  ['Language', { name: 'en', language_code: 'en', language_name: 'English', enabled: 1 }],
  ['Company', { name: COMPANY, company_name: COMPANY, abbr: ABBR, default_currency: 'INR', country: 'India', create_chart_of_accounts_based_on: 'Standard Template', chart_of_accounts: 'Standard' }],
  ['Account', { name: acc('Application of Funds (Assets)'), account_name: 'Application of Funds (Assets)', company: COMPANY, is_group: 1, root_type: 'Asset', report_type: 'Balance Sheet', account_currency: 'INR' }, { ignore_mandatory: true }],
  ['Account', { name: acc('Source of Funds (Liabilities)'), account_name: 'Source of Funds (Liabilities)', company: COMPANY, is_group: 1, root_type: 'Liability', report_type: 'Balance Sheet', account_currency: 'INR' }, { ignore_mandatory: true }],
  ['Account', { name: acc('Income'), account_name: 'Income', company: COMPANY, is_group: 1, root_type: 'Income', report_type: 'Profit and Loss', account_currency: 'INR' }, { ignore_mandatory: true }],
  ['Account', { name: acc('Expenses'), account_name: 'Expenses', company: COMPANY, is_group: 1, root_type: 'Expense', report_type: 'Profit and Loss', account_currency: 'INR' }, { ignore_mandatory: true }],
  ['Account', { name: acc('Debtors'), account_name: 'Debtors', parent_account: acc('Application of Funds (Assets)'), company: COMPANY, account_type: 'Receivable', root_type: 'Asset', report_type: 'Balance Sheet', account_currency: 'INR' }],
  ['Account', { name: acc('Cash'), account_name: 'Cash', parent_account: acc('Application of Funds (Assets)'), company: COMPANY, account_type: 'Cash', root_type: 'Asset', report_type: 'Balance Sheet', account_currency: 'INR' }],
  ['Account', { name: acc('Stock In Hand'), account_name: 'Stock In Hand', parent_account: acc('Application of Funds (Assets)'), company: COMPANY, account_type: 'Stock', root_type: 'Asset', report_type: 'Balance Sheet', account_currency: 'INR' }],
  ['Account', { name: acc('Creditors'), account_name: 'Creditors', parent_account: acc('Source of Funds (Liabilities)'), company: COMPANY, account_type: 'Payable', root_type: 'Liability', report_type: 'Balance Sheet', account_currency: 'INR' }],
  ['Account', { name: acc('Sales'), account_name: 'Sales', parent_account: acc('Income'), company: COMPANY, account_type: 'Income Account', root_type: 'Income', report_type: 'Profit and Loss', account_currency: 'INR' }],
  ['Account', { name: acc('Travel Expenses'), account_name: 'Travel Expenses', parent_account: acc('Expenses'), company: COMPANY, account_type: 'Expense Account', root_type: 'Expense', report_type: 'Profit and Loss', account_currency: 'INR' }],
  ['Cost Center', { name: COMPANY, cost_center_name: COMPANY, company: COMPANY, is_group: 1 }, { ignore_mandatory: true }],
  ['Cost Center', { name: acc('Main'), cost_center_name: 'Main', parent_cost_center: COMPANY, company: COMPANY }],
  ['Warehouse', { name: acc('All Warehouses'), warehouse_name: 'All Warehouses', is_group: 1, company: COMPANY }],
  ['Warehouse', { name: acc('Stores'), warehouse_name: 'Stores', parent_warehouse: acc('All Warehouses'), company: COMPANY }],
  ['UOM', { name: 'Nos', uom_name: 'Nos', must_be_whole_number: 1, enabled: 1 }],
  ['Item Group', { name: 'All Item Groups', item_group_name: 'All Item Groups', is_group: 1 }],
  ['Item Group', { name: 'Products', item_group_name: 'Products', parent_item_group: 'All Item Groups' }],
  ['Customer Group', { name: 'All Customer Groups', customer_group_name: 'All Customer Groups', is_group: 1 }],
  ['Customer Group', { name: 'Commercial', customer_group_name: 'Commercial', parent_customer_group: 'All Customer Groups' }],
  ['Territory', { name: 'All Territories', territory_name: 'All Territories', is_group: 1 }],
  ['Territory', { name: 'India', territory_name: 'India', parent_territory: 'All Territories' }],
  ['Supplier Group', { name: 'All Supplier Groups', supplier_group_name: 'All Supplier Groups', is_group: 1 }],
  ['Supplier Group', { name: 'Raw Material', supplier_group_name: 'Raw Material', parent_supplier_group: 'All Supplier Groups' }],
  ['Price List', { name: 'Standard Selling', price_list_name: 'Standard Selling', currency: 'INR', selling: 1, enabled: 1 }],
  ['Price List', { name: 'Standard Buying', price_list_name: 'Standard Buying', currency: 'INR', buying: 1, enabled: 1 }],
  ['Fiscal Year', { name: '2024-2025', year: '2024-2025', year_start_date: '2024-04-01', year_end_date: '2025-03-31' }],
  ['Mode of Payment', { name: 'Cash', mode_of_payment: 'Cash', type: 'Cash', enabled: 1 }],
  ['Stock Entry Type', { name: 'Material Receipt', purpose: 'Material Receipt' }],
  ['Department', { name: acc('Operations'), department_name: 'Operations', company: COMPANY }],
  ['Designation', { name: 'Engineer', designation_name: 'Engineer' }],
  ['Leave Type', { name: 'Casual Leave', leave_type_name: 'Casual Leave', max_leaves_allowed: 12, allow_negative: 0 }],
  ['Expense Claim Type', { name: 'Travel', expense_type: 'Travel', accounts: [{ company: COMPANY, default_account: acc('Travel Expenses') }] }],
  ['Salary Component', { name: 'Basic', salary_component: 'Basic', salary_component_abbr: 'B', type: 'Earning' }],
  ['Salary Component', { name: 'Professional Tax', salary_component: 'Professional Tax', salary_component_abbr: 'PT', type: 'Deduction' }],
  ['Holiday List', { name: 'Holidays 2024', holiday_list_name: 'Holidays 2024', from_date: '2024-01-01', to_date: '2024-12-31' }],
  ['Item', { name: 'WIND-TURBINE-BLADE', item_code: 'WIND-TURBINE-BLADE', item_name: 'Wind Turbine Blade', item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1, include_item_in_manufacturing: 1, valuation_rate: 1500, standard_rate: 2500 }],
  ['Customer', { name: 'Zenith Energy', customer_name: 'Zenith Energy', customer_type: 'Company', customer_group: 'Commercial', territory: 'India' }],
  ['Supplier', { name: 'Carbon Fibre Works', supplier_name: 'Carbon Fibre Works', supplier_type: 'Company', supplier_group: 'Raw Material', country: 'India' }],
  ['Employee', { name: 'HR-EMP-00001', naming_series: 'HR-EMP-', first_name: 'Asha', last_name: 'Rao', employee_name: 'Asha Rao', company: COMPANY, status: 'Active', gender: 'Female', date_of_birth: '1990-05-14', date_of_joining: '2021-07-01', department: acc('Operations'), designation: 'Engineer', holiday_list: 'Holidays 2024' }, { in_import: false }],
];

/**
 * Create the master data (for real, with the names Frappe would have given them: `in_import`, except the
 * Employee, named by its series so that the series counter moves on as on a site).
 * @returns the failed runs (none expected)
 */
export async function seedMasters(engine: Engine): Promise<RunRecord[]> {
  const failed: RunRecord[] = [];
  for (const [doctype, values, flags] of MASTERS) {
    const r = await engine.run({
      operation: 'create', target_doctype: doctype, input: { data: saved(doctype, String(values.name), values) },
      options: { flags: { in_import: true, ...(flags ?? {}) } },
    });
    if (!r.success) failed.push(r);
  }
  return failed;
}
