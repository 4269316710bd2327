/**
 * Issue 14 `frappe/model/document.py`: identity is not assumed. An engine without `user` runs as Guest; `resolveUser` makes the
 * engine, not the request, decide roles; an agent never holds a role its user lacks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import { GUEST_USER, userRolesFromStorage } from '../../src/run/identity';
import { memoryAdapter } from '../../src/storage/memory';
import { sharedRoot } from '../helpers/paths';
import { ADMIN, appDoctypes, appEngine, MANAGER, ORDER, seed, SALES_USER } from './helpers';

const core = (doctype: string) => JSON.parse(readFileSync(path.join(sharedRoot, 'frappe-apps/frappe/frappe/core/doctype', doctype, `${doctype}.json`), 'utf8'));

describe('identity', () => {
  it('an engine without user runs as Guest: no roles, no Administrator bypass', async () => {
    const engine = createEngine({ doctypes: appDoctypes(), adapter: memoryAdapter() });
    const r = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } } });
    expect(r.owner).toBe('Guest');
    expect(r.error?.code).toBe('PERMISSION_DENIED');
    const read = await engine.run({ operation: 'select', source_doctype: 'Customer' });
    expect(read.error?.code).toBe('PERMISSION_DENIED');
    // A request may not make Guest hold roles.
    const claimed = await engine.run({ operation: 'select', source_doctype: 'Customer', user: { name: 'Guest', roles: ['Sales Manager'] } });
    expect(claimed.error?.code).toBe('PERMISSION_DENIED');
    expect(GUEST_USER).toEqual({ name: 'Guest', roles: ['Guest'] });
  });

  it('Administrator only when given explicitly', async () => {
    const engine = createEngine({ doctypes: appDoctypes(), adapter: memoryAdapter(), user: ADMIN });
    const r = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } } });
    expect(r.error).toBeNull();
    expect(r.owner).toBe('Administrator');
  });

  it('with resolveUser the request\'s roles are ignored (sync and async resolvers)', async () => {
    const directory: Record<string, string[]> = { Administrator: [], [SALES_USER.name]: ['Sales User'], [MANAGER.name]: ['Sales Manager'] };
    for (const resolveUser of [(n: string) => directory[n], async (n: string) => directory[n]]) {
      const engine = appEngine({ resolveUser });
      await seed(engine);
      const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: SALES_USER });
      expect(created.error).toBeNull();
      // The Sales User claims Sales Manager: the engine's directory says otherwise, so submit is refused.
      const claim = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } }, user: { name: SALES_USER.name, roles: ['Sales Manager'] } });
      expect(claim.error?.code).toBe('PERMISSION_DENIED');
      // The manager needs no roles in the request.
      const ok = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } }, user: { name: MANAGER.name, roles: [] } });
      expect(ok.error).toBeNull();
      // An unknown user is refused with a typed code.
      const ghost = await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: { name: 'ghost@x.com', roles: ['Sales Manager'] } });
      expect(ghost.error?.code).toBe('USER_RESOLUTION');
    }
  });

  it('a failing resolver fails the run with USER_RESOLUTION, not INTERNAL; a non-function is ENGINE_CONFIG', async () => {
    const engine = appEngine({ resolveUser: () => { throw new Error('directory down'); } });
    const r = await engine.run({ operation: 'select', source_doctype: 'Customer' });
    expect(r.error?.code).toBe('USER_RESOLUTION');
    expect(r.error?.message).toContain('directory down');
    expect(() => appEngine({ resolveUser: 'yes' as never })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  });

  it('userRolesFromStorage reads the stored User and its Has Role rows (a disabled user is unknown)', async () => {
    const adapter = memoryAdapter();
    const engine = createEngine({ doctypes: [...appDoctypes(), ...['user', 'has_role', 'user_email', 'block_module', 'defaultvalue', 'user_social_login', 'user_role_profile'].map(core)], adapter, user: ADMIN, resolveUser: userRolesFromStorage(adapter) });
    const jane = await engine.run({ operation: 'create', target_doctype: 'User', input: { data: { email: 'jane@x.com', first_name: 'Jane', roles: [{ role: 'Sales Manager' }] } } });
    expect(jane.error).toBeNull();
    const off = await engine.run({ operation: 'create', target_doctype: 'User', input: { data: { email: 'off@x.com', first_name: 'Off', roles: [{ role: 'Sales Manager' }] } } });
    expect(off.error).toBeNull();
    // `enabled` is read-only in the form; the site disables a user outside the document's input.
    const stored = (await adapter.get('User', off.docname!))!;
    await adapter.update('User', { ...stored, enabled: 0 }, stored.modified as string);
    const asJane = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } }, user: { name: 'jane@x.com', roles: [] } });
    expect(asJane.error).toBeNull();
    const asOff = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Beta' } }, user: { name: 'off@x.com', roles: ['Sales Manager'] } });
    expect(asOff.error?.code).toBe('USER_RESOLUTION');
  });
});

describe('agents hold their user\'s roles or fewer', () => {
  const BOTH = { name: 'both@x.com', roles: ['Sales User', 'Sales Manager'] };

  it('agent_roles beyond the user\'s are refused; within them they narrow the agent', async () => {
    const engine = appEngine();
    await seed(engine);
    const claim = await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: SALES_USER, agent: 'bot', agent_roles: ['Sales Manager'] });
    expect(claim.error?.code).toBe('PERMISSION_DENIED');
    expect(claim.error?.message).toContain('Sales Manager');
    const orphan = await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: SALES_USER, agent_roles: ['Sales User'] });
    expect(orphan.error?.code).toBe('INVALID_RUN');
    // An agent limited to Sales User may create but not submit, though its user could.
    const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: BOTH, agent: 'bot', agent_roles: ['Sales User'] });
    expect(created.error).toBeNull();
    const submit = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } }, user: BOTH, agent: 'bot', agent_roles: ['Sales User'] });
    expect(submit.error?.code).toBe('PERMISSION_DENIED');
    const byUser = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } }, user: BOTH });
    expect(byUser.error).toBeNull();
  });

  it('the limit follows the agent into child runs, also when resolveUser decides roles', async () => {
    const engine = appEngine({
      resolveUser: (n: string) => (n === BOTH.name ? BOTH.roles : n === ADMIN.name ? [] : null),
      operations: { submit_it: { handle: async (ctx) => {
        const child = await ctx.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: ctx.request.input?.data?.name } } }, { failParent: false });
        return { meta: { child: child.error?.code ?? 'ok' } };
      } } },
    });
    await seed(engine);
    const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: BOTH });
    const viaAgent = await engine.run({ operation: 'submit_it', input: { data: { name: created.docname } }, user: BOTH, agent: 'bot', agent_roles: ['Sales User'] });
    expect(viaAgent.output?.meta.child).toBe('PERMISSION_DENIED');
    const viaUser = await engine.run({ operation: 'submit_it', input: { data: { name: created.docname } }, user: BOTH });
    expect(viaUser.output?.meta.child).toBe('ok');
  });
});
