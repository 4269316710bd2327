/**
 * Workflow with coworker's own Workflow DocTypes (no Frappe JSON given): documents of a small submittable
 * DocType, a workflow created through run(), conditions with frappe.db.get_value, Workflow States as documents.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, memoryAdapter, type User } from '../../src/index';
import { withWorkflow, WORKFLOW_DOCTYPES } from '../../src/workflow/index';

const ORDER = {
  name: 'WF Order', module: 'Test', is_submittable: 1, autoname: 'hash',
  fields: [
    { fieldname: 'customer', fieldtype: 'Link', options: 'WF Customer', reqd: 1 },
    { fieldname: 'amount', fieldtype: 'Currency' },
    { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nApproved\nCancelled', default: 'Draft' },
  ],
  permissions: [
    { role: 'Sales User', read: 1, write: 1, create: 1, submit: 1, cancel: 1 },
    { role: 'Sales Manager', read: 1, write: 1, create: 1, submit: 1, cancel: 1 },
  ],
};
const CUSTOMER = {
  name: 'WF Customer', module: 'Test', autoname: 'field:customer_name',
  fields: [{ fieldname: 'customer_name', fieldtype: 'Data', reqd: 1 }, { fieldname: 'credit_ok', fieldtype: 'Check' }],
  permissions: [{ role: 'Sales User', read: 1, write: 1, create: 1 }],
};

const admin: User = { name: 'Administrator', roles: [] };
const seller: User = { name: 'seller@example.com', roles: ['Sales User'] };
const boss: User = { name: 'boss@example.com', roles: ['Sales Manager', 'Sales User'] };

describe('workflow on coworker\'s own Workflow DocTypes', () => {
  it('loads our definitions, creates a workflow through run(), and applies it with a db condition', async () => {
    const engine = createEngine(withWorkflow({ doctypes: [ORDER, CUSTOMER], adapter: memoryAdapter(), user: admin }));
    expect(WORKFLOW_DOCTYPES.map((d) => engine.registry.has(d.name))).toEqual([true, true, true, true, true]);
    const run = (user: User, operation: string, doctype: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      engine.run({ operation, target_doctype: doctype, user, input: { data, ...extra } });
    for (const s of ['Draft', 'Approved', 'Cancelled']) expect((await run(admin, 'create', 'Workflow State', { workflow_state_name: s })).success).toBe(true);
    for (const a of ['Approve', 'Cancel']) expect((await run(admin, 'create', 'Workflow Action Master', { workflow_action_name: a })).success).toBe(true);
    // A Workflow State link that does not exist is refused like any link.
    const bad = await run(admin, 'create', 'Workflow', {
      workflow_name: 'Broken', document_type: 'WF Order', states: [{ state: 'Nope', doc_status: '0', allow_edit: 'Sales User' }],
    });
    expect(bad.error?.issues[0]).toMatchObject({ exc: 'LinkValidationError', table: 'states', field: 'state', value: 'Nope' });

    const wf = await run(admin, 'create', 'Workflow', {
      workflow_name: 'Order Approval', document_type: 'WF Order', is_active: 1,
      states: [
        { state: 'Draft', doc_status: '0', allow_edit: 'Sales User', update_field: 'status', update_value: 'Draft' },
        { state: 'Approved', doc_status: '1', allow_edit: 'Sales Manager', update_field: 'status', update_value: 'Approved' },
        { state: 'Cancelled', doc_status: '2', allow_edit: 'Sales Manager', update_field: 'status', update_value: 'Cancelled' },
      ],
      transitions: [
        { state: 'Draft', action: 'Approve', next_state: 'Approved', allowed: 'Sales Manager',
          condition: "doc.amount < 1000 or frappe.db.get_value('WF Customer', doc.customer, 'credit_ok')" },
        { state: 'Approved', action: 'Cancel', next_state: 'Cancelled', allowed: 'Sales Manager' },
      ],
    });
    expect(wf.error).toBeNull();
    expect((wf.output!.data[0] as Record<string, unknown>).workflow_state_field).toBe('workflow_state');
    expect(engine.registry.get('WF Order').fields.find((f) => f.fieldname === 'workflow_state')).toMatchObject({ fieldtype: 'Link', hidden: 1 });

    await run(seller, 'create', 'WF Customer', { customer_name: 'Trusted', credit_ok: 1 });
    await run(seller, 'create', 'WF Customer', { customer_name: 'Unknown', credit_ok: 0 });
    const bigRun = await run(seller, 'create', 'WF Order', { customer: 'Trusted', amount: 5000 });
    expect(bigRun.error).toBeNull();
    const big = bigRun.output!.data[0]!;
    const risky = (await run(seller, 'create', 'WF Order', { customer: 'Unknown', amount: 5000 })).output!.data[0]!;
    expect(big.workflow_state).toBe('Draft');

    const approve = (name: unknown) => engine.run({ operation: 'apply_workflow', target_doctype: 'WF Order', user: boss, input: { data: { name: name as string }, action: 'Approve' } });
    const ok = await approve(big.name);
    expect(ok.output?.data[0]).toMatchObject({ docstatus: 1, workflow_state: 'Approved', status: 'Approved' });
    const no = await approve(risky.name);
    expect(no.error).toMatchObject({ code: 'VALIDATION', exc: 'WorkflowTransitionError', message: 'Not a valid Workflow Action' });

    // Deactivating the workflow lifts it: a plain submit works again.
    expect((await run(admin, 'update', 'Workflow', { name: 'Order Approval', is_active: 0 })).success).toBe(true);
    const sub = await run(seller, 'submit', 'WF Order', { name: risky.name });
    expect(sub.error).toBeNull();
  });
});
