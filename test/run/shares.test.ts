/**
 * Issue 14 (sharing): DocShare read / write / submit / share per user and for `everyone`, applied by run() as
 * Frappe's `has_permission` sharing fallback and `get_list`'s shared documents do; the `share` / `unshare`
 * operations (Frappe's `frappe.share.add` / `remove`). A permission matrix on every adapter.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/engine';
import type { StorageAdapter } from '../../src/storage/types';
import { memoryAdapter } from '../../src/storage/memory';
import { ADMIN } from './helpers';
import { everyAdapter } from './every-adapter';
import { REGIONS, SEC_CUSTOMER, SEC_ORDER, SEC_ORDER_LINE, SEC_REGION, SECURITY_DOCTYPES } from './security-doctypes';

/** No role on Sec Order at all: everything comes from shares. */
const OUTSIDER = { name: 'outsider@x.com', roles: ['Nobody'] };
const SALES = { name: 'sales@x.com', roles: ['Sec User'] };
const OWNER_ONLY = { name: 'owner@x.com', roles: ['Sec Owner'] };

async function world(adapter: StorageAdapter): Promise<Engine> {
  const engine = createEngine({ doctypes: SECURITY_DOCTYPES, adapter, user: ADMIN, unknownLinks: 'skip' });
  const must = async (doctype: string, data: Record<string, unknown>, user = ADMIN) => {
    const r = await engine.run({ operation: 'create', target_doctype: doctype, input: { data }, user });
    if (!r.success) throw new Error(`${doctype}: ${r.error?.message}`);
  };
  for (const region of REGIONS) await must('Sec Region', region);
  await must('Sec Customer', { customer_name: 'Acme' });
  await must('Sec Customer', { customer_name: 'Beta' });
  await must('Sec Order', { title: 'o-1', customer: 'Acme', margin: 3 });
  await must('Sec Order', { title: 'o-2', customer: 'Beta' });
  await must('Sec Order', { title: 'o-3', customer: 'Beta' });
  await must('Sec Order', { title: 'own-1' }, OWNER_ONLY);
  return engine;
}

const share = (engine: Engine, name: string, data: Record<string, unknown>, user: typeof ADMIN = ADMIN) =>
  engine.run({ operation: 'share', target_doctype: 'Sec Order', input: { data: { name, ...data } }, user });
const list = async (engine: Engine, user: typeof ADMIN) => {
  const r = await engine.run({ operation: 'select', source_doctype: 'Sec Order', user, query: { orderBy: [{ name: 'asc' }] } });
  return r.success ? r.output!.data.map((d) => d.name) : r.error!.code;
};
const take = (engine: Engine, name: string, user: typeof ADMIN) => engine.run({ operation: 'takeone', source_doctype: 'Sec Order', input: { data: { name } }, user });
const update = (engine: Engine, name: string, user: typeof ADMIN, data: Record<string, unknown> = { notes: 'n' }) =>
  engine.run({ operation: 'update', target_doctype: 'Sec Order', input: { data: { name, ...data } }, user });

