/**
 * Workflow transition conditions (Python, `src/pyexpr`) against hand-written JavaScript closures of the same
 * logic (the fastest possible, no Python semantics), in one process. Two figures:
 *  - evaluation of a compiled condition on a Python value document (what `get_transitions` does per condition,
 *    the document converted once);
 *  - the same including the document's conversion to Python values (`evaluatePy({ doc })` on a plain object).
 * No goal was set for this bench; it records where the cost is.
 */
// Measures the built package (dist/), which is what users run: `npm run bench` builds first.
import { compilePython, toPy } from '../dist/index.js';
import { measure, report } from './lib';

const CASES: Array<{ src: string; native: (doc: Record<string, unknown>, user: string) => unknown }> = [
  { src: 'doc.grand_total > 100000 and frappe.session.user != doc.owner', native: (d, u) => (d.grand_total as number) > 100000 && u !== d.owner },
  { src: "doc.status in ('Open', 'Draft') and not doc.get('docstatus')", native: (d) => ['Open', 'Draft'].includes(d.status as string) && !d.docstatus },
  { src: 'doc.leave_approver == frappe.session.user', native: (d, u) => d.leave_approver === u },
  { src: 'round(doc.total_leave_days * 2) // 2 >= 3 or doc.half_day', native: (d) => Math.floor(Math.round((d.total_leave_days as number) * 2) / 2) >= 3 || d.half_day },
];

const rows = Array.from({ length: 20 }, (_, i) => ({ item_code: `ITEM-${i}`, qty: i + 1, rate: 10.5 * i, amount: 10.5 * i * (i + 1) }));
const doc = {
  name: 'X-1', owner: 'a@example.com', grand_total: 150000.5, status: 'Open', docstatus: 0, leave_approver: 'b@example.com',
  total_leave_days: 2.5, half_day: 0, items: rows,
};
const floatFields = new Set(['grand_total', 'total_leave_days', 'rate', 'amount']);
const pyDoc = toPy(doc, { floatFields });
const compiled = CASES.map((c) => compilePython(c.src));
const user = 'b@example.com';
let sink: unknown;

const r = await measure({
  native: () => { for (const c of CASES) sink = c.native(doc, user); },
  pyexpr: () => { for (const c of compiled) sink = c.evaluatePy({ doc: pyDoc, user, globals: 'workflow' }); },
  'pyexpr + doc conversion': () => { for (const c of compiled) sink = c.evaluatePy({ doc, user, floatFields }); },
});
void sink;
console.log('\npyexpr: 4 workflow conditions on a document with 20 rows');
report('compiled conditions vs native closures', r.pyexpr!, r.native!);
report('compiled conditions, converting the doc each time, vs native', r['pyexpr + doc conversion']!, r.native!);
