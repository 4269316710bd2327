/**
 * erpnext-lite: realistic ERPNext documents on ERPNext's real DocType JSON (frappe + erpnext loaded as one
 * bench), with the TypeScript controllers of ./controllers. Each test gets a fresh company (./setup.ts) in
 * memory and runs create, draft edits, save, submit, cancel and amend through `app.run()`, so a failure
 * prints every hook call. In your project the imports read `from 'coworker'` and `from 'coworker/testing'`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, fixedClock, type Registry } from '../../src/index';
import { coworkerMatchers, createTestApp, type TestApp, type TestRun } from '../../src/testing/index';
import { loadBench } from './bench';
import { erpnextControllers } from './controllers/index';
import { a, COMPANY, setupCompany } from './setup';

expect.extend(coworkerMatchers);

let registry: Registry;
beforeAll(() => {
  // Every DocType of Frappe and ERPNext (about 780), parsed once for the file.
  registry = createRegistry(loadBench(['frappe', 'erpnext']));
});

async function company(): Promise<TestApp> {
  const app = createTestApp(registry, { controllers: erpnextControllers, clock: fixedClock('2026-04-01T09:00:00Z') });
  await setupCompany(app.store(), (r) => app.run(r));
  return app;
}

type Doc = Record<string, unknown>;
const doc = (r: TestRun): Doc => r.output!.data[0] as Doc;
const rowsOf = (d: Doc, table: string) => d[table] as Doc[];

/** A Sales Order as a sales user would enter it: no computed or read-only values. */
const order = (extra: Doc = {}): Doc => ({
  customer: 'Globex Corporation', company: COMPANY, order_type: 'Sales', transaction_date: '2026-04-01', delivery_date: '2026-04-15',
  currency: 'INR', selling_price_list: 'Standard Selling',
  items: [{ item_code: 'WIDGET', qty: 2, uom: 'Box' }, { item_code: 'INSTALL', qty: 3 }],
  taxes: [
    { charge_type: 'On Net Total', account_head: a('Output Tax GST'), rate: 18, description: 'GST 18%' },
    { charge_type: 'Actual', account_head: a('Freight and Forwarding Charges'), tax_amount: 150.3, description: 'Freight' },
  ],
  ...extra,
});

