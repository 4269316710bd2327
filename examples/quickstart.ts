/**
 * `npm start`: the quickstart. Loads the fixture sales app (fixtures/doctypes, Frappe's own DocType JSON format),
 * compiles its rules, and shows for a few sample documents which fields are visible, mandatory and read-only,
 * and why; then validates them the way Frappe does on save.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileRules, createRegistry, evaluateStates, explainField, fixedClock, newDoc, sequentialIds, validateDoc,
  type DocData,
} from '../src/index';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '..', 'fixtures', 'doctypes');
const registry = createRegistry(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
console.log(`Loaded ${registry.list().length} DocTypes: ${registry.list().map((d) => d.name).join(', ')}`);
console.log('  (small stand-ins written for this demo in fixtures/doctypes, in Frappe\'s DocType JSON format: not ERPNext\'s own DocTypes)');
for (const d of registry.check()) console.log(`  schema ${d.severity}: ${d.message}`);

const salesOrder = registry.get('Sales Order');
const rules = compileRules(salesOrder, registry);
console.log(`Sales Order: ${salesOrder.fields.length} fields, ${rules.tables.size} child table, ${rules.diagnostics.length} rule diagnostics`);

const user = { name: 'sales@example.com', roles: ['Sales User'] };
const clock = fixedClock('2026-11-21T09:30:00Z');
const base = newDoc(salesOrder, { user, clock, ids: sequentialIds(), getDoctype: (n) => registry.get(n) }).data;
const row = (extra: Record<string, unknown>, i: number) => ({ doctype: 'Sales Order Item', name: `row-${i}`, idx: i, parent: base.name, parentfield: 'items', parenttype: 'Sales Order', qty: 1, ...extra });

const samples: Array<[string, DocData]> = [
  ['A new Sales Order, as Frappe fills its defaults', base],
  ['A discounted Maintenance order', { ...base, customer: 'ACME Corp', order_type: 'Maintenance', apply_discount: 1, discount_percent: 15, total: 1200,
    items: [row({ item_code: 'SVC-01', delivered_by_supplier: 1 }, 1)] }],
  ['The same order, submitted', { ...base, customer: 'ACME Corp', order_type: 'Maintenance', apply_discount: 1, discount_percent: 15, total: 1200,
    docstatus: 1, name: 'SO-2026-00001', __islocal: undefined, items: [row({ item_code: 'SVC-01', delivered_by_supplier: 1, supplier: 'Parts Inc' }, 1)] }],
];

const SHOW = ['customer', 'customer_name', 'order_type', 'delivery_date', 'discount_percent', 'discount_reason', 'status', 'notes'];
for (const [title, doc] of samples) {
  console.log(`\n== ${title}`);
  const states = evaluateStates(rules, doc, { user, now: clock() });
  console.log(`${'field'.padEnd(18)} ${'visible'.padEnd(8)} ${'mandatory'.padEnd(10)} ${'read-only'.padEnd(10)} why`);
  for (const f of SHOW) {
    const s = states.fields[f]!;
    const why = explainField(rules, doc, f, { user, now: clock() }).reasons.join('; ') || '(static defaults)';
    console.log(`${f.padEnd(18)} ${String(s.visible).padEnd(8)} ${String(s.mandatory).padEnd(10)} ${String(s.readOnly).padEnd(10)} ${why}`);
  }
  for (const [rowName, rs] of Object.entries(states.rows.items ?? {})) {
    const r = (doc.items as DocData[]).find((x) => x.name === rowName)!;
    const why = explainField(rules, doc, 'supplier', { table: 'items', row: r }).reasons.join('; ');
    console.log(`  row ${rowName}: supplier visible=${rs.supplier!.visible} mandatory=${rs.supplier!.mandatory}  (${why}); service_notes visible=${rs.service_notes!.visible}`);
  }
  const issues = validateDoc(rules, doc, { user, now: clock() });
  console.log(issues.length ? `On save, Frappe would refuse it:\n${issues.map((i) => `  - [${i.code}] ${i.message}`).join('\n')}` : 'On save: valid.');
}

// ---------------------------------------------------------------------------------------------------------------
// Part 2: the engine. Every operation is a run; each prints as a readable run record.
import { createEngine, flt, randomIds, systemClock, type RunRecord } from '../src/index';
import { TYPE_PARSERS, pgliteAdapter } from '../src/pglite';

console.log('\n\n######## The engine: a Sales Order from draft to amendment ########');
// The embedded default store: real Postgres (PGlite) in this process, kept in a local folder, so a second
// `npm start` finds the first run's documents and the naming series carries on.
const dataDir = process.env.COWORKER_DATA_DIR ?? path.join(here, '..', '.coworker-data', 'quickstart');
mkdirSync(path.dirname(dataDir), { recursive: true }); // PGlite creates its own folder, not its parents
console.log(`Storage: PGlite (embedded Postgres) in ${path.relative(process.cwd(), dataDir) || dataDir}`);
const manager = { name: 'manager@example.com', roles: ['Sales Manager', 'Sales User'] };
const clerk = { name: 'clerk@example.com', roles: ['Sales User'] };
const engine = createEngine({
  registry,
  adapter: pgliteAdapter({ dataDir, parsers: TYPE_PARSERS }),
  user: manager,
  // The real clock and random ids (the defaults): the store outlives this process, so names must not repeat.
  clock: systemClock,
  ids: randomIds,
  storeRuns: true,
  rules: {
    'Sales Order': {
      computed: [
        { field: 'amount', table: 'items', inputs: ['qty', 'rate'], compute: (r) => flt(r.qty) * flt(r.rate) },
        { field: 'total', inputs: ['items.amount'], compute: (d) => (d.items as DocData[]).reduce((s, r) => s + flt(r.amount), 0) },
        { field: 'total_qty', inputs: ['items.qty'], compute: (d) => (d.items as DocData[]).reduce((s, r) => s + flt(r.qty), 0) },
        { field: 'grand_total', inputs: ['total', 'discount_percent'], compute: (d) => flt(d.total) * (1 - flt(d.discount_percent) / 100) },
      ],
    },
  },
});

/** One line per run, then what matters about its outcome. */
function show(title: string, r: RunRecord): RunRecord {
  const doc = r.output?.data?.[0] as DocData | undefined;
  const who = `${r.owner}${r.agent ? ` via ${r.agent}` : ''}`;
  console.log(`\n${r.success ? 'OK     ' : 'REFUSED'} ${title}`);
  console.log(`     run ${r.name}: ${r.operation}${r.operation_original !== r.operation ? ` (as "${r.operation_original}")` : ''} ${r.target_doctype ?? r.source_doctype} by ${who}, ${r.status}${r.parent_run_id ? `, parent ${r.parent_run_id}` : ''}`);
  if (r.error) {
    console.log(`     ${r.error.code} (${r.error.exc}): ${r.error.message}`);
    for (const i of r.error.issues) console.log(`       - ${i.field ?? ''}${i.row ? ` row ${i.row}` : ''}: [${i.code}] ${i.message}`);
  } else if (doc) {
    const items = (doc.items as DocData[] | undefined)?.map((x) => `${x.item_code} x${x.qty} @ ${x.rate} = ${x.amount}`).join(', ');
    console.log(`     ${doc.name} docstatus=${doc.docstatus} customer=${doc.customer ?? ''} total=${doc.total ?? ''} grand_total=${doc.grand_total ?? ''} modified=${doc.modified ?? '(draft)'}`);
    if (items) console.log(`     items: ${items}`);
    if (doc.amended_from) console.log(`     amended_from=${doc.amended_from}`);
  }
  const meta = r.output?.meta as { issues?: Array<{ field?: string; message: string }>; edit?: { state: string } } | undefined;
  if (meta?.edit) console.log(`     edit state: ${meta.edit.state}; ${meta.issues?.length ?? 0} issue(s) a save would raise now${meta.issues?.length ? ': ' + meta.issues.map((i) => i.field).join(', ') : ''}`);
  return r;
}

