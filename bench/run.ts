/**
 * run() speed (issue: run(), `frappe/model/workflow.py`), as ratios from one run:
 *  - `run(create)` with `dry_run` on Sales Orders with 100 rows vs the same documents through an equivalent zod
 *    v4 schema (types, required, Select enums): how much the whole pipeline (guardian, defaults, naming, coercion,
 *    fetch_from, computed fields, validation) costs over a plain schema check;
 *  - documents per second through memory storage: `run(create)` (stored) vs `adapter.insert` of the same finished
 *    document (the storage alone).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createEngine, createRegistry, flt, memoryAdapter, sequentialIds, type DocData } from '../dist/index.js';
import { measure, report } from './lib';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/doctypes');
const registry = createRegistry(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
const admin = { name: 'Administrator', roles: ['Administrator'] };
let t = Date.parse('2026-11-21T00:00:00Z');
const rules = {
  'Sales Order': {
    computed: [
      { field: 'amount', table: 'items', inputs: ['qty', 'rate'], compute: (r: DocData) => flt(r.qty) * flt(r.rate) },
      { field: 'total', inputs: ['items.amount'], compute: (d: DocData) => (d.items as DocData[]).reduce((s, r) => s + flt(r.amount), 0) },
    ],
  },
};

async function engineWithData() {
  const adapter = memoryAdapter();
  const engine = createEngine({ registry, adapter, user: admin, clock: () => new Date((t += 1)), ids: sequentialIds(), rules });
  await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'ACME Corp' } } });
  for (let i = 0; i < 10; i++) {
    await engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: `I${i}`, item_name: `Item ${i}`, standard_rate: 10 + i } } });
  }
  return { engine, adapter };
}

const order = (): Record<string, unknown> => ({
  customer: 'ACME Corp', order_type: 'Sales', delivery_date: '2026-12-01',
  items: Array.from({ length: 100 }, (_, i) => ({ item_code: `I${i % 10}`, qty: 1 + (i % 5), rate: 10 + (i % 10) })),
});

// The zod baseline: the same document's shape, types, required fields and Select options.
const so = registry.get('Sales Order');
const item = registry.get('Sales Order Item');
function zodFor(dt: typeof so): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const df of dt.fields) {
    if (df.fieldclass !== 'value') continue;
    let s: z.ZodType;
    if (['Int', 'Check'].includes(df.fieldtype)) s = z.number().int();
    else if (['Float', 'Currency', 'Percent'].includes(df.fieldtype)) s = df.non_negative ? z.number().min(0) : z.number();
    else if (df.fieldtype === 'Select') s = z.enum(df.select_options!.filter(Boolean) as [string, ...string[]]);
    else s = z.string().max(140);
    shape[df.fieldname] = df.reqd && !df.default ? s : s.optional();
  }
  return shape;
}
const zodOrder = z.object({ ...zodFor(so), items: z.array(z.object(zodFor(item))).min(1) });
if (!zodOrder.safeParse(order()).success) throw new Error('the zod baseline must accept the bench document');

console.log('\n## run()');
const { engine } = await engineWithData();
const probe = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() }, options: { dry_run: true } });
if (!probe.success) throw new Error(`the bench document must be valid: ${JSON.stringify(probe.error)}`);
const dry = await measure({
  'zod v4 safeParse': () => zodOrder.safeParse(order()),
  'run(create, dry_run)': () => engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() }, options: { dry_run: true } }),
}, { time: 1500 });
report('run(create, dry_run) / zod v4, Sales Order with 100 rows', dry['run(create, dry_run)']!, dry['zod v4 safeParse']!);

// Stored creates vs the adapter alone, on the same finished documents.
const stored = await engineWithData();
const finished = (await stored.engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() }, options: { dry_run: true } })).output!.data[0] as DocData;
let n = 0;
const raw = memoryAdapter();
await raw.prepare(registry.list());
const writes = await measure({
  'adapter.insert (storage alone)': () => raw.insert('Sales Order', { ...finished, name: `RAW-${n++}`, items: (finished.items as DocData[]).map((r, i) => ({ ...r, name: `RAW-${n}-${i}`, parent: `RAW-${n - 1}` })) }),
  'run(create) stored': () => stored.engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: order() } }),
}, { time: 1500 });
report('run(create) stored / adapter.insert, 100 rows, memory', writes['run(create) stored']!, writes['adapter.insert (storage alone)']!);
console.log(`  run(create) through memory storage: ${(1000 / writes['run(create) stored']!.mean).toFixed(0)} docs/s with 100 rows each (in the same run, the adapter alone: ${(1000 / writes['adapter.insert (storage alone)']!.mean).toFixed(0)} docs/s)`);
