/**
 * `rename` (with merge) and `copy` against real Frappe v15 (the oracle; run with FRAPPE_ORACLE=1): the same
 * documents on both sides, then `frappe.model.rename_doc.rename_doc` / `frappe.copy_doc` there and the operations
 * here; the stored results (Links, rows, Dynamic Links, `modified`), the refusals (exception class, message) and
 * the copy are compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/index';
import { ORACLE_ENABLED, ORACLE_TIME_ZONE, skipReason, startOracle, type Oracle } from './harness';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const PERMS = [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }];
const CUST = {
  name: 'OT Ren Cust', module: 'Custom', autoname: 'Prompt', allow_rename: 1,
  fields: [f('title', 'Data'), f('is_group', 'Check'), f('parent_cust', 'Link', { options: 'OT Ren Cust' })], permissions: PERMS,
};
const ITEM = { name: 'OT Ren Item', module: 'Custom', istable: 1, fields: [f('cust', 'Link', { options: 'OT Ren Cust' }), f('qty', 'Int'), f('memo', 'Data', { no_copy: 1 })] };
const ORDER = {
  name: 'OT Ren Order', module: 'Custom', autoname: 'hash', is_submittable: 1, allow_rename: 1,
  fields: [
    f('customer', 'Link', { options: 'OT Ren Cust' }), f('ref', 'Data', { no_copy: 1 }), f('items', 'Table', { options: 'OT Ren Item' }),
    f('amended_from', 'Link', { options: 'OT Ren Order', no_copy: 1, read_only: 1 }),
  ],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1, submit: 1, cancel: 1, amend: 1 }],
};
const NOTE = {
  name: 'OT Ren Note', module: 'Custom', autoname: 'hash', allow_rename: 0,
  fields: [f('ref_type', 'Link', { options: 'DocType' }), f('ref_name', 'Dynamic Link', { options: 'ref_type' })], permissions: PERMS,
};
const DOCTYPES = [CUST, ITEM, ORDER, NOTE];
const ADMIN = { name: 'Administrator', roles: ['Administrator'] };

type Plain = Record<string, unknown>;

if (!ORACLE_ENABLED) console.log(skipReason());

describe.runIf(ORACLE_ENABLED)('rename and copy as Frappe v15 does them (oracle)', () => {
  let oracle: Oracle;
  let engine: Engine;
  /** Order names on each side, by position. */
  const orders: { frappe: string[]; ours: string[] } = { frappe: [], ours: [] };
  let noteOurs = '';
  let noteFrappe = '';

  const ins = async (doc: Plain, name?: string): Promise<{ frappe: string; ours: string }> => {
    const fr = await oracle.must({ op: 'insert', doc, ...(name ? { flags: { set_name: name } } : {}) });
    const r = await engine.run({ operation: 'create', target_doctype: doc.doctype as string, input: { data: { ...doc, ...(name ? { name } : {}) } } });
    expect(r.error, JSON.stringify(r.error)).toBeNull();
    return { frappe: String(fr.doc!.name), ours: String(r.output!.data[0]!.name) };
  };
  const frappeRename = (doctype: string, old: string, newName: string, merge = false, rollback = false) =>
    oracle.request({ op: 'call', method: 'frappe.model.rename_doc.rename_doc', kwargs: { doctype, old, new: newName, merge }, rollback });
  const ourRename = (doctype: string, old: string, newName: string, merge = false, options: Plain = {}) =>
    engine.run({ operation: 'rename', target_doctype: doctype, input: { data: { name: old }, new_name: newName, merge }, options });

  beforeAll(async () => {
    oracle = await startOracle();
    await oracle.must({ op: 'reset', doctypes: DOCTYPES });
    engine = createEngine({ doctypes: DOCTYPES, user: ADMIN, timeZone: ORACLE_TIME_ZONE });
    await ins({ doctype: 'OT Ren Cust', title: 'a', is_group: 1 }, 'A');
    await ins({ doctype: 'OT Ren Cust', title: 'b', is_group: 1, parent_cust: 'A' }, 'B');
    await ins({ doctype: 'OT Ren Cust', title: 'leaf' }, 'LEAF');
    for (const customer of ['A', 'B']) {
      const o = await ins({ doctype: 'OT Ren Order', customer, ref: 'r', items: [{ cust: 'A', qty: 1, memo: 'm' }, { cust: 'B', qty: 2 }] });
      orders.frappe.push(o.frappe);
      orders.ours.push(o.ours);
    }
    const n = await ins({ doctype: 'OT Ren Note', ref_type: 'OT Ren Cust', ref_name: 'A' });
    noteFrappe = n.frappe;
    noteOurs = n.ours;
  }, 240_000);
  afterAll(async () => oracle?.close());

  /** The state rename touches, with each side's own order / note names replaced by positions. */
  async function frappeState(): Promise<Plain> {
    const custs = (await oracle.must({ op: 'get_list', doctype: 'OT Ren Cust', fields: ['name', 'parent_cust'], order_by: 'name asc' })).docs!;
    const os = [];
    for (const name of orders.frappe) {
      const d = (await oracle.must({ op: 'get', doctype: 'OT Ren Order', name })).doc!;
      os.push({ customer: d.customer, items: (d.items as Plain[]).map((i) => i.cust) });
    }
    const note = (await oracle.must({ op: 'get', doctype: 'OT Ren Note', name: noteFrappe })).doc!;
    return { custs, orders: os, note: note.ref_name };
  }
  async function ourState(): Promise<Plain> {
    const custs = (await engine.adapter.query('OT Ren Cust', { fields: ['name', 'parent_cust'], orderBy: { name: 'asc' } })).map((c) => ({ ...c }));
    const os = [];
    for (const name of orders.ours) {
      const d = (await engine.adapter.get('OT Ren Order', name))!;
      os.push({ customer: d.customer, items: (d.items as Plain[]).map((i) => i.cust) });
    }
    const note = (await engine.adapter.get('OT Ren Note', noteOurs))!;
    return { custs, orders: os, note: note.ref_name };
  }

  it('refuses what Frappe refuses, with the same exception and message', async () => {
    const cases: [string, string, string, boolean][] = [
      ['OT Ren Cust', 'A', 'B', false], // taken
      ['OT Ren Cust', 'A', 'ZZ', true], // merge target missing
      ['OT Ren Cust', 'A', 'A', false], // same
      ['OT Ren Cust', 'A', 'A<1', false], // validate_name
      ['OT Ren Cust', 'OT Ren Cust', 'X', false], // missing document
    ];
    for (const [doctype, old, newName, merge] of cases) {
      const fr = await frappeRename(doctype, old, newName, merge);
      const ours = await ourRename(doctype, old, newName, merge);
      expect(fr.ok, `${old} -> ${newName}`).toBe(false);
      expect(ours.success, `${old} -> ${newName}`).toBe(false);
      expect(ours.error!.exc, `${old} -> ${newName}: ${ours.error!.message}`).toBe(fr.exc_type);
      // The oracle strips HTML, so Frappe's '<', '>' come back empty; compare the rest.
      if (newName !== 'A<1') expect(ours.error!.message).toBe(fr.message);
    }
    // allow_rename off
    const fr = await frappeRename('OT Ren Note', noteFrappe, 'N2');
    const ours = await ourRename('OT Ren Note', noteOurs, 'N2');
    expect([ours.error?.exc, ours.error?.message]).toEqual([fr.exc_type, fr.message]);
    expect(await ourState()).toEqual(await frappeState());
  }, 120_000);

  it('a rename updates the same Links, rows and Dynamic Links, and no modified', async () => {
    const before = (await oracle.must({ op: 'get', doctype: 'OT Ren Order', name: orders.frappe[0]! })).doc!.modified;
    const fr = await frappeRename('OT Ren Cust', 'A', 'A2');
    expect(fr.ok, fr.message ?? '').toBe(true);
    const ours = await ourRename('OT Ren Cust', 'A', 'A2');
    expect(ours.error).toBeNull();
    expect(fr.value).toBe(ours.output!.data[0]!.name);
    expect(await ourState()).toEqual(await frappeState());
    expect((await oracle.must({ op: 'get', doctype: 'OT Ren Order', name: orders.frappe[0]! })).doc!.modified).toBe(before);
  }, 120_000);

  it('a merge repoints to the target and deletes the old document', async () => {
    const fr = await frappeRename('OT Ren Cust', 'A2', 'B', true);
    expect(fr.ok, fr.message ?? '').toBe(true);
    const ours = await ourRename('OT Ren Cust', 'A2', 'B', true);
    expect(ours.error).toBeNull();
    const state = await ourState();
    expect(state).toEqual(await frappeState());
    expect((state.custs as Plain[]).map((c) => c.name)).toEqual(['B', 'LEAF']);
  }, 120_000);

  it('a submitted document can be renamed, not merged away', async () => {
    await oracle.must({ op: 'submit', doctype: 'OT Ren Order', name: orders.frappe[0]! });
    const sub = await engine.run({ operation: 'submit', target_doctype: 'OT Ren Order', input: { data: { name: orders.ours[0]! } } });
    expect(sub.error).toBeNull();
    const frMerge = await frappeRename('OT Ren Order', orders.frappe[0]!, orders.frappe[1]!, true);
    const ourMerge = await ourRename('OT Ren Order', orders.ours[0]!, orders.ours[1]!, true);
    // Frappe names the order in its message; the names differ by side, so compare with each side's own.
    expect(ourMerge.error?.exc).toBe(frMerge.exc_type);
    expect(ourMerge.error?.message).toBe(frMerge.message!.replace(orders.frappe[0]!, orders.ours[0]!));
    const fr = await frappeRename('OT Ren Order', orders.frappe[0]!, 'SO-SUBMITTED');
    expect(fr.ok, fr.message ?? '').toBe(true);
    const ours = await ourRename('OT Ren Order', orders.ours[0]!, 'SO-SUBMITTED-2');
    expect(ours.error).toBeNull();
    orders.frappe[0] = 'SO-SUBMITTED';
    orders.ours[0] = 'SO-SUBMITTED-2';
    const frDoc = (await oracle.must({ op: 'get', doctype: 'OT Ren Order', name: 'SO-SUBMITTED' })).doc!;
    const ourDoc = (await engine.adapter.get('OT Ren Order', 'SO-SUBMITTED-2'))!;
    expect(ourDoc.docstatus).toBe(frDoc.docstatus);
    expect((ourDoc.items as Plain[]).map((i) => i.parent)).toEqual((frDoc.items as Plain[]).map(() => 'SO-SUBMITTED-2'));
    expect((frDoc.items as Plain[]).map((i) => i.parent)).toEqual(['SO-SUBMITTED', 'SO-SUBMITTED']);
    expect(await ourState()).toEqual(await frappeState());
  }, 120_000);

  it('copy_doc: the same values, no_copy cleared, rows local and unnamed', async () => {
    const got = (await oracle.must({ op: 'get', doctype: 'OT Ren Order', name: orders.frappe[1]! })).doc!;
    const fr = (await oracle.must({ op: 'call', method: 'frappe.copy_doc', args: [got], kwargs: { ignore_no_copy: false } })).value as Plain;
    const r = await engine.run({ operation: 'copy', source_doctype: 'OT Ren Order', input: { data: { name: orders.ours[1]! } } });
    expect(r.error).toBeNull();
    const ours = r.output!.data[0]!;
    // Frappe's answer leaves out keys whose value is None; ours holds them as null.
    const present = (doc: Plain) => Object.fromEntries(Object.entries(doc).filter(([k, v]) => v !== null && v !== undefined && k !== 'items' && k !== 'parent'));
    expect(present(ours)).toEqual(present(fr));
    const rows = (d: Plain) => (d.items as Plain[]).map(present);
    expect(rows(ours)).toEqual(rows(fr));
  }, 120_000);
});
