/**
 * The statements a write sends to PostgreSQL (issue "Speed and the package": round trips of a stored create).
 * Counted on PGlite through a logging SqlClient (the same SQL core as the server) and on the server through a
 * logging pg Client: a document's rows go in one statement per child DocType, an engine write has no savepoint,
 * each target DocType of its Links is read once (the fetch before the hooks and tier 3 share the read), and the
 * multi-row statements keep every value, every error and the write's all-or-nothing.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createRegistry } from '../../src/index';
import { parseDoctype } from '../../src/schema/parse';
import { sqlAdapter } from '../../src/storage/postgres/adapter';
import { TYPE_PARSERS } from '../../src/storage/postgres/client';
import type { SqlClient } from '../../src/storage/postgres/client';
import { pgliteClient } from '../../src/storage/postgres/pglite-driver';
import { postgresAdapter } from '../../src/postgres';
import type { StorageAdapter } from '../../src/storage/types';
import { uniqueSchema, withServer } from './server';

const ITEM = {
  name: 'St Item', autoname: 'field:item_code', fields: [
    { fieldname: 'item_code', fieldtype: 'Data', reqd: 1, unique: 1 },
    { fieldname: 'item_name', fieldtype: 'Data' },
  ], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};
const ROW = {
  name: 'St Order Row', istable: 1, fields: [
    { fieldname: 'item', fieldtype: 'Link', options: 'St Item', reqd: 1 },
    { fieldname: 'item_name', fieldtype: 'Data', fetch_from: 'item.item_name' },
    { fieldname: 'qty', fieldtype: 'Float', default: '1' },
    { fieldname: 'due', fieldtype: 'Date' },
    { fieldname: 'at', fieldtype: 'Datetime' },
    { fieldname: 'done', fieldtype: 'Check' },
    { fieldname: 'count', fieldtype: 'Int' },
    { fieldname: 'payload', fieldtype: 'JSON' },
  ],
};
const TAG = { name: 'St Tag', istable: 1, fields: [{ fieldname: 'code', fieldtype: 'Data', unique: 1 }] };
const ORDER = {
  name: 'St Order', autoname: 'naming_series:', fields: [
    { fieldname: 'naming_series', fieldtype: 'Select', options: 'STO-.#####', default: 'STO-.#####' },
    { fieldname: 'customer', fieldtype: 'Data', reqd: 1 },
    { fieldname: 'items', fieldtype: 'Table', options: 'St Order Row', reqd: 1 },
    { fieldname: 'tags', fieldtype: 'Table', options: 'St Tag' },
  ], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};
const CODES = ['BLADE', 'HUB', 'TOWER'];
const admin = { name: 'Administrator', roles: ['Administrator'] };
const orderInput = (rows: number) => ({
  customer: 'Zenith', items: Array.from({ length: rows }, (_, i) => ({ item: CODES[i % CODES.length], qty: i + 1 })),
});

/** Records every statement and transaction boundary a client sends (PGlite's BEGIN / SAVEPOINT are its own). */
function logging(inner: SqlClient, log: string[]): SqlClient {
  const wrap = (c: SqlClient, nested: boolean): SqlClient => ({
    query: (text, params) => {
      log.push(text);
      return c.query(text, params);
    },
    ...(c.exec ? { exec: (sql: string) => c.exec!(sql) } : {}),
    ...(c.singleSession ? { singleSession: true } : {}),
    async transaction(fn) {
      log.push(nested ? 'SAVEPOINT' : 'BEGIN');
      try {
        const result = await c.transaction((tx) => fn(wrap(tx, true)));
        log.push(nested ? 'RELEASE SAVEPOINT' : 'COMMIT');
        return result;
      } catch (error) {
        log.push(nested ? 'ROLLBACK TO SAVEPOINT' : 'ROLLBACK');
        throw error;
      }
    },
  });
  return wrap(inner, false);
}

