/** Run records, events, the run store (tree, bound, queries), storeRuns traceability, concurrency. */
import { describe, expect, it } from 'vitest';
import { fixedClock, sequentialIds } from '../../src/env';
import { createEngine } from '../../src/run/engine';
import type { RunRecord } from '../../src/run/types';
import { memoryAdapter } from '../../src/storage/memory';
import { appDoctypes, appEngine, SYSTEM_MANAGER } from './helpers';

describe('run records and events', () => {
  it('emits before → after → settled on success and before → error → settled on failure; a throwing listener breaks nothing', async () => {
    const reported: unknown[] = [];
    const engine = appEngine({ user: SYSTEM_MANAGER, onListenerError: (e) => reported.push(e) });
    const seen: string[] = [];
    for (const ev of ['before', 'after', 'error', 'settled'] as const) engine.on(ev, (r) => seen.push(`${ev}:${r.status}`));
    engine.on('before', () => {
      throw new Error('listener bug');
    });
    const ok = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x' } } });
    expect(ok.success).toBe(true);
    expect(seen).toEqual(['before:running', 'after:completed', 'settled:completed']);
    seen.length = 0;
    await engine.run({ operation: 'nope' });
    expect(seen).toEqual(['before:running', 'error:failed', 'settled:failed']);
    expect(reported).toHaveLength(2);
    expect(await engine.adapter.count('ToDo')).toBe(1);
  });

  it('the record has every field of run_doc, frozen', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER });
    const r = await engine.run({ operation: 'insert', doctype: 'ToDo', input: { data: { description: 'x' } }, agent: 'assistant-1', flow_type: 'chat', step_id: 's1' });
    expect(Object.keys(r).sort()).toEqual([
      'agent', 'child_run_ids', 'creation', 'docname', 'doctype', 'duration', 'error', 'flow_id', 'flow_type', 'input', 'modified', 'name',
      'operation', 'operation_original', 'options', 'output', 'owner', 'parent_run_id', 'query', 'source_doctype', 'status', 'step_id',
      'success', 'target_doctype', 'warnings', 'flags',
    ].sort());
    expect(r).toMatchObject({ doctype: 'Run', operation: 'create', operation_original: 'insert', owner: 'a@x.com', agent: 'assistant-1', flow_id: r.name, flow_type: 'chat', step_id: 's1' });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.output!.data[0])).toBe(true);
    expect(r.modified > r.creation).toBe(true);
  });

  it('the caller\'s input is never mutated', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER });
    const data = { description: 'x', status: 'Open' };
    const input = { data };
    await engine.run({ operation: 'create', target_doctype: 'ToDo', input });
    expect(input).toEqual({ data: { description: 'x', status: 'Open' } });
    expect(Object.isFrozen(data)).toBe(false);
  });

  it('child runs link both ways and inherit flow_id; the tree is navigable from any node', async () => {
    const engine = appEngine({
      user: SYSTEM_MANAGER,
      operations: {
        two_todos: {
          async handle(ctx) {
            const a = await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'a' } } });
            const b = await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'b' } } });
            return { data: [...a.output!.data, ...b.output!.data] };
          },
        },
      },
    });
    const parent = await engine.run({ operation: 'two_todos', flow_id: 'flow-1' });
    expect(parent.success).toBe(true);
    expect(parent.child_run_ids).toHaveLength(2);
    for (const id of parent.child_run_ids) {
      const child = engine.runs.get(id)!;
      expect(child).toMatchObject({ parent_run_id: parent.name, flow_id: 'flow-1', owner: 'a@x.com', success: true });
    }
    const tree = engine.runs.tree(parent.child_run_ids[1]!)!;
    expect(tree.run.name).toBe(parent.name);
    expect(tree.children.map((c) => c.run.name)).toEqual(parent.child_run_ids);
    expect(engine.runs.query({ flow_id: 'flow-1' })).toHaveLength(3);
  });

  it('the run store is bounded (oldest evicted) and queryable by status and DocType', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER, maxRuns: 3 });
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push((await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: `t${i}` } } })).name);
    await engine.run({ operation: 'nope' });
    expect(engine.runs.size).toBe(3);
    expect(engine.runs.get(names[0]!)).toBeUndefined();
    expect(engine.runs.get(names[1]!)).toBeUndefined();
    expect(engine.runs.get(names[3]!)?.success).toBe(true);
    expect(engine.runs.query({ status: 'failed' })).toHaveLength(1);
    expect(engine.runs.query({ doctype: 'ToDo', status: 'completed' }).map((r) => r.name)).toEqual([names[2], names[3]]);
    const seen: RunRecord[] = [];
    const off = engine.runs.subscribe((r) => seen.push(r));
    await engine.run({ operation: 'select', from: 'ToDo' });
    off();
    expect(seen.map((r) => r.status)).toEqual(['pending', 'running', 'completed']);
  });

  it('storeRuns: run records are stored as append-only Run documents; a document traces to its runs', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER, storeRuns: true });
    const created = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x' } } });
    const updated = await engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { name: created.docname, description: 'y' } } });
    await engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { name: created.docname, status: 'Bogus' } } }); // fails
    const stored = await engine.adapter.get('Run', created.name);
    expect(stored).toMatchObject({ operation: 'create', status: 'completed', success: 1, docname: created.docname, owner: 'a@x.com' });
    // Warnings (here: Links to User, a DocType this engine does not hold) are stored with the record.
    expect(created.warnings.length).toBeGreaterThan(0);
    expect(stored!.warnings).toEqual(JSON.parse(JSON.stringify(created.warnings)));
    const trace = await engine.trace('ToDo', created.docname!);
    expect(trace.created?.name).toBe(created.name);
    expect(trace.last?.name).toBe(updated.name);
    expect(trace.runs).toHaveLength(2);
    // Run documents are append-only, for everyone.
    const change = await engine.run({ operation: 'update', target_doctype: 'Run', input: { data: { name: created.name, status: 'failed' } }, user: { name: 'Administrator', roles: [] } });
    expect(change.error?.code).toBe('APPEND_ONLY');
    const list = await engine.run({ operation: 'select', from: 'Run', query: { where: { success: 0 } } });
    expect(list.output!.data.map((r) => r.error_code)).toContain('VALIDATION');
  });
});