const before = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { orderBy: [{ name: 'asc' }] } });
console.log(before.output?.data.length
  ? `Found ${before.output.data.length} Sales Order(s) from earlier runs: ${before.output.data.map((d) => (d as DocData).name).join(', ')}`
  : 'No documents yet: this is the first run (run `npm start` again to see them kept).');
// upsert: create on the first run, update on later ones.
await engine.run({ operation: 'upsert', target_doctype: 'Customer', input: { data: { name: 'ACME Corp', customer_name: 'ACME Corp', email_id: 'buyer@acme.example' } } });
await engine.run({ operation: 'upsert', target_doctype: 'Item', input: { data: { name: 'WIDGET', item_code: 'WIDGET', item_name: 'Widget', standard_rate: 25 } } });
await engine.run({ operation: 'upsert', target_doctype: 'Item', input: { data: { name: 'SVC-01', item_code: 'SVC-01', item_name: 'Service visit', standard_rate: 120, uom: 'Hour' } } });

const draft = show('A draft: open an edit on a new Sales Order (nothing is written)', await engine.run({
  operation: 'create', target_doctype: 'Sales Order', options: { draft: true }, user: clerk, agent: 'assistant-1',
  input: { data: { customer: 'ACME Corp' } },
}));
show('Draft edit: add rows; fetch_from fills item_name and rate, computed fields fill amounts', await engine.run({
  operation: 'update', target_doctype: 'Sales Order', options: { draft: true }, parent_run_id: draft.name, user: clerk, agent: 'assistant-1',
  input: { data: { delivery_date: '2026-12-01', items: [{ item_code: 'WIDGET', qty: 4 }, { item_code: 'SVC-01', qty: 1 }] } },
}));
const saved = show('Save the accumulated edit (naming series gives the name)', await engine.run({
  operation: 'update', target_doctype: 'Sales Order', parent_run_id: draft.name, user: clerk, agent: 'assistant-1', input: { data: {} },
}));
const name = (saved.output?.data?.[0] as DocData).name as string;

