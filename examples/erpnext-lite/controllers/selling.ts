/**
 * Sales Order and Sales Invoice: ERPNext's SellingController (`set_missing_values`, `set_price_list_currency`,
 * `calculate_taxes_and_totals`), the Sales Order's delivery dates and status, and the Sales Invoice's ledger
 * postings on submit (reversed on cancel).
 */
import { flt, type Controller, type HookContext } from '../../../src/index';
import { makeGlEntries, makeReverseGlEntries, type GlLine } from './gl';
import { calculateTaxesAndTotals } from './taxes-and-totals';
import { companyInfo, money, rows, setItemDetails } from './util';

/**
 * `set_price_list_currency` (erpnext/controllers/accounts_controller.py): the price list's currency, and the
 * exchange rates when they follow from the company currency.
 */
async function setPriceListCurrency(ctx: HookContext): Promise<void> {
  const doc = ctx.doc;
  const { currency: companyCurrency } = await companyInfo(ctx, doc.company);
  if (doc.selling_price_list) {
    doc.price_list_currency = await ctx.db.get_value('Price List', String(doc.selling_price_list), 'currency');
    if (doc.price_list_currency && doc.price_list_currency === companyCurrency) doc.plc_conversion_rate = 1;
    else if (!flt(doc.plc_conversion_rate)) ctx.throw(`Price List Exchange Rate is mandatory for ${doc.price_list_currency} to ${companyCurrency}`, { field: 'plc_conversion_rate' });
  }
  if (!doc.currency) {
    doc.currency = doc.price_list_currency;
    doc.conversion_rate = doc.plc_conversion_rate;
  } else if (doc.currency === companyCurrency) doc.conversion_rate = 1;
  else if (!flt(doc.conversion_rate)) ctx.throw(`Exchange Rate is mandatory for ${doc.currency} to ${companyCurrency}`, { field: 'conversion_rate' });
}

/** Price list rates from Item Price (per stock UOM, scaled to the row's UOM), as `get_item_details` fills them. */
async function setPriceListRates(ctx: HookContext): Promise<void> {
  const doc = ctx.doc;
  if (!doc.selling_price_list) return;
  for (const row of rows(doc, 'items')) {
    if (!row.item_code || flt(row.price_list_rate)) continue;
    const price = await ctx.db.get_value('Item Price', { item_code: row.item_code, price_list: doc.selling_price_list }, 'price_list_rate');
    if (price !== null) row.price_list_rate = money(flt(price) * (flt(row.conversion_factor) || 1));
  }
}

async function setMissingValues(ctx: HookContext): Promise<void> {
  const doc = ctx.doc;
  if (doc.customer && !doc.customer_name) doc.customer_name = await ctx.db.get_value('Customer', String(doc.customer), 'customer_name');
  await setPriceListCurrency(ctx);
  await setItemDetails(ctx);
  await setPriceListRates(ctx);
}

/**
 * `SalesOrder.validate_delivery_date` (erpnext/selling/doctype/sales_order/sales_order.py): the header date is
 * the latest row date, rows without one take it, none may be before the order date.
 */
function validateDeliveryDate(ctx: HookContext): void {
  const doc = ctx.doc;
  if (doc.order_type !== 'Sales' || flt(doc.skip_delivery_note)) return;
  const dates = rows(doc, 'items').map((r) => r.delivery_date as string | null).filter((d): d is string => Boolean(d)).sort();
  const latest = dates[dates.length - 1];
  if (latest && doc.delivery_date !== latest) doc.delivery_date = latest;
  if (!doc.delivery_date) ctx.throw('Please enter Delivery Date', { field: 'delivery_date' });
  for (const row of rows(doc, 'items')) {
    row.delivery_date ||= doc.delivery_date;
    if (String(doc.transaction_date) > String(row.delivery_date)) {
      ctx.throw('Expected Delivery Date should be after Sales Order Date', { table: 'items', row: row.idx, field: 'delivery_date' });
    }
  }
}

