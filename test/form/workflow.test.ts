/** Forms and allowedActions under a Frappe Workflow: transitions replace Submit / Cancel, applyWorkflow moves the state. */
import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../src/index';
import { approver, employee, leaveEngine } from './leave';

const workflow: WorkflowDefinition = {
  name: 'Leave Request Approval', document_type: 'Leave Request', is_active: 1, workflow_state_field: 'workflow_state',
  states: [
    { state: 'Open', doc_status: '0', allow_edit: 'Employee' },
    { state: 'Approved', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Approved' },
    { state: 'Rejected', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Rejected' },
  ],
  transitions: [
    { state: 'Open', action: 'Approve', next_state: 'Approved', allowed: 'Leave Approver', allow_self_approval: 1 },
    { state: 'Open', action: 'Reject', next_state: 'Rejected', allowed: 'Leave Approver', allow_self_approval: 1 },
  ],
};
const leave = { employee_name: 'Ann', leave_type: 'Casual', from_date: '2026-02-02', to_date: '2026-02-04' };

async function engineWithWorkflow() {
  const engine = await leaveEngine({ workflow: { workflows: [workflow] } });
  const admin = { name: 'Administrator', roles: ['Administrator'] };
  for (const s of workflow.states) {
    const r = await engine.run({ operation: 'create', target_doctype: 'Workflow State', user: admin, input: { data: { workflow_state_name: s.state } } });
    expect(r.success, JSON.stringify(r.error)).toBe(true);
  }
  return engine;
}

describe('forms under a workflow', () => {
  it('offers the transitions instead of submit, and applyWorkflow takes one (state, update_value, docstatus)', async () => {
    const engine = await engineWithWorkflow();
    const form = await engine.form({ doctype: 'Leave Request', user: employee });
    await form.setValues(leave);
    await form.save();
    const name = form.getSnapshot().name!;
    expect(form.getSnapshot().doc.workflow_state).toBe('Open');
    // the employee may edit in state Open but takes no transition
    expect(await engine.allowedActions({ doctype: 'Leave Request', name }, employee)).toEqual(['save']);
    // the approver: the state's allow_edit is Employee, so no save; the transitions, and no plain submit
    const actions = await engine.allowedActions({ doctype: 'Leave Request', name }, approver);
    expect(actions).toEqual(expect.arrayContaining(['Approve', 'Reject']));
    expect(actions).not.toContain('submit');
    expect(actions).not.toContain('save');

    const review = await engine.form({ doctype: 'Leave Request', name, user: approver });
    expect(review.getSnapshot().actions).toEqual(expect.arrayContaining(['Approve', 'Reject']));
    // read-only by state: in Open only an Employee edits; the approver's form shows every field read-only
    expect(review.getSnapshot().fields.employee_name!.state?.readOnly).toBe(true);
    expect(review.getSnapshot().fields.reason!.state?.readOnly).toBe(true);
    expect(form.getSnapshot().fields.reason!.state?.readOnly).toBe(false);
    const r = await review.applyWorkflow('Approve');
    expect(r.success).toBe(true);
    const s = review.getSnapshot();
    expect(s.doc).toMatchObject({ workflow_state: 'Approved', status: 'Approved', docstatus: 1 });
    expect(s.actions).not.toContain('Approve');
    const stored = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', user: approver, input: { data: { name } } });
    expect(stored.output?.data[0]).toMatchObject({ workflow_state: 'Approved', docstatus: 1 });
  });

  it('a transition the user may not take is refused with Frappe\'s exception, shown on the form', async () => {
    const engine = await engineWithWorkflow();
    const form = await engine.form({ doctype: 'Leave Request', user: employee });
    await form.setValues(leave);
    await form.save();
    await expect(form.applyWorkflow('Approve')).rejects.toMatchObject({ run: { success: false } });
    expect(form.getSnapshot().error?.exc).toMatch(/Workflow(Permission|Transition)Error|ValidationError/);
    expect(form.getSnapshot().doc.workflow_state).toBe('Open');
  });
});