/** The statement kinds of a log: BEGIN, INSERT <table>, SELECT <table>, UPDATE..., `WITH <table> + <table>` (one insert of several tables). */
const kinds = (log: readonly string[]): string[] => log.map((s) => s.replace(/"[a-z_0-9]+"\./g, '')).map((s) => (s.startsWith('WITH ') ? `WITH ${[...s.matchAll(/INSERT INTO ("[^"]+")/g)].map((m) => m[1]).join(' + ')}` : s)).map((s) => s.match(/^(BEGIN|COMMIT|ROLLBACK( TO SAVEPOINT)?|SAVEPOINT|RELEASE SAVEPOINT|INSERT INTO "[^"]+"|SELECT .*? FROM "[^"]+"|UPDATE "[^"]+"|DELETE FROM "[^"]+"|WITH .*)/)?.[0] ?? s.slice(0, 40))
  .map((k) => k.replace(/^SELECT .*? FROM /, 'SELECT FROM '));

async function pgliteStore(log: string[]): Promise<{ adapter: StorageAdapter; db: PGlite }> {
  const db = new PGlite({ parsers: TYPE_PARSERS as Record<number, (text: string) => unknown> });
  await db.waitReady;
  return { adapter: sqlAdapter(logging(pgliteClient(db), log), { schema: 'st', name: 'pglite' }), db };
}

const doctypes = [ITEM, ROW, TAG, ORDER].map((d) => parseDoctype(d));

