/**
 * Workflow on the real HRMS / ERPNext DocTypes of ../shared/frappe-apps, through run(): a Leave Application
 * approval and a Purchase Order approval with an amount condition and a condition reading frappe.db.get_value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, memoryAdapter, type Engine, type RunRecord, type User } from '../../src/index';
import type { Controllers } from '../../src/run/lifecycle';
import { createRegistry, type Registry } from '../../src/schema/registry';
import { withWorkflow, type WorkflowDefinition } from '../../src/workflow/index';
import { appDoctypes } from '../helpers/frappe-apps';

const emp: User = { name: 'emp@example.com', roles: ['Employee'] };
const approver: User = { name: 'approver@example.com', roles: ['Employee', 'Leave Approver'] };
const approver2: User = { name: 'approver2@example.com', roles: ['Employee', 'Leave Approver'] };
const hr: User = { name: 'hr@example.com', roles: ['HR Manager', 'HR User', 'Employee'] };
const buyer: User = { name: 'buyer@example.com', roles: ['Purchase User'] };
const manager: User = { name: 'manager@example.com', roles: ['Purchase Manager', 'Purchase User'] };

const LEAVE_WORKFLOW: WorkflowDefinition = {
  name: 'Leave Approval', document_type: 'Leave Application', is_active: 1, workflow_state_field: 'workflow_state',
  states: [
    { state: 'Open', doc_status: '0', allow_edit: 'Employee', update_field: 'status', update_value: 'Open' },
    { state: 'Approved', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Approved' },
    { state: 'Rejected', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Rejected' },
    { state: 'Cancelled', doc_status: '2', allow_edit: 'HR Manager', update_field: 'status', update_value: 'Cancelled' },
  ],
  transitions: [
    { state: 'Open', action: 'Approve', next_state: 'Approved', allowed: 'Leave Approver', allow_self_approval: 0, condition: 'doc.leave_approver == frappe.session.user' },
    { state: 'Open', action: 'Reject', next_state: 'Rejected', allowed: 'Leave Approver', allow_self_approval: 0, condition: 'doc.leave_approver == frappe.session.user' },
    { state: 'Approved', action: 'Cancel', next_state: 'Cancelled', allowed: 'HR Manager' },
  ],
};

const PO_WORKFLOW: WorkflowDefinition = {
  name: 'PO Approval', document_type: 'Purchase Order', is_active: 1, workflow_state_field: 'workflow_state',
  states: [
    { state: 'Draft', doc_status: '0', allow_edit: 'Purchase User' },
    { state: 'Pending Approval', doc_status: '0', allow_edit: 'Purchase Manager' },
    { state: 'Approved', doc_status: '1', allow_edit: 'Purchase Manager' },
    { state: 'Cancelled', doc_status: '2', allow_edit: 'Purchase Manager' },
  ],
  transitions: [
    { state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'Purchase User', condition: 'doc.grand_total <= 10000' },
    { state: 'Draft', action: 'Submit for Approval', next_state: 'Pending Approval', allowed: 'Purchase User', condition: 'doc.grand_total > 10000' },
    {
      state: 'Pending Approval', action: 'Approve', next_state: 'Approved', allowed: 'Purchase Manager', allow_self_approval: 0,
      condition: "frappe.db.get_value('Supplier', doc.supplier, 'supplier_group') != 'Restricted' and frappe.session.user != doc.owner",
    },
    { state: 'Pending Approval', action: 'Reject', next_state: 'Draft', allowed: 'Purchase Manager' },
    { state: 'Approved', action: 'Cancel', next_state: 'Cancelled', allowed: 'Purchase Manager' },
  ],
};

/** ERPNext computes amounts and totals in its controller; a slice of that, so conditions see real totals. */
const poController: Controllers = {
  'Purchase Order': {
    name: 'test: PO totals',
    async validate(ctx) {
      let total = 0;
      for (const row of ctx.doc.items as Array<{ qty: number; rate: number; amount: number; conversion_factor: number; item_code: string } & Record<string, unknown>>) {
        row.stock_uom = await ctx.db.get_value('Item', row.item_code, 'stock_uom');
        row.amount = row.qty * row.rate;
        row.base_rate = row.rate * ctx.doc.conversion_rate;
        row.base_amount = row.amount * ctx.doc.conversion_rate;
        row.stock_qty = row.qty * row.conversion_factor;
        total += row.amount;
      }
      ctx.doc.total = ctx.doc.net_total = ctx.doc.grand_total = total;
    },
  },
};

