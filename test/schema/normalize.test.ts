/**
 * The load path's fast building blocks keep their contracts: the field literal of normalize.ts has exactly the
 * keys the property lists name (in their order), and the JSON copy handles deep data and cycles.
 */
import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../src/schema/json';
import { FIELD_SET_KEYS, newField, normalizeField } from '../../src/schema/normalize';
import { DOCFIELD_FLAGS, DOCFIELD_INTS, DOCFIELD_OPTIONAL_TEXTS } from '../../src/schema/raw';

describe('normalizeField', () => {
  it('starts every field from the same keys, in the order of the property lists', () => {
    const field = newField('a', 'Data', undefined, '', undefined, undefined, 'value', '');
    expect(Object.keys(field)).toEqual([...FIELD_SET_KEYS, ...DOCFIELD_FLAGS, ...DOCFIELD_INTS, ...DOCFIELD_OPTIONAL_TEXTS, 'idx']);
    for (const key of [...DOCFIELD_FLAGS, ...DOCFIELD_INTS]) expect(field[key]).toBe(0);
    for (const key of DOCFIELD_OPTIONAL_TEXTS) expect(field[key]).toBeUndefined();
  });

  it('reads the row, keeps unknown properties frozen, and leaves the field to be numbered', () => {
    const extra = { nested: [1] };
    const field = normalizeField({ fieldname: 'status', fieldtype: 'Select', options: 'Open\nClosed\r', reqd: '1', permlevel: '2', depends_on: '', idx: 7, custom_prop: extra });
    expect(field).toMatchObject({ fieldname: 'status', select_options: ['Open', 'Closed'], reqd: 1, permlevel: 2, depends_on: undefined, idx: 0, fieldclass: 'value' });
    expect((field as unknown as Record<string, unknown>).custom_prop).toBe(extra);
    expect(Object.isFrozen(extra.nested) && Object.isFrozen(field.select_options)).toBe(true);
    expect(Object.isFrozen(field)).toBe(false);
  });
});

describe('cloneJson', () => {
  it('copies data deeper than the untracked depth, and still refuses a cycle', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100; i++) deep = { child: deep, list: [i] };
    const copy = cloneJson(deep);
    expect(copy).toEqual(deep);
    expect(copy).not.toBe(deep);
    const cyclic: Record<string, unknown> = { a: { b: {} } };
    ((cyclic.a as Record<string, unknown>).b as Record<string, unknown>).back = cyclic;
    expect(() => cloneJson(cyclic)).toThrow(RangeError);
    const shared = { x: 1 };
    expect(cloneJson({ a: shared, b: [shared] })).toEqual({ a: { x: 1 }, b: [{ x: 1 }] }); // shared, not cyclic
    const proto = cloneJson(JSON.parse('{"__proto__": {"polluted": 1}}')) as Record<string, unknown>;
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
