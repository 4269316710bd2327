/**
 * One engine process of the multi-process test (`processes.test.ts`): an engine with `state: 'storage'` over
 * the PostgreSQL database and schema given as arguments. The parent sends `{ id, request }` over IPC; the
 * worker answers `{ id, record }` with the settled run record (requests run concurrently, as behind a load
 * balancer). It says `{ ready: true }` once its storage is prepared.
 */
import { postgresAdapter } from '../../src/postgres';
import { createEngine } from '../../src/run/engine';
import type { RunRecord, RunRequest } from '../../src/run/types';
import { appOptions } from './app';

const [url, schema] = process.argv.slice(2);
if (!url || !schema || !process.send) throw new Error('usage: worker.ts <postgres url> <schema> (forked with IPC)');
const send = (message: unknown) => process.send!(message);

const adapter = postgresAdapter(url, { schema });
const engine = createEngine({ ...appOptions(), adapter });

process.on('message', (message: { id: number; request: RunRequest } | { stop: true }) => {
  if ('stop' in message) {
    void adapter.close?.().finally(() => process.exit(0));
    return;
  }
  void engine.run(message.request).then(
    (record: RunRecord) => send({ id: message.id, record }),
    (error: unknown) => send({ id: message.id, error: String(error) }),
  );
});

await engine.ready();
send({ ready: true });
