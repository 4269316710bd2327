/**
 * ERPNext Sales Orders for benches: the master data they link to (the bench company of `test/bench/seed.ts`,
 * created through the engine) and the input a user passes to `run(create)`, with N rows as plain objects.
 */
import type { Engine } from '../dist/index.js';
import { COMPANY, ABBR, MASTERS, saved } from '../test/bench/seed';

/** Masters a Sales Order links to (Company, Customer, Item, Price List, Warehouse...), created for real. */
export async function seedSalesMasters(engine: Engine): Promise<void> {
  for (const [doctype, values, flags] of MASTERS) {
    const r = await engine.run({
      operation: 'create', target_doctype: doctype, input: { data: saved(doctype, String(values.name), values) },
      options: { flags: { in_import: true, ...(flags ?? {}) } },
    });
    if (!r.success) throw new Error(`bench master ${doctype} ${String(values.name)}: ${JSON.stringify(r.error)}`);
  }
}

/** A function returning a fresh Sales Order input (plain objects) with `rows` rows, as a caller builds one. */
export function salesOrderData(rows: number): () => Record<string, unknown> {
  return () => ({
    naming_series: 'SAL-ORD-.YYYY.-', order_type: 'Sales', transaction_date: '2024-04-02', delivery_date: '2024-04-20',
    company: COMPANY, currency: 'INR', conversion_rate: 1, selling_price_list: 'Standard Selling', price_list_currency: 'INR',
    plc_conversion_rate: 1, customer: 'Zenith Energy', customer_name: 'Zenith Energy', customer_group: 'Commercial', territory: 'India',
    total_qty: 2 * rows, total: 5000 * rows, net_total: 5000 * rows, grand_total: 5000 * rows, base_grand_total: 5000 * rows,
    items: Array.from({ length: rows }, () => ({
      item_code: 'WIND-TURBINE-BLADE', item_name: 'Wind Turbine Blade', description: 'Wind Turbine Blade', qty: 2, stock_uom: 'Nos', uom: 'Nos',
      conversion_factor: 1, stock_qty: 2, price_list_rate: 2500, rate: 2500, amount: 5000, net_rate: 2500, net_amount: 5000,
      item_group: 'Products', warehouse: `Stores - ${ABBR}`, delivery_date: '2024-04-20',
    })),
  });
}
