import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { docPermissions, hasPermission, requiredRights } from '../../src/permissions';
import type { DocAction } from '../../src/permissions';
import type { PermissionType } from '../../src/schema/types';
import {
  admin, corpusDoctype, doctype, guest, nobody, order, salesManager, salesOrder, salesOrderChildren, salesOrderItem, salesUser,
} from './helpers';

const can = (user: typeof salesUser, action: DocAction, doc = order()) =>
  requiredRights(action).every((ptype) => hasPermission(salesOrder, ptype, user, { doc }).allowed);

describe('requiredRights (`frappe/model/document.py`, `frappe/model/delete_doc.py`)', () => {
  it.each([
    ['create', ['create']], ['read', ['read']], ['update', ['write']], ['submit', ['write', 'submit']],
    ['cancel', ['write', 'cancel']], ['amend', ['create', 'amend']], ['delete', ['delete']],
    ['update_after_submit', ['write', 'submit']], ['discard', ['write']],
  ] as const)('%s needs %j', (action, rights) => {
    expect(requiredRights(action)).toEqual(rights);
  });

  it('submit and cancel need write too: a role with submit/cancel but no write cannot do them', () => {
    const dt = doctype({ name: 'T', is_submittable: 1, permissions: [{ role: 'R', read: 1, submit: 1, cancel: 1 }] });
    const u = { name: 'u', roles: ['R'] };
    const ok = (a: DocAction) => requiredRights(a).every((p) => hasPermission(dt, p, u).allowed);
    expect(ok('submit')).toBe(false);
    expect(ok('cancel')).toBe(false);
  });
});

describe('fixture Sales Order: Sales User vs Sales Manager', () => {
  it.each([
    ['create', true, true], ['read', true, true], ['update', true, true],
    ['submit', false, true], ['cancel', false, true], ['amend', false, true], ['delete', false, true],
  ] as const)('%s: Sales User %s, Sales Manager %s', (action, user, manager) => {
    expect(can(salesUser, action)).toBe(user);
    expect(can(salesManager, action)).toBe(manager);
  });

  it('a user without roles can do nothing, with Frappe\'s reason', () => {
    const r = hasPermission(salesOrder, 'read', nobody);
    expect(r).toEqual({
      allowed: false,
      reason: 'User nobody@example.com does not have doctype access via role permission for document Sales Order',
    });
    expect(hasPermission(salesOrder, 'read', nobody, { doc: order() }).reason).toBe(
      'User nobody@example.com does not have access to this document',
    );
  });

  it('Administrator may do anything, even on a DocType without rows', () => {
    expect(hasPermission(salesOrderItem, 'delete', admin)).toEqual({ allowed: true, via: 'administrator' });
    expect(hasPermission(salesOrder, 'import', admin).allowed).toBe(true);
  });

  it('Guest has nothing here', () => {
    expect(hasPermission(salesOrder, 'read', guest).allowed).toBe(false);
  });
});

describe('DocType-level checks (`frappe/permissions.py`)', () => {
  const dt = doctype({ name: 'Plain', permissions: [{ role: 'R', read: 1, submit: 1, import: 1 }] });
  const u = { name: 'u', roles: ['R'] };
  it.each<[PermissionType, boolean, string | undefined]>([
    ['read', true, undefined],
    ['submit', false, 'Document Type is not submittable'],
    ['import', false, 'Document Type is not importable'],
  ])('%s → %s', (ptype, allowed, reason) => {
    const r = hasPermission(dt, ptype, u);
    expect(r.allowed).toBe(allowed);
    expect(r.reason).toBe(reason);
  });
});

describe('if_owner on documents (`frappe/permissions.py`)', () => {
  const note = corpusDoctype('frappe-current', 'Note');
  const d = { name: 'd@example.com', roles: ['Desk User'] };
  const mine = { doctype: 'Note', name: 'N1', owner: 'D@Example.com' }; // owner match is case-insensitive
  const theirs = { doctype: 'Note', name: 'N2', owner: 'other@example.com' };

  it.each<[PermissionType, boolean, boolean]>([
    ['read', true, true], ['write', true, false], ['delete', true, false], ['share', true, false], ['email', true, false],
    ['export', true, true],
  ])('%s: owner %s, non-owner %s', (ptype, own, other) => {
    expect(hasPermission(note, ptype, d, { doc: mine }).allowed).toBe(own);
    expect(hasPermission(note, ptype, d, { doc: theirs }).allowed).toBe(other);
  });

  it('without a document an if_owner-only right other than select/read is not granted', () => {
    expect(hasPermission(note, 'write', d).allowed).toBe(false);
    expect(hasPermission(note, 'create', d).allowed).toBe(true);
  });
});

