/**
 * Issue 14, "many processes, one database": three engine processes (real child Node processes, `worker.ts`)
 * with `state: 'storage'` on one PostgreSQL server, as behind a load balancer. One edit is opened on the
 * first, changed on the second, saved on the third, and nobody else can use it on any of them; documents are
 * created on one naming series from all three at once (no duplicate names, no gaps); a rate limit is counted
 * across the three; twenty draft steps sent to the three processes at once all land in the edit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DraftMeta, RunRecord, RunRequest } from '../../src/run/types';
import { uniqueSchema, withServer } from '../storage-pg/server';
import { ANN, BOB, FIELDS, PING_LIMIT } from './app';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A child engine process and a way to send it runs. */
interface Worker {
  readonly child: ChildProcess;
  run(request: RunRequest): Promise<RunRecord>;
  stop(): Promise<void>;
}

function startWorker(url: string, schema: string): Promise<Worker> {
  const child = fork(path.join(here, 'worker.ts'), [url, schema], {
    execArgv: ['--import', 'tsx'], cwd: path.resolve(here, '../..'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (m: { record?: RunRecord; error?: string }) => void>();
  let next = 0;
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => {
      const error = new Error(`engine process ${child.pid} exited with ${String(code)}`);
      for (const answer of waiting.values()) answer({ error: error.message });
      reject(error);
    };
    child.once('exit', exited);
    child.on('message', (m: { ready?: true; id?: number; record?: RunRecord; error?: string }) => {
      if (m.ready) {
        resolve({
          child,
          run: (request) => new Promise((done, fail) => {
            const id = next++;
            waiting.set(id, (answer) => {
              waiting.delete(id);
              if (answer.record) done(answer.record);
              else fail(new Error(answer.error));
            });
            child.send({ id, request });
          }),
          stop: () => new Promise((done) => {
            child.off('exit', exited);
            child.once('exit', () => done());
            child.send({ stop: true });
          }),
        });
      } else if (m.id !== undefined) waiting.get(m.id)?.(m);
    });
  });
}

const meta = (r: RunRecord) => r.output!.meta as unknown as DraftMeta;

withServer('three engine processes on one PostgreSQL database', (url) => {
  const schema = uniqueSchema('multiproc');
  const pool = new pg.Pool({ connectionString: url });
  let workers: Worker[] = [];

  beforeAll(async () => {
    // Started together, as a deployment starts them: each prepares the same (new) schema.
    workers = await Promise.all([0, 1, 2].map(() => startWorker(url, schema)));
    expect(new Set(workers.map((w) => w.child.pid)).size).toBe(3);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('one edit: opened on process 1, changed on 2, saved on 3; another user is refused on every process', async () => {
    const [p1, p2, p3] = workers as [Worker, Worker, Worker];
    const open = await p1.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'Opened on 1' } }, options: { draft: true }, user: ANN });
    expect(open.error).toBeNull();
    const id = open.name;
    expect(meta(open).edit).toMatchObject({ id, owner: ANN.name, state: 'dirty', delta: { title: 'Opened on 1' } });

    const changed = await p2.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: id, options: { draft: true }, input: { data: { f1: 'changed on 2' } }, user: ANN });
    expect(changed.error).toBeNull();
    expect(meta(changed).edit.delta).toEqual({ title: 'Opened on 1', f1: 'changed on 2' });

    // Bob has the same roles, knows the id, and tries on every process: to read, to change, to save.
    for (const p of workers) {
      const peek = await p.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: id, options: { draft: true }, input: { data: {} }, user: BOB });
      expect(peek.error?.code).toBe('PERMISSION_DENIED');
      expect(peek.output).toBeNull();
      const slip = await p.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: id, options: { draft: true }, input: { data: { f2: 'bob' } }, user: BOB });
      expect(slip.error?.code).toBe('PERMISSION_DENIED');
      const steal = await p.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: id, input: { data: {} }, user: BOB });
      expect(steal.error?.code).toBe('PERMISSION_DENIED');
    }
    // Ann through an agent is not Ann either.
    const agent = await p3.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: id, input: { data: {} }, user: ANN, agent: 'assistant' });
    expect(agent.error?.code).toBe('PERMISSION_DENIED');

    const saved = await p3.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: id, input: { data: { f3: 'saved on 3' } }, user: ANN });
    expect(saved.error).toBeNull();
    expect(saved.output!.data[0]).toMatchObject({ title: 'Opened on 1', f1: 'changed on 2', f2: null, f3: 'saved on 3', owner: ANN.name });
    expect((saved.output!.meta as { edit: DraftMeta['edit'] }).edit).toMatchObject({ state: 'saved', delta: {}, docname: saved.docname });

    // The saved edit continues on process 1 as an update of the stored document.
    const again = await p1.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: id, options: { draft: true }, input: { data: { f4: 'later' } }, user: ANN });
    expect(again.error).toBeNull();
    expect(meta(again).edit).toMatchObject({ docname: saved.docname, state: 'dirty', delta: { f4: 'later' } });
    const stored = await pool.query(`SELECT title, f1, f2, f3 FROM "${schema}"."tabMP Note" WHERE name = $1`, [saved.docname]);
    expect(stored.rows).toEqual([{ title: 'Opened on 1', f1: 'changed on 2', f2: null, f3: 'saved on 3' }]);
  }, 60_000);

  it('twenty draft steps sent to the three processes at once: every change is in the edit (no lost update)', async () => {
    const open = await workers[0]!.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'Busy' } }, options: { draft: true }, user: ANN });
    expect(open.error).toBeNull();
    const steps = await Promise.all(FIELDS.map((f, i) => workers[i % 3]!.run({
      operation: 'update', target_doctype: 'MP Note', parent_run_id: open.name, options: { draft: true }, input: { data: { [f]: `v${i}` } }, user: ANN,
    })));
    for (const s of steps) expect(s.error).toBeNull();
    const saved = await workers[2]!.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: open.name, input: { data: {} }, user: ANN });
    expect(saved.error).toBeNull();
    expect(saved.output!.data[0]).toMatchObject(Object.fromEntries([['title', 'Busy'], ...FIELDS.map((f, i) => [f, `v${i}`])]));
  }, 60_000);

  it('3 × 50 concurrent creates on one naming series: no duplicate names, no gaps', async () => {
    const before = await pool.query<{ current: string }>(`SELECT current FROM "${schema}"."tabSeries" WHERE name = 'MPN-'`);
    const start = Number(before.rows[0]?.current ?? 0);
    const runs = await Promise.all(workers.flatMap((p, w) => Array.from({ length: 50 }, (_, i) => p.run({
      operation: 'create', target_doctype: 'MP Note', input: { data: { title: `p${w} #${i}` } }, user: ANN,
    }))));
    for (const r of runs) expect(r.error).toBeNull();
    const names = runs.map((r) => r.docname!);
    expect(new Set(names).size).toBe(150);
    const numbers = names.map((n) => Number(/^MPN-(\d{5})$/.exec(n)![1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 150 }, (_, i) => start + i + 1));
    const after = await pool.query<{ current: string }>(`SELECT current FROM "${schema}"."tabSeries" WHERE name = 'MPN-'`);
    expect(Number(after.rows[0]!.current)).toBe(start + 150);
  }, 120_000);

  it('a rate limit is counted across the processes: 3 × 20 calls at once, exactly the limit succeed', async () => {
    const runs = await Promise.all(workers.flatMap((p) => Array.from({ length: 20 }, () => p.run({ operation: 'ping', user: ANN }))));
    const ok = runs.filter((r) => r.success);
    const limited = runs.filter((r) => r.error?.code === 'RATE_LIMITED');
    expect(ok.length).toBe(PING_LIMIT);
    expect(limited.length).toBe(60 - PING_LIMIT);
    // Served by more than one process, and refused on every process once the shared window is used up.
    expect(new Set(ok.map((r) => (r.output!.data[0] as { pid: number }).pid)).size).toBeGreaterThan(1);
    for (const p of workers) expect((await p.run({ operation: 'ping', user: ANN })).error?.code).toBe('RATE_LIMITED');
  }, 60_000);
});