describe.each(everyAdapter('shares'))('DocShare on %s', (_kind, make) => {
  it('a user without any role reads, lists and changes exactly what is shared, right by right', async () => {
    const engine = await world(await make());
    expect(await list(engine, OUTSIDER)).toBe('PERMISSION_DENIED');
    expect((await take(engine, 'o-1', OUTSIDER)).error?.code).toBe('PERMISSION_DENIED');
    expect((await share(engine, 'o-1', { user: OUTSIDER.name })).error).toBeNull();
    // read: takeone and select (level-0 fields only: margin is permlevel 1), nothing else
    const one = await take(engine, 'o-1', OUTSIDER);
    expect(one.error).toBeNull();
    expect(one.output!.data[0]).toMatchObject({ name: 'o-1', customer: 'Acme' });
    expect(one.output!.data[0]).not.toHaveProperty('margin');
    expect(one.output!.fields).toContain('customer');
    expect(await list(engine, OUTSIDER)).toEqual(['o-1']);
    const filtered = await engine.run({ operation: 'select', source_doctype: 'Sec Order', user: OUTSIDER, query: { where: { customer: 'Acme' } } });
    expect(filtered.output!.data.map((d) => d.name)).toEqual(['o-1']);
    expect((await take(engine, 'o-2', OUTSIDER)).error?.code).toBe('PERMISSION_DENIED');
    expect((await update(engine, 'o-1', OUTSIDER)).error?.code).toBe('PERMISSION_DENIED');
    // write
    expect((await share(engine, 'o-1', { user: OUTSIDER.name, write: 1 })).error).toBeNull();
    expect((await update(engine, 'o-1', OUTSIDER)).error).toBeNull();
    expect((await engine.run({ operation: 'submit', target_doctype: 'Sec Order', input: { data: { name: 'o-1' } }, user: OUTSIDER })).error?.code).toBe('PERMISSION_DENIED');
    // submit
    expect((await share(engine, 'o-1', { user: OUTSIDER.name, write: 1, submit: 1 })).error).toBeNull();
    expect((await engine.run({ operation: 'submit', target_doctype: 'Sec Order', input: { data: { name: 'o-1' } }, user: OUTSIDER })).error).toBeNull();
    // cancel and delete are never shared
    expect((await engine.run({ operation: 'cancel', target_doctype: 'Sec Order', input: { data: { name: 'o-1' } }, user: OUTSIDER })).error?.code).toBe('PERMISSION_DENIED');
    expect((await engine.run({ operation: 'delete', target_doctype: 'Sec Order', input: { data: { name: 'o-2' } }, user: OUTSIDER })).error?.code).toBe('PERMISSION_DENIED');
    // One DocShare per user and document, updated in place; read always on.
    const rows = await engine.adapter.query('DocShare', {});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user: OUTSIDER.name, share_doctype: 'Sec Order', share_name: 'o-1', read: 1, write: 1, submit: 1, share: 0, everyone: 0 });
  });

  it('everyone shares reach every user but Guest; unshare takes the access away', async () => {
    const engine = await world(await make());
    expect((await share(engine, 'o-2', { everyone: 1 })).error).toBeNull();
    expect(await list(engine, OUTSIDER)).toEqual(['o-2']);
    expect(await list(engine, { name: 'someone@x.com', roles: [] })).toEqual(['o-2']);
    expect((await take(engine, 'o-2', { name: 'Guest', roles: ['Guest'] })).error?.code).toBe('PERMISSION_DENIED');
    const un = await engine.run({ operation: 'unshare', target_doctype: 'Sec Order', input: { data: { name: 'o-2', everyone: 1 } }, user: ADMIN });
    expect(un.error).toBeNull();
    expect(un.output!.meta.count).toBe(1);
    expect(await list(engine, OUTSIDER)).toBe('PERMISSION_DENIED');
  });

  it('shared documents are added to a restricted list: owner-only rights and User Permissions (OR name in shared)', async () => {
    const engine = await world(await make());
    expect(await list(engine, OWNER_ONLY)).toEqual(['own-1']);
    await share(engine, 'o-3', { user: OWNER_ONLY.name });
    expect(await list(engine, OWNER_ONLY)).toEqual(['o-3', 'own-1']);
    expect((await take(engine, 'o-3', OWNER_ONLY)).error).toBeNull();
    // A Sales user restricted to Acme sees Beta's o-2 once it is shared, and may open it (the share comes after User Permissions).
    await engine.run({ operation: 'create', target_doctype: 'User Permission', input: { data: { user: SALES.name, allow: 'Sec Customer', for_value: 'Acme' } } });
    expect(await list(engine, SALES)).toEqual(['o-1', 'own-1']);
    await share(engine, 'o-2', { user: SALES.name, write: 1 });
    expect(await list(engine, SALES)).toEqual(['o-1', 'o-2', 'own-1']);
    expect((await take(engine, 'o-2', SALES)).error).toBeNull();
    expect((await take(engine, 'o-3', SALES)).error?.code).toBe('PERMISSION_DENIED');
    expect((await update(engine, 'o-2', SALES)).error).toBeNull();
  });

  it('sharing needs the share right (by role or by a share of it); a share of share lets a user share further', async () => {
    const engine = await world(await make());
    const refused = await share(engine, 'o-1', { user: OWNER_ONLY.name }, OUTSIDER);
    expect(refused.error).toMatchObject({ code: 'PERMISSION_DENIED', message: 'No permission to share Sec Order o-1' });
    // Sec User has the share right by role.
    expect((await share(engine, 'o-1', { user: OUTSIDER.name, share: 1 }, SALES)).error).toBeNull();
    expect((await share(engine, 'o-1', { user: OWNER_ONLY.name }, OUTSIDER)).error).toBeNull();
    expect((await take(engine, 'o-1', OWNER_ONLY)).error).toBeNull();
    expect((await engine.run({ operation: 'unshare', target_doctype: 'Sec Order', input: { data: { name: 'o-1', user: OUTSIDER.name } }, user: OWNER_ONLY })).error?.code).toBe('PERMISSION_DENIED');
    // The DocShare records themselves are System Manager's (Frappe's DocType permissions): a plain user cannot list them.
    expect((await engine.run({ operation: 'select', source_doctype: 'DocShare', user: SALES })).error?.code).toBe('PERMISSION_DENIED');
    expect((await share(engine, 'nope', { user: OUTSIDER.name })).error?.code).toBe('NOT_FOUND');
    // dry_run checks and writes nothing.
    const before = (await engine.adapter.query('DocShare', {})).length;
    const dry = await engine.run({ operation: 'share', target_doctype: 'Sec Order', input: { data: { name: 'o-2', user: OUTSIDER.name } }, options: { dry_run: true } });
    expect(dry.output!.meta).toMatchObject({ action: 'share', dry_run: true });
    const dryUn = await engine.run({ operation: 'unshare', target_doctype: 'Sec Order', input: { data: { name: 'o-1', user: OWNER_ONLY.name } }, options: { dry_run: true } });
    expect(dryUn.output!.meta).toMatchObject({ count: 1, dry_run: true });
    expect(await engine.adapter.query('DocShare', {})).toHaveLength(before);
  });

  it('the share operation writes the rights DocShare.validate cascades; a DocShare created directly grants them too', async () => {
    const engine = await world(await make());
    const r = await share(engine, 'o-1', { user: OUTSIDER.name, submit: 1 });
    expect(r.output!.data[0]).toMatchObject({ read: 1, write: 1, submit: 1, share: 0 });
    // Created as a document, with submit alone (Frappe's validate would add write and read): listed, readable, writable.
    const direct = { user: OUTSIDER.name, share_doctype: 'Sec Order', share_name: 'o-3', read: 0, write: 0, submit: 1, share: 0, everyone: 0 };
    expect((await engine.run({ operation: 'create', target_doctype: 'DocShare', input: { data: direct } })).error).toBeNull();
    expect(await list(engine, OUTSIDER)).toEqual(['o-1', 'o-3']);
    expect((await take(engine, 'o-3', OUTSIDER)).error).toBeNull();
    expect((await update(engine, 'o-3', OUTSIDER)).error).toBeNull();
  });
});

describe('share without the DocShare DocType', () => {
  it('share is ENGINE_CONFIG; roles alone decide', async () => {
    const engine = createEngine({ doctypes: [SEC_REGION, SEC_CUSTOMER, SEC_ORDER_LINE, SEC_ORDER], adapter: memoryAdapter(), user: ADMIN, unknownLinks: 'skip' });
    await engine.run({ operation: 'create', target_doctype: 'Sec Order', input: { data: { title: 'x' } } });
    expect((await share(engine, 'x', { user: OUTSIDER.name })).error?.code).toBe('ENGINE_CONFIG');
    expect(await list(engine, OUTSIDER)).toBe('PERMISSION_DENIED');
  });
});
