/**
 * The TestApp and TestDoc helpers: documents with Desk defaults and partial values, immutability, computed
 * fields, states / validate / explain as the rules layer computes them, users, and the engine wiring.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import './setup';
import { compileRules, evaluateStates, explainField, fixedClock, validateDoc } from '../../src/index';
import { createTestApp, isTestDoc, type TestApp } from '../../src/testing/index';
import { loadApp } from '../../src/testing/node';
import { leaveDays, leaveRequestRules } from '../../examples/testing/leave-rules';
import { leaveApp } from './paths';

let app: TestApp;
const REQUEST = { employee_name: 'Ann Lee', leave_type: 'Casual Leave', from_date: '2026-01-12', to_date: '2026-01-14' };

beforeAll(async () => {
  app = await loadApp(leaveApp, { rules: { 'Leave Request': leaveRequestRules } });
});

describe('app.doc', () => {
  it('builds a new document with Desk defaults, the partial values blocking them', () => {
    const doc = app.doc('Leave Request', { status: 'Approved' });
    expect(doc.data).toMatchObject({
      doctype: 'Leave Request', docstatus: 0, __islocal: 1, owner: 'Administrator',
      naming_series: 'HR-LR-.YYYY.-', // the JSON's default
      status: 'Approved', // given: blocks the default 'Open'
      approvers: [],
    });
    expect(doc.doc.isNew).toBe(true);
    expect(isTestDoc(doc)).toBe(true);
    expect(isTestDoc(doc.data)).toBe(false);
  });

  it('turns row values into rows with their own defaults and parent links', () => {
    const doc = app.doc('Leave Request', { approvers: [{ approver: 'a@example.com' }, { approver: 'b@example.com', approval_status: 'Approved' }] });
    expect(doc.data.approvers).toMatchObject([
      { idx: 1, approver: 'a@example.com', approval_status: 'Pending', parentfield: 'approvers', parent: doc.data.name },
      { idx: 2, approver: 'b@example.com', approval_status: 'Approved', parentfield: 'approvers', parent: doc.data.name },
    ]);
  });

  it('is deterministic: the same call gives the same names', () => {
    expect(app.doc('Leave Request', { approvers: [{}] }).data).toEqual(app.doc('Leave Request', { approvers: [{}] }).data);
  });

  it('applies the computed fields of the app rules, and shows them in the delta of later writes', () => {
    const doc = app.doc('Leave Request', REQUEST);
    expect(doc.data.total_leave_days).toBe(leaveDays(REQUEST));
    const half = doc.set({ half_day: 1 });
    expect(half.data.total_leave_days).toBe(2.5);
    expect(half.doc.delta.values).toEqual({ half_day: 1, total_leave_days: 2.5 });
  });

  it('takes the data of another document of the same DocType, and refuses one of another DocType', () => {
    const copy = app.doc('Leave Request', { ...REQUEST, doctype: 'Leave Request' });
    expect(copy.data.from_date).toBe(REQUEST.from_date);
    expect(() => app.doc('Leave Request', { doctype: 'Leave Type' })).toThrow(expect.objectContaining({ code: 'TESTING_NOT_A_DOC' }));
  });

  it('builds a saved document on request: set_only_once-style rules then see a stored document', () => {
    const saved = app.doc('Leave Request', { ...REQUEST, name: 'HR-LR-2026-00007' }, { saved: true });
    expect(saved.doc.isNew).toBe(false);
    expect(saved.data.__islocal).toBeUndefined();
    expect(saved.data.name).toBe('HR-LR-2026-00007');
  });

  it('refuses unknown fields the way the document layer does', () => {
    expect(() => app.doc('Leave Request', { no_such_field: 1 })).toThrow(expect.objectContaining({ code: 'DOC_UNKNOWN_FIELD' }));
    expect(() => app.doc('No Such DocType')).toThrow(expect.objectContaining({ code: 'SCHEMA_UNKNOWN_DOCTYPE' }));
  });
});

describe('TestDoc writes', () => {
  it('are immutable: each returns a new TestDoc, a no-op returns the same one', () => {
    const doc = app.doc('Leave Request', REQUEST);
    const changed = doc.set({ reason: 'Family' });
    expect(changed).not.toBe(doc);
    expect(doc.data.reason).toBeUndefined();
    expect(changed.set({ reason: 'Family' })).toBe(changed);
    expect(changed.app).toBe(app);
  });

  it('add and change rows, addressed by idx or by name', () => {
    const doc = app.doc('Leave Request', REQUEST).addRow('approvers', { approver: 'a@example.com' }).addRow('approvers');
    expect(doc.row('approvers', 2)).toMatchObject({ idx: 2, approval_status: 'Pending' });
    const byIdx = doc.setRow('approvers', 2, { approver: 'b@example.com' });
    const byName = doc.setRow('approvers', String(doc.row('approvers', 2).name), { approver: 'b@example.com' });
    expect(byIdx.data).toEqual(byName.data);
    expect(byIdx.row('approvers', 2).approver).toBe('b@example.com');
    expect(() => doc.setRow('approvers', 5, {})).toThrow(expect.objectContaining({ code: 'TESTING_UNKNOWN_ROW' }));
  });
});

describe('states, validate, explain', () => {
  it('equal the rules layer on the same data, user and clock', () => {
    const doc = app.doc('Leave Request', { ...REQUEST, half_day: 1 }).addRow('approvers', { approval_status: 'Rejected' });
    const rules = compileRules(app.doctype('Leave Request'), app.registry, leaveRequestRules);
    const ctx = { user: app.user, now: app.options.clock() };
    expect(app.states(doc)).toEqual(evaluateStates(rules, doc.data, ctx));
    expect(app.validate(doc)).toEqual(validateDoc(rules, doc.data, ctx));
    expect(app.explain(doc, 'half_day_date')).toEqual(explainField(rules, doc.data, 'half_day_date', ctx));
    expect(app.explain(doc, 'comment', { table: 'approvers', row: 1 }).mandatory).toBe(true);
  });

  it('accept a Doc or plain data as well as a TestDoc', () => {
    const doc = app.doc('Leave Request', { half_day: 1 });
    expect(app.states(doc.doc).fields.half_day_date).toEqual(app.states(doc).fields.half_day_date);
    // Plain data is checked with the app's rules for its DocType (here: without the leave validators).
    expect(app.validate({ ...doc.data })).toEqual(app.validate(doc));
    expect(() => app.states({ no: 'doctype' })).toThrow(expect.objectContaining({ code: 'TESTING_NOT_A_DOC' }));
  });

  it('validate can be as lenient as the server about mandatory_depends_on', () => {
    const doc = app.doc('Leave Request', { ...REQUEST, half_day: 1 });
    expect(doc).toHaveIssue({ code: 'MANDATORY', field: 'half_day_date' });
    expect(app.validate(doc, { enforceMandatoryDependsOn: false })).toEqual([]);
  });

  it('custom rules can be replaced per document', () => {
    const strict = app.doc('Leave Request', REQUEST, {
      rules: { validators: [{ name: 'reason needed', inputs: ['reason'], validate: (d) => !d.reason && 'Give a reason' }] },
    });
    expect(strict).toHaveIssue({ code: 'VALIDATION', field: 'reason' });
    expect(strict.set({ reason: 'Wedding' })).toBeValid();
  });
});

describe('users', () => {
  it('withUser keeps the registry and rules, and checks states with the user permlevels', () => {
    const employee = app.withUser({ name: 'ann@example.com', roles: ['Employee'] });
    expect(employee.registry).toBe(app.registry);
    expect(employee.options).toBe(app.options);
    const doc = employee.doc('Leave Request');
    expect(doc.data.owner).toBe('ann@example.com');
    expect(doc).toHaveFieldState('status', { visible: true, readOnly: true }); // permlevel 1: read, not write
    expect(app.withUser({ name: 'approver@example.com', roles: ['Leave Approver'] }).doc('Leave Request')).not.toBeReadOnly('status');
  });
});

describe('app.engine', () => {
  it('runs as Administrator over fresh memory storage, with the app clock, ids and rules', async () => {
    const engine = app.engine();
    expect(await engine.run({ operation: 'create', target_doctype: 'Leave Type', input: { data: { leave_type_name: 'Casual Leave' } } })).toSucceed();
    const run = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: { ...REQUEST, half_day: 1, half_day_date: '2026-01-13' } } });
    expect(run).toSucceed();
    expect(run.output?.data[0]).toMatchObject({
      name: 'HR-LR-2026-00001', // naming series with the fixed clock's year
      owner: 'Administrator',
      creation: expect.stringMatching(/^2026-01-05 09:00:00/),
      total_leave_days: 2.5, // computed by the app's rules inside the run
    });
    // A second engine has its own storage.
    expect(await app.engine().run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name: 'HR-LR-2026-00001' } } })).toFailWith('NOT_FOUND');
  });

  it('lets options override the defaults', async () => {
    const engine = app.engine({ user: { name: 'ann@example.com', roles: ['Employee'] }, clock: fixedClock('2027-03-01T00:00:00Z') });
    const admin = { name: 'Administrator', roles: ['Administrator'] };
    expect(await engine.run({ operation: 'create', target_doctype: 'Leave Type', input: { data: { leave_type_name: 'Casual Leave' } }, user: admin })).toSucceed();
    const created = await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: REQUEST } });
    expect(created.output?.data[0]).toMatchObject({ name: 'HR-LR-2027-00001', owner: 'ann@example.com' });
    // An Employee may create but not submit (the fixture's DocPerms).
    expect(await engine.run({ operation: 'submit', target_doctype: 'Leave Request', input: { data: { name: created.docname } } })).toFailWith('PERMISSION_DENIED');
  });
});

describe('createTestApp', () => {
  it('builds an app from a registry without any Node API', () => {
    const inMemory = createTestApp(app.registry, { clock: fixedClock('2030-06-01T00:00:00Z') });
    expect(inMemory.registry).toBe(app.registry);
    expect(inMemory.options.rules).toEqual({});
    // No app rules: the computed field stays empty.
    expect(inMemory.doc('Leave Request', REQUEST).data.total_leave_days).toBeUndefined();
  });
});