describe('Sales Order', () => {
  it('create (computed by the controller) -> submit -> refused change -> cancel -> amend', async () => {
    const app = await company();
    const created = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() } });
    expect(created).toSucceed();
    expect(created).toHaveRun(['validate']);
    const so = doc(created);
    expect(so).toMatchObject({
      name: 'SAL-ORD-2026-00001', customer_name: 'Globex Corporation', status: 'Draft',
      price_list_currency: 'INR', plc_conversion_rate: 1, conversion_rate: 1,
      total_qty: 5, total: 9600, net_total: 9600, base_net_total: 9600,
      total_taxes_and_charges: 1878.3, grand_total: 11478.3, rounded_total: 11478, rounding_adjustment: -0.3,
    });
    // 2 boxes of 12 widgets at the price list's 250 per unit; 3 hours of installation at 1200.
    expect(rowsOf(so, 'items')).toEqual([
      expect.objectContaining({ item_name: 'Widget', uom: 'Box', stock_uom: 'Nos', conversion_factor: 12, stock_qty: 24, price_list_rate: 3000, rate: 3000, amount: 6000, delivery_date: '2026-04-15' }),
      expect.objectContaining({ item_name: 'Installation', uom: 'Hour', stock_uom: 'Hour', conversion_factor: 1, stock_qty: 3, rate: 1200, amount: 3600 }),
    ]);
    expect(rowsOf(so, 'taxes')).toEqual([
      expect.objectContaining({ tax_amount: 1728, total: 11328 }),
      expect.objectContaining({ tax_amount: 150.3, total: 11478.3 }),
    ]);

    const submitted = await app.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(submitted).toSucceed();
    expect(submitted).toHaveRun(['validate', 'before_submit']);
    expect(doc(submitted)).toMatchObject({ docstatus: 1, status: 'To Deliver and Bill', grand_total: 11478.3 });

    const changed = await app.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, items: [{ ...rowsOf(doc(submitted), 'items')[0], qty: 3 }] } } });
    expect(changed).toFailWith({ code: 'UPDATE_AFTER_SUBMIT', exc: 'UpdateAfterSubmitError' });

    const cancelled = await app.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(cancelled).toSucceed();
    expect(cancelled).toHaveRun('before_cancel');
    expect(doc(cancelled)).toMatchObject({ docstatus: 2, status: 'Cancelled' });

    const amended = await app.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(amended).toSucceed();
    expect(doc(amended)).toMatchObject({ name: 'SAL-ORD-2026-00001-1', amended_from: so.name, docstatus: 0, status: 'Draft', grand_total: 11478.3 });
  });

  it('a draft edit session, then save: the controller computes at save, as on Frappe\'s server', async () => {
    const app = await company();
    const { items: _items, taxes: _taxes, ...header } = order();
    const open = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: header }, options: { draft: true } });
    expect(open).toSucceed();
    expect(doc(open)).toMatchObject({ customer_name: 'Globex Corporation' }); // fetch_from, in the draft
    const step = await app.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true },
      input: { data: { items: [{ item_code: 'WIDGET', qty: 10 }] } },
    });
    expect(step).toSucceed();
    expect(step.hooks).toEqual([]); // drafts run no controller
    const saved = await app.run({ operation: 'create', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
    expect(saved).toSucceed();
    expect(doc(saved)).toMatchObject({ total: 2500, grand_total: 2500, rounded_total: 2500, items: [expect.objectContaining({ uom: 'Nos', conversion_factor: 1, stock_qty: 10, rate: 250 })] });
    expect(app.store().edit(open.name)).toMatchObject({ state: 'saved' });
  });

  it('with draftHooks, each draft step shows what validate computes (totals, price list currency), and nothing is kept', async () => {
    const app = createTestApp(registry, { controllers: erpnextControllers, clock: fixedClock('2026-04-01T09:00:00Z') });
    const engine = app.engine({ draftHooks: true });
    await setupCompany(engine);
    const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() }, options: { draft: true } });
    expect(open.error).toBeNull();
    expect(open.output!.data[0]).toMatchObject({ price_list_currency: 'INR', total: 9600, grand_total: 11478.3, rounded_total: 11478 });
    expect((open.output!.meta as { issues: unknown[] }).issues).toEqual([]);
    const early = await engine.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: { delivery_date: '2026-03-01' } },
    });
    expect((early.output!.meta as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual(['Expected Delivery Date should be after Sales Order Date']);
    expect(await engine.adapter.count('Sales Order')).toBe(0);
  });

  it('per-row delivery dates: the header takes the latest, rows without one take the header\'s', async () => {
    const app = await company();
    const r = await app.run({
      operation: 'create', target_doctype: 'Sales Order',
      input: { data: order({ delivery_date: '2026-04-10', items: [{ item_code: 'WIDGET', qty: 1, delivery_date: '2026-04-20' }, { item_code: 'INSTALL', qty: 1 }] }) },
    });
    expect(r).toSucceed();
    expect(doc(r).delivery_date).toBe('2026-04-20');
    expect(rowsOf(doc(r), 'items').map((x) => x.delivery_date)).toEqual(['2026-04-20', '2026-04-20']);
  });

  it('refuses what ERPNext refuses, with Frappe\'s exception names', async () => {
    const app = await company();
    const early = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order({ delivery_date: '2026-03-01' }) } });
    expect(early).toFailWith({ code: 'VALIDATION', exc: 'ValidationError', message: 'Expected Delivery Date should be after Sales Order Date', hook: 'validate' });
    expect(early).toHaveIssue({ field: 'delivery_date', table: 'items', row: 1 });

    const uom = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order({ items: [{ item_code: 'WIDGET', qty: 1, uom: 'Hour' }] }) } });
    expect(uom).toFailWith({ code: 'VALIDATION', exc: 'ValidationError', message: /UOM Conversion factor is required for UOM Hour of Item WIDGET/ });

    const previous = await app.run({
      operation: 'create', target_doctype: 'Sales Order',
      input: { data: order({ taxes: [{ charge_type: 'On Previous Row Total', account_head: a('Output Tax GST'), rate: 5, description: 'Cess' }] }) },
    });
    expect(previous).toFailWith({ code: 'VALIDATION', message: "Cannot select charge type as 'On Previous Row Amount' or 'On Previous Row Total' for first row" });

    // Tiers 2 and 3 run after the controller: the JSON's own rules still hold.
    const noCustomer = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order({ customer: undefined }) } });
    expect(noCustomer).toFailWith('VALIDATION');
    expect(noCustomer).toHaveIssue({ code: 'MANDATORY', field: 'customer' });
    const unknownItem = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order({ items: [{ item_code: 'NOPE', qty: 1, uom: 'Nos' }] }) } });
    expect(unknownItem).toHaveIssue({ code: 'LINK_NOT_FOUND', field: 'item_code', table: 'items', row: 1 });
    expect(await app.store().adapter.count('Sales Order')).toBe(0);
  });
});

