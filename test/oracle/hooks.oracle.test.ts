/**
 * Controller hook order against real Frappe v15 (the oracle; run with FRAPPE_ORACLE=1). The oracle's DocTypes
 * have no Python controllers of their own, so the test installs a recorder in the oracle's server process (the
 * `call` escape hatch runs `builtins.exec` once): it wraps `Document.run_method`, the one function through which
 * Frappe calls every controller method and `doc_events` hook (`frappe/model/document.py` `run_method`; also
 * `naming.set_new_name` and `delete_doc`). A controller method named X runs exactly when `run_method(X)` is
 * called, so the recorded names are what a Python controller defining every hook would see, in that order.
 * The same steps run through coworker with a TypeScript controller that records every hook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, fixedClock } from '../../src/index';
import type { Controller, HookContext, HookName } from '../../src/run/lifecycle';
import { HOOK_NAMES } from '../../src/run/lifecycle';
import { memoryAdapter } from '../../src/storage/memory';
import { startOracle, type Oracle } from './harness';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const PERM = { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1, submit: 1, cancel: 1, amend: 1 };
const LINE = { name: 'Cl Hook Line', istable: 1, module: 'Custom', fields: [f('code', 'Data'), f('qty', 'Int')] };
const DOC = {
  name: 'Cl Hook Doc', module: 'Custom', autoname: 'CLH-.####', is_submittable: 1, allow_rename: 1,
  fields: [f('title', 'Data'), f('note', 'Data', { allow_on_submit: 1 }), f('lines', 'Table', { options: 'Cl Hook Line' }),
    // Frappe's DocType controller adds this to a submittable DocType (make_amendable); given here for both sides.
    f('amended_from', 'Link', { options: 'Cl Hook Doc', read_only: 1, no_copy: 1 })],
  permissions: [PERM],
};
const SINGLE = {
  name: 'Cl Hook Single', module: 'Custom', issingle: 1, permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
  fields: [f('title', 'Data', { default: 'Hello' }), f('count', 'Int')],
};
const DOCTYPES = [LINE, DOC, SINGLE];

/** Installed once per server process: every run_method call on a `Cl ` document is logged; `take()` drains it. */
const RECORDER = `
import builtins, sys, types
from frappe.model.document import Document
if 'claims_hook_recorder' not in sys.modules:
    mod = types.ModuleType('claims_hook_recorder')
    mod.log = []
    def take():
        out = list(mod.log)
        mod.log.clear()
        return out
    mod.take = take
    _orig = Document.run_method
    def run_method(self, method, *args, **kwargs):
        if str(self.doctype).startswith('Cl Hook'):
            mod.log.append(self.doctype + ':' + str(method))
        return _orig(self, method, *args, **kwargs)
    Document.run_method = run_method
    sys.modules['claims_hook_recorder'] = mod
`;

