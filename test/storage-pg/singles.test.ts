/**
 * Single DocTypes on the SQL adapters: the scenario of test/run/singles-scenario.ts on PGlite, SQLite (sql.js)
 * and a PostgreSQL server; on PostgreSQL the values are rows of tabSingles, and no table is made per Single.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import { createRegistry } from '../../src/schema/registry';
import type { StorageAdapter } from '../../src/storage/types';
import { sqlJs } from '../storage-sqlite/helpers';
import { benchAvailable } from '../helpers/bench';
import { singleDoctypes, singlesScenario } from '../run/singles-scenario';
import { uniqueSchema, withServer } from './server';

type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** The layout on PostgreSQL: tabSingles rows as text, typed again on read; tables only for child DocTypes. */
async function layout(adapter: StorageAdapter, query: Query, schema: string): Promise<void> {
  const registry = createRegistry(singleDoctypes());
  await adapter.prepare(registry.list());
  await adapter.insert('HR Settings', { name: 'HR Settings', frequency: 'Monthly', send_birthday_reminders: 1, remind_before: '00:30:00', modified: '2024-01-01 10:00:00' });
  await adapter.insert('SMS Settings', { name: 'SMS Settings', sms_gateway_url: 'u', parameters: [{ name: 'p1', parameter: 'a', value: 'b' }] });
  const values = await query(`SELECT field, value FROM "${schema}"."tabSingles" WHERE doctype = $1 ORDER BY field`, ['HR Settings']);
  expect(values.rows).toEqual(expect.arrayContaining([
    { field: 'frequency', value: 'Monthly' }, { field: 'send_birthday_reminders', value: '1' }, { field: 'name', value: 'HR Settings' },
  ]));
  const tables = await query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
  expect(tables.rows.map((r) => r.table_name)).toEqual(['tabSMS Parameter', 'tabSeries', 'tabSingles']);
  expect(await adapter.get('HR Settings', 'HR Settings')).toMatchObject({
    doctype: 'HR Settings', name: 'HR Settings', frequency: 'Monthly', send_birthday_reminders: 1, remind_before: '00:30:00.000000', docstatus: 0, idx: 0,
    modified: '2024-01-01 10:00:00.000000', auto_leave_encashment: null,
  });
  expect(await adapter.get('HR Settings', 'Other')).toBeUndefined();
  expect(await adapter.get('SMS Settings', 'SMS Settings', { fields: ['name', 'parameters'] })).toMatchObject({ name: 'SMS Settings', parameters: [{ name: 'p1', parent: 'SMS Settings', parenttype: 'SMS Settings' }] });
  expect(await adapter.query('HR Settings', { where: { frequency: 'Monthly' }, fields: ['frequency'] })).toEqual([{ frequency: 'Monthly' }]);
  expect(await adapter.count('HR Settings', { frequency: 'Weekly' })).toBe(0);
  await expect(adapter.insert('HR Settings', { name: 'HR Settings' })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY' });
  await expect(adapter.update('HR Settings', { name: 'HR Settings', frequency: 'Daily' }, '2023-01-01 00:00:00.000000')).rejects.toMatchObject({ code: 'TIMESTAMP_MISMATCH' });
  await adapter.update('HR Settings', { name: 'HR Settings', frequency: 'Daily', modified: '2024-01-02 10:00:00' }, '2024-01-01 10:00:00.000000');
  expect(await adapter.get('HR Settings', 'HR Settings')).toMatchObject({ frequency: 'Daily', send_birthday_reminders: null });
  await adapter.delete('HR Settings', 'HR Settings');
  expect(await adapter.exists('HR Settings', 'HR Settings')).toBe(false);
  await expect(adapter.delete('HR Settings', 'HR Settings')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(adapter.update('HR Settings', { name: 'HR Settings' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
}

describe.skipIf(!benchAvailable)('Single DocTypes on PGlite', () => {
  it('the scenario', async () => {
    const adapter = pgliteAdapter();
    try {
      await singlesScenario(adapter);
    } finally {
      await adapter.close?.();
    }
  }, 120_000);

  it('tabSingles holds the values; no table per Single', async () => {
    const db = new PGlite();
    const adapter = pgliteAdapter(db, { schema: 'singles_layout' });
    try {
      await layout(adapter, (sql, params) => db.query<Record<string, unknown>>(sql, params), 'singles_layout');
    } finally {
      await adapter.close?.();
      await db.close();
    }
  }, 120_000);
});

describe.skipIf(!benchAvailable)('Single DocTypes on SQLite', () => {
  it('the scenario', async () => {
    await singlesScenario(sqliteAdapter({ sqlJs: await sqlJs() }));
  }, 60_000);
});

withServer('Single DocTypes on a PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  it.skipIf(!benchAvailable)('the scenario', async () => {
    const schema = uniqueSchema('singles');
    schemas.push(schema);
    const adapter = postgresAdapter(url, { schema });
    try {
      await singlesScenario(adapter);
    } finally {
      await adapter.close?.();
    }
  }, 60_000);

  it.skipIf(!benchAvailable)('tabSingles holds the values; no table per Single', async () => {
    const schema = uniqueSchema('singleslayout');
    schemas.push(schema);
    const adapter = postgresAdapter(url, { schema });
    try {
      await layout(adapter, (sql, params) => pool.query(sql, params), schema);
    } finally {
      await adapter.close?.();
    }
  }, 60_000);

  it.skipIf(!benchAvailable)('two first saves of a never-saved Single at once: one wins, the other is stale', async () => {
    const schema = uniqueSchema('singlesrace');
    schemas.push(schema);
    const { createEngine } = await import('../../src/run/engine');
    const adapters = [postgresAdapter(url, { schema }), postgresAdapter(url, { schema })];
    try {
      const engines = adapters.map((adapter) => createEngine({ doctypes: singleDoctypes(), adapter, user: { name: 'Administrator', roles: [] }, unknownLinks: 'skip' }));
      // Both read the never-saved Single first (this also sets the schema up, one adapter after the other).
      for (const e of engines) expect((await e.run({ operation: 'takeone', source_doctype: 'HR Settings' })).error).toBeNull();
      const results = await Promise.all(engines.map((e, i) => e.run({
        operation: 'update', target_doctype: 'HR Settings', input: { data: { send_leave_notification: 0, frequency: i === 0 ? 'Weekly' : 'Monthly' } },
      })));
      const codes = results.map((r) => r.error?.code ?? 'ok').sort();
      expect(codes).toEqual(['TIMESTAMP_MISMATCH', 'ok']);
      const winner = results.findIndex((r) => r.success);
      const stored = await adapters[0]!.get('HR Settings', 'HR Settings');
      expect(stored?.frequency).toBe(winner === 0 ? 'Weekly' : 'Monthly');
    } finally {
      for (const a of adapters) await a.close?.();
    }
  }, 60_000);
});