let registry: Registry;
beforeAll(() => {
  registry = createRegistry(appDoctypes(), { duplicateFieldnames: 'last-wins' });
}, 120_000);

const SEED: Record<string, Array<Record<string, unknown>>> = {
  Company: [{ name: 'Acme', company_name: 'Acme', abbr: 'AC', default_currency: 'USD', country: 'United States' }],
  Currency: [{ name: 'USD' }], Country: [{ name: 'United States' }],
  User: ['emp', 'approver', 'approver2', 'hr', 'buyer', 'manager'].map((u) => ({ name: `${u}@example.com`, email: `${u}@example.com`, first_name: u })),
  Employee: [
    { name: 'HR-EMP-0001', first_name: 'Emp', user_id: 'emp@example.com', company: 'Acme', status: 'Active' },
    { name: 'HR-EMP-0002', first_name: 'Approver', user_id: 'approver@example.com', company: 'Acme', status: 'Active' },
  ],
  'Leave Type': [{ name: 'Casual Leave', leave_type_name: 'Casual Leave' }],
  'Supplier Group': [{ name: 'Services' }, { name: 'Restricted' }],
  Supplier: [{ name: 'Good Supplier', supplier_name: 'Good Supplier', supplier_group: 'Services' }, { name: 'Shady Supplier', supplier_name: 'Shady Supplier', supplier_group: 'Restricted' }],
  Item: [{ name: 'WIDGET', item_code: 'WIDGET', item_name: 'Widget', stock_uom: 'Nos' }],
  UOM: [{ name: 'Nos' }],
  Role: ['Employee', 'Leave Approver', 'HR Manager', 'Purchase User', 'Purchase Manager'].map((name) => ({ name, role_name: name })),
  DocType: [{ name: 'Leave Application' }, { name: 'Purchase Order' }, { name: 'Material Request' }],
};

async function makeEngine(workflows: readonly WorkflowDefinition[] = [LEAVE_WORKFLOW, PO_WORKFLOW]): Promise<Engine> {
  const engine = createEngine(withWorkflow({ registry, adapter: memoryAdapter(), controllers: poController, user: hr }, { workflows }));
  await engine.ready();
  for (const [doctype, docs] of Object.entries(SEED)) for (const d of docs) await engine.adapter.insert(doctype, { docstatus: 0, ...d });
  for (const wf of [LEAVE_WORKFLOW, PO_WORKFLOW]) {
    for (const s of wf.states) if (!(await engine.adapter.get('Workflow State', s.state))) await engine.adapter.insert('Workflow State', { name: s.state, workflow_state_name: s.state, docstatus: 0 });
    for (const t of wf.transitions) if (!(await engine.adapter.get('Workflow Action Master', t.action))) await engine.adapter.insert('Workflow Action Master', { name: t.action, workflow_action_name: t.action, docstatus: 0 });
  }
  return engine;
}

function ok(r: RunRecord): Record<string, unknown> {
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data[0] as Record<string, unknown>;
}

function refused(r: RunRecord, exc: string, message?: RegExp): void {
  expect(r.success, `expected ${exc}, got success`).toBe(false);
  expect(r.error?.exc, r.error?.message).toBe(exc);
  if (message) expect(r.error?.message).toMatch(message);
}

const newLeave = (engine: Engine, user: User, extra: Record<string, unknown> = {}) => engine.run({
  operation: 'create', target_doctype: 'Leave Application', user,
  input: { data: {
    naming_series: 'HR-LAP-.YYYY.-', employee: 'HR-EMP-0001', leave_type: 'Casual Leave', from_date: '2026-12-10',
    to_date: '2026-12-11', posting_date: '2026-12-03', leave_approver: 'approver@example.com', ...extra,
  } },
});

const apply = (engine: Engine, user: User, doctype: string, name: unknown, action: string) =>
  engine.run({ operation: 'apply_workflow', target_doctype: doctype, user, input: { data: { name: name as string }, action } });

const transitions = async (engine: Engine, user: User, doctype: string, name: unknown) => {
  const r = await engine.run({ operation: 'get_transitions', source_doctype: doctype, user, input: { data: { name: name as string } } });
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data.map((t) => (t as Record<string, unknown>).action);
};

