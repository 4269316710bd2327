/**
 * Issue 14 Frappe's source (User Permissions): a Sales User restricted to one customer creates, reads, changes and lists only
 * what that restriction allows, through run(), as Frappe's `has_user_permission` and `get_list` apply it.
 */
import { describe, expect, it } from 'vitest';
import type { UserPermissions } from '../../src/permissions/types';
import { appEngine, seed, ORDER, SALES_USER, ADMIN } from './helpers';

const RESTRICTED: Record<string, UserPermissions> = { [SALES_USER.name]: { Customer: [{ doc: 'Acme' }] } };

async function setup() {
  const engine = appEngine({ resolveUserPermissions: (name: string) => RESTRICTED[name] ?? {} });
  await seed(engine);
  const other = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'South' } }, user: ADMIN });
  expect(other.error).toBeNull();
  const mine = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: ADMIN });
  const theirs = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, customer: 'South' } }, user: ADMIN });
  expect(mine.error).toBeNull();
  expect(theirs.error).toBeNull();
  return { engine, mine: mine.docname!, theirs: theirs.docname! };
}

describe('User Permissions in runs', () => {
  it('create with a Link value outside the restriction is refused, naming the field', async () => {
    const { engine } = await setup();
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, customer: 'South' } }, user: SALES_USER });
    expect(r.error?.code).toBe('PERMISSION_DENIED');
    expect(r.error?.issues[0]).toMatchObject({ code: 'USER_PERMISSION', field: 'customer' });
    const ok = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: SALES_USER });
    expect(ok.error).toBeNull();
  });

  it('select lists only allowed documents (also under the caller\'s own filter); takeone of another is refused', async () => {
    const { engine, mine, theirs } = await setup();
    const list = await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: SALES_USER });
    expect(list.output!.data.map((d) => d.name)).toEqual([mine]);
    const filtered = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { where: { customer: 'South' } }, user: SALES_USER });
    expect(filtered.output!.data).toEqual([]);
    const customers = await engine.run({ operation: 'select', source_doctype: 'Customer', user: SALES_USER });
    expect(customers.output!.data.map((d) => d.name)).toEqual(['Acme']);
    const one = await engine.run({ operation: 'takeone', source_doctype: 'Sales Order', input: { data: { name: theirs } }, user: SALES_USER });
    expect(one.error?.code).toBe('PERMISSION_DENIED');
    const byQuery = await engine.run({ operation: 'takeone', source_doctype: 'Sales Order', query: { where: { customer: 'South' } }, user: SALES_USER });
    expect(byQuery.success).toBe(false);
  });

  it('updating another customer\'s order, or moving an own order to another customer, is refused; Administrator is never restricted', async () => {
    const { engine, mine, theirs } = await setup();
    const other = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: theirs, notes: 'x' } }, user: SALES_USER });
    expect(other.error?.code).toBe('PERMISSION_DENIED');
    const move = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: mine, customer: 'South' } }, user: SALES_USER });
    expect(move.error?.code).toBe('PERMISSION_DENIED');
    const admin = await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: ADMIN });
    expect(admin.output!.data).toHaveLength(2);
  });
});
