/**
 * The form controller on a 200-field form: how many field slices change identity per keystroke (= how many
 * field components re-render with coworker/react's `useField`), and the time of a keystroke (the draft run)
 * against the same draft run made directly through `engine.run`.
 *
 * The DocType: 200 Data fields; `f0` drives 10 dependents (`depends_on: eval:doc.f0 == 'x'`), the others are
 * independent. Keystrokes alternate between an independent field and `f0`.
 */
import { createEngine, memoryAdapter } from '../dist/index.js';
import { measure, report } from './lib';

const fields: Record<string, unknown>[] = [];
for (let i = 0; i < 200; i++) {
  fields.push({ fieldname: `f${i}`, fieldtype: 'Data', label: `F ${i}`, ...(i >= 1 && i <= 10 ? { depends_on: "eval:doc.f0 == 'x'" } : {}) });
}
const doctype = { name: 'Wide Form', module: 'Bench', fields, permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }] };
const user = { name: 'bench@example.com', roles: ['System Manager'] };
const engine = createEngine({ doctypes: [doctype], adapter: memoryAdapter(), user });
const form = await engine.form({ doctype: 'Wide Form' });

/** Slices whose identity changed between two snapshots (what useField would re-render). */
function changedSlices(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

let toggle = 'y';
const counts: Record<string, number[]> = { independent: [], driver: [] };
for (let i = 0; i < 40; i++) {
  const driver = i % 2 === 1;
  const before = form.getSnapshot().fields as Record<string, unknown>;
  if (driver) toggle = toggle === 'x' ? 'y' : 'x';
  await form.set(driver ? 'f0' : 'f150', driver ? toggle : `v${i}`);
  counts[driver ? 'driver' : 'independent']!.push(changedSlices(before, form.getSnapshot().fields as Record<string, unknown>).length);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('\nform controller, 200 fields (10 depend on f0)');
console.log(`  slices re-rendered per keystroke in an independent field: median ${median(counts.independent!)} (goal: 1)`);
console.log(`  slices re-rendered per keystroke in f0 toggling 10 dependents: median ${median(counts.driver!)} (goal: 11)`);

// Time of a keystroke through the form vs the same draft run made directly.
const direct = await engine.run({ operation: 'create', target_doctype: 'Wide Form', options: { draft: true }, input: { data: {} } });
let n = 0;
const r = await measure({
  'engine.run(draft)': async () => { await engine.run({ operation: 'create', target_doctype: 'Wide Form', parent_run_id: direct.name, options: { draft: true }, input: { data: { f150: `d${n++}` } } }); },
  'form.set': async () => { await form.set('f150', `s${n++}`); },
}, { time: 500 });
report('form.set keystroke / the same draft run via engine.run', r['form.set']!, r['engine.run(draft)']!, { max: 1.5 });
