/**
 * Masters whose names ERPNext sets in the controller ("By script" naming): Account, Cost Center and
 * Warehouse carry the company abbreviation (`get_autoname_with_number`, `Warehouse.autoname`); Customer is
 * named after the customer (Selling Settings' default "Customer Name", with ` - 1`, ` - 2`... for repeats).
 */
import { type Controller, type HookContext } from '../../../src/index';
import { companyInfo } from './util';

/** `get_autoname_with_number(number, name, company)`: `{number} - {name} - {abbr}`. */
async function withAbbr(ctx: HookContext, name: unknown, number?: unknown): Promise<void> {
  const { abbr } = await companyInfo(ctx, ctx.doc.company);
  if (!abbr) ctx.throw(`Company ${String(ctx.doc.company)} not found or has no abbreviation`, { field: 'company' });
  const base = `${number ? `${String(number).trim()} - ` : ''}${String(name).trim()}`;
  ctx.doc.name = base.endsWith(` - ${abbr}`) ? base : `${base} - ${abbr}`;
}

/** Account: named with the company abbreviation; root and report type follow the parent. */
export const account: Controller = {
  name: 'erpnext-lite accounts',
  async autoname(ctx) {
    await withAbbr(ctx, ctx.doc.account_name, ctx.doc.account_number);
  },
  async validate(ctx) {
    const doc = ctx.doc;
    if (doc.parent_account) {
      const parent = await ctx.db.get_value('Account', String(doc.parent_account), ['root_type', 'report_type', 'company', 'is_group']) as Record<string, unknown> | null;
      if (parent && parent.company !== doc.company) ctx.throw(`Account ${String(doc.name)}: Parent account ${String(doc.parent_account)} does not belong to company: ${String(doc.company)}`, { field: 'parent_account' });
      if (parent && !parent.is_group) ctx.throw(`Account ${String(doc.name)}: Parent account ${String(doc.parent_account)} can not be a ledger`, { field: 'parent_account' });
      if (parent) {
        doc.root_type = parent.root_type;
        doc.report_type = parent.report_type;
      }
    }
    doc.account_currency ||= (await companyInfo(ctx, doc.company)).currency;
  },
};

/** Cost Center. */
export const costCenter: Controller = {
  name: 'erpnext-lite accounts',
  async autoname(ctx) {
    await withAbbr(ctx, ctx.doc.cost_center_name, ctx.doc.cost_center_number);
  },
};

/** Warehouse. */
export const warehouse: Controller = {
  name: 'erpnext-lite stock',
  async autoname(ctx) {
    await withAbbr(ctx, ctx.doc.warehouse_name);
  },
};

/** Customer: `get_customer_name`. */
export const customer: Controller = {
  name: 'erpnext-lite selling',
  async autoname(ctx) {
    const base = String(ctx.doc.customer_name).trim();
    if (!(await ctx.db.exists('Customer', base))) {
      ctx.doc.name = base;
      return;
    }
    const count = await ctx.db.count('Customer', { name: ['like', `${base} - %`] });
    ctx.doc.name = `${base} - ${count + 1}`;
  },
};
