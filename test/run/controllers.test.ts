/**
 * Controllers through run(): Frappe's hook order per action, hooks changing the document before the write,
 * the context (doc, doc_before_save, action, user, db, throw, warn, run), failures and rollback.
 */
import { describe, expect, it } from 'vitest';
import { flt } from '../../src/values/number';
import { CoworkerError } from '../../src/errors';
import { createEngine } from '../../src/run/engine';
import type { Controller, Controllers, HookContext, HookName } from '../../src/run/lifecycle';
import { memoryAdapter } from '../../src/storage/memory';
import { fixedClock, sequentialIds } from '../../src/env';
import { ADMIN, appDoctypes, appEngine, MANAGER, ORDER, seed } from './helpers';

type Row = Record<string, unknown>;

/** A controller that records every hook it sees, for the DocType and for '*'. */
function recorder(log: string[], tag: string): Controller {
  const hooks: Record<string, (ctx: HookContext) => void> = {};
  for (const h of [
    'before_insert', 'before_naming', 'autoname', 'before_validate', 'validate', 'before_save', 'before_submit', 'before_cancel',
    'before_update_after_submit', 'after_insert', 'on_update', 'on_submit', 'on_cancel', 'on_update_after_submit', 'on_change',
    'on_trash', 'after_delete',
  ] as HookName[]) {
    // autoname is left to the naming series: recording it would require setting a name.
    if (h === 'autoname') continue;
    hooks[h] = (ctx) => {
      if (ctx.doctype === 'Sales Order') log.push(`${tag}:${h}`);
    };
  }
  return hooks;
}

const so = (extra: Row = {}) => ({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, ...extra } }, user: ADMIN });

describe('hook order per action (frappe/model/document.py, delete_doc.py)', () => {
  it('runs Frappe\'s sequence for insert, save, submit, update after submit, cancel, amend and delete', async () => {
    const log: string[] = [];
    const engine = appEngine({ controllers: { 'Sales Order': [recorder(log, 'app'), recorder(log, 'ext')], '*': recorder(log, 'all') } });
    await seed(engine);
    const seq = (tags: readonly string[], hooks: readonly string[]) => hooks.flatMap((h) => tags.map((t) => `${t}:${h}`));
    const three = ['app', 'ext', 'all'];

    const created = await engine.run(so());
    expect(created.error).toBeNull();
    expect(log.splice(0)).toEqual(seq(three, ['before_insert', 'before_naming', 'before_validate', 'validate', 'before_save', 'after_insert', 'on_update', 'on_change']));
    const name = created.output!.data[0]!.name as string;

    await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'x' } }, user: ADMIN });
    expect(log.splice(0)).toEqual(seq(three, ['before_validate', 'validate', 'before_save', 'on_update', 'on_change']));

    await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name } }, user: ADMIN });
    expect(log.splice(0)).toEqual(seq(three, ['before_validate', 'validate', 'before_submit', 'on_update', 'on_submit', 'on_change']));

    await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'after' } }, user: ADMIN });
    expect(log.splice(0)).toEqual(seq(three, ['before_update_after_submit', 'on_update_after_submit', 'on_change']));

    await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name } }, user: ADMIN });
    expect(log.splice(0)).toEqual(seq(three, ['before_cancel', 'on_cancel', 'on_change']));

    const amended = await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name } }, user: ADMIN });
    expect(amended.error).toBeNull();
    expect(log.splice(0)).toEqual(seq(three, ['before_insert', 'before_naming', 'before_validate', 'validate', 'before_save', 'after_insert', 'on_update', 'on_change']));

    const deleted = await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name: amended.output!.data[0]!.name } }, user: ADMIN });
    expect(deleted.error).toBeNull();
    expect(log.splice(0)).toEqual(seq(three, ['on_trash', 'on_change', 'after_delete']));

    // Inserting submitted: Frappe's _action is "submit" on insert.
    const direct = await engine.run(so({ docstatus: 1 }));
    expect(direct.error).toBeNull();
    expect(log.splice(0)).toEqual(seq(three, [
      'before_insert', 'before_naming', 'before_validate', 'validate', 'before_submit', 'after_insert', 'on_update', 'on_submit', 'on_change',
    ]));
    // Each write reports its hooks on the record.
    expect((direct.output!.meta.hooks as { hook: string; controller: string }[]).slice(0, 3)).toEqual([
      expect.objectContaining({ hook: 'before_insert', controller: 'Sales Order#1' }),
      expect.objectContaining({ hook: 'before_insert', controller: 'Sales Order#2' }),
      expect.objectContaining({ hook: 'before_insert', controller: '*#1' }),
    ]);
  });
});

