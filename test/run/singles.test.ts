/**
 * Single DocTypes on the memory adapter: the shared scenario (singles-scenario.ts), plus what only the run
 * layer decides (unknown fields in ctx.db, a Single named otherwise refused by storage).
 */
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../src/storage/memory';
import { createEngine } from '../../src/index';
import { createRegistry } from '../../src/schema/registry';
import { benchAvailable } from '../helpers/bench';
import { ADMIN, singleDoctypes, singlesScenario } from './singles-scenario';

describe.skipIf(!benchAvailable)('Single DocTypes (memory)', () => {
  it('get with defaults, first update creates, create saves into it, rows, select, ctx.db, permissions, delete', async () => {
    await singlesScenario(memoryAdapter());
  });

  it('storage refuses a Single document named otherwise', async () => {
    const registry = createRegistry(singleDoctypes());
    const adapter = memoryAdapter({ doctypes: registry.list() });
    await expect(adapter.insert('HR Settings', { name: 'Other' })).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
    await adapter.insert('HR Settings', { name: 'HR Settings', frequency: 'Monthly' });
    expect(await adapter.get('HR Settings', 'HR Settings')).toMatchObject({ frequency: 'Monthly' });
  });

  it('a draft edit of a Single starts from it (defaults when never saved) and saves into it; a form opens it without a name', async () => {
    const adapter = memoryAdapter();
    const engine = createEngine({ doctypes: singleDoctypes(), adapter, user: ADMIN, unknownLinks: 'skip' });
    const open = await engine.run({ operation: 'update', target_doctype: 'HR Settings', options: { draft: true }, input: { data: { frequency: 'Monthly' } } });
    expect(open.error).toBeNull();
    expect(open.output!.data[0]).toMatchObject({ name: 'HR Settings', frequency: 'Monthly', send_birthday_reminders: 1 });
    expect(await adapter.exists('HR Settings', 'HR Settings')).toBe(false);
    const save = await engine.run({ operation: 'update', target_doctype: 'HR Settings', parent_run_id: open.name, input: { data: { send_leave_notification: 0 } } });
    expect(save.error).toBeNull();
    expect(await adapter.get('HR Settings', 'HR Settings')).toMatchObject({ frequency: 'Monthly', send_leave_notification: 0, send_birthday_reminders: 1 });
    const form = await engine.form({ doctype: 'HR Settings' });
    expect(form.getSnapshot().doc).toMatchObject({ name: 'HR Settings', frequency: 'Monthly' });
    await form.set('frequency', 'Weekly');
    await form.save();
    expect((await adapter.get('HR Settings', 'HR Settings'))?.frequency).toBe('Weekly');
  });

  it('upsert saves the Single; select takes Frappe list arguments; a bad filter is INVALID_RUN', async () => {
    const adapter = memoryAdapter();
    const engine = createEngine({ doctypes: singleDoctypes(), adapter, user: ADMIN, unknownLinks: 'skip' });
    const up = await engine.run({ operation: 'upsert', target_doctype: 'Stock Settings', input: { data: { name: 'whatever', allow_negative_stock: 1 } } });
    expect(up.error).toBeNull();
    expect(up.output!.meta).toMatchObject({ name: 'Stock Settings', action: 'update' });
    const again = await engine.run({ operation: 'upsert', target_doctype: 'Stock Settings', input: { data: { auto_indent: 1 } } });
    expect(again.error).toBeNull();
    expect(await adapter.get('Stock Settings', 'Stock Settings')).toMatchObject({ allow_negative_stock: 1, auto_indent: 1 });
    const listed = await engine.run({ operation: 'select', source_doctype: 'Stock Settings', input: { filters: { allow_negative_stock: 1 }, fields: ['name', 'auto_indent'] } });
    expect(listed.output!.data).toEqual([{ name: 'Stock Settings', auto_indent: 1 }]);
    const bad = await engine.run({ operation: 'select', source_doctype: 'HR Settings', query: { where: { nope: 1 } } });
    expect(bad.error?.code).toBe('INVALID_RUN');
  });

  it('ctx.db refuses a DocType that is not a Single and a field the Single lacks', async () => {
    const { hookDb } = await import('../../src/run/index');
    const registry = createRegistry([...singleDoctypes(), { name: 'Plain', fields: [{ fieldname: 'a', fieldtype: 'Data' }] }]);
    const db = hookDb(memoryAdapter({ doctypes: registry.list() }), { getDoctype: (n) => registry.tryGet(n) });
    await expect(db.get_single_value('Plain', 'a')).rejects.toMatchObject({ code: 'INVALID_RUN' });
    await expect(db.get_single_value('HR Settings', 'nope')).rejects.toMatchObject({ code: 'INVALID_RUN', message: 'Field nope does not exist on HR Settings' });
    expect(await db.get_single_value('HR Settings', 'remind_before')).toBe('00:00:00');
    expect(await db.get_singles_dict('HR Settings')).toEqual({});
  });
});
