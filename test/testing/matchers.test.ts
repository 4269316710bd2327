/**
 * Each matcher passing and failing, on the leave-request fixture app. Failure messages are inline snapshots:
 * they are the product here (what was expected, the field's state, the reasons, the values read).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import './setup';
import { loadApp } from '../../src/testing/node';
import type { TestApp, TestDoc } from '../../src/testing/index';
import { leaveRequestRules } from '../../examples/testing/leave-rules';
import { leaveApp } from './paths';

let app: TestApp;
/** A complete request: three days, 12 to 14 January 2026. */
let valid: TestDoc;
/** What a user types into that request. */
const REQUEST = { employee_name: 'Ann Lee', leave_type: 'Casual Leave', from_date: '2026-01-12', to_date: '2026-01-14' };

beforeAll(async () => {
  app = await loadApp(leaveApp, { rules: { 'Leave Request': leaveRequestRules } });
  valid = app.doc('Leave Request', REQUEST);
});

describe('toBeMandatory', () => {
  it('passes when mandatory_depends_on is true, and fails under .not with the reason and the value read', () => {
    const halfDay = valid.set({ half_day: 1 });
    expect(halfDay).toBeMandatory('half_day_date');
    expect(() => expect(halfDay).not.toBeMandatory('half_day_date')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "half_day_date" not to be mandatory, but it is
        state: visible, mandatory, editable
          - visible: depends_on "eval:doc.half_day" is true
          - mandatory: mandatory_depends_on "eval:doc.half_day == 1" is true
        reads: doc.half_day = 1]
    `);
  });

  it('fails when the condition is false, saying so', () => {
    expect(valid).not.toBeMandatory('half_day_date');
    expect(() => expect(valid).toBeMandatory('half_day_date')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "half_day_date" to be mandatory, but it is not
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:doc.half_day" is false
          - not mandatory: mandatory_depends_on "eval:doc.half_day == 1" is false
        reads: doc.half_day = undefined]
    `);
  });

  it('explains a field with no rule at all', () => {
    expect(() => expect(valid).toBeMandatory('reason')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "reason" to be mandatory, but it is not
        state: visible, not mandatory, editable
          - no rule applies: the static defaults]
    `);
  });

  it('checks a child row field whose condition reads the parent', () => {
    // 12..20 January: 9 days (computed), so approving needs a justification.
    const long = valid.set({ to_date: '2026-01-20' }).addRow('approvers', { approver: 'boss@example.com', approval_status: 'Approved' });
    expect(long.data.total_leave_days).toBe(9);
    expect(long).toBeMandatory('justification', { table: 'approvers', row: 1 });
    const short = valid.addRow('approvers', { approver: 'boss@example.com', approval_status: 'Approved' });
    expect(() => expect(short).toBeMandatory('justification', { table: 'approvers', row: 1 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request row 1 of "approvers", field "justification" to be mandatory, but it is not
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:parent.total_leave_days > 5" is false
          - not mandatory: mandatory_depends_on "eval:parent.total_leave_days > 5 && doc.approval_status == 'Approved'" is false
        reads: parent.total_leave_days = 3, doc.approval_status = "Approved"]
    `);
  });
});

describe('toBeVisible', () => {
  it('passes and fails with depends_on', () => {
    expect(valid.set({ half_day: 1 })).toBeVisible('half_day_date');
    expect(() => expect(valid).toBeVisible('half_day_date')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "half_day_date" to be visible, but it is not
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:doc.half_day" is false
          - not mandatory: mandatory_depends_on "eval:doc.half_day == 1" is false
        reads: doc.half_day = undefined]
    `);
  });

  it('hides a permlevel the user cannot read', () => {
    const outsider = app.withUser({ name: 'guest@example.com', roles: ['Leave Viewer'] });
    const doc = outsider.doc('Leave Request', {});
    expect(() => expect(doc).toBeVisible('status')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "status" to be visible, but it is not
        state: hidden, not mandatory, read-only
          - hidden: no read permission at permlevel 1
          - read-only: no write permission at permlevel 1]
    `);
  });
});

