/** The form controller on a real engine: every change a draft run, undo / redo, saves, lifecycle, conflicts. */
import { describe, expect, it } from 'vitest';
import { FormRunError } from '../../src/index';
import { approver, employee, leaveEngine } from './leave';

const leave = { employee_name: 'Ann', leave_type: 'Casual', from_date: '2026-02-02', to_date: '2026-02-04' };

describe('form controller', () => {
  it('opens a new document with defaults, field states and the issues a save would raise', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    const s = form.getSnapshot();
    expect(s.name).toBeNull();
    expect(s.doc.status).toBe('Open');
    expect(s.doc.naming_series).toBe('HR-LR-.YYYY.-');
    expect(s.state).toBe('pristine');
    expect(s.dirty).toBe(false);
    expect(s.fields.half_day_date!.state?.visible).toBe(false);
    expect(s.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['employee_name', 'leave_type', 'from_date', 'to_date']));
    expect(s.fields.employee_name!.issues[0]).toMatchObject({ code: 'MANDATORY', exc: 'MandatoryError', path: ['employee_name'] });
    expect(s.actions).toEqual(['save']); // an employee may create but not submit
  });

  it('shows a change at once, then what the engine computed from it; nothing is written before save', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    const pending = form.setValues(leave);
    expect(form.getSnapshot().doc.employee_name).toBe('Ann'); // optimistic
    expect(form.getSnapshot().dirty).toBe(true);
    await pending;
    expect(form.getSnapshot().doc.total_leave_days).toBe(3);  // computed by the engine's rules
    await form.set('half_day', 1);
    const s = form.getSnapshot();
    expect(s.doc.total_leave_days).toBe(2.5);
    expect(s.fields.half_day_date!.state).toMatchObject({ visible: true, mandatory: true });
    expect(s.fields.half_day_date!.issues[0]?.code).toBe('MANDATORY');
    const stored = await engine.run({ operation: 'select', source_doctype: 'Leave Request', query: {} });
    expect(stored.output?.data).toHaveLength(0);
  });

  it('keeps the identity of slices that did not change', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues(leave);
    const before = form.getSnapshot();
    await form.set('reason', 'Family');
    const after = form.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.fields.reason).not.toBe(before.fields.reason);
    expect(after.fields.employee_name).toBe(before.fields.employee_name);
    expect(after.fields.from_date).toBe(before.fields.from_date);
    expect(after.fields.half_day_date).toBe(before.fields.half_day_date);
  });

  it('undoes and redoes changes, in order, without awaiting each call', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues(leave);
    void form.set('to_date', '2026-02-06');
    void form.undo();
    expect(form.getSnapshot().doc.to_date).toBe('2026-02-04');
    void form.redo();
    expect(form.getSnapshot().doc.to_date).toBe('2026-02-06');
    await form.settled();
    expect(form.getSnapshot().doc.total_leave_days).toBe(5);
    await form.undo();
    expect(form.getSnapshot().doc.total_leave_days).toBe(3);
    await form.undo();
    expect(form.getSnapshot().dirty).toBe(false);
    expect(form.getSnapshot().canUndo).toBe(false);
    expect(form.getSnapshot().canRedo).toBe(true);
  });

  it('saves, then edits the stored document; a refused save keeps the changes and shows the issues', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues({ ...leave, half_day: 1 });
    await expect(form.save()).rejects.toBeInstanceOf(FormRunError);
    let s = form.getSnapshot();
    expect(s.state).toBe('failed');
    expect(s.error?.code).toBe('VALIDATION');
    expect(s.fields.half_day_date!.issues[0]).toMatchObject({ code: 'MANDATORY', exc: 'MandatoryError' });
    expect(s.doc.half_day).toBe(1);
    await form.set('half_day_date', '2026-02-03');
    const saved = await form.save();
    expect(saved.success).toBe(true);
    s = form.getSnapshot();
    expect(s.name).toMatch(/^HR-LR-2026-/);
    expect(s.state).toBe('saved');
    expect(s.dirty).toBe(false);
    const stored = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name: s.name } } });
    expect(stored.output?.data[0]).toMatchObject({ half_day_date: '2026-02-03', total_leave_days: 2.5 });
    await form.set('reason', 'Trip');
    expect(form.getSnapshot().state).toBe('dirty');
    await form.save();
    const again = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name: s.name } } });
    expect(again.output?.data[0]?.reason).toBe('Trip');
  });

  it('edits rows: add, set, move, remove, with row states reading the parent', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues({ ...leave, to_date: '2026-02-10' });
    const a = await form.addRow('approvers', { approver: 'a@example.com' });
    const b = await form.addRow('approvers', { approver: 'b@example.com' });
    await form.setRow('approvers', b, 'approval_status', 'Rejected');
    let s = form.getSnapshot();
    const rows = s.doc.approvers as Record<string, unknown>[];
    expect(rows.map((r) => r.approver)).toEqual(['a@example.com', 'b@example.com']);
    const rowNames = rows.map((r) => String(r.name));
    expect(s.states.rows.approvers![rowNames[0]!]!.justification!.visible).toBe(true);   // parent.total_leave_days > 5
    expect(s.fields.approvers!.issues.some((i) => i.field === 'comment' && i.row === 2)).toBe(true);
    expect(s.fields.approvers!.issues.find((i) => i.field === 'comment')?.path).toEqual(['approvers', 1, 'comment']);
    await form.moveRow('approvers', b, 0);
    await form.removeRow('approvers', a);
    s = form.getSnapshot();
    expect((s.doc.approvers as Record<string, unknown>[]).map((r) => r.approver)).toEqual(['b@example.com']);
    await form.setRow('approvers', b, 'comment', 'Busy week');
    await form.save();
    const stored = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name: form.getSnapshot().name } } });
    expect((stored.output?.data[0]?.approvers as Record<string, unknown>[]).map((r) => [r.approver, r.idx, r.comment])).toEqual([['b@example.com', 1, 'Busy week']]);
  });

  it('discards unsaved changes', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues(leave);
    await form.save();
    await form.set('reason', 'x');
    expect(form.getSnapshot().actions).toContain('discard');
    await form.discard();
    expect(form.getSnapshot().doc.reason ?? null).toBeNull();
    expect(form.getSnapshot().dirty).toBe(false);
  });

  it('surfaces a stale save as a conflict with their version; overwrite or reload resolves it', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    await form.setValues(leave);
    await form.save();
    const name = form.getSnapshot().name!;
    const other = await engine.form({ doctype: 'Leave Request', name });
    await other.set('reason', 'theirs');
    await other.save();
    await form.set('reason', 'mine');
    await expect(form.save()).rejects.toMatchObject({ run: { error: { code: 'TIMESTAMP_MISMATCH' } } });
    let s = form.getSnapshot();
    expect(s.state).toBe('conflict');
    expect(s.conflict?.theirs.reason).toBe('theirs');
    expect(s.doc.reason).toBe('mine');
    await form.overwrite();
    let stored = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name } } });
    expect(stored.output?.data[0]?.reason).toBe('mine');
    // and the other way: reload takes theirs
    await other.set('reason', 'other again');
    await expect(other.save()).rejects.toBeInstanceOf(FormRunError);
    expect(other.getSnapshot().state).toBe('conflict');
    await other.reload();
    s = other.getSnapshot();
    expect(s.doc.reason).toBe('mine');
    expect(s.state).toBe('pristine');
    stored = await engine.run({ operation: 'takeone', source_doctype: 'Leave Request', input: { data: { name } } });
    expect(stored.output?.data[0]?.reason).toBe('mine');
  });

  it('runs the lifecycle for a user who may: submit, cancel, amend; actions follow docstatus and rights', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request', user: approver });
    await form.setValues(leave);
    expect(form.getSnapshot().actions).toEqual(['save', 'submit', 'discard']);
    await form.save();
    expect(form.getSnapshot().actions).toEqual(['save', 'submit', 'delete']);
    await form.submit();
    let s = form.getSnapshot();
    expect(s.doc.docstatus).toBe(1);
    expect(s.actions).toEqual(['save', 'cancel']); // status is allow_on_submit
    expect(s.fields.employee_name!.state?.readOnly).toBe(true);
    await form.cancel();
    expect(form.getSnapshot().actions).toEqual(['amend', 'delete']);
    const first = form.getSnapshot().name;
    await form.amend();
    s = form.getSnapshot();
    expect(s.name).toBe(`${first}-1`);
    expect(s.doc.amended_from).toBe(first);
    expect(s.doc.docstatus).toBe(0);
    // the employee sees only what they may do
    expect(await engine.allowedActions({ doctype: 'Leave Request', name: first! }, employee)).toEqual([]);
    expect(await engine.allowedActions({ doctype: 'Leave Request', name: s.name! }, employee)).toEqual(['save']);
    await form.delete();
    expect(form.getSnapshot().state).toBe('deleted');
  });

  it('refuses what the user may not do, through the same runs', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request', user: employee });
    await form.setValues(leave);
    await form.save();
    await expect(form.submit()).rejects.toMatchObject({ run: { error: { code: 'PERMISSION_DENIED', exc: 'PermissionError' } } });
    expect(form.getSnapshot().error?.code).toBe('PERMISSION_DENIED');
    await expect(form.set('no_such_field', 1)).rejects.toMatchObject({ code: 'DOC_UNKNOWN_FIELD' });
  });

  it('notifies subscribers on every change and stops after unsubscribe', async () => {
    const engine = await leaveEngine();
    const form = await engine.form({ doctype: 'Leave Request' });
    let calls = 0;
    const off = form.subscribe(() => { calls += 1; });
    await form.set('employee_name', 'Ann');
    expect(calls).toBeGreaterThanOrEqual(2); // the optimistic change, then the engine's answer
    off();
    const seen = calls;
    await form.set('employee_name', 'Bea');
    expect(calls).toBe(seen);
  });
});
