/**
 * Lost connections on the PostgreSQL server: backends killed with `pg_terminate_backend` while idle, between
 * the statements of a transaction and while writes are in flight. The process must live (an unhandled 'error'
 * event would crash it, and vitest fails a run with an unhandled error), the operation in flight fails with
 * `STORAGE_CONNECTION_LOST` (the run with the same code), nothing half-written stays, and the next call works
 * on a fresh connection.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { createEngine } from '../../src/run/index';
import { StorageError } from '../../src/storage/errors';
import type { StorageAdapter } from '../../src/storage/types';
import { fixtureJson } from '../helpers/fixtures';
import { conformanceDoctypes } from '../storage/conformance';
import { uniqueSchema, withServer } from './server';

const ORDER = 'Conf Order';
const T0 = '2024-01-15 10:30:00.000000';

withServer('postgres: lost connections', (url) => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** A connection string whose sessions carry an application_name of their own, so only they are killed. */
  const tagged = (tag: string): string => {
    const u = new URL(url);
    u.searchParams.set('application_name', tag);
    return u.toString();
  };
  const kill = async (tag: string): Promise<number> => {
    const result = await admin.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [tag],
    );
    return result.rows[0]?.n ?? 0;
  };
  const fresh = async (tag: string, adapter: (u: string, schema: string) => StorageAdapter): Promise<StorageAdapter> => {
    const schema = uniqueSchema('conn');
    schemas.push(schema);
    const storage = adapter(tagged(tag), schema);
    await storage.prepare(conformanceDoctypes());
    return storage;
  };
  const order = (name: string, rows = 0) => ({ name, modified: T0, items: Array.from({ length: rows }, (_, i) => ({ name: `${name}-R${i}`, qty: i })) });
  const codeOf = (e: unknown): unknown => (e instanceof StorageError ? e.code : e);

  it('idle pooled connections killed: the process lives and the next calls reconnect', async () => {
    const tag = `wt_kill_idle_${process.pid}`;
    const storage = await fresh(tag, (u, schema) => postgresAdapter(u, { schema }));
    try {
      await storage.insert(ORDER, order('SO-1', 2));
      expect(await kill(tag)).toBeGreaterThan(0);
      // Give the dead sockets time to report their 'error' events (unheard, they would crash the process).
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Reads and writes after the kill work: the pool dropped the dead connections.
      expect(await storage.count(ORDER)).toBe(1);
      await storage.insert(ORDER, order('SO-2', 2));
      expect(await storage.count('Conf Row')).toBe(4);
    } finally {
      await storage.close?.();
    }
  }, 30_000);

  it('killed between the statements of a transaction: STORAGE_CONNECTION_LOST, nothing written, the next transaction works', async () => {
    const tag = `wt_kill_tx_${process.pid}`;
    // A caller's pool with its own idle listener: the checked-out connection is the adapter's to guard.
    const pool = new pg.Pool({ connectionString: tagged(tag), max: 3 });
    pool.on('error', () => undefined);
    const storage = await fresh(tag, (_u, schema) => postgresAdapter(pool, { schema }));
    try {
      const failed = await storage.transaction(async (tx) => {
        await tx.insert(ORDER, order('SO-1', 3));
        await kill(tag);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.insert(ORDER, order('SO-2'));
      }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(StorageError);
      expect(failed).toMatchObject({ code: 'STORAGE_CONNECTION_LOST', exc: 'OperationalError' });
      expect(await storage.count(ORDER)).toBe(0);
      expect(await storage.count('Conf Row')).toBe(0);
      await storage.transaction(async (tx) => {
        await tx.insert(ORDER, order('SO-3', 1));
      });
      expect(await storage.count(ORDER)).toBe(1);
    } finally {
      await pool.end();
    }
  }, 30_000);

  it('killed while writes are in flight: each write is whole or absent, failures are STORAGE_CONNECTION_LOST', async () => {
    const tag = `wt_kill_writes_${process.pid}`;
    const storage = await fresh(tag, (u, schema) => postgresAdapter(u, { schema }));
    try {
      const outcomes: unknown[] = [];
      for (let round = 0; round < 4; round++) {
        // Writes of 60 rows each (one statement per row) race a kill issued a few milliseconds in.
        const writes = Array.from({ length: 4 }, (_, i) => storage.insert(ORDER, order(`SO-${round}-${i}`, 60)).then(() => 'ok', codeOf));
        await new Promise((resolve) => setTimeout(resolve, 5 + round * 10));
        await kill(tag);
        outcomes.push(...(await Promise.all(writes)));
      }
      expect(outcomes.filter((o) => o !== 'ok' && o !== 'STORAGE_CONNECTION_LOST')).toEqual([]);
      expect(outcomes).toContain('STORAGE_CONNECTION_LOST');
      // Every stored order has all its rows: no write was half-applied.
      const stored = await storage.query(ORDER, { withChildren: true });
      for (const doc of stored) expect((doc['items'] as unknown[]).length).toBe(60);
      expect(stored.length).toBe(outcomes.filter((o) => o === 'ok').length);
      await storage.insert(ORDER, order('SO-after', 2));
    } finally {
      await storage.close?.();
    }
  }, 60_000);

  it('a run in flight fails with STORAGE_CONNECTION_LOST (not INTERNAL); the next run succeeds', async () => {
    const tag = `wt_kill_run_${process.pid}`;
    const schema = uniqueSchema('connrun');
    schemas.push(schema);
    const json = fixtureJson();
    const adapter = postgresAdapter(tagged(tag), { schema });
    const engine = createEngine({
      doctypes: [json.Customer, json.Item, json['Sales Order'], json['Sales Order Item']], adapter,
      user: { name: 'Administrator', roles: ['Administrator'] },
    });
    try {
      const create = (name: string) => engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: name } } });
      expect((await create('Before')).success).toBe(true);
      const codes: unknown[] = [];
      for (let i = 0; i < 6 && !codes.includes('STORAGE_CONNECTION_LOST'); i++) {
        const runs = Array.from({ length: 6 }, (_, k) => create(`During ${i}-${k}`));
        await new Promise((resolve) => setTimeout(resolve, 2 + i * 3));
        await kill(tag);
        for (const r of await Promise.all(runs)) codes.push(r.success ? 'ok' : r.error?.code);
      }
      expect(codes.filter((c) => c !== 'ok' && c !== 'STORAGE_CONNECTION_LOST')).toEqual([]);
      expect(codes).toContain('STORAGE_CONNECTION_LOST');
      const after = await create('After');
      expect(after.success, JSON.stringify(after.error)).toBe(true);
    } finally {
      await adapter.close?.();
    }
  }, 60_000);
});
