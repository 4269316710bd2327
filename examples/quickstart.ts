/**
 * `npm start`: the quickstart. Loads the fixture sales app (fixtures/doctypes, Frappe's own DocType JSON format),
 * compiles its rules, and shows for a few sample documents which fields are visible, mandatory and read-only,
 * and why; then validates them the way Frappe does on save.
 */
import { readFileSync, readdirSync } from 'node:fs';
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
