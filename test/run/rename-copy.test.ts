/** `rename` and `copy` on the memory adapter (test/run/rename-suite.ts), plus atomicity under an injected fault. */
import { expect, it } from 'vitest';
import { createEngine } from '../../src/run/index';
import { memoryAdapter } from '../../src/storage/memory';
import { withFaults } from '../../src/storage/faults';
import { doctypesFor, RENAME_DOCTYPES, renameCopySuite } from './rename-suite';

renameCopySuite('memory', () => memoryAdapter());

it('a rename failing at its commit leaves storage unchanged (memory, injected fault)', async () => {
  const inner = memoryAdapter();
  const engine0 = createEngine({ doctypes: doctypesFor(RENAME_DOCTYPES), adapter: inner, user: { name: 'Administrator', roles: ['Administrator'] } });
  await engine0.ready();
  await inner.insert('Customer', { name: 'C1', customer_name: 'C1', modified: '2024-01-01 00:00:00.000000' });
  await inner.insert('Sales Order', { name: 'SO-1', customer: 'C1', items: [{ name: 'r1', item_code: 'W' }] });
  const faulty = withFaults(inner, { kind: 'commit', op: 'transaction' });
  const engine = createEngine({ doctypes: doctypesFor(RENAME_DOCTYPES), adapter: faulty, user: { name: 'Administrator', roles: ['Administrator'] } });
  const r = await engine.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'C2' } });
  expect(r.success).toBe(false);
  expect(faulty.fired).toBe(1);
  expect(await inner.exists('Customer', 'C1')).toBe(true);
  expect(await inner.exists('Customer', 'C2')).toBe(false);
  expect((await inner.get('Sales Order', 'SO-1'))!.customer).toBe('C1');
});

it('controllers: before_rename may change the new name, after_rename sees the renamed document, a throw rolls everything back', async () => {
  const seen: unknown[] = [];
  const adapter = memoryAdapter();
  const engine = createEngine({
    doctypes: doctypesFor(RENAME_DOCTYPES), adapter, user: { name: 'Administrator', roles: ['Administrator'] },
    controllers: {
      Customer: {
        before_rename(ctx) {
          if (ctx.rename!.new === 'forbidden') ctx.throw('No such name here');
          ctx.rename!.new = ctx.rename!.new.toUpperCase();
        },
        async after_rename(ctx) {
          const so = await ctx.db.get_value('Sales Order', 'SO-1', 'customer');
          seen.push({ doc: ctx.doc.name, args: { ...ctx.rename }, so });
        },
      },
    },
  });
  await engine.ready();
  await adapter.insert('Customer', { name: 'C1', customer_name: 'C1', modified: '2024-01-01 00:00:00.000000' });
  await adapter.insert('Sales Order', { name: 'SO-1', customer: 'C1' });
  const r = await engine.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'acme' } });
  expect(r.error).toBeNull();
  expect(r.docname).toBe('ACME');
  expect(seen).toEqual([{ doc: 'ACME', args: { old: 'C1', new: 'ACME', merge: false }, so: 'ACME' }]);
  expect((r.output!.meta.hooks as { hook: string }[]).map((h) => h.hook)).toEqual(['before_rename', 'after_rename']);
  const refused = await engine.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'ACME' }, new_name: 'forbidden' } });
  expect([refused.error?.code, refused.error?.message]).toEqual(['VALIDATION', 'No such name here']);
  expect(await adapter.exists('Customer', 'ACME')).toBe(true);
});

it('records the run: docname, trace, stored Run', async () => {
  const adapter = memoryAdapter();
  const engine = createEngine({ doctypes: doctypesFor(['Customer']), adapter, user: { name: 'Administrator', roles: ['Administrator'] }, storeRuns: true });
  await engine.ready();
  await adapter.insert('Customer', { name: 'C1', customer_name: 'C1' });
  const r = await engine.run({ operation: 'rename_doc', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'C2' } });
  expect([r.success, r.operation, r.docname]).toEqual([true, 'rename', 'C2']);
  const trace = await engine.trace('Customer', 'C2');
  expect(trace.last?.operation).toBe('rename');
  expect(engine.runs.query({ operation: 'rename' })).toHaveLength(1);
});

it('the secret of a Password field moves with the document; a copy has none', async () => {
  const secretDt = {
    name: 'Ren Secret', module: 'Custom', autoname: 'Prompt', allow_rename: 1,
    fields: [{ fieldname: 'title', fieldtype: 'Data' }, { fieldname: 'api_key', fieldtype: 'Password' }],
    permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
  };
  const engine = createEngine({ doctypes: [secretDt], user: { name: 'Administrator', roles: ['Administrator'] } });
  const created = await engine.run({ operation: 'create', target_doctype: 'Ren Secret', input: { data: { name: 'K1', title: 't', api_key: 'sekret' } } });
  expect(created.error).toBeNull();
  const r = await engine.run({ operation: 'rename', target_doctype: 'Ren Secret', input: { data: { name: 'K1' }, new_name: 'K2' } });
  expect(r.error).toBeNull();
  expect(await engine.getPassword('Ren Secret', 'K2', 'api_key')).toBe('sekret');
  expect(await engine.getPassword('Ren Secret', 'K1', 'api_key')).toBeUndefined();
  const copy = await engine.run({ operation: 'copy', source_doctype: 'Ren Secret', input: { data: { name: 'K2' } } });
  expect(copy.output!.data[0]).toMatchObject({ title: 't', api_key: null, name: null, __islocal: 1 });
  // The copy saves as a new document (create takes it as it is; a local Prompt document is named by __newname, as in Desk).
  const saved = await engine.run({ operation: 'create', target_doctype: 'Ren Secret', input: { data: { ...copy.output!.data[0], __newname: 'K3' } } });
  expect(saved.error).toBeNull();
  expect(saved.output!.data[0]).toMatchObject({ name: 'K3', title: 't', docstatus: 0 });
});