describe('statements of a document write (PGlite)', () => {
  const log: string[] = [];
  let store: { adapter: StorageAdapter; db: PGlite };
  afterAll(async () => store?.db.close());

  const doc = (name: string, rows: number, extra: Record<string, unknown> = {}) => ({
    name, customer: 'C', ...extra,
    items: Array.from({ length: rows }, (_, i) => ({
      name: `${name}-${i}`, item: CODES[i % 3], qty: i + 0.5, due: '2024-02-29', at: '2024-01-15 10:30:00.5', done: i % 2, count: 2 ** 40 + i, payload: { i, s: 'a"b\\c{d}', n: null },
    })),
  });

  it('an insert sends the parent and all rows of a child DocType as one statement; every value reads back', async () => {
    store = await pgliteStore(log);
    const { adapter } = store;
    await adapter.prepare(doctypes);
    await adapter.insert('St Order', doc('W-0', 1)); // tables are created on first use
    log.length = 0;
    const written = await adapter.insert('St Order', doc('W-1', 10));
    expect(kinds(log)).toEqual(['BEGIN', 'WITH "tabSt Order" + "tabSt Order Row"', 'COMMIT']);
    const got = await adapter.get('St Order', 'W-1');
    expect(got).toEqual(written);
    const rows = got!['items'] as Record<string, unknown>[];
    expect(rows.map((r) => r['name'])).toEqual(Array.from({ length: 10 }, (_, i) => `W-1-${i}`));
    expect(rows[3]).toMatchObject({ idx: 4, parent: 'W-1', parenttype: 'St Order', parentfield: 'items', item: 'BLADE', qty: 3.5, due: '2024-02-29', at: '2024-01-15 10:30:00.500000', done: 1, count: 2 ** 40 + 3, payload: { i: 3, s: 'a"b\\c{d}', n: null } });
  });

  it('a row name another document holds: DUPLICATE_ENTRY naming that row, nothing written (insert and update)', async () => {
    const { adapter } = store;
    const before = await adapter.count('St Order');
    const clash = doc('W-2', 5);
    (clash.items[3] as Record<string, unknown>)['name'] = 'W-1-7';
    await expect(adapter.insert('St Order', clash)).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'St Order Row', docname: 'W-1-7' });
    expect(await adapter.count('St Order')).toBe(before);
    const stored = await adapter.get('St Order', 'W-0');
    const update = doc('W-0', 4, { modified: '2024-01-16 00:00:00.000000' });
    (update.items[2] as Record<string, unknown>)['name'] = 'W-1-2';
    await expect(adapter.update('St Order', update, (stored!['modified'] as string | null) ?? null)).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY', docname: 'W-1-2' });
    expect(await adapter.get('St Order', 'W-0')).toEqual(stored);
  });

  it('an update upserts its rows in one statement per child DocType and deletes the rest', async () => {
    const { adapter } = store;
    const stored = await adapter.get('St Order', 'W-1');
    const next = doc('W-1', 6, { modified: '2024-01-17 00:00:00.000000' });
    (next.items[0] as Record<string, unknown>)['qty'] = 99;
    log.length = 0;
    const written = await adapter.update('St Order', next, (stored!['modified'] as string | null) ?? null);
    expect(kinds(log)).toEqual([
      'BEGIN', 'SELECT FROM "tabSt Order"', 'UPDATE "tabSt Order"', 'DELETE FROM "tabSt Order Row"', 'DELETE FROM "tabSt Tag"', 'INSERT INTO "tabSt Order Row"', 'COMMIT',
    ]);
    expect(await adapter.get('St Order', 'W-1')).toEqual(written);
    expect((written['items'] as Record<string, unknown>[]).map((r) => [r['name'], r['qty']])).toEqual([['W-1-0', 99], ['W-1-1', 1.5], ['W-1-2', 2.5], ['W-1-3', 3.5], ['W-1-4', 4.5], ['W-1-5', 5.5]]);
  });

  it('rows of a child DocType with a unique field go one by one: a clash names the row and value', async () => {
    const { adapter } = store;
    await adapter.insert('St Order', { ...doc('W-3', 1), tags: [{ name: 'T-1', code: 'A' }, { name: 'T-2', code: 'B' }] });
    log.length = 0;
    await expect(adapter.insert('St Order', { ...doc('W-4', 1), tags: [{ name: 'T-3', code: 'C' }, { name: 'T-4', code: 'B' }] }))
      .rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', doctype: 'St Tag', value: 'B' });
    expect(kinds(log)).toEqual(['BEGIN', 'WITH "tabSt Order" + "tabSt Order Row"', 'INSERT INTO "tabSt Tag"', 'INSERT INTO "tabSt Tag"', 'ROLLBACK']);
    expect(await adapter.exists('St Order', 'W-4')).toBe(false);
  });

  it('abortOnError: writes inside the transaction take no savepoint; without it each write does', async () => {
    const { adapter } = store;
    log.length = 0;
    await adapter.transaction(async (tx) => {
      await tx.insert('St Order', doc('W-5', 3));
      await tx.insert('St Order', doc('W-6', 3));
    }, { abortOnError: true });
    expect(kinds(log)).toEqual(['BEGIN', 'WITH "tabSt Order" + "tabSt Order Row"', 'WITH "tabSt Order" + "tabSt Order Row"', 'COMMIT']);
    log.length = 0;
    await adapter.transaction(async (tx) => {
      await tx.insert('St Order', doc('W-7', 3));
    });
    expect(kinds(log)).toEqual(['BEGIN', 'SAVEPOINT', 'WITH "tabSt Order" + "tabSt Order Row"', 'RELEASE SAVEPOINT', 'COMMIT']);
  });

  it('abortOnError: a failed write fails the transaction and leaves nothing; nested transactions still roll back alone', async () => {
    const { adapter } = store;
    const before = await adapter.count('St Order');
    await expect(adapter.transaction(async (tx) => {
      await tx.insert('St Order', doc('W-8', 2));
      await tx.insert('St Order', doc('W-8', 2));
    }, { abortOnError: true })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY' });
    expect(await adapter.count('St Order')).toBe(before);
    await adapter.transaction(async (tx) => {
      await tx.insert('St Order', doc('W-9', 1));
      await expect(tx.transaction(async (inner) => {
        await inner.insert('St Order', doc('W-10', 1));
        await inner.insert('St Order', doc('W-9', 1));
      })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY' });
      await tx.insert('St Order', doc('W-11', 1));
    }, { abortOnError: true });
    expect(await adapter.exists('St Order', 'W-9')).toBe(true);
    expect(await adapter.exists('St Order', 'W-10')).toBe(false);
    expect(await adapter.exists('St Order', 'W-11')).toBe(true);
  });
});

/** Statements of `engine.run(create)` of an order with `rows` rows, after a warm-up create. */
async function engineStatements(adapter: StorageAdapter, log: string[], rows: number, workflow: boolean, seed = true): Promise<string[]> {
  const engine = createEngine({ registry: createRegistry([ITEM, ROW, TAG, ORDER]), adapter, user: admin, ...(workflow ? {} : { workflow: false }) });
  for (const code of seed ? CODES : []) {
    const r = await engine.run({ operation: 'create', target_doctype: 'St Item', input: { data: { item_code: code, item_name: `Item ${code}` } } });
    expect(r.success, JSON.stringify(r.error)).toBe(true);
  }
  await engine.run({ operation: 'create', target_doctype: 'St Order', input: { data: orderInput(2) } });
  log.length = 0;
  const r = await engine.run({ operation: 'create', target_doctype: 'St Order', input: { data: orderInput(rows) } });
  expect(r.success, JSON.stringify(r.error)).toBe(true);
  const items = (r.output!.data[0] as Record<string, unknown>)['items'] as Record<string, unknown>[];
  expect(items.map((i) => i['item_name'])).toEqual(orderInput(rows).items.map((i) => `Item ${i.item}`)); // fetch_from applied
  return kinds(log);
}

