/**
 * Rules engine speed (issue: rules and documents, Frappe's source), each as a ratio against a baseline from the same run:
 *  1. a generated submittable DocType with 200 fields and a child table of 1,000 rows whose conditions read
 *     `parent`: after one field change, the incremental state update vs a full recompute (goal >= 20x faster);
 *  2. per-row cost of computing states at 10, 100, 1,000 and 10,000 rows (goal: the largest <= 1.5x the smallest);
 *  3. validateDoc vs an equivalent zod v4 schema (types, required, Select enums) on the same documents
 *     (goal <= 2.0x while doing more: Frappe's messages, conditional mandatory, child rows, lengths).
 */
import { produce } from 'immer';
import { z } from 'zod';
import { compileRules, createRegistry, evaluateStates, updateStates, validateDoc, type DocData } from '../dist/index.js';
import { measure, prng, report } from './lib';

const rand = prng(7);
const SELECT = ['Open', 'Pending', 'Closed'];

/** A parent with 200 fields (a mix of types and conditions) and a child whose rows read parent.* */
function generatedDoctypes() {
  const fields: Record<string, unknown>[] = [];
  for (let i = 0; i < 200; i++) {
    const kind = i % 5;
    const f: Record<string, unknown> = { fieldname: `f${i}`, label: `Field ${i}` };
    if (kind === 0) Object.assign(f, { fieldtype: 'Data', reqd: i % 10 === 0 ? 1 : 0 });
    if (kind === 1) Object.assign(f, { fieldtype: 'Int', depends_on: `eval:doc.f${i - 1} != ''` });
    if (kind === 2) Object.assign(f, { fieldtype: 'Select', options: SELECT.join('\n'), mandatory_depends_on: `eval:doc.f${i - 1} > 5` });
    if (kind === 3) Object.assign(f, { fieldtype: 'Check', read_only_depends_on: `eval:doc.f${i - 1} == 'Closed'` });
    if (kind === 4) Object.assign(f, { fieldtype: 'Currency', depends_on: `eval:doc.f${i - 1} && doc.docstatus == 0`, non_negative: 1 });
    fields.push(f);
  }
  fields.push({ fieldname: 'items', fieldtype: 'Table', options: 'Bench Row', label: 'Items' });
  const parent = { name: 'Bench Doc', is_submittable: 1, fields, permissions: [] };
  const child = {
    name: 'Bench Row', istable: 1, fields: [
      { fieldname: 'item', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'qty', fieldtype: 'Float', non_negative: 1 },
      { fieldname: 'rate', fieldtype: 'Currency', depends_on: 'eval:doc.qty > 0' },
      { fieldname: 'note', fieldtype: 'Small Text', depends_on: "eval:parent.f2 == 'Closed'" },
      { fieldname: 'supplier', fieldtype: 'Data', mandatory_depends_on: 'eval:parent.f3 && doc.qty > 1' },
    ],
  };
  return createRegistry([parent, child]);
}

const registry = generatedDoctypes();
const rules = compileRules(registry.get('Bench Doc'), registry);

function makeDoc(rows: number): DocData {
  const doc: Record<string, unknown> = { doctype: 'Bench Doc', name: 'BD-1', docstatus: 0 };
  for (let i = 0; i < 200; i++) {
    const kind = i % 5;
    doc[`f${i}`] = kind === 0 ? `text ${i}` : kind === 1 ? Math.floor(rand() * 10) : kind === 2 ? SELECT[i % 3] : kind === 3 ? i % 2 : rand() * 100;
  }
  doc.items = Array.from({ length: rows }, (_, r) => ({ doctype: 'Bench Row', name: `row-${r}`, idx: r + 1, item: `I${r}`, qty: r % 4, rate: 10, note: '', supplier: 'S' }));
  return produce(doc, () => {}) as DocData; // frozen, as coworker documents are
}

// 1. Incremental vs full after one parent field change (a field two others read).
console.log('\n## Rules: field states');
const doc1000 = makeDoc(1000);
const state1000 = evaluateStates(rules, doc1000);
const changed = produce(doc1000, (d: Record<string, unknown>) => { d.f10 = d.f10 === 'x' ? 'y' : 'x'; });
const one = await measure({
  'full recompute': () => evaluateStates(rules, changed),
  'incremental update': () => updateStates(rules, state1000, doc1000, changed),
});
report('states after one field change: incremental / full (1,000 rows)', one['incremental update']!, one['full recompute']!, { minSpeedup: 20 });

// A change every row reads (parent.f2): the incremental path must touch all rows, and still beat a full recompute.
const changedParent = produce(doc1000, (d: Record<string, unknown>) => { d.f2 = d.f2 === 'Closed' ? 'Open' : 'Closed'; });
const rowsRead = await measure({
  'full recompute': () => evaluateStates(rules, changedParent),
  'incremental update': () => updateStates(rules, state1000, doc1000, changedParent),
});
report('states after a change all rows read (parent.f2): incremental / full', rowsRead['incremental update']!, rowsRead['full recompute']!);

// 2. Per-row cost: time for the rows part = (states of doc with N rows - states with 0 rows) / N.
const sizes = [10, 100, 1000, 10000];
const docs = Object.fromEntries([0, ...sizes].map((n) => [n, makeDoc(n)]));
const scale = await measure(Object.fromEntries([0, ...sizes].map((n) => [`${n} rows`, () => evaluateStates(rules, docs[n]!)])), { time: 1000 });
const perRow = (n: number) => (scale[`${n} rows`]!.mean - scale['0 rows']!.mean) / n;
const smallest = { name: '10 rows (per row)', mean: perRow(10), rme: 0 };
for (const n of sizes) {
  report(`states: per-row cost at ${n.toLocaleString('en')} rows / at 10 rows`, { name: `${n} rows (per row)`, mean: perRow(n), rme: 0 }, smallest, n === 10000 ? { max: 1.5 } : undefined);
}

// 3. validateDoc vs an equivalent zod schema (types, required, Select enums) on the same documents.
console.log('\n## Rules: validation');
const parentDt = registry.get('Bench Doc');
const shape: Record<string, z.ZodType> = {};
for (const df of parentDt.fields) {
  if (df.fieldclass !== 'value') continue;
  let t: z.ZodType;
  if (df.fieldtype === 'Int' || df.fieldtype === 'Check') t = z.number().int();
  else if (df.fieldtype === 'Currency' || df.fieldtype === 'Float') t = df.non_negative ? z.number().min(0) : z.number();
  else if (df.fieldtype === 'Select') t = z.enum(df.select_options!.filter(Boolean) as [string, ...string[]]);
  else t = z.string().max(140);
  shape[df.fieldname] = df.reqd ? t : t.nullable().optional();
}
const rowSchema = z.object({ item: z.string().min(1), qty: z.number().min(0), rate: z.number().optional(), note: z.string().optional(), supplier: z.string().optional() });
const zodSchema = z.object({ ...shape, items: z.array(rowSchema) });
const doc100 = makeDoc(100);
// Both must accept the document, so both do the work of a valid save.
if (!zodSchema.safeParse(doc100).success) throw new Error('the zod baseline must accept the bench document');
if (validateDoc(rules, doc100).length) throw new Error('validateDoc must accept the bench document');
const val = await measure({
  'zod v4 safeParse': () => zodSchema.safeParse(doc100),
  validateDoc: () => validateDoc(rules, doc100),
});
report('validateDoc / zod v4 (200 fields, 100 rows, valid document)', val.validateDoc!, val['zod v4 safeParse']!, { max: 2 });
