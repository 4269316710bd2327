import { describe, expect, it } from 'vitest';
import { cast, sbool } from '../../src/schema';
import { cint, cstr, flt } from '../../src/schema/cast';

// Expected values are what CPython gives for frappe.utils.data (cint = int(float(s)) or default).
describe('cint', () => {
  it.each([
    [true, 1], [false, 0], [null, 0], [undefined, 0], [3.9, 3], [-3.9, -3], ['3.9', 3], [' 12 ', 12], ['-2.5', -2],
    ['1e3', 1000], ['1_000', 1000], ['1,000', 0], ['true', 0], ['abc', 0], ['', 0], ['inf', 0], ['nan', 0], ['.5', 0],
    ['e5', 0], ['5.', 5], [{}, 0], [[1], 0],
  ])('cint(%j) = %j', (input, expected) => {
    expect(cint(input)).toBe(expected);
  });
  it('uses the fallback where Python raises', () => {
    expect(cint('x', 7)).toBe(7);
  });
});

describe('flt, sbool, cstr', () => {
  it('flt strips commas and gives 0 for junk', () => {
    expect([flt('1,234.5'), flt(null), flt('abc'), flt(true), flt(' 2 ')]).toEqual([1234.5, 0, 0, 1, 2]);
  });
  it('sbool converts only true/false/1/0 text', () => {
    expect([sbool('TRUE'), sbool('0'), sbool('yes'), sbool(1)]).toEqual([true, false, 'yes', 1]);
  });
  it('cstr prints like Python for None and booleans', () => {
    expect([cstr(null), cstr(true), cstr(5), cstr('x')]).toEqual(['', 'True', '5', 'x']);
  });
});

describe('cast(property_type, value)', () => {
  it('Check / Int go through sbool then cint', () => {
    expect([cast('Check', 'true'), cast('Check', 'false'), cast('Check', 'yes'), cast('Int', '2.7'), cast('Int', null)]).toEqual([1, 0, 0, 2, 0]);
  });
  it('Float-like through flt, text types through cstr', () => {
    expect([cast('Currency', '1,5'), cast('Percent', 'x'), cast('Data', 3), cast('Select', null), cast('Text', 'a\nb')]).toEqual([15, 0, '3', '', 'a\nb']);
  });
  it('dates: empty gives the minimum value; other types unchanged', () => {
    expect([cast('Date', ''), cast('Datetime', null), cast('Date', '2024-01-02')]).toEqual(['0001-01-01', '0001-01-01 00:00:00', '2024-01-02']);
    const obj = { a: 1 };
    expect(cast('JSON', obj)).toBe(obj);
    expect(cast(undefined, 'x')).toBe('x');
  });
});
