import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { produce } from 'immer';
import { compileRules } from '../../src/rules/compile';
import { evaluateStates, updateStates, fieldState } from '../../src/rules/states';
import { RulesCycleError } from '../../src/rules/graph';
import { parseDoctype } from '../../src/schema/parse';
import type { DocData } from '../../src/rules/types';
import { fixtureDoctypes } from '../helpers/fixtures';

const reg = fixtureDoctypes();
const so = reg.get('Sales Order');

function order(extra: Record<string, unknown> = {}, rows: Record<string, unknown>[] = []): DocData {
  return Object.freeze({
    doctype: 'Sales Order', name: 'SO-2026-00001', docstatus: 0, order_type: 'Sales', customer: '', total: 0,
    apply_discount: 0, discount_percent: 0,
    items: rows.map((r, i) => ({ doctype: 'Sales Order Item', name: `row${i + 1}`, idx: i + 1, parent: 'SO-2026-00001', parentfield: 'items', parenttype: 'Sales Order', ...r })),
    ...extra,
  });
}

describe('compileRules', () => {
  const rules = compileRules(so, reg);

  it('compiles the fixture without diagnostics, once (cached by identity)', () => {
    expect(rules.diagnostics).toEqual([]);
    expect(compileRules(so, reg)).toBe(rules);
  });

  it('indexes reverse edges: who reads each value', () => {
    expect([...(rules.stateReaders.get('apply_discount') ?? [])].sort()).toEqual(['discount_percent', 'discount_reason', 'discount_section']);
    expect(rules.stateReaders.get('order_type')).toEqual(['delivery_date']);
    // customer_name is fetched from customer: it shows read-only while customer is set.
    expect(rules.stateReaders.get('customer')).toEqual(['customer_name']);
    const items = rules.tables.get('items')!;
    expect(items.parentReaders.get('order_type')).toEqual(['service_notes']);
    expect(items.stateReaders.get('delivered_by_supplier')).toEqual(['supplier']);
    // fetch_from links are value edges: item_code -> item_name, rate.
    expect(items.dependents.get('item_code')).toEqual(['item_name', 'rate']);
    expect(rules.order.indexOf('items.item_code')).toBeLessThan(rules.order.indexOf('items.rate'));
  });

  it('reports problems in the DocType JSON as diagnostics with DocType + field', () => {
    const dt = parseDoctype({
      name: 'Diag', fields: [
        { fieldname: 'a', fieldtype: 'Data', depends_on: 'eval:doc.nope == 1' },
        { fieldname: 'b', fieldtype: 'Data', depends_on: 'eval:erpnext.is_perpetual_inventory_enabled(doc.company)' },
        { fieldname: 'c', fieldtype: 'Data', mandatory_depends_on: 'eval:doc.a ==' },
        { fieldname: 'd', fieldtype: 'Data', fetch_from: 'a.x' },
        { fieldname: 'e', fieldtype: 'Table', options: 'Missing Child' },
      ],
    });
    const r = compileRules(dt, { tryGet: () => undefined });
    expect(r.diagnostics.map((d) => [d.field, d.property, d.code])).toEqual([
      ['a', 'depends_on', 'UNKNOWN_FIELD_REFERENCE'],
      ['b', 'depends_on', 'EXPR_UNSUPPORTED'],
      ['c', 'mandatory_depends_on', 'EXPR_SYNTAX'],
      ['d', 'fetch_from', 'BAD_FETCH_FROM'],
      ['e', 'options', 'UNKNOWN_CHILD_TABLE'],
    ]);
    expect(r.diagnostics.every((d) => d.doctype === 'Diag')).toBe(true);
    expect(r.diagnostics[2]!.index).toBeTypeOf('number');
  });

  it('rejects a cycle of computed fields, naming its fields', () => {
    const dt = parseDoctype({ name: 'Cyc', fields: [{ fieldname: 'a', fieldtype: 'Int' }, { fieldname: 'b', fieldtype: 'Int' }, { fieldname: 'c', fieldtype: 'Int' }] });
    const custom = {
      computed: [
        { field: 'a', inputs: ['c'], compute: () => 1 },
        { field: 'b', inputs: ['a'], compute: () => 1 },
        { field: 'c', inputs: ['b'], compute: () => 1 },
      ],
    };
    let err: unknown;
    try { compileRules(dt, { tryGet: () => undefined }, custom); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RulesCycleError);
    const cycle = (err as RulesCycleError).cycle;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    expect((err as RulesCycleError).code).toBe('RULES_CYCLE');
  });

  it('throws RULES_INVALID for a custom rule naming a field that does not exist', () => {
    expect(() => compileRules(so, reg, { computed: [{ field: 'nope', inputs: ['total'], compute: () => 0 }] })).toThrowError(
      expect.objectContaining({ code: 'RULES_INVALID', message: expect.stringContaining('no field "nope"') }),
    );
    expect(() => compileRules(so, reg, { computed: [{ field: 'amount', table: 'items', inputs: ['qtyy'], compute: () => 0 }] })).toThrowError(
      expect.objectContaining({ code: 'RULES_INVALID', message: expect.stringContaining('"qtyy"') }),
    );
  });
});