const totals: Controllers = {
  'Sales Order': {
    name: 'totals',
    validate(ctx) {
      for (const row of ctx.doc.items as Row[]) row.amount = flt(row.qty) * flt(row.rate);
      ctx.doc.total = (ctx.doc.items as Row[]).reduce((s, r) => s + flt(r.amount), 0);
      ctx.doc.total_qty = (ctx.doc.items as Row[]).reduce((s, r) => s + flt(r.qty), 0);
      if (ctx.doc.total > 1000) ctx.throw('Total too large', { field: 'total' });
    },
  },
};

describe('hooks before the write change what is written', () => {
  it('stores what validate computed, from fetched values (fetch_from runs before the hooks)', async () => {
    const engine = appEngine({ controllers: totals });
    await seed(engine);
    const input = { ...ORDER, items: [{ item_code: 'ITEM-1', qty: 2 }, { item_code: 'ITEM-2', qty: 1 }] };
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: input }, user: ADMIN });
    expect(r.error).toBeNull();
    expect(r.output!.data[0]).toMatchObject({ total: 39, total_qty: 3, items: [expect.objectContaining({ rate: 9.5, amount: 19 }), expect.objectContaining({ amount: 20 })] });
    const stored = await engine.adapter.get('Sales Order', r.output!.data[0]!.name as string);
    expect(stored).toMatchObject({ total: 39 });
    expect(r.output!.meta.hooks).toEqual([
      { doctype: 'Sales Order', hook: 'validate', controller: 'totals', changed: ['total', 'total_qty', 'items[1].amount', 'items[2].amount'] },
    ]);
  });

  it('ctx.throw fails the run with VALIDATION, the field, and Frappe\'s exception; nothing is stored', async () => {
    const engine = appEngine({ controllers: totals });
    await seed(engine);
    const data = { ...ORDER, items: [{ item_code: 'ITEM-2', qty: 60 }] };
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data }, user: ADMIN });
    expect(r.error).toMatchObject({ code: 'VALIDATION', exc: 'ValidationError', message: 'Total too large', issues: [expect.objectContaining({ field: 'total', doctype: 'Sales Order' })] });
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    // The caller's input is intact.
    expect(data.items[0]).toEqual({ item_code: 'ITEM-2', qty: 60 });
  });

  it('tiers 2 and 3 validate after the hooks: a hook that leaves a bad value or clears a mandatory one is refused', async () => {
    const engine = appEngine({
      controllers: { 'Sales Order': { before_save(ctx) {
        ctx.doc.order_type = ctx.doc.notes === 'bad select' ? 'Nope' : ctx.doc.order_type;
        if (ctx.doc.notes === 'clear') ctx.doc.customer = null;
      } } },
    });
    await seed(engine);
    const bad = await engine.run(so({ notes: 'bad select' }));
    expect(bad.error?.issues.map((i) => [i.code, i.field])).toEqual([['INVALID_SELECT', 'order_type']]);
    const cleared = await engine.run(so({ notes: 'clear' }));
    expect(cleared.error?.issues.map((i) => [i.code, i.field])).toEqual([['MANDATORY', 'customer']]);
  });

  it('rows appended by a hook get names, idx and parent fields, and are stored', async () => {
    const engine = appEngine({
      controllers: { 'Sales Order': { validate(ctx) {
        if (!(ctx.doc.items as Row[]).some((r) => r.item_code === 'ITEM-2')) ctx.append('items', { item_code: 'ITEM-2', qty: 1, rate: 20 });
        (ctx.doc.items as Row[]).push({ item_code: 'ITEM-1', qty: 5, rate: 1 });
      } } },
    });
    await seed(engine);
    const r = await engine.run(so());
    expect(r.error).toBeNull();
    const stored = await engine.adapter.get('Sales Order', r.output!.data[0]!.name as string);
    const rows = stored!.items as Row[];
    expect(rows.map((x) => [x.idx, x.item_code, x.parent, x.parentfield, x.parenttype])).toEqual([
      [1, 'ITEM-1', stored!.name, 'items', 'Sales Order'], [2, 'ITEM-2', stored!.name, 'items', 'Sales Order'], [3, 'ITEM-1', stored!.name, 'items', 'Sales Order'],
    ]);
    expect(new Set(rows.map((x) => x.name)).size).toBe(3);
  });

  it('doc_before_save is the stored version; action and user are the run\'s', async () => {
    const seen: unknown[] = [];
    const engine = appEngine({
      controllers: { 'Sales Order': { validate(ctx) {
        seen.push([ctx.action, ctx.is_new, ctx.user.name, ctx.agent, ctx.doc_before_save?.notes ?? null, ctx.doc.notes]);
      } } },
    });
    await seed(engine);
    const r = await engine.run(so({ notes: 'one' }));
    await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: r.output!.data[0]!.name, notes: 'two' } }, user: ADMIN, agent: 'bot' });
    expect(seen).toEqual([['insert', true, 'Administrator', null, null, 'one'], ['save', false, 'Administrator', 'bot', 'one', 'two']]);
  });

  it('custom validators and computed fields receive the action and the user', async () => {
    const seen: unknown[] = [];
    const engine = appEngine({
      user: ADMIN,
      rules: { 'Sales Order': {
        computed: [{ field: 'total_qty', inputs: ['items.qty'], compute: (d, _p, env) => { seen.push(['computed', env.action, env.user?.name]); return 0; } }],
        validators: [{ name: 'v', inputs: ['notes'], validate: (_d, _p, env) => { seen.push(['validator', env.action, env.user?.name]); } }],
      } },
    });
    await seed(engine);
    const r = await engine.run(so());
    await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: r.output!.data[0]!.name } }, user: ADMIN });
    expect(seen).toEqual([
      ['computed', 'insert', 'Administrator'], ['validator', 'insert', 'Administrator'],
      ['computed', 'submit', 'Administrator'], ['validator', 'submit', 'Administrator'],
    ]);
  });
});