describe('Leave Application workflow (HRMS DocType)', () => {
  it('starts in the first state, the state field added as a hidden Link Custom Field', async () => {
    const engine = await makeEngine();
    const field = registry.get('Leave Application').fields.find((f) => f.fieldname === 'workflow_state');
    expect(field).toMatchObject({ fieldtype: 'Link', options: 'Workflow State', hidden: 1, allow_on_submit: 1, no_copy: 1 });
    const doc = ok(await newLeave(engine, emp));
    expect(doc.workflow_state).toBe('Open');
    expect(doc.docstatus).toBe(0);
  });

  it('the named leave approver sees Approve and Reject; the employee and another approver see nothing', async () => {
    const engine = await makeEngine();
    const doc = ok(await newLeave(engine, emp));
    expect(await transitions(engine, approver, 'Leave Application', doc.name)).toEqual(['Approve', 'Reject']);
    expect(await transitions(engine, emp, 'Leave Application', doc.name)).toEqual([]);
    expect(await transitions(engine, approver2, 'Leave Application', doc.name)).toEqual([]);
    const meta = (user: User) => engine.run({ operation: 'get_transitions', source_doctype: 'Leave Application', user, input: { data: { name: doc.name as string } } })
      .then((r) => r.output?.meta);
    expect(await meta(emp)).toMatchObject({ workflow: 'Leave Approval', state: 'Open', editable: true, can_cancel: false });
    expect(await meta({ name: 'x@example.com', roles: ['Leave Approver'] })).toMatchObject({ editable: false });
    refused(await apply(engine, approver2, 'Leave Application', doc.name, 'Approve'), 'WorkflowTransitionError', /Not a valid Workflow Action/);
    refused(await apply(engine, emp, 'Leave Application', doc.name, 'Approve'), 'WorkflowTransitionError');
  });

  it('approve: submitted, state and status set, the write is a child run of apply_workflow', async () => {
    const engine = await makeEngine();
    const doc = ok(await newLeave(engine, emp));
    const r = await apply(engine, approver, 'Leave Application', doc.name, 'Approve');
    const out = ok(r);
    expect(out).toMatchObject({ docstatus: 1, workflow_state: 'Approved', status: 'Approved' });
    expect(r.child_run_ids).toHaveLength(1);
    const child = engine.runs.get(r.child_run_ids[0]!)!;
    expect(child).toMatchObject({ operation: 'submit', parent_run_id: r.name, success: true, owner: approver.name });
    expect(await engine.adapter.get('Leave Application', doc.name as string)).toMatchObject({ docstatus: 1, workflow_state: 'Approved' });
  });

  it('reject, then HR cancels through the workflow; a plain cancel is refused (can_cancel_document)', async () => {
    const engine = await makeEngine();
    const a = ok(await newLeave(engine, emp));
    expect(ok(await apply(engine, approver, 'Leave Application', a.name, 'Reject'))).toMatchObject({ docstatus: 1, workflow_state: 'Rejected', status: 'Rejected' });
    const b = ok(await newLeave(engine, emp));
    ok(await apply(engine, approver, 'Leave Application', b.name, 'Approve'));
    refused(await engine.run({ operation: 'cancel', target_doctype: 'Leave Application', user: hr, input: { data: { name: b.name as string } } }), 'WorkflowTransitionError', /through a transition/);
    refused(await apply(engine, approver, 'Leave Application', b.name, 'Cancel'), 'WorkflowTransitionError');
    expect(ok(await apply(engine, hr, 'Leave Application', b.name, 'Cancel'))).toMatchObject({ docstatus: 2, workflow_state: 'Cancelled', status: 'Cancelled' });
    refused(await apply(engine, hr, 'Leave Application', b.name, 'Cancel'), 'WorkflowTransitionError');
  });

  it('self-approval off: an approver who owns the application may not approve it; on: may', async () => {
    const engine = await makeEngine();
    const own = ok(await newLeave(engine, approver, { employee: 'HR-EMP-0002' }));
    expect(await transitions(engine, approver, 'Leave Application', own.name)).toEqual(['Approve', 'Reject']);
    refused(await apply(engine, approver, 'Leave Application', own.name, 'Approve'), 'ValidationError', /Self approval is not allowed/);
    const allowing = { ...LEAVE_WORKFLOW, transitions: LEAVE_WORKFLOW.transitions.map((t) => ({ ...t, allow_self_approval: 1 as const })) };
    const engine2 = await makeEngine([allowing, PO_WORKFLOW]);
    const own2 = ok(await newLeave(engine2, approver, { employee: 'HR-EMP-0002' }));
    expect(ok(await apply(engine2, approver, 'Leave Application', own2.name, 'Approve'))).toMatchObject({ workflow_state: 'Approved' });
  });

  it('refuses a state set directly, a plain submit, and edits by a user without the state\'s allow_edit role', async () => {
    const engine = await makeEngine();
    refused(await newLeave(engine, emp, { workflow_state: 'Approved' }), 'WorkflowPermissionError', /transition not allowed from Open to Approved/);
    const doc = ok(await newLeave(engine, emp));
    refused(await engine.run({ operation: 'update', target_doctype: 'Leave Application', user: emp, input: { data: { name: doc.name as string, workflow_state: 'Approved' } } }), 'WorkflowPermissionError');
    refused(await engine.run({ operation: 'submit', target_doctype: 'Leave Application', user: hr, input: { data: { name: doc.name as string } } }), 'WorkflowTransitionError');
    // The approver has write permission, but Open is editable by Employee only.
    const approverOnly: User = { name: 'approver2@example.com', roles: ['Leave Approver'] };
    refused(await engine.run({ operation: 'update', target_doctype: 'Leave Application', user: approverOnly, input: { data: { name: doc.name as string, description: 'changed' } } }), 'WorkflowPermissionError', /description/);
    ok(await engine.run({ operation: 'update', target_doctype: 'Leave Application', user: emp, input: { data: { name: doc.name as string, description: 'changed' } } }));
    // Nothing was changed by the refused runs.
    expect(await engine.adapter.get('Leave Application', doc.name as string)).toMatchObject({ workflow_state: 'Open', docstatus: 0, description: 'changed' });
  });

  it('without deskRules a plain submit jumps to the submitted state, as Frappe\'s server does', async () => {
    const engine = createEngine(withWorkflow({ registry, adapter: memoryAdapter(), user: hr }, { workflows: [LEAVE_WORKFLOW], deskRules: false }));
    await engine.ready();
    for (const [doctype, docs] of Object.entries(SEED)) for (const d of docs) await engine.adapter.insert(doctype, { docstatus: 0, ...d });
    for (const s of LEAVE_WORKFLOW.states) await engine.adapter.insert('Workflow State', { name: s.state, docstatus: 0 });
    const doc = ok(await newLeave(engine, emp));
    const sub = ok(await engine.run({ operation: 'submit', target_doctype: 'Leave Application', user: hr, input: { data: { name: doc.name as string } } }));
    expect(sub).toMatchObject({ docstatus: 1, workflow_state: 'Approved' });
  });
});

