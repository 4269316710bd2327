/** Every operation and alias through run(), and every guardian refusal with its code. */
import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { docstatusTransition } from '../../src/run/guardian';
import { appEngine, seed, ORDER, SALES_USER, ADMIN, SYSTEM_MANAGER } from './helpers';

async function withOrder(options = {}) {
  const engine = appEngine(options);
  await seed(engine);
  const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
  return { engine, name: r.docname! };
}

describe('operations and aliases', () => {
  it('resolves every built-in alias to its operation, case-insensitively', async () => {
    const { engine, name } = await withOrder();
    const cases: Array<[string, string]> = [
      ['read', 'select'], ['list', 'select'], ['READ', 'select'], ['get', 'takeone'], ['insert', 'create'],
      ['save', 'update'], ['put', 'upsert'], ['remove', 'delete'],
    ];
    for (const [alias, canonical] of cases) {
      const data = canonical === 'create' ? { description: 'via alias' }
        : canonical === 'delete' ? { name: 'nothing' } : canonical === 'update' || canonical === 'upsert' ? { name: 'nothing', description: 'x' } : { name: 'nothing' };
      const r = await engine.run({ operation: alias, doctype: 'ToDo', input: { data } });
      expect(r.operation, alias).toBe(canonical);
      expect(r.operation_original).toBe(alias);
    }
    // The order is still there: aliases on ToDo never touched it.
    expect(await engine.adapter.exists('Sales Order', name)).toBe(true);
  });

  it('an unknown operation is a failed run with UNKNOWN_OPERATION', async () => {
    const engine = appEngine();
    const r = await engine.run({ operation: 'frobnicate', target_doctype: 'ToDo' });
    expect(r).toMatchObject({ status: 'failed', success: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('engine aliases and custom operations registered in code', async () => {
    const engine = appEngine({
      aliases: { fetch_all: 'select', ping: 'echo' },
      operations: { echo: { handle: (ctx) => ({ data: [{ said: ctx.request.input?.data?.text }], meta: { by: ctx.user.name } }) } },
    });
    const echo = await engine.run({ operation: 'ping', input: { data: { text: 'hi' } } });
    expect(echo).toMatchObject({ operation: 'echo', success: true, output: { data: [{ said: 'hi' }], meta: { by: 'manager@x.com' } } });
    expect((await engine.run({ operation: 'fetch_all', from: 'ToDo' })).operation).toBe('select');
  });

  it('from / into / doctype are aliases of source / target', async () => {
    const engine = appEngine();
    const a = await engine.run({ operation: 'create', into: 'ToDo', input: { data: { description: 'a' } } });
    expect(a.target_doctype).toBe('ToDo');
    const b = await engine.run({ operation: 'select', from: 'ToDo' });
    expect(b.source_doctype).toBe('ToDo');
    expect(b.output!.data).toHaveLength(1);
  });

  it('upsert creates, then updates; takeone reads by name or query', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER });
    const created = await engine.run({ operation: 'upsert', target_doctype: 'ToDo', input: { data: { description: 'first' } } });
    expect(created.output!.meta.action).toBe('create');
    const updated = await engine.run({ operation: 'upsert', target_doctype: 'ToDo', input: { data: { name: created.docname, description: 'second' } } });
    expect(updated.output!.meta.action).toBe('update');
    const one = await engine.run({ operation: 'takeone', source_doctype: 'ToDo', query: { where: { description: 'second' } } });
    expect(one.output!.data[0]!.name).toBe(created.docname);
    const missing = await engine.run({ operation: 'takeone', source_doctype: 'ToDo', input: { data: { name: 'nope' } } });
    expect(missing.error?.code).toBe('NOT_FOUND');
  });

  it('select with where / orderBy / take / skip, stripping unreadable permlevel fields', async () => {
    const engine = appEngine();
    await seed(engine);
    for (const qty of [1, 2, 3, 4]) {
      const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, internal_margin: qty * 10, items: [{ item_code: 'ITEM-1', qty }] } } });
      expect(r.success).toBe(true);
    }
    const query = { where: { internal_margin: { gte: 20 } }, orderBy: [{ internal_margin: 'desc' as const }], take: 2, skip: 1 };
    const manager = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query });
    expect(manager.output!.data.map((d) => d.internal_margin)).toEqual([30, 20]);
    // A user who cannot read internal_margin may not filter or sort on it (its values would leak by bisection).
    const refused = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query, user: SALES_USER });
    expect(refused.error?.code).toBe('PERMISSION_DENIED');
    const all = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { orderBy: [{ name: 'asc' as const }] } });
    const user = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { orderBy: [{ name: 'asc' as const }] }, user: SALES_USER });
    expect(user.output!.data.map((d) => d.name)).toEqual(all.output!.data.map((d) => d.name));
    for (const doc of user.output!.data) expect(doc).not.toHaveProperty('internal_margin');
    expect(user.output!.fields).not.toContain('internal_margin');
    expect(manager.output!.fields).toContain('internal_margin');
    const bad = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { where: { no_such_field: 1 } } });
    expect(bad.error?.code).toBe('INVALID_RUN');
  });
});

