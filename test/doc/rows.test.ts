import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import {
  addRow, isTemporaryName, loadDoc, moveRow, newDoc, newRow, removeRow, rowsOf, setRowValue, setRowValues, setValue,
} from '../../src/doc';
import type { Doc } from '../../src/doc';
import { corpusDoctype, opts, user, codeOf } from './helpers';

const si = () => corpusDoctype('Sales Invoice');

/** A saved Sales Invoice with three item rows r1..r3. */
function saved(): Doc {
  return loadDoc(
    si(),
    {
      name: 'SINV-0001', docstatus: 0, customer: 'ACME', company: 'ACME Ltd',
      items: [
        { name: 'r1', idx: 1, item_code: 'A', qty: 1, rate: 10 },
        { name: 'r2', idx: 2, item_code: 'B', qty: 2, rate: 20 },
        { name: 'r3', idx: 3, item_code: 'C', qty: 3, rate: 30 },
      ],
    },
    { getDoctype: corpusDoctype },
  );
}

const names = (doc: Doc, table = 'items') => rowsOf(doc.data, table).map((r) => r.name);
const idxs = (doc: Doc, table = 'items') => rowsOf(doc.data, table).map((r) => r.idx);


describe('loadDoc rows', () => {
  it('fills the parent keys and child doctype of each row, keeping names', () => {
    expect(rowsOf(saved().data, 'items')[1]).toMatchObject({
      name: 'r2', doctype: 'Sales Invoice Item', parent: 'SINV-0001', parentfield: 'items', parenttype: 'Sales Invoice', idx: 2,
    });
    expect(saved().data.taxes).toEqual([]); // missing Table fields become []
  });
});

describe('addRow / newRow', () => {
  it('builds a row with parent fields, idx = rows + 1, a temporary name and child defaults', () => {
    const doc = addRow(saved(), 'items', { item_code: 'D' }, opts());
    const row = rowsOf(doc.data, 'items')[3]!;
    expect(row).toMatchObject({
      doctype: 'Sales Invoice Item', parent: 'SINV-0001', parentfield: 'items', parenttype: 'Sales Invoice',
      idx: 4, __islocal: 1, __unsaved: 1, docstatus: 0, owner: user.name, item_code: 'D',
      is_free_item: 0, // a Check default of the child DocType
    });
    expect(row.name).toBe('new-sales-invoice-item-0000000001');
    expect(isTemporaryName(row.name)).toBe(true);
    expect(row).not.toHaveProperty('__run_link_triggers'); // only parents get it
  });

  it('numbers consecutive rows of a new document from 1', () => {
    let doc = newDoc(si(), opts());
    doc = addRow(doc, 'items', {}, opts({ ids: { hash: () => 'aaaaaaaaaa', uuid: () => '' } }));
    doc = addRow(doc, 'items', {}, opts({ ids: { hash: () => 'bbbbbbbbbb', uuid: () => '' } }));
    expect(idxs(doc)).toEqual([1, 2]);
    expect(rowsOf(doc.data, 'items')[0]!.parent).toBe(doc.data.name);
  });

  it('newRow accepts plain parent data and does not add the row', () => {
    const parent = saved().data;
    const row = newRow(parent, 'taxes', {}, opts());
    expect(row).toMatchObject({ parent: 'SINV-0001', parentfield: 'taxes', parenttype: 'Sales Invoice', idx: 1 });
    expect(parent.taxes).toEqual([]);
  });

  it('rows given in newDoc values get their own defaults', () => {
    const doc = newDoc(si(), opts({ values: { items: [{ item_code: 'A' }, { item_code: 'B' }] } }));
    expect(rowsOf(doc.data, 'items').map((r) => [r.item_code, r.idx, r.parent])).toEqual([
      ['A', 1, doc.data.name],
      ['B', 2, doc.data.name],
    ]);
  });

  it('leaves original rows shared and lists the new row in added', () => {
    const doc = saved();
    const next = addRow(doc, 'items', {}, opts());
    rowsOf(doc.data, 'items').forEach((row, i) => expect(rowsOf(next.data, 'items')[i]).toBe(row));
    expect(next.delta.tables.items).toEqual({ added: [rowsOf(next.data, 'items')[3]], removed: [], changed: {} });
    expect(next.delta.values).toEqual({});
  });
});

