/**
 * Controllers on real SQL storage: the hooks' child runs share the run's transaction (nested as savepoints),
 * so a failure after the write rolls back the document and every document the hooks wrote; reads through
 * ctx.db see the transaction's own writes. PGlite and SQLite in process, and a PostgreSQL server when COWORKER_PG_URL is set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createEngine } from '../../src/run/index';
import type { Controllers } from '../../src/run/lifecycle';
import type { StorageAdapter } from '../../src/storage/types';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import { sqlJs } from '../storage-sqlite/helpers';
import { appDoctypes, ADMIN } from '../run/helpers';
import { uniqueSchema, withServer } from './server';

const controllers: Controllers = {
  Customer: {
    async on_update(ctx) {
      await ctx.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: `Welcome ${ctx.doc.name}` } } });
      const seen = await ctx.db.count('ToDo', { description: `Welcome ${ctx.doc.name}` });
      if (seen !== 1) ctx.throw(`expected to see my ToDo inside the transaction, saw ${seen}`);
    },
    on_change(ctx) {
      if (ctx.doc.customer_group === 'Government') ctx.throw('Government customers need approval', { field: 'customer_group' });
    },
  },
};

async function scenario(adapter: StorageAdapter): Promise<void> {
  const engine = createEngine({ doctypes: appDoctypes(), adapter, user: ADMIN, controllers, storeRuns: true });
  const ok = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } } });
  expect(ok.error).toBeNull();
  expect(await adapter.count('ToDo')).toBe(1);
  const bad = await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Gov', customer_group: 'Government' } } });
  expect(bad.error).toMatchObject({ code: 'VALIDATION', message: 'Government customers need approval' });
  expect(await adapter.exists('Customer', 'Gov')).toBe(false);
  expect(await adapter.count('ToDo')).toBe(1);
  // The child run's record is stored after the transaction (no deadlock on a single-session database).
  expect(await adapter.count('Run', { parent_run_id: ok.name })).toBe(1);
}

describe('controllers on PGlite', () => {
  it('child runs share the transaction; a failing hook rolls everything back', async () => {
    const adapter = pgliteAdapter();
    try {
      await scenario(adapter);
    } finally {
      await adapter.close?.();
    }
  }, 120_000); // PGlite starts slowly on a loaded machine
});

describe('controllers on SQLite (sql.js)', () => {
  it('child runs share the transaction; a failing hook rolls everything back', async () => {
    await scenario(sqliteAdapter({ sqlJs: await sqlJs() }));
  }, 60_000);
});

withServer('controllers on a PostgreSQL server', (url) => {
  const pool = new pg.Pool({ connectionString: url });
  const schema = uniqueSchema('controllers');
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  it('child runs share the transaction; a failing hook rolls everything back', async () => {
    const adapter = postgresAdapter(url, { schema });
    try {
      await scenario(adapter);
    } finally {
      await adapter.close?.();
    }
  }, 60_000);
});
