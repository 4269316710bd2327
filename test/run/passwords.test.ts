/**
 * Issue 14 (passwords): Password values are stored apart from the document (Frappe's `__Auth`), encrypted with the
 * engine's `encryptionKey` as Frappe's Fernet tokens; every read returns Frappe's mask, `engine.getPassword`
 * decrypts, the mask written back means unchanged. Child rows keep their own secrets. On every adapter.
 */
import { describe, expect, it } from 'vitest';
import { generateFernetKey, importFernetKey, fernetDecrypt } from '../../src/crypto/fernet';
import { createEngine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import { sqliteAdapter } from '../../src/sqlite';
import { ADMIN } from './helpers';
import { everyAdapter } from './every-adapter';
import { sqlJs } from '../storage-sqlite/helpers';

const SERVICE = {
  name: 'Mail Account', module: 'Custom', autoname: 'field:account',
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }, { role: 'Mail Reader', read: 1 }],
  fields: [
    { fieldname: 'account', fieldtype: 'Data', reqd: 1 }, { fieldname: 'secret', fieldtype: 'Password' },
    { fieldname: 'endpoints', fieldtype: 'Table', options: 'Mail Endpoint' },
  ],
};
const ENDPOINT = {
  name: 'Mail Endpoint', module: 'Custom', istable: 1,
  fields: [{ fieldname: 'host', fieldtype: 'Data' }, { fieldname: 'token', fieldtype: 'Password' }],
};
const READER = { name: 'reader@x.com', roles: ['Mail Reader'] };
const KEY = generateFernetKey();

const auth = async (adapter: import('../../src/storage/types').StorageAdapter) => adapter.query('__Auth', {});