describe('field states (`frappe/public/js/frappe/form/layout.js`, `frappe/public/js/frappe/model/perm.js`)', () => {
  const rules = compileRules(so, reg);

  it('follows depends_on, mandatory_depends_on, read_only_depends_on', () => {
    const s = evaluateStates(rules, order());
    expect(s.fields.discount_percent).toEqual({ visible: false, mandatory: false, readOnly: true });
    expect(s.fields.delivery_date!.mandatory).toBe(true); // order_type == 'Sales'
    expect(s.fields.customer!.mandatory).toBe(true); // static reqd
    const t = evaluateStates(rules, order({ apply_discount: 1, discount_percent: 15, total: 100, order_type: 'Maintenance' }));
    expect(t.fields.discount_percent).toEqual({ visible: true, mandatory: false, readOnly: false });
    expect(t.fields.discount_reason).toEqual({ visible: true, mandatory: true, readOnly: false });
    // A false mandatory_depends_on overrides nothing static here, but the expression is what counts.
    expect(t.fields.delivery_date!.mandatory).toBe(false);
    expect(s.issues).toEqual([]);
  });

  it('a false mandatory_depends_on / read_only_depends_on overrides a static reqd / read_only', () => {
    const dt = parseDoctype({ name: 'Ovr', fields: [
      { fieldname: 'flag', fieldtype: 'Check' },
      { fieldname: 'x', fieldtype: 'Data', reqd: 1, read_only: 1, mandatory_depends_on: 'flag', read_only_depends_on: 'eval:doc.flag' },
    ] });
    const r = compileRules(dt, { tryGet: () => undefined });
    expect(evaluateStates(r, { flag: 0 }).fields.x).toEqual({ visible: true, mandatory: false, readOnly: false });
    expect(evaluateStates(r, { flag: 1 }).fields.x).toEqual({ visible: true, mandatory: true, readOnly: true });
  });

  it('child rows read their own values and parent.*', () => {
    const s = evaluateStates(rules, order({ order_type: 'Maintenance' }, [{ delivered_by_supplier: 1 }, { delivered_by_supplier: 0 }]));
    expect(s.rows.items!.row1!.supplier).toEqual({ visible: true, mandatory: true, readOnly: false });
    expect(s.rows.items!.row2!.supplier).toEqual({ visible: false, mandatory: false, readOnly: false });
    expect(s.rows.items!.row1!.service_notes!.visible).toBe(true);
    const t = evaluateStates(rules, order({ order_type: 'Sales' }, [{}]));
    expect(t.rows.items!.row1!.service_notes!.visible).toBe(false);
  });

  it('after submit only allow_on_submit fields stay editable; cancelled is all read-only', () => {
    const submitted = evaluateStates(rules, order({ docstatus: 1, apply_discount: 1, total: 10 }, [{}]));
    expect(submitted.fields.customer!.readOnly).toBe(true);
    expect(submitted.fields.notes!.readOnly).toBe(false); // allow_on_submit
    expect(submitted.fields.delivery_date!.readOnly).toBe(false); // allow_on_submit
    expect(submitted.fields.status!.readOnly).toBe(true); // allow_on_submit but read_only
    expect(submitted.rows.items!.row1!.qty!.readOnly).toBe(true); // rows take the parent's docstatus
    const cancelled = evaluateStates(rules, order({ docstatus: 2 }));
    expect(Object.values(cancelled.fields).every((f) => f.readOnly)).toBe(true);
  });

  it('fetched fields are read-only while their link has a value, unless fetch_if_empty', () => {
    const s = evaluateStates(rules, order({ customer: 'ACME' }, [{ item_code: 'WIDGET' }]));
    expect(s.fields.customer_name!.readOnly).toBe(true); // also static read_only
    const dt = parseDoctype({ name: 'F', fields: [
      { fieldname: 'link', fieldtype: 'Link', options: 'Customer' },
      { fieldname: 'a', fieldtype: 'Data', fetch_from: 'link.customer_name' },
      { fieldname: 'b', fieldtype: 'Data', fetch_from: 'link.customer_name', fetch_if_empty: 1 },
    ] });
    const r = compileRules(dt, reg);
    expect(evaluateStates(r, { link: 'ACME' }).fields.a!.readOnly).toBe(true);
    expect(evaluateStates(r, { link: '' }).fields.a!.readOnly).toBe(false);
    expect(evaluateStates(r, { link: 'ACME' }).fields.b!.readOnly).toBe(false);
  });

  it('collapsible sections: collapsed unless collapsible_depends_on, open while a mandatory member is empty', () => {
    expect(evaluateStates(rules, order()).fields.discount_section!.collapsed).toBe(true);
    expect(evaluateStates(rules, order({ apply_discount: 1 })).fields.discount_section!.collapsed).toBe(false);
    expect(evaluateStates(rules, order()).fields.more_info!.collapsed).toBe(true);
  });

  it('field permissions hide unreadable levels and lock unwritable ones', () => {
    const s = evaluateStates(rules, order(), { permissions: { read: new Set([0]), write: new Set([0]) } });
    expect(s.fields.internal_margin).toEqual({ visible: false, mandatory: false, readOnly: true });
    const t = evaluateStates(rules, order(), { permissions: { read: new Set([0, 1]), write: new Set([0]) } });
    expect(t.fields.internal_margin).toEqual({ visible: true, mandatory: false, readOnly: true });
  });

  it('a condition failing at run time is an issue and falls back to the static flag', () => {
    const dt = parseDoctype({ name: 'Rt', fields: [
      { fieldname: 'x', fieldtype: 'Data', reqd: 1, depends_on: 'eval:in_list(doc.list, 1)', mandatory_depends_on: 'eval:doc.obj.deep == 1' },
    ] });
    const r = compileRules(dt, { tryGet: () => undefined });
    const s = evaluateStates(r, { list: null, obj: null });
    expect(s.fields.x).toEqual({ visible: true, mandatory: true, readOnly: false });
    expect(s.issues.map((i) => [i.code, i.field, i.expression, i.severity])).toEqual([
      ['EXPR_RUNTIME', 'x', 'eval:in_list(doc.list, 1)', 'warning'],
      ['EXPR_RUNTIME', 'x', 'eval:doc.obj.deep == 1', 'warning'],
    ]);
  });

  it('states are interned: equal states are the same object', () => {
    expect(fieldState(true, false, true)).toBe(fieldState(true, false, true));
    expect(Object.isFrozen(fieldState(false, false, false))).toBe(true);
  });
});

