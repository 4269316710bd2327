/**
 * The lazy registry and the cheap shape check (issue "Speed and the package", load fast): JSON is checked when
 * added and built on first use; the result is the same DocType `parseDoctype` builds, and bad JSON still fails at
 * `createRegistry`. The shape check itself is tested in raw.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { createRegistry, parseDoctype, schemaWarnings } from '../../src/schema';

const order = {
  name: 'Lazy Order',
  field_order: ['customer', 'nothing'],
  fields: [
    { fieldname: 'customer', fieldtype: 'Data', reqd: '1' },
    { fieldname: 'items', fieldtype: 'Table', options: 'Lazy Row' },
  ],
};
const row = { name: 'Lazy Row', istable: 1, fields: [{ fieldname: 'qty', fieldtype: 'Float' }] };

function schemaErrorOf(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return e as SchemaError;
  }
  throw new Error('no error');
}

describe('lazy registry', () => {
  it('builds a DocType on first use, equal to what parseDoctype builds, and keeps its warnings', () => {
    const lazy = createRegistry([order, row]);
    const strict = createRegistry([order, row], { strict: true });
    expect(lazy.has('Lazy Order')).toBe(true);
    const dt = lazy.get('Lazy Order');
    expect(dt).toEqual(parseDoctype(order, { duplicateFieldnames: 'last-wins' }));
    expect(dt).toEqual(strict.get('Lazy Order'));
    expect(lazy.get('Lazy Order')).toBe(dt); // built once
    expect(Object.isFrozen(dt.fields[0])).toBe(true);
    expect(schemaWarnings(dt).map((w) => w.code)).toEqual(['unknown_field_order_entry']);
    expect(lazy.check()).toEqual(strict.check());
    expect(lazy.childDoctype('Lazy Order', 'items').name).toBe('Lazy Row');
  });

  it('checks JSON when it is added: bad JSON and duplicate names still fail in createRegistry', () => {
    const bad = { name: 'Bad', fields: [{ fieldname: 'a b', fieldtype: 'Dataa' }] };
    const lazyError = schemaErrorOf(() => createRegistry([bad]));
    const strictError = schemaErrorOf(() => createRegistry([bad], { strict: true }));
    expect(lazyError.code).toBe('SCHEMA_INVALID');
    expect(lazyError.issues).toEqual(strictError.issues);
    expect(schemaErrorOf(() => createRegistry([row, row])).code).toBe('SCHEMA_DUPLICATE_DOCTYPE');
    expect(schemaErrorOf(() => createRegistry([{ name: 'X', fields: 'nope' }])).issues[0]!.message).toMatch(/must be an array/);
  });

  it('a caller changing its JSON after createRegistry changes nothing (the registry holds its own copy)', () => {
    const json = structuredClone(row);
    const registry = createRegistry([json]);
    json.fields[0]!.fieldtype = 'Int';
    expect(registry.get('Lazy Row').fields[0]!.fieldtype).toBe('Float');
  });

  it('customizations apply to DocTypes not built yet', () => {
    const registry = createRegistry([order, row]);
    registry.applyCustomizations({ customFields: [{ dt: 'Lazy Order', fieldname: 'note', fieldtype: 'Data', insert_after: 'customer' }] });
    expect(registry.get('Lazy Order').fields.map((f) => f.fieldname)).toEqual(['customer', 'note', 'items']);
  });
});
