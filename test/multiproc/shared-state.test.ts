/**
 * Engine state in storage (`state: 'storage'`) on every adapter: engines that share one storage (as processes
 * share one database) share edits, with the same ownership and state machine, and rate-limit windows. Every
 * change of an edit is a compare-and-set: concurrent steps never lose an update (also in one process with the
 * default in-process edits), and a concurrent save is refused while another runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/env';
import { createEngine } from '../../src/run/engine';
import { EditConflict } from '../../src/run/edit-state';
import { EDIT_DOCTYPE, RATE_LIMIT_DOCTYPE, STATE_RETRIES, retryEditConflicts } from '../../src/run/shared-state';
import type { DraftMeta, EngineOptions, RunRecord } from '../../src/run/types';
import { memoryAdapter } from '../../src/storage/memory';
import type { StorageAdapter } from '../../src/storage/types';
import { everyAdapter } from '../helpers/adapters';
import { ANN, BOB, FIELDS, appOptions, pingAdapter } from './app';

const { adapters, close } = everyAdapter('shared_state');
afterAll(close);

const meta = (r: RunRecord) => r.output!.meta as unknown as DraftMeta;
const draft = (parent: string, data: Record<string, unknown>, user = ANN) =>
  ({ operation: 'update', target_doctype: 'MP Note', parent_run_id: parent, options: { draft: true }, input: { data }, user }) as const;

/** Three engines over one storage, as three processes over one database. */
function engines(adapter: StorageAdapter, extra: EngineOptions = {}) {
  return [0, 1, 2].map(() => createEngine({ ...appOptions(), adapter, ...extra }));
}

describe.each(adapters)('state in storage: %s', (_name, makeAdapter) => {
  it('an edit opened on one engine is continued and saved on the others; its owner only', async () => {
    const [e1, e2, e3] = engines(await makeAdapter());
    const open = await e1!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'T' } }, options: { draft: true }, user: ANN });
    expect(open.error).toBeNull();
    const step = await e2!.run(draft(open.name, { f0: 'two' }));
    expect(step.error).toBeNull();
    expect(meta(step).edit).toMatchObject({ id: open.name, state: 'dirty', delta: { title: 'T', f0: 'two' }, owner: ANN.name, agent: null });
    for (const e of [e1!, e2!, e3!]) {
      const r = await e.run(draft(open.name, { f1: 'bob' }, BOB));
      expect(r.error?.code).toBe('PERMISSION_DENIED');
      expect(r.output).toBeNull();
    }
    const saved = await e3!.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: open.name, input: { data: {} }, user: ANN });
    expect(saved.error).toBeNull();
    expect(saved.output!.data[0]).toMatchObject({ title: 'T', f0: 'two', f1: null });
    // `edit()` answers from what that engine saw last; `loadEdit()` reads the stored edit.
    expect(e1!.edit(open.name)).toMatchObject({ state: 'dirty', delta: { title: 'T' } });
    expect(e3!.edit(open.name)).toMatchObject({ state: 'saved' });
    expect(await e1!.loadEdit(open.name)).toMatchObject({ state: 'saved', docname: saved.docname, delta: {} });
    expect(e1!.edit(open.name)).toMatchObject({ state: 'saved' });
  });

  it('an update edit whose document another engine saved meanwhile fails TIMESTAMP_MISMATCH and keeps its delta', async () => {
    const [e1, e2] = engines(await makeAdapter());
    const created = await e1!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'Base' } }, user: ANN });
    expect(created.error).toBeNull();
    const open = await e1!.run({ operation: 'update', target_doctype: 'MP Note', input: { data: { name: created.docname, f0: 'mine' } }, options: { draft: true }, user: ANN });
    expect(open.error).toBeNull();
    const other = await e2!.run({ operation: 'update', target_doctype: 'MP Note', input: { data: { name: created.docname, f1: 'theirs' } }, user: BOB });
    expect(other.error).toBeNull();
    const stale = await e2!.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: open.name, input: { data: {} }, user: ANN });
    expect(stale.error?.code).toBe('TIMESTAMP_MISMATCH');
    expect(await e1!.loadEdit(open.name)).toMatchObject({ state: 'failed', delta: { f0: 'mine' }, error: { code: 'TIMESTAMP_MISMATCH' } });
  });

  it('twenty concurrent draft steps on three engines: none is lost', async () => {
    const all = engines(await makeAdapter());
    const open = await all[0]!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: {} }, options: { draft: true }, user: ANN });
    const steps = await Promise.all(FIELDS.map((f, i) => all[i % 3]!.run(draft(open.name, { [f]: `v${i}` }))));
    for (const s of steps) expect(s.error).toBeNull();
    expect((await all[1]!.loadEdit(open.name))!.delta).toEqual(Object.fromEntries(FIELDS.map((f, i) => [f, `v${i}`])));
  });

  it('two saves at once: one document; a save meeting a save in progress is refused, never doubled', async () => {
    const adapter = await makeAdapter();
    const [e1, e2] = engines(adapter);
    const open = await e1!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'Once' } }, options: { draft: true }, user: ANN });
    const saves = await Promise.all([e1!, e2!].map((e) => e.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: open.name, input: { data: {} }, user: ANN })));
    for (const s of saves) if (!s.success) expect(s.error?.code).toBe('INVALID_RUN');
    expect(saves.some((s) => s.success)).toBe(true);
    expect(await adapter.count('MP Note')).toBe(1);
  });

  it('a rate limit is counted across the engines, per window of the engine clock', async () => {
    let now = Date.parse('2024-03-05T10:00:00Z');
    const limited = { adapters: [pingAdapter(4)], clock: () => new Date(now) };
    const [e1, e2, e3] = engines(await makeAdapter(), limited);
    const calls = await Promise.all([e1!, e2!, e3!, e1!, e2!, e3!].map((e) => e.run({ operation: 'ping', user: ANN })));
    expect(calls.filter((r) => r.success)).toHaveLength(4);
    expect(calls.filter((r) => r.error?.code === 'RATE_LIMITED')).toHaveLength(2);
    now += 3_600_000; // the next window
    expect((await e3!.run({ operation: 'ping', user: ANN })).success).toBe(true);
  });

  it('a rate-limited call from a hook (inside the write\'s transaction) does not wait for calls queued outside it', async () => {
    let started!: () => void;
    const inHook = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const engine = createEngine({
      ...appOptions(), adapter: await makeAdapter(),
      controllers: { 'MP Note': { async on_update(ctx) {
        started();
        await gate;
        await ctx.run({ operation: 'ping' });
      } } },
    });
    const create = engine.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'hooked' } }, user: ANN });
    await inHook;
    const outside = engine.run({ operation: 'ping', user: ANN }); // queued for `ping`, then waiting for the transaction
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const [a, b] = await Promise.all([create, outside]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
  }, 20_000);

  it('maxEdits bounds the stored edits: opening one more drops the least recently changed', async () => {
    const adapter = await makeAdapter();
    const [e1, e2] = engines(adapter, { maxEdits: 3, clock: fixedClock('2024-03-05T10:00:00Z') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const open = await (i % 2 ? e2! : e1!).run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: `#${i}` } }, options: { draft: true }, user: ANN });
      expect(open.error).toBeNull();
      ids.push(open.name);
    }
    expect(await adapter.count(EDIT_DOCTYPE)).toBe(3);
    expect(await e2!.loadEdit(ids[0]!)).toBeUndefined();
    expect(await e2!.loadEdit(ids[4]!)).toMatchObject({ delta: { title: '#4' } });
    // A dropped edit is gone for every engine: its id is no parent any more where the opening run is unknown.
    expect((await e2!.run(draft(ids[0]!, { f0: 'x' }))).error?.code).toBe('INVALID_RUN');
  });
});

