/**
 * Proof of issue 10 Frappe's source: real ERPNext / HRMS documents through the engine. The three apps of
 * `../shared/frappe-apps` load as one bench (all 926 DocTypes); master data is created first (with the names
 * Frappe gives them); then a document of each of 17 DocTypes, shaped exactly as Frappe's REST API returns a
 * saved document (standard columns, read-only and computed fields filled, rows with Frappe's row keys),
 * passes a `dry_run` create with no blocking issue; and broken variants of each are refused with the code
 * and Frappe's exception name Frappe's server gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, createRegistry, fixedClock, type Engine, type Registry, type RunRecord } from '../../src/index';
import { benchAvailable, benchDoctypeJsons } from '../helpers/bench';
import { ABBR, COMPANY, saved, seedMasters } from './seed';

type Values = Record<string, unknown>;
const acc = (n: string) => `${n} - ${ABBR}`;
const DAY = '2024-04-02';

const item = (extra: Values = {}): Values => ({
  item_code: 'WIND-TURBINE-BLADE', item_name: 'Wind Turbine Blade', description: 'Wind Turbine Blade', qty: 2, stock_uom: 'Nos', uom: 'Nos',
  conversion_factor: 1, stock_qty: 2, price_list_rate: 2500, base_price_list_rate: 2500, rate: 2500, amount: 5000, base_rate: 2500,
  base_amount: 5000, net_rate: 2500, net_amount: 5000, base_net_rate: 2500, base_net_amount: 5000, item_group: 'Products',
  warehouse: acc('Stores'), ...extra,
});
const totals: Values = {
  total_qty: 2, base_total: 5000, base_net_total: 5000, total: 5000, net_total: 5000, base_grand_total: 5000, grand_total: 5000,
  base_rounded_total: 5000, rounded_total: 5000, base_in_words: 'INR Five Thousand Only.', in_words: 'INR Five Thousand Only.',
  total_taxes_and_charges: 0, base_total_taxes_and_charges: 0, rounding_adjustment: 0, base_rounding_adjustment: 0,
};
const selling: Values = {
  company: COMPANY, currency: 'INR', conversion_rate: 1, selling_price_list: 'Standard Selling', price_list_currency: 'INR',
  plc_conversion_rate: 1, customer: 'Zenith Energy', customer_name: 'Zenith Energy', customer_group: 'Commercial', territory: 'India',
  party_account_currency: 'INR', language: 'en', ...totals,
};

interface Broken {
  readonly what: string;
  readonly change: (doc: Values) => Values;
  readonly issue: string;
  readonly exc: string;
}
interface Case {
  readonly doctype: string;
  readonly app: 'frappe' | 'erpnext' | 'hrms';
  readonly doc: Values;
  readonly broken: readonly Broken[];
}

const without = (key: string) => (d: Values) => {
  const out = { ...d };
  delete out[key];
  return out;
};
const set = (key: string, value: unknown) => (d: Values) => ({ ...d, [key]: value });
const setRow = (table: string, key: string, value: unknown) => (d: Values) => ({
  ...d, [table]: (d[table] as Values[]).map((r, i) => (i === 0 ? { ...r, [key]: value } : r)),
});
const mandatory = (key: string): Broken => ({ what: `without ${key}`, change: without(key), issue: 'MANDATORY', exc: 'MandatoryError' });
const missingLink = (key: string, value = 'Does Not Exist'): Broken => ({ what: `${key} naming a missing document`, change: set(key, value), issue: 'LINK_NOT_FOUND', exc: 'LinkValidationError' });
const badSelect = (key: string, value = 'Bogus'): Broken => ({ what: `${key} outside its options`, change: set(key, value), issue: 'INVALID_SELECT', exc: 'ValidationError' });

const CASES: readonly Case[] = [
  {
    doctype: 'Sales Order', app: 'erpnext',
    doc: saved('Sales Order', 'SAL-ORD-2024-00001', {
      naming_series: 'SAL-ORD-.YYYY.-', order_type: 'Sales', transaction_date: DAY, delivery_date: '2024-04-20', ...selling,
      items: [item({ delivery_date: '2024-04-20', valuation_rate: 1500, gross_profit: 2000, transaction_date: DAY })],
      status: 'Draft', delivery_status: 'Not Delivered', billing_status: 'Not Billed', per_delivered: 0, per_billed: 0, advance_paid: 0,
      advance_payment_status: 'Not Requested',
    }),
    broken: [mandatory('customer'), { ...missingLink('items'), change: setRow('items', 'item_code', 'NO-SUCH-ITEM') }],
  },
  {
    doctype: 'Sales Invoice', app: 'erpnext',
    doc: saved('Sales Invoice', 'ACC-SINV-2024-00001', {
      naming_series: 'ACC-SINV-.YYYY.-', posting_date: DAY, posting_time: '10:15:30.123456', due_date: '2024-05-02', ...selling,
      debit_to: acc('Debtors'), items: [item({ income_account: acc('Sales'), cost_center: acc('Main') })], outstanding_amount: 5000,
      status: 'Draft', base_paid_amount: 0, paid_amount: 0, write_off_amount: 0,
    }),
    broken: [mandatory('debit_to'), badSelect('status')],
  },
  {
    doctype: 'Purchase Order', app: 'erpnext',
    doc: saved('Purchase Order', 'PUR-ORD-2024-00001', {
      title: 'Carbon Fibre Works', naming_series: 'PUR-ORD-.YYYY.-', supplier: 'Carbon Fibre Works', supplier_name: 'Carbon Fibre Works',
      company: COMPANY, transaction_date: DAY, schedule_date: '2024-04-15', currency: 'INR', conversion_rate: 1,
      buying_price_list: 'Standard Buying', price_list_currency: 'INR', plc_conversion_rate: 1, ...totals, language: 'en',
      items: [item({ schedule_date: '2024-04-15', expected_delivery_date: '2024-04-15' })], status: 'Draft', per_received: 0, per_billed: 0,
    }),
    broken: [
      { what: 'without items', change: set('items', []), issue: 'MANDATORY_TABLE', exc: 'MandatoryError' },
      { what: 'a schedule date that does not exist', change: setRow('items', 'schedule_date', '2024-02-30'), issue: 'INVALID_DATE', exc: 'ValidationError' },
    ],
  },
  {
    doctype: 'Delivery Note', app: 'erpnext',
    doc: saved('Delivery Note', 'MAT-DN-2024-00001', {
      naming_series: 'MAT-DN-.YYYY.-', posting_date: DAY, posting_time: '9:30:00', ...without('party_account_currency')(selling), items: [item()],
      status: 'Draft', per_billed: 0, per_returned: 0,
    }),
    broken: [missingLink('customer', 'Nobody Ltd'), { ...mandatory('uom'), change: setRow('items', 'uom', null) }],
  },
  {
    doctype: 'Journal Entry', app: 'erpnext',
    doc: saved('Journal Entry', 'ACC-JV-2024-00001', {
      title: 'Zenith Energy', voucher_type: 'Journal Entry', naming_series: 'ACC-JV-.YYYY.-', posting_date: DAY, company: COMPANY,
      accounts: [
        { account: acc('Debtors'), account_type: 'Receivable', party_type: 'Customer', party: 'Zenith Energy', cost_center: acc('Main'), account_currency: 'INR', exchange_rate: 1, debit_in_account_currency: 0, debit: 0, credit_in_account_currency: 5000, credit: 5000, is_advance: 'No' },
        { account: acc('Cash'), account_type: 'Cash', cost_center: acc('Main'), account_currency: 'INR', exchange_rate: 1, debit_in_account_currency: 5000, debit: 5000, credit_in_account_currency: 0, credit: 0, is_advance: 'No' },
      ],
      total_debit: 5000, total_credit: 5000, difference: 0, multi_currency: 0, total_amount_currency: 'INR', is_opening: 'No',
    }, 0),
    broken: [
      { ...missingLink('accounts'), what: 'party_type naming a DocType that does not exist', change: setRow('accounts', 'party_type', 'Planet') },
      { ...missingLink('accounts'), what: 'party naming a missing Customer', change: setRow('accounts', 'party', 'Nobody Ltd') },
    ],
  },
  {
    doctype: 'Payment Entry', app: 'erpnext',
    doc: saved('Payment Entry', 'ACC-PAY-2024-00001', {
      naming_series: 'ACC-PAY-.YYYY.-', payment_type: 'Receive', posting_date: DAY, company: COMPANY, mode_of_payment: 'Cash',
      party_type: 'Customer', party: 'Zenith Energy', party_name: 'Zenith Energy', paid_from: acc('Debtors'), paid_from_account_currency: 'INR',
      paid_to: acc('Cash'), paid_to_account_currency: 'INR', paid_amount: 5000, source_exchange_rate: 1, base_paid_amount: 5000,
      received_amount: 5000, target_exchange_rate: 1, base_received_amount: 5000, unallocated_amount: 5000, difference_amount: 0,
      title: 'Zenith Energy', status: 'Draft', paid_from_account_type: 'Receivable', paid_to_account_type: 'Cash', is_opening: 'No',
    }),
    broken: [mandatory('paid_amount'), badSelect('payment_type', 'Refund')],
  },
  {
    doctype: 'Material Request', app: 'erpnext',
    doc: saved('Material Request', 'MAT-MR-2024-00001', {
      naming_series: 'MAT-MR-.YYYY.-', title: 'Purchase Wind Turbine Blade', material_request_type: 'Purchase', company: COMPANY,
      transaction_date: DAY, schedule_date: '2024-04-10', status: 'Draft', per_ordered: 0, per_received: 0, set_warehouse: acc('Stores'),
      items: [{ item_code: 'WIND-TURBINE-BLADE', item_name: 'Wind Turbine Blade', schedule_date: '2024-04-10', qty: 10, stock_uom: 'Nos', uom: 'Nos', conversion_factor: 1, stock_qty: 10, warehouse: acc('Stores'), item_group: 'Products' }],
    }),
    broken: [{ ...mandatory('material_request_type'), what: 'an empty material_request_type', change: set('material_request_type', '') }, { ...missingLink('items'), change: setRow('items', 'warehouse', 'Nowhere - WP') }],
  },
  {
    doctype: 'Stock Entry', app: 'erpnext',
    doc: saved('Stock Entry', 'MAT-STE-2024-00001', {
      naming_series: 'MAT-STE-.YYYY.-', stock_entry_type: 'Material Receipt', purpose: 'Material Receipt', company: COMPANY, posting_date: DAY,
      posting_time: '10:15:30', to_warehouse: acc('Stores'), total_incoming_value: 15000, total_outgoing_value: 0, value_difference: 15000,
      total_amount: 15000, is_opening: 'No',
      items: [{ t_warehouse: acc('Stores'), item_code: 'WIND-TURBINE-BLADE', item_name: 'Wind Turbine Blade', qty: 10, basic_rate: 1500, basic_amount: 15000, amount: 15000, valuation_rate: 1500, uom: 'Nos', stock_uom: 'Nos', conversion_factor: 1, transfer_qty: 10, cost_center: acc('Main'), expense_account: acc('Stock In Hand') }],
    }),
    broken: [missingLink('stock_entry_type', 'Teleport'), { ...mandatory('items'), what: 'a row without item_code', change: setRow('items', 'item_code', null) }],
  },
  {
    doctype: 'Item', app: 'erpnext',
    doc: saved('Item', 'CARBON-SPAR', {
      item_code: 'CARBON-SPAR', item_name: 'Carbon Spar', item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1, valuation_rate: 800,
      standard_rate: 1200, description: 'Carbon Spar', opening_stock: 0, include_item_in_manufacturing: 1, has_variants: 0,
      item_defaults: [{ company: COMPANY, default_warehouse: acc('Stores'), default_price_list: 'Standard Selling' }],
      uoms: [{ uom: 'Nos', conversion_factor: 1 }],
      barcodes: [{ barcode: 8901234567890, barcode_type: 'EAN' }],
    }),
    broken: [mandatory('item_group'), { ...missingLink('item_defaults'), change: setRow('item_defaults', 'company', 'No Such Company') }],
  },
  {
    doctype: 'Customer', app: 'erpnext',
    doc: saved('Customer', 'Gale Force Ltd', {
      naming_series: 'CUST-.YYYY.-', customer_name: 'Gale Force Ltd', customer_type: 'Company', customer_group: 'Commercial', territory: 'India',
      default_currency: 'INR', language: 'en', is_internal_customer: 0, so_required: 0, dn_required: 0,
      accounts: [{ company: COMPANY, account: acc('Debtors') }],
    }),
    broken: [badSelect('customer_type', 'Alien'), mandatory('customer_name')],
  },
  {
    doctype: 'Supplier', app: 'erpnext',
    doc: saved('Supplier', 'Blade Resins', {
      naming_series: 'SUP-.YYYY.-', supplier_name: 'Blade Resins', supplier_type: 'Company', supplier_group: 'Raw Material', country: 'India',
      default_currency: 'INR', language: 'en', is_internal_supplier: 0,
    }),
    broken: [mandatory('supplier_name'), missingLink('supplier_group', 'Martians')],
  },
  {
    doctype: 'Employee', app: 'erpnext',
    doc: saved('Employee', 'HR-EMP-00002', {
      naming_series: 'HR-EMP-', first_name: 'Vikram', last_name: 'Shah', employee_name: 'Vikram Shah', company: COMPANY, status: 'Active',
      gender: 'Female', date_of_birth: '1988-11-02', date_of_joining: '2023-01-09', department: acc('Operations'), designation: 'Engineer',
      reports_to: 'HR-EMP-00001', holiday_list: 'Holidays 2024', cell_number: 9876543210, prefered_contact_email: 'Company Email',
      company_email: 'vikram@windpower.example', lft: 3, rgt: 4,
    }),
    broken: [
      { what: 'a date of birth in another format', change: set('date_of_birth', '02-11-1988'), issue: 'INVALID_DATE', exc: 'ValidationError' },
      mandatory('gender'),
    ],
  },
  {
    doctype: 'Leave Application', app: 'hrms',
    doc: saved('Leave Application', 'HR-LAP-2024-00001', {
      naming_series: 'HR-LAP-.YYYY.-', employee: 'HR-EMP-00001', employee_name: 'Asha Rao', leave_type: 'Casual Leave', company: COMPANY,
      department: acc('Operations'), from_date: '2024-04-08', to_date: '2024-04-09', half_day: 0, total_leave_days: 2, leave_balance: 12,
      description: 'Family function', status: 'Open', posting_date: DAY, follow_via_email: 1,
    }),
    broken: [mandatory('to_date'), missingLink('employee', 'HR-EMP-99999')],
  },
  {
    doctype: 'Expense Claim', app: 'hrms',
    doc: saved('Expense Claim', 'HR-EXP-2024-00001', {
      naming_series: 'HR-EXP-.YYYY.-', employee: 'HR-EMP-00001', employee_name: 'Asha Rao', department: acc('Operations'), company: COMPANY,
      posting_date: DAY, approval_status: 'Draft', status: 'Draft', payable_account: acc('Creditors'), cost_center: acc('Main'),
      total_claimed_amount: 1200, total_sanctioned_amount: 1200, grand_total: 1200, total_advance_amount: 0, total_amount_reimbursed: 0,
      total_taxes_and_charges: 0, is_paid: 0,
      expenses: [{ expense_date: '2024-03-28', expense_type: 'Travel', default_account: acc('Travel Expenses'), description: 'Site visit', amount: 1200, sanctioned_amount: 1200, cost_center: acc('Main') }],
    }),
    broken: [{ ...mandatory('expenses'), change: setRow('expenses', 'expense_type', null) }, badSelect('approval_status', 'Maybe')],
  },
  {
    doctype: 'Salary Structure', app: 'hrms',
    doc: saved('Salary Structure', 'Engineer 2024', {
      company: COMPANY, currency: 'INR', is_active: 'Yes', payroll_frequency: 'Monthly', is_default: 'No', salary_slip_based_on_timesheet: 0,
      total_earning: 0, total_deduction: 0, net_pay: 0, mode_of_payment: 'Cash', payment_account: acc('Cash'),
      earnings: [{ salary_component: 'Basic', abbr: 'B', amount_based_on_formula: 1, formula: 'base * .5', depends_on_payment_days: 1 }],
      deductions: [{ salary_component: 'Professional Tax', abbr: 'PT', amount: 200 }],
    }),
    broken: [badSelect('is_active', 'Maybe'), { ...missingLink('earnings'), change: setRow('earnings', 'salary_component', 'Bonus') }],
  },
  {
    doctype: 'Address', app: 'frappe',
    doc: saved('Address', 'Zenith Energy-Billing', {
      address_title: 'Zenith Energy', address_type: 'Billing', address_line1: '12 Windmill Road', city: 'Pune', state: 'Maharashtra',
      country: 'India', pincode: 411001, is_primary_address: 1, is_shipping_address: 0, disabled: 0,
      links: [{ link_doctype: 'Customer', link_name: 'Zenith Energy', link_title: 'Zenith Energy' }],
    }),
    broken: [
      { ...missingLink('links'), what: 'a link to a DocType that does not exist', change: setRow('links', 'link_doctype', 'Planet') },
      mandatory('city'),
    ],
  },
  {
    doctype: 'ToDo', app: 'frappe',
    doc: saved('ToDo', 'tx5q1d9b3c', {
      status: 'Open', priority: 'Medium', date: '2024-04-05', description: 'Call Zenith Energy about the order', reference_type: 'Customer',
      reference_name: 'Zenith Energy', role: null, assigned_by: null,
    }),
    broken: [badSelect('priority', 'Urgent'), missingLink('reference_type', 'Spaceship')],
  },
];

describe.skipIf(!benchAvailable)('real Frappe / ERPNext / HRMS documents on a bench of the three apps', () => {
  let registry: Registry;
  let engine: Engine;
  beforeAll(async () => {
    registry = createRegistry(benchDoctypeJsons(), { duplicateFieldnames: 'last-wins' });
    engine = createEngine({ user: { name: 'Administrator', roles: [] }, registry, clock: fixedClock('2024-04-02T10:15:30Z'), allowFlags: ['in_import', 'ignore_mandatory'] });
    const failed = await seedMasters(engine);
    expect(failed.map((r) => `${r.target_doctype} ${String(r.input?.data?.name)}: ${r.error?.message}`)).toEqual([]);
  }, 120_000);

  it('loads all 926 DocTypes of the three apps', () => {
    const jsons = benchDoctypeJsons();
    expect(jsons).toHaveLength(926);
    for (const j of jsons) expect(registry.has(String((j as { name: unknown }).name))).toBe(true);
    // createEngine adds its own Flow DocTypes (Frappe's Workflow DocTypes come with the frappe app).
    expect(registry.list().length).toBe(926 + 2);
  });

  it('covers at least 15 DocTypes across the three apps', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(CASES.map((c) => c.app))).toEqual(new Set(['frappe', 'erpnext', 'hrms']));
  });

  const create = (doctype: string, data: Values): Promise<RunRecord> =>
    engine.run({ operation: 'create', target_doctype: doctype, input: { data }, options: { dry_run: true } });

  for (const c of CASES) {
    it(`${c.doctype} (${c.app}): a saved document as the REST API returns it passes dry_run with no blocking issue`, async () => {
      const r = await create(c.doctype, c.doc);
      expect(r.error, r.error?.message).toBeNull();
      expect(r.success).toBe(true);
      const out = r.output!.data[0]!;
      for (const key of Object.keys(out)) expect(key.startsWith('__'), key).toBe(false);
      // Nothing was written.
      expect(await engine.adapter.exists(c.doctype, String(out.name))).toBe(false);
      // No warning about the payload's own keys: every key is a field of this DocType version.
      expect(r.warnings.filter((w) => w.code === 'UNKNOWN_KEY').map((w) => w.message)).toEqual([]);
    });

    for (const b of c.broken) {
      it(`${c.doctype}: ${b.what} is refused with ${b.issue} (${b.exc})`, async () => {
        const r = await create(c.doctype, b.change(c.doc));
        expect(r.success).toBe(false);
        expect(r.error).toMatchObject({ code: 'VALIDATION', exc: 'ValidationError' });
        expect(r.error!.issues).toContainEqual(expect.objectContaining({ code: b.issue, exc: b.exc }));
      });
    }
  }

  it("stores values as Frappe's server does: text for numbers, canonical times, Prompt names kept, Links to DocType resolved", async () => {
    const byType = new Map(CASES.map((c) => [c.doctype, c.doc]));
    const out = async (doctype: string) => (await create(doctype, byType.get(doctype)!)).output!.data[0]!;
    expect((await out('Address')).pincode).toBe('411001');
    expect((await out('Delivery Note')).posting_time).toBe('09:30:00');
    expect((await out('Sales Invoice')).posting_time).toBe('10:15:30.123456');
    expect((await out('Item')).barcodes).toEqual([expect.objectContaining({ barcode: '8901234567890' })]);
    expect((await out('Salary Structure')).name).toBe('Engineer 2024');
    // Read-only and mandatory at once (94 such ERPNext fields): given, kept.
    expect((await out('Sales Order')).price_list_currency).toBe('INR');
    // Naming series of this ERPNext version, drawn in the engine's clock year.
    expect((await out('Sales Order')).name).toBe('SAL-ORD-2024-00001');
    // Journal Entry Account.party_type is a Link to DocType: resolved against the registry.
    expect(((await out('Journal Entry')).accounts as Values[])[0]).toMatchObject({ party_type: 'Customer', party: 'Zenith Energy' });
  });

  it('a payload from another version: unknown keys are ignored with a warning naming each', async () => {
    const so = CASES[0]!.doc;
    const r = await create('Sales Order', { ...so, custom_v17_field: 'x', items: (so.items as Values[]).map((row) => ({ ...row, legacy_rate: 1 })) });
    expect(r.success).toBe(true);
    expect(r.warnings.map((w) => `${w.doctype}.${w.field}`)).toEqual(['Sales Order.custom_v17_field', 'Sales Order Item.legacy_rate']);
  });
});