describe('Purchase Order approval (ERPNext DocType) with an amount condition', () => {
  const newPo = (engine: Engine, user: User, qty: number, supplier = 'Good Supplier') => engine.run({
    operation: 'create', target_doctype: 'Purchase Order', user,
    input: { data: {
      naming_series: 'PUR-ORD-.YYYY.-', supplier, transaction_date: '2026-12-03', schedule_date: '2026-12-20', company: 'Acme',
      currency: 'USD', conversion_rate: 1, title: supplier, status: 'Draft',
      items: [{ item_code: 'WIDGET', item_name: 'Widget', schedule_date: '2026-12-20', qty, rate: 100, uom: 'Nos', conversion_factor: 1 }],
    } },
  });

  it('a small order is approved (submitted) by the buyer directly', async () => {
    const engine = await makeEngine();
    const po = ok(await newPo(engine, buyer, 10));
    expect(po).toMatchObject({ workflow_state: 'Draft', grand_total: 1000 });
    expect(await transitions(engine, buyer, 'Purchase Order', po.name)).toEqual(['Approve']);
    expect(ok(await apply(engine, buyer, 'Purchase Order', po.name, 'Approve'))).toMatchObject({ docstatus: 1, workflow_state: 'Approved' });
  });

  it('a large order needs a manager; the condition reads the supplier group through frappe.db.get_value', async () => {
    const engine = await makeEngine();
    const po = ok(await newPo(engine, buyer, 500));
    expect(await transitions(engine, buyer, 'Purchase Order', po.name)).toEqual(['Submit for Approval']);
    refused(await apply(engine, buyer, 'Purchase Order', po.name, 'Approve'), 'WorkflowTransitionError');
    expect(ok(await apply(engine, buyer, 'Purchase Order', po.name, 'Submit for Approval'))).toMatchObject({ docstatus: 0, workflow_state: 'Pending Approval' });
    expect(await transitions(engine, buyer, 'Purchase Order', po.name)).toEqual([]);
    expect(await transitions(engine, manager, 'Purchase Order', po.name)).toEqual(['Approve', 'Reject']);
    expect(ok(await apply(engine, manager, 'Purchase Order', po.name, 'Approve'))).toMatchObject({ docstatus: 1, workflow_state: 'Approved' });

    const shady = ok(await newPo(engine, buyer, 500, 'Shady Supplier'));
    ok(await apply(engine, buyer, 'Purchase Order', shady.name, 'Submit for Approval'));
    expect(await transitions(engine, manager, 'Purchase Order', shady.name)).toEqual(['Reject']);
    expect(ok(await apply(engine, manager, 'Purchase Order', shady.name, 'Reject'))).toMatchObject({ docstatus: 0, workflow_state: 'Draft' });
  });

  it('the manager may not approve an order they created (condition on frappe.session.user)', async () => {
    const engine = await makeEngine();
    const po = ok(await newPo(engine, manager, 500));
    ok(await apply(engine, manager, 'Purchase Order', po.name, 'Submit for Approval'));
    expect(await transitions(engine, manager, 'Purchase Order', po.name)).toEqual(['Reject']);
  });
});

