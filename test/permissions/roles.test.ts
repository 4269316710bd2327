import { describe, expect, it } from 'vitest';
import { effectiveRoles, isAdministrator, isGuest } from '../../src/permissions';
import { rolePermissions } from '../../src/permissions';
import { doctype } from './helpers';

describe('effectiveRoles (get_roles, `frappe/permissions.py`)', () => {
  it.each([
    ['Guest gets only Guest', { name: 'Guest', roles: ['Sales User'] }, ['Guest']],
    ['an empty name is the anonymous session', { name: '', roles: [] }, ['Guest']],
    ['a logged-in user gets All and Guest added', { name: 'u', roles: ['Sales User'] }, ['Sales User', 'All', 'Guest']],
    // Frappe excludes AUTOMATIC_ROLES from Has Role rows: an assigned 'Administrator' role is not honoured.
    ['automatic roles in Has Role are dropped', { name: 'u', roles: ['Administrator', 'All', 'X'] }, ['X', 'All', 'Guest']],
    ['Desk User is kept (the caller vouches the user is a System User)', { name: 'u', roles: ['Desk User'] }, ['Desk User', 'All', 'Guest']],
    ['Administrator', { name: 'Administrator', roles: [] }, ['Administrator', 'All', 'Guest']],
  ])('%s', (_label, user, expected) => {
    expect([...effectiveRoles(user)].sort()).toEqual([...expected].sort());
  });

  it('identifies Administrator by name only', () => {
    expect(isAdministrator({ name: 'Administrator', roles: [] })).toBe(true);
    expect(isAdministrator({ name: 'eve', roles: ['Administrator'] })).toBe(false);
    expect(isGuest({ name: 'Guest', roles: [] })).toBe(true);
    expect(isGuest({ name: 'eve', roles: ['Guest'] })).toBe(false);
  });

  it('an Administrator role on another user grants nothing a row for Administrator gives', () => {
    const dt = doctype({ name: 'Secret', permissions: [{ role: 'Administrator', read: 1, write: 1 }] });
    expect(rolePermissions(dt, { name: 'eve', roles: ['Administrator'] }).read).toBe(0);
  });

  it('Guest rows apply to everyone, All rows only to logged-in users', () => {
    const dt = doctype({
      name: 'Blog Post',
      permissions: [{ role: 'Guest', read: 1 }, { role: 'All', write: 1 }],
    });
    const anon = rolePermissions(dt, { name: 'Guest', roles: [] });
    const member = rolePermissions(dt, { name: 'u', roles: [] });
    expect([anon.read, anon.write]).toEqual([1, 0]);
    expect([member.read, member.write]).toEqual([1, 1]);
  });
});
