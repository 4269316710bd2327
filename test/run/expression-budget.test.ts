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

  it('ignore_mandatory skips the mandatory pass: its conditions are not evaluated, so a spent budget does not block', async () => {
    const engine = createEngine({ doctypes: [NOTE, LINE], adapter: memoryAdapter(), user: ADMIN, expressionBudget: { maxBytes: 10_000 }, allowFlags: 'all' });
    const data = { title: 'zz', lines: [{ text: 'a' }] };
    const blocked = await engine.run({ operation: 'create', target_doctype: 'Budget Note', input: { data } });
    expect(blocked.error?.issues.map((i) => i.code)).toEqual(['EXPR_LIMIT', 'EXPR_LIMIT']);
    const r = await engine.run({ operation: 'create', target_doctype: 'Budget Note', input: { data }, options: { flags: { ignore_mandatory: true } } });
    expect(r.error).toBeNull();
    expect(r.output!.data[0]).toMatchObject({ title: 'zz', remark: null });
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

describe('pythonBudget (workflow transition conditions)', () => {
  const ORDER = {
    name: 'Budget Flow Order', module: 'Custom', is_submittable: 1, autoname: 'hash',
    fields: [{ fieldname: 'customer', fieldtype: 'Data' }],
    permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, submit: 1, cancel: 1 }],
  };
  const WORKFLOW = {
    name: 'Budget Approval', document_type: 'Budget Flow Order', is_active: 1 as const, workflow_state_field: 'workflow_state',
    states: [{ state: 'Draft', doc_status: '0' as const, allow_edit: 'System Manager' }, { state: 'Approved', doc_status: '1' as const, allow_edit: 'System Manager' }],
    // 7 characters x 5,000: 35,000 characters, under the default size limit (100,000) and over a budget of 1,000.
    transitions: [{ state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'System Manager', condition: "(doc.customer * 5000) != ''" }],
  };
  const approve = async (pythonBudget?: { maxSize?: number; maxSteps?: number }) => {
    const { withWorkflow } = await import('../../src/workflow/index');
    const engine = createEngine(withWorkflow({ doctypes: [ORDER], adapter: memoryAdapter(), user: ADMIN, ...(pythonBudget ? { pythonBudget } : {}) }, { workflows: [WORKFLOW] }));
    for (const s of ['Draft', 'Approved']) await engine.run({ operation: 'create', target_doctype: 'Workflow State', input: { data: { workflow_state_name: s } } });
    await engine.run({ operation: 'create', target_doctype: 'Workflow Action Master', input: { data: { workflow_action_name: 'Approve' } } });
    const made = await engine.run({ operation: 'create', target_doctype: 'Budget Flow Order', input: { data: { customer: 'Trusted' } } });
    expect(made.error).toBeNull();
    return engine.run({ operation: 'apply_workflow', target_doctype: 'Budget Flow Order', input: { data: { name: made.docname! }, action: 'Approve' } });
  };

  it('the default budget runs the condition; a low one fails the transition with the condition\'s limit', async () => {
    expect((await approve()).error).toBeNull();
    const low = await approve({ maxSize: 1_000 });
    expect(low.success).toBe(false);
    expect(low.error?.message).toMatch(/Workflow condition of transition row 1 failed/);
    expect(low.error?.exc).toBe('MemoryError');
  });

  it('a bad pythonBudget fails at createEngine', () => {
    expect(() => createEngine({ doctypes: [ORDER], adapter: memoryAdapter(), user: ADMIN, pythonBudget: { maxSteps: -5 } })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  });
});
