/**
 * Rules over the whole real corpus: every DocType compiles its rules (problems come out as diagnostics naming
 * DocType + field, never as crashes), and field states for generated documents never throw and agree with
 * `explainField`, the incremental update, and the `depends_on` evaluator.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRegistry, type Registry } from '../../src/schema/index';
import { compileRules } from '../../src/rules/compile';
import { evaluateStates, updateStates } from '../../src/rules/states';
import { explainField } from '../../src/rules/explain';
import { validateDoc } from '../../src/rules/validate';
import type { CompiledRules, DocData, RuleDiagnostic } from '../../src/rules/types';
import type { DocType } from '../../src/schema/types';
import { corpusRoot } from '../helpers/paths';

const SOURCES = readdirSync(corpusRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const registries = new Map<string, Registry>();
for (const source of SOURCES) {
  const dir = path.join(corpusRoot, source);
  const jsons = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  // One corpus file repeats a fieldname; Frappe's Meta keeps the last row (see test/conformance/doctypes.test.ts).
  registries.set(source, createRegistry(jsons, { duplicateFieldnames: 'last-wins' }));
}

/** Deterministic values per fieldtype, including the empty ones conditions test for. */
function valueFor(df: DocType['fields'][number], seed: number): unknown {
  const pick = <T>(xs: readonly T[]) => xs[seed % xs.length]!;
  switch (df.fieldtype) {
    case 'Check': return pick([0, 1]);
    case 'Int': case 'Long Int': return pick([0, 1, 5, -2]);
    case 'Float': case 'Currency': case 'Percent': return pick([0, 0.5, 100, 12.25]);
    case 'Select': return df.select_options?.length ? pick(df.select_options) : '';
    case 'Date': return pick(['', '2026-01-31', '2026-11-21']);
    case 'Datetime': return pick(['', '2026-11-21 10:00:00']);
    case 'Link': case 'Dynamic Link': return pick(['', 'X-0001', 'Administrator']);
    default: return pick(['', 'some text', '0', null]);
  }
}

function generate(dt: DocType, reg: Registry, seed: number): DocData {
  const doc: Record<string, unknown> = { doctype: dt.name, name: seed % 2 ? `${dt.name}-1` : undefined, __islocal: seed % 2 ? 0 : 1, docstatus: dt.is_submittable ? seed % 3 : 0 };
  dt.fields.forEach((df, i) => {
    if (df.fieldclass === 'value') doc[df.fieldname] = valueFor(df, seed + i);
    else if (df.fieldclass === 'table') {
      const child = reg.tryGet(df.options);
      doc[df.fieldname] = !child ? [] : Array.from({ length: (seed + i) % 3 }, (_, r) => {
        const row: Record<string, unknown> = { doctype: child.name, name: `${df.fieldname}-${r}`, idx: r + 1 };
        child.fields.forEach((cf, j) => { if (cf.fieldclass === 'value') row[cf.fieldname] = valueFor(cf, seed + j + r); });
        return Object.freeze(row);
      });
    }
  });
  return Object.freeze(doc);
}

const all: Array<{ source: string; dt: DocType; rules: CompiledRules; reg: Registry }> = [];
for (const [source, reg] of registries) for (const dt of reg.list()) if (!dt.istable) all.push({ source, dt, rules: compileRules(dt, reg), reg });

describe('rules over the corpus', () => {
  it('every parent DocType compiles its rules', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const { rules } of all) expect(rules.fields.size).toBe(rules.doctype.fields.length);
  });

  it('reports problems as diagnostics with DocType + field, from a short reviewed list of kinds', () => {
    const diags: RuleDiagnostic[] = all.flatMap((a) => a.rules.diagnostics);
    for (const d of diags) {
      expect(d.doctype).toBeTruthy();
      expect(d.field).toBeTruthy();
      expect(d.message).toBeTruthy();
    }
    const byCode: Record<string, number> = {};
    for (const d of diags) byCode[d.code] = (byCode[d.code] ?? 0) + 1;
    // Every EXPR_UNSUPPORTED in the corpus is an erpnext.* global (see test/conformance/expressions.test.ts).
    for (const d of diags.filter((x) => x.code === 'EXPR_UNSUPPORTED')) expect(d.expression).toContain('erpnext.');
    // Reviewed: each finding below is a real problem in that DocType version or a known corpus gap. A new finding,
    // or a finding that disappears, fails this test and must be reviewed.
    const findings = diags
      .filter((d) => d.code !== 'EXPR_UNSUPPORTED')
      .map((d) => `${d.code} ${d.doctype}.${d.field} (${d.property}): ${d.message}`);
    expect(new Set(findings).size).toBe(findings.length);
    expect({ byCode, findings: [...new Set(findings)].sort() }).toMatchSnapshot();
  });

  it('field states of generated documents never throw, and agree with explainField and incremental updates', () => {
    let docs = 0;
    for (const { dt, rules, reg } of all) {
      let prevDoc: DocData | undefined;
      let prevState: ReturnType<typeof evaluateStates> | undefined;
      for (let seed = 0; seed < 4; seed++) {
        const doc = generate(dt, reg, seed);
        const state = evaluateStates(rules, doc, { user: { name: 'Administrator', roles: ['System Manager'] }, now: new Date('2026-11-21T00:00:00Z') });
        docs++;
        for (const df of dt.fields) {
          const ex = explainField(rules, doc, df.fieldname);
          const s = state.fields[df.fieldname]!;
          expect([ex.visible, ex.mandatory, ex.readOnly], `${dt.name}.${df.fieldname}`).toEqual([s.visible, s.mandatory, s.readOnly]);
        }
        if (prevDoc && prevState) {
          const inc = updateStates(rules, prevState, prevDoc, doc, { user: { name: 'Administrator', roles: ['System Manager'] }, now: new Date('2026-11-21T00:00:00Z') });
          expect(inc.fields, dt.name).toEqual(state.fields);
          expect(inc.rows, dt.name).toEqual(state.rows);
        }
        // Validation never throws for generated (often invalid) data.
        expect(Array.isArray(validateDoc(rules, doc, { states: state }))).toBe(true);
        prevDoc = doc;
        prevState = state;
      }
    }
    expect(docs).toBeGreaterThan(1200);
  });
});
