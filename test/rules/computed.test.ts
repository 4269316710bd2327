import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { compileRules } from '../../src/rules/compile';
import { applyComputed } from '../../src/rules/computed';
import type { CustomRules, DocData } from '../../src/rules/types';
import { fixtureDoctypes } from '../helpers/fixtures';

const reg = fixtureDoctypes();
const so = reg.get('Sales Order');
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v) || 0);

function salesRules(calls: string[] = []): CustomRules {
  return {
    computed: [
      { field: 'amount', table: 'items', inputs: ['qty', 'rate'], compute: (row) => { calls.push(`amount:${String(row.name)}`); return num(row.qty) * num(row.rate); } },
      { field: 'total', inputs: ['items.amount'], compute: (doc) => { calls.push('total'); return (doc.items as DocData[]).reduce((s, r) => s + num(r.amount), 0); } },
      { field: 'total_qty', inputs: ['items.qty'], compute: (doc) => (doc.items as DocData[]).reduce((s, r) => s + num(r.qty), 0) },
      { field: 'grand_total', inputs: ['total', 'discount_percent'], compute: (doc) => { calls.push('grand_total'); return num(doc.total) * (1 - num(doc.discount_percent) / 100); } },
    ],
  };
}

const base: DocData = Object.freeze({
  doctype: 'Sales Order', name: 'SO-1', docstatus: 0, discount_percent: 10,
  items: [
    { name: 'r1', idx: 1, qty: 2, rate: 5 },
    { name: 'r2', idx: 2, qty: 1, rate: 100 },
  ],
});

describe('computed fields', () => {
  it('orders computations by the graph: rows, then totals, then what reads totals', () => {
    const custom = salesRules();
    const rules = compileRules(so, reg, custom);
    expect(rules.order.indexOf('items.amount')).toBeLessThan(rules.order.indexOf('total'));
    expect(rules.order.indexOf('total')).toBeLessThan(rules.order.indexOf('grand_total'));
    const { doc, changes } = applyComputed(rules, base);
    expect((doc.items as DocData[]).map((r) => r.amount)).toEqual([10, 100]);
    expect(doc.total).toBe(110);
    expect(doc.total_qty).toBe(3);
    expect(doc.grand_total).toBe(99);
    expect(changes.map((c) => c.field).sort()).toEqual(['amount', 'amount', 'grand_total', 'total', 'total_qty']);
    expect(changes.findIndex((c) => c.field === 'grand_total')).toBeGreaterThan(changes.findIndex((c) => c.field === 'total'));
    expect(Object.isFrozen(doc)).toBe(true);
  });

  it('returns the same document when nothing changes', () => {
    const rules = compileRules(so, reg, salesRules());
    const first = applyComputed(rules, base).doc;
    const again = applyComputed(rules, first);
    expect(again.doc).toBe(first);
    expect(again.changes).toEqual([]);
  });

  it('incrementally recomputes only downstream of the change, and only the changed row', () => {
    const calls: string[] = [];
    const rules = compileRules(so, reg, salesRules(calls));
    const computed = applyComputed(rules, base).doc;
    calls.length = 0;
    const edited = produce(computed, (d: any) => { d.items[1].qty = 2; });
    const { doc } = applyComputed(rules, edited, computed);
    expect(calls).toEqual(['amount:r2', 'total', 'grand_total']);
    expect(doc.total).toBe(210);
    expect((doc.items as DocData[])[0]).toBe((computed.items as DocData[])[0]); // untouched row keeps identity
    calls.length = 0;
    const discounted = produce(doc, (d: any) => { d.discount_percent = 50; });
    expect(applyComputed(rules, discounted, doc).doc.grand_total).toBe(105);
    expect(calls).toEqual(['grand_total']);
  });

  it('a new row computes its own fields and the totals', () => {
    const rules = compileRules(so, reg, salesRules());
    const computed = applyComputed(rules, base).doc;
    const added = produce(computed, (d: any) => { d.items.push({ name: 'r3', idx: 3, qty: 3, rate: 1 }); });
    const { doc } = applyComputed(rules, added, computed);
    expect((doc.items as DocData[])[2]!.amount).toBe(3);
    expect(doc.total).toBe(113);
  });
});