describe('failures', () => {
  it('a hook that throws anything else fails with CONTROLLER_ERROR naming the DocType and the hook, never INTERNAL', async () => {
    const engine = appEngine({ controllers: { 'Sales Order': { name: 'broken', before_save() { throw new TypeError('x is undefined'); } } } });
    await seed(engine);
    const r = await engine.run(so());
    expect(r.error).toMatchObject({ code: 'CONTROLLER_ERROR', exc: 'TypeError' });
    expect(r.error!.message).toBe('Sales Order controller broken: before_save threw TypeError: x is undefined');
    expect(await engine.adapter.count('Sales Order')).toBe(0);
  });

  it('a draft edit whose save fails in a hook keeps its delta for a retry', async () => {
    let fail = true;
    const engine = appEngine({ controllers: { 'Sales Order': { validate() { if (fail) throw new Error('flaky'); } } } });
    await seed(engine);
    const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, options: { draft: true }, user: ADMIN });
    const save = await engine.run({ operation: 'create', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} }, user: ADMIN });
    expect(save.error?.code).toBe('CONTROLLER_ERROR');
    expect(engine.edit(open.name)).toMatchObject({ state: 'failed', delta: { customer: 'Acme' } });
    fail = false;
    const retry = await engine.run({ operation: 'create', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} }, user: ADMIN });
    expect(retry.error).toBeNull();
  });

  it('a hook after the write that fails rolls back the document and every child run it made', async () => {
    const engine = appEngine({
      user: ADMIN,
      controllers: { 'Sales Order': {
        async on_update(ctx) {
          await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: `Follow up ${ctx.doc.name}` } } });
        },
        on_change(ctx) {
          if (ctx.doc.notes === 'boom') ctx.throw('No', { exc: 'frappe.exceptions.CustomError' });
        },
      } },
    });
    await seed(engine);
    const bad = await engine.run(so({ notes: 'boom' }));
    expect(bad.error).toMatchObject({ code: 'VALIDATION', exc: 'frappe.exceptions.CustomError', message: 'No' });
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    expect(await engine.adapter.count('ToDo')).toBe(0);

    const good = await engine.run(so());
    expect(good.error).toBeNull();
    const todos = await engine.adapter.query('ToDo', {});
    expect(todos.map((t) => t.description)).toEqual([`Follow up ${good.output!.data[0]!.name}`]);
    // Linked both ways, same flow and user.
    expect(good.child_run_ids).toHaveLength(1);
    const child = engine.runs.get(good.child_run_ids[0]!)!;
    expect(child).toMatchObject({ parent_run_id: good.name, flow_id: good.flow_id, owner: 'Administrator', success: true, target_doctype: 'ToDo' });
  });

  it('a failed child run fails the parent with its code and issues', async () => {
    const engine = appEngine({
      user: ADMIN,
      controllers: { 'Sales Order': { async on_submit(ctx) { await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: {} } }); } } },
    });
    await seed(engine);
    const r = await engine.run(so({ docstatus: 1 }));
    expect(r.error?.code).toBe('VALIDATION');
    expect(r.error?.issues.map((i) => [i.doctype, i.field])).toEqual([['ToDo', 'description']]);
    expect(await engine.adapter.count('Sales Order')).toBe(0);
  });

  it('child runs in hooks work with storeRuns (records stored after the transaction)', async () => {
    const engine = appEngine({
      user: ADMIN, storeRuns: true,
      controllers: { 'Sales Order': { async on_update(ctx) { await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x' } } }); } } },
    });
    await seed(engine);
    const r = await engine.run(so());
    expect(r.error).toBeNull();
    const stored = await engine.adapter.query('Run', { where: { flow_id: r.flow_id } });
    expect(stored.map((x) => x.target_doctype).sort()).toEqual(['Sales Order', 'ToDo']);
  });

  it('refuses a hook that changes docstatus or renames a stored document', async () => {
    const engine = appEngine({ user: ADMIN, controllers: { 'Sales Order': { validate(ctx) {
      if (ctx.doc.notes === 'submit me') ctx.doc.docstatus = 1;
      if (ctx.doc.notes === 'rename' && !ctx.is_new) ctx.doc.name = 'X';
    } } } });
    await seed(engine);
    expect((await engine.run(so({ notes: 'submit me' }))).error?.code).toBe('CONTROLLER_ERROR');
    const r = await engine.run(so());
    const renamed = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: r.output!.data[0]!.name, notes: 'rename' } } });
    expect(renamed.error?.code).toBe('CONTROLLER_ERROR');
  });
});