/** A TypeScript controller that records every hook it is given (autoname leaves the name to the DocType's rule). */
function recorder(log: string[]): Controller {
  const hooks: Partial<Record<HookName, (ctx: HookContext) => void>> = {};
  for (const h of HOOK_NAMES) {
    hooks[h] = (ctx) => {
      if (ctx.doctype.startsWith('Cl Hook')) log.push(`${ctx.doctype}:${h}`);
    };
  }
  return hooks as Controller;
}

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('controller hook order as Frappe v15 runs it (oracle)', () => {
  let oracle: Oracle;
  const log: string[] = [];
  const engine = createEngine({
    user: { name: 'Administrator', roles: [] }, doctypes: DOCTYPES, adapter: memoryAdapter(), clock: fixedClock('2024-03-05T10:00:00Z'),
    // Rows get no controller (coworker refuses one; the recorder below shows Frappe calls no row hooks either).
    controllers: { 'Cl Hook Doc': recorder(log), 'Cl Hook Single': recorder(log) },
  });
  /** Rows' hooks Frappe called, kept apart: coworker gives rows no controller (see the first test). */
  let rowHooks: string[] = [];
  const taken = async () => {
    const all = (await oracle.must<string[]>({ op: 'call', method: 'claims_hook_recorder.take' })).value!;
    rowHooks = all.filter((h) => h.startsWith('Cl Hook Line:'));
    return all.filter((h) => !h.startsWith('Cl Hook Line:'));
  };
  const ours = async (operation: string, data: Record<string, unknown>) => {
    const r = await engine.run({ operation, target_doctype: 'Cl Hook Doc', input: { data } });
    expect(r.error, operation).toBeNull();
    return { name: r.output?.data[0]?.name as string, hooks: log.splice(0) };
  };

  beforeAll(async () => {
    oracle = await startOracle();
    await oracle.must({ op: 'reset', doctypes: DOCTYPES });
    await oracle.must({ op: 'call', method: 'builtins.exec', args: [RECORDER, {}] });
    // reset wipes ordinary tables; a Single's values go with a delete.
    await oracle.must({ op: 'delete', doctype: 'Cl Hook Single', name: 'Cl Hook Single' });
    await taken();
  }, 300_000);
  afterAll(async () => oracle?.close());

  it('insert, save, submit, update after submit, cancel, amend, delete: the same hooks in the same order', async () => {
    const doc = { doctype: 'Cl Hook Doc', title: 'A', lines: [{ code: 'x', qty: 1 }] };

    const fIns = (await oracle.must({ op: 'insert', doc })).doc!;
    const frappeInsert = await taken();
    const oIns = await ours('create', doc);
    expect(oIns.hooks).toEqual(frappeInsert);
    // The order, as Frappe's insert runs it (also the claim in src/run/lifecycle.ts).
    expect(frappeInsert).toEqual(['before_insert', 'before_naming', 'autoname', 'before_validate', 'validate', 'before_save', 'after_insert', 'on_update', 'on_change'].map((h) => `Cl Hook Doc:${h}`));
    // Deliberate (docs/DECISIONS.md "Rows have no controllers"): Frappe's set_new_name runs `before_naming` and
    // `autoname` on each new row (a row's Python class could name it); rows get no other hook. coworker refuses a
    // child DocType's controller, so a row is named by its DocType's rule only.
    expect(rowHooks).toEqual(['Cl Hook Line:before_naming', 'Cl Hook Line:autoname']);

    const steps: [string, string, Record<string, unknown>][] = [
      ['save', 'update', { title: 'B' }],
      ['submit', 'submit', {}],
      ['save', 'update', { note: 'after submit' }],
      ['cancel', 'cancel', {}],
    ];
    for (const [op, operation, changes] of steps) {
      await oracle.must({ op, doctype: 'Cl Hook Doc', name: fIns.name, changes });
      const frappe = await taken();
      const mine = await ours(operation, { name: oIns.name, ...changes });
      expect(mine.hooks, `${operation} ${JSON.stringify(changes)}`).toEqual(frappe);
    }

    const fAmended = (await oracle.must({ op: 'amend', doctype: 'Cl Hook Doc', name: fIns.name })).doc!;
    const frappeAmend = await taken();
    const oAmended = await ours('amend', { name: oIns.name });
    expect(oAmended.hooks).toEqual(frappeAmend);

    await oracle.must({ op: 'delete', doctype: 'Cl Hook Doc', name: fAmended.name });
    const frappeDelete = await taken();
    const oDeleted = await ours('delete', { name: oAmended.name });
    expect(oDeleted.hooks).toEqual(frappeDelete);
    expect(frappeDelete).toEqual(['on_trash', 'on_change', 'after_delete'].map((h) => `Cl Hook Doc:${h}`));
  }, 120_000);

  it('rename: before_rename, then after_rename on the renamed document (frappe/model/rename_doc.py)', async () => {
    const doc = { doctype: 'Cl Hook Doc', title: 'R' };
    const fIns = (await oracle.must({ op: 'insert', doc })).doc!;
    await taken();
    const oIns = await ours('create', doc);
    await oracle.must({ op: 'call', method: 'frappe.model.rename_doc.rename_doc', kwargs: { doctype: 'Cl Hook Doc', old: fIns.name, new: 'CLH-RENAMED' } });
    const frappe = await taken();
    const r = await engine.run({ operation: 'rename', target_doctype: 'Cl Hook Doc', input: { data: { name: oIns.name }, new_name: 'CLH-RENAMED' } });
    expect(r.error).toBeNull();
    expect(log.splice(0)).toEqual(frappe);
    expect(frappe).toEqual(['before_rename', 'after_rename'].map((h) => `Cl Hook Doc:${h}`));
  }, 60_000);

  it('an insert that submits (docstatus 1) runs the submit hooks', async () => {
    const doc = { doctype: 'Cl Hook Doc', title: 'S', docstatus: 1 };
    await oracle.must({ op: 'insert', doc });
    const frappe = await taken();
    const r = await engine.run({ operation: 'create', target_doctype: 'Cl Hook Doc', input: { data: doc } });
    const mine = log.splice(0);
    expect(r.error).toBeNull();
    expect(mine).toEqual(frappe);
  }, 60_000);

  it('delete of a never-saved Single: Frappe finds it (db.exists says a Single always exists), runs the delete hooks, removes nothing', async () => {
    const single = async () => {
      const r = await engine.run({ operation: 'takeone', source_doctype: 'Cl Hook Single' });
      expect(r.error).toBeNull();
      const d = r.output!.data[0] as Record<string, unknown>;
      return { title: d.title, count: d.count, docstatus: d.docstatus };
    };
    const theirs = async () => {
      const d = (await oracle.must({ op: 'get', doctype: 'Cl Hook Single', name: 'Cl Hook Single' })).doc!;
      return { title: d.title, count: d.count, docstatus: d.docstatus };
    };
    const frappe = await oracle.request({ op: 'delete', doctype: 'Cl Hook Single', name: 'Cl Hook Single' });
    const frappeHooks = await taken();
    const r = await engine.run({ operation: 'delete', target_doctype: 'Cl Hook Single' });
    expect(r.success, r.error?.message).toBe(frappe.ok);
    expect(log.splice(0)).toEqual(frappeHooks);
    expect(frappeHooks).toEqual(['on_trash', 'on_change', 'after_delete'].map((h) => `Cl Hook Single:${h}`));
    // Still never saved: its defaults, on both sides.
    expect(await single()).toEqual(await theirs());
    expect(await single()).toEqual({ title: 'Hello', count: 0, docstatus: 0 });
    // A user without the delete right is refused on both sides, saved or not.
    const denied = await oracle.request({ op: 'run_as', user: 'cl-hook-reader@x.com', roles: ['Cl Hook Reader'], request: { op: 'delete', doctype: 'Cl Hook Single', name: 'Cl Hook Single' } });
    await taken();
    const mine = await engine.run({ operation: 'delete', target_doctype: 'Cl Hook Single', user: { name: 'cl-hook-reader@x.com', roles: ['Cl Hook Reader'] } });
    expect(denied.exc_type).toBe('PermissionError');
    expect(mine.error?.code).toBe('PERMISSION_DENIED');
    expect(log.splice(0)).toEqual([]);
  }, 60_000);
});
