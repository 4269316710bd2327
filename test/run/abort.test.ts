/** engine.run(request, { signal }): aborted runs, real AbortSignals for service adapters, inherited by child runs. */
import { describe, expect, it } from 'vitest';
import { createEngine, memoryAdapter, type ServiceAdapter } from '../../src/index';

const todo = {
  name: 'Abort Note', module: 'Test', autoname: 'hash',
  fields: [{ fieldname: 'title', fieldtype: 'Data', label: 'Title' }],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
};
const user = { name: 'a@example.com', roles: ['System Manager'] };

describe('AbortSignal', () => {
  it('a run whose signal is already aborted is refused with ABORTED and writes nothing', async () => {
    const engine = createEngine({ doctypes: [todo], adapter: memoryAdapter(), user });
    const controller = new AbortController();
    controller.abort(new Error('user left the page'));
    const r = await engine.run({ operation: 'create', target_doctype: 'Abort Note', input: { data: { title: 'x' } } }, { signal: controller.signal });
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({ code: 'ABORTED', exc: 'ValidationError' });
    expect(r.error?.message).toContain('user left the page');
    const all = await engine.run({ operation: 'select', source_doctype: 'Abort Note', query: {} });
    expect(all.output?.data).toHaveLength(0);
  });

  it('a service adapter gets a real AbortSignal that aborts with the caller’s', async () => {
    let seen: AbortSignal | undefined;
    const slow: ServiceAdapter = {
      name: 'slow', operations: ['fetch_rates'],
      handle: ({ signal }) => {
        seen = signal as AbortSignal;
        return new Promise((resolve) => setTimeout(() => resolve({ data: [] }), 2_000));
      },
    };
    const engine = createEngine({ doctypes: [todo], adapter: memoryAdapter(), user, adapters: [slow], operationAdapters: { fetch_rates: 'slow' } });
    const controller = new AbortController();
    const pending = engine.run({ operation: 'fetch_rates' }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
    controller.abort();
    const r = await pending;
    expect(r.error?.code).toBe('ABORTED');
    expect(seen!.aborted).toBe(true);
  });

  it('the adapter timeout aborts the real signal too', async () => {
    let seen: AbortSignal | undefined;
    const slow: ServiceAdapter = {
      name: 'slow', operations: ['fetch_rates'], timeout: 20,
      handle: ({ signal }) => { seen = signal as AbortSignal; return new Promise(() => {}); },
    };
    const engine = createEngine({ doctypes: [todo], adapter: memoryAdapter(), user, adapters: [slow], operationAdapters: { fetch_rates: 'slow' } });
    const r = await engine.run({ operation: 'fetch_rates' });
    expect(r.error?.code).toBe('ADAPTER_TIMEOUT');
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(true);
  });

  it('child runs of a custom operation inherit the signal', async () => {
    const controller = new AbortController();
    const engine = createEngine({
      doctypes: [todo], adapter: memoryAdapter(), user,
      operations: {
        two_notes: {
          async handle(ctx) {
            const first = await ctx.run({ operation: 'create', target_doctype: 'Abort Note', input: { data: { title: 'one' } } });
            controller.abort();
            const second = await ctx.run({ operation: 'create', target_doctype: 'Abort Note', input: { data: { title: 'two' } } }, { failParent: false });
            return { data: [], meta: { first: first.error?.code ?? 'ok', second: second.error?.code ?? 'ok', sawSignal: ctx.signal?.aborted === true } };
          },
        },
      },
    });
    const r = await engine.run({ operation: 'two_notes' }, { signal: controller.signal });
    expect(r.output?.meta).toEqual({ first: 'ok', second: 'ABORTED', sawSignal: true });
    const all = await engine.run({ operation: 'select', source_doctype: 'Abort Note', query: {} });
    expect(all.output?.data.map((d) => d.title)).toEqual(['one']);
  });
});
