/** The README's first example, checked: every value it shows in a comment is what the library returns. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileExpression, evaluateCondition, ExpressionError } from '../src/index';
import { repoRoot } from './helpers/paths';
import { benchAvailable, benchDoctypeJsons } from './helpers/bench';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with the two commands a new user runs', () => {
    const firstBlock = readme.split('```')[1] ?? '';
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm install && npm test');
  });

  it('first example shows what the library returns', () => {
    const doc = { order_type: 'Sales', apply_discount: 1, discount_percent: 15, total: 100 };
    expect(readme).toContain("evaluateCondition('eval:doc.discount_percent > 10', { doc });            // true");
    expect(evaluateCondition('eval:doc.discount_percent > 10', { doc })).toBe(true);
    expect(evaluateCondition('apply_discount', { doc })).toBe(true);
    const e = compileExpression("eval:doc.order_type == 'Sales' && !doc.delivery_date");
    expect(readme).toContain("e.references;                                                            // ['delivery_date', 'order_type']");
    expect(e.references).toEqual(['delivery_date', 'order_type']);
    expect(e.evaluate({ doc })).toBe(true);
    expect(readme).toContain("// throws ExpressionError { code: 'EXPR_UNSUPPORTED', index: 9, ... }");
    let err: unknown;
    try {
      compileExpression('eval:doc.constructor.constructor("return process")()');
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err).toMatchObject({ code: 'EXPR_UNSUPPORTED', index: 9 });
  });
});

describe.skipIf(!benchAvailable)('README engine example (ERPNext of ../shared/frappe-apps)', () => {
  it("refuses ERPNext's Sales Order for the reasons shown", async () => {
    const { createEngine, memoryAdapter } = await import('../src/index');
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: benchDoctypeJsons(), adapter: memoryAdapter() });
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order', options: { dry_run: true },
      input: { data: { customer: 'ACME Corp', items: [{ item_code: 'WIDGET', qty: 4 }] } } });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe('VALIDATION');
    expect(readme).toContain("r.error?.code;        // 'VALIDATION'");
    const shown = r.error!.issues.map((i) => `${i.code} ${i.table ? `${i.table}.` : ''}${i.field}`);
    const block = readme.slice(readme.indexOf("r.error?.issues.map((i) =>"));
    const listed = [...block.slice(0, block.indexOf('```')).matchAll(/'([A-Z_]+ [a-z_.]+)'/g)].map((m) => m[1]);
    expect(listed).toEqual(shown);
  }, 60_000);
});
