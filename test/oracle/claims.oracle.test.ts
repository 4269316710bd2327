/**
 * Claims of coworker that no other oracle test checked, asked of real Frappe v15 (the oracle; run with
 * FRAPPE_ORACLE=1) and of coworker with the same DocTypes and steps: what a caller's value for a virtual field
 * becomes, and a virtual expression failing on a write (the oracle builds the response, `doc.as_dict()`, before it
 * commits, as Frappe's REST handlers do); the Password mask a read returns and what a save of a mask keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, fixedClock } from '../../src/index';
import { memoryAdapter } from '../../src/storage/memory';
import { startOracle, type Oracle } from './harness';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const PERM = { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 };
const VIRTUAL = {
  name: 'Cl Virtual', module: 'Custom', autoname: 'field:label', permissions: [PERM],
  fields: [
    f('label', 'Data', { reqd: 1 }), f('qty', 'Int'),
    f('v_expr', 'Float', { is_virtual: 1, options: 'doc.qty * 2' }),
    f('v_plain', 'Data', { is_virtual: 1 }), f('v_check', 'Check', { is_virtual: 1 }),
    f('v_float', 'Float', { is_virtual: 1 }), f('v_int', 'Int', { is_virtual: 1 }),
  ],
};
const SECRET = {
  name: 'Cl Secret', module: 'Custom', autoname: 'field:label', permissions: [PERM],
  fields: [f('label', 'Data', { reqd: 1 }), f('note', 'Data'), f('secret', 'Password')],
};
const VIRTUAL_BAD = {
  name: 'Cl Virtual Bad', module: 'Custom', autoname: 'field:label', permissions: [PERM],
  fields: [f('label', 'Data', { reqd: 1 }), f('broken', 'Data', { is_virtual: 1, options: 'doc.label + 1' })],
};
const DOCTYPES = [VIRTUAL, SECRET, VIRTUAL_BAD];
const ADMIN = { name: 'Administrator', roles: [] as string[] };

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('claims checked against Frappe v15 (oracle)', () => {
  let oracle: Oracle;
  const engine = createEngine({ user: ADMIN, doctypes: DOCTYPES, adapter: memoryAdapter(), clock: fixedClock('2024-03-05T10:00:00Z') });
  const ours = async (operation: string, doctype: string, data: Record<string, unknown>) => {
    const r = await engine.run({ operation, target_doctype: doctype, source_doctype: doctype, input: { data } });
    expect(r.error, `${operation} ${doctype}`).toBeNull();
    return r.output!.data[0] as Record<string, unknown>;
  };
  const theirs = async (doctype: string, name: string) => (await oracle.must({ op: 'get', doctype, name })).doc!;

  beforeAll(async () => {
    oracle = await startOracle();
    await oracle.must({ op: 'reset', doctypes: DOCTYPES });
  }, 300_000);
  afterAll(async () => oracle?.close());

  describe('a virtual field written by the caller (BaseDocument.get_valid_dict)', () => {
    const V = ['v_expr', 'v_plain', 'v_check', 'v_float', 'v_int'] as const;
    const pick = (doc: Record<string, unknown>) => Object.fromEntries(V.map((k) => [k, doc[k] ?? null]));
    const input = { doctype: 'Cl Virtual', label: 'v1', qty: 3, v_expr: 99, v_plain: 'given', v_check: 'yes', v_float: '2.5', v_int: '7' };

    it('the document an insert returns, and the stored document read back', async () => {
      const frappe = (await oracle.must({ op: 'insert', doc: input })).doc!;
      const mine = await ours('create', 'Cl Virtual', input);
      expect(pick(mine)).toEqual(pick(frappe));
      expect(pick(await ours('takeone', 'Cl Virtual', { name: 'v1' }))).toEqual(pick(await theirs('Cl Virtual', 'v1')));
    }, 60_000);

    it('a save that gives virtual values', async () => {
      const changes = { qty: 5, v_expr: 1, v_plain: 'again', v_float: 'x' };
      const frappe = await oracle.request({ op: 'save', doctype: 'Cl Virtual', name: 'v1', changes });
      const r = await engine.run({ operation: 'update', target_doctype: 'Cl Virtual', input: { data: { name: 'v1', ...changes } } });
      expect(r.success, r.error?.message).toBe(frappe.ok);
      if (frappe.ok) expect(pick(r.output!.data[0] as Record<string, unknown>)).toEqual(pick(frappe.doc!));
      expect(pick(await ours('takeone', 'Cl Virtual', { name: 'v1' }))).toEqual(pick(await theirs('Cl Virtual', 'v1')));
    }, 60_000);
  });

  it('a virtual expression that fails on the written document fails the write, and nothing is stored', async () => {
    const doc = { doctype: 'Cl Virtual Bad', label: 'b1' };
    const frappe = await oracle.request({ op: 'insert', doc });
    const r = await engine.run({ operation: 'create', target_doctype: 'Cl Virtual Bad', input: { data: doc } });
    expect(frappe.exc_type).toBe('TypeError');
    expect(r.error?.code).toBe('VIRTUAL_FIELD');
    expect(r.error?.exc).toBe(frappe.exc_type);
    const stored = (await oracle.must({ op: 'get_all', doctype: 'Cl Virtual Bad', fields: ['name'] })).docs!;
    expect(await engine.adapter.query('Cl Virtual Bad', {})).toEqual(stored);
    expect(stored).toEqual([]);
  }, 60_000);

  describe('Password fields: the mask on read, a mask saved back (BaseDocument._save_passwords)', () => {
    const password = async (name: string) => ({
      frappe: (await oracle.must({ op: 'call', method: 'frappe.utils.password.get_decrypted_password', args: ['Cl Secret', name, 'secret', false] })).value ?? null,
      ours: (await engine.getPassword('Cl Secret', name, 'secret')) ?? null,
    });
    const step = async (name: string, changes: Record<string, unknown>) => {
      const frappe = (await oracle.must({ op: 'save', doctype: 'Cl Secret', name, changes })).doc!;
      const mine = await ours('update', 'Cl Secret', { name, ...changes });
      expect(mine.secret, JSON.stringify(changes)).toEqual(frappe.secret);
      expect((await ours('takeone', 'Cl Secret', { name })).secret).toEqual((await theirs('Cl Secret', name)).secret);
      const p = await password(name);
      expect(p.ours, JSON.stringify(changes)).toEqual(p.frappe);
    };

    it.each([['ascii', 'abc123'], ['accents and an emoji (one code point, two UTF-16 units)', 'pässwörd🔑']])('insert %s', async (_t, secret) => {
      const label = `s-${secret.length}`;
      const doc = { doctype: 'Cl Secret', label, secret };
      const frappe = (await oracle.must({ op: 'insert', doc })).doc!;
      const mine = await ours('create', 'Cl Secret', doc);
      expect(mine.secret).toEqual(frappe.secret);
      expect((await ours('takeone', 'Cl Secret', { name: label })).secret).toEqual((await theirs('Cl Secret', label)).secret);
      const p = await password(label);
      expect(p.ours).toEqual(p.frappe);
      expect(p.frappe).toBe(secret);
    }, 60_000);

    it('saves of a mask (longer, shorter), of other data, of a new value, of an empty value', async () => {
      const doc = { doctype: 'Cl Secret', label: 'm', secret: 'abcdef' };
      await oracle.must({ op: 'insert', doc });
      await ours('create', 'Cl Secret', doc);
      await step('m', { secret: '**' });
      await step('m', { secret: '**********' });
      await step('m', { note: 'unrelated' });
      await step('m', { secret: '*x*' });
      await step('m', { secret: '' });
    }, 60_000);
  });
});
