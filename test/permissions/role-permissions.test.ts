import { describe, expect, it } from 'vitest';
import { levelRights, permlevelAccess, RIGHTS, rolePermissions } from '../../src/permissions';
import type { PermissionType } from '../../src/schema/types';
import { admin, corpusDoctype, customer, doctype, nobody, salesManager, salesOrder, salesOrderItem, salesUser } from './helpers';

/** The granted rights of a RolePermissions, as a sorted list (readable diffs). */
function granted(perms: Record<PermissionType, 0 | 1>): PermissionType[] {
  return RIGHTS.filter((r) => perms[r] === 1).sort();
}

describe('rolePermissions: fixture Sales Order (`frappe/permissions.py`)', () => {
  it('Sales User: the union of its level-0 row, no submit / cancel / delete / amend', () => {
    expect(granted(rolePermissions(salesOrder, salesUser))).toEqual(['create', 'email', 'print', 'read', 'report', 'write']);
  });

  it('Sales Manager: its level-0 row only; the level-1 row adds nothing at level 0', () => {
    expect(granted(rolePermissions(salesOrder, salesManager))).toEqual(
      ['amend', 'cancel', 'create', 'delete', 'email', 'export', 'print', 'read', 'report', 'submit', 'write'],
    );
  });

  it('the union over several roles', () => {
    const both = rolePermissions(salesOrder, { name: 'x', roles: ['Sales User', 'Sales Manager'] });
    expect(both.submit).toBe(1);
    expect(both.export).toBe(1);
  });

  it('deny by default: no matching row, no right', () => {
    expect(granted(rolePermissions(salesOrder, nobody))).toEqual([]);
    expect(granted(rolePermissions(salesOrderItem, salesManager))).toEqual([]);
  });

  it('Administrator gets everything except what the DocType makes impossible', () => {
    const all = rolePermissions(salesOrder, admin);
    expect(granted(all)).toEqual(RIGHTS.filter((r) => r !== 'import').sort());
  });
});

describe('rolePermissions: submit and import forced to 0 (`frappe/permissions.py`.3)', () => {
  const rows = [{ role: 'R', read: 1, submit: 1, import: 1 }];
  it.each([
    [{ is_submittable: 0, allow_import: 0 }, 0, 0],
    [{ is_submittable: 1, allow_import: 0 }, 1, 0],
    [{ is_submittable: 0, allow_import: 1 }, 0, 1],
    [{ is_submittable: 1, allow_import: 1 }, 1, 1],
  ])('%o → submit %i, import %i', (props, submit, imp) => {
    const p = rolePermissions(doctype({ name: 'T', permissions: rows, ...props }), { name: 'u', roles: ['R'] });
    expect([p.submit, p.import]).toEqual([submit, imp]);
  });
});

describe('rolePermissions: if_owner (`frappe/permissions.py`)', () => {
  // Real data: Note (frappe/frappe). Desk User reads every Note but writes, deletes, shares and emails only
  // its own; create has no owner, so it is never an if_owner right.
  const note = corpusDoctype('frappe-current', 'Note');
  const deskUser = { name: 'd@example.com', roles: ['Desk User'] };

  it('rights granted only through if_owner rows move into if_owner, 1 for the owner', () => {
    const mine = rolePermissions(note, deskUser, { isOwner: true });
    expect(mine.has_if_owner_enabled).toBe(true);
    expect(mine.if_owner).toEqual({ write: 1, delete: 1, share: 1, email: 1 });
    // Base values: 0 for every if_owner-only right (neither select nor read).
    expect([mine.write, mine.delete, mine.share, mine.email]).toEqual([0, 0, 0, 0]);
  });

  it('0 for a non-owner', () => {
    expect(rolePermissions(note, deskUser, { isOwner: false }).if_owner).toEqual({ write: 0, delete: 0, share: 0, email: 0 });
  });

  it('a right also granted by a plain row is not an if_owner right', () => {
    const p = rolePermissions(note, deskUser);
    expect(p.read).toBe(1);
    expect(p.export).toBe(1);
    expect('read' in p.if_owner).toBe(false);
  });

  it('create stays a base right even when only an if_owner row grants it', () => {
    const p = rolePermissions(note, deskUser, { isOwner: false });
    expect(p.create).toBe(1);
    expect('create' in p.if_owner).toBe(false);
  });

  it('select and read granted only through if_owner keep base 1 so lists open', () => {
    const dt = doctype({ name: 'Diary', permissions: [{ role: 'R', if_owner: 1, select: 1, read: 1, write: 1 }] });
    const p = rolePermissions(dt, { name: 'u', roles: ['R'] }, { isOwner: false });
    expect([p.select, p.read, p.write]).toEqual([1, 1, 0]);
    expect(p.if_owner).toEqual({ select: 0, read: 0, write: 0 });
  });
});