describe('guardian refusals', () => {
  it('INVALID_RUN for malformed requests; run() throws only for a non-object', async () => {
    const engine = appEngine();
    await expect(engine.run(null as never)).rejects.toBeInstanceOf(CoworkerError);
    await expect(engine.run('create' as never)).rejects.toMatchObject({ code: 'INVALID_RUN_CALL' });
    for (const bad of [{}, { operation: 5 }, { operation: 'create', input: 'x' }, { operation: 'create', input: { data: [] } }, { operation: 'select', user: { name: 'x' } }]) {
      const r = await engine.run(bad as never);
      expect(r.error?.code, JSON.stringify(bad)).toBe('INVALID_RUN');
    }
    const noName = await engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { description: 'x' } } });
    expect(noName.error?.code).toBe('INVALID_RUN');
    // An unknown key is ignored as Frappe ignores it (a warning on the record); refused with unknownKeys: 'refuse'.
    const unknownField = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x', colour: 'red' } } });
    expect(unknownField.success).toBe(true);
    expect(unknownField.warnings).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_KEY', field: 'colour', severity: 'warning' }));
    expect(unknownField.output!.data[0]).not.toHaveProperty('colour');
  });

  it('UNKNOWN_DOCTYPE, and child tables are written only through their parent', async () => {
    const engine = appEngine();
    expect((await engine.run({ operation: 'create', target_doctype: 'Nope', input: { data: {} } })).error?.code).toBe('UNKNOWN_DOCTYPE');
    expect((await engine.run({ operation: 'create', input: { data: {} } })).error?.code).toBe('UNKNOWN_DOCTYPE');
    expect((await engine.run({ operation: 'create', target_doctype: 'Sales Order Item', input: { data: {} } })).error?.code).toBe('INVALID_RUN');
  });

  it('PERMISSION_DENIED: deny by default, Administrator bypass, agent = owner', async () => {
    const engine = appEngine();
    await seed(engine);
    const nobody = { name: 'nobody@x.com', roles: [] };
    expect((await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: nobody })).error?.code).toBe('PERMISSION_DENIED');
    expect((await engine.run({ operation: 'select', source_doctype: 'Sales Order', user: nobody })).error?.code).toBe('PERMISSION_DENIED');
    // Item: Sales User may read, not create.
    const itemByUser = await engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'X', item_name: 'X' } }, user: SALES_USER, agent: 'assistant-1' });
    expect(itemByUser).toMatchObject({ owner: SALES_USER.name, agent: 'assistant-1', error: { code: 'PERMISSION_DENIED' } });
    expect((await engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'X', item_name: 'X' } }, user: ADMIN })).success).toBe(true);
    // Delete: Sales User has no delete right.
    const so = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, user: SALES_USER, agent: 'assistant-1' });
    expect(so).toMatchObject({ success: true, owner: SALES_USER.name, agent: 'assistant-1' });
    expect(so.output!.data[0]!.owner).toBe(SALES_USER.name); // the document belongs to the human, not the agent
    expect((await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name: so.docname } }, user: SALES_USER, agent: 'assistant-1' })).error?.code).toBe('PERMISSION_DENIED');
  });

  it('an agent has exactly the owner\'s permissions, whatever it claims', async () => {
    const engine = appEngine();
    await seed(engine);
    const so = (await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } })).docname!;
    for (const op of ['submit', 'delete'] as const) {
      const human = await engine.run({ operation: op, target_doctype: 'Sales Order', input: { data: { name: so } }, user: SALES_USER, options: { dry_run: true } });
      const agent = await engine.run({ operation: op, target_doctype: 'Sales Order', input: { data: { name: so } }, user: SALES_USER, agent: 'Administrator', options: { dry_run: true } });
      expect(agent.error?.code).toBe(human.error?.code);
      expect(agent.error?.code).toBe('PERMISSION_DENIED');
    }
  });

  it('PERMISSION_DENIED with the field for a write above the user\'s permlevel', async () => {
    const { engine, name } = await withOrder();
    const r = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, internal_margin: 50 } }, user: SALES_USER });
    expect(r.error).toMatchObject({ code: 'PERMISSION_DENIED', issues: [{ code: 'PERMLEVEL', field: 'internal_margin' }] });
    // Unchanged: an empty number field is stored as 0, as Frappe stores it.
    expect((await engine.adapter.get('Sales Order', name))!.internal_margin).toBe(0);
    // The manager (level 1 write) may.
    expect((await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, internal_margin: 50 } } })).success).toBe(true);
  });

  it("READ_ONLY_FIELD with readOnlyInput: 'refuse': read-only fields cannot be changed through input (repeating the value is fine)", async () => {
    const { engine, name } = await withOrder({ readOnlyInput: 'refuse' });
    const stored = (await engine.adapter.get('Sales Order', name))!;
    const r = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, status: 'Completed' } } });
    expect(r.error).toMatchObject({ code: 'READ_ONLY_FIELD', issues: [{ field: 'status' }] });
    const same = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, status: stored.status, customer_name: stored.customer_name } } });
    expect(same.success).toBe(true);
    const row = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, items: [{ item_code: 'ITEM-1', qty: 1, amount: 99 }] } } });
    expect(row.error).toMatchObject({ code: 'READ_ONLY_FIELD', issues: [{ field: 'amount', row: 1, table: 'items' }] });
  });

  it('CANNOT_CHANGE_CONSTANT for owner / creation', async () => {
    const { engine, name } = await withOrder();
    expect((await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, owner: 'someone@else' } } })).error?.code).toBe('CANNOT_CHANGE_CONSTANT');
    expect((await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, creation: '2020-01-01 00:00:00.000000' } } })).error?.code).toBe('CANNOT_CHANGE_CONSTANT');
  });

  it('DOCSTATUS_TRANSITION exactly like Frappe', async () => {
    expect(docstatusTransition(0, 0, true)).toEqual({ ok: true, action: 'update' });
    expect(docstatusTransition(0, 1, true)).toEqual({ ok: true, action: 'submit' });
    expect(docstatusTransition(1, 1, true)).toEqual({ ok: true, action: 'update_after_submit' });
    expect(docstatusTransition(1, 2, true)).toEqual({ ok: true, action: 'cancel' });
    expect(docstatusTransition(0, 2, true)).toMatchObject({ ok: false, code: 'DOCSTATUS_TRANSITION', message: 'Cannot change docstatus from 0 (Draft) to 2 (Cancelled)' });
    expect(docstatusTransition(1, 0, true)).toMatchObject({ ok: false, code: 'DOCSTATUS_TRANSITION', message: 'Cannot change docstatus from 1 (Submitted) to 0 (Draft)' });
    expect(docstatusTransition(2, 2, true)).toMatchObject({ ok: false, code: 'CANCELLED_DOCUMENT' });
    expect(docstatusTransition(0, 1, false)).toMatchObject({ ok: false, code: 'DOCSTATUS_TRANSITION' });

    const { engine, name } = await withOrder();
    expect((await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name } } })).error?.code).toBe('DOCSTATUS_TRANSITION');
    expect((await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name } } })).error?.code).toBe('DOCSTATUS_TRANSITION');
    await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name } } });
    expect((await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, docstatus: 0 } } })).error?.code).toBe('DOCSTATUS_TRANSITION');
    const del = await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name } } });
    expect(del.error).toMatchObject({ code: 'SUBMITTED_DOCUMENT', exc: 'ValidationError', message: `Sales Order ${name}: Submitted Record cannot be deleted. You must Cancel it first.` });
    // submit() on a submitted document is a save (1 -> 1, update after submit), as Frappe's submit() is.
    const again = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name } } });
    expect(again.error).toBeNull();
    expect(again.output?.meta.action).toBe('update_after_submit');
    expect((await engine.run({ operation: 'submit', target_doctype: 'ToDo', input: { data: { name: 'x' } } })).error?.code).toBe('NOT_FOUND');
  });

  it('APPEND_ONLY refuses update and delete for everyone, Administrator included', async () => {
    const engine = appEngine({ appendOnly: ['ToDo'], user: ADMIN });
    const created = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'audit entry' } } });
    expect(created.success).toBe(true);
    expect((await engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { name: created.docname, description: 'changed' } } })).error?.code).toBe('APPEND_ONLY');
    expect((await engine.run({ operation: 'delete', target_doctype: 'ToDo', input: { data: { name: created.docname } } })).error?.code).toBe('APPEND_ONLY');
    expect((await engine.adapter.get('ToDo', created.docname!))!.description).toBe('audit entry');
  });

  it('DUPLICATE_ENTRY and UNIQUE from storage', async () => {
    const engine = appEngine({ user: ADMIN });
    await seed(engine);
    // Customer is named by customer_name (unique): a second Acme collides on the name first.
    const dup = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } } });
    expect(dup.error?.code).toBe('DUPLICATE_ENTRY');
  });
});
