/**
 * Small helpers the controllers share: rows of a table, ERPNext's rounding to field precision, Python's float
 * text (ERPNext formats numbers into messages with `str(float)`), and item details from the Item master.
 */
import { flt, type HookContext, type HookDoc } from '../../../src/index';

/** Currency fields: 2 decimals (System Settings' default currency precision). */
export const money = (v: unknown): number => flt(v, 2);
/** Float quantities: 3 decimals (Frappe's default float precision for these fields). */
export const qty = (v: unknown): number => flt(v, 3);

/** The rows of a Table field, created empty when missing (hooks may then push to it). */
export function rows(doc: HookDoc, table: string): HookDoc[] {
  if (!Array.isArray(doc[table])) doc[table] = [];
  return doc[table] as HookDoc[];
}

/** `str(float)` in Python: `50.0`, `0.5`, `1234.56`. */
export function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** The company's currency and abbreviation (`erpnext.get_company_currency`, `Company.abbr`). */
export async function companyInfo(ctx: HookContext, company: unknown): Promise<{ currency: string | null; abbr: string | null; round_off_account: string | null; cost_center: string | null }> {
  const c = company ? await ctx.db.get_value('Company', String(company), ['default_currency', 'abbr', 'round_off_account', 'cost_center']) : null;
  return {
    currency: (c?.default_currency as string | null) ?? null, abbr: (c?.abbr as string | null) ?? null,
    round_off_account: (c?.round_off_account as string | null) ?? null, cost_center: (c?.cost_center as string | null) ?? null,
  };
}

/**
 * ERPNext's `set_missing_item_details` for what the Item master holds: item name and description, stock UOM,
 * the row UOM (the stock UOM when empty), its conversion factor from the Item's UOM table, and stock quantity.
 * @throws through ctx.throw when the row's UOM has no conversion factor on the Item
 */
export async function setItemDetails(ctx: HookContext, table = 'items'): Promise<void> {
  for (const row of rows(ctx.doc, table)) {
    if (!row.item_code) continue; // mandatory: tier 3 reports it
    const item = await ctx.db.get('Item', String(row.item_code));
    if (!item) continue; // the Link check reports it
    row.item_name ||= item.item_name || item.item_code;
    row.description ||= item.description || row.item_name;
    row.stock_uom = item.stock_uom;
    row.uom ||= item.stock_uom;
    if (!flt(row.conversion_factor) || row.uom === item.stock_uom) {
      const found = row.uom === item.stock_uom ? 1 : ((item.uoms as HookDoc[] | undefined) ?? []).find((u) => u.uom === row.uom)?.conversion_factor;
      if (!found) {
        ctx.throw(`Row #${row.idx}: UOM Conversion factor is required for UOM ${row.uom} of Item ${row.item_code}`, { table, row: row.idx, field: 'conversion_factor' });
      }
      row.conversion_factor = flt(found, 9);
    }
    row.stock_qty = qty(flt(row.qty) * flt(row.conversion_factor));
    if ('item_group' in row || item.item_group) row.item_group = item.item_group;
  }
}
