/**
 * The hand-written DocType JSON shape check (`src/schema/raw.ts`) against the zod v4 schemas it replaced
 * (test/schema/zod-reference.ts): the same verdict and the same problems (path, message, code) on random
 * malformed JSON, on hand-picked bad inputs, and on every DocType of Frappe, ERPNext and HRMS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SchemaProblem } from '../../src/errors';
import { parseDoctype } from '../../src/schema';
import { DOCFIELD_FLAGS, DOCFIELD_INTS, DOCFIELD_OPTIONAL_TEXTS, DOCPERM_FLAGS, DOCTYPE_FLAGS, DOCTYPE_TEXTS, shapeProblems } from '../../src/schema/raw';
import { benchAvailable, benchDoctypeJsons } from '../helpers/bench';
import { zodProblems } from './zod-reference';

/** Problems in a canonical order (the check reports them in no particular order; parseDoctype sorts them). */
function canonical(problems: readonly SchemaProblem[]): string[] {
  return problems.map((p) => JSON.stringify([p.path, p.message, p.code])).sort();
}

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, '', 'x', 'Data', 0, 1, -0, 2.5, NaN, Infinity, -Infinity, true, false, {}, [], [1], { a: 1 }, 10n),
  fc.string({ maxLength: 45 }),
  fc.integer(),
);

const keysFrom = (...lists: ReadonlyArray<readonly string[]>) => fc.constantFrom(...new Set(lists.flat()));
const fieldKey = keysFrom(['fieldname', 'fieldtype', 'label', 'options', 'default', 'precision', 'description', 'unknown_prop'], DOCFIELD_FLAGS, DOCFIELD_INTS, DOCFIELD_OPTIONAL_TEXTS);
const permKey = keysFrom(['role', 'permlevel', 'unknown_prop'], DOCPERM_FLAGS);
const doctypeKey = keysFrom(['module', 'doctype', 'unknown_prop'], DOCTYPE_FLAGS, DOCTYPE_TEXTS);

/** A row that is usually an object with mostly valid values, sometimes anything. */
function row(key: fc.Arbitrary<string>, base: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const object = fc.record({ ...base, extra: fc.dictionary(key, value, { maxKeys: 4 }) }, { requiredKeys: [] })
    .map(({ extra, ...rest }) => ({ ...rest, ...(extra as Record<string, unknown>) }));
  return fc.oneof({ weight: 6, arbitrary: object }, { weight: 1, arbitrary: value });
}

const doctypeJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: value },
  {
    weight: 12,
    arbitrary: fc.record(
      {
        name: fc.oneof(fc.constant('Order'), value),
        fields: fc.oneof(fc.array(row(fieldKey, { fieldname: fc.oneof(fc.constantFrom('a', 'b'), value), fieldtype: fc.oneof(fc.constant('Data'), value) }), { maxLength: 4 }), value),
        permissions: fc.oneof(fc.array(row(permKey, { role: fc.oneof(fc.constant('System Manager'), value) }), { maxLength: 3 }), value),
        field_order: fc.oneof(fc.array(fc.oneof(fc.constant('a'), value), { maxLength: 3 }), value),
        actions: fc.oneof(fc.array(value, { maxLength: 2 }), value),
        links: fc.oneof(fc.array(fc.oneof(fc.constant({ link_doctype: 'X' }), value), { maxLength: 2 }), value),
        states: fc.oneof(fc.array(value, { maxLength: 2 }), value),
        props: fc.dictionary(doctypeKey, value, { maxKeys: 4 }),
      },
      { requiredKeys: [] },
    ).map(({ props, ...rest }) => ({ ...(props as Record<string, unknown>), ...rest })),
  },
);

describe('the DocType JSON shape check', () => {
  it('reports exactly what zod reported, on random JSON', () => {
    fc.assert(
      fc.property(doctypeJson, (json) => {
        expect(canonical(shapeProblems(json))).toEqual(canonical(zodProblems(json)));
      }),
      { numRuns: 3000 },
    );
  });

  it('reports exactly what zod reported, on hand-picked bad input', () => {
    const fn = () => 1;
    const bad: unknown[] = [null, [], 'x', 5, {}, { name: '' }, { name: 1 }, { name: undefined, fields: 1 }, { name: 'A', fields: [[], null, 1] },
      { name: 'A', fields: [{ fieldname: 'a' }] }, { name: 'A', fields: [{ label: 'x' }] }, { name: 'A', permissions: [{ role: '' }, {}, 'x', { role: 1, read: {} }] },
      { name: 'A', field_order: [1, null] }, { name: 'A', field_order: 'a' }, { name: 'A', links: [1] }, { name: 'A', states: {} }, { name: 'A', istable: {} },
      { name: 'A', fields: [{ fieldname: 'a', fieldtype: 'Data', options: 3, reqd: NaN, hidden: Infinity, default: fn, precision: 10n, depends_on: 1, permlevel: [] }] },
      { name: 'A', autoname: 5, module: 1, title_field: null }];
    for (const json of bad) {
      const problems = shapeProblems(json);
      expect(problems.length).toBeGreaterThan(0);
      expect(canonical(problems)).toEqual(canonical(zodProblems(json)));
    }
  });

  it('messages lead with the property, name the field row, and carry zod\'s codes', () => {
    expect(shapeProblems(null)).toEqual([{ path: [], message: 'the input must be a JSON object (a DocType), got null', code: 'invalid_type' }]);
    expect(shapeProblems({ name: '' })).toEqual([{ path: ['name'], message: 'name must not be empty', code: 'too_small' }]);
    expect(canonical(shapeProblems({ name: 'A', fields: [{ fieldname: 'a', reqd: NaN }, 7] }))).toEqual(canonical([
      { path: ['fields', 0, 'fieldtype'], message: 'fieldtype is required (field "a")', code: 'invalid_type' },
      { path: ['fields', 0, 'reqd'], message: 'reqd must be 0 or 1, got number NaN (field "a")', code: 'invalid_type' },
      { path: ['fields', 1], message: 'the row must be an object, got number 7', code: 'invalid_type' },
    ]));
    // parseDoctype lists them in path order, with the field checks of parse.ts.
    try {
      parseDoctype({ name: 'A', fields: [{ fieldname: 'a b', fieldtype: 'Data', options: 3 }, { fieldname: 'c', fieldtype: 'Dataa' }] });
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: SchemaProblem[] }).issues.map((p) => [p.path, p.code])).toEqual([
        [['fields', 0, 'fieldname'], 'invalid_fieldname'],
        [['fields', 0, 'options'], 'invalid_type'],
        [['fields', 1, 'fieldtype'], 'unknown_fieldtype'],
      ]);
    }
  });

  it.skipIf(!benchAvailable)('accepts every DocType of Frappe, ERPNext and HRMS, as zod does', () => {
    const jsons = benchDoctypeJsons();
    expect(jsons.length).toBeGreaterThan(500);
    for (const json of jsons) {
      expect(shapeProblems(json)).toEqual([]);
      expect(zodProblems(json)).toEqual([]);
    }
  });
});
