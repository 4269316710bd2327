import { describe, expect, it } from 'vitest';
import { copyDoc, isTemporaryName, loadDoc, rowsOf, setValue } from '../../src/doc';
import { corpusDoctype, doctype, lookupOf, opts, user } from './helpers';

const editor = { ...user, name: 'editor@example.com' };

function submittedInvoice() {
  return loadDoc(
    corpusDoctype('Sales Invoice'),
    {
      name: 'SINV-0007', docstatus: 2, owner: 'someone@example.com', creation: '2024-01-01 10:00:00.000000',
      modified: '2024-01-02 10:00:00.000000', modified_by: 'someone@example.com',
      customer: 'ACME', status: 'Cancelled', is_return: 0, remarks: 'first try', posting_date: '2024-01-01',
      amended_from: 'SINV-0006', __onload: { x: 1 },
      items: [
        { name: 'row-a', item_code: 'A', qty: 2, rate: 10, page_break: 1, so_detail: 'SOD-1' },
        { name: 'row-b', item_code: 'B', qty: 1, rate: 5 },
      ],
    },
    { getDoctype: corpusDoctype },
  );
}

describe('copyDoc: duplicate', () => {
  const copy = () => copyDoc(submittedInvoice(), corpusDoctype('Sales Invoice'), opts({ user: editor }));

  it('is a new draft owned by the current user, with a fresh temporary name', () => {
    const { data, isNew, delta } = copy();
    expect(isNew).toBe(true);
    expect(delta).toEqual({ values: {}, tables: {} });
    expect(data).toMatchObject({ docstatus: 0, __islocal: 1, owner: editor.name, modified_by: editor.name, creation: '', modified: '' });
    expect(isTemporaryName(data.name)).toBe(true);
    expect(data.name).not.toBe('SINV-0007');
  });

  it('copies docfield values but not no_copy fields, amended_from or __ keys', () => {
    const { data } = copy();
    expect(data.customer).toBe('ACME');
    expect(data.status).toBe('Draft'); // no_copy: the new document's default instead
    expect(data.posting_date).toBe('2024-03-31'); // no_copy: default Today
    expect(data).not.toHaveProperty('remarks'); // no_copy, no default
    expect(data).not.toHaveProperty('amended_from');
    expect(data).not.toHaveProperty('__onload');
  });

  it('copies rows as new rows of the copy, skipping their no_copy fields', () => {
    const { data } = copy();
    const rows = rowsOf(data, 'items');
    expect(rows.map((r) => [r.item_code, r.qty, r.idx, r.parent])).toEqual([
      ['A', 2, 1, data.name],
      ['B', 1, 2, data.name],
    ]);
    expect(rows.every((r) => isTemporaryName(r.name))).toBe(true);
    expect(rows[0]).not.toHaveProperty('so_detail');
    expect(rows[0]!.page_break).toBe(0); // no_copy: back to its default
    expect(rows[0]).not.toHaveProperty('_amended_from');
  });

  it('accepts plain data and the copy can be edited like any Doc', () => {
    const copy2 = copyDoc(submittedInvoice().data, corpusDoctype('Sales Invoice'), opts());
    expect(setValue(copy2, 'customer', 'Other').delta.values).toEqual({ customer: 'Other' });
  });
});

describe('copyDoc: amend', () => {
  const amended = () => copyDoc(submittedInvoice(), corpusDoctype('Sales Invoice'), opts({ amend: true }));

  it('sets amended_from to the source and keeps no_copy fields', () => {
    const { data } = amended();
    expect(data.amended_from).toBe('SINV-0007');
    expect(data.docstatus).toBe(0);
    expect(data.remarks).toBe('first try');
    expect(data.posting_date).toBe('2024-01-01');
  });

  it('rows remember their source row in _amended_from and keep no_copy values', () => {
    const rows = rowsOf(amended().data, 'items');
    expect(rows.map((r) => r._amended_from)).toEqual(['row-a', 'row-b']);
    expect(rows[0]!.so_detail).toBe('SOD-1');
  });

  it('requires an amended_from field', () => {
    expect(() => copyDoc(loadDoc(corpusDoctype('ToDo'), { name: 'T' }), corpusDoctype('ToDo'), opts({ amend: true })))
      .toThrow(expect.objectContaining({ code: 'DOC_UNKNOWN_FIELD', field: 'amended_from' }));
  });

  it('sets amendment_date to today where the field exists', () => {
    const meta = doctype('Amend Probe', [
      { fieldname: 'amended_from', fieldtype: 'Link', options: 'Amend Probe', no_copy: 1 },
      { fieldname: 'amendment_date', fieldtype: 'Date', no_copy: 1 },
    ]);
    const data = copyDoc({ name: 'AP-1', amendment_date: '2020-01-01' }, meta, opts({ amend: true, getDoctype: lookupOf(meta) })).data;
    expect(data).toMatchObject({ amended_from: 'AP-1', amendment_date: '2024-03-31' });
  });
});

describe('copyDoc: excluded fieldtypes and tree fields', () => {
  it('never copies Password fields; nulls lft / rgt of tree DocTypes', () => {
    const meta = doctype('Tree Probe', [
      { fieldname: 'title', fieldtype: 'Data' },
      { fieldname: 'secret', fieldtype: 'Password' },
      { fieldname: 'lft', fieldtype: 'Int' },
      { fieldname: 'rgt', fieldtype: 'Int' },
    ], { is_tree: 1 });
    const data = copyDoc({ name: 'TP-1', title: 'x', secret: 'hunter2', lft: 3, rgt: 8 }, meta, opts({ getDoctype: lookupOf(meta) })).data;
    expect(data).toMatchObject({ title: 'x', lft: null, rgt: null });
    expect(data).not.toHaveProperty('secret');
  });
});
