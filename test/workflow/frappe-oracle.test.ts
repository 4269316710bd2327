/**
 * The same workflow scenario on real Frappe v15 (the oracle) and on coworker: the outcome of each step (success,
 * exception class, message, state and docstatus) must match. Gated on FRAPPE_ORACLE=1.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrappeOracle } from '../../../shared/frappe-oracle/client.mjs';
import { createEngine, memoryAdapter, type Engine, type User } from '../../src/index';
import { withWorkflow, type WorkflowDefinition } from '../../src/workflow/index';
import { sharedRoot } from '../helpers/paths';

const DT = 'WFO Request';
const DOCTYPE = {
  name: DT, module: 'Custom', custom: 1, is_submittable: 1, autoname: 'hash',
  fields: [
    { fieldname: 'amount', fieldtype: 'Currency', label: 'Amount' },
    { fieldname: 'status', fieldtype: 'Select', label: 'Status', options: 'Draft\nApproved\nCancelled', default: 'Draft' },
  ],
  permissions: [
    { role: 'WFO Maker', read: 1, write: 1, create: 1, submit: 1, cancel: 1 },
    { role: 'WFO Approver', read: 1, write: 1, create: 1, submit: 1, cancel: 1 },
  ],
};
const WORKFLOW: WorkflowDefinition = {
  name: 'WFO Flow', document_type: DT, is_active: 1, workflow_state_field: 'workflow_state',
  states: [
    { state: 'WFO Draft', doc_status: '0', allow_edit: 'WFO Maker', update_field: 'status', update_value: 'Draft' },
    { state: 'WFO Approved', doc_status: '1', allow_edit: 'WFO Approver', update_field: 'status', update_value: 'Approved' },
    { state: 'WFO Cancelled', doc_status: '2', allow_edit: 'WFO Approver', update_field: 'status', update_value: 'Cancelled' },
  ],
  transitions: [
    { state: 'WFO Draft', action: 'WFO Approve', next_state: 'WFO Approved', allowed: 'WFO Approver', allow_self_approval: 0, condition: 'doc.amount > 100' },
    { state: 'WFO Approved', action: 'WFO Cancel', next_state: 'WFO Cancelled', allowed: 'WFO Approver' },
  ],
};
const maker: User = { name: 'wfo-maker@example.com', roles: ['WFO Maker'] };
const approver: User = { name: 'wfo-approver@example.com', roles: ['WFO Approver'] };

type Outcome = { ok: boolean; exc: string | null; message: string | null; state?: unknown; docstatus?: unknown };

describe.runIf(process.env.FRAPPE_ORACLE === '1')('workflow vs Frappe v15', () => {
  let oracle: FrappeOracle;
  let engine: Engine;

  beforeAll(async () => {
    oracle = await FrappeOracle.start({ dir: path.join(sharedRoot, 'frappe-oracle') });
    for (const u of [maker, approver]) await oracle.must({ op: 'run_as', user: u.name, roles: [...u.roles], request: { op: 'ping' } });
    await oracle.must({ op: 'reset', doctypes: [DOCTYPE] });
    await oracle.request({ op: 'delete', doctype: 'Workflow', name: WORKFLOW.name, flags: { force: true, ignore_permissions: true } });
    for (const s of WORKFLOW.states) await oracle.request({ op: 'insert', doc: { doctype: 'Workflow State', workflow_state_name: s.state }, flags: { ignore_if_duplicate: true } });
    for (const t of WORKFLOW.transitions) await oracle.request({ op: 'insert', doc: { doctype: 'Workflow Action Master', workflow_action_name: t.action }, flags: { ignore_if_duplicate: true } });
    await oracle.must({ op: 'insert', doc: { doctype: 'Workflow', workflow_name: WORKFLOW.name, ...WORKFLOW } });
    engine = createEngine(withWorkflow({ doctypes: [DOCTYPE], adapter: memoryAdapter(), user: { name: 'Administrator', roles: ['Administrator'] } }, { workflows: [WORKFLOW] }));
    for (const s of WORKFLOW.states) await engine.run({ operation: 'create', target_doctype: 'Workflow State', input: { data: { workflow_state_name: s.state } } });
  }, 180_000);
  afterAll(() => oracle?.close());

  const viaFrappe = async (user: User, request: Record<string, unknown>): Promise<Outcome> => {
    const r = await oracle.request({ op: 'run_as', user: user.name, roles: [...user.roles], request });
    const doc = (r.doc ?? (r.value as Record<string, unknown> | undefined)) as Record<string, unknown> | undefined;
    return { ok: r.ok, exc: r.ok ? null : r.exc_type, message: r.ok ? null : r.message, state: doc?.workflow_state, docstatus: doc?.docstatus };
  };
  const viaCoworker = async (user: User, request: Parameters<Engine['run']>[0]): Promise<Outcome> => {
    const r = await engine.run({ ...request, user });
    const doc = r.output?.data[0] as Record<string, unknown> | undefined;
    return { ok: r.success, exc: r.error?.exc ?? null, message: r.error?.message ?? null, state: doc?.workflow_state, docstatus: doc?.docstatus };
  };
  const same = (ours: Outcome, theirs: Outcome) => {
    expect({ ...ours, message: ours.message?.replace(/<[^>]+>/g, '') ?? null }).toEqual(theirs);
  };

  it('insert starts in the first state; a state set directly is refused with the same exception and message', async () => {
    const f = await viaFrappe(maker, { op: 'insert', doc: { doctype: DT, amount: 50 } });
    const c = await viaCoworker(maker, { operation: 'create', target_doctype: DT, input: { data: { amount: 50 } } });
    same(c, f);
    const f2 = await viaFrappe(maker, { op: 'insert', doc: { doctype: DT, amount: 50, workflow_state: 'WFO Approved' } });
    const c2 = await viaCoworker(maker, { operation: 'create', target_doctype: DT, input: { data: { amount: 50, workflow_state: 'WFO Approved' } } });
    expect(f2.exc).toBe('WorkflowPermissionError');
    same(c2, f2);
  });

  it('apply_workflow: condition false (Not a valid Workflow Action), self approval, then approve and cancel', async () => {
    const small = await viaFrappe(maker, { op: 'insert', doc: { doctype: DT, amount: 50 } });
    const smallName = (await oracle.request({ op: 'get_list', doctype: DT, fields: ['name'], filters: { amount: 50 }, order_by: 'creation desc', limit: 1 })).docs![0]!.name;
    expect(small.ok).toBe(true);
    const cSmall = (await engine.run({ operation: 'create', target_doctype: DT, user: maker, input: { data: { amount: 50 } } })).output!.data[0]!.name;
    const applyF = (user: User, name: unknown, action: string) => viaFrappe(user, { op: 'call', method: 'frappe.model.workflow.apply_workflow', kwargs: { doc: { doctype: DT, name }, action } });
    const applyC = (user: User, name: unknown, action: string) => viaCoworker(user, { operation: 'apply_workflow', target_doctype: DT, input: { data: { name: name as string }, action } });
    const strip = (o: Outcome) => ({ ok: o.ok, exc: o.exc, message: o.message });
    expect(strip(await applyC(approver, cSmall, 'WFO Approve'))).toEqual(strip(await applyF(approver, smallName, 'WFO Approve')));

    const bigF = await oracle.must({ op: 'run_as', user: approver.name, roles: [...approver.roles], request: { op: 'insert', doc: { doctype: DT, amount: 500 } } });
    const bigC = (await engine.run({ operation: 'create', target_doctype: DT, user: approver, input: { data: { amount: 500 } } })).output!.data[0]!.name;
    const selfF = await applyF(approver, bigF.doc!.name, 'WFO Approve');
    expect(selfF.message).toMatch(/Self approval is not allowed/);
    expect(strip(await applyC(approver, bigC, 'WFO Approve'))).toEqual(strip(selfF));

    const mineF = await oracle.must({ op: 'run_as', user: maker.name, roles: [...maker.roles], request: { op: 'insert', doc: { doctype: DT, amount: 500 } } });
    const mineC = (await engine.run({ operation: 'create', target_doctype: DT, user: maker, input: { data: { amount: 500 } } })).output!.data[0]!.name;
    const okF = await applyF(approver, mineF.doc!.name, 'WFO Approve');
    expect(okF.ok).toBe(true);
    expect((await applyC(approver, mineC, 'WFO Approve')).ok).toBe(true);
    const storedF = await oracle.must({ op: 'get', doctype: DT, name: mineF.doc!.name });
    const storedC = await engine.adapter.get(DT, mineC as string);
    expect({ state: storedC?.workflow_state, docstatus: storedC?.docstatus, status: storedC?.status })
      .toEqual({ state: storedF.doc!.workflow_state, docstatus: storedF.doc!.docstatus, status: storedF.doc!.status });

    expect((await applyC(approver, mineC, 'WFO Cancel')).ok).toBe((await applyF(approver, mineF.doc!.name, 'WFO Cancel')).ok);
    const cancelledF = await oracle.must({ op: 'get', doctype: DT, name: mineF.doc!.name });
    const cancelledC = await engine.adapter.get(DT, mineC as string);
    expect({ state: cancelledC?.workflow_state, docstatus: cancelledC?.docstatus, status: cancelledC?.status })
      .toEqual({ state: cancelledF.doc!.workflow_state, docstatus: cancelledF.doc!.docstatus, status: cancelledF.doc!.status });
  });
});