describe('row values', () => {
  it('records field changes per original row; untouched rows keep identity', () => {
    const doc = saved();
    const next = setRowValue(doc, 'items', 'r2', 'qty', 5);
    expect(next.delta.tables).toEqual({ items: { added: [], removed: [], changed: { r2: { qty: 5 } } } });
    expect(rowsOf(next.data, 'items')[0]).toBe(rowsOf(doc.data, 'items')[0]);
    expect(rowsOf(next.data, 'items')[2]).toBe(rowsOf(doc.data, 'items')[2]);
    expect(rowsOf(next.data, 'items')[1]).not.toBe(rowsOf(doc.data, 'items')[1]);
  });

  it('a row set back to its original values leaves the delta', () => {
    let doc = setRowValues(saved(), 'items', 'r2', { qty: 5, rate: 25 });
    doc = setRowValue(doc, 'items', 'r2', 'qty', 2);
    expect(doc.delta.tables.items?.changed).toEqual({ r2: { rate: 25 } });
    doc = setRowValue(doc, 'items', 'r2', 'rate', 20);
    expect(doc.delta.tables).toEqual({});
  });

  it('an equal row value returns the same Doc', () => {
    const doc = saved();
    expect(setRowValue(doc, 'items', 'r1', 'qty', 1)).toBe(doc);
  });

  it('edits of an added row show in added, not changed', () => {
    let doc = addRow(saved(), 'items', {}, opts());
    const name = String(rowsOf(doc.data, 'items')[3]!.name);
    doc = setRowValue(doc, 'items', name, 'qty', 9);
    expect(doc.delta.tables.items?.added[0]).toMatchObject({ name, qty: 9 });
    expect(doc.delta.tables.items?.changed).toEqual({});
  });

  it.each([
    ['a field that is not a table', () => setRowValue(saved(), 'customer', 'r1', 'qty', 1), 'DOC_NOT_TABLE'],
    ['an unknown row', () => setRowValue(saved(), 'items', 'nope', 'qty', 1), 'DOC_UNKNOWN_ROW'],
    ['an unknown row field', () => setRowValue(saved(), 'items', 'r1', 'nope', 1), 'DOC_UNKNOWN_FIELD'],
    ['idx', () => setRowValue(saved(), 'items', 'r1', 'idx', 7), 'DOC_MANAGED_FIELD'],
    ['parent', () => setRowValue(saved(), 'items', 'r1', 'parent', 'X'), 'DOC_MANAGED_FIELD'],
    ['an unknown row to remove', () => removeRow(saved(), 'items', 'nope'), 'DOC_UNKNOWN_ROW'],
    ['a move out of range', () => moveRow(saved(), 'items', 'r1', 3), 'DOC_ROW_INDEX'],
    ['a fractional move', () => moveRow(saved(), 'items', 'r1', 0.5), 'DOC_ROW_INDEX'],
    ['a row field through setValue', () => setValue(saved(), 'qty', 1), 'DOC_UNKNOWN_FIELD'],
  ] as const)('%s throws %s', (_, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe('removeRow / moveRow', () => {
  it('removing renumbers idx from 1 and keeps rows before the removed one', () => {
    const doc = saved();
    const next = removeRow(doc, 'items', 'r1');
    expect(names(next)).toEqual(['r2', 'r3']);
    expect(idxs(next)).toEqual([1, 2]);
    expect(next.delta.tables.items).toEqual({ added: [], removed: ['r1'], changed: {} });
    const last = removeRow(doc, 'items', 'r3');
    expect(rowsOf(last.data, 'items')[0]).toBe(rowsOf(doc.data, 'items')[0]);
    expect(rowsOf(last.data, 'items')[1]).toBe(rowsOf(doc.data, 'items')[1]);
  });

  it('a row added then removed leaves nothing in the delta', () => {
    const doc = addRow(saved(), 'items', {}, opts());
    const name = String(rowsOf(doc.data, 'items')[3]!.name);
    const back = removeRow(doc, 'items', name);
    expect(back.delta).toEqual({ values: {}, tables: {} });
  });

  it('removing an edited row drops its recorded changes', () => {
    let doc = setRowValue(saved(), 'items', 'r2', 'qty', 9);
    doc = removeRow(doc, 'items', 'r2');
    expect(doc.delta.tables.items).toEqual({ added: [], removed: ['r2'], changed: {} });
  });

  it('moving renumbers and marks the table reordered; moving back clears it', () => {
    const doc = saved();
    const moved = moveRow(doc, 'items', 'r3', 0);
    expect(names(moved)).toEqual(['r3', 'r1', 'r2']);
    expect(idxs(moved)).toEqual([1, 2, 3]);
    expect(moved.delta.tables.items).toEqual({ added: [], removed: [], changed: {}, reordered: true });
    const back = moveRow(moved, 'items', 'r3', 2);
    expect(names(back)).toEqual(['r1', 'r2', 'r3']);
    expect(back.delta.tables).toEqual({});
    expect(moveRow(doc, 'items', 'r2', 1)).toBe(doc); // already there
  });

  it('removal alone is not a reorder', () => {
    expect(removeRow(saved(), 'items', 'r2').delta.tables.items?.reordered).toBeUndefined();
  });
});
