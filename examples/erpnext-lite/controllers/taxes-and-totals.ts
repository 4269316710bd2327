/**
 * ERPNext's `calculate_taxes_and_totals` (erpnext/controllers/taxes_and_totals.py), for the parts this
 * example covers: item amounts (price list rate, discount, rate, amount, net and base values), totals, the
 * tax table (Actual, On Net Total, On Previous Row Amount / Total, On Item Quantity) with cumulative totals,
 * grand total and rounded total. Not covered: additional discount, item tax templates, inclusive taxes,
 * margins, pricing rules, advances and write-offs (see the README).
 */
import { flt, type HookContext, type HookDoc } from '../../../src/index';
import { money, qty, rows } from './util';

const PREVIOUS = new Set(['On Previous Row Amount', 'On Previous Row Total']);

/** Amounts of every item row. */
function calculateItems(doc: HookDoc): void {
  const rate = flt(doc.conversion_rate) || 1;
  for (const row of rows(doc, 'items')) {
    if (flt(row.price_list_rate) && !flt(row.rate)) {
      row.discount_amount = money(flt(row.price_list_rate) * flt(row.discount_percentage) / 100);
      row.rate = money(flt(row.price_list_rate) - flt(row.discount_amount));
    }
    row.rate = money(row.rate);
    row.amount = money(flt(row.rate) * flt(row.qty));
    row.net_rate = row.rate;
    row.net_amount = row.amount;
    row.base_price_list_rate = money(flt(row.price_list_rate) * (flt(doc.plc_conversion_rate) || 1));
    row.base_rate = money(flt(row.rate) * rate);
    row.base_amount = money(flt(row.amount) * rate);
    row.base_net_rate = row.base_rate;
    row.base_net_amount = row.base_amount;
  }
}

/**
 * `round_based_on_smallest_currency_fraction` (erpnext/controllers/taxes_and_totals.py): to the currency's
 * smallest fraction when it has one, else to whole units with Frappe's `rounded` (banker's rounding).
 */
async function roundedTotal(ctx: HookContext, value: number): Promise<number> {
  const fraction = flt(ctx.doc.currency ? await ctx.db.get_value('Currency', String(ctx.doc.currency), 'smallest_currency_fraction_value') : 0);
  if (!fraction) return flt(value, 0);
  const remainder = flt(value % fraction, 2);
  return money(remainder > fraction / 2 ? value + fraction - remainder : value - remainder);
}

/** Tax rows, each on the running total, and the document totals. */
async function calculateTaxes(ctx: HookContext): Promise<void> {
  const doc = ctx.doc;
  const rate = flt(doc.conversion_rate) || 1;
  const taxes = rows(doc, 'taxes');
  let running = flt(doc.net_total);
  taxes.forEach((tax, i) => {
    if (PREVIOUS.has(tax.charge_type)) {
      // validate_taxes_and_charges (erpnext/controllers/accounts_controller.py)
      if (i === 0) ctx.throw("Cannot select charge type as 'On Previous Row Amount' or 'On Previous Row Total' for first row", { table: 'taxes', row: i + 1, field: 'charge_type' });
      if (!tax.row_id || Number(tax.row_id) >= i + 1) ctx.throw('Cannot refer row number greater than or equal to current row number for this Charge type', { table: 'taxes', row: i + 1, field: 'row_id' });
    }
    let amount: number;
    switch (tax.charge_type) {
      case 'Actual': amount = flt(tax.tax_amount); break;
      case 'On Net Total': amount = flt(tax.rate) * flt(doc.net_total) / 100; break;
      case 'On Previous Row Amount': amount = flt(tax.rate) * flt(taxes[Number(tax.row_id) - 1]!.tax_amount) / 100; break;
      case 'On Previous Row Total': amount = flt(tax.rate) * flt(taxes[Number(tax.row_id) - 1]!.total) / 100; break;
      case 'On Item Quantity': amount = flt(tax.rate) * flt(doc.total_qty); break;
      default: amount = 0; // charge_type is mandatory: tier 3 reports an empty one
    }
    tax.tax_amount = money(amount);
    tax.tax_amount_after_discount_amount = tax.tax_amount;
    tax.net_amount = money(doc.net_total);
    running = money(running + flt(tax.tax_amount));
    tax.total = running;
    tax.base_tax_amount = money(flt(tax.tax_amount) * rate);
    tax.base_tax_amount_after_discount_amount = tax.base_tax_amount;
    tax.base_net_amount = money(flt(tax.net_amount) * rate);
    tax.base_total = money(flt(tax.total) * rate);
  });
  doc.grand_total = taxes.length ? flt(taxes[taxes.length - 1]!.total) : flt(doc.net_total);
  doc.total_taxes_and_charges = money(flt(doc.grand_total) - flt(doc.net_total));
  doc.base_total_taxes_and_charges = money(flt(doc.total_taxes_and_charges) * rate);
  doc.base_grand_total = money(flt(doc.grand_total) * rate);
  if (flt(doc.disable_rounded_total)) {
    doc.rounded_total = 0;
    doc.rounding_adjustment = 0;
  } else {
    doc.rounded_total = await roundedTotal(ctx, flt(doc.grand_total));
    doc.rounding_adjustment = money(flt(doc.rounded_total) - flt(doc.grand_total));
  }
  doc.base_rounded_total = money(flt(doc.rounded_total) * rate);
  doc.base_rounding_adjustment = money(flt(doc.rounding_adjustment) * rate);
}

/**
 * Recompute every amount and total of a selling document (`ctx.doc`) in place.
 * @param ctx - the hook context of a Sales Order or Sales Invoice
 */
export async function calculateTaxesAndTotals(ctx: HookContext): Promise<void> {
  const doc = ctx.doc;
  calculateItems(doc);
  const items = rows(doc, 'items');
  doc.total_qty = qty(items.reduce((s, r) => s + flt(r.qty), 0));
  doc.total = money(items.reduce((s, r) => s + flt(r.amount), 0));
  doc.net_total = money(items.reduce((s, r) => s + flt(r.net_amount), 0));
  doc.base_total = money(items.reduce((s, r) => s + flt(r.base_amount), 0));
  doc.base_net_total = money(items.reduce((s, r) => s + flt(r.base_net_amount), 0));
  await calculateTaxes(ctx);
}
