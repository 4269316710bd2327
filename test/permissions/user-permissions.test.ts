import { describe, expect, it } from 'vitest';
import { allowedDocs, hasUserPermission } from '../../src/permissions';
import { customer, doctype, order, salesOrder, salesOrderChildren } from './helpers';

describe('allowedDocs (get_allowed_docs_for_doctype)', () => {
  it('keeps records without applicable_for or applicable to the checked DocType', () => {
    const records = [
      { doc: 'ACME' }, { doc: 'Globex', applicable_for: 'Sales Order' }, { doc: 'Initech', applicable_for: 'Quotation' },
      { doc: 'Umbrella', applicable_for: null },
    ];
    expect(allowedDocs(records, 'Sales Order')).toEqual(['ACME', 'Globex', 'Umbrella']);
    expect(allowedDocs(records, 'Quotation')).toEqual(['ACME', 'Initech', 'Umbrella']);
    expect(allowedDocs(undefined, 'Quotation')).toEqual([]);
  });
});

describe('hasUserPermission (`frappe/permissions.py`)', () => {
  it('no user permissions: everything allowed', () => {
    expect(hasUserPermission(salesOrder, order(), undefined)).toEqual({ allowed: true });
    expect(hasUserPermission(salesOrder, order(), {})).toEqual({ allowed: true });
  });

  it('step 1: the document itself must be allowed; a new document without a name passes', () => {
    const up = { Customer: [{ doc: 'ACME' }] };
    expect(hasUserPermission(customer, { doctype: 'Customer', name: 'ACME' }, up).allowed).toBe(true);
    expect(hasUserPermission(customer, { doctype: 'Customer', name: 'Globex' }, up)).toEqual({
      allowed: false, message: 'Not allowed for Customer: Globex',
    });
    expect(hasUserPermission(customer, { doctype: 'Customer' }, up).allowed).toBe(true);
  });

  it('step 1: records applicable to another DocType do not restrict', () => {
    const up = { Customer: [{ doc: 'ACME', applicable_for: 'Sales Order' }] };
    expect(hasUserPermission(customer, { doctype: 'Customer', name: 'Globex' }, up).allowed).toBe(true);
  });

  it('step 2: a Link in the parent, with the verbatim message', () => {
    const r = hasUserPermission(salesOrder, order(), { Customer: [{ doc: 'Globex' }] }, salesOrderChildren);
    expect(r).toEqual({
      allowed: false,
      message: "You are not allowed to access this Sales Order record because it is linked to Customer 'ACME' in field Customer",
      field: 'customer',
    });
  });

  it('step 2: Links in child rows, with row number and the row DocType in the message', () => {
    const r = hasUserPermission(salesOrder, order(), { Item: [{ doc: 'WIDGET' }] }, salesOrderChildren);
    expect(r).toEqual({
      allowed: false,
      message: "You are not allowed to access this Sales Order Item record because it is linked to Item 'GADGET' in row 2, field Item",
      field: 'item_code', table: 'items', row: 2,
    });
  });

  it('step 2: child rows are checked against records applicable to the parent DocType', () => {
    const up = { Item: [{ doc: 'WIDGET', applicable_for: 'Sales Order' }, { doc: 'GADGET', applicable_for: 'Sales Order Item' }] };
    // GADGET is allowed only "for Sales Order Item", but Frappe matches rows against the parent's DocType.
    expect(hasUserPermission(salesOrder, order(), up, salesOrderChildren).allowed).toBe(false);
  });

  it('child rows of a table without a known child DocType are not checked', () => {
    expect(hasUserPermission(salesOrder, order(), { Item: [{ doc: 'WIDGET' }] }, {}).allowed).toBe(true);
  });

  it('empty Links pass unless strict; strict never applies to singles', () => {
    const up = { Customer: [{ doc: 'ACME' }] };
    const empty = order('x', { customer: null, items: [] });
    expect(hasUserPermission(salesOrder, empty, up).allowed).toBe(true);
    expect(hasUserPermission(salesOrder, empty, up, {}, { strict: true })).toMatchObject({
      allowed: false,
      message: "You are not allowed to access this Sales Order record because it is linked to Customer 'empty' in field Customer",
    });
    const settings = doctype({ name: 'Sales Settings', issingle: 1, fields: [{ fieldname: 'default_customer', fieldtype: 'Link', options: 'Customer' }] });
    expect(hasUserPermission(settings, { doctype: 'Sales Settings', name: 'Sales Settings' }, up, {}, { strict: true }).allowed).toBe(true);
  });

  it('ignore_user_permissions fields and unrestricted targets are skipped', () => {
    const dt = doctype({
      name: 'Visit',
      fields: [
        { fieldname: 'customer', fieldtype: 'Link', options: 'Customer', ignore_user_permissions: 1 },
        { fieldname: 'item', fieldtype: 'Link', options: 'Item' },
      ],
    });
    expect(hasUserPermission(dt, { customer: 'Globex', item: 'X' }, { Customer: [{ doc: 'ACME' }] }).allowed).toBe(true);
  });
});
