/**
 * Issue 14 Frappe's source (passwords): Password values are stored apart from the document (Frappe's `__Auth`); every read
 * returns Frappe's mask, `engine.getPassword` returns the secret, and the mask written back means unchanged.
 */
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import { createEngine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import type { StorageAdapter } from '../../src/storage/types';
import { ADMIN } from './helpers';

const SERVICE = {
  name: 'Mail Account', module: 'Custom', autoname: 'field:account',
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }, { role: 'Mail Reader', read: 1 }],
  fields: [{ fieldname: 'account', fieldtype: 'Data', reqd: 1 }, { fieldname: 'secret', fieldtype: 'Password' }],
};
let pglite: PGlite | undefined;
let schemas = 0;
const READER = { name: 'reader@x.com', roles: ['Mail Reader'] };

describe.each([
  ['memory', async (): Promise<StorageAdapter> => memoryAdapter()],
  ['pglite', async (): Promise<StorageAdapter> => pgliteAdapter((pglite ??= new PGlite()), { schema: `passwords_${++schemas}` })],
])('Password fields on %s', (_kind, make) => {
  it('never returned by create, select or takeone; getPassword returns it; the mask keeps it; empty removes it', async () => {
    const adapter = await make();
    const engine = createEngine({ doctypes: [SERVICE], adapter, user: ADMIN });
    const created = await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'ops', secret: 'hunter22' } } });
    expect(created.error).toBeNull();
    expect(created.output!.data[0]!.secret).toBe('********');
    const listed = await engine.run({ operation: 'select', source_doctype: 'Mail Account', user: READER });
    expect(listed.output!.data.map((d) => d.secret)).toEqual(['********']);
    const one = await engine.run({ operation: 'takeone', source_doctype: 'Mail Account', input: { data: { name: 'ops' } }, user: READER });
    expect(one.output!.data[0]!.secret).toBe('********');
    // Not even the storage row holds it.
    expect((await adapter.get('Mail Account', 'ops'))!.secret).toBe('********');
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('hunter22');
    // The form sends the mask back with another change: the secret is unchanged.
    const masked = await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: '*****' } } });
    expect(masked.error).toBeNull();
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('hunter22');
    expect(masked.output!.data[0]!.secret).toBe('********');
    const changed = await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: 'new' } } });
    expect(changed.output!.data[0]!.secret).toBe('***');
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBe('new');
    await engine.run({ operation: 'update', target_doctype: 'Mail Account', input: { data: { name: 'ops', secret: '' } } });
    expect(await engine.getPassword('Mail Account', 'ops', 'secret')).toBeUndefined();
  });

  it('the secret store is not a DocType any run can name; delete removes the secret; a dry run stores none', async () => {
    const adapter = await make();
    const engine = createEngine({ doctypes: [SERVICE], adapter, user: ADMIN });
    const probe = await engine.run({ operation: 'select', source_doctype: '__Auth' });
    expect(probe.error?.code).toBe('UNKNOWN_DOCTYPE');
    await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'dry', secret: 'x1' } }, options: { dry_run: true } });
    expect(await engine.getPassword('Mail Account', 'dry', 'secret')).toBeUndefined();
    await engine.run({ operation: 'create', target_doctype: 'Mail Account', input: { data: { account: 'gone', secret: 'x2' } } });
    const del = await engine.run({ operation: 'delete', target_doctype: 'Mail Account', input: { data: { name: 'gone' } } });
    expect(del.error).toBeNull();
    expect(await engine.getPassword('Mail Account', 'gone', 'secret')).toBeUndefined();
    await expect(engine.getPassword('Mail Account', 'gone', 'account')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