describe('hooks (has_permission hooks can only deny)', () => {
  it('any non-true return denies; all hooks run last first', () => {
    const calls: string[] = [];
    const yes = () => (calls.push('yes'), true);
    const undecided = () => (calls.push('undecided'), undefined);
    expect(hasPermission(salesOrder, 'read', salesUser, { doc: order(), hooks: [yes, yes] }).allowed).toBe(true);
    calls.length = 0;
    const r = hasPermission(salesOrder, 'read', salesUser, { doc: order(), hooks: [undecided, yes] });
    expect(calls).toEqual(['yes', 'undecided']);
    expect(r.allowed).toBe(false);
    expect(r.reason).toMatch(/^Not allowed via controller permission check\n/);
  });

  it('a hook cannot grant what roles do not', () => {
    expect(hasPermission(salesOrder, 'submit', salesUser, { doc: order(), hooks: [() => true] }).allowed).toBe(false);
  });

  it('hooks receive the document, the right and the user', () => {
    const seen: unknown[] = [];
    hasPermission(salesOrder, 'write', salesUser, { doc: order(), hooks: [(doc, ptype, user) => (seen.push(doc.name, ptype, user.name), true)] });
    expect(seen).toEqual(['SO-2024-00001', 'write', 'su@example.com']);
  });
});

describe('User Permissions inside hasPermission (`frappe/permissions.py`.5)', () => {
  const restricted = { Customer: [{ doc: 'Globex' }] };

  it('a document linking to a non-allowed Customer is denied with Frappe\'s message', () => {
    const r = hasPermission(salesOrder, 'read', salesManager, { doc: order(), userPermissions: restricted, childDoctypes: salesOrderChildren });
    expect(r.allowed).toBe(false);
    expect(r.reason?.split('\n')[0]).toBe(
      "You are not allowed to access this Sales Order record because it is linked to Customer 'ACME' in field Customer",
    );
  });

  it('allowed when the link is allowed', () => {
    const ok = { Customer: [{ doc: 'ACME' }] };
    expect(hasPermission(salesOrder, 'write', salesManager, { doc: order(), userPermissions: ok }).allowed).toBe(true);
  });

  it('an owner denied by User Permissions keeps only if_owner rights, never create', () => {
    const dt = doctype({
      name: 'Claim',
      fields: [{ fieldname: 'customer', fieldtype: 'Link', options: 'Customer', label: 'Customer' }],
      permissions: [{ role: 'R', read: 1, create: 1 }, { role: 'R', if_owner: 1, write: 1 }],
    });
    const u = { name: 'u', roles: ['R'] };
    const doc = { doctype: 'Claim', name: 'C1', owner: 'u', customer: 'ACME' };
    const rights = docPermissions(dt, u, doc, 'read', { userPermissions: restricted });
    expect(rights).toEqual({ write: 1, create: 0 });
    expect(hasPermission(dt, 'read', u, { doc, userPermissions: restricted }).allowed).toBe(false);
    expect(hasPermission(dt, 'write', u, { doc, userPermissions: restricted }).allowed).toBe(true);
    expect(docPermissions(dt, u, { ...doc, owner: 'x' }, 'read', { userPermissions: restricted })).toEqual({});
  });
});

describe('sharing fallback (`frappe/permissions.py`)', () => {
  it('a shared document grants the shared right; email and print follow a read share', () => {
    const doc = order();
    const r = hasPermission(salesOrder, 'write', nobody, { doc, shared: { write: true } });
    expect(r).toEqual({ allowed: true, via: 'share' });
    expect(hasPermission(salesOrder, 'print', nobody, { doc, shared: { read: 1 } }).allowed).toBe(true);
    expect(hasPermission(salesOrder, 'email', nobody, { doc, shared: { write: 1 } }).allowed).toBe(false);
  });

  it('never delete, cancel or create', () => {
    const all = { read: true, write: true, share: true, submit: true };
    for (const ptype of ['delete', 'cancel', 'create', 'amend'] as const) {
      expect(hasPermission(salesOrder, ptype, nobody, { doc: order(), shared: all }).allowed).toBe(false);
    }
  });

  it('can be ignored, and share can be disabled globally', () => {
    expect(hasPermission(salesOrder, 'read', nobody, { shared: { read: true }, ignoreSharePermissions: true }).allowed).toBe(false);
    expect(hasPermission(salesOrder, 'read', nobody, { shared: { read: true } }).allowed).toBe(true);
    expect(hasPermission(salesOrder, 'share', salesManager, { disableSharing: true }).allowed).toBe(false);
  });
});