describe('Sales Invoice', () => {
  it('posts the ledger on submit and reverses it on cancel', async () => {
    const app = await company();
    const { delivery_date: _d, order_type: _o, transaction_date: _t, ...values } = order();
    const data = {
      ...values, posting_date: '2026-04-02', debit_to: a('Debtors'),
      items: (values.items as Doc[]).map((r) => ({ ...r, income_account: a('Sales') })),
    };
    const created = await app.run({ operation: 'create', target_doctype: 'Sales Invoice', input: { data } });
    expect(created).toSucceed();
    expect(doc(created)).toMatchObject({ grand_total: 11478.3, rounded_total: 11478, outstanding_amount: 11478, base_grand_total: 11478.3, status: 'Draft' });
    expect(rowsOf(doc(created), 'items').map((r) => r.cost_center)).toEqual([a('Main'), a('Main')]);

    const submitted = await app.run({ operation: 'submit', target_doctype: 'Sales Invoice', input: { data: { name: doc(created).name } } });
    expect(submitted).toSucceed();
    expect(submitted).toHaveRun(['Sales Invoice.on_submit', 'GL Entry.validate']);
    const voucher = { voucher_type: 'Sales Invoice', voucher_no: doc(created).name };
    expect(submitted).toHaveCreated('GL Entry', [
      { account: a('Debtors'), debit: 11478, credit: 0, party_type: 'Customer', party: 'Globex Corporation', ...voucher },
      { account: a('Sales'), credit: 6000, ...voucher },
      { account: a('Sales'), credit: 3600, ...voucher },
      { account: a('Output Tax GST'), credit: 1728, ...voucher },
      { account: a('Freight and Forwarding Charges'), credit: 150.3, ...voucher },
      { account: a('Round Off'), debit: 0.3, credit: 0, ...voucher },
    ]);
    const entries = await app.store().adapter.query('GL Entry', { where: { voucher_no: String(doc(created).name) } });
    const sum = (k: string) => Math.round(entries.reduce((s, e) => s + Number(e[k]), 0) * 100) / 100;
    expect(sum('debit')).toBe(sum('credit'));

    const cancelled = await app.run({ operation: 'cancel', target_doctype: 'Sales Invoice', input: { data: { name: doc(created).name } } });
    expect(cancelled).toSucceed();
    expect(cancelled).toHaveCreated('GL Entry', 6);
    expect(cancelled).toHaveCreated('GL Entry', { account: a('Debtors'), credit: 11478, debit: 0, is_cancelled: 1, remarks: `On cancellation of ${String(doc(created).name)}` });
    const after = await app.store().adapter.query('GL Entry', { where: { voucher_no: String(doc(created).name) } });
    expect(after).toHaveLength(12);
    expect(after.every((e) => e.is_cancelled === 1)).toBe(true);
  });
});

