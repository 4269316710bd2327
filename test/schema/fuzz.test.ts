import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { createRegistry, parseDoctype } from '../../src/schema';

/** Call fn; it must return normally or throw a SchemaError — never a TypeError or anything else. */
function onlySchemaErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
  }
}

const fieldtypes = fc.constantFrom('Data', 'Link', 'Table', 'Select', 'Check', 'Int', 'Nope', 'Section Break');
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const docField = fc.record(
  { fieldname: fc.oneof(fc.stringMatching(/^[a-z_]{1,6}$/), scalar), fieldtype: fc.oneof(fieldtypes, scalar), options: fc.oneof(fc.string(), scalar), reqd: scalar, default: scalar },
  { requiredKeys: [] },
);
const doctypeLike = fc.record(
  {
    name: fc.oneof(fc.string(), scalar),
    fields: fc.oneof(fc.array(fc.oneof(docField, fc.jsonValue())), fc.jsonValue()),
    field_order: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
    permissions: fc.oneof(fc.array(fc.record({ role: scalar, read: scalar }, { requiredKeys: [] })), fc.jsonValue()),
    istable: scalar,
  },
  { requiredKeys: [] },
);

describe('fuzz', () => {
  it('parseDoctype on arbitrary JSON returns a DocType or throws SchemaError only', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => onlySchemaErrors(() => parseDoctype(json))), { numRuns: 500 });
  });

  it('parseDoctype on DocType-shaped values returns a frozen DocType or throws SchemaError only', () => {
    fc.assert(
      fc.property(doctypeLike, (json) =>
        onlySchemaErrors(() => {
          const doctype = parseDoctype(json);
          expect(Object.isFrozen(doctype.fields)).toBe(true);
          expect(doctype.fields.map((f) => f.idx)).toEqual(doctype.fields.map((_, i) => i + 1));
        }),
      ),
      { numRuns: 1000 },
    );
  });

  it('registry customizations with arbitrary records throw SchemaError only', () => {
    const base = { name: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }] };
    const record = fc.record(
      { dt: fc.constantFrom('T', 'X'), doc_type: fc.constantFrom('T', 'X'), fieldname: fc.oneof(fc.constantFrom('a', 'b'), scalar), fieldtype: fc.oneof(fieldtypes, scalar), doctype_or_field: fc.constantFrom('DocType', 'DocField', 'DocType Link', 'Other'), field_name: fc.oneof(fc.constantFrom('a', 'b'), scalar), property: fc.oneof(fc.constantFrom('reqd', 'options', 'field_order', 'fieldtype', '__proto__'), scalar), property_type: fc.oneof(fc.constantFrom('Check', 'Int', 'Data', 'Float'), scalar), value: fc.jsonValue(), insert_after: scalar },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 4 }), fc.array(record, { maxLength: 4 }), (customFields, propertySetters) =>
        onlySchemaErrors(() => createRegistry([base]).applyCustomizations({ customFields: customFields as never, propertySetters: propertySetters as never })),
      ),
      { numRuns: 500 },
    );
  });
});
