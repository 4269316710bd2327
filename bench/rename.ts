/**
 * `rename` of a Customer that 400 Sales Orders (3 rows each, one Link per row too) point at, on PGlite, SQLite
 * and memory: the adapters' own `updateWhere` (one UPDATE per Link column) against the storage helper's fallback
 * (each linking document read and rewritten through `update`), which adapters without `updateWhere` get.
 * Medians of alternating rounds (A -> B, then B -> A), as ratios; then SQLite against PGlite.
 * Run: `npm run build && npx tsx bench/rename.ts` (or `npm run bench -- rename`).
 */
import { PGlite } from '@electric-sql/pglite';
import { createEngine, memoryAdapter } from '../dist/index.js';
import type { StorageAdapter, StorageSession } from '../dist/index.js';
import { pgliteAdapter } from '../dist/pglite.js';
import { sqliteAdapter } from '../dist/sqlite.js';
import initSqlJs from 'sql.js';
import { report } from './lib';
import type { Measured } from './lib';

const ORDERS = 400;
const ROUNDS = 3;
const T0 = '2024-01-15 10:30:00.000000';
const ADMIN = { name: 'Administrator', roles: ['Administrator'] };

const DOCTYPES = [
  { name: 'Bench Customer', module: 'Bench', autoname: 'Prompt', allow_rename: 1, fields: [{ fieldname: 'title', fieldtype: 'Data' }] },
  {
    name: 'Bench Order Item', module: 'Bench', istable: 1,
    fields: [{ fieldname: 'item', fieldtype: 'Data' }, { fieldname: 'ship_to', fieldtype: 'Link', options: 'Bench Customer' }, { fieldname: 'qty', fieldtype: 'Float' }],
  },
  {
    name: 'Bench Order', module: 'Bench', autoname: 'hash',
    fields: [
      { fieldname: 'customer', fieldtype: 'Link', options: 'Bench Customer' }, { fieldname: 'total', fieldtype: 'Currency' },
      { fieldname: 'items', fieldtype: 'Table', options: 'Bench Order Item' },
    ],
  },
];

/** The same storage without `updateWhere` (the transaction sessions too): what an adapter without it gets. */
function withoutUpdateWhere(adapter: StorageAdapter): StorageAdapter {
  const strip = (s: StorageSession): StorageSession => ({
    get: (d, n, o) => s.get(d, n, o), getMany: (d, n, o) => s.getMany!(d, n, o), query: (d, q) => s.query(d, q), count: (d, w) => s.count(d, w),
    exists: (d, n) => s.exists(d, n), insert: (d, doc) => s.insert(d, doc), update: (d, doc, m) => s.update(d, doc, m), delete: (d, n) => s.delete(d, n),
    transaction: (fn) => s.transaction((tx) => fn(strip(tx))), counters: s.counters,
  });
  return { ...strip(adapter), name: `${adapter.name} (no updateWhere)`, capabilities: adapter.capabilities, prepare: (d) => adapter.prepare(d) };
}

async function seeded(adapter: StorageAdapter): Promise<void> {
  const engine = createEngine({ doctypes: DOCTYPES, adapter, user: ADMIN });
  await engine.ready();
  await adapter.insert('Bench Customer', { name: 'A', title: 'A', modified: T0, creation: T0 });
  for (let i = 0; i < ORDERS; i++) {
    await adapter.insert('Bench Order', {
      name: `O-${i}`, customer: 'A', total: i, modified: T0, creation: T0,
      items: [0, 1, 2].map((r) => ({ name: `O-${i}-${r}`, item: `I-${r}`, ship_to: r === 0 ? 'A' : null, qty: 1 })),
    });
  }
}

/** Median per rename, renaming back and forth. */
async function renames(name: string, adapter: StorageAdapter): Promise<Measured> {
  const engine = createEngine({ doctypes: DOCTYPES, adapter, user: ADMIN });
  const times: number[] = [];
  let current = 'A';
  for (let r = 0; r < ROUNDS + 1; r++) {
    const next = current === 'A' ? 'B' : 'A';
    const start = performance.now();
    const run = await engine.run({ operation: 'rename', target_doctype: 'Bench Customer', input: { data: { name: current }, new_name: next } });
    if (!run.success) throw new Error(`${name}: ${run.error?.message}`);
    if (r > 0) times.push(performance.now() - start); // the first is warm-up
    current = next;
  }
  times.sort((a, b) => a - b);
  return { name, mean: times[Math.floor(times.length / 2)]!, rme: 0 };
}

console.log(`\nrename: a Customer with ${ORDERS} Sales Orders (and ${ORDERS} row Links) pointing at it`);
const db = new PGlite();
const sqlJs = await initSqlJs();
const natives: Measured[] = [];
for (const [label, make] of [
  ['PGlite', (schema: string) => pgliteAdapter(db, { schema })],
  ['SQLite', () => sqliteAdapter({ sqlJs: sqlJs as never })],
  ['memory', () => memoryAdapter()],
] as const) {
  const fast = make('rename_fast');
  const slow = make('rename_slow');
  await seeded(fast);
  await seeded(slow);
  const native = await renames(`${label} updateWhere`, fast);
  natives.push(native);
  const fallback = await renames(`${label} rewrite fallback`, withoutUpdateWhere(slow));
  report(`${label}: rename with updateWhere / with the rewrite fallback`, native, fallback);
}
report('SQLite / PGlite, both with updateWhere', natives[1]!, natives[0]!);
await db.close();
