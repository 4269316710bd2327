/**
 * General ledger postings through child runs: ERPNext's `make_gl_entries` (erpnext/accounts/general_ledger.py)
 * creates one GL Entry per account line when a voucher is submitted, and on cancel
 * (`make_reverse_gl_entries`) posts the same lines with debit and credit swapped and marks both sets
 * `is_cancelled`. Every GL Entry here is a run of its own, a child of the voucher's run, in its transaction.
 */
import { flt, type HookContext } from '../../../src/index';
import { money } from './util';

/** One ledger line as a voucher describes it. */
export interface GlLine {
  readonly account: string;
  readonly debit?: number;
  readonly credit?: number;
  readonly account_currency?: string | null;
  readonly debit_in_account_currency?: number;
  readonly credit_in_account_currency?: number;
  readonly party_type?: string | null;
  readonly party?: string | null;
  readonly cost_center?: string | null;
  readonly against?: string | null;
  readonly remarks?: string | null;
}

/**
 * Post the voucher's lines (`ctx.doc`) as GL Entry documents. Lines that are zero on both sides are skipped,
 * as ERPNext's `process_gl_map` drops them.
 * @param ctx - the voucher's `on_submit` context
 * @param lines - the ledger lines
 */
export async function makeGlEntries(ctx: HookContext, lines: readonly GlLine[]): Promise<void> {
  const doc = ctx.doc;
  const postingDate = doc.posting_date ?? doc.transaction_date;
  for (const line of lines) {
    const debit = money(line.debit);
    const credit = money(line.credit);
    if (!debit && !credit) continue;
    await ctx.run({
      operation: 'create', target_doctype: 'GL Entry',
      input: { data: {
        posting_date: postingDate, transaction_date: doc.transaction_date ?? postingDate, company: doc.company,
        account: line.account, debit, credit,
        account_currency: line.account_currency ?? null,
        debit_in_account_currency: money(line.debit_in_account_currency ?? debit),
        credit_in_account_currency: money(line.credit_in_account_currency ?? credit),
        party_type: line.party_type ?? null, party: line.party ?? null, cost_center: line.cost_center ?? null,
        against: line.against ?? null, voucher_type: ctx.doctype, voucher_no: doc.name,
        remarks: line.remarks ?? doc.remark ?? doc.remarks ?? null, is_opening: doc.is_opening === 'Yes' ? 'Yes' : 'No',
      } },
    });
  }
}

/**
 * Reverse every GL Entry of the voucher (`ctx.doc`): a mirror entry per original, both marked `is_cancelled`.
 * @param ctx - the voucher's `on_cancel` context
 */
export async function makeReverseGlEntries(ctx: HookContext): Promise<void> {
  const entries = await ctx.db.get_list('GL Entry', {
    filters: { voucher_type: ctx.doctype, voucher_no: String(ctx.doc.name), is_cancelled: 0 }, order_by: 'creation asc',
  }) as Record<string, unknown>[];
  for (const gle of entries) {
    await ctx.run({ operation: 'update', target_doctype: 'GL Entry', input: { data: { name: gle.name, is_cancelled: 1 } } });
    const { name: _n, owner: _o, creation: _c, modified: _m, modified_by: _b, idx: _i, docstatus: _d, ...values } = gle;
    await ctx.run({
      operation: 'create', target_doctype: 'GL Entry',
      input: { data: {
        ...values,
        debit: flt(gle.credit), credit: flt(gle.debit),
        debit_in_account_currency: flt(gle.credit_in_account_currency), credit_in_account_currency: flt(gle.debit_in_account_currency),
        is_cancelled: 1, remarks: `On cancellation of ${String(ctx.doc.name)}`,
      } },
    });
  }
}
