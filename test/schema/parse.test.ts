import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { getField, parseDoctype, schemaWarnings } from '../../src/schema';

/** The issues of the SchemaError `fn` throws (fails the test if it does not throw one). */
function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).code).toBe('SCHEMA_INVALID');
    return (error as SchemaError).issues;
  }
  throw new Error('expected a SchemaError');
}

const field = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, ...extra });

describe('normalisation', () => {
  const doctype = parseDoctype({
    name: 'Thing',
    istable: true,
    is_submittable: '1',
    track_changes: 'true', // Python cint('true') is 0
    custom_property: { kept: true },
    fields: [
      field('a', 'Check', { reqd: 2, hidden: '0', default: 0, bold: true }),
      field('b', 'Int', { permlevel: '1', length: 12.9, precision: 2, default: '' }),
      field('c', 'Select', { options: '\r\nOne\r\nTwo', default: null, in_standard_filter: 1 }),
      field('d', 'Section Break', { depends_on: '' }),
      field('e', 'Table', { options: 'Child' }),
      field('f', 'Link', { options: 'Other', default: true, fetch_from: 'x.y' }),
    ],
    permissions: [{ role: 'All', read: 1, write: '1' }],
  });

  it('flags go through cint to 0/1 and missing flags are 0', () => {
    expect([doctype.istable, doctype.is_submittable, doctype.track_changes, doctype.issingle]).toEqual([1, 1, 0, 0]);
    const a = getField(doctype, 'a');
    expect([a?.reqd, a?.hidden, a?.unique, a?.bold]).toEqual([1, 0, 0, 1]);
    // A missing right is 0 even though DocPerm's schema default for write is 1 (JSON import skips defaults).
    expect(doctype.permissions[0]).toMatchObject({ role: 'All', read: 1, write: 1, create: 0, permlevel: 0 });
  });

  it('ints through cint; precision as text', () => {
    const b = getField(doctype, 'b');
    expect([b?.permlevel, b?.length, b?.precision]).toEqual([1, 12, '2']);
    expect(getField(doctype, 'a')?.permlevel).toBe(0);
  });

  it("default: numbers → text, booleans → '1'/'0', '' and null → no default", () => {
    expect(getField(doctype, 'a')?.default).toBe('0');
    expect(getField(doctype, 'b')?.default).toBeUndefined();
    expect(getField(doctype, 'c')?.default).toBeUndefined();
    expect(getField(doctype, 'f')?.default).toBe('1');
  });

  it("Select options split on '\\n', '\\r' stripped, leading blank kept; other types have none", () => {
    expect(getField(doctype, 'c')?.select_options).toEqual(['', 'One', 'Two']);
    expect(getField(doctype, 'f')?.select_options).toBeUndefined();
    expect(getField(doctype, 'd')?.options).toBe('');
  });

  it('fieldclass from the fieldtype; empty expressions are undefined', () => {
    expect(doctype.fields.map((f) => f.fieldclass)).toEqual(['value', 'value', 'value', 'display', 'table', 'value']);
    expect(getField(doctype, 'd')?.depends_on).toBeUndefined();
    expect(getField(doctype, 'f')?.fetch_from).toBe('x.y');
  });

  it('keeps unknown properties, text DocType properties default to empty, everything frozen', () => {
    expect(doctype.custom_property).toEqual({ kept: true });
    expect(doctype.autoname).toBe('');
    expect(doctype.module).toBeUndefined();
    expect(Object.isFrozen(doctype.custom_property)).toBe(true);
    expect(Object.isFrozen(doctype.permissions[0])).toBe(true);
  });

  it('never freezes or changes the input', () => {
    const input = { name: 'X', fields: [field('a', 'Data')] };
    parseDoctype(input);
    expect(Object.isFrozen(input.fields[0])).toBe(false);
    expect(input).toEqual({ name: 'X', fields: [field('a', 'Data')] });
  });
});

describe('field order (Meta.sort_fields)', () => {
  const names = (json: object) => parseDoctype({ name: 'T', ...json }).fields.map((f) => f.fieldname);
  const fields = ['a', 'b', 'c', 'd'].map((n) => field(n, 'Data'));

  it('field_order is the authority', () => {
    expect(names({ fields, field_order: ['d', 'c', 'b', 'a'] })).toEqual(['d', 'c', 'b', 'a']);
  });
  it('without field_order: stored order', () => {
    expect(names({ fields })).toEqual(['a', 'b', 'c', 'd']);
  });
  it('an unlisted standard field follows its stored predecessor', () => {
    expect(names({ fields, field_order: ['d', 'a', 'b'] })).toEqual(['d', 'a', 'b', 'c']);
  });
  it('unlisted leading fields are prepended when a listed field follows them', () => {
    expect(names({ fields, field_order: ['d', 'c'] })).toEqual(['a', 'b', 'd', 'c']);
  });
  it('field_order entries naming no field are dropped with a warning', () => {
    const doctype = parseDoctype({ name: 'T', fields, field_order: ['b', 'ghost', 'a', 'c', 'd'] });
    expect(doctype.fields.map((f) => f.fieldname)).toEqual(['b', 'a', 'c', 'd']);
    expect(schemaWarnings(doctype)).toMatchInlineSnapshot(`
      [
        {
          "code": "unknown_field_order_entry",
          "message": "field_order names "ghost", which is not a field",
          "path": [
            "field_order",
          ],
        },
      ]
    `);
  });
  it('custom fields in the JSON are placed by insert_after', () => {
    const withCustom = [...fields, field('z', 'Data', { is_custom_field: 1, insert_after: 'a' }), field('y', 'Data', { is_custom_field: 1 })];
    expect(names({ fields: withCustom, field_order: ['a', 'b', 'c', 'd'] })).toEqual(['y', 'a', 'z', 'b', 'c', 'd']);
  });
});