/**
 * BEGIN, the Link read (fetched field included), the naming series, parent, rows, COMMIT. With the workflow
 * plugin's hooks the Link read comes first (the fetch before the hooks; tier 3 reuses it), then its lookup.
 */
const expected = (workflow: boolean) => [
  'BEGIN',
  ...(workflow ? ['SELECT FROM "tabSt Item"', 'INSERT INTO "tabSeries"', 'SELECT FROM "tabWorkflow"'] : ['INSERT INTO "tabSeries"', 'SELECT FROM "tabSt Item"']),
  'WITH "tabSt Order" + "tabSt Order Row"', 'COMMIT',
];

describe('statements of engine.run(create) (PGlite)', () => {
  for (const workflow of [false, true]) {
    it(`10 rows, ${workflow ? 'workflow plugin on (hooks: fetch before them, tier 3 reuses the read)' : 'no hooks'}: ${expected(workflow).length} statements`, async () => {
      const log: string[] = [];
      const { adapter, db } = await pgliteStore(log);
      try {
        expect(await engineStatements(adapter, log, 10, workflow)).toEqual(expected(workflow));
      } finally {
        await db.close();
      }
    });
  }
});

withServer('statements of engine.run(create) (PostgreSQL server)', (url) => {
  const log: string[] = [];
  const named: string[] = [];
  class LoggingClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(config: any, values?: any, callback?: any): any {
      log.push(typeof config === 'string' ? config : (config as { text: string }).text);
      if (typeof config === 'object' && config !== null && typeof config.name === 'string') named.push(kinds([config.text as string])[0]!);
      return super.query(config, values, callback);
    }
  }
  const schema = uniqueSchema('statements');
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: LoggingClient });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('1 and 10 rows: the same 6 statements, no savepoint, one Link read per target DocType', async () => {
    const adapter = postgresAdapter(pool, { schema });
    expect(await engineStatements(adapter, log, 1, true)).toEqual(expected(true));
    named.length = 0;
    expect(await engineStatements(adapter, log, 10, true, false)).toEqual(expected(true));
    // The series and the document's insert go as named (prepared) statements; reads are never prepared.
    expect(named.slice(-2)).toEqual(['INSERT INTO "tabSeries"', 'WITH "tabSt Order" + "tabSt Order Row"']);
    expect(named.every((k) => !k.startsWith('SELECT'))).toBe(true);
  });

  it('prepared inserts follow a column type change (the statement text names the types)', async () => {
    const one = new pg.Pool({ connectionString: url, max: 1 });
    const own = uniqueSchema('statements_types');
    try {
      const before = postgresAdapter(one, { schema: own });
      await before.prepare(doctypes);
      await before.insert('St Order', { name: 'P-1', customer: 'C', items: [{ name: 'P-1-0', item: 'HUB', count: 3 }, { name: 'P-1-1', item: 'HUB', count: 4 }] });
      const changed = [ITEM, { ...ROW, fields: ROW.fields.map((f) => (f.fieldname === 'count' ? { ...f, fieldtype: 'Data' } : f)) }, TAG, ORDER].map((d) => parseDoctype(d));
      await before.prepare(changed);
      await before.insert('St Order', { name: 'P-2', customer: 'C', items: [{ name: 'P-2-0', item: 'HUB', count: 'x7' }, { name: 'P-2-1', item: 'HUB', count: 'y8' }] });
      expect(((await before.get('St Order', 'P-2'))!['items'] as Record<string, unknown>[]).map((r) => r['count'])).toEqual(['x7', 'y8']);
    } finally {
      await one.query(`DROP SCHEMA IF EXISTS "${own}" CASCADE`);
      await one.end();
    }
  });
});
