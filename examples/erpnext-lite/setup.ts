/**
 * A small company on ERPNext's real DocTypes: currencies, a country, UOMs, item groups, the company, its chart
 * of accounts and cost centers, a warehouse, a customer, two items with prices. Everything goes through
 * runs (so the controllers name the accounts, cost centers and warehouse) except three things the engine
 * cannot take through a run yet, written straight to storage and listed in the README:
 * - the root accounts and the root cost center: their `parent_account` / `parent_cost_center` is mandatory,
 *   and ERPNext creates them with `flags.ignore_mandatory` (flags are issue 10's);
 * - one `DocType` row per DocType named in Link-to-DocType fields (`GL Entry.voucher_type`,
 *   `party_type`): the engine does not serve DocTypes as documents yet (issue 10).
 */
import type { Engine, RunRecord, RunRequest } from '../../src/index';

/** Runs a request and returns the record (an engine's `run`, or a test app's). */
export type Runner = (request: RunRequest) => Promise<RunRecord>;

export const COMPANY = 'Acme Trading Ltd';
export const ABBR = 'ATL';
export const a = (name: string): string => `${name} - ${ABBR}`;

async function ok(run: Runner, request: RunRequest): Promise<RunRecord> {
  const r = await run(request);
  if (!r.success) throw new Error(`setup: ${request.operation} ${String(request.target_doctype)} failed: ${r.error?.code} ${r.error?.message}`);
  return r;
}

const create = (run: Runner, doctype: string, data: Record<string, unknown>) => ok(run, { operation: 'create', target_doctype: doctype, input: { data } });

/**
 * Create the company and its master data.
 * @param engine - the engine (its storage takes the three direct writes)
 * @param run - how to run requests (`engine.run`, or `app.run` of a test app)
 */
export async function setupCompany(engine: Engine, run: Runner = (r) => engine.run(r)): Promise<void> {
  await engine.ready();
  for (const data of [
    // No smallest fraction for INR: rounded totals are whole rupees.
    { currency_name: 'INR', enabled: 1, fraction: 'Paisa', fraction_units: 100, symbol: '₹' },
    { currency_name: 'USD', enabled: 1, fraction: 'Cent', fraction_units: 100, symbol: '$', smallest_currency_fraction_value: 0.01 },
  ]) await create(run, 'Currency', data);
  await create(run, 'Country', { country_name: 'India', code: 'in' });
  for (const uom of ['Nos', 'Box', 'Hour']) await create(run, 'UOM', { uom_name: uom });
  await create(run, 'Item Group', { item_group_name: 'All Item Groups', is_group: 1 });
  await create(run, 'Item Group', { item_group_name: 'Products', parent_item_group: 'All Item Groups' });
  await create(run, 'Item Group', { item_group_name: 'Services', parent_item_group: 'All Item Groups' });
  await create(run, 'Company', { company_name: COMPANY, abbr: ABBR, default_currency: 'INR', country: 'India' });

  // Written directly (see the module comment).
  for (const name of ['Customer', 'Sales Invoice', 'Journal Entry']) await engine.adapter.insert('DocType', { name, module: 'Example' });
  const roots: [string, string, string][] = [
    ['Application of Funds (Assets)', 'Asset', 'Balance Sheet'], ['Source of Funds (Liabilities)', 'Liability', 'Balance Sheet'],
    ['Equity', 'Equity', 'Balance Sheet'], ['Income', 'Income', 'Profit and Loss'], ['Expenses', 'Expense', 'Profit and Loss'],
  ];
  for (const [accountName, rootType, reportType] of roots) {
    await engine.adapter.insert('Account', {
      name: a(accountName), account_name: accountName, company: COMPANY, is_group: 1, root_type: rootType, report_type: reportType,
      account_currency: 'INR', docstatus: 0, idx: 0,
    });
  }
  await engine.adapter.insert('Cost Center', { name: a(COMPANY), cost_center_name: COMPANY, company: COMPANY, is_group: 1, docstatus: 0, idx: 0 });

  const account = (account_name: string, parent: string, extra: Record<string, unknown> = {}) =>
    create(run, 'Account', { account_name, parent_account: a(parent), company: COMPANY, ...extra });
  await account('Current Assets', 'Application of Funds (Assets)', { is_group: 1 });
  await account('Current Liabilities', 'Source of Funds (Liabilities)', { is_group: 1 });
  await account('Duties and Taxes', 'Current Liabilities', { is_group: 1 });
  await account('Debtors', 'Current Assets', { account_type: 'Receivable' });
  await account('Cash', 'Current Assets', { account_type: 'Cash' });
  await account('Sales', 'Income', { account_type: 'Income Account' });
  await account('Output Tax GST', 'Duties and Taxes', { account_type: 'Tax' });
  await account('Freight and Forwarding Charges', 'Expenses', { account_type: 'Chargeable' });
  await account('Round Off', 'Expenses', { account_type: 'Round Off' });
  await account('Office Rent', 'Expenses', { account_type: 'Expense Account' });
  await create(run, 'Cost Center', { cost_center_name: 'Main', parent_cost_center: a(COMPANY), company: COMPANY });
  await ok(run, {
    operation: 'update', target_doctype: 'Company',
    input: { data: { name: COMPANY, cost_center: a('Main'), round_off_account: a('Round Off'), default_receivable_account: a('Debtors'), default_income_account: a('Sales') } },
  });
  await create(run, 'Warehouse', { warehouse_name: 'Stores', company: COMPANY });

  await create(run, 'Customer', { customer_name: 'Globex Corporation', customer_type: 'Company' });
  await create(run, 'Item', {
    item_code: 'WIDGET', item_name: 'Widget', item_group: 'Products', stock_uom: 'Nos',
    uoms: [{ uom: 'Nos', conversion_factor: 1 }, { uom: 'Box', conversion_factor: 12 }],
  });
  await create(run, 'Item', { item_code: 'INSTALL', item_name: 'Installation', item_group: 'Services', stock_uom: 'Hour', is_stock_item: 0 });
  await create(run, 'Price List', { price_list_name: 'Standard Selling', currency: 'INR', selling: 1 });
  await create(run, 'Item Price', { item_code: 'WIDGET', price_list: 'Standard Selling', price_list_rate: 250 });
  await create(run, 'Item Price', { item_code: 'INSTALL', price_list: 'Standard Selling', price_list_rate: 1200 });
}
