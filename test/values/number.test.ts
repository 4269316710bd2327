import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cint, flt, getFieldPrecision, getNumberFormatInfo } from '../../src/values/number';
import { makeField } from './helpers';
import { py, reference } from './reference';

describe('cint (frappe/utils/data.py)', () => {
  it('matches CPython on the generated string table', () => {
    const wrong = reference.cint.filter(([s, want]) => cint(s) !== want).map(([s, want]) => ({ s, want, got: cint(s) }));
    expect(wrong).toEqual([]);
  });

  it.each([
    [true, 1], [false, 0], [null, 0], [undefined, 0], [3.9, 3], [-3.9, -3], [NaN, 0], [Infinity, 0],
    [{}, 0], [new Date(0), 0], [12n, 12], ['1,000', 0], ['1e3', 1000],
  ])('cint(%s) = %s (JSON equivalent through Python int())', (input, want) => {
    expect(cint(input)).toBe(want);
  });

  it('returns the default where Python would', () => {
    expect(cint('abc', 7)).toBe(7);
    expect(cint(null, -1)).toBe(-1);
    expect(cint('12', 7)).toBe(12);
  });
});

describe('flt (frappe/utils/data.py)', () => {
  it('matches CPython on the generated table (with and without precision)', () => {
    const wrong: unknown[] = [];
    for (const row of reference.flt) {
      const got = row.length === 2 ? flt(row[0]) : flt(row[0], row[1]);
      const want = py(row.length === 2 ? row[1] : row[2]);
      if (!Object.is(got, want)) wrong.push({ row, got });
    }
    expect(wrong).toEqual([]);
  });

  it('docstring examples: commas stripped, garbage is 0, precision rounds', () => {
    expect(flt('10,500.5666', 2)).toBe(10500.57);
    expect(flt('43.5', 0)).toBe(44);
    expect(flt('42.5', 0)).toBe(42);
    expect(flt('a')).toBe(0);
    expect(flt(null)).toBe(0);
    expect(flt(true)).toBe(1);
  });

  it('a banker\'s method on infinity raises in Python and flt catches it: 0', () => {
    expect(flt('inf', 2)).toBe(0);
    expect(flt('inf', 2, 'Commercial Rounding')).toBe(Infinity); // Python round(inf, 2) is inf
  });

  it('does not catch an unknown rounding method (Frappe re-raises InvalidRoundingMethod)', () => {
    expect(() => flt(1.5, 0, 'Nope' as never)).toThrow(/Unknown Rounding Method/);
  });

  it('never throws for any JSON value without a method (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.option(fc.integer({ min: -3, max: 12 })), (v, p) => {
      expect(typeof flt(v, p)).toBe('number');
      expect(Number.isInteger(cint(v))).toBe(true);
    }));
  });
});

describe('getFieldPrecision (meta.get_field_precision)', () => {
  const currency = makeField({ fieldtype: 'Currency' });
  const float = makeField({ fieldtype: 'Float' });

  it('uses the field precision when set, "0" included (a non-empty string is truthy in Python)', () => {
    expect(getFieldPrecision(makeField({ fieldtype: 'Float', precision: '0' }), { float_precision: 5 })).toBe(0);
    expect(getFieldPrecision(makeField({ fieldtype: 'Currency', precision: '4' }))).toBe(4);
  });

  it('Currency: currency_precision, else the decimals of number_format (default #,###.## → 2)', () => {
    expect(getFieldPrecision(currency)).toBe(2);
    expect(getFieldPrecision(currency, { currency_precision: '3' })).toBe(3);
    expect(getFieldPrecision(currency, { currency_precision: 0, number_format: '#,###' })).toBe(0);
    expect(getFieldPrecision(currency, { number_format: '#.########' })).toBe(8);
    expect(getFieldPrecision(currency, { float_precision: 6 })).toBe(2);
  });

  it('others: float_precision, else 3', () => {
    expect(getFieldPrecision(float)).toBe(3);
    expect(getFieldPrecision(float, { float_precision: '6' })).toBe(6);
    expect(getFieldPrecision(makeField({ fieldtype: 'Percent' }), { currency_precision: 5 })).toBe(3);
  });

  it('number format table (data.py number_format_info)', () => {
    expect(getNumberFormatInfo('#.###,##')).toEqual([',', '.', 2]);
    expect(getNumberFormatInfo('unknown')).toEqual(['.', ',', 2]);
  });
});
