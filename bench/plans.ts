/**
 * Per-DocType plans (issue "Speed and the package"): ERPNext's Sales Order from `../shared/frappe-apps`, with
 * 1 / 10 / 100 / 1,000 rows as plain objects, each figure a ratio against a baseline measured in this process:
 *  1. `run(create, dry_run)` / `validateDoc` of the finished document (goal <= 2.0x);
 *  2. `validateDoc` / an equivalent zod v4 schema (types, required, Select enums, lengths) (goal <= 1.5x);
 *  3. `engine.run(create)` / `adapter.insert` of the same finished documents, memory (goal <= 1.5x);
 *  4. field states after one edit of `parent.status`, 1,000 rows, 6 row conditions reading it: incremental /
 *     full (goal >= 5x faster);
 *  5. load + compile the 484-DocType corpus of `../shared/frappe-doctypes` / `JSON.parse` of the same files
 *     (goal <= 10x), lazily (a DocType is parsed and compiled on first use) and eagerly (`strict`).
 * The PGlite / PostgreSQL rows are in `bench/plans-pg.ts`.
 */
import { z } from 'zod';
import {
  compileExpression, compileRules, createEngine, createRegistry, evaluateStates, memoryAdapter, sequentialIds, updateStates, validateDoc,
  type DocData, type DocType, type Registry,
} from '../dist/index.js';
import { appDoctypeJsons, appsAvailable } from './apps';
import { readCorpus } from './corpus';
import { measure, report, type Measured } from './lib';
import { salesOrderData, seedSalesMasters } from './sales-order';

export const SIZES = [1, 10, 100, 1000] as const;

/** A zod v4 schema equivalent to what validateDoc checks on a finished document's value fields. */
export function zodFor(dt: DocType, child?: (name: string) => DocType): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const df of dt.fields) {
    if (df.fieldclass === 'table' && child) {
      shape[df.fieldname] = z.array(zodFor(child(df.options)));
      continue;
    }
    if (df.fieldclass !== 'value') continue;
    let s: z.ZodType;
    if (df.fieldtype === 'Int' || df.fieldtype === 'Check') s = z.number().int();
    else if (['Float', 'Currency', 'Percent'].includes(df.fieldtype)) s = df.non_negative ? z.number().min(0) : z.number();
    else if (df.fieldtype === 'Select') s = z.enum(df.select_options!.length ? (df.select_options as [string, ...string[]]) : ['']);
    else if (['Data', 'Link', 'Dynamic Link', 'Select', 'Read Only', 'Password', 'Color', 'Barcode', 'Autocomplete'].includes(df.fieldtype)) s = z.string().max(df.length || 140);
    else s = z.string();
    shape[df.fieldname] = df.reqd ? s : s.nullable().optional();
  }
  return z.object(shape);
}

if (!appsAvailable) {
  console.log('\n## Plans: ERPNext Sales Order\n(skipped: the Sales Order rows need ERPNext DocTypes in ../shared/frappe-apps)');
} else {
  console.log('\n## Plans: ERPNext Sales Order');
  const registry: Registry = createRegistry(appDoctypeJsons());
  const so = registry.get('Sales Order');
  const adapter = memoryAdapter();
  const engine = createEngine({ registry, adapter, user: { name: 'Administrator', roles: ['Administrator'] }, ids: sequentialIds(), allowFlags: 'all' });
  await seedSalesMasters(engine);
  const rules = compileRules(so, registry);
  const zodSo = zodFor(so, (name) => registry.get(name));

  for (const n of SIZES) {
    const input = salesOrderData(n);
    const dry = () => engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: input() }, options: { dry_run: true } });
    const probe = await dry();
    if (!probe.success) throw new Error(`the bench Sales Order must be valid: ${JSON.stringify(probe.error)}`);
    const finished = structuredClone(probe.output!.data[0]) as DocData; // plain, unfrozen
    const found = validateDoc(rules, finished);
    if (found.some((i) => i.severity !== 'warning')) throw new Error(`validateDoc must accept the bench document: ${JSON.stringify(found)}`);
    const zr = zodSo.safeParse(finished);
    if (!zr.success) throw new Error(`zod must accept the bench document: ${JSON.stringify(zr.error.issues.slice(0, 3))}`);
    const time = n >= 1000 ? 3000 : 1200;
    const m = await measure({
      'zod v4': () => zodSo.safeParse(finished),
      validateDoc: () => validateDoc(rules, finished),
      'run(create, dry_run)': dry,
    }, { time });
    report(`run(create, dry_run) / validateDoc, ${n} rows`, m['run(create, dry_run)']!, m.validateDoc!, { max: 2 });
    report(`validateDoc / zod v4, ${n} rows`, m.validateDoc!, m['zod v4']!, { max: 1.5 });
  }

  // Stored creates vs the adapter alone, the same finished documents (100 rows).
  const input = salesOrderData(100);
  const finished = (await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: input() }, options: { dry_run: true } })).output!.data[0] as DocData;
  const raw = memoryAdapter();
  await raw.prepare(registry.list());
  let k = 0;
  const writes = await measure({
    'adapter.insert': () => {
      const name = `RAW-${k++}`;
      return raw.insert('Sales Order', { ...finished, name, items: (finished.items as DocData[]).map((r, i) => ({ ...r, name: `${name}-${i}`, parent: name })) });
    },
    'engine.run(create)': () => engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: input() } }),
  }, { time: 1500 });
  report('engine.run(create) / adapter.insert, 100 rows, memory', writes['engine.run(create)']!, writes['adapter.insert']!, { max: 1.5 });
}