describe('workflows created and activated through run()', () => {
  const mrWorkflow = (name: string, extra: Record<string, unknown> = {}) => ({
    workflow_name: name, document_type: 'Material Request', is_active: 1, workflow_state_field: 'approval_state',
    states: [
      { state: 'Draft', doc_status: '0', allow_edit: 'Purchase User' },
      { state: 'Approved', doc_status: '1', allow_edit: 'Purchase Manager' },
    ],
    transitions: [{ state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'Purchase Manager' }],
    ...extra,
  });

  it('creates a Workflow document, adds its state field, and deactivates the previous active one', async () => {
    const engine = await makeEngine([]);
    const first = ok(await engine.run({ operation: 'create', target_doctype: 'Workflow', user: { name: 'Administrator', roles: [] }, input: { data: mrWorkflow('MR One') } }));
    expect(registry.get('Material Request').fields.some((f) => f.fieldname === 'approval_state')).toBe(true);
    const second = ok(await engine.run({ operation: 'create', target_doctype: 'Workflow', user: { name: 'Administrator', roles: [] }, input: { data: mrWorkflow('MR Two') } }));
    expect(await engine.adapter.get('Workflow', first.name as string)).toMatchObject({ is_active: 0 });
    expect(await engine.adapter.get('Workflow', second.name as string)).toMatchObject({ is_active: 1 });
  });

  it.each([
    [[{ state: 'Approved', action: 'Approve', next_state: 'Draft', allowed: 'Purchase Manager' }], /Submitted Document cannot be converted back to draft. Transition row 1/],
    [[{ state: 'Draft', action: 'Approve', next_state: 'Nowhere', allowed: 'Purchase Manager' }], /Nowhere not a valid State/],
    [[{ state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'Purchase Manager', condition: 'doc.x ==' }], /does not compile/],
  ])('refuses a workflow Frappe refuses: %j', async (transitionsRows, message) => {
    const engine = await makeEngine([]);
    const r = await engine.run({ operation: 'create', target_doctype: 'Workflow', user: { name: 'Administrator', roles: [] }, input: { data: mrWorkflow('Bad', { transitions: transitionsRows }) } });
    refused(r, 'ValidationError', message);
  });

  it('refuses a workflow in code that Frappe would refuse, at configuration', () => {
    const bad = { ...LEAVE_WORKFLOW, transitions: [{ state: 'Open', action: 'Cancel', next_state: 'Cancelled', allowed: 'HR Manager' }] };
    expect(() => withWorkflow({ registry }, { workflows: [bad] })).toThrow(/Cannot cancel before submitting/);
  });
});

