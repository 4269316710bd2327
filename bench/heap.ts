/**
 * One side of the memory-heap row of `storage-scale.ts`, in a process of its own (it spawns this file twice a
 * round): `copies` builds a Map of 10,000 ERPNext Sales Orders (5 rows each) as deep-frozen copies, `adapter`
 * inserts the same documents into a memory adapter; each prints the bytes its data holds on the heap, measured
 * after full collections. A fresh process per side: in one process an adapter dropped just before outlived
 * several full collections and was collected during the next baseline, which then read 26 MB for 70 MB.
 *
 * Usage: `tsx --expose-gc bench/heap.ts copies|adapter` (needs ERPNext's DocTypes in ../shared/frappe-apps).
 */
import { memoryAdapter, parseDoctype } from '../dist/index.js';
import type { DocType } from '../dist/index.js';
import { readErpnextJson } from './corpus';

const T0 = '2024-01-15 10:30:00.000000';
const N = 10_000;
const which = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || (which !== 'copies' && which !== 'adapter')) throw new Error('usage: tsx --expose-gc bench/heap.ts copies|adapter');

const erpnext: DocType[] = readErpnextJson().map((json) => parseDoctype(json, { duplicateFieldnames: 'last-wins' }));
const byName = new Map(erpnext.map((d) => [d.name, d]));
const so = byName.get('Sales Order') as DocType;
const soi = byName.get('Sales Order Item') as DocType;

/** Used heap after collecting until it stops shrinking. */
function heap(): number {
  let used = Infinity;
  for (let i = 0; i < 8; i++) {
    gc!();
    const now = process.memoryUsage().heapUsed;
    if (now > used - 100_000) return now;
    used = now;
  }
  return used;
}

// Documents as the engine stores them (every value field present, most null, ~30 set).
const valueFields = (d: DocType) => d.fields.filter((f) => f.fieldclass === 'value' && f.is_virtual !== 1);
const sample = (d: DocType, i: number, set: number): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  valueFields(d).forEach((f, k) => {
    const numeric = ['Int', 'Check', 'Float', 'Currency', 'Percent'].includes(f.fieldtype);
    const dated = ['Date', 'Datetime', 'Time'].includes(f.fieldtype);
    out[f.fieldname] = k < set && !dated && f.fieldtype !== 'JSON' ? (numeric ? (f.fieldtype === 'Check' || f.fieldtype === 'Int' ? k % 2 : i + k / 10) : `${f.fieldname}-${i}`) : null;
  });
  return out;
};
const salesOrder = (i: number): Record<string, unknown> => ({
  ...sample(so, i, 30), name: `SAL-ORD-${i}`, modified: T0, creation: T0, owner: 'a@example.com', docstatus: 0,
  items: Array.from({ length: 5 }, (_, r) => ({ ...sample(soi, i, 15), name: `SOI-${i}-${r}`, idx: r + 1 })),
});
const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
};

const before = heap();
let used: number;
if (which === 'copies') {
  const copies = new Map<string, unknown>();
  for (let i = 0; i < N; i++) copies.set(`SAL-ORD-${i}`, deepFreeze(structuredClone(salesOrder(i))));
  used = heap() - before;
  // Used after the measurement, so the optimiser cannot treat it as dead (and collect it) during it.
  if (copies.size !== N) throw new Error('bench: copies lost');
} else {
  const storage = memoryAdapter({ doctypes: [...erpnext.filter((d) => d.istable === 1), so] });
  for (let i = 0; i < N; i++) await storage.insert('Sales Order', salesOrder(i));
  used = heap() - before;
  if ((await storage.count('Sales Order')) !== N) throw new Error('bench: documents lost');
}
console.log(used);