describe('the Contract of the issue, verbatim', () => {
  it('compiles and runs as written (plain assignment, rows, ctx.throw, ctx.run in on_submit)', async () => {
    const controllers: Controllers = { 'Sales Order': {
      async validate(ctx) {
        ctx.doc.total = ctx.doc.items.reduce((s: number, r: Row) => s + (r.qty as number) * (r.rate as number), 0);   // plain assignment, rows too
        if (ctx.doc.total > 1e6) ctx.throw('Total too large', { field: 'total' });  // frappe.throw
      },
      async on_submit(ctx) { await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: String(ctx.doc.name) } } }); },
    } };
    const engine = appEngine({ user: ADMIN, controllers });
    await seed(engine);
    const r = await engine.run(so({ docstatus: 1 }));
    expect(r.error).toBeNull();
    expect(r.output!.data[0]).toMatchObject({ total: 19 });
    expect(await engine.adapter.count('ToDo')).toBe(1);
    const big = await engine.run(so({ items: [{ item_code: 'ITEM-2', qty: 60000 }] }));
    expect(big.error).toMatchObject({ code: 'VALIDATION', message: 'Total too large' });
  });

  it('a dry run runs the hooks and their child runs, then keeps nothing', async () => {
    const log: string[] = [];
    const engine = appEngine({ user: ADMIN, controllers: { 'Sales Order': {
      validate() { log.push('validate'); },
      async on_update(ctx) { await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'dry' } } }); log.push('on_update'); },
    } } });
    await seed(engine);
    const r = await engine.run({ ...so(), options: { dry_run: true } });
    expect(r.error).toBeNull();
    expect(log).toEqual(['validate', 'on_update']);
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    expect(await engine.adapter.count('ToDo')).toBe(0);
  });
});

