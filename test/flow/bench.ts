/**
 * The Frappe + ERPNext DocTypes of ../shared/frappe-apps, loaded together as a bench would (a tiny walker over
 * `<app>/**\/doctype/<name>/<name>.json`; first-class multi-app loading is being added separately), and the
 * master data the Lead -> Opportunity -> Quotation tests need.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StorageAdapter } from '../../src/storage/types';
import { sharedRoot } from '../helpers/paths';

const appsRoot = path.join(sharedRoot, 'frappe-apps');
let cached: Record<string, unknown>[] | undefined;

function walk(dir: string, out: Record<string, unknown>[]): void {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (entry === `${path.basename(dir)}.json` && path.basename(path.dirname(dir)) === 'doctype') {
      const json = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
      if (json.doctype === 'DocType') out.push(json);
    }
  }
}

/** Every DocType JSON of frappe and erpnext. */
export function benchDoctypes(): Record<string, unknown>[] {
  if (!cached) {
    cached = [];
    for (const app of ['frappe', 'erpnext']) walk(path.join(appsRoot, app), cached);
  }
  return cached;
}

/** The named DocTypes of the bench and, recursively, their child tables. */
export function benchSubset(names: readonly string[]): Record<string, unknown>[] {
  const byName = new Map(benchDoctypes().map((j) => [j.name as string, j] as const));
  const out = new Map<string, Record<string, unknown>>();
  const add = (name: string) => {
    const json = byName.get(name);
    if (!json) throw new Error(`no DocType ${name} in the bench`);
    if (out.has(name)) return;
    out.set(name, json);
    for (const f of json.fields as { fieldtype: string; options?: string }[]) if (f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect') add(f.options!);
  };
  names.forEach(add);
  return [...out.values()];
}

/** The DocTypes the CRM flow writes, and those its Links point to that the tests seed. */
export const CRM_DOCTYPES = ['Lead', 'Opportunity', 'Quotation', 'User', 'DocType', 'Sales Stage', 'Currency', 'Company', 'Price List', 'UOM', 'Item'];

/** The sales user the flow runs for, and the user without CRM rights. */
export const SALES = { name: 'ann@acme.example', roles: ['Sales User'] };
export const CLERK = { name: 'bob@acme.example', roles: ['Accounts User'] };

/**
 * Master data (test setup, written straight to storage): users, the DocType records Links point to, a sales
 * stage, a currency, a company, a price list, a UOM and an item.
 */
export async function seedCrm(adapter: StorageAdapter): Promise<void> {
  const m = { owner: 'Administrator', creation: '2024-01-01 00:00:00.000000', modified: '2024-01-01 00:00:00.000000', modified_by: 'Administrator', docstatus: 0 };
  for (const u of ['Administrator', SALES.name, CLERK.name]) await adapter.insert('User', { ...m, name: u, email: u.includes('@') ? u : 'admin@acme.example', first_name: u });
  for (const n of ['Lead', 'Customer']) await adapter.insert('DocType', { ...m, name: n, module: 'CRM' });
  await adapter.insert('Sales Stage', { ...m, name: 'Prospecting', stage_name: 'Prospecting' });
  await adapter.insert('Currency', { ...m, name: 'EUR', currency_name: 'EUR', enabled: 1 });
  await adapter.insert('Company', { ...m, name: 'Acme Ltd', company_name: 'Acme Ltd', abbr: 'AL', default_currency: 'EUR', country: 'Germany' });
  await adapter.insert('Price List', { ...m, name: 'Standard Selling', price_list_name: 'Standard Selling', currency: 'EUR', selling: 1, enabled: 1 });
  await adapter.insert('UOM', { ...m, name: 'Nos', uom_name: 'Nos' });
  await adapter.insert('Item', { ...m, name: 'WIDGET', item_code: 'WIDGET', item_name: 'Widget', stock_uom: 'Nos', item_group: 'Products' });
}

/**
 * What ERPNext's Quotation controller sets and a request may not (read-only and mandatory): the price list
 * currency and each row's conversion factor, as computed fields. Until server write semantics for read-only
 * mandatory fields land, this is how a TypeScript controller fills them.
 */
export const QUOTATION_RULES = {
  Quotation: {
    computed: [
      { field: 'price_list_currency', inputs: ['currency'], compute: (d: Record<string, unknown>) => d.currency },
      { table: 'items', field: 'conversion_factor', inputs: ['uom'], compute: () => 1 },
    ],
  },
};

/** The stored template: Lead -> Opportunity -> Quotation, and the Opportunity marked as quoted. */
export const LEAD_TO_QUOTATION = {
  title: 'Lead to Quotation',
  flow_type: 'workflow',
  description: 'A new lead, its opportunity and a first quotation',
  steps: [
    { step_id: 'lead', operation: 'create', target_doctype: 'Lead', input: JSON.stringify({ data: { first_name: '{{input.first_name}}', company_name: '{{input.company}}', email_id: '{{input.email}}' } }) },
    {
      step_id: 'opportunity', operation: 'create', target_doctype: 'Opportunity',
      input: JSON.stringify({ data: { opportunity_from: 'Lead', party_name: '{{lead.name}}', company: 'Acme Ltd', opportunity_amount: '{{input.amount}}' } }),
    },
    {
      step_id: 'quotation', operation: 'create', target_doctype: 'Quotation',
      input: JSON.stringify({
        data: {
          quotation_to: 'Lead', party_name: '{{lead.name}}', company: '{{opportunity.company}}', currency: 'EUR', conversion_rate: 1,
          selling_price_list: 'Standard Selling', plc_conversion_rate: 1,
          items: [{ item_code: 'WIDGET', item_name: 'Widget', qty: '{{input.qty}}', uom: 'Nos', rate: 10 }],
        },
      }),
    },
    { step_id: 'quoted', operation: 'update', target_doctype: 'Opportunity', input: JSON.stringify({ data: { name: '{{opportunity.name}}', status: 'Quotation' } }), after: 'quotation' },
  ],
};
