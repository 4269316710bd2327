/**
 * `select` with Frappe's get_list arguments in `input`, through engine.run: results, refusals with their
 * codes, permissions (fields and filters above the user's read level), and the native query alongside.
 */
import { describe, expect, it } from 'vitest';
import { RUN_ERROR_CODES } from '../../src/run/codes';
import { appEngine, ORDER, SALES_USER, seed } from './helpers';

async function orders() {
  const engine = appEngine();
  await seed(engine);
  for (const [qty, margin] of [[1, 10], [2, 20], [3, 30], [4, 40]] as const) {
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, internal_margin: margin, items: [{ item_code: qty % 2 ? 'ITEM-1' : 'ITEM-2', qty }] } } });
    expect(r.success).toBe(true);
  }
  return engine;
}

const select = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ operation: 'select', source_doctype: 'Sales Order', input, ...extra });

describe('select with get_list arguments', () => {
  it('filters, fields, order_by and paging as frappe.get_list takes them; no fields means name only', async () => {
    const engine = await orders();
    const r = await engine.run(select({ filters: { internal_margin: ['>=', 20] }, fields: ['name', 'internal_margin'], order_by: 'internal_margin desc', limit_page_length: 2 }));
    expect(r.error).toBeNull();
    expect(r.output!.data.map((d) => d.internal_margin)).toEqual([40, 30]);
    expect(Object.keys(r.output!.data[0]!).sort()).toEqual(['internal_margin', 'name']);
    const names = await engine.run(select({ filters: [['Sales Order Item', 'item_code', '=', 'ITEM-2']] }));
    expect(names.output!.data).toHaveLength(2);
    for (const d of names.output!.data) expect(Object.keys(d)).toEqual(['name']);
  });

  it('unknown arguments and malformed filters are INVALID_RUN, never ignored', async () => {
    const engine = await orders();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filter: { status: 'Draft' } }, /unknown argument "filter"/],
      [{ filters: { no_such_field: 1 } }, /has no field "no_such_field"/],
      [{ filters: [['status', '~', 'Draft']] }, /operator "~"/],
      [{ filters: [['status', 'Draft']] }, /3 or 4 values/],
      [{ filters: '{not json' }, /not JSON/],
      [{ filters: { delivery_date: ['between', ['2024-01-01']] } }, /\[from, to\]/],
      [{ filters: { status: ['between', ['a', 'b']] } }, /Date or Datetime/],
      [{ filters: { total_qty: ['like', '%1%'] } }, /needs a text field/],
      [{ limit_page_length: -1 }, /non-negative integer/],
      [{ data: { name: 'x' } }, /no input.data/],
      [{ filters: { customer: null } }, /"is", "not set"/],
    ];
    for (const [input, message] of cases) {
      const r = await engine.run(select(input));
      expect(r.error?.code, JSON.stringify(input)).toBe('INVALID_RUN');
      expect(r.error?.message).toMatch(message);
    }
    // Either Frappe's or the native form, not both.
    const both = await engine.run(select({ order_by: 'name asc' }, { query: { orderBy: { name: 'desc' } } }));
    expect(both.error).toMatchObject({ code: 'INVALID_RUN', message: expect.stringContaining('either input.order_by or query.orderBy') });
  });

  it('what coworker does not run yet is LIST_UNSUPPORTED (ValidationError), naming it', async () => {
    const engine = await orders();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filters: [['transaction_date', 'timespan', 'last week']] }, /"timespan"/],
      [{ filters: ['status = "Draft"'] }, /raw SQL/],
      [{ filters: { customer: ['like', 'Ac_e'] } }, /"_"/],
      [{ filters: { customer: ['like', 'A%e'] } }, /patterns can be expressed exactly/],
      [{ fields: ['count(name) as n'] }, /only fieldnames/],
      [{ order_by: 'field(status, "Draft")' }, /order_by/],
      [{ group_by: 'status' }, /"group_by" is not supported/],
      [{ filters: { customer: ['in', Array.from({ length: 10_001 }, (_, i) => `C-${i}`)] } }, /at most 10000/],
    ];
    for (const [input, message] of cases) {
      const r = await engine.run(select(input));
      expect(r.error?.code, JSON.stringify(input)).toBe('LIST_UNSUPPORTED');
      expect(r.error?.exc).toBe(RUN_ERROR_CODES.LIST_UNSUPPORTED);
      expect(r.error?.message).toMatch(message);
    }
    // The tree operators run on tree DocTypes (test/tree/); Customer is not one.
    const tree = await engine.run(select({ filters: [['customer', 'descendants of', 'Acme']] }));
    expect(tree.error).toMatchObject({ code: 'INVALID_RUN', message: expect.stringContaining('Customer is not a tree DocType') });
  });

  it('fields above the user\'s read level are left out; filtering or sorting on them is PERMISSION_DENIED', async () => {
    const engine = await orders();
    const asUser = await engine.run(select({ fields: ['name', 'internal_margin'], order_by: 'name asc' }, { user: SALES_USER }));
    expect(asUser.error).toBeNull();
    for (const d of asUser.output!.data) expect(d).not.toHaveProperty('internal_margin');
    const probe = await engine.run(select({ filters: { internal_margin: ['>', 25] } }, { user: SALES_USER }));
    expect(probe.error).toMatchObject({ code: 'PERMISSION_DENIED', exc: 'PermissionError' });
    const sorted = await engine.run(select({ order_by: 'internal_margin desc' }, { user: SALES_USER }));
    expect(sorted.error?.code).toBe('PERMISSION_DENIED');
    const manager = await engine.run(select({ filters: { internal_margin: ['>', 25] }, fields: ['internal_margin'], order_by: 'internal_margin asc' }));
    expect(manager.output!.data.map((d) => d.internal_margin)).toEqual([30, 40]);
  });

  it('the native query narrows too: its where is AND-ed with the filters', async () => {
    const engine = await orders();
    const r = await engine.run(select({ filters: { internal_margin: ['<', 40] }, fields: ['internal_margin'] }, { query: { where: { internal_margin: { gte: 20 } }, orderBy: { internal_margin: 'asc' } } }));
    expect(r.output!.data.map((d) => d.internal_margin)).toEqual([20, 30]);
  });
});