describe('draft previews (draftHooks)', () => {
  it('off by default: drafts run no hook, as Desk runs no server hook while a form is edited', async () => {
    const engine = appEngine({ user: ADMIN, controllers: totals });
    await seed(engine);
    const d = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, options: { draft: true } });
    expect(d.output!.data[0]!.total ?? null).toBeNull();
  });

  it('on: before_validate and validate compute the preview in a rolled-back transaction; ctx.throw is a draft issue', async () => {
    const engine = appEngine({
      user: ADMIN, draftHooks: true,
      controllers: { 'Sales Order': [totals['Sales Order'] as Controller, {
        async before_validate(ctx) { await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'preview' } } }); },
      }] },
    });
    await seed(engine);
    const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, options: { draft: true } });
    expect(open.error).toBeNull();
    expect(open.output!.data[0]).toMatchObject({ total: 19, total_qty: 2 });
    expect(await engine.adapter.count('ToDo')).toBe(0);
    // The edit's delta holds what the user changed, not what the hooks computed.
    expect(engine.edit(open.name)!.delta).not.toHaveProperty('total');
    const big = await engine.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true },
      input: { data: { items: [{ item_code: 'ITEM-2', qty: 60 }] } },
    });
    expect(big.error).toBeNull();
    expect((big.output!.meta as { issues: { message: string; field?: string }[] }).issues).toEqual([expect.objectContaining({ message: 'Total too large', field: 'total' })]);
    expect(await engine.adapter.count('Sales Order')).toBe(0);
  });
});

describe('ctx.db, ctx.warn, delete', () => {
  it('reads inside the transaction with Frappe\'s helpers', async () => {
    const seen: Record<string, unknown> = {};
    const engine = appEngine({
      user: ADMIN,
      controllers: { 'Sales Order': {
        async on_update(ctx) {
          await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'in tx' } } });
          seen.todos = await ctx.db.count('ToDo', { description: 'in tx' });
          seen.rate = await ctx.db.get_value('Item', 'ITEM-2', 'standard_rate');
          seen.both = await ctx.db.get_value('Item', { item_name: 'Gadget' }, ['item_code', 'standard_rate']);
          seen.exists = await ctx.db.exists('Item', { standard_rate: ['>', 10] });
          seen.missing = await ctx.db.exists('Item', 'NOPE');
          seen.list = await ctx.db.get_list('Item', { filters: [['standard_rate', '<', 100]], fields: ['item_code'], order_by: 'standard_rate desc' });
          seen.pluck = await ctx.db.get_list('Item', { filters: { item_name: ['like', 'Gad%'] }, pluck: 'item_code' });
          seen.self = (await ctx.db.get('Sales Order', ctx.doc.name))?.name;
          ctx.warn('Credit limit almost reached', { field: 'customer' });
        },
      } },
    });
    await seed(engine);
    const r = await engine.run(so());
    expect(r.error).toBeNull();
    expect(seen).toEqual({
      todos: 1, rate: 20, both: { item_code: 'ITEM-2', standard_rate: 20 }, exists: 'ITEM-2', missing: null,
      list: [expect.objectContaining({ item_code: 'ITEM-2' }), expect.objectContaining({ item_code: 'ITEM-1' })], pluck: ['ITEM-2'],
      self: r.output!.data[0]!.name,
    });
    expect(r.output!.meta.warnings).toEqual([expect.objectContaining({ message: 'Credit limit almost reached', field: 'customer', severity: 'warning' })]);
  });

  it('on_trash runs before the link check and can remove what links here; after_delete failing keeps the document', async () => {
    const engine = appEngine({
      user: ADMIN,
      controllers: { Customer: {
        async on_trash(ctx) {
          for (const name of await ctx.db.get_list('Sales Order', { filters: { customer: ctx.doc.name }, pluck: 'name' }) as string[]) {
            await ctx.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name } } });
          }
        },
        after_delete(ctx) { if (ctx.doc.name === 'Keep') throw new Error('no'); },
      } },
    });
    await seed(engine);
    await engine.run(so());
    const r = await engine.run({ operation: 'delete', target_doctype: 'Customer', input: { data: { name: 'Acme' } } });
    expect(r.error).toBeNull();
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Keep' } } });
    const kept = await engine.run({ operation: 'delete', target_doctype: 'Customer', input: { data: { name: 'Keep' } } });
    expect(kept.error?.code).toBe('CONTROLLER_ERROR');
    expect(await engine.adapter.exists('Customer', 'Keep')).toBe(true);
  });
});

