import { describe, expect, it } from 'vitest';
import { fieldLabel, getField, parseDoctype, tableFields, valueFields } from '../../src/schema';

const doctype = parseDoctype({
  name: 'T',
  fields: [
    { fieldname: 'sales_order_2b', fieldtype: 'Data' },
    { fieldname: 'sb', fieldtype: 'Section Break', label: 'Details' },
    { fieldname: 'items', fieldtype: 'Table', options: 'Child' },
    { fieldname: 'x-ray', fieldtype: 'Check', label: '' },
  ].map((f) => (f.fieldname === 'x-ray' ? { ...f, fieldname: 'x_ray' } : f)),
});

describe('field lookups', () => {
  it('getField finds by fieldname (and returns the very field object)', () => {
    expect(getField(doctype, 'items')).toBe(doctype.fields[2]);
    expect(getField(doctype, 'missing')).toBeUndefined();
  });
  it('valueFields / tableFields split by fieldclass and are cached', () => {
    expect(valueFields(doctype).map((f) => f.fieldname)).toEqual(['sales_order_2b', 'x_ray']);
    expect(tableFields(doctype).map((f) => f.fieldname)).toEqual(['items']);
    expect(valueFields(doctype)).toBe(valueFields(doctype));
    expect(Object.isFrozen(tableFields(doctype))).toBe(true);
  });
  it('fieldLabel: the label, else the fieldname through Frappe unscrub (Python str.title)', () => {
    expect(fieldLabel(doctype.fields[1]!)).toBe('Details');
    expect(fieldLabel(doctype.fields[0]!)).toBe('Sales Order 2B'); // title() capitalises after a digit
    expect(fieldLabel(doctype.fields[3]!)).toBe('X Ray'); // '' label counts as missing
    expect(fieldLabel({ fieldname: 'mIXed_CASE', label: undefined })).toBe('Mixed Case');
  });
});