show('A Sales User may not submit', await engine.run({ operation: 'submit', target_doctype: 'Sales Order', user: clerk, input: { data: { name } } }));
show('The Sales Manager submits', await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name } } }));
show('After submit the customer cannot change', await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, customer: 'Someone Else' } } }));
show('...but allow_on_submit fields can', await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'Deliver to gate 4' } } }));

const current = (await engine.run({ operation: 'takeone', source_doctype: 'Sales Order', input: { data: { name } } })).output?.data?.[0] as DocData;
await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'Changed by someone else first' } } });
show('A stale update (it read the document before someone else saved it)', await engine.run({
  operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'My late change', modified: current.modified } },
}));

show('Cancel', await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name } } }));
show('A cancelled document cannot be edited', await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'x' } } }));
show('Amend: a new draft named after the cancelled one', await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name } } }));

const list = await engine.run({ operation: 'select', source_doctype: 'Sales Order', query: { where: { customer: 'ACME Corp' }, orderBy: [{ name: 'asc' }] }, user: clerk });
console.log(`\nSales Orders for ACME Corp, as the Sales User sees them (no permlevel-1 fields): ${list.output?.data.map((d) => `${(d as DocData).name} (docstatus ${(d as DocData).docstatus})`).join(', ')}`);
const trace = await engine.trace('Sales Order', name);
console.log(`Runs that wrote ${name}: ${trace.runs.map((r) => `${r.operation}${r.agent ? ` (${r.agent})` : ''}`).join(' -> ')}`);
await engine.adapter.close?.();