describe('Journal Entry', () => {
  const entry = (debit: number, credit: number, extra: Doc = {}): Doc => ({
    voucher_type: 'Journal Entry', company: COMPANY, posting_date: '2026-04-03', user_remark: 'April rent',
    accounts: [
      { account: a('Office Rent'), debit_in_account_currency: debit },
      { account: a('Cash'), credit_in_account_currency: credit },
    ],
    ...extra,
  });

  it('submit creates GL Entries through child runs, cancel reverses them, amend starts again', async () => {
    const app = await company();
    const created = await app.run({ operation: 'create', target_doctype: 'Journal Entry', input: { data: entry(5000, 5000) } });
    expect(created).toSucceed();
    const je = doc(created);
    expect(je).toMatchObject({ name: 'ACC-JV-2026-00001', title: a('Office Rent'), total_debit: 5000, total_credit: 5000, difference: 0, remark: 'Note: April rent' });
    expect(rowsOf(je, 'accounts')).toEqual([
      expect.objectContaining({ debit: 5000, credit: 0, account_currency: 'INR', exchange_rate: 1, against_account: a('Cash'), cost_center: a('Main') }),
      expect.objectContaining({ debit: 0, credit: 5000, against_account: a('Office Rent') }),
    ]);

    const submitted = await app.run({ operation: 'submit', target_doctype: 'Journal Entry', input: { data: { name: je.name } } });
    expect(submitted).toSucceed();
    expect(submitted).toHaveCreated('GL Entry', [
      { account: a('Office Rent'), debit: 5000, credit: 0, against: a('Cash'), voucher_type: 'Journal Entry', voucher_no: je.name, remarks: 'Note: April rent', posting_date: '2026-04-03' },
      { account: a('Cash'), debit: 0, credit: 5000, against: a('Office Rent'), voucher_no: je.name },
    ]);
    const child = app.store().runs.get(submitted.child_run_ids[0]!)!;
    expect(child).toMatchObject({ parent_run_id: submitted.name, flow_id: submitted.flow_id, target_doctype: 'GL Entry' });

    const cancelled = await app.run({ operation: 'cancel', target_doctype: 'Journal Entry', input: { data: { name: je.name } } });
    expect(cancelled).toSucceed();
    expect(cancelled).toHaveCreated('GL Entry', [
      { account: a('Office Rent'), debit: 0, credit: 5000, is_cancelled: 1 },
      { account: a('Cash'), debit: 5000, credit: 0, is_cancelled: 1 },
    ]);

    const amended = await app.run({ operation: 'amend', target_doctype: 'Journal Entry', input: { data: { name: je.name } } });
    expect(amended).toSucceed();
    expect(doc(amended)).toMatchObject({ name: 'ACC-JV-2026-00001-1', amended_from: je.name, docstatus: 0, total_debit: 5000 });
    const resubmitted = await app.run({ operation: 'submit', target_doctype: 'Journal Entry', input: { data: { name: doc(amended).name } } });
    expect(resubmitted).toHaveCreated('GL Entry', 2);
    expect(await app.store().adapter.count('GL Entry', { voucher_no: String(doc(amended).name), is_cancelled: 0 })).toBe(2);
  });

  it('refuses an unbalanced entry with ERPNext\'s message, and a zero row', async () => {
    const app = await company();
    const unbalanced = await app.run({ operation: 'create', target_doctype: 'Journal Entry', input: { data: entry(5000, 4500) } });
    expect(unbalanced).toFailWith({ code: 'VALIDATION', exc: 'ValidationError', message: 'Total Debit must be equal to Total Credit. The difference is 500.0', hook: 'Journal Entry.validate' });
    const zero = await app.run({ operation: 'create', target_doctype: 'Journal Entry', input: { data: entry(0, 0) } });
    expect(zero).toFailWith({ message: 'Row 1: Both Debit and Credit values cannot be zero' });
    expect(await app.store().adapter.count('Journal Entry')).toBe(0);
  });

  it('a GL Entry refused during submit rolls the whole submit back', async () => {
    const app = await company();
    // A group account saves in the Journal Entry, but ERPNext's GL Entry refuses it at submit.
    const data = entry(100, 100, { accounts: [{ account: a('Expenses'), debit_in_account_currency: 100 }, { account: a('Cash'), credit_in_account_currency: 100 }] });
    const created = await app.run({ operation: 'create', target_doctype: 'Journal Entry', input: { data } });
    expect(created).toSucceed();
    const submitted = await app.run({ operation: 'submit', target_doctype: 'Journal Entry', input: { data: { name: doc(created).name } } });
    expect(submitted).toFailWith({ code: 'VALIDATION', message: /group accounts cannot be used in transactions/, hook: 'GL Entry.validate' });
    expect(await app.store().adapter.count('GL Entry')).toBe(0);
    expect(await app.store().adapter.get('Journal Entry', String(doc(created).name))).toMatchObject({ docstatus: 0 });
  });
});