describe('rolePermissions: Custom DocPerm', () => {
  it('non-empty custom rows replace the DocType rows entirely', () => {
    const custom = customer.permissions.map((p) => ({ ...p, role: 'Nobody' }));
    expect(rolePermissions(customer, salesUser).write).toBe(1);
    expect(rolePermissions(customer, salesUser, { customDocPerms: custom }).write).toBe(0);
    expect(rolePermissions(customer, salesUser, { customDocPerms: [] }).write).toBe(1);
  });
});

describe('permlevelAccess (`frappe/permissions.py`, `frappe/model/meta.py`)', () => {
  it.each([
    ['Sales User reads', salesUser, 'read', [0]],
    ['Sales User writes', salesUser, 'write', [0]],
    ['Sales Manager reads', salesManager, 'read', [0, 1]],
    ['Sales Manager writes', salesManager, 'write', [0, 1]],
    ['a user without rows', nobody, 'read', []],
    ['Administrator matches every row', admin, 'write', [0, 1]],
  ] as const)('%s: %s → %j', (_l, user, ptype, levels) => {
    expect([...permlevelAccess(salesOrder, user, ptype)].sort()).toEqual(levels);
  });

  it('levels are not cumulative and if_owner rows count too', () => {
    const dt = doctype({
      name: 'T',
      permissions: [{ role: 'R', read: 1 }, { role: 'R', permlevel: 2, read: 1, if_owner: 1 }],
    });
    expect([...permlevelAccess(dt, { name: 'u', roles: ['R'] }, 'read')].sort()).toEqual([0, 2]);
  });

  it('a child DocType uses its parent rows', () => {
    expect([...permlevelAccess(salesOrderItem, salesManager, 'write', { parentDoctype: salesOrder })].sort()).toEqual([0, 1]);
    expect([...permlevelAccess(salesOrderItem, salesManager, 'write')]).toEqual([]);
  });

  it('real data: Leave Application status (level 1) is readable by every user, writable by approvers', () => {
    const la = corpusDoctype('hrms', 'Leave Application');
    const employee = { name: 'e', roles: ['Employee'] };
    expect(permlevelAccess(la, employee, 'read').has(1)).toBe(true); // via the All row
    expect(permlevelAccess(la, employee, 'write').has(1)).toBe(false);
    expect(permlevelAccess(la, { name: 'a', roles: ['Leave Approver'] }, 'write').has(1)).toBe(true);
  });
});

describe('levelRights (client per-level array)', () => {
  it('one entry per level, union of rows; level 0 records rights without if_owner', () => {
    const levels = levelRights(salesOrder, salesManager);
    expect(levels).toHaveLength(2);
    expect(levels[1]).toMatchObject({ permlevel: 1, read: 1, write: 1 });
    expect(levels[0]!.rights_without_if_owner?.has('submit')).toBe(true);
    const user = levelRights(salesOrder, salesUser);
    expect(user[1]).toEqual({ permlevel: 1 });
  });
});
