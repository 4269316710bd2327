import { describe, expect, it } from 'vitest';
import { isMissing, mandatoryIssue } from '../../src/values/mandatory';
import { fieldOf } from './helpers';

// BaseDocument._get_missing_mandatory_fields (frappe/model/base_document.py), `frappe/model/base_document.py`.
describe('isMissing', () => {
  it.each([
    [null, true], [undefined, true], [[], true], ['', true], ['   ', true], ['<p> </p>', true], ['<br>', true],
    [0, false], ['0', false], [false, false], ['x', false], ['<p>x</p>', false], [[{}], false],
  ])('Data: %j → missing %s', (value, want) => {
    expect(isMissing(fieldOf('Data'), value)).toBe(want);
  });

  it('an <img> counts as content only for Text Editor and Code with options HTML', () => {
    const img = '<p><img src="/files/a.png"></p>';
    expect(isMissing(fieldOf('Text Editor'), img)).toBe(false);
    expect(isMissing(fieldOf('Code', { options: 'HTML' }), img)).toBe(false);
    expect(isMissing(fieldOf('Code', { options: 'Python' }), img)).toBe(true);
    expect(isMissing(fieldOf('Small Text'), img)).toBe(true);
  });
});

describe('mandatoryIssue: Frappe\'s three message forms', () => {
  it('table, child row, field', () => {
    const table = fieldOf('Table', { label: 'Items' });
    const qty = fieldOf('Float', { label: 'Qty' });
    expect([
      mandatoryIssue(table, { doctype: 'Sales Order' }),
      mandatoryIssue(qty, { doctype: 'Sales Order Item', row: { idx: 2, table: 'items', name: 'r2' } }),
      mandatoryIssue(qty, { doctype: 'Sales Order' }),
    ].map((i) => [i.code, i.exc, i.message, i.row])).toMatchInlineSnapshot(`
      [
        [
          "MANDATORY_TABLE",
          "MandatoryError",
          "Error: Data missing in table: Items",
          undefined,
        ],
        [
          "MANDATORY",
          "MandatoryError",
          "Error: Sales Order Item Row #2: Value missing for: Qty",
          2,
        ],
        [
          "MANDATORY",
          "MandatoryError",
          "Error: Value missing for Sales Order: Qty",
          undefined,
        ],
      ]
    `);
  });
});