describe('incremental updates', () => {
  const rules = compileRules(so, reg);
  const rows = Array.from({ length: 5 }, (_, i) => ({ item_code: `I${i}`, qty: 1, delivered_by_supplier: i % 2 }));

  it('recomputes only what depends on the change and keeps every other object', () => {
    const a = order({}, rows);
    const sa = evaluateStates(rules, a);
    const b = produce(a, (d: any) => { d.apply_discount = 1; });
    const sb = updateStates(rules, sa, a, b);
    expect(sb.fields.discount_percent!.visible).toBe(true);
    expect(sb.fields.customer).toBe(sa.fields.customer);
    expect(sb.rows).toBe(sa.rows); // nothing in rows reads apply_discount
    // A row change touches that row only.
    const c = produce(b, (d: any) => { d.items[2].delivered_by_supplier = 1; });
    const sc = updateStates(rules, sb, b, c);
    expect(sc.rows.items!.row3!.supplier!.visible).toBe(true);
    expect(sc.rows.items!.row1).toBe(sb.rows.items!.row1);
    expect(sc.fields).toBe(sb.fields);
    // A parent value read by rows as parent.x reaches every row.
    const d = produce(c, (x: any) => { x.order_type = 'Maintenance'; });
    const sd = updateStates(rules, sc, c, d);
    expect(Object.values(sd.rows.items!).every((r) => r.service_notes!.visible)).toBe(true);
    // No change: the same FormState.
    expect(updateStates(rules, sd, d, d)).toBe(sd);
  });

  it('always equals a full evaluation (random edit sequences)', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom('apply_discount', 'discount_percent', 'order_type', 'customer', 'total', 'docstatus', 'notes'), value: fc.constantFrom(0, 1, 15, '', 'Sales', 'Maintenance', 'ACME', null) }),
      fc.record({ kind: fc.constant('row' as const), i: fc.nat(4), field: fc.constantFrom('delivered_by_supplier', 'item_code', 'qty'), value: fc.constantFrom(0, 1, '', 'X') }),
      fc.record({ kind: fc.constant('add' as const) }),
      fc.record({ kind: fc.constant('remove' as const), i: fc.nat(4) }),
    );
    fc.assert(fc.property(fc.array(edit, { maxLength: 12 }), (edits) => {
      let doc = order({}, rows);
      let state = evaluateStates(rules, doc);
      let n = 100;
      for (const e of edits) {
        const next = produce(doc, (d: any) => {
          if (e.kind === 'field') d[e.field] = e.value;
          else if (e.kind === 'row' && d.items[e.i]) d.items[e.i][e.field] = e.value;
          else if (e.kind === 'add') d.items.push({ name: `new${n++}`, idx: d.items.length + 1, delivered_by_supplier: 1 });
          else if (e.kind === 'remove') d.items.splice(e.i, 1);
        });
        state = updateStates(rules, state, doc, next);
        doc = next;
        const full = evaluateStates(rules, doc);
        expect(state.fields).toEqual(full.fields);
        expect(state.rows).toEqual(full.rows);
        expect(state.issues).toEqual(full.issues);
      }
    }), { numRuns: 150 });
  });
});