// 4. Incremental states when rows read the parent.
{
  const conds = ['Draft', 'Open', 'Closed', 'On Hold', 'Completed', 'Cancelled'];
  const reg = createRegistry([
    {
      name: 'Plan Bench Order', fields: [
        { fieldname: 'status', fieldtype: 'Select', options: conds.join('\n') },
        { fieldname: 'customer', fieldtype: 'Data' },
        { fieldname: 'items', fieldtype: 'Table', options: 'Plan Bench Row' },
      ],
    },
    {
      name: 'Plan Bench Row', istable: 1, fields: [
        { fieldname: 'item', fieldtype: 'Data' },
        { fieldname: 'qty', fieldtype: 'Float' },
        ...conds.map((c, i) => ({
          fieldname: `c${i}`, fieldtype: 'Data',
          [['depends_on', 'read_only_depends_on', 'mandatory_depends_on'][i % 3] as string]: `eval:parent.status == '${c}'`,
        })),
      ],
    },
  ]);
  const r = compileRules(reg.get('Plan Bench Order'), reg);
  const rows = Array.from({ length: 1000 }, (_, i) => ({ doctype: 'Plan Bench Row', name: `row-${i}`, idx: i + 1, item: `I${i}`, qty: i % 4, c0: 'x' }));
  const before: DocData = { doctype: 'Plan Bench Order', name: 'PBO-1', docstatus: 0, status: 'Draft', customer: 'C', items: rows };
  const after: DocData = { ...before, status: 'Open' };
  const state = evaluateStates(r, before);
  const m = await measure({
    'full recompute': () => evaluateStates(r, after),
    'incremental update': () => updateStates(r, state, before, after),
  });
  report('states after parent.status edit, 1,000 rows, 6 row conditions: incremental / full', m['incremental update']!, m['full recompute']!, { minSpeedup: 5 });
}

// 5. Loading the corpus.
{
  const corpus = readCorpus();
  const LOAD = { duplicateFieldnames: 'last-wins' } as const;
  const unique = (jsons: Record<string, unknown>[]) => jsons.filter((j, i, a) => a.findIndex((x) => x.name === j.name) === i);
  const m = await measure({
    'JSON.parse': () => corpus.map((f) => JSON.parse(f.text)),
    'lazy load': () => createRegistry(unique(corpus.map((f) => JSON.parse(f.text))), LOAD),
    'eager load + compile': () => {
      const reg = createRegistry(unique(corpus.map((f) => JSON.parse(f.text))), LOAD);
      let n = 0;
      for (const dt of reg.list()) {
        for (const df of dt.fields) {
          for (const key of ['depends_on', 'mandatory_depends_on', 'read_only_depends_on'] as const) {
            const src = df[key];
            if (typeof src === 'string' && src.startsWith('eval:')) {
              try { compileExpression(src); n++; } catch { /* lint reports these */ }
            }
          }
        }
      }
      return n;
    },
  }, { time: 2000 });
  report(`load the ${corpus.length}-DocType corpus (lazy registry) / JSON.parse`, m['lazy load']!, m['JSON.parse']!, { max: 10 });
  report('load + parse + compile every DocType (eager) / JSON.parse', m['eager load + compile']!, m['JSON.parse']!, { max: 10 });
}

export type { Measured };
