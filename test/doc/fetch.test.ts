import { describe, expect, it, vi } from 'vitest';
import { applyFetch, applyRowFetch, fetchTargets, loadDoc, rowsOf, setRowValue, setValue } from '../../src/doc';
import type { DocData, FetchLookup } from '../../src/doc';
import { corpusDoctype, doctype } from './helpers';

/** A lookup over an in-memory table of records, matching names case-insensitively like MariaDB does. */
function lookupOver(records: Record<string, Record<string, DocData>>) {
  return vi.fn<FetchLookup>(async (dt, name, fields) => {
    const entry = Object.entries(records[dt] ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase());
    if (!entry) return null;
    const [canonical, rec] = entry;
    return Object.fromEntries([['name', canonical], ...fields.map((f) => [f, rec[f] ?? null])]);
  });
}

const customers = {
  Customer: {
    ACME: { customer_name: 'Acme Corporation', loyalty_program: 'Gold', is_internal_customer: 0, represents_company: null },
  },
  'Sales Partner': { Partner: { commission_rate: 7.5 } },
  Item: { 'ITEM-1': { image: '/files/i.png', grant_commission: 1 } },
};

const si = () => loadDoc(corpusDoctype('Sales Invoice'), {
  name: 'SINV-1',
  items: [{ name: 'r1', item_code: null }],
}, { getDoctype: corpusDoctype });

describe('applyFetch (client fetch_from)', () => {
  it('fills every fetchable target, asks only for their sources, and takes the canonical name', async () => {
    const lookup = lookupOver(customers);
    const doc = await applyFetch(setValue(si(), 'customer', 'acme'), 'customer', lookup);
    const [dt, name, fields] = lookup.mock.calls[0]!;
    expect([dt, name]).toEqual(['Customer', 'acme']);
    expect([...fields].sort()).toEqual(['customer_name', 'is_internal_customer', 'loyalty_program', 'represents_company']);
    expect(doc.data).toMatchObject({
      customer: 'ACME', customer_name: 'Acme Corporation', loyalty_program: 'Gold',
    });
    // Writing null over a missing Link, or 0 over a missing Check, changes nothing Frappe would store
    // (valuesEqual), so those keys stay absent.
    expect(doc.data).not.toHaveProperty('represents_company');
    expect(doc.data).not.toHaveProperty('is_internal_customer');
  });

  it('a cleared link sets its targets to ""', async () => {
    const lookup = lookupOver(customers);
    const filled = await applyFetch(setValue(si(), 'customer', 'ACME'), 'customer', lookup);
    const cleared = await applyFetch(setValue(filled, 'customer', null), 'customer', lookup);
    expect(lookup).toHaveBeenCalledTimes(1); // no lookup for an empty link
    expect(cleared.data).toMatchObject({ customer_name: '', loyalty_program: '', represents_company: '' });
  });

  it('a link to a missing record is cleared, and so are its targets', async () => {
    const doc = await applyFetch(setValue(si(), 'customer', 'Nobody'), 'customer', lookupOver(customers));
    expect(doc.data).toMatchObject({ customer: '', customer_name: '' });
  });

  it('fetch_if_empty (v15): a target with a value is kept, also when clearing; an empty one is filled', async () => {
    const lookup = lookupOver(customers);
    const withRate = setValue(setValue(si(), 'commission_rate', 3), 'sales_partner', 'Partner');
    expect((await applyFetch(withRate, 'sales_partner', lookup)).data.commission_rate).toBe(3);
    expect((await applyFetch(setValue(withRate, 'sales_partner', null), 'sales_partner', lookup)).data.commission_rate).toBe(3);
    const empty = setValue(si(), 'sales_partner', 'Partner');
    expect((await applyFetch(empty, 'sales_partner', lookup)).data.commission_rate).toBe(7.5);
    // develop's link.js always overwrites
    expect((await applyFetch(withRate, 'sales_partner', lookup, { mode: 'develop' })).data.commission_rate).toBe(7.5);
  });

  it('returns the same Doc when the fetched values are already there', async () => {
    const lookup = lookupOver(customers);
    const doc = await applyFetch(setValue(si(), 'customer', 'ACME'), 'customer', lookup);
    expect(await applyFetch(doc, 'customer', lookup)).toBe(doc);
  });

  it('on a submitted document only allow_on_submit targets change', async () => {
    const meta = doctype('Fetch Probe', [
      { fieldname: 'customer', fieldtype: 'Link', options: 'Customer', allow_on_submit: 1 },
      { fieldname: 'customer_name', fieldtype: 'Data', fetch_from: 'customer.customer_name' },
      { fieldname: 'program', fieldtype: 'Data', fetch_from: 'customer.loyalty_program', allow_on_submit: 1 },
    ], { is_submittable: 1 });
    const submitted = setValue(loadDoc(meta, { name: 'FP-1', docstatus: 1 }), 'customer', 'ACME');
    const doc = await applyFetch(submitted, 'customer', lookupOver(customers));
    expect(doc.data.program).toBe('Gold');
    expect(doc.data).not.toHaveProperty('customer_name');
    const draft = await applyFetch(setValue(loadDoc(meta, { name: 'FP-2' }), 'customer', 'ACME'), 'customer', lookupOver(customers));
    expect(draft.data.customer_name).toBe('Acme Corporation');
  });

  it('a Dynamic Link reads its DocType from the field its options name', async () => {
    const meta = doctype('Dyn Probe', [
      { fieldname: 'reference_type', fieldtype: 'Link', options: 'DocType' },
      { fieldname: 'reference_name', fieldtype: 'Dynamic Link', options: 'reference_type' },
      { fieldname: 'reference_title', fieldtype: 'Data', fetch_from: 'reference_name.customer_name', read_only: 1 },
    ]);
    const lookup = lookupOver(customers);
    const noType = setValue(loadDoc(meta, { name: 'D1' }), 'reference_name', 'ACME');
    expect(await applyFetch(noType, 'reference_name', lookup)).toBe(noType); // no DocType: nothing to fetch
    const doc = await applyFetch(setValue(noType, 'reference_type', 'Customer'), 'reference_name', lookup);
    expect(lookup).toHaveBeenCalledWith('Customer', 'ACME', ['customer_name']);
    expect(doc.data.reference_title).toBe('Acme Corporation');
  });

  it('rejects a field that is not a link', async () => {
    await expect(applyFetch(si(), 'remarks', lookupOver(customers))).rejects.toMatchObject({ code: 'DOC_NOT_LINK', field: 'remarks' });
  });
});