describe('workflow edges', () => {
  const po = (engine: Engine, user: User, qty: number) => engine.run({
    operation: 'create', target_doctype: 'Purchase Order', user,
    input: { data: {
      naming_series: 'PUR-ORD-.YYYY.-', supplier: 'Good Supplier', transaction_date: '2026-12-03', schedule_date: '2026-12-20', company: 'Acme',
      currency: 'USD', conversion_rate: 1, title: 'x', status: 'Draft',
      items: [{ item_code: 'WIDGET', item_name: 'Widget', schedule_date: '2026-12-20', qty, rate: 100, uom: 'Nos', conversion_factor: 1 }],
    } },
  });

  it('a plain save may change the state when a transition allows it (validate_workflow), and not otherwise', async () => {
    const engine = await makeEngine();
    const doc = ok(await po(engine, buyer, 500));
    ok(await apply(engine, buyer, 'Purchase Order', doc.name, 'Submit for Approval'));
    // Pending Approval -> Draft is the manager's Reject: a save that sets it is a valid transition.
    refused(await engine.run({ operation: 'update', target_doctype: 'Purchase Order', user: buyer, input: { data: { name: doc.name as string, workflow_state: 'Draft' } } }), 'WorkflowPermissionError');
    expect(ok(await engine.run({ operation: 'update', target_doctype: 'Purchase Order', user: manager, input: { data: { name: doc.name as string, workflow_state: 'Draft' } } }))).toMatchObject({ workflow_state: 'Draft' });
  });

  it('a condition that raises fails the run with Python\'s exception class and the transition row', async () => {
    const raising: WorkflowDefinition = { ...PO_WORKFLOW, transitions: [{ ...PO_WORKFLOW.transitions[0]!, condition: 'doc.grand_total < None' }] };
    const engine = await makeEngine([LEAVE_WORKFLOW, raising]);
    const doc = ok(await po(engine, buyer, 1));
    const r = await engine.run({ operation: 'get_transitions', source_doctype: 'Purchase Order', user: buyer, input: { data: { name: doc.name as string } } });
    refused(r, 'TypeError', /transition row 1 failed: TypeError: '<' not supported between instances of 'float' and 'NoneType'/);
  });

  it('without a transition into a cancelled state a plain cancel is allowed and sets the cancelled state', async () => {
    const noCancel: WorkflowDefinition = { ...LEAVE_WORKFLOW, transitions: LEAVE_WORKFLOW.transitions.filter((t) => t.action !== 'Cancel') };
    const engine = await makeEngine([noCancel, PO_WORKFLOW]);
    const doc = ok(await newLeave(engine, emp));
    ok(await apply(engine, approver, 'Leave Application', doc.name, 'Approve'));
    const r = await engine.run({ operation: 'cancel', target_doctype: 'Leave Application', user: hr, input: { data: { name: doc.name as string } } });
    expect(ok(r)).toMatchObject({ docstatus: 2, workflow_state: 'Cancelled' });
  });

  it('a stored active Workflow wins over the one in code, and deactivating it brings the code one back', async () => {
    const engine = await makeEngine();
    const admin: User = { name: 'Administrator', roles: [] };
    const stored = ok(await engine.run({ operation: 'create', target_doctype: 'Workflow', user: admin, input: { data: {
      workflow_name: 'Leave Simple', document_type: 'Leave Application', is_active: 1, workflow_state_field: 'workflow_state',
      states: [{ state: 'Open', doc_status: '0', allow_edit: 'Employee' }, { state: 'Approved', doc_status: '1', allow_edit: 'HR Manager' }],
      transitions: [{ state: 'Open', action: 'Approve', next_state: 'Approved', allowed: 'HR Manager' }],
    } } }));
    const doc = ok(await newLeave(engine, emp));
    expect(await transitions(engine, hr, 'Leave Application', doc.name)).toEqual(['Approve']);
    expect(await transitions(engine, approver, 'Leave Application', doc.name)).toEqual([]);
    ok(await engine.run({ operation: 'update', target_doctype: 'Workflow', user: admin, input: { data: { name: stored.name as string, is_active: 0 } } }));
    expect(await transitions(engine, approver, 'Leave Application', doc.name)).toEqual(['Approve', 'Reject']);
  });
});