describe('errors: every problem at once', () => {
  it('non-object input', () => {
    expect(issuesOf(() => parseDoctype(42))).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid_type",
          "message": "the input must be a JSON object (a DocType), got number 42",
          "path": [],
        },
      ]
    `);
  });

  it('missing name, fields not an array', () => {
    expect(issuesOf(() => parseDoctype({ fields: {} }))).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid_type",
          "message": "fields must be an array, got an object",
          "path": [
            "fields",
          ],
        },
        {
          "code": "invalid_type",
          "message": "name is required",
          "path": [
            "name",
          ],
        },
      ]
    `);
  });

  it('field problems: missing / bad / duplicate fieldname, unknown fieldtype, options, Link and Table without options, DocPerm without role', () => {
    const issues = issuesOf(() =>
      parseDoctype({
        name: 'Broken',
        fields: [
          { fieldtype: 'Data' },
          field('has space', 'Data'),
          field('dup', 'Data'),
          field('dup', 'Int'),
          field('kind', 'Dat'),
          field('sel', 'Select', { options: 3 }),
          field('link', 'Link'),
          field('rows', 'Table', { options: '  ' }),
          field('flag', 'Check', { reqd: {} }),
          'not a row',
        ],
        permissions: [{ read: 1 }],
      }),
    );
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid_type",
          "message": "fieldname is required",
          "path": [
            "fields",
            0,
            "fieldname",
          ],
        },
        {
          "code": "invalid_fieldname",
          "message": "fieldname "has space" may only contain letters, digits and _",
          "path": [
            "fields",
            1,
            "fieldname",
          ],
        },
        {
          "code": "duplicate_fieldname",
          "message": "fieldname "dup" is already used by fields[2]",
          "path": [
            "fields",
            3,
            "fieldname",
          ],
        },
        {
          "code": "unknown_fieldtype",
          "message": "unknown fieldtype "Dat"; did you mean "Data"? (field "kind")",
          "path": [
            "fields",
            4,
            "fieldtype",
          ],
        },
        {
          "code": "invalid_type",
          "message": "options must be text, got number 3 (field "sel")",
          "path": [
            "fields",
            5,
            "options",
          ],
        },
        {
          "code": "missing_options",
          "message": "a Link field needs options naming the target DocType (field "link")",
          "path": [
            "fields",
            6,
            "options",
          ],
        },
        {
          "code": "missing_options",
          "message": "a Table field needs options naming the child DocType (field "rows")",
          "path": [
            "fields",
            7,
            "options",
          ],
        },
        {
          "code": "invalid_type",
          "message": "reqd must be 0 or 1, got an object (field "flag")",
          "path": [
            "fields",
            8,
            "reqd",
          ],
        },
        {
          "code": "invalid_type",
          "message": "the row must be an object, got "not a row"",
          "path": [
            "fields",
            9,
          ],
        },
        {
          "code": "invalid_type",
          "message": "role is required",
          "path": [
            "permissions",
            0,
            "role",
          ],
        },
      ]
    `);
  });

  it('fieldnames follow Python \\w: Unicode letters and digits are fine', () => {
    expect(parseDoctype({ name: 'U', fields: [field('größe_2', 'Data')] }).fields[0]?.fieldname).toBe('größe_2');
  });

  it('names the DocType and the source in the message', () => {
    expect(() => parseDoctype({ name: 'Bad', fields: [field('x', 'Nope')] }, { source: 'bad.json' })).toThrow(/^bad\.json: DocType "Bad": 1 problem/);
  });

  it('a cyclic object is a SchemaError, not a RangeError', () => {
    const json: Record<string, unknown> = { name: 'C' };
    json.self = json;
    expect(issuesOf(() => parseDoctype(json))[0]?.code).toBe('not_json');
  });

  it('a __proto__ key from JSON.parse stays data', () => {
    const doctype = parseDoctype(JSON.parse('{"name":"P","__proto__":{"istable":1},"fields":[]}'));
    expect(doctype.istable).toBe(0);
    expect(Object.getPrototypeOf(doctype)).toBe(Object.prototype);
  });
});