describe('fetchTargets', () => {
  it('follows the client fieldtype list: an editable Attach is not fetched, a read-only Check is', () => {
    const item = corpusDoctype('Sales Invoice Item');
    expect(fetchTargets(item, 'item_code').map((f) => f.fieldname)).toEqual(['grant_commission']);
  });

  it('develop adds Percent and friends', () => {
    const meta = doctype('Pct Probe', [
      { fieldname: 'link', fieldtype: 'Link', options: 'X' },
      { fieldname: 'pct', fieldtype: 'Percent', fetch_from: 'link.pct' },
    ]);
    expect(fetchTargets(meta, 'link')).toHaveLength(0);
    expect(fetchTargets(meta, 'link', 'develop')).toHaveLength(1);
  });
});

describe('applyRowFetch', () => {
  it('fetches into the row only; other rows and the parent are untouched', async () => {
    const base = si();
    const lookup = lookupOver(customers);
    const doc = await applyRowFetch(setRowValue(base, 'items', 'r1', 'item_code', 'item-1'), 'items', 'r1', 'item_code', lookup);
    expect(lookup).toHaveBeenCalledWith('Item', 'item-1', ['grant_commission']);
    expect(rowsOf(doc.data, 'items')[0]).toMatchObject({ item_code: 'ITEM-1', grant_commission: 1 });
    expect(rowsOf(doc.data, 'items')[0]).not.toHaveProperty('image');
    expect(doc.delta.values).toEqual({});
  });

  it('rejects an unknown row', async () => {
    await expect(applyRowFetch(si(), 'items', 'nope', 'item_code', lookupOver(customers))).rejects.toMatchObject({ code: 'DOC_UNKNOWN_ROW' });
  });
});
