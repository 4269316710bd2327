import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATA_FIELDTYPES, FIELDTYPES } from '../../src/schema/fieldtypes';
import { coerceValue, pythonCompactJson } from '../../src/values/coerce';
import { fieldOf } from './helpers';

const f = fieldOf;

// Expected values follow BaseDocument.get_valid_dict (frappe/model/base_document.py) and
// Document._fix_rating_value, with each JS input read as its JSON equivalent in Python.
describe('coerceValue (get_valid_dict)', () => {
  it.each([
    [null, 0], [undefined, 0], ['true', 0], [true, 1], ['1', 1], ['0', 0], [0.5, 0], ['1.9', 1], [2, 1], ['abc', 0], [{}, 0],
  ])('Check: %s → %s (1 if cint(v) else 0)', (input, want) => {
    expect(coerceValue(f('Check'), input)).toBe(want);
  });

  it.each([
    [null, 0], ['12.7', 12], ['1,000', 0], [12.7, 12], [-12.7, -12], [true, 1], [false, 0], [NaN, 0], [Infinity, 0],
    ['abc', 0], [{ a: 1 }, 0], [new Date(0), 0], [5n, 5], [7, 7],
  ])('Int: %s → %s (cint unless already an int; never NULL)', (input, want) => {
    expect(coerceValue(f('Int'), input)).toBe(want);
  });

  it.each(['Float', 'Currency', 'Percent'])('%s: flt without rounding, commas stripped, None → 0', (ft) => {
    const df = f(ft, { precision: '2' });
    expect(coerceValue(df, null)).toBe(0);
    expect(coerceValue(df, '1,234.5678')).toBe(1234.5678); // no rounding on save
    expect(coerceValue(df, 1.23456)).toBe(1.23456);
    expect(coerceValue(df, true)).toBe(1);
    expect(coerceValue(df, 'x')).toBe(0);
    expect(coerceValue(df, NaN)).toBeNaN(); // a float stays as is; validateValue reports it
  });

  it('JSON: a dict becomes compact JSON with ensure_ascii; a string passes through', () => {
    const df = f('JSON');
    expect(coerceValue(df, { a: 1, b: [1, 2], c: { d: 'é' } })).toBe('{"a":1,"b":[1,2],"c":{"d":"\\u00e9"}}');
    expect(coerceValue(df, '{"a": 1}')).toBe('{"a": 1}');
    expect(pythonCompactJson({ e: '😀' })).toBe('{"e":"\\ud83d\\ude00"}'); // Python writes the surrogate pair
  });

  it('JSON: a cyclic object is left alone (validate reports it), never a TypeError', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(coerceValue(f('JSON'), cyc)).toBe(cyc);
  });

  it.each(['Date', 'Datetime', 'Time'])("%s: '' → null; other strings unchanged", (ft) => {
    expect(coerceValue(f(ft), '')).toBeNull();
    expect(coerceValue(f(ft), 'garbage')).toBe('garbage');
  });

  it('a Date object becomes the canonical string in UTC', () => {
    const d = new Date(Date.UTC(2024, 1, 29, 13, 5, 9, 250));
    expect(coerceValue(f('Date'), d)).toBe('2024-02-29');
    expect(coerceValue(f('Datetime'), d)).toBe('2024-02-29 13:05:09.250000');
    expect(coerceValue(f('Time'), d)).toBe('13:05:09.250000');
  });

  it('unique: blank or whitespace-only becomes null (Data), but Int stays 0', () => {
    expect(coerceValue(f('Data', { unique: 1 }), '   ')).toBeNull();
    expect(coerceValue(f('Data', { unique: 1 }), 'x')).toBe('x');
    expect(coerceValue(f('Data'), '   ')).toBe('   ');
    expect(coerceValue(f('Int', { unique: 1 }), '  ')).toBe(0);
  });

  it('Rating: flt then clamp to [0, 1]', () => {
    const df = f('Rating');
    expect([0.6, 3, -1, '0.25', null, 'x', NaN].map((v) => coerceValue(df, v))).toEqual([0.6, 1, 0, 0.25, 0, 0, 0]);
  });

  it('Long Int and Duration: numeric strings become the number their column holds; other text is left for validation', () => {
    expect(coerceValue(f('Long Int'), '12')).toBe(12);
    expect(coerceValue(f('Long Int'), 12.7)).toBe(12);
    expect(coerceValue(f('Duration'), '3600')).toBe(3600);
    expect(coerceValue(f('Duration'), 'soon')).toBe('soon');
  });

  it('text fieldtypes store cstr(value) for a number or a boolean (a numeric pincode, item code or Link)', () => {
    expect(coerceValue(f('Data'), 411001)).toBe('411001');
    expect(coerceValue(f('Link', { options: 'Item' }), 1001)).toBe('1001');
    expect(coerceValue(f('Small Text'), 1.5)).toBe('1.5');
    expect(coerceValue(f('Data'), true)).toBe('True');
    expect(coerceValue(f('Data'), null)).toBe(null);
  });

  it("dates and times: Frappe's getdate / get_datetime / get_time forms become the canonical string", () => {
    expect(coerceValue(f('Datetime'), '2024-03-05T10:30:00.123Z')).toBe('2024-03-05 10:30:00.123');
    expect(coerceValue(f('Datetime'), new Date('2024-03-05T10:30:00.000Z').toISOString())).toBe('2024-03-05 10:30:00.000');
    expect(coerceValue(f('Datetime'), '2024-03-05T16:00:00+05:30')).toBe('2024-03-05 10:30:00');
    expect(coerceValue(f('Datetime'), '2024-03-05T16:00:00+05:30', 'Asia/Kolkata')).toBe('2024-03-05 16:00:00');
    expect(coerceValue(f('Datetime'), '2024-03-05')).toBe('2024-03-05 00:00:00');
    expect(coerceValue(f('Datetime'), '2024-03-05 10:30')).toBe('2024-03-05 10:30:00');
    expect(coerceValue(f('Date'), '2024-03-05T10:30:00Z')).toBe('2024-03-05');
    expect(coerceValue(f('Time'), '9:30:00')).toBe('09:30:00');
    expect(coerceValue(f('Time'), '9:30')).toBe('09:30:00');
    expect(coerceValue(f('Time'), '2024-03-05 17:21:00')).toBe('17:21:00');
    // Not dates: left for validation (INVALID_DATE).
    expect(coerceValue(f('Date'), '2024-02-30')).toBe('2024-02-30');
    expect(coerceValue(f('Datetime'), '10:00')).toBe('10:00');
    expect(coerceValue(f('Date'), 'tomorrow')).toBe('tomorrow');
  });

  it('Select: a non-empty value is stripped (written back by _validate_selects)', () => {
    expect(coerceValue(f('Select', { options: 'A\nB' }), '  A ')).toBe('A');
    expect(coerceValue(f('Select', { fieldname: 'naming_series', options: 'A\nB' }), ' A ')).toBe(' A ');
  });

  it('a list is never coerced (it is a LIST_NOT_ALLOWED issue)', () => {
    const list = [1, 2];
    expect(coerceValue(f('Int'), list)).toBe(list);
    expect(coerceValue(f('Check'), list)).toBe(list);
  });

  it('never throws for any JSON value and any fieldtype (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDTYPES), fc.jsonValue(), fc.boolean(), (ft, v, unique) => {
        coerceValue(f(ft, unique ? { unique: 1 } : {}), v);
      }),
      { numRuns: 1500 },
    );
  });

  it('is idempotent for every data fieldtype (coercing a stored value changes nothing)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATA_FIELDTYPES), fc.jsonValue(), (ft, v) => {
        const df = f(ft);
        const once = coerceValue(df, v);
        expect(coerceValue(df, once)).toStrictEqual(once);
      }),
      { numRuns: 1500 },
    );
  });
});
