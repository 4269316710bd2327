/**
 * Issue 14 `frappe/model/naming.py`: an edit belongs to the user (and agent) who opened it. Another user who learns the edit id
 * cannot read the document through it, slip changes into it, or save it; a read through an edit is checked
 * like a takeone.
 */
import { describe, expect, it } from 'vitest';
import type { DraftMeta } from '../../src/run/types';
import { appEngine, seed, ORDER, MANAGER, SALES_USER } from './helpers';

const NOBODY = { name: 'nobody@x.com', roles: [] as string[] };
const OTHER_MANAGER = { name: 'other@x.com', roles: ['Sales Manager'] };

async function openEdit(engine: ReturnType<typeof appEngine>, agent?: string) {
  const open = await engine.run({
    operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, notes: 'mine' } }, options: { draft: true }, user: MANAGER,
    ...(agent ? { agent } : {}),
  });
  expect(open.error).toBeNull();
  return open;
}

describe('edits are owned', () => {
  it('a user with no roles cannot read a document through another user\'s edit', async () => {
    const engine = appEngine();
    await seed(engine);
    const open = await openEdit(engine);
    const peek = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: {} }, user: NOBODY });
    expect(peek.success).toBe(false);
    expect(peek.error?.code).toBe('PERMISSION_DENIED');
    expect(peek.output).toBeNull();
  });

  it('another user, even with every right, cannot slip a change into the edit; the owner saves only their own values', async () => {
    const engine = appEngine();
    await seed(engine);
    const open = await openEdit(engine);
    const slip = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: { notes: 'slipped' } }, user: OTHER_MANAGER });
    expect(slip.error?.code).toBe('PERMISSION_DENIED');
    expect(engine.edit(open.name)?.delta).toMatchObject({ notes: 'mine' });
    // Saving someone else's edit is refused too, and leaves the edit as it was.
    const steal = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} }, user: OTHER_MANAGER });
    expect(steal.error?.code).toBe('PERMISSION_DENIED');
    expect(engine.edit(open.name)?.state).toBe('dirty');
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    const saved = await engine.run({ operation: 'create', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} }, user: MANAGER });
    expect(saved.error).toBeNull();
    expect(saved.output!.data[0]).toMatchObject({ notes: 'mine', owner: MANAGER.name });
  });

  it('the snapshot names the owner and agent; an agent\'s edit is not the user\'s, nor another agent\'s', async () => {
    const engine = appEngine();
    await seed(engine);
    const open = await openEdit(engine, 'agent-1');
    expect((open.output!.meta as unknown as DraftMeta).edit).toMatchObject({ owner: MANAGER.name, agent: 'agent-1' });
    const direct = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: {} }, user: MANAGER });
    expect(direct.error?.code).toBe('PERMISSION_DENIED');
    const other = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: {} }, user: MANAGER, agent: 'agent-2' });
    expect(other.error?.code).toBe('PERMISSION_DENIED');
    const same = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: { notes: 'agent' } }, user: MANAGER, agent: 'agent-1' });
    expect(same.error).toBeNull();
  });

  it('each step through an edit of a stored document is checked like a takeone (read on that document)', async () => {
    const engine = appEngine();
    await seed(engine);
    const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: SALES_USER });
    expect(created.error).toBeNull();
    const name = created.output!.data[0]!.name as string;
    // The owner opens an edit of the stored document, then loses their roles: the next step reads nothing.
    const open = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name } }, options: { draft: true }, user: SALES_USER });
    expect(open.error).toBeNull();
    const demoted = { name: SALES_USER.name, roles: [] as string[] };
    const step = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true }, input: { data: {} }, user: demoted });
    expect(step.error?.code).toBe('PERMISSION_DENIED');
    expect(step.output).toBeNull();
  });
});
