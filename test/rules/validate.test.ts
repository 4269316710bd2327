import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/rules/compile';
import { validateDoc } from '../../src/rules/validate';
import type { DocData } from '../../src/rules/types';
import { fixtureDoctypes } from '../helpers/fixtures';

const reg = fixtureDoctypes();
const so = reg.get('Sales Order');

const valid: DocData = Object.freeze({
  doctype: 'Sales Order', name: 'SO-2026-00001', docstatus: 0, owner: 'a@example.com',
  naming_series: 'SO-.YYYY.-', customer: 'ACME', order_type: 'Sales', transaction_date: '2026-11-21',
  delivery_date: '2026-11-30', status: 'Draft', apply_discount: 0, discount_percent: 0,
  items: [{ doctype: 'Sales Order Item', name: 'r1', idx: 1, item_code: 'WIDGET', qty: 2, rate: 5, delivered_by_supplier: 0 }],
});

describe('validateDoc', () => {
  const rules = compileRules(so, reg);

  it('finds nothing wrong with a valid document', () => {
    expect(validateDoc(rules, valid)).toEqual([]);
  });

  it('reports every problem at once, with Frappe messages, parent and rows', () => {
    const bad = {
      ...valid, customer: '', delivery_date: undefined, status: 'Shipped', discount_percent: 20, apply_discount: 1,
      items: [
        { ...(valid.items as DocData[])[0], qty: -1, delivered_by_supplier: 1, supplier: '  ' },
        { doctype: 'Sales Order Item', name: 'r2', idx: 2, item_code: '', qty: 1 },
      ],
    };
    const issues = validateDoc(rules, bad);
    expect(issues.map((i) => [i.code, i.field, i.row ?? null])).toEqual([
      ['MANDATORY', 'customer', null],
      ['MANDATORY', 'delivery_date', null], // mandatory_depends_on: order_type == 'Sales'
      ['MANDATORY', 'discount_reason', null], // mandatory_depends_on: discount_percent > 10
      ['MANDATORY', 'supplier', 1], // row: mandatory_depends_on delivered_by_supplier
      ['MANDATORY', 'item_code', 2],
      ['INVALID_SELECT', 'status', null],
      ['NEGATIVE_VALUE', 'qty', 1],
    ]);
    expect(issues[0]!.message).toBe('Error: Value missing for Sales Order: Customer');
    expect(issues[3]!.message).toBe('Error: Sales Order Item Row #1: Value missing for: Supplier');
    expect(issues[3]).toMatchObject({ exc: 'MandatoryError', table: 'items', rowname: 'r1', doctype: 'Sales Order Item' });
    expect(issues.find((i) => i.code === 'NEGATIVE_VALUE')!.exc).toBe('NonNegativeError');
  });

  it('can be exactly as lenient as Frappe\'s server about mandatory_depends_on (`frappe/utils/safe_exec.py`)', () => {
    const doc = { ...valid, delivery_date: undefined };
    expect(validateDoc(rules, doc).map((i) => i.field)).toEqual(['delivery_date']);
    expect(validateDoc(rules, doc, { enforceMandatoryDependsOn: false })).toEqual([]);
  });

  it('a mandatory table needs rows; 0 counts as a value', () => {
    const issues = validateDoc(rules, { ...valid, items: [], discount_percent: 0 });
    expect(issues.map((i) => [i.code, i.field, i.message])).toEqual([['MANDATORY_TABLE', 'items', 'Error: Data missing in table: Items']]);
  });

  it('does not validate a cancelled document (cancel skips _validate)', () => {
    expect(validateDoc(rules, { ...valid, docstatus: 2, customer: '' })).toEqual([]);
  });

  it('runs custom validators on the document and on each row, and reports a throwing validator', () => {
    const custom = {
      validators: [
        { name: 'delivery after order', inputs: ['transaction_date', 'delivery_date'], field: 'delivery_date',
          validate: (d: DocData) => String(d.delivery_date) < String(d.transaction_date) && 'Delivery Date must be after Date' },
        { name: 'rate set', table: 'items', inputs: ['rate'], validate: (r: DocData) => !r.rate && { message: 'Rate is required', code: 'VALIDATION' as const } },
        { name: 'buggy', inputs: ['customer'], validate: () => { throw new Error('boom'); } },
      ],
    };
    const r = compileRules(so, reg, custom);
    const doc = { ...valid, delivery_date: '2026-01-01', items: [{ ...(valid.items as DocData[])[0], rate: 0 }] };
    expect(validateDoc(r, doc).map((i) => [i.code, i.field, i.row ?? null, i.message])).toEqual([
      ['VALIDATION', 'delivery_date', null, 'Delivery Date must be after Date'],
      ['VALIDATION', 'customer', null, 'Validator "buggy" failed: boom'],
      ['VALIDATION', 'rate', 1, 'Rate is required'],
    ]);
  });
});
