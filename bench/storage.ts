/**
 * PostgreSQL storage speed on PGlite (issue: Postgres storage), each as a ratio against raw SQL on the same
 * PGlite in the same run:
 *  1. bulk insert of 10,000 documents with 3 rows each through `pgliteAdapter` vs the same rows through raw
 *     parameterised INSERTs, one transaction per document in both (goal <= 1.5x);
 *  2. select one document by an indexed (unique) field: `query` vs a raw SELECT (goal <= 1.5x).
 * Run: `npx tsx bench/storage.ts` (sources, not dist: the PGlite entry is a subpath build).
 */
import { PGlite } from '@electric-sql/pglite';
// The built package, as users run it (`npm run bench` builds first).
import { TYPE_PARSERS, pgliteAdapter } from '../dist/pglite.js';
import { parseDoctype } from '../dist/index.js';
import { measure, report } from './lib';
import type { Measured } from './lib';

const DOCS = 10_000;
const ROWS = 3;
const T0 = '2024-01-15 10:30:00.000000';

const doctypes = [
  parseDoctype({
    name: 'Bench Item', doctype: 'DocType', module: 'Bench', istable: 1,
    fields: [
      { fieldname: 'item_code', fieldtype: 'Link', options: 'Item' },
      { fieldname: 'qty', fieldtype: 'Float' },
      { fieldname: 'rate', fieldtype: 'Currency' },
      { fieldname: 'amount', fieldtype: 'Currency' },
    ],
  }),
  parseDoctype({
    name: 'Bench Order', doctype: 'DocType', module: 'Bench',
    fields: [
      { fieldname: 'customer', fieldtype: 'Link', options: 'Customer' },
      { fieldname: 'code', fieldtype: 'Data', unique: 1 },
      { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nOpen' },
      { fieldname: 'transaction_date', fieldtype: 'Date' },
      { fieldname: 'grand_total', fieldtype: 'Currency' },
      { fieldname: 'active', fieldtype: 'Check' },
      { fieldname: 'items', fieldtype: 'Table', options: 'Bench Item' },
    ],
  }),
];

function order(i: number): Record<string, unknown> {
  return {
    name: `SO-${i}`, owner: 'a@example.com', creation: T0, modified: T0, modified_by: 'a@example.com', docstatus: 0, idx: 0,
    customer: `Customer ${i % 97}`, code: `C-${i}`, status: 'Open', transaction_date: '2024-01-15', grand_total: i * 1.5, active: 1,
    items: Array.from({ length: ROWS }, (_, r) => ({ name: `SO-${i}-${r}`, item_code: `ITEM-${r}`, qty: r + 1, rate: 9.5, amount: (r + 1) * 9.5, idx: r + 1 })),
  };
}

// Created with the adapter's parsers, as docs/storage-postgres.md recommends; raw SQL uses the same instance.
const db = new PGlite({ parsers: TYPE_PARSERS as Record<number, (text: string) => unknown> });
await db.waitReady;
const storage = pgliteAdapter(db, { schema: 'bench_adapter' });
await storage.prepare(doctypes);
// The raw side gets the very same tables (made by the adapter in its own schema), so only the path differs.
// Tables are created on first use by default (docs/DECISIONS.md); `migrate: 'at-prepare'` creates them now.
await pgliteAdapter(db, { schema: 'bench_raw', migrate: 'at-prepare' }).prepare(doctypes);

const PARENT_COLS = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'customer', 'code', 'status', 'transaction_date', 'grand_total', 'active'];
const CHILD_COLS = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'parent', 'parenttype', 'parentfield', 'item_code', 'qty', 'rate', 'amount'];
const insertSql = (table: string, cols: string[]) =>
  `INSERT INTO bench_raw."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
const parentSql = insertSql('tabBench Order', PARENT_COLS);
const childSql = insertSql('tabBench Item', CHILD_COLS);

async function rawInsert(doc: Record<string, unknown>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(parentSql, PARENT_COLS.map((c) => doc[c] ?? null));
    for (const row of doc['items'] as Record<string, unknown>[]) {
      const full: Record<string, unknown> = { ...row, parent: doc['name'], parenttype: 'Bench Order', parentfield: 'items' };
      await tx.query(childSql, CHILD_COLS.map((c) => full[c] ?? null));
    }
  });
}

async function timed(name: string, body: () => Promise<void>): Promise<Measured> {
  const start = performance.now();
  await body();
  return { name, mean: performance.now() - start, rme: 0 };
}

const docs = Array.from({ length: DOCS }, (_, i) => order(i));
// A short warm-up of both paths (JIT, PGlite caches), on names the timed runs do not use.
for (let i = 0; i < 200; i++) {
  await storage.insert('Bench Order', order(DOCS + i));
  await rawInsert(order(DOCS + i));
}
const raw = await timed('raw SQL', async () => { for (const doc of docs) await rawInsert(doc); });
const adapter = await timed('adapter', async () => { for (const doc of docs) await storage.insert('Bench Order', doc); });
console.log(`\nstorage (PGlite): ${DOCS.toLocaleString('en')} documents x ${ROWS} rows, one transaction each`);
report(`bulk insert, ${DOCS} docs with rows: adapter vs raw SQL`, adapter, raw, { max: 1.5 });

let k = 0;
const selects = await measure({
  adapter: async () => { await storage.query('Bench Order', { where: { code: `C-${(k = (k + 7919) % DOCS)}` } }); },
  'raw SQL': async () => { await db.query(`SELECT * FROM bench_raw."tabBench Order" WHERE code = $1`, [`C-${(k = (k + 7919) % DOCS)}`]); },
});
report('select by indexed field (unique code): adapter vs raw SQL', selects['adapter']!, selects['raw SQL']!, { max: 1.5 });
await db.close();
// Storage at scale (memory, SQLite, PGlite; issues "Speed and the package" and "indexes").
const scale = './storage-scale.ts';
await import(scale);