describe('naming and configuration', () => {
  const todoByScript = () => {
    const json = appDoctypes().find((d) => (d as { name: string }).name === 'ToDo') as Record<string, unknown>;
    return { ...json, name: 'Memo', autoname: '', naming_rule: 'By script' };
  };

  it('autoname(ctx) names the document; a DocType named by script without a hook is reported once at createEngine', async () => {
    const diagnostics: unknown[] = [];
    const plain = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [...appDoctypes(), todoByScript()], onDiagnostic: (d) => diagnostics.push(d) });
    expect(plain.diagnostics.map((d) => d.doctype)).toEqual(['Memo']);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'NAMING_BY_SCRIPT', doctype: 'Memo', severity: 'warning' })]);

    const engine = createEngine({
      user: { name: 'Administrator', roles: [] }, doctypes: [...appDoctypes(), todoByScript()], adapter: memoryAdapter(), clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(),
      controllers: { Memo: { autoname(ctx) { ctx.doc.name = `MEMO-${String(ctx.doc.description).toUpperCase()}`; ctx.doc.priority = 'High'; } } },
    });
    expect(engine.diagnostics).toEqual([]);
    const r = await engine.run({ operation: 'create', target_doctype: 'Memo', input: { data: { description: 'call' } } });
    expect(r.error).toBeNull();
    expect(r.output!.data[0]).toMatchObject({ name: 'MEMO-CALL', priority: 'High' });
  });

  it('bad controllers fail createEngine with ENGINE_CONFIG', () => {
    const make = (controllers: unknown) => () => createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: appDoctypes(), controllers: controllers as Controllers });
    expect(make({ 'Sales Order': { onSubmit() {} } })).toThrow(/"onSubmit" is not a Frappe hook \(did you mean "on_submit"\?\)/);
    expect(make({ Nope: { validate() {} } })).toThrow(/"Nope" is not a DocType/);
    expect(make({ 'Sales Order Item': { validate() {} } })).toThrow(/child DocType/);
    expect(make({ 'Sales Order': { validate: 1 } })).toThrow(/must be a function/);
    try {
      make({ 'Sales Order': { onSubmit() {} } })();
    } catch (e) {
      expect(e).toBeInstanceOf(CoworkerError);
      expect((e as CoworkerError).code).toBe('ENGINE_CONFIG');
    }
  });

  it('without controllers a run reports no hooks', async () => {
    const engine = appEngine({ user: ADMIN });
    await seed(engine);
    const r = await engine.run(so());
    expect(r.output!.meta.hooks).toBeUndefined();
    expect(MANAGER.roles).toContain('Sales Manager');
  });
});