describe('child DocTypes defer to the parent (has_child_permission)', () => {
  const row = order().items as Record<string, unknown>[];
  const r1 = row[0]!;

  it('needs a parent DocType holding a Table field for it', () => {
    expect(hasPermission(salesOrderItem, 'read', salesUser).reason).toBe('Please specify a valid parent DocType for Sales Order Item');
    expect(hasPermission(salesOrderItem, 'read', salesUser, { parentDoctype: salesOrderItem }).reason).toBe(
      'Sales Order Item is not a valid parent DocType for Sales Order Item',
    );
  });

  it('then asks the parent: same ptype, same user', () => {
    expect(hasPermission(salesOrderItem, 'write', salesUser, { parentDoctype: salesOrder }).allowed).toBe(true);
    expect(hasPermission(salesOrderItem, 'delete', salesUser, { parentDoctype: salesOrder }).allowed).toBe(false);
  });

  it('with a row: parentfield must be a valid Table field, and the parent document decides', () => {
    const parentDoc = order('someone-else');
    expect(hasPermission(salesOrderItem, 'write', salesUser, { doc: r1, parentDoctype: salesOrder, parentDoc }).allowed).toBe(true);
    expect(hasPermission(salesOrderItem, 'write', salesUser, { doc: { ...r1, parentfield: 'taxes' }, parentDoctype: salesOrder, parentDoc }).reason)
      .toBe('taxes is not a valid parentfield for Sales Order Item');
    expect(hasPermission(salesOrderItem, 'write', salesUser, { doc: { ...r1, parentfield: undefined }, parentDoctype: salesOrder, parentDoc }).reason)
      .toBe('Parentfield not specified in Sales Order Item: r1');
  });

  it('user permissions on the parent document apply to its rows', () => {
    const parentDoc = order();
    const userPermissions = { Item: [{ doc: 'WIDGET' }] };
    const r = hasPermission(salesOrderItem, 'read', salesUser, {
      doc: r1, parentDoctype: salesOrder, parentDoc, userPermissions, childDoctypes: salesOrderChildren,
    });
    expect(r.allowed).toBe(false);
    expect(r.reason?.split('\n')[0]).toBe(
      "You are not allowed to access this Sales Order Item record because it is linked to Item 'GADGET' in row 2, field Item",
    );
  });

  it('a Table field at a higher permlevel needs that level for the ptype', () => {
    const child = doctype({ name: 'Margin Row', istable: 1, fields: [{ fieldname: 'x', fieldtype: 'Data' }] });
    const parent = doctype({
      name: 'Deal',
      fields: [{ fieldname: 'margins', fieldtype: 'Table', options: 'Margin Row', permlevel: 1 }],
      permissions: [{ role: 'R', read: 1, write: 1 }, { role: 'M', read: 1, write: 1 }, { role: 'M', permlevel: 1, read: 1 }],
    });
    const parentDoc = { doctype: 'Deal', name: 'D1', owner: 'x' };
    const row = { doctype: 'Margin Row', name: 'm1', parenttype: 'Deal', parentfield: 'margins' };
    const ask = (roles: string[], ptype: PermissionType) =>
      hasPermission(child, ptype, { name: 'u', roles }, { doc: row, parentDoctype: parent, parentDoc });
    expect(ask(['R'], 'read').reason).toBe('Insufficient Permission Level for Deal');
    expect(ask(['M'], 'read').allowed).toBe(true);
    expect(ask(['M'], 'write').allowed).toBe(false);
  });

  it('caller mistakes are typed errors', () => {
    expect(() => hasPermission(salesOrderItem, 'read', salesUser, { doc: r1, parentDoctype: salesOrder })).toThrow(
      expect.objectContaining({ code: 'PERM_PARENT_DOC_REQUIRED' }),
    );
    const customerDt = doctype({ name: 'Customer' });
    let caught: unknown;
    try {
      hasPermission(salesOrderItem, 'read', salesUser, { doc: r1, parentDoctype: customerDt, parentDoc: {} });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CoworkerError);
    expect((caught as CoworkerError).code).toBe('PERM_PARENT_MISMATCH');
  });
});
