/** The README's first example, checked: every value it shows in a comment is what the library returns. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileExpression, evaluateCondition, ExpressionError } from '../src/index';
import { repoRoot } from './helpers/paths';

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

describe('README engine example', () => {
  it('refuses the order for the reason shown', async () => {
    const { createEngine, memoryAdapter } = await import('../src/index');
    const { fixtureJson } = await import('./helpers/fixtures');
    const json = fixtureJson();
    const engine = createEngine({
      doctypes: [json['Sales Order'], json['Sales Order Item'], json.Customer, json.Item],
      adapter: memoryAdapter(),
      user: { name: 'manager@example.com', roles: ['Sales Manager'] },
    });
    await engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'ACME Corp' } } });
    await engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'WIDGET', item_name: 'Widget', standard_rate: 25 } } });
    const r = await engine.run({ operation: 'create', target_doctype: 'Sales Order',
      input: { data: { customer: 'ACME Corp', items: [{ item_code: 'WIDGET', qty: 4 }] } } });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe('VALIDATION');
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ field: 'delivery_date', code: 'MANDATORY', exc: 'MandatoryError', message: 'Error: Value missing for Sales Order: Delivery Date' }),
    ]);
    expect(readme).toContain("r.error?.code;        // 'VALIDATION'");
  });
});

describe('README testing example', () => {
  it('works as written', async () => {
    const { loadApp } = await import('../src/testing/node');
    const { coworkerMatchers } = await import('../src/testing/index');
    expect.extend(coworkerMatchers);
    const app = await loadApp(path.join(repoRoot, 'fixtures/testing-app'));
    const req = app.doc('Leave Request', { half_day: 1 });
    (expect(req) as unknown as { toBeMandatory(f: string): void }).toBeMandatory('half_day_date');
    (expect(req.set({ half_day: 0 })) as unknown as { not: { toBeMandatory(f: string): void } }).not.toBeMandatory('half_day_date');
    expect(readme).toContain("expect(req).toBeMandatory('half_day_date');");
  });
});
