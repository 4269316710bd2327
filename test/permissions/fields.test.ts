import { describe, expect, it } from 'vitest';
import { readableFields, resetUnwritable, stripUnreadable } from '../../src/permissions';
import { admin, doctype, order, salesManager, salesOrder, salesOrderChildren, salesUser } from './helpers';

/** A parent with a level-1 field and a child whose `cost` is level 1 (judged by the parent's rows). */
const line = doctype({
  name: 'Deal Line', istable: 1,
  fields: [{ fieldname: 'item', fieldtype: 'Data' }, { fieldname: 'cost', fieldtype: 'Currency', permlevel: 1 }],
});
const deal = doctype({
  name: 'Deal',
  fields: [
    { fieldname: 'title', fieldtype: 'Data' },
    { fieldname: 'secret_section', fieldtype: 'Section Break', permlevel: 1 },
    { fieldname: 'margin', fieldtype: 'Percent', permlevel: 1, default: '5' },
    { fieldname: 'lines', fieldtype: 'Table', options: 'Deal Line' },
  ],
  permissions: [
    { role: 'Seller', read: 1, write: 1, create: 1 },
    { role: 'Auditor', read: 1 }, { role: 'Auditor', permlevel: 1, read: 1 },
    { role: 'Boss', read: 1, write: 1 }, { role: 'Boss', permlevel: 1, read: 1, write: 1 },
  ],
});
const seller = { name: 's', roles: ['Seller'] };
const auditor = { name: 'a', roles: ['Auditor'] };
const boss = { name: 'b', roles: ['Boss'] };
const children = { lines: line };
const stored = Object.freeze({
  doctype: 'Deal', name: 'D1', title: 'Big', margin: 30,
  lines: Object.freeze([Object.freeze({ name: 'l1', idx: 1, item: 'A', cost: 10 }), Object.freeze({ name: 'l2', idx: 2, item: 'B', cost: 20 })]),
});

describe('readableFields (get_permitted_fieldnames)', () => {
  it('fixture: internal_margin (level 1) is readable only by Sales Manager', () => {
    expect(readableFields(salesOrder, salesUser)).not.toContain('internal_margin');
    expect(readableFields(salesOrder, salesUser)).toContain('customer');
    expect(readableFields(salesOrder, salesManager)).toContain('internal_margin');
    expect(readableFields(salesOrder, admin)).toContain('internal_margin');
  });

  it('tables are listed, layout fields are not; child fields use the parent rows', () => {
    expect(readableFields(deal, seller)).toEqual(['title', 'lines']);
    expect(readableFields(line, auditor, { parentDoctype: deal })).toEqual(['item', 'cost']);
    expect(readableFields(line, seller, { parentDoctype: deal })).toEqual(['item']);
  });

  it('a DocType without any rows has every field readable (Frappe\'s rule)', () => {
    expect(readableFields(line, seller)).toEqual(['item', 'cost']);
  });
});

describe('stripUnreadable (apply_fieldlevel_read_permissions)', () => {
  it('fixture: a Sales User does not receive internal_margin; a Sales Manager does', () => {
    const doc = order();
    expect('internal_margin' in stripUnreadable(salesOrder, salesUser, doc, salesOrderChildren)).toBe(false);
    expect(stripUnreadable(salesOrder, salesManager, doc, salesOrderChildren)).toBe(doc);
  });

  it('removes unreadable keys in the document and in rows, keeps everything else shared', () => {
    const out = stripUnreadable(deal, seller, stored, children);
    expect(out).toEqual({
      doctype: 'Deal', name: 'D1', title: 'Big',
      lines: [{ name: 'l1', idx: 1, item: 'A' }, { name: 'l2', idx: 2, item: 'B' }],
    });
    expect(Object.isFrozen(out)).toBe(true);
    expect(stored.margin).toBe(30); // input untouched
  });

  it('returns the same object when nothing is unreadable, and for Administrator', () => {
    expect(stripUnreadable(deal, auditor, stored, children)).toBe(stored);
    expect(stripUnreadable(deal, admin, stored, children)).toBe(stored);
  });

  it('a table without a known child DocType is left as it is', () => {
    const out = stripUnreadable(deal, seller, stored, {});
    expect(out.lines).toBe(stored.lines);
  });
});

describe('resetUnwritable (validate_higher_perm_levels)', () => {
  const incoming = Object.freeze({
    ...stored, title: 'Bigger', margin: 99,
    lines: [{ name: 'l1', idx: 1, item: 'A2', cost: 11 }, { name: 'l2', idx: 2, item: 'B', cost: 20 }, { __islocal: 1, name: 'new-row-1', idx: 3, item: 'C', cost: 7 }],
  });

  it('fixture: a Sales User cannot change internal_margin; a Sales Manager can', () => {
    const storedOrder = order();
    const changed = { ...storedOrder, internal_margin: 50, customer: 'Globex' };
    const asUser = resetUnwritable(salesOrder, salesUser, changed, { stored: storedOrder });
    expect(asUser.internal_margin).toBe(12);
    expect(asUser.customer).toBe('Globex');
    expect(resetUnwritable(salesOrder, salesManager, changed, { stored: storedOrder })).toBe(changed);
  });

  it('existing document: level-1 values go back to the stored ones, in the parent and matched rows', () => {
    const out = resetUnwritable(deal, seller, incoming, { stored }, { childDoctypes: children, rowDefaults: () => ({ cost: 0 }) });
    expect(out.title).toBe('Bigger');
    expect(out.margin).toBe(30);
    const lines = out.lines as Record<string, unknown>[];
    expect(lines.map((l) => [l.item, l.cost])).toEqual([['A2', 10], ['B', 20], ['C', 0]]);
    // The unchanged row keeps its identity.
    expect(lines[1]).toBe((incoming.lines as unknown[])[1]);
  });

  it('a row with a name that is not stored keeps its values (Frappe returns early)', () => {
    const ghost = { ...stored, lines: [{ name: 'zz', item: 'Q', cost: 5 }] };
    const out = resetUnwritable(deal, seller, ghost, { stored }, { childDoctypes: children });
    expect((out.lines as Record<string, unknown>[])[0]!.cost).toBe(5);
  });

  it('new document: level-1 values take the new-document defaults; rows are not reset', () => {
    const fresh = { doctype: 'Deal', __islocal: 1, title: 'X', margin: 80, lines: [{ item: 'A', cost: 3 }] };
    const out = resetUnwritable(deal, seller, fresh, { defaults: { margin: 5 } }, { childDoctypes: children });
    expect(out.margin).toBe(5);
    expect((out.lines as Record<string, unknown>[])[0]!.cost).toBe(3);
    // A field absent from the defaults becomes null (frappe.new_doc has None there).
    expect(resetUnwritable(deal, seller, fresh, { defaults: {} }).margin).toBeNull();
  });

  it('writers, Administrator and ignored fields are untouched; a no-op returns the input', () => {
    expect(resetUnwritable(deal, boss, incoming, { stored }, { childDoctypes: children })).toBe(incoming);
    expect(resetUnwritable(deal, admin, incoming, { stored }, { childDoctypes: children })).toBe(incoming);
    expect(resetUnwritable(deal, seller, incoming, { stored }, { ignoreFields: ['margin', 'cost'], childDoctypes: children })).toBe(incoming);
    expect(resetUnwritable(deal, seller, stored, { stored }, { childDoctypes: children })).toBe(stored);
  });

  it('readers of a level still cannot write it', () => {
    expect(resetUnwritable(deal, auditor, incoming, { stored }).margin).toBe(30);
  });
});