describe('Material Request', () => {
  const request = (extra: Doc = {}): Doc => ({
    material_request_type: 'Purchase', company: COMPANY, transaction_date: '2026-04-01', schedule_date: '2026-04-08', set_warehouse: a('Stores'),
    items: [{ item_code: 'WIDGET', qty: 2, uom: 'Box' }, { item_code: 'WIDGET', qty: 5, schedule_date: '2026-04-05' }],
    ...extra,
  });

  it('fills UOMs, conversion factors, stock quantities, warehouses, dates and the title; submit and cancel set the status', async () => {
    const app = await company();
    const created = await app.run({ operation: 'create', target_doctype: 'Material Request', input: { data: request() } });
    expect(created).toSucceed();
    const mr = doc(created);
    expect(mr).toMatchObject({ name: 'MAT-MR-2026-00001', title: 'Purchase Request for Widget, Widget', status: 'Draft', schedule_date: '2026-04-08' });
    expect(rowsOf(mr, 'items')).toEqual([
      expect.objectContaining({ uom: 'Box', stock_uom: 'Nos', conversion_factor: 12, stock_qty: 24, warehouse: a('Stores'), schedule_date: '2026-04-08', item_name: 'Widget' }),
      expect.objectContaining({ uom: 'Nos', stock_uom: 'Nos', conversion_factor: 1, stock_qty: 5, schedule_date: '2026-04-05' }),
    ]);
    const submitted = await app.run({ operation: 'submit', target_doctype: 'Material Request', input: { data: { name: mr.name } } });
    expect(doc(submitted)).toMatchObject({ docstatus: 1, status: 'Pending' });
    const cancelled = await app.run({ operation: 'cancel', target_doctype: 'Material Request', input: { data: { name: mr.name } } });
    expect(doc(cancelled)).toMatchObject({ docstatus: 2, status: 'Cancelled' });
  });

  it('refuses a required-by date before the transaction date', async () => {
    const app = await company();
    const r = await app.run({ operation: 'create', target_doctype: 'Material Request', input: { data: request({ items: [{ item_code: 'WIDGET', qty: 1, schedule_date: '2026-03-20' }] }) } });
    expect(r).toFailWith({ code: 'VALIDATION', exc: 'ValidationError', message: 'Row #1: Reqd by Date cannot be before Transaction Date' });
  });
});

describe('masters named by their controller', () => {
  it('accounts, cost centers and warehouses carry the company abbreviation; a repeated customer name is numbered', async () => {
    const app = await company();
    const engine = app.store();
    for (const [doctype, name] of [['Account', a('Debtors')], ['Cost Center', a('Main')], ['Warehouse', a('Stores')], ['Customer', 'Globex Corporation']] as const) {
      expect(await engine.adapter.exists(doctype, name)).toBe(true);
    }
    expect(await engine.adapter.get('Account', a('Debtors'))).toMatchObject({ root_type: 'Asset', report_type: 'Balance Sheet', account_currency: 'INR' });
    const again = await app.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Globex Corporation' } } });
    expect(doc(again).name).toBe('Globex Corporation - 1');
    // DocTypes Frappe names in a controller this example does not port are reported once, at createEngine.
    const reported = engine.diagnostics.map((d) => d.doctype);
    expect(reported).toEqual(expect.arrayContaining(['Address', 'Contact', 'Department']));
    expect(reported).not.toEqual(expect.arrayContaining(['Account']));
    expect(reported).not.toContain('Warehouse');
  });
});
