/**
 * Issue 14 (metered evaluation, engine wiring): the engine option `expressionBudget` reaches every condition the
 * rules evaluate through run(); a spent budget blocks the write with an `EXPR_LIMIT` issue (never a silent
 * fallback to the static flag); the defaults hold for the same expression; bad budgets fail at createEngine.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import { ADMIN } from './helpers';

// The expression builds a 40,000-character string (80 KB by the meter's count) and scans it.
const EXPENSIVE = "eval:doc.title.repeat(10000).indexOf('zz') >= 0";
const NOTE = {
  name: 'Budget Note', module: 'Custom', autoname: 'hash',
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
  fields: [
    { fieldname: 'title', fieldtype: 'Data' },
    { fieldname: 'remark', fieldtype: 'Data', mandatory_depends_on: EXPENSIVE },
    { fieldname: 'lines', fieldtype: 'Table', options: 'Budget Note Line' },
  ],
};
const LINE = {
  name: 'Budget Note Line', module: 'Custom', istable: 1,
  fields: [{ fieldname: 'text', fieldtype: 'Data' }, { fieldname: 'extra', fieldtype: 'Data', mandatory_depends_on: "eval:parent.title.repeat(10000).length < 1" }],
};

const engineWith = (expressionBudget?: { maxOps?: number; maxBytes?: number }) =>
  createEngine({ doctypes: [NOTE, LINE], adapter: memoryAdapter(), user: ADMIN, ...(expressionBudget !== undefined ? { expressionBudget } : {}) });

describe('expressionBudget', () => {
  it('the default budget evaluates the expression (mandatory applies, then the write passes)', async () => {
    const engine = engineWith();
    const missing = await engine.run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'zz' } } });
    expect(missing.error?.code).toBe('VALIDATION');
    expect(missing.error?.issues.map((i) => i.code)).toEqual(['MANDATORY']);
    const ok = await engine.run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'zz', remark: 'r', lines: [{ text: 'a' }] } } });
    expect(ok.error).toBeNull();
  });

  it('a low budget makes the expensive mandatory_depends_on fail with EXPR_LIMIT through run(), naming field and expression', async () => {
    const engine = engineWith({ maxBytes: 10_000 });
    const r = await engine.run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'zz', remark: 'r' } } });
    expect(r.error?.code).toBe('VALIDATION');
    expect(r.error?.issues[0]).toMatchObject({ code: 'EXPR_LIMIT', field: 'remark', expression: EXPENSIVE });
    expect(r.error?.issues[0]?.severity).not.toBe('warning');
    expect(r.error!.issues[0]!.index).toEqual(expect.any(Number));
    expect(await engine.adapter.query('Budget Note', {})).toEqual([]);
  });

  it('draft runs (field states: depends_on and the others) report EXPR_LIMIT too', async () => {
    const r = await engineWith({ maxBytes: 10_000 }).run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'zz', remark: 'r' } }, options: { draft: true } });
    const all = [...(r.error?.issues ?? []), ...r.warnings, ...(((r.output?.meta as Record<string, unknown> | undefined)?.issues as { code: string }[] | undefined) ?? [])];
    expect(all.map((i) => i.code)).toContain('EXPR_LIMIT');
  });

  it('the budget applies in child rows (parent.* conditions) and to operations as well as bytes', async () => {
    const bytes = await engineWith({ maxBytes: 10_000 }).run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'a', remark: 'r', lines: [{ text: 'x' }] } } });
    expect(bytes.error?.issues.map((i) => [i.code, i.field])).toEqual(expect.arrayContaining([['EXPR_LIMIT', 'extra']]));
    const ops = await engineWith({ maxOps: 1_000 }).run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'a', remark: 'r' } } });
    expect(ops.error?.issues[0]).toMatchObject({ code: 'EXPR_LIMIT', field: 'remark' });
    // A generous budget is the same as the default.
    const big = await engineWith({ maxOps: 100_000_000, maxBytes: 100_000_000 }).run({ operation: 'create', target_doctype: 'Budget Note', input: { data: { title: 'zz', remark: 'r', lines: [{ text: 'x' }] } } });
    expect(big.error).toBeNull();
  });

  it('a budget that is not positive integers fails at createEngine', () => {
    for (const bad of [{ maxOps: 0 }, { maxBytes: -1 }, { maxOps: 1.5 }, { maxOps: '10' }, null]) {
      expect(() => engineWith(bad as never)).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    }
    expect(() => engineWith({ maxOps: Infinity })).not.toThrow();
  });
});
