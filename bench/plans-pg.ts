/**
 * Stored creates on every adapter, against the storage alone, raw SQL and Frappe itself (issue "Speed and the
 * package"). The DocTypes are the issue's: an order whose rows each have a Link with `fetch_from`, defaults and a
 * naming series. Each figure is a ratio against a baseline measured in this process:
 *  1. `engine.run(create)` / `adapter.insert` of the same finished documents (10 rows), memory / PGlite /
 *     PostgreSQL (goal <= 1.5x);
 *  2. `engine.run(create)` on PostgreSQL / raw SQL on the same database (BEGIN, the parent and each row
 *     INSERTed with the same columns, COMMIT) (goal <= 2x);
 *  3. `engine.run(create)` on PostgreSQL / Frappe v15 inserting the same order on the oracle's site, 1 and 10 rows
 *     (goal >= 10x faster). Frappe's time is the oracle's request time minus a `ping` round trip measured
 *     alongside: what `frappe.get_doc(...).insert()` and its commit take in Frappe's process.
 * It also prints the statements one create sends on PostgreSQL (1 and 10 rows) beside the raw baseline's and
 * `adapter.insert`'s, counted by a logging pg Client: the engine's overhead over `adapter.insert` is those
 * extra round trips (the Link read, the naming series, the workflow lookup) plus the run's CPU work.
 * PostgreSQL rows need `COWORKER_PG_URL`; the Frappe row needs the oracle set up (`../shared/frappe-oracle`
 * and its `ORACLE_HOME`, found as test/oracle finds it; `FRAPPE_ORACLE=0` skips it); each is skipped with
 * one line otherwise.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createEngine, createRegistry, memoryAdapter, type DocData, type StorageAdapter } from '../dist/index.js';
import { TYPE_PARSERS, pgliteAdapter } from '../dist/pglite.js';
import { postgresAdapter } from '../dist/postgres.js';
import { fmt, measure, report, type Measured } from './lib';

const ITEM = {
  name: 'Plans Bench Item', autoname: 'field:item_code', fields: [
    { fieldname: 'item_code', fieldtype: 'Data', reqd: 1, unique: 1 },
    { fieldname: 'item_name', fieldtype: 'Data' },
    { fieldname: 'standard_rate', fieldtype: 'Currency' },
  ], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};
const ROW = {
  name: 'Plans Bench Order Row', istable: 1, fields: [
    { fieldname: 'item', fieldtype: 'Link', options: 'Plans Bench Item', reqd: 1 },
    { fieldname: 'item_name', fieldtype: 'Data', fetch_from: 'item.item_name' },
    { fieldname: 'qty', fieldtype: 'Float', default: '1' },
    { fieldname: 'rate', fieldtype: 'Currency' },
  ],
};
const ORDER = {
  name: 'Plans Bench Order', autoname: 'naming_series:', fields: [
    { fieldname: 'naming_series', fieldtype: 'Select', options: 'PBO-.#####', default: 'PBO-.#####' },
    { fieldname: 'customer', fieldtype: 'Data', reqd: 1 },
    { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nOpen\nClosed', default: 'Draft' },
    { fieldname: 'transaction_date', fieldtype: 'Date', default: 'Today' },
    { fieldname: 'items', fieldtype: 'Table', options: 'Plans Bench Order Row', reqd: 1 },
  ], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};
const ITEMS = ['BLADE', 'HUB', 'TOWER'];
const order = (rows: number) => ({
  customer: 'Zenith Energy',
  items: Array.from({ length: rows }, (_, i) => ({ item: ITEMS[i % ITEMS.length], qty: 1 + (i % 3), rate: 100 })),
});

const registry = createRegistry([ITEM, ROW, ORDER]);
const admin = { name: 'Administrator', roles: ['Administrator'] };

async function engineOn(adapter: StorageAdapter, seed = true) {
  // Random ids (the default): two engines on one schema must not hand out the same row names.
  const engine = createEngine({ registry, adapter, user: admin });
  for (const code of seed ? ITEMS : []) {
    const r = await engine.run({ operation: 'create', target_doctype: 'Plans Bench Item', input: { data: { item_code: code, item_name: `Item ${code}`, standard_rate: 100 } } });
    if (!r.success) throw new Error(`bench item: ${JSON.stringify(r.error)}`);
  }
  return engine;
}

/** Rounds of engine.run(create) against adapter.insert of the same finished document, on one adapter. */
async function versusInsert(label: string, adapter: StorageAdapter, rows = 10): Promise<{ engine: Measured; insert: Measured }> {
  const engine = await engineOn(adapter);
  const first = await engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(rows) } });
  if (!first.success) throw new Error(`bench order: ${JSON.stringify(first.error)}`);
  const finished = first.output!.data[0] as DocData;
  let k = 0;
  const m = await measure({
    'adapter.insert': () => {
      const name = `RAW-${label}-${k++}`;
      return adapter.insert('Plans Bench Order', { ...finished, name, items: (finished.items as DocData[]).map((r, i) => ({ ...r, name: `${name}-${i}`, parent: name })) });
    },
    'engine.run(create)': () => engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(rows) } }),
  }, { time: 1500 });
  report(`engine.run(create) / adapter.insert, ${rows} rows, ${label}`, m['engine.run(create)']!, m['adapter.insert']!, { max: 1.5 });
  return { engine: m['engine.run(create)']!, insert: m['adapter.insert']! };
}

