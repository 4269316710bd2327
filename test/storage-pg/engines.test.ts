/**
 * Many concurrent updates of one document from separate engines, each with its own connection pool to the same
 * PostgreSQL server: every update either applies or fails TIMESTAMP_MISMATCH, and none is lost (counted).
 * Also: a failed write through the engine leaves storage and the caller's delta as they were.
 */
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { createEngine } from '../../src/run/index';
import { postgresAdapter } from '../../src/postgres';
import { withFaults } from '../../src/storage/faults';
import { fixtureJson } from '../helpers/fixtures';
import { uniqueSchema, withServer } from './server';

const admin = { name: 'Administrator', roles: ['Administrator'] };
const json = fixtureJson();
const doctypes = [json.Customer, json.Item, json['Sales Order'], json['Sales Order Item']];

withServer('engines over one PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('concurrent updates from separate engines: each applies or fails TIMESTAMP_MISMATCH, none lost', async () => {
    const schema = uniqueSchema('engines');
    schemas.push(schema);
    const adapters = Array.from({ length: 6 }, () => postgresAdapter(url, { schema }));
    const engines = adapters.map((adapter) => createEngine({ doctypes, adapter, user: admin }));
    try {
      const created = await engines[0]!.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Race Co', credit_limit: 0 } } });
      expect(created.success, JSON.stringify(created.error)).toBe(true);
      let applied = 0;
      let stale = 0;
      for (let round = 0; round < 4; round++) {
        // Everyone reads the same version, then all write at once, each adding 1 to what it read.
        const reads = await Promise.all(engines.map((e) => e.run({ operation: 'takeone', source_doctype: 'Customer', input: { data: { name: 'Race Co' } } })));
        const results = await Promise.all(engines.map((e, i) => {
          const doc = reads[i]!.output!.data[0] as Record<string, unknown>;
          return e.run({ operation: 'update', target_doctype: 'Customer', input: { data: { name: 'Race Co', credit_limit: Number(doc.credit_limit) + 1, modified: doc.modified } } });
        }));
        for (const r of results) {
          if (r.success) applied++;
          else {
            expect(r.error?.code).toBe('TIMESTAMP_MISMATCH');
            stale++;
          }
        }
      }
      expect(applied + stale).toBe(4 * engines.length);
      expect(applied).toBeGreaterThanOrEqual(4); // at least one per round
      const final = await engines[1]!.run({ operation: 'takeone', source_doctype: 'Customer', input: { data: { name: 'Race Co' } } });
      expect((final.output!.data[0] as Record<string, unknown>).credit_limit).toBe(applied); // no lost update
    } finally {
      for (const a of adapters) await a.close?.();
    }
  }, 60_000);

  it('a write failing at any step leaves storage unchanged and the draft delta intact for a retry', async () => {
    const schema = uniqueSchema('enginefault');
    schemas.push(schema);
    const storage = postgresAdapter(url, { schema });
    try {
      const seed = createEngine({ doctypes, adapter: storage, user: admin });
      await seed.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'ACME' } } });
      await seed.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'W', item_name: 'Widget', standard_rate: 5 } } });
      for (const kind of ['parent', 'row', 'commit'] as const) {
        const faulty = withFaults(storage, { kind, op: 'insert' });
        const engine = createEngine({ doctypes, adapter: faulty, user: admin });
        const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', options: { draft: true },
          input: { data: { customer: 'ACME', delivery_date: '2026-12-01', items: [{ item_code: 'W', qty: 2 }, { item_code: 'W', qty: 3 }] } } });
        expect(open.success, JSON.stringify(open.error)).toBe(true);
        const save = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
        expect(save.success, kind).toBe(false);
        expect(await storage.count('Sales Order'), kind).toBe(0);
        expect(await storage.count('Sales Order Item'), kind).toBe(0);
        expect(engine.edit(open.name)?.state, kind).toBe('failed');
        expect(engine.edit(open.name)?.delta, kind).toMatchObject({ customer: 'ACME', items: [expect.objectContaining({ qty: 2 }), expect.objectContaining({ qty: 3 })] });
      }
    } finally {
      await storage.close?.();
    }
  }, 60_000);
});
