import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { createRegistry, parseDoctype } from '../../src/schema';

const parent = {
  name: 'Order',
  fields: [
    { fieldname: 'items', fieldtype: 'Table', options: 'Order Item' },
    { fieldname: 'tags', fieldtype: 'Table MultiSelect', options: 'Order Tag' },
    { fieldname: 'notes', fieldtype: 'Table', options: 'Note' },
    { fieldname: 'customer', fieldtype: 'Link', options: 'Customer' },
  ],
};
const item = { name: 'Order Item', istable: 1, fields: [{ fieldname: 'qty', fieldtype: 'Float' }] };
const note = { name: 'Note', fields: [{ fieldname: 'text', fieldtype: 'Text' }] };
const invoice = { name: 'Invoice', fields: [{ fieldname: 'lines', fieldtype: 'Table', options: 'Order Item' }] };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as SchemaError).code;
  }
  return 'no error';
};

describe('registry', () => {
  it('add / get / tryGet / has / list (sorted by name)', () => {
    const registry = createRegistry([parent, item]);
    expect(registry.add(note).name).toBe('Note');
    expect(registry.has('Note')).toBe(true);
    expect(registry.tryGet('Nope')).toBeUndefined();
    expect(registry.get('Order Item').istable).toBe(1);
    expect(registry.list().map((d) => d.name)).toEqual(['Note', 'Order', 'Order Item']);
    expect(codeOf(() => registry.get('Nope'))).toBe('SCHEMA_UNKNOWN_DOCTYPE');
  });

  it('add refuses a name already registered; replace swaps it', () => {
    const registry = createRegistry([item]);
    expect(codeOf(() => registry.add(item))).toBe('SCHEMA_DUPLICATE_DOCTYPE');
    const replaced = registry.replace({ ...item, fields: [{ fieldname: 'rate', fieldtype: 'Currency' }] });
    expect(registry.get('Order Item')).toBe(replaced);
    expect(replaced.fields.map((f) => f.fieldname)).toEqual(['rate']);
  });

  it('accepts an already parsed DocType as is', () => {
    const parsed = parseDoctype(item);
    expect(createRegistry([parsed]).get('Order Item')).toBe(parsed);
  });

  it('childDoctype resolves Table and Table MultiSelect fields', () => {
    const registry = createRegistry([parent, item, { name: 'Order Tag', istable: 1, fields: [] }]);
    expect(registry.childDoctype('Order', 'items').name).toBe('Order Item');
    expect(registry.childDoctype('Order', 'tags').name).toBe('Order Tag');
  });

  it('childDoctype throws typed errors: missing child, child not istable, not a table field, unknown parent', () => {
    const registry = createRegistry([parent, item, note]);
    expect(codeOf(() => registry.childDoctype('Order', 'tags'))).toBe('SCHEMA_CHILD_TABLE');
    expect(codeOf(() => registry.childDoctype('Order', 'notes'))).toBe('SCHEMA_CHILD_TABLE');
    expect(codeOf(() => registry.childDoctype('Order', 'customer'))).toBe('SCHEMA_CHILD_TABLE');
    expect(codeOf(() => registry.childDoctype('Nope', 'items'))).toBe('SCHEMA_UNKNOWN_DOCTYPE');
    try {
      registry.childDoctype('Order', 'tags');
    } catch (error) {
      expect((error as SchemaError).issues).toMatchInlineSnapshot(`
        [
          {
            "code": "missing_child_doctype",
            "message": "Table MultiSelect field "tags" of "Order" names child DocType "Order Tag", which is not registered",
            "path": [
              "fields",
              1,
              "options",
            ],
          },
        ]
      `);
    }
  });

  it('check() reports every unresolvable Table field as SCHEMA_CHILD_TABLE, naming parent, field and child', () => {
    const registry = createRegistry([parent, item, note]);
    expect(registry.check()).toMatchInlineSnapshot(`
      [
        {
          "child": "Order Tag",
          "code": "SCHEMA_CHILD_TABLE",
          "doctype": "Order",
          "fieldname": "tags",
          "message": "Table MultiSelect field "tags" of "Order" names child DocType "Order Tag", which is not registered",
          "path": [
            "fields",
            1,
            "options",
          ],
          "reason": "missing_child_doctype",
          "severity": "error",
        },
        {
          "child": "Note",
          "code": "SCHEMA_CHILD_TABLE",
          "doctype": "Order",
          "fieldname": "notes",
          "message": "Table field "notes" of "Order" names "Note", which is not a child DocType (istable is 0)",
          "path": [
            "fields",
            2,
            "options",
          ],
          "reason": "child_not_istable",
          "severity": "error",
        },
      ]
    `);
    registry.add({ name: 'Order Tag', istable: 1, fields: [] });
    registry.replace({ ...note, istable: 1 });
    expect(registry.check()).toEqual([]);
  });

  it('parentsOf lists every table field using a child, and follows changes', () => {
    const registry = createRegistry([parent, item, invoice]);
    const describeParents = () => registry.parentsOf('Order Item').map((p) => `${p.parent.name}.${p.field.fieldname}`);
    expect(describeParents()).toEqual(['Invoice.lines', 'Order.items']);
    registry.replace({ ...invoice, fields: [] });
    expect(describeParents()).toEqual(['Order.items']);
    expect(registry.parentsOf('Nobody')).toEqual([]);
  });

  it('passes duplicateFieldnames to parsing', () => {
    const dup = { name: 'Dup', fields: [{ fieldname: 'a', fieldtype: 'Data' }, { fieldname: 'a', fieldtype: 'Int' }] };
    expect(codeOf(() => createRegistry([dup], { duplicateFieldnames: 'error' }))).toBe('SCHEMA_INVALID');
    // By default a registry loads the file as Frappe's Meta does: the later row wins, with a warning.
    expect(createRegistry([dup]).get('Dup').fields.map((f) => f.fieldtype)).toEqual(['Int']);
    const registry = createRegistry([dup], { duplicateFieldnames: 'last-wins' });
    expect(registry.get('Dup').fields.map((f) => f.fieldtype)).toEqual(['Int']);
    expect(registry.check().map((d) => `${d.severity}:${d.code}`)).toEqual(['warning:duplicate_fieldname']);
  });
});
