/**
 * Material Request: ERPNext's MaterialRequest controller (erpnext/stock/doctype/material_request/
 * material_request.py) for item rows (UOM, conversion factor, stock quantity, warehouse), required-by
 * dates, status and title.
 */
import { type Controller, type HookContext } from '../../../src/index';
import { rows, setItemDetails } from './util';

/** `validate_schedule_date`: rows default to the header date; none before the transaction date. */
function validateScheduleDate(ctx: HookContext): void {
  const doc = ctx.doc;
  for (const row of rows(doc, 'items')) {
    row.schedule_date ||= doc.schedule_date;
    if (row.schedule_date && doc.transaction_date && String(row.schedule_date) < String(doc.transaction_date)) {
      ctx.throw(`Row #${row.idx}: Reqd by Date cannot be before Transaction Date`, { table: 'items', row: row.idx, field: 'schedule_date' });
    }
  }
  const dates = rows(doc, 'items').map((r) => r.schedule_date as string | null).filter((d): d is string => Boolean(d)).sort();
  doc.schedule_date ||= dates[0] ?? null;
}

/** `set_title`: "{type} Request for {first three item names}" when the title is empty (or still its template). */
function setTitle(ctx: HookContext): void {
  const doc = ctx.doc;
  const template = ctx.meta.fields.find((f) => f.fieldname === 'title')?.default;
  if (doc.title && doc.title !== template) return;
  const names = rows(doc, 'items').map((r) => r.item_name ?? r.item_code).slice(0, 3).join(', ');
  doc.title = `${String(doc.material_request_type)} Request for ${names}`.slice(0, 100);
}

/** Material Request. */
export const materialRequest: Controller = {
  name: 'erpnext-lite stock',
  async validate(ctx) {
    const doc = ctx.doc;
    await setItemDetails(ctx);
    for (const row of rows(doc, 'items')) row.warehouse ||= doc.set_warehouse;
    validateScheduleDate(ctx);
    setTitle(ctx);
    doc.status = 'Draft';
  },
  before_submit(ctx) {
    ctx.doc.status = 'Pending';
  },
  before_cancel(ctx) {
    ctx.doc.status = 'Cancelled';
  },
};