describe('state in process (the default)', () => {
  it('concurrent draft steps on one engine: none is lost', async () => {
    const engine = createEngine({ ...appOptions(), state: 'process', adapter: memoryAdapter() });
    const open = await engine.run({ operation: 'create', target_doctype: 'MP Note', input: { data: {} }, options: { draft: true }, user: ANN });
    const steps = await Promise.all(FIELDS.map((f, i) => engine.run(draft(open.name, { [f]: `v${i}` }))));
    for (const s of steps) expect(s.error).toBeNull();
    expect(engine.edit(open.name)!.delta).toEqual(Object.fromEntries(FIELDS.map((f, i) => [f, `v${i}`])));
  });

  it('keeps nothing in storage, and a second engine does not know the edit', async () => {
    const adapter = memoryAdapter();
    const [a, b] = [0, 1].map(() => createEngine({ ...appOptions(), state: 'process', adapter }));
    const open = await a!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'T' } }, options: { draft: true }, user: ANN });
    expect((await b!.run(draft(open.name, { f0: 'x' }))).error?.code).toBe('INVALID_RUN');
    await expect(adapter.count(EDIT_DOCTYPE)).rejects.toMatchObject({ code: 'STORAGE_UNKNOWN_DOCTYPE' });
    await expect(adapter.count(RATE_LIMIT_DOCTYPE)).rejects.toMatchObject({ code: 'STORAGE_UNKNOWN_DOCTYPE' });
  });

  it('a state other than process or storage fails at createEngine', () => {
    expect(() => createEngine({ ...appOptions(), state: 'redis' as never })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  });

  it('a step is redone while it loses the race, then fails EDIT_CONFLICT; other errors pass at once', async () => {
    let attempts = 0;
    await expect(retryEditConflicts(async () => {
      attempts++;
      throw new EditConflict('run-x');
    })).rejects.toMatchObject({ code: 'EDIT_CONFLICT' });
    expect(attempts).toBe(STATE_RETRIES + 1);
    attempts = 0;
    expect(await retryEditConflicts(async () => (++attempts < 3 ? Promise.reject(new EditConflict('run-x')) : 'done'))).toBe('done');
    expect(attempts).toBe(3);
    attempts = 0;
    await expect(retryEditConflicts(async () => {
      attempts++;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(attempts).toBe(1);
  });
});
