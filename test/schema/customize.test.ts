import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { createRegistry, getField } from '../../src/schema';
import type { CustomFieldInput, PropertySetterInput } from '../../src/schema/types';

const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/customizations/library.json'), 'utf8')) as {
  doctypes: unknown[];
  customFields: CustomFieldInput[];
  propertySetters: PropertySetterInput[];
};

function customized() {
  const registry = createRegistry(fixture.doctypes);
  registry.applyCustomizations({ customFields: fixture.customFields, propertySetters: fixture.propertySetters });
  return registry;
}

describe('custom fields (Meta.add_custom_fields + sort_fields)', () => {
  it('places custom fields: empty insert_after at the top, after their target (custom after custom too), unknown target at the end', () => {
    const book = customized().get('Library Book');
    // barcode: insert_after '' → top; shelf after title; shelf_row after shelf (a custom target);
    // notes: insert_after names no field → end (Frappe's fallback).
    expect(book.fields.map((f) => f.fieldname)).toEqual(['barcode', 'isbn', 'title', 'shelf', 'shelf_row', 'column_break_1', 'status', 'loans', 'notes']);
    expect(book.fields.map((f) => f.idx)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(book.fields.filter((f) => f.is_custom_field).map((f) => f.fieldname)).toEqual(['barcode', 'shelf', 'shelf_row', 'notes']);
    expect(getField(book, 'isbn')?.is_custom_field).toBe(0);
    expect(Object.isFrozen(book.fields[0])).toBe(true);
  });

  it('custom fields of child DocTypes are applied too', () => {
    const loan = customized().get('Library Loan');
    expect(loan.fields.map((f) => f.fieldname)).toEqual(['member', 'due', 'returned']);
  });

  it('rejects a custom field that reuses a standard fieldname, naming the record', () => {
    const registry = createRegistry(fixture.doctypes);
    const before = registry.get('Library Book');
    expect(() => registry.applyCustomizations({ customFields: [{ dt: 'Library Book', fieldname: 'title', fieldtype: 'Data' }] })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_CUSTOMIZATION', issues: [expect.objectContaining({ path: ['customFields', 0, 'fieldname'], code: 'duplicate_fieldname' })] }),
    );
    expect(registry.get('Library Book')).toBe(before); // all or nothing
  });

  it('maps problems inside a custom field definition back to the record', () => {
    const registry = createRegistry(fixture.doctypes);
    try {
      registry.applyCustomizations({
        customFields: [
          { dt: 'Library Book', fieldname: 'ok_field', fieldtype: 'Data' },
          { dt: 'Library Book', fieldname: 'target', fieldtype: 'Link' },
          { dt: 'Library Book', fieldname: 'bad', fieldtype: 'Dta' },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaError);
      expect((error as SchemaError).code).toBe('SCHEMA_CUSTOMIZATION');
      expect((error as SchemaError).issues).toMatchInlineSnapshot(`
        [
          {
            "code": "missing_options",
            "message": "a Link field needs options naming the target DocType (field "target")",
            "path": [
              "customFields",
              1,
              "options",
            ],
          },
          {
            "code": "unknown_fieldtype",
            "message": "unknown fieldtype "Dta"; did you mean "Data"? (field "bad")",
            "path": [
              "customFields",
              2,
              "fieldtype",
            ],
          },
        ]
      `);
    }
  });

  it('checks record shapes and that the DocTypes exist, all problems at once', () => {
    const registry = createRegistry(fixture.doctypes);
    try {
      registry.applyCustomizations({
        customFields: [{ dt: 'Nope', fieldname: 'x', fieldtype: 'Data' }, 5 as never],
        propertySetters: [
          { doc_type: 'Library Book', doctype_or_field: 'DocField', property: 'hidden', value: 1 } as PropertySetterInput,
          { doc_type: 'Library Book', doctype_or_field: 'DocType', property: 'name', value: 'Other' },
          { doc_type: 'Library Book', doctype_or_field: 'Report', property: 'x', value: 1 },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect((error as SchemaError).issues.map((p) => `${p.path.join('.')}: ${p.code}`)).toEqual([
        'customFields.0.dt: unknown_doctype',
        'customFields.1: invalid_type',
        'propertySetters.0.field_name: required',
        'propertySetters.1.property: protected_property',
        'propertySetters.2.doctype_or_field: invalid_value',
      ]);
    }
  });
});

describe('property setters (Meta.apply_property_setters, values cast by property_type)', () => {
  const registry = customized();
  const book = registry.get('Library Book');

  it('DocField: Check "1" → reqd 1; Text options re-split; Int "2.0" → permlevel 2', () => {
    expect(getField(book, 'title')?.reqd).toBe(1);
    expect(getField(book, 'status')?.select_options).toEqual(['Available', 'Loaned', 'Lost']);
    expect(getField(book, 'shelf_row')?.permlevel).toBe(2); // cint(sbool('2.0')) = int(float('2.0'))
  });

  it('DocType: Check "true" → 1 (cast uses sbool, unlike plain cint); Int "1,000" → 0 (Python int(float("1,000")) fails)', () => {
    expect(book.allow_import).toBe(1);
    expect(book.max_attachments).toBe(0);
  });

  it('row target (DocType Link by row_name)', () => {
    expect((book.links as Array<{ hidden: number }>)[0]?.hidden).toBe(1);
  });

  it('a setter whose field does not exist is skipped and reported by check()', () => {
    expect(registry.check().filter((d) => d.code === 'customization_target_missing')).toEqual([
      expect.objectContaining({ doctype: 'Library Book', severity: 'warning', path: ['propertySetters', 6] }),
    ]);
  });

  it('a field_order Property Setter becomes the ordering authority (JSON list)', () => {
    const r = createRegistry(fixture.doctypes);
    r.applyCustomizations({
      propertySetters: [
        { doc_type: 'Library Book', doctype_or_field: 'DocType', property: 'field_order', property_type: 'Data', value: JSON.stringify(['status', 'title', 'isbn', 'column_break_1', 'loans']) },
      ],
    });
    expect(r.get('Library Book').fields.map((f) => f.fieldname)).toEqual(['status', 'title', 'isbn', 'column_break_1', 'loans']);
  });
});

describe('re-applying customizations', () => {
  it('is idempotent: applying the same records again yields equal DocTypes with no duplicated custom fields', () => {
    const registry = customized();
    const once = registry.get('Library Book');
    registry.applyCustomizations({ customFields: fixture.customFields, propertySetters: fixture.propertySetters });
    const twice = registry.get('Library Book');
    expect(twice).not.toBe(once); // a new snapshot...
    expect(twice).toEqual(once); // ...with the same content
  });

  it('upserts by identity: a changed Property Setter replaces the old value instead of stacking', () => {
    const registry = customized();
    registry.applyCustomizations({
      propertySetters: [{ doc_type: 'Library Book', doctype_or_field: 'DocField', field_name: 'title', property: 'reqd', property_type: 'Check', value: '0' }],
    });
    const book = registry.get('Library Book');
    expect(getField(book, 'title')?.reqd).toBe(0);
    expect(getField(book, 'status')?.select_options).toEqual(['Available', 'Loaned', 'Lost']); // others kept
  });

  it('replace() re-applies the stored customizations to the new JSON', () => {
    const registry = customized();
    const json = structuredClone(fixture.doctypes[0]) as { fields: Array<Record<string, unknown>> };
    json.fields.push({ fieldname: 'edition', fieldtype: 'Int' });
    const book = registry.replace(json);
    expect(book.fields.map((f) => f.fieldname)).toContain('shelf');
    expect(book.fields.map((f) => f.fieldname)).toContain('edition');
  });

  it('does not touch the original JSON', () => {
    const json = structuredClone(fixture.doctypes[0]);
    const copy = structuredClone(json);
    const registry = createRegistry([json, fixture.doctypes[1]]);
    registry.applyCustomizations({ customFields: fixture.customFields, propertySetters: fixture.propertySetters });
    expect(json).toEqual(copy);
    expect(Object.isFrozen(json)).toBe(false);
  });
});
