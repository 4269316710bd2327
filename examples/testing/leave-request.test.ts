/**
 * Worked example (docs/testing.md): unit-testing the rules of a Leave Request.
 *
 * The app under test is a folder laid out like a Frappe app, fixtures/testing-app/leave_app:
 *
 *   leave_app/hr_leave/doctype/leave_request/leave_request.json                   submittable, naming series
 *   leave_app/hr_leave/doctype/leave_request_approver/leave_request_approver.json  child table (approvers)
 *   leave_app/hr_leave/doctype/leave_type/leave_type.json                         linked from leave_type
 *
 * The JSON carries the declarative rules (depends_on, mandatory_depends_on, permissions); ./leave-rules.ts the
 * ones in code (the number of leave days, two date checks). In your project the imports read
 * `from 'coworker/testing'` and `from 'coworker/testing/node'`, and `expect.extend(coworkerMatchers)` sits in a
 * vitest setup file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { coworkerMatchers, type TestApp } from '../../src/testing/index';
import { loadApp } from '../../src/testing/node';
import { leaveRequestRules } from './leave-rules';

expect.extend(coworkerMatchers);

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/testing-app/leave_app');

let app: TestApp;
beforeAll(async () => {
  // Loaded once per folder, however many test files ask for it. Administrator and a fixed clock
  // (2026-01-05 09:00 UTC) by default, so nothing depends on who runs the tests or on which day.
  app = await loadApp(folder, { rules: { 'Leave Request': leaveRequestRules } });
});

/** What an employee fills in for three days off, 12 to 14 January. */
const request = { employee_name: 'Ann Lee', leave_type: 'Casual Leave', from_date: '2026-01-12', to_date: '2026-01-14' };

describe('a half day', () => {
  it('asks for the half-day date only when Half Day is ticked', () => {
    const full = app.doc('Leave Request', request);
    expect(full).toHaveFieldState('half_day_date', { visible: false, mandatory: false });

    const half = full.set({ half_day: 1 });
    expect(half).toBeVisible('half_day_date');
    expect(half).toBeMandatory('half_day_date');
    expect(half).toHaveIssue({ code: 'MANDATORY', field: 'half_day_date' });

    expect(half.set({ half_day_date: '2026-01-13' })).toBeValid();
  });

  it('counts half a day less, and checks the half day falls inside the leave', () => {
    const half = app.doc('Leave Request', { ...request, half_day: 1, half_day_date: '2026-01-20' });
    expect(half.data.total_leave_days).toBe(2.5);
    expect(half).toHaveIssue({ code: 'VALIDATION', field: 'half_day_date' });
  });
});

describe('dates', () => {
  it('refuses a To Date before the From Date', () => {
    expect(app.doc('Leave Request', { ...request, to_date: '2026-01-10' })).toHaveIssue({ code: 'VALIDATION', field: 'to_date' });
  });

  it('requires both dates, whatever else is filled in', () => {
    const empty = app.doc('Leave Request', { employee_name: 'Ann Lee', leave_type: 'Casual Leave' });
    expect(empty).toBeMandatory('from_date');
    expect(empty).toHaveIssue({ code: 'MANDATORY', field: 'from_date' });
    expect(empty).toHaveIssue({ code: 'MANDATORY', field: 'to_date' });
  });
});

describe('approvers (a child table whose rows read the parent)', () => {
  it('wants a comment on a rejection', () => {
    const doc = app.doc('Leave Request', request).addRow('approvers', { approver: 'lead@example.com', approval_status: 'Rejected' });
    expect(doc).toBeMandatory('comment', { table: 'approvers', row: 1 });
    expect(doc).toHaveIssue({ code: 'MANDATORY', table: 'approvers', row: 1, field: 'comment' });
    expect(doc.setRow('approvers', 1, { comment: 'Release week' })).toBeValid();
  });

  it('wants a justification to approve more than five days (parent.total_leave_days)', () => {
    const short = app.doc('Leave Request', request).addRow('approvers', { approver: 'lead@example.com', approval_status: 'Approved' });
    expect(short).not.toBeVisible('justification', { table: 'approvers', row: 1 });

    const long = short.set({ to_date: '2026-01-23' }); // twelve days: the row's condition now holds
    expect(long).toHaveFieldState('justification', { visible: true, mandatory: true }, { table: 'approvers', row: 1 });
  });
});

describe('who may change what', () => {
  it('shows the employee the status without letting them change it (permlevel 1)', () => {
    const employee = app.withUser({ name: 'ann@example.com', roles: ['Employee'] });
    expect(employee.doc('Leave Request', request)).toHaveFieldState('status', { visible: true, readOnly: true });

    const approver = app.withUser({ name: 'lead@example.com', roles: ['Leave Approver'] });
    expect(approver.doc('Leave Request', request)).not.toBeReadOnly('status');
  });

  it('freezes a submitted request except its status (allow_on_submit)', () => {
    const submitted = app.doc('Leave Request', { ...request, docstatus: 1, name: 'HR-LR-2026-00001' }, { saved: true });
    expect(submitted).toBeReadOnly('from_date');
    expect(submitted).not.toBeReadOnly('status');
  });
});

describe('through the engine', () => {
  it('saves a complete request, and refuses an incomplete one with every issue', async () => {
    const engine = app.engine(); // Administrator, fresh in-memory storage, the app's clock and rules
    expect(await engine.run({ operation: 'create', target_doctype: 'Leave Type', input: { data: { leave_type_name: 'Casual Leave' } } })).toSucceed();

    const saved = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: request } });
    expect(saved).toSucceed();
    expect(saved.docname).toBe('HR-LR-2026-00001');

    const incomplete = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: { ...request, half_day: 1 } } });
    expect(incomplete).toFailWith('VALIDATION');
    expect(incomplete).toHaveIssue({ code: 'MANDATORY', field: 'half_day_date' });
  });

  it('refuses a leave type that does not exist', async () => {
    const run = await app.engine().run({ operation: 'create', target_doctype: 'Leave Request', input: { data: { ...request, leave_type: 'Sabbatical' } } });
    expect(run).toFailWith('VALIDATION');
    expect(run).toHaveIssue({ code: 'LINK_NOT_FOUND', field: 'leave_type' });
  });

  it('lets an employee apply but not approve', async () => {
    const engine = app.engine();
    await engine.run({ operation: 'create', target_doctype: 'Leave Type', input: { data: { leave_type_name: 'Casual Leave' } } });
    const ann = { name: 'ann@example.com', roles: ['Employee'] };
    const applied = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: request }, user: ann });
    expect(applied).toSucceed();
    expect(await engine.run({ operation: 'submit', target_doctype: 'Leave Request', input: { data: { name: applied.docname } }, user: ann })).toFailWith('PERMISSION_DENIED');
  });
});
