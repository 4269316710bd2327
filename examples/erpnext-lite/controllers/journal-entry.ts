/**
 * Journal Entry: ERPNext's JournalEntry controller (erpnext/accounts/doctype/journal_entry/journal_entry.py)
 * for the ledger core: amounts in company currency, totals, "Total Debit must be equal to Total Credit",
 * title and remark; GL Entry documents on submit, reversed on cancel.
 */
import { flt, type Controller, type HookContext } from '../../../src/index';
import { makeGlEntries, makeReverseGlEntries } from './gl';
import { companyInfo, money, pyFloat, rows } from './util';

/** `set_exchange_rate` + `set_amounts_in_company_currency`. */
async function setAmountsInCompanyCurrency(ctx: HookContext): Promise<void> {
  const { currency: companyCurrency } = await companyInfo(ctx, ctx.doc.company);
  for (const row of rows(ctx.doc, 'accounts')) {
    if (row.account) row.account_currency = (await ctx.db.get_value('Account', String(row.account), 'account_currency')) ?? companyCurrency;
    if (!row.account_currency || row.account_currency === companyCurrency) row.exchange_rate = 1;
    else if (!flt(row.exchange_rate)) ctx.throw(`Row ${row.idx}: Exchange Rate is mandatory`, { table: 'accounts', row: row.idx, field: 'exchange_rate' });
    row.debit = money(flt(row.debit_in_account_currency) * flt(row.exchange_rate));
    row.credit = money(flt(row.credit_in_account_currency) * flt(row.exchange_rate));
  }
}

/** `validate_total_debit_and_credit`, with `validate_debit_credit_amount` for each row. */
function validateTotals(ctx: HookContext): void {
  const doc = ctx.doc;
  for (const row of rows(doc, 'accounts')) {
    if (!flt(row.debit) && !flt(row.credit)) ctx.throw(`Row ${row.idx}: Both Debit and Credit values cannot be zero`, { table: 'accounts', row: row.idx, field: 'debit_in_account_currency' });
  }
  doc.total_debit = money(rows(doc, 'accounts').reduce((s, r) => s + flt(r.debit), 0));
  doc.total_credit = money(rows(doc, 'accounts').reduce((s, r) => s + flt(r.credit), 0));
  doc.difference = money(flt(doc.total_debit) - flt(doc.total_credit));
  if (flt(doc.difference)) ctx.throw(`Total Debit must be equal to Total Credit. The difference is ${pyFloat(flt(doc.difference))}`, { field: 'difference' });
}

/** `set_against_account`: each row's `against` lists the accounts on the other side. */
function setAgainstAccount(ctx: HookContext): void {
  const accounts = rows(ctx.doc, 'accounts');
  const debitSide = [...new Set(accounts.filter((r) => flt(r.debit)).map((r) => String(r.party ?? r.account)))];
  const creditSide = [...new Set(accounts.filter((r) => flt(r.credit)).map((r) => String(r.party ?? r.account)))];
  for (const row of accounts) row.against_account = (flt(row.debit) ? creditSide : debitSide).join(', ');
}

/** Journal Entry. */
export const journalEntry: Controller = {
  name: 'erpnext-lite accounts',
  async validate(ctx) {
    const doc = ctx.doc;
    await setAmountsInCompanyCurrency(ctx);
    validateTotals(ctx);
    setAgainstAccount(ctx);
    const { cost_center: costCenter } = await companyInfo(ctx, doc.company);
    for (const row of rows(doc, 'accounts')) row.cost_center ||= costCenter;
    // create_remarks / set_title
    doc.remark = doc.user_remark ? `Note: ${String(doc.user_remark)}` : 'No Remarks';
    doc.title ||= doc.pay_to_recd_from || rows(doc, 'accounts')[0]?.account;
  },
  async on_submit(ctx) {
    await makeGlEntries(ctx, rows(ctx.doc, 'accounts').map((r) => ({
      account: String(r.account), debit: flt(r.debit), credit: flt(r.credit), account_currency: r.account_currency,
      debit_in_account_currency: flt(r.debit_in_account_currency), credit_in_account_currency: flt(r.credit_in_account_currency),
      party_type: r.party_type ?? null, party: r.party ?? null, cost_center: r.cost_center ?? null, against: r.against_account ?? null,
      remarks: ctx.doc.remark,
    })));
  },
  async on_cancel(ctx) {
    await makeReverseGlEntries(ctx);
  },
};

/** GL Entry: ERPNext's own checks (erpnext/accounts/doctype/gl_entry/gl_entry.py `check_mandatory`, `validate_account_details`). */
export const glEntry: Controller = {
  name: 'erpnext-lite accounts',
  async validate(ctx) {
    const doc = ctx.doc;
    for (const k of ['account', 'voucher_type', 'voucher_no', 'company', 'posting_date'] as const) {
      if (!doc[k]) ctx.throw(`${k} is required`, { field: k, exc: 'MandatoryError' });
    }
    if (!flt(doc.debit) && !flt(doc.credit)) ctx.throw(`Either debit or credit amount is required for ${String(doc.account)}`, { field: 'debit' });
    const account = await ctx.db.get_value('Account', String(doc.account), ['is_group', 'company']) as Record<string, unknown> | null;
    if (account && flt(account.is_group)) ctx.throw(`Account ${String(doc.account)} is a Group Account and group accounts cannot be used in transactions`, { field: 'account' });
    if (account && account.company !== doc.company) ctx.throw(`Account ${String(doc.account)} does not belong to Company ${String(doc.company)}`, { field: 'account' });
  },
};
