/**
 * Edits and rate limits in storage when connections are lost: backends killed (`pg_terminate_backend`) again
 * and again while draft steps and rate-limited calls run. Each run either succeeds or fails with
 * `STORAGE_CONNECTION_LOST` (never `INTERNAL`), every successful step's change is in the stored edit, and the
 * next runs work on fresh connections.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { createEngine } from '../../src/run/engine';
import { uniqueSchema, withServer } from '../storage-pg/server';
import { ANN, FIELDS, appOptions, pingAdapter } from './app';

withServer('edits in storage: lost connections', (url) => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schema = uniqueSchema('mp_conn');
  const tag = `wt_mp_kill_${process.pid}`;
  const tagged = new URL(url);
  tagged.searchParams.set('application_name', tag);
  const adapter = postgresAdapter(tagged.toString(), { schema });
  afterAll(async () => {
    await adapter.close?.();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  const kill = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [tag]);

  it('steps and calls fail typed while backends die; no successful step is lost; the next ones work', async () => {
    const engine = createEngine({ ...appOptions(), adapters: [pingAdapter(1000)], adapter });
    // Several rounds: a kill that lands while a connection is being opened is rare in any one of them.
    for (let round = 0; round < 4; round++) {
      const open = await engine.run({ operation: 'create', target_doctype: 'MP Note', input: { data: { title: 'T' } }, options: { draft: true }, user: ANN });
      expect(open.error).toBeNull();
      let killing = true;
      const killer = (async () => {
        while (killing) {
          await kill();
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
      })();
      const runs = await Promise.all([
        ...FIELDS.map((f, i) => engine.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: open.name, options: { draft: true }, input: { data: { [f]: `v${i}` } }, user: ANN })),
        ...Array.from({ length: 10 }, () => engine.run({ operation: 'ping', user: ANN })),
      ]);
      killing = false;
      await killer;
      for (const r of runs) if (!r.success) expect(r.error?.code).toBe('STORAGE_CONNECTION_LOST');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const edit = await engine.loadEdit(open.name);
      for (const [i, s] of runs.slice(0, FIELDS.length).entries()) if (s.success) expect(edit!.delta[FIELDS[i]!]).toBe(`v${i}`);
      // Fresh connections: the edit goes on and saves.
      const last = await engine.run({ operation: 'update', target_doctype: 'MP Note', parent_run_id: open.name, options: { draft: true }, input: { data: { f0: 'after' } }, user: ANN });
      expect(last.error).toBeNull();
      const saved = await engine.run({ operation: 'create', target_doctype: 'MP Note', parent_run_id: open.name, input: { data: {} }, user: ANN });
      expect(saved.error).toBeNull();
      expect(saved.output!.data[0]).toMatchObject({ title: 'T', f0: 'after' });
    }
    expect((await engine.run({ operation: 'ping', user: ANN })).error).toBeNull();
  }, 90_000);
});
