import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasPermission, RIGHTS } from '../../src/permissions';
import type { PermissionType } from '../../src/schema/types';
import { doctype } from './helpers';

const ROLES = ['A', 'B', 'C', 'All', 'Guest'] as const;
const row = fc.record({
  role: fc.constantFrom(...ROLES),
  permlevel: fc.constantFrom(0, 0, 1),
  if_owner: fc.constantFrom(0, 0, 1),
  read: fc.constantFrom(0, 1), write: fc.constantFrom(0, 1), create: fc.constantFrom(0, 1),
  delete: fc.constantFrom(0, 1), submit: fc.constantFrom(0, 1), share: fc.constantFrom(0, 1),
});
const setup = fc.record({
  rows: fc.array(row, { maxLength: 6 }),
  roles: fc.subarray(['A', 'B', 'C']),
  extra: fc.constantFrom('A', 'B', 'C'),
  ptype: fc.constantFrom<PermissionType>(...RIGHTS),
  owner: fc.boolean(),
});

describe('permission invariants (property tests)', () => {
  it('adding a role never removes a right (rights are a union over rows)', () => {
    fc.assert(fc.property(setup, ({ rows, roles, extra, ptype, owner }) => {
      const dt = doctype({ name: 'T', is_submittable: 1, permissions: rows });
      const doc = { name: 'd', owner: owner ? 'u' : 'someone' };
      for (const opts of [{}, { doc }]) {
        const before = hasPermission(dt, ptype, { name: 'u', roles }, opts).allowed;
        const after = hasPermission(dt, ptype, { name: 'u', roles: [...roles, extra] }, opts).allowed;
        if (before) expect(after).toBe(true);
      }
    }));
  });

  it('hooks never grant, and a user without matching rows gets nothing', () => {
    fc.assert(fc.property(setup, ({ rows, roles, ptype }) => {
      const dt = doctype({ name: 'T', is_submittable: 1, permissions: rows });
      const doc = { name: 'd', owner: 'u' };
      const plain = hasPermission(dt, ptype, { name: 'u', roles }, { doc }).allowed;
      expect(hasPermission(dt, ptype, { name: 'u', roles }, { doc, hooks: [() => true] }).allowed).toBe(plain);
      const applies = rows.some((r) => r.permlevel === 0 && (r.role === 'All' || r.role === 'Guest' || roles.includes(r.role)));
      if (!applies) expect(plain).toBe(false);
    }));
  });
});
