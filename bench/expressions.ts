/**
 * Expression evaluation over the real corpus: every `eval:` expression found in the shared DocType JSON,
 * evaluated over generated documents, three ways in one process:
 *  - coworker: compiled once to closures (what the library does);
 *  - native closure: `new Function` compiled once per expression (the fastest possible; goal: ours <= 2.0x);
 *  - Frappe Desk's way (v15 `frappe.utils.eval`): `new Function` built on every evaluation (goal: ours >= 20x faster).
 * Plus the time to load (parseDoctype) and compile the whole corpus, against JSON.parse of the same text.
 */
import { compileExpression, createRegistry, parseDoctype, type CompiledExpression } from '../src/index';
import { readCorpus } from './corpus';
import { measure, prng, report } from './lib';

const CONDITION_KEYS = ['depends_on', 'mandatory_depends_on', 'read_only_depends_on', 'collapsible_depends_on'];

const corpus = readCorpus();

/** The native oracle's globals: the same names Desk exposes to these expressions. */
const nativeGlobals = {
  in_list: (list: unknown[], item: unknown) => list.includes(item),
  cint: (v: unknown) => { const n = parseInt(String(v), 10); return Number.isNaN(n) ? 0 : n; },
  flt: (v: unknown) => { const n = parseFloat(String(v ?? '').replace(/,/g, '')); return Number.isNaN(n) ? 0 : n; },
  cstr: (v: unknown) => (v == null ? '' : String(v)),
  frappe: {
    session: { user: 'test@example.com' },
    user: { has_role: (r: string | string[]) => ([] as string[]).concat(r).some((x) => ['System Manager'].includes(x)) || undefined },
    boot: { sysdefaults: {} },
    datetime: { get_today: () => '2026-11-21', now_datetime: () => '2026-11-21 10:00:00' },
  },
};
const NATIVE_PARAMS = ['doc', 'parent', 'cur_frm', ...Object.keys(nativeGlobals)];

function nativeWrap(body: string): string {
  return `let out = ${body}; return out`;
}

// Collect expressions.
const exprs: { source: string; body: string; compiled: CompiledExpression }[] = [];
const seen = new Set<string>();
let unsupported = 0;
for (const f of corpus) {
  const json = JSON.parse(f.text);
  for (const df of json.fields ?? []) {
    for (const key of CONDITION_KEYS) {
      const src = df[key];
      if (typeof src !== 'string' || !src.startsWith('eval:') || seen.has(src)) continue;
      seen.add(src);
      try {
        exprs.push({ source: src, body: src.slice(5), compiled: compileExpression(src) });
      } catch {
        unsupported++;
      }
    }
  }
}

// Generated documents: values drawn per referenced field from a mix of Frappe-typical values.
const rand = prng(42);
const POOL: unknown[] = ['', '0', '1', 'Yes', 'No', 'Draft', 'Open', 'Company', 0, 1, 2, 5.5, -1, null, undefined, [], [{ idx: 1 }]];
const DOCS_PER_EXPR = 8;
const cases: { e: (typeof exprs)[number]; native: (...a: unknown[]) => unknown; docs: Record<string, unknown>[] }[] = [];
for (const e of exprs) {
  let native: (...a: unknown[]) => unknown;
  try {
    native = new Function(...NATIVE_PARAMS, nativeWrap(e.body)) as (...a: unknown[]) => unknown;
  } catch {
    continue; // not valid native JS either (cannot be a fair comparison)
  }
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < DOCS_PER_EXPR; i++) {
    const doc: Record<string, unknown> = { docstatus: Math.floor(rand() * 3), __islocal: rand() < 0.5 ? 1 : 0 };
    for (const ref of e.compiled.references) {
      const key = ref.replace(/^parent\./, '');
      if (key !== '*') doc[key] = POOL[Math.floor(rand() * POOL.length)];
    }
    docs.push(doc);
  }
  // Keep only the (expression, doc) pairs both engines evaluate without throwing, so both do identical work.
  const ok = docs.filter((doc) => {
    try {
      native(doc, doc, { doc }, ...Object.values(nativeGlobals));
      e.compiled.evaluate({ doc, parent: doc });
      return true;
    } catch {
      return false;
    }
  });
  if (ok.length) cases.push({ e, native, docs: ok });
}
const globalsArgs = Object.values(nativeGlobals);
const evaluations = cases.reduce((n, c) => n + c.docs.length, 0);

console.log(`\n## Expressions: ${exprs.length} distinct corpus expressions compiled (${unsupported} unsupported), ${evaluations} evaluations per iteration`);

const results = await measure({
  coworker: () => {
    let t = 0;
    for (const c of cases) for (const doc of c.docs) if (c.e.compiled.evaluate({ doc, parent: doc })) t++;
    return t;
  },
  'native closure': () => {
    let t = 0;
    for (const c of cases) for (const doc of c.docs) if (c.native(doc, doc, { doc }, ...globalsArgs)) t++;
    return t;
  },
  'Frappe Desk (new Function per evaluation)': () => {
    let t = 0;
    for (const c of cases) {
      for (const doc of c.docs) {
        const fn = new Function(...NATIVE_PARAMS, nativeWrap(c.e.body)) as (...a: unknown[]) => unknown;
        if (fn(doc, doc, { doc }, ...globalsArgs)) t++;
      }
    }
    return t;
  },
});
report('evaluate: coworker / native closure compiled once', results.coworker!, results['native closure']!, { max: 2 });
report('evaluate: coworker vs Frappe Desk new Function per call', results.coworker!, results['Frappe Desk (new Function per evaluation)']!, { minSpeedup: 20 });

// Loading and compiling the whole corpus.
const load = await measure(
  {
    'JSON.parse corpus': () => corpus.map((f) => JSON.parse(f.text)),
    'parseDoctype corpus': () => corpus.map((f) => parseDoctype(JSON.parse(f.text))),
    'parseDoctype + registry + compile all expressions': () => {
      const dts = corpus.map((f) => parseDoctype(JSON.parse(f.text)));
      createRegistry(dts.filter((d, i, a) => a.findIndex((x) => x.name === d.name) === i));
      let n = 0;
      for (const dt of dts) {
        for (const df of dt.fields) {
          for (const key of CONDITION_KEYS) {
            const src = df[key];
            if (typeof src === 'string' && src.startsWith('eval:')) {
              try { compileExpression(src); n++; } catch { /* counted above */ }
            }
          }
        }
      }
      return n;
    },
  },
  { time: 2000 },
);
report(`load: parseDoctype, ${corpus.length} DocTypes / JSON.parse`, load['parseDoctype corpus']!, load['JSON.parse corpus']!);
report('load + registry + compile expressions / JSON.parse', load['parseDoctype + registry + compile all expressions']!, load['JSON.parse corpus']!);