describe('toBeReadOnly', () => {
  it('passes for read_only and for a submitted document, and names the rule that decided', () => {
    expect(valid).toBeReadOnly('total_leave_days');
    const submitted = app.doc('Leave Request', { ...REQUEST, docstatus: 1, name: 'HR-LR-2026-00001' }, { saved: true });
    expect(submitted).toBeReadOnly('from_date');
    expect(() => expect(submitted).not.toBeReadOnly('from_date')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "from_date" not to be read-only, but it is
        state: visible, mandatory, read-only
          - mandatory: reqd = 1
          - read-only: the document is submitted and the field is not allow_on_submit]
    `);
  });

  it('fails for an allow_on_submit field of a submitted document', () => {
    const submitted = app.doc('Leave Request', { ...REQUEST, docstatus: 1 }, { saved: true });
    expect(() => expect(submitted).toBeReadOnly('status')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "status" to be read-only, but it is not
        state: visible, not mandatory, editable
          - editable after submit: allow_on_submit = 1]
    `);
  });

  it('makes a permlevel the user may read but not write read-only', () => {
    const employee = app.withUser({ name: 'ann@example.com', roles: ['Employee'] });
    expect(employee.doc('Leave Request')).toBeReadOnly('status');
    expect(app.doc('Leave Request')).not.toBeReadOnly('status');
  });
});

describe('toHaveFieldState', () => {
  it('checks only the flags given', () => {
    expect(valid.set({ half_day: 1 })).toHaveFieldState('half_day_date', { visible: true, mandatory: true });
    expect(valid).toHaveFieldState('half_day_date', { visible: false });
  });

  it('names each flag that differs', () => {
    expect(() => expect(valid).toHaveFieldState('half_day_date', { visible: true, mandatory: true, readOnly: false })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "half_day_date" to have state { visible: true, mandatory: true, readOnly: false }, but visible is false, mandatory is false
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:doc.half_day" is false
          - not mandatory: mandatory_depends_on "eval:doc.half_day == 1" is false
        reads: doc.half_day = undefined]
    `);
  });

  it('fails under .not when every flag matches', () => {
    expect(() => expect(valid).not.toHaveFieldState('half_day_date', { visible: false })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request field "half_day_date" not to have state { visible: false }, but it has
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:doc.half_day" is false
          - not mandatory: mandatory_depends_on "eval:doc.half_day == 1" is false
        reads: doc.half_day = undefined]
    `);
  });

  it('addresses rows by idx or by name', () => {
    const doc = valid.addRow('approvers', { approver: 'a@example.com' }).addRow('approvers', { approver: 'b@example.com', approval_status: 'Rejected' });
    const second = doc.row('approvers', 2);
    expect(doc).toHaveFieldState('comment', { visible: true, mandatory: true }, { table: 'approvers', row: 2 });
    expect(doc).toHaveFieldState('comment', { visible: true }, { table: 'approvers', row: String(second.name) });
    expect(() => expect(doc).toHaveFieldState('comment', { visible: true }, { table: 'approvers', row: 1 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request row 1 of "approvers", field "comment" to have state { visible: true }, but visible is false
        state: hidden, not mandatory, editable
          - hidden: depends_on "eval:doc.approval_status == 'Rejected'" is false
          - not mandatory: mandatory_depends_on "eval:doc.approval_status == 'Rejected'" is false
        reads: doc.approval_status = "Pending"]
    `);
  });
});

describe('toBeValid', () => {
  it('passes for a complete document', () => {
    expect(valid).toBeValid();
    expect(() => expect(valid).not.toBeValid()).toThrowErrorMatchingInlineSnapshot(`[Error: expected Leave Request not to be valid, but it has no issues]`);
  });

  it('lists every issue, and why a conditionally mandatory field is mandatory', () => {
    const doc = valid
      .set({ half_day: 1, to_date: '2026-01-10' })
      .addRow('approvers', { approver: 'not-an-email', approval_status: 'Rejected' });
    expect(() => expect(doc).toBeValid()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request to be valid, but it has 4 issues:
        - MANDATORY half_day_date: Error: Value missing for Leave Request: Half Day Date
        - MANDATORY approvers row 1 comment: Error: Leave Request Approver Row #1: Value missing for: Comment
        - INVALID_EMAIL approvers row 1 approver: not-an-email is not a valid Email Address
        - VALIDATION to_date: To Date cannot be before From Date
      why mandatory:
        half_day_date is mandatory: mandatory_depends_on "eval:doc.half_day == 1" is true
        comment (approvers row 1) is mandatory: mandatory_depends_on "eval:doc.approval_status == 'Rejected'" is true]
    `);
  });
});