console.log('\n## Plans: stored creates (order with Link + fetch_from rows, defaults, naming series)');
const onMemory = await versusInsert('memory', memoryAdapter());
{
  const db = new PGlite({ parsers: TYPE_PARSERS as Record<number, (text: string) => unknown> });
  await db.waitReady;
  await versusInsert('PGlite', pgliteAdapter(db, { schema: 'plans_bench' }));
  await db.close();
}

/** Statements sent while `counting` is set, by a pg Client that logs each one. */
const statements: string[] = [];
let counting = false;
class CountingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (counting) statements.push(typeof config === 'string' ? config : (config as { text: string }).text);
    return super.query(config, values, callback);
  }
}
/** The statements `body` sends, each as its verb and table (`INSERT tabSeries`), joined. */
async function countStatements(body: () => Promise<unknown>): Promise<string> {
  statements.length = 0;
  counting = true;
  try {
    await body();
  } finally {
    counting = false;
  }
  const short = statements.map((s) => {
    const table = /"(tab[^"]+)"/.exec(s)?.[1];
    return `${s.split(' ')[0]}${table ? ` ${table}` : ''}`;
  });
  return `${short.length} (${short.join(', ')})`;
}

const url = process.env['COWORKER_PG_URL'];
const ours = new Map<number, Measured>();
if (!url) {
  console.log('(skipped: the PostgreSQL rows need COWORKER_PG_URL)');
} else {
  const schema = `plans_bench_${process.pid}`;
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: CountingClient });
  const adapter = postgresAdapter(pool, { schema });
  try {
    const onPg = await versusInsert('PostgreSQL', adapter);
    ours.set(10, onPg.engine);
    // Where the overhead over adapter.insert goes: the run's own work (the same create on memory, minus its
    // insert) and the statements the run adds (printed below: the Link read, the naming series, the workflow lookup).
    const overhead = onPg.engine.mean - onPg.insert.mean;
    const work = onMemory.engine.mean - onMemory.insert.mean;
    console.log(`  overhead over adapter.insert on PostgreSQL, 10 rows: ${fmt(overhead)}: the run's own work ${fmt(work)} (${((work / overhead) * 100).toFixed(0)}%: engine.run(create) - adapter.insert on memory), the statements it adds ${fmt(Math.max(0, overhead - work))}`);
    // Raw SQL: the stored rows of one engine-made order, inserted again under new names, in one transaction.
    const engine = await engineOn(postgresAdapter(pool, { schema }), false);
    for (const rows of [1, 10]) {
      const made = await engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(rows) } });
      if (!made.success) throw new Error(`bench order: ${JSON.stringify(made.error)}`);
      const name = String((made.output!.data[0] as DocData).name);
      const parent = (await pool.query(`SELECT * FROM "${schema}"."tabPlans Bench Order" WHERE name = $1`, [name])).rows[0] as Record<string, unknown>;
      const children = (await pool.query(`SELECT * FROM "${schema}"."tabPlans Bench Order Row" WHERE parent = $1 ORDER BY idx`, [name])).rows as Record<string, unknown>[];
      const insertSql = (table: string, row: Record<string, unknown>) => {
        const cols = Object.keys(row);
        return `INSERT INTO "${schema}"."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
      };
      const parentSql = insertSql('tabPlans Bench Order', parent);
      const childSql = children.length ? insertSql('tabPlans Bench Order Row', children[0]!) : '';
      let k = 0;
      const raw = async () => {
        const n = `SQL-${rows}-${k++}`;
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(parentSql, Object.values({ ...parent, name: n }));
          for (const [i, c] of children.entries()) await client.query(childSql, Object.values({ ...c, name: `${n}-${i}`, parent: n }));
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      };
      const create = () => engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(rows) } });
      const m = await measure({ 'raw SQL': raw, 'engine.run(create)': create }, { time: 1500 });
      report(`engine.run(create) on PostgreSQL / raw SQL, ${rows} rows`, m['engine.run(create)']!, m['raw SQL']!, { max: 2 });
      ours.set(rows, m['engine.run(create)']!);
      const finished = (await create()).output!.data[0] as DocData;
      const insertName = `INS-${rows}`;
      console.log(`  statements, ${rows} row${rows === 1 ? '' : 's'}: engine.run(create) ${await countStatements(create)}`);
      console.log(`  statements, ${rows} row${rows === 1 ? '' : 's'}: adapter.insert ${await countStatements(() => adapter.insert('Plans Bench Order', {
        ...finished, name: insertName, items: (finished.items as DocData[]).map((r, i) => ({ ...r, name: `${insertName}-${i}`, parent: insertName })),
      }))}`);
      console.log(`  statements, ${rows} row${rows === 1 ? '' : 's'}: raw SQL ${await countStatements(raw)}`);
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

// Frappe itself, in its own process on the oracle's site. Set up = its folder beside the checkout and its
// ORACLE_HOME made by setup.sh (default $TMPDIR/frappe-oracle-home, as test/oracle/harness.ts finds it).
const oracleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/frappe-oracle');
const oracleHome = process.env['ORACLE_HOME'] ?? path.join(process.env['TMPDIR'] ?? '/tmp', 'frappe-oracle-home');
const oracleSetUp = existsSync(path.join(oracleDir, 'client.mjs')) && existsSync(path.join(oracleHome, 'venv'));
if (process.env['FRAPPE_ORACLE'] === '0') {
  console.log('(skipped: engine.run(create) vs Frappe v15: FRAPPE_ORACLE=0)');
} else if (!oracleSetUp) {
  console.log(`(skipped: engine.run(create) vs Frappe v15 needs the oracle set up: ../shared/frappe-oracle and ${oracleHome} (bash ../shared/frappe-oracle/setup.sh): not set up)`);
} else if (!ours.size) {
  console.log('(skipped: engine.run(create) vs Frappe v15 compares with the PostgreSQL runs, which need COWORKER_PG_URL)');
} else {
  const { FrappeOracle } = (await import(pathToFileURL(path.join(oracleDir, 'client.mjs')).href)) as { FrappeOracle: { start(): Promise<{ must(r: Record<string, unknown>): Promise<unknown>; ping(): Promise<unknown>; reset(d: unknown[], o?: Record<string, unknown>): Promise<unknown>; insert(d: Record<string, unknown>): Promise<{ ok: boolean; message: string | null }>; close(): Promise<void> }> } };
  const oracle = await FrappeOracle.start();
  try {
    await oracle.reset([ITEM, ROW, ORDER], { series: 'auto' });
    for (const code of ITEMS) await oracle.insert({ doctype: 'Plans Bench Item', item_code: code, item_name: `Item ${code}`, standard_rate: 100 });
    for (const rows of [1, 10]) {
      const ROUNDS = 15;
      const inserts: number[] = [];
      const pings: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        let t = performance.now();
        await oracle.ping();
        pings.push(performance.now() - t);
        t = performance.now();
        const res = await oracle.insert({ doctype: 'Plans Bench Order', ...order(rows) });
        inserts.push(performance.now() - t);
        if (!res.ok) throw new Error(`Frappe refused the bench order: ${res.message}`);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const frappe: Measured = { name: 'Frappe v15 insert (request - ping)', mean: median(inserts) - median(pings), rme: 0 };
      const mine = ours.get(rows) ?? ours.get(10)!;
      report(`engine.run(create) on PostgreSQL / Frappe v15 insert, ${rows} rows`, mine, frappe, { minSpeedup: 10 });
    }
  } finally {
    await oracle.close();
  }
}
