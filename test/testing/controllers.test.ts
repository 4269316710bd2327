/**
 * coworker/testing for controllers: an app with controllers, app.run() with the hook trace, and the matchers
 * toFailWith / toHaveRun / toHaveCreated, whose failure messages name the hook that threw, the order the
 * hooks ran in and the document each saw.
 */
import { describe, expect, it } from 'vitest';
import { flt } from '../../src/values/number';
import { createTestApp } from '../../src/testing/app';
import { coworkerMatchers, type MatcherResult } from '../../src/testing/matchers';
import type { Controllers } from '../../src/run/lifecycle';
import { appDoctypes, ORDER } from '../run/helpers';

expect.extend(coworkerMatchers);

type Row = Record<string, unknown>;

const controllers: Controllers = {
  'Sales Order': [
    {
      name: 'totals',
      validate(ctx) {
        for (const r of ctx.doc.items as Row[]) r.amount = flt(r.qty) * flt(r.rate);
        ctx.doc.total = (ctx.doc.items as Row[]).reduce((s, r) => s + flt(r.amount), 0);
      },
    },
    {
      name: 'limits',
      before_save(ctx) {
        if (ctx.doc.total > 100) ctx.throw(`Total ${ctx.doc.total} is over the limit`, { field: 'total' });
        if (ctx.doc.notes === 'crash') (undefined as unknown as Row).x = 1;
      },
      async on_submit(ctx) {
        await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: `Deliver ${ctx.doc.name}`, priority: 'High' } } });
      },
    },
  ],
};

async function seeded() {
  const app = createTestApp(appDoctypes(), { controllers });
  for (const data of [{ customer_name: 'Acme' }]) expect(await app.run({ operation: 'create', target_doctype: 'Customer', input: { data } })).toSucceed();
  for (const data of [{ item_code: 'ITEM-1', item_name: 'Widget', standard_rate: 9.5 }, { item_code: 'ITEM-2', item_name: 'Gadget', standard_rate: 20 }]) {
    expect(await app.run({ operation: 'create', target_doctype: 'Item', input: { data } })).toSucceed();
  }
  return app;
}

/** Call a matcher directly, to read its message. */
function call(name: keyof typeof coworkerMatchers, ...args: unknown[]): MatcherResult {
  return (coworkerMatchers[name] as (...a: unknown[]) => MatcherResult).apply({}, args);
}

describe('app.run and the controller matchers', () => {
  it('records the hooks of a run and of its child runs, and the documents they created', async () => {
    const app = await seeded();
    const created = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    expect(created).toSucceed();
    expect(created).toHaveRun(['validate', 'before_save']);
    expect(created).not.toHaveRun('on_submit');
    expect(created.hooks.map((h) => `${h.controller}:${h.hook}`)).toEqual(['totals:validate', 'limits:before_save']);
    expect(created.hooks[0]!.changed).toEqual(['total', 'items[1].amount']);
    expect(created.hooks[1]!.doc).toMatchObject({ total: 19 }); // what before_save saw

    const submitted = await app.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } } });
    // Only registered hooks are recorded: these controllers have no before_submit.
    expect(submitted).toHaveRun(['validate', 'on_submit']);
    expect(submitted).toHaveCreated('ToDo', [{ description: `Deliver ${created.docname}`, priority: 'High' }]);
    expect(submitted).toHaveCreated('ToDo', 1);
    expect(submitted).not.toHaveCreated('Sales Order');
    expect(await app.store().adapter.count('ToDo')).toBe(1);
  });

  it('toFailWith matches code, exc, message, field and the hook that threw; its message shows the trace', async () => {
    const app = await seeded();
    const big = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, items: [{ item_code: 'ITEM-2', qty: 9 }] } } });
    expect(big).toFailWith('VALIDATION');
    expect(big).toFailWith({ code: 'VALIDATION', exc: 'ValidationError', message: /over the limit/, field: 'total', hook: 'before_save' });
    expect(big).not.toFailWith({ hook: 'validate' });

    const wrong = call('toFailWith', big, { code: 'VALIDATION', hook: 'Sales Order.validate' });
    expect(wrong.pass).toBe(false);
    const text = wrong.message();
    expect(text).toContain('thrown by: Sales Order.before_save [limits]');
    expect(text).toContain('1. Sales Order.validate [totals] (insert, run');
    expect(text).toContain('changed total, items[1].amount');
    expect(text).toContain('2. Sales Order.before_save [limits]');
    expect(text).toContain('THREW ValidationError: Total 180 is over the limit');
    expect(text).toMatch(/saw \{ .*total: 180.*items: \[1 row first \{ .*item_code: "ITEM-2"/);

    const crash = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, notes: 'crash' } } });
    expect(crash).toFailWith({ code: 'CONTROLLER_ERROR', exc: 'TypeError', hook: 'before_save' });
  });

  it('toHaveRun explains a missing or out-of-order hook with the full trace', async () => {
    const app = await seeded();
    const r = await app.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    const out = call('toHaveRun', r, ['before_save', 'validate']);
    expect(out.pass).toBe(false);
    expect(out.message()).toContain('but validate ran out of that order');
    expect(out.message()).toContain('hooks, in call order:');
    const none = call('toHaveRun', r, 'on_cancel');
    expect(none.message()).toContain('but on_cancel did not run');
    expect(() => call('toHaveRun', { doctype: 'Run', operation: 'create' }, 'validate')).toThrow(/a run record from engine.run\(\)/);
    const created = call('toHaveCreated', r, 'ToDo');
    expect(created.pass).toBe(false);
    expect(created.message()).toContain('it created 0 ToDos');
  });
});