describe('toHaveIssue', () => {
  it('matches on the keys given, on a document', () => {
    const doc = valid.set({ to_date: '2026-01-10' });
    expect(doc).toHaveIssue({ code: 'VALIDATION', field: 'to_date' });
    expect(doc).not.toHaveIssue({ code: 'MANDATORY' });
    expect(() => expect(doc).toHaveIssue({ code: 'MANDATORY', field: 'to_date' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected Leave Request to have an issue { code: "MANDATORY", field: "to_date" }, but none matches; 1 issue:
        - VALIDATION to_date: To Date cannot be before From Date]
    `);
  });

  it('matches child-row issues by table and row', () => {
    const doc = valid.addRow('approvers', { approver: 'a@example.com' }).addRow('approvers', { approver: 'b@example.com', approval_status: 'Rejected' });
    expect(doc).toHaveIssue({ code: 'MANDATORY', table: 'approvers', row: 2, field: 'comment' });
    expect(doc).not.toHaveIssue({ table: 'approvers', row: 1 });
  });

  it('reads the issues of a failed run, and a plain list', async () => {
    const run = await app.engine().run({ operation: 'create', target_doctype: 'Leave Request', input: { data: { employee_name: 'Ann Lee' } } });
    expect(run).toHaveIssue({ code: 'MANDATORY', field: 'from_date' });
    expect(run.error?.issues).toHaveIssue({ field: 'leave_type' });
    expect(() => expect([]).toHaveIssue({ code: 'MANDATORY' })).toThrowErrorMatchingInlineSnapshot(`[Error: expected the issue list to have an issue { code: "MANDATORY" }, but none matches; no issues]`);
  });
});

describe('toFailWith and toSucceed', () => {
  it('passes for the expected code and shows the run when the code differs', async () => {
    const engine = app.engine();
    const missing = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: { employee_name: 'Ann Lee' } } });
    expect(missing).toFailWith('VALIDATION');
    expect(() => expect(missing).toFailWith('PERMISSION_DENIED')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the create run on Leave Request to fail with PERMISSION_DENIED
        error: VALIDATION (ValidationError): Leave Request: 3 problems: Error: Value missing for Leave Request: Leave Type; Error: Value missing for Leave Request: From Date; Error: Value missing for Leave Request: To Date
        issues:
          - MANDATORY leave_type: Error: Value missing for Leave Request: Leave Type
          - MANDATORY from_date: Error: Value missing for Leave Request: From Date
          - MANDATORY to_date: Error: Value missing for Leave Request: To Date]
    `);
    expect(() => expect(missing).toSucceed()).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the create run on Leave Request to succeed
        error: VALIDATION (ValidationError): Leave Request: 3 problems: Error: Value missing for Leave Request: Leave Type; Error: Value missing for Leave Request: From Date; Error: Value missing for Leave Request: To Date
        issues:
          - MANDATORY leave_type: Error: Value missing for Leave Request: Leave Type
          - MANDATORY from_date: Error: Value missing for Leave Request: From Date
          - MANDATORY to_date: Error: Value missing for Leave Request: To Date]
    `);
  });

  it('shows that the run succeeded when a failure was expected', async () => {
    const engine = app.engine();
    await engine.run({ operation: 'create', target_doctype: 'Leave Type', input: { data: { leave_type_name: 'Casual Leave' } } });
    const created = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: REQUEST } });
    expect(created).toSucceed();
    expect(() => expect(created).toFailWith('VALIDATION')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the create run on Leave Request (HR-LR-2026-00001) to fail with VALIDATION
        it succeeded (status completed)]
    `);
  });
});

describe('misuse is a typed error, never a silent pass', () => {
  it('refuses plain data, a promise, or a run where a TestDoc is expected (also under .not)', async () => {
    expect(() => expect(valid.data).not.toBeMandatory('half_day_date')).toThrowErrorMatchingInlineSnapshot(`[CoworkerError: toBeMandatory: expected a TestDoc (from app.doc()), got an object that is not a TestDoc (build documents with app.doc(doctype, values))]`);
    const pending = app.engine().run({ operation: 'select', source_doctype: 'Leave Request', query: {} });
    expect(() => expect(pending).not.toFailWith('VALIDATION')).toThrowErrorMatchingInlineSnapshot(`[CoworkerError: toFailWith: expected a run record (from await engine.run()), got a Promise (await it, or use .resolves)]`);
    await pending;
  });

  it('refuses an unknown field or row', () => {
    expect(() => expect(valid).toBeMandatory('no_such_field')).toThrow(expect.objectContaining({ code: 'RULES_UNKNOWN_FIELD' }));
    expect(() => expect(valid).toBeVisible('comment', { table: 'approvers', row: 3 })).toThrowErrorMatchingInlineSnapshot(`[CoworkerError: Leave Request has no row 3 in "approvers"; rows: none]`);
  });
});
