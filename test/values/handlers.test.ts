import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { makeIssue } from '../../src/issues';
import { DATA_FIELDTYPES, FIELDTYPES } from '../../src/schema/fieldtypes';
import { valuesEqual } from '../../src/values/equals';
import { createFieldtypeHandlers, frappeValueHandler } from '../../src/values/handlers';
import { fieldOf } from './helpers';

const ctx = { doctype: 'Contact' };

describe('createFieldtypeHandlers', () => {
  it('has a handler for every fieldtype; data fieldtypes get Frappe\'s semantics', () => {
    const handlers = createFieldtypeHandlers();
    expect(new Set(handlers.fieldtypes())).toEqual(new Set(FIELDTYPES));
    for (const ft of DATA_FIELDTYPES) expect(handlers.get(ft)).toBe(frappeValueHandler);
    expect(handlers.get('Int').coerce(fieldOf('Int'), '12.7', ctx)).toBe(12);
    expect(handlers.get('Section Break').validate(fieldOf('Section Break'), [1], ctx)).toEqual([]);
  });

  it('throws UNKNOWN_FIELDTYPE for a name it does not know', () => {
    expect(() => createFieldtypeHandlers().get('Signature Pad')).toThrow(CoworkerError);
  });

  it('with() returns a new registry and leaves the original alone (a stricter Phone validator)', () => {
    const base = createFieldtypeHandlers();
    const strict = base.with('Phone', {
      ...base.get('Phone'),
      validate: (df, value, c) =>
        typeof value === 'string' && value.startsWith('+49')
          ? []
          : [makeIssue('INVALID_PHONE', 'German numbers only', { doctype: c.doctype, field: df.fieldname, value })],
    });
    const df = fieldOf('Phone');
    expect(strict.get('Phone').validate(df, '+1 415 555 2671', ctx)).toHaveLength(1);
    expect(base.get('Phone').validate(df, '+1 415 555 2671', ctx)).toEqual([]);
    expect(createFieldtypeHandlers({ Barcode: strict.get('Phone') }).get('Barcode')).toBe(strict.get('Phone'));
  });
});

describe('valuesEqual (no-op write detection)', () => {
  it.each([
    ['Int', '5', 5, true], ['Int', 5, 6, false], ['Check', true, 1, true], ['Check', null, 0, true],
    ['Float', NaN, NaN, true], ['Float', 0, -0, true], ['Float', '1,000', 1000, true], ['Float', 0.1, 0.10000000000000002, false],
    ['Data', null, undefined, true], ['Data', '', null, false], ['Date', '', null, true],
    ['Datetime', '2024-01-01 10:00:00', '2024-01-01 10:00:00.000000', true], ['Time', '9:00:00', '09:00:00', true],
    ['Datetime', '2024-01-01 10:00:00', '2024-01-01 10:00:01', false],
    ['JSON', '{"a": 1, "b": [1]}', { b: [1], a: 1 }, true], ['JSON', '{"a":1}', '{"a":2}', false],
    ['Long Int', 5n, 5n, true],
    // An offset of a day or more names no instant (Python's tzinfo refuses it): not the date a day earlier.
    ['Datetime', '2024-01-15 10:00:00+24:00', '2024-01-14 10:00:00', false], ['Datetime', '2024-01-15 10:00:00-99:00', '2024-01-19 13:00:00', false],
    ['Datetime', '2024-01-15 10:00:00+23:59', '2024-01-14 10:01:00', true], ['Date', '2024-01-15T10:00:00+24:00', '2024-01-14', false],
  ])('%s: %o vs %o → %s', (ft, a, b, want) => {
    expect(valuesEqual(fieldOf(ft), a, b)).toBe(want);
  });

  it('tables compare rows by identity', () => {
    const r = { name: 'a' };
    const df = fieldOf('Table');
    expect(valuesEqual(df, [r], [r])).toBe(true);
    expect(valuesEqual(df, [r], [{ name: 'a' }])).toBe(false);
    expect(valuesEqual(df, undefined, [])).toBe(true);
  });
});