describe.each(everyAdapter('passwords'))('Password fields on %s', (_kind, make) => {
  const engineOn = async () => {
    const adapter = await make();
    return { adapter, engine: createEngine({ doctypes: [SERVICE, ENDPOINT], adapter, user: ADMIN, encryptionKey: KEY }) };
  };

  it('never returned by create, select or takeone; getPassword decrypts; the mask keeps it; empty removes it', async () => {
    const { adapter, engine } = await engineOn();
    const created = await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'ops', secret: 'hunter22' } } });
    expect(created.error).toBeNull();
    expect(created.output!.data[0]!.secret).toBe('********');
    const listed = await engine.run({ operation: 'select', source_doctype: 'Mail Account', user: READER });
    expect(listed.output!.data.map((d) => d.secret)).toEqual(['********']);
    const one = await engine.run({ operation: 'takeone', source_doctype: 'Mail Account', input: { data: { name: 'ops' } }, user: READER });
    expect(one.output!.data[0]!.secret).toBe('********');
    expect((await adapter.get('Mail Account', 'ops'))!.secret).toBe('********');
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('hunter22');
    const masked = await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: '*****' } } });
    expect(masked.error).toBeNull();
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('hunter22');
    // The column takes the mask as written, as Frappe's _save_passwords leaves it (test/oracle/claims.oracle.test.ts).
    expect(masked.output!.data[0]!.secret).toBe('*****');
    const changed = await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: 'new' } } });
    expect(changed.output!.data[0]!.secret).toBe('***');
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('new');
    await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: '' } } });
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBeUndefined();
  });

  it('the raw stored value is a Fernet token of the engine key, never the clear text', async () => {
    const { adapter, engine } = await engineOn();
    await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'raw', secret: 'hunter22', endpoints: [{ host: 'a', token: 'tok-1' }] } } });
    const rows = await auth(adapter);
    expect(rows).toHaveLength(2);
    const key = await importFernetKey(KEY);
    for (const row of rows) {
      expect(row.encrypted).toBe(1);
      expect(String(row.password)).not.toMatch(/hunter22|tok-1/);
      expect(String(row.password)).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
      expect(['hunter22', 'tok-1']).toContain(await fernetDecrypt(key, String(row.password)));
    }
    // Another key cannot read them: a typed error, as Frappe's "Encryption key is invalid".
    const other = createEngine({ doctypes: [SERVICE, ENDPOINT], adapter, user: ADMIN, encryptionKey: generateFernetKey() });
    await expect(other.getPassword('Mail Account', 'raw', 'secret')).rejects.toMatchObject({ code: 'ENCRYPTION_KEY' });
  });

  it('child rows: each row keeps its secret, masked on every read; the mask keeps it; a removed row and a deleted document lose theirs', async () => {
    const { adapter, engine } = await engineOn();
    const created = await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'rows', endpoints: [{ host: 'a', token: 'tok-a' }, { host: 'b', token: 'tok-bb' }] } } });
    expect(created.error).toBeNull();
    const [a, b] = created.output!.data[0]!.endpoints as Record<string, unknown>[];
    expect([a!.token, b!.token]).toEqual(['*****', '******']);
    const stored = await adapter.get('Mail Account', 'rows');
    expect((stored!.endpoints as Record<string, unknown>[]).map((r) => r.token)).toEqual(['*****', '******']);
    const read = await engine.run({ operation: 'takeone', source_doctype: 'Mail Account', input: { data: { name: 'rows' } }, user: READER });
    expect((read.output!.data[0]!.endpoints as Record<string, unknown>[]).map((r) => r.token)).toEqual(['*****', '******']);
    expect(await engine.getPassword('Mail Endpoint', String(a!.name), 'token')).toBe('tok-a');
    expect(await engine.getPassword('Mail Endpoint', String(b!.name), 'token')).toBe('tok-bb');
    // The form sends the rows back with their masks; one row changes its secret, the other keeps it; row b goes.
    const saved = await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'rows', endpoints: [{ ...a, token: '*****', host: 'a2' }, { host: 'c', token: 'tok-c' }] } } });
    expect(saved.error).toBeNull();
    const rows = saved.output!.data[0]!.endpoints as Record<string, unknown>[];
    expect(rows.map((r) => r.token)).toEqual(['*****', '*****']);
    expect(await engine.getPassword('Mail Endpoint', String(a!.name), 'token')).toBe('tok-a');
    expect(await engine.getPassword('Mail Endpoint', String(rows[1]!.name), 'token')).toBe('tok-c');
    expect(await engine.getPassword('Mail Endpoint', String(b!.name), 'token')).toBeUndefined();
    expect(await auth(adapter)).toHaveLength(2);
    const del = await engine.run({ operation: 'delete', target_doctype: 'Mail Account', input: { data: { name: 'rows' } } });
    expect(del.error).toBeNull();
    expect(await auth(adapter)).toEqual([]);
  });

  it('the secret store is not a DocType any run can name; a dry run stores none', async () => {
    const { engine } = await engineOn();
    const probe = await engine.run({ operation: 'select', source_doctype: '__Auth' });
    expect(probe.error?.code).toBe('UNKNOWN_DOCTYPE');
    const dry = await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'dry', secret: 'x1' } }, options: { dry_run: true } });
    expect(dry.error).toBeNull();
    expect(dry.output?.data[0]?.secret).not.toBe('x1');
    expect(await engine.getPassword('Mail Account', 'dry', 'secret')).toBeUndefined();
    await expect(engine.getPassword('Mail Account', 'dry', 'account')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('encryptionKey at createEngine', () => {
  it('persistent storage with Password fields needs a key; a key must be a Fernet key; memory storage may keep secrets in clear', async () => {
    const sqlite = sqliteAdapter({ sqlJs: await sqlJs() });
    expect(() => createEngine({ doctypes: [SERVICE, ENDPOINT], adapter: sqlite, user: ADMIN })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG', message: expect.stringMatching(/Mail Account, Mail Endpoint have Password fields.*encryptionKey/) }));
    expect(() => createEngine({ doctypes: [SERVICE, ENDPOINT], adapter: sqlite, user: ADMIN, encryptionKey: 'secret' })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    // No Password field, no key needed.
    expect(() => createEngine({ doctypes: [{ ...ENDPOINT, istable: 0, fields: [ENDPOINT.fields[0]] }], adapter: sqlite, user: ADMIN })).not.toThrow();
    const adapter = memoryAdapter();
    const engine = createEngine({ doctypes: [SERVICE, ENDPOINT], adapter, user: ADMIN });
    await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'm', secret: 'clear' } } });
    expect((await adapter.query('__Auth', {}))[0]).toMatchObject({ password: 'clear', encrypted: 0 });
    expect(await engine.getPassword('Mail Account', 'm', 'secret')).toBe('clear');
  });
});
