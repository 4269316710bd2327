import pg from 'pg';
import { createEngine, createRegistry } from '../dist/index.js';
import { postgresAdapter } from '../dist/postgres.js';
const log: string[] = [];
const times = new Map<string, number[]>();
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: any, cfg: any, ...rest: any[]) {
  const text = typeof cfg === 'string' ? cfg : cfg.text;
  const t0 = performance.now();
  const r = orig.call(this, cfg, ...rest);
  if (r && typeof r.then === 'function') r.then(() => { const k = (/^\w+/.exec(text)?.[0] ?? '') + ' ' + (/"(tab[^"]+)"/.exec(text)?.[1] ?? ''); const e = times.get(k) ?? [0, 0]; e[0] += performance.now() - t0; e[1]++; times.set(k, e); }, () => {});
  return r;
};
const ITEM = { name: 'Plans Bench Item', autoname: 'field:item_code', fields: [
  { fieldname: 'item_code', fieldtype: 'Data', reqd: 1, unique: 1 }, { fieldname: 'item_name', fieldtype: 'Data' }, { fieldname: 'standard_rate', fieldtype: 'Currency' }],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }] };
const ROW = { name: 'Plans Bench Order Row', istable: 1, fields: [
  { fieldname: 'item', fieldtype: 'Link', options: 'Plans Bench Item', reqd: 1 }, { fieldname: 'item_name', fieldtype: 'Data', fetch_from: 'item.item_name' },
  { fieldname: 'qty', fieldtype: 'Float', default: '1' }, { fieldname: 'rate', fieldtype: 'Currency' }] };
const ORDER = { name: 'Plans Bench Order', autoname: 'naming_series:', fields: [
  { fieldname: 'naming_series', fieldtype: 'Select', options: 'PBO-.#####', default: 'PBO-.#####' }, { fieldname: 'customer', fieldtype: 'Data', reqd: 1 },
  { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nOpen\nClosed', default: 'Draft' }, { fieldname: 'transaction_date', fieldtype: 'Date', default: 'Today' },
  { fieldname: 'items', fieldtype: 'Table', options: 'Plans Bench Order Row', reqd: 1 }], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }] };
const ITEMS = ['BLADE', 'HUB', 'TOWER'];
const order = (rows: number) => ({ customer: 'Zenith Energy', items: Array.from({ length: rows }, (_, i) => ({ item: ITEMS[i % 3], qty: 1 + (i % 3), rate: 100 })) });
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:54331/wt_pg', max: 2 });
const schema = `count_${process.pid}`;
const engine = createEngine({ registry: createRegistry([ITEM, ROW, ORDER]), adapter: postgresAdapter(pool, { schema }), user: { name: 'Administrator', roles: ['Administrator'] } });
for (const code of ITEMS) await engine.run({ operation: 'create', target_doctype: 'Plans Bench Item', input: { data: { item_code: code, item_name: `Item ${code}` } } });
await engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(2) } });
for (let i = 0; i < 30; i++) await engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(10) } });
times.clear();
const t = performance.now();
for (let i = 0; i < 300; i++) await engine.run({ operation: 'create', target_doctype: 'Plans Bench Order', input: { data: order(10) } });
console.log('per create', ((performance.now() - t) / 300).toFixed(2));
times.clear();
const t2 = performance.now();
for (let i = 0; i < 300; i++) { const c = await pool.connect(); await c.query('BEGIN'); await c.query('SELECT 1'); await c.query('COMMIT'); c.release(); }
console.log('raw 3 statements', ((performance.now() - t2) / 300).toFixed(2));
for (const [k, [sum, n]] of times) if (n >= 300) console.log(k, (sum / n).toFixed(3), 'ms x', n);
await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
await pool.end();