describe('concurrency', () => {
  it('20 parallel read-modify-write updates from two engines sharing one adapter: none lost', async () => {
    const storage = memoryAdapter();
    const mk = (start: number) => createEngine({ doctypes: appDoctypes(), adapter: storage, user: SYSTEM_MANAGER, clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(start) });
    const a = mk(1);
    const b = mk(100000);
    const todo = await a.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: '0' } } });
    const name = todo.docname!;
    // Each worker reads the document, then writes description + 1 against the `modified` it read.
    const worker = async (engine: typeof a) => {
      const read = await engine.run({ operation: 'takeone', from: 'ToDo', input: { data: { name } } });
      const doc = read.output!.data[0]!;
      return engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { name, modified: doc.modified, description: String(Number(doc.description) + 1) } } });
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i % 2 ? a : b)));
    const applied = results.filter((r) => r.success).length;
    for (const r of results) if (!r.success) expect(r.error?.code).toBe('TIMESTAMP_MISMATCH');
    expect(applied).toBeGreaterThan(0);
    expect((await storage.get('ToDo', name))!.description).toBe(String(applied));
  });

  it('two runs in the same millisecond get distinct, increasing modified stamps', async () => {
    const engine = appEngine({ user: SYSTEM_MANAGER });
    const r1 = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'a' } } });
    const r2 = await engine.run({ operation: 'update', target_doctype: 'ToDo', input: { data: { name: r1.docname, description: 'b' } } });
    const m1 = r1.output!.data[0]!.modified as string;
    const m2 = r2.output!.data[0]!.modified as string;
    expect(m1).toMatch(/^2024-03-05 10:00:00\.\d{6}$/);
    expect(m2 > m1).toBe(true);
  });
});