/** Sales Order. */
export const salesOrder: Controller = {
  name: 'erpnext-lite selling',
  async validate(ctx) {
    await setMissingValues(ctx);
    validateDeliveryDate(ctx);
    await calculateTaxesAndTotals(ctx);
    ctx.doc.status = 'Draft';
    ctx.doc.per_delivered = 0;
    ctx.doc.per_billed = 0;
    if (flt(ctx.doc.grand_total) < 0) ctx.throw('Grand Total cannot be negative', { field: 'grand_total' });
  },
  before_submit(ctx) {
    // set_status: nothing delivered or billed yet.
    ctx.doc.status = 'To Deliver and Bill';
    ctx.doc.delivery_status = 'Not Delivered';
    ctx.doc.billing_status = 'Not Billed';
  },
  before_cancel(ctx) {
    ctx.doc.status = 'Cancelled';
  },
};

/** The ledger lines of a submitted Sales Invoice: receivable, income per item, each tax, rounding. */
async function invoiceGlLines(ctx: HookContext): Promise<GlLine[]> {
  const doc = ctx.doc;
  const { round_off_account: roundOff, cost_center: companyCostCenter } = await companyInfo(ctx, doc.company);
  const total = flt(doc.disable_rounded_total) ? flt(doc.base_grand_total) : flt(doc.base_rounded_total) || flt(doc.base_grand_total);
  const incomeAccounts = [...new Set(rows(doc, 'items').map((r) => String(r.income_account)))];
  const lines: GlLine[] = [{
    account: String(doc.debit_to), party_type: 'Customer', party: doc.customer ?? null, debit: total,
    debit_in_account_currency: flt(doc.disable_rounded_total) ? flt(doc.grand_total) : flt(doc.rounded_total) || flt(doc.grand_total),
    against: incomeAccounts.join(', '),
  }];
  for (const row of rows(doc, 'items')) {
    lines.push({ account: String(row.income_account), credit: flt(row.base_net_amount), cost_center: row.cost_center ?? companyCostCenter, against: doc.customer ?? null });
  }
  for (const tax of rows(doc, 'taxes')) {
    lines.push({ account: String(tax.account_head), credit: flt(tax.base_tax_amount_after_discount_amount), cost_center: tax.cost_center ?? companyCostCenter, against: doc.customer ?? null });
  }
  const adjustment = flt(doc.base_rounding_adjustment);
  if (adjustment && !flt(doc.disable_rounded_total)) {
    if (!roundOff) ctx.throw(`Please mention Round Off Account in Company ${String(doc.company)}`, { field: 'company' });
    lines.push({ account: roundOff, credit: adjustment > 0 ? adjustment : 0, debit: adjustment < 0 ? -adjustment : 0, cost_center: companyCostCenter, against: doc.customer ?? null });
  }
  return lines;
}

/** Sales Invoice. */
export const salesInvoice: Controller = {
  name: 'erpnext-lite selling',
  async validate(ctx) {
    const doc = ctx.doc;
    await setMissingValues(ctx);
    const { cost_center: costCenter } = await companyInfo(ctx, doc.company);
    for (const row of rows(doc, 'items')) row.cost_center ||= costCenter;
    await calculateTaxesAndTotals(ctx);
    doc.status = 'Draft';
    doc.outstanding_amount = flt(doc.disable_rounded_total) ? doc.grand_total : flt(doc.rounded_total) || doc.grand_total;
    doc.against_income_account = [...new Set(rows(doc, 'items').map((r) => r.income_account).filter(Boolean))].join(',');
  },
  before_submit(ctx) {
    ctx.doc.status = 'Unpaid';
  },
  async on_submit(ctx) {
    await makeGlEntries(ctx, await invoiceGlLines(ctx));
  },
  before_cancel(ctx) {
    ctx.doc.status = 'Cancelled';
  },
  async on_cancel(ctx) {
    await makeReverseGlEntries(ctx);
  },
};
