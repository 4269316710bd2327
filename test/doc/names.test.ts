import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../src/env';
import { isTemporaryName, newDoc, newRow, temporaryName } from '../../src/doc';
import { corpusDoctype, opts } from './helpers';

describe('temporary names', () => {
  it('slug the DocType like frappe.router.slug: lowercase, spaces to hyphens', () => {
    expect(temporaryName('Sales Taxes and Charges', sequentialIds(42))).toBe('new-sales-taxes-and-charges-000000002a');
  });

  it.each([
    ['new-sales-invoice-0000000001', true],
    ['new-todo-a1b2c3d4e5', true],
    ['New Sales Invoice 3', true], // v13 Desk
    ['SINV-2024-00001', false],
    ['a1b2c3d4e5', false], // a saved child row's hash name
    ['new-york', false],
    [null, false],
  ])('%j -> %s', (name, expected) => {
    expect(isTemporaryName(name)).toBe(expected);
  });
});

describe('newDoc / newRow input checks', () => {
  it.each([
    [{ bogus: 1 }, 'DOC_UNKNOWN_FIELD'],
    [{ doctype: 'Other' }, 'DOC_MANAGED_FIELD'],
    [{ items: 'not rows' }, 'DOC_INVALID_DATA'],
    [{ items: [{ idx: 5 }] }, 'DOC_MANAGED_FIELD'],
  ])('values %j throw %s', (values, code) => {
    expect(() => newDoc(corpusDoctype('Sales Invoice'), opts({ values }))).toThrow(expect.objectContaining({ code }));
  });

  it('newRow refuses a field that is not a table', () => {
    const doc = newDoc(corpusDoctype('Sales Invoice'), opts());
    expect(() => newRow(doc, 'customer', {}, opts())).toThrow(expect.objectContaining({ code: 'DOC_NOT_TABLE', field: 'customer' }));
  });
});
