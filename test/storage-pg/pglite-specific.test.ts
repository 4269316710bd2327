/**
 * PGlite beyond the conformance suite: transactions (the suite's transaction blocks are not run on PGlite,
 * see pglite.test.ts), persistence in a Node folder, migrations, the real Frappe corpus, the table layout.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import { StorageError } from '../../src/storage/errors';
import type { StorageAdapter, Where } from '../../src/storage/types';
import { fixtureDoctypes } from '../helpers/fixtures';
import { corpusRoot } from '../helpers/paths';
import { conformanceDoctypes } from '../storage/conformance';

const db = new PGlite();
let n = 0;
afterAll(() => db.close());

const ORDER = 'Conf Order';
const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';

async function fresh(): Promise<StorageAdapter> {
  const storage = pgliteAdapter(db, { schema: `pgl_${++n}` });
  await storage.prepare(conformanceDoctypes());
  return storage;
}

const order = (name: string, values: Record<string, unknown> = {}) => ({ name, modified: T0, ...values });

describe('pglite transactions', () => {
  it('commits what fn wrote (documents, rows, counters); reads through tx see its own writes', async () => {
    const storage = await fresh();
    const result = await storage.transaction(async (tx) => {
      await tx.insert(ORDER, order('SO-1', { items: [{ name: 'R-1', qty: 1 }] }));
      await tx.counters.next('SO-');
      expect(await tx.count(ORDER)).toBe(1);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(await storage.count('Conf Row', { parent: 'SO-1' })).toBe(1);
    expect(await storage.counters.current('SO-')).toBe(1);
  });

  it('a throw rolls back every write and counter, and is rethrown unchanged', async () => {
    const storage = await fresh();
    await storage.insert(ORDER, order('SO-0', { items: [{ name: 'R-0' }] }));
    const before = await storage.query(ORDER, { withChildren: true });
    const boom = new Error('boom');
    await expect(storage.transaction(async (tx) => {
      await tx.insert(ORDER, order('SO-1'));
      await tx.update(ORDER, order('SO-0', { modified: T1, items: [] }), T0);
      await tx.counters.next('SO-');
      throw boom;
    })).rejects.toBe(boom);
    expect(await storage.query(ORDER, { withChildren: true })).toEqual(before);
    expect(await storage.counters.current('SO-')).toBe(0);
  });

  it('a failed write inside a transaction undoes only itself (savepoint): the transaction goes on', async () => {
    const storage = await fresh();
    await storage.transaction(async (tx) => {
      await tx.insert(ORDER, order('SO-1', { code: 'X' }));
      await expect(tx.insert(ORDER, order('SO-2', { code: 'X', items: [{ name: 'R-1' }] }))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
      await tx.insert(ORDER, order('SO-3'));
    });
    expect((await storage.query(ORDER)).map((d) => d['name'])).toEqual(['SO-1', 'SO-3']);
    expect(await storage.count('Conf Row')).toBe(0);
  });

  it('nested transactions are savepoints: an inner failure undoes only the inner writes; an outer one undoes all', async () => {
    const storage = await fresh();
    await storage.transaction(async (tx) => {
      await tx.insert(ORDER, order('SO-1'));
      await expect(tx.transaction(async (inner) => {
        await inner.insert(ORDER, order('SO-2'));
        await inner.counters.next('SO-');
        throw new Error('inner');
      })).rejects.toThrow('inner');
      await tx.transaction((inner) => inner.insert(ORDER, order('SO-3')));
    });
    expect((await storage.query(ORDER)).map((d) => d['name'])).toEqual(['SO-1', 'SO-3']);
    expect(await storage.counters.current('SO-')).toBe(0);
    await expect(storage.transaction(async (tx) => {
      await tx.transaction((inner) => inner.insert(ORDER, order('SO-4')));
      throw new Error('outer');
    })).rejects.toThrow('outer');
    expect(await storage.exists(ORDER, 'SO-4')).toBe(false);
  });

  it('a write on the adapter made while a transaction is open waits for it, then fails its timestamp check', async () => {
    const storage = await fresh();
    await storage.insert(ORDER, order('SO-1'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const tx = storage.transaction(async (t) => {
      await t.update(ORDER, order('SO-1', { modified: T1, status: 'Open' }), T0);
      await gate;
    });
    const outside = storage.update(ORDER, order('SO-1', { modified: '2024-01-15 10:33:00.000000', status: 'Closed' }), T0);
    release();
    await tx;
    await expect(outside).rejects.toMatchObject({ code: 'TIMESTAMP_MISMATCH' });
    expect(await storage.get(ORDER, 'SO-1')).toMatchObject({ status: 'Open', modified: T1 });
  });

  it('a read outside an open transaction waits for it and then sees committed data only (one session)', async () => {
    const storage = await fresh();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let inserted!: () => void;
    const written = new Promise<void>((resolve) => { inserted = resolve; });
    const tx = storage.transaction(async (t) => {
      await t.insert(ORDER, order('SO-1'));
      inserted();
      await gate;
      throw new Error('abandon');
    });
    await written;
    let settled = false;
    const read = storage.exists(ORDER, 'SO-1').then((v) => { settled = true; return v; });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still waiting: PGlite runs one transaction at a time and reads cannot see past it.
    expect(settled).toBe(false);
    release();
    await expect(tx).rejects.toThrow('abandon');
    expect(await read).toBe(false);
  });

  it('the tx handle fails with STORAGE_FAILURE after the transaction ends', async () => {
    const storage = await fresh();
    let leaked: StorageAdapter['insert'] | undefined;
    await storage.transaction(async (tx) => { leaked = tx.insert.bind(tx); });
    await expect(leaked!(ORDER, order('SO-1'))).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    expect(await storage.count(ORDER)).toBe(0);
  });
});

describe('pglite values and layout', () => {
  it('creates Frappe\'s layout: "tab<DocType>", typed columns (`frappe/database/schema.py`, `frappe/database/postgres/database.py` on Postgres), unique index, parent index', async () => {
    const storage = pgliteAdapter(db, { schema: 'layout', migrate: 'at-prepare' });
    await storage.prepare(conformanceDoctypes());
    const columns = await db.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'layout' AND table_name = 'tabConf Order'",
    );
    const types = Object.fromEntries(columns.rows.map((r) => [r.column_name, r.data_type]));
    expect(types).toMatchObject({
      name: 'text', modified: 'timestamp without time zone', docstatus: 'smallint', idx: 'bigint',
      active: 'smallint', qty_total: 'bigint', amount: 'numeric', posting_date: 'date', posting_time: 'time without time zone',
      due: 'timestamp without time zone', payload: 'json', description: 'text', _user_tags: 'text',
    });
    // Virtual and layout fields are not columns.
    expect(types).not.toHaveProperty('display_total');
    expect(types).not.toHaveProperty('section');
    const indexes = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = 'layout' ORDER BY indexname");
    expect(indexes.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['tabConf Order_pkey', 'tabConf Order_code_key', 'tabConf Row_parent_idx', 'tabConf Row_serial_key', 'tabSeries_pkey']));
  });

  it('refuses what a typed column cannot hold, naming the field, before writing anything', async () => {
    const storage = await fresh();
    const cases: [Record<string, unknown>, string][] = [
      [{ posting_date: '2023-02-29' }, 'posting_date'], // not a leap year
      [{ due: '2024-01-01 24:00:00' }, 'due'],
      [{ posting_time: '10:61:00' }, 'posting_time'],
      [{ active: 40000 }, 'active'], // beyond smallint
      [{ qty_total: 1e19 }, 'qty_total'], // beyond bigint
      [{ description: 'a\u0000b' }, 'description'],
    ];
    for (const [values, field] of cases) {
      const error = await storage.insert(ORDER, order('X', values)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'STORAGE_BAD_DOCUMENT', field, path: [field] });
    }
    expect(await storage.count(ORDER)).toBe(0);
  });

  it('returns Datetime and Time with six fractional digits (what the database holds), and compares modified on that form', async () => {
    const storage = await fresh();
    const stored = await storage.insert(ORDER, order('SO-1', { modified: '2024-01-15 10:30:00', posting_time: '09:05:00.5' }));
    expect(stored).toMatchObject({ modified: '2024-01-15 10:30:00.000000', posting_time: '09:05:00.500000' });
    expect(await storage.get(ORDER, 'SO-1')).toEqual(stored);
    // The caller updates with the modified it got back.
    await storage.update(ORDER, order('SO-1', { modified: T1 }), stored['modified'] as string);
    expect(await storage.count(ORDER, { due: null, modified: { gte: '2024-01-15 10:31:00' } })).toBe(1);
  });

  it('filters date / time columns by any string the way the memory adapter does (as canonical text)', async () => {
    const storage = await fresh();
    await storage.insert(ORDER, order('SO-1', { posting_date: '2024-03-05', due: '2024-03-05 08:00:00.000000' }));
    await storage.insert(ORDER, order('SO-2', { posting_date: '2024-12-25', due: '2024-12-25 18:30:00.250000' }));
    const names = async (where: Where) => (await storage.query(ORDER, { where })).map((d) => d['name']);
    expect(await names({ posting_date: { startsWith: '2024-12' } })).toEqual(['SO-2']);
    expect(await names({ due: { contains: ' 08:' } })).toEqual(['SO-1']);
    // Not a valid date, so compared as text: '2024-12-25' > '2024-12' and '2024-03-05' < '2024-12'.
    expect(await names({ posting_date: { gt: '2024-12' } })).toEqual(['SO-2']);
    expect(await names({ due: { equals: '2024-12-25 18:30:00.25' } })).toEqual(['SO-2']);
  });

  it('compares a fraction with an integer column numerically (10 > 9.5), not by failing the cast', async () => {
    const storage = await fresh();
    await storage.insert(ORDER, order('A', { qty_total: 9 }));
    await storage.insert(ORDER, order('B', { qty_total: 10 }));
    expect((await storage.query(ORDER, { where: { qty_total: { gt: 9.5 } } })).map((d) => d['name'])).toEqual(['B']);
    expect(await storage.count(ORDER, { qty_total: { in: [9.5, 10] } })).toBe(1);
  });

  it('insensitive mode lower-cases non-ASCII text like JavaScript does', async () => {
    const storage = await fresh();
    await storage.insert(ORDER, order('A', { customer: 'ÉMILE' }));
    expect(await storage.count(ORDER, { customer: { equals: 'émile', mode: 'insensitive' } })).toBe(1);
  });
});

describe('pglite migrations', () => {
  const base = {
    name: 'Mig Doc', doctype: 'DocType', module: 'Test',
    fields: [
      { fieldname: 'title', fieldtype: 'Data' },
      { fieldname: 'qty', fieldtype: 'Float' },
      { fieldname: 'ref', fieldtype: 'Data' },
    ],
  };
  const changed = {
    ...base,
    fields: [
      { fieldname: 'title', fieldtype: 'Data', unique: 1 },
      { fieldname: 'qty', fieldtype: 'Int' }, // Float -> Int: whole numbers kept, fractions become null
      { fieldname: 'ref', fieldtype: 'Date' }, // text -> date: canonical dates kept, other text null
      { fieldname: 'added', fieldtype: 'Check' },
    ],
  };

  it('adds new columns, converts changed ones as the memory adapter does, follows unique; prepare is idempotent', async () => {
    const storage = pgliteAdapter(db, { schema: `mig_${++n}` });
    await storage.prepare([parseDoctype(base)]);
    await storage.insert('Mig Doc', { name: 'A', title: 'a', qty: 3, ref: '2024-01-31' });
    await storage.insert('Mig Doc', { name: 'B', title: 'b', qty: 2.5, ref: 'not a date' });
    await storage.prepare([parseDoctype(changed)]);
    await storage.prepare([parseDoctype(changed)]);
    expect(await storage.query('Mig Doc', { fields: ['name', 'qty', 'ref', 'added'] })).toEqual([
      { name: 'A', qty: 3, ref: '2024-01-31', added: null },
      { name: 'B', qty: null, ref: null, added: null },
    ]);
    await expect(storage.insert('Mig Doc', { name: 'C', title: 'a' })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'title' });
    // Back to not unique: the index goes.
    await storage.prepare([parseDoctype(base)]);
    await storage.insert('Mig Doc', { name: 'C', title: 'a' });
    expect(await storage.count('Mig Doc', { title: 'a' })).toBe(2);
  });
});

describe('pglite tables on first use', () => {
  const tablesIn = async (schema: string): Promise<string[]> =>
    (await db.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_name NOT IN ('tabSeries', 'tabSingles') ORDER BY 1", [schema])).rows.map((r) => r.t);

  it('prepare creates no table; the first statement on a DocType creates its table and its child tables', async () => {
    const schema = `lazy_${++n}`;
    const storage = pgliteAdapter(db, { schema });
    await storage.prepare(conformanceDoctypes());
    expect(await tablesIn(schema)).toEqual([]);
    expect(await storage.count('Conf Note')).toBe(0);
    expect(await tablesIn(schema)).toEqual(['tabConf Note']);
    await storage.insert(ORDER, order('SO-1', { items: [{ name: 'R-1', serial: 'S' }] }));
    expect(await tablesIn(schema)).toEqual(['tabConf Note', 'tabConf Order', 'tabConf Row']);
    // Indexes come with them: the unique row field is enforced.
    await expect(storage.insert(ORDER, order('SO-2', { items: [{ name: 'R-2', serial: 'S' }] }))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
  });

  it('a table first made inside a transaction that rolls back is made again on the next use', async () => {
    const schema = `lazy_${++n}`;
    const storage = pgliteAdapter(db, { schema });
    await storage.prepare(conformanceDoctypes());
    await expect(storage.transaction(async (tx) => {
      await tx.insert(ORDER, order('SO-1'));
      expect(await tx.count(ORDER)).toBe(1);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    expect(await tablesIn(schema)).toEqual([]);
    await storage.insert(ORDER, order('SO-1'));
    expect(await storage.count(ORDER)).toBe(1);
  });

  it('a changed DocType is migrated on its next use; a second adapter on the same schema finds the tables', async () => {
    const schema = `lazy_${++n}`;
    const first = pgliteAdapter(db, { schema });
    await first.prepare([parseDoctype({ name: 'Lazy Doc', doctype: 'DocType', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }] })]);
    await first.insert('Lazy Doc', { name: 'L-1', a: 'x' });
    await first.prepare([parseDoctype({ name: 'Lazy Doc', doctype: 'DocType', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data', search_index: 1 }, { fieldname: 'b', fieldtype: 'Int' }] })]);
    expect(await first.get('Lazy Doc', 'L-1', { fields: ['a', 'b'] })).toEqual({ a: 'x', b: null });
    const indexes = await db.query<{ i: string }>('SELECT indexname AS i FROM pg_indexes WHERE schemaname = $1 ORDER BY 1', [schema]);
    expect(indexes.rows.map((r) => r.i)).toContain('tabLazy Doc_a_index');
    const second = pgliteAdapter(db, { schema });
    await second.prepare([parseDoctype({ name: 'Lazy Doc', doctype: 'DocType', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }, { fieldname: 'b', fieldtype: 'Int' }] })]);
    expect(await second.count('Lazy Doc', { a: 'x' })).toBe(1);
    // No longer search_index: its index goes.
    const after = await db.query<{ i: string }>('SELECT indexname AS i FROM pg_indexes WHERE schemaname = $1 ORDER BY 1', [schema]);
    expect(after.rows.map((r) => r.i)).not.toContain('tabLazy Doc_a_index');
  });
});

describe('pglite long DocType names', () => {
  // 70 characters each, equal for their first 65: PostgreSQL would cut both to one 63-byte "tab..." name.
  const prefix = `Customer Loyalty Program Collection Tier Settings Per Territory ${'X'.repeat(2)}`;
  const longA = `${prefix}Alpha`;
  const longB = `${prefix}Bravo`;
  const doctype = (name: string, field: string) => parseDoctype({
    name, doctype: 'DocType', module: 'Test', fields: [{ fieldname: field, fieldtype: 'Data', unique: 1 }],
  });

  it('two long names sharing a prefix get two tables (hashed, under 63 bytes), migrated and kept apart', async () => {
    const schema = `long_${++n}`;
    const storage = pgliteAdapter(db, { schema });
    await storage.prepare([doctype(longA, 'code'), doctype(longB, 'code')]);
    await storage.insert(longA, { name: 'A-1', code: 'same' });
    // Same name and same unique value in the other DocType: no clash, it is another table.
    await storage.insert(longB, { name: 'A-1', code: 'same' });
    expect(await storage.count(longA)).toBe(1);
    expect(await storage.count(longB)).toBe(1);
    await expect(storage.insert(longA, { name: 'A-2', code: 'same' })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', doctype: longA, field: 'code' });
    await expect(storage.insert(longB, { name: 'A-1' })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: longB });
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE $2 ORDER BY table_name', [schema, 'tabCustomer%'],
    );
    const names = tables.rows.map((r) => r.table_name);
    expect(names).toHaveLength(2);
    for (const name of names) expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(63);
    // A migration of one (a new column) leaves the other as it was, and a new adapter finds the same tables.
    const again = pgliteAdapter(db, { schema });
    const changed = parseDoctype({
      name: longB, doctype: 'DocType', module: 'Test',
      fields: [{ fieldname: 'code', fieldtype: 'Data', unique: 1 }, { fieldname: 'extra', fieldtype: 'Int' }],
    });
    await again.prepare([doctype(longA, 'code'), changed]);
    expect(await again.get(longB, 'A-1', { fields: ['name', 'code', 'extra'] })).toEqual({ name: 'A-1', code: 'same', extra: null });
    expect(await again.get(longA, 'A-1', { fields: ['name', 'code'] })).toEqual({ name: 'A-1', code: 'same' });
  });
});

describe('pglite persistence', () => {
  it('a Node folder keeps the data across a close and a new adapter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-pglite-'));
    try {
      const first = pgliteAdapter({ dataDir: dir });
      await first.prepare(conformanceDoctypes());
      await first.insert(ORDER, order('SO-1', { amount: 0.1 + 0.2, items: [{ name: 'R-1', qty: 2 }] }));
      await first.counters.next('SO-');
      const saved = await first.get(ORDER, 'SO-1');
      await first.close?.();
      const second = pgliteAdapter({ dataDir: dir });
      await second.prepare(conformanceDoctypes());
      expect(await second.get(ORDER, 'SO-1')).toEqual(saved);
      expect(await second.counters.current('SO-')).toBe(1);
      await second.close?.();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pglite with real DocTypes', () => {
  it('prepares every DocType of the Frappe corpus (long names, quotes, many columns) and the fixture app', async () => {
    const doctypes: DocType[] = [];
    const seen = new Set<string>();
    for (const source of readdirSync(corpusRoot, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(path.join(corpusRoot, source.name)).filter((f) => f.endsWith('.json'))) {
        // Frappe's loader keeps the last of a duplicated fieldname (one corpus file has one).
        const doctype = parseDoctype(JSON.parse(readFileSync(path.join(corpusRoot, source.name, file), 'utf8')), { duplicateFieldnames: 'last-wins' });
        // The same DocType in two Frappe versions would be two migrations of one table; keep one.
        if (seen.has(doctype.name)) continue;
        seen.add(doctype.name);
        doctypes.push(doctype);
      }
    }
    expect(doctypes.length).toBeGreaterThan(400);
    const storage = pgliteAdapter(db, { schema: 'corpus', migrate: 'at-prepare' });
    await storage.prepare(doctypes);
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'corpus' AND table_name LIKE 'tab%'");
    // A Single has no table of its own (its values are rows of tabSingles); + tabSeries and tabSingles.
    expect(doctypes.some((d) => d.issingle === 1)).toBe(true);
    expect(tables.rows[0]?.n).toBe(doctypes.filter((d) => d.issingle !== 1 || d.istable === 1).length + 2);

    // The fixture Sales Order round-trips through its real child table.
    const app = fixtureDoctypes();
    const fixtures = pgliteAdapter(db, { schema: 'fixture_app' });
    await fixtures.prepare(app.all);
    const so = await fixtures.insert('Sales Order', {
      name: 'SO-0001', customer: 'Acme', modified: T0,
      items: [{ name: 'row-1', item_code: 'ITEM-1', qty: 2, rate: 9.5 }],
    });
    expect(await fixtures.get('Sales Order', 'SO-0001')).toEqual(so);
  }, 120_000);
});
