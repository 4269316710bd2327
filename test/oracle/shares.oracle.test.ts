/**
 * DocShare rights against real Frappe v15 (the oracle; run with FRAPPE_ORACLE=1): shares with `submit`, with
 * `share`, `everyone` shares with `write` / `submit`, and a `submit` share of a DocType that is not submittable.
 * Both sides share the same documents with the same arguments (`frappe.share.add` / the `share` operation), the
 * stored DocShare rows are compared (DocShare.validate cascades `submit` to `write` and any right to `read`),
 * then a user with no role on the DocType tries each action: read, save, submit, share further, delete, cancel.
 * `frappe/permissions.py` `has_permission`: only read, write, share, submit (and email / print) can be shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import { FRAPPE_SECURITY_DOCTYPES } from '../run/security-doctypes';
import { startOracle, type Oracle, type OracleResponse } from './harness';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const PERM = { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1, submit: 1, cancel: 1, amend: 1, share: 1 };
const SHARED = {
  name: 'Cl Share Doc', module: 'Custom', autoname: 'field:title', is_submittable: 1, permissions: [PERM],
  fields: [f('title', 'Data', { reqd: 1 }), f('notes', 'Data'), f('amended_from', 'Link', { options: 'Cl Share Doc', read_only: 1, no_copy: 1 })],
};
const PLAIN = {
  name: 'Cl Share Plain', module: 'Custom', autoname: 'field:title', permissions: [{ ...PERM, submit: 0, cancel: 0, amend: 0 }],
  fields: [f('title', 'Data', { reqd: 1 })],
};
const ADMIN = { name: 'Administrator', roles: [] as string[] };
const OTHER = 'cl-share-other@x.com';
const ROLES = ['Cl Share Nobody'];

interface Share { readonly everyone?: 1; readonly write?: 1; readonly submit?: 1; readonly share?: 1 }
const NO = 'PermissionError';
/** What Frappe answered (checked below, so a change on the oracle side shows): get, list, save, submit, share further, delete, cancel. */
const SCENARIOS: { title: string; user: string; share: Share; frappe: readonly string[] }[] = [
  { title: 'a submit share (submit alone: DocShare adds write and read)', user: 'cl-share-1@x.com', share: { submit: 1 }, frappe: ['ok', 'ok', 'ok', 'ok', NO, NO, NO] },
  { title: 'a share share (share alone: DocShare adds read)', user: 'cl-share-2@x.com', share: { share: 1 }, frappe: ['ok', 'ok', NO, NO, 'ok', NO, NO] },
  { title: 'an everyone share with write', user: 'cl-share-3@x.com', share: { everyone: 1, write: 1 }, frappe: ['ok', 'ok', 'ok', NO, NO, NO, NO] },
  { title: 'an everyone share with submit', user: 'cl-share-4@x.com', share: { everyone: 1, submit: 1 }, frappe: ['ok', 'ok', 'ok', 'ok', NO, NO, NO] },
];
const RIGHTS = ['read', 'write', 'submit', 'share', 'everyone'] as const;
const outcome = (r: OracleResponse) => (r.ok ? 'ok' : r.exc_type);

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('DocShare rights as Frappe v15 grants them (oracle)', () => {
  let oracle: Oracle;
  const adapter = memoryAdapter();
  const engine = createEngine({ doctypes: [...FRAPPE_SECURITY_DOCTYPES, SHARED, PLAIN], adapter, user: ADMIN, unknownLinks: 'skip' });
  const mine = async (req: Parameters<typeof engine.run>[0]) => {
    const r = await engine.run(req);
    return r.success ? 'ok' : (r.error!.exc ?? r.error!.code);
  };
  const both = async (doctype: string, title: string, submit = false) => {
    await oracle.must({ op: 'insert', doc: { doctype, title } });
    if (submit) await oracle.must({ op: 'submit', doctype, name: title });
    expect(await mine({ operation: 'create', target_doctype: doctype, input: { data: { title } } })).toBe('ok');
    if (submit) expect(await mine({ operation: 'submit', target_doctype: doctype, input: { data: { name: title } } })).toBe('ok');
  };
  const shareBoth = async (doctype: string, name: string, user: string, s: Share) => {
    const kwargs = { user: s.everyone ? null : user, everyone: s.everyone ?? 0, write: s.write ?? 0, submit: s.submit ?? 0, share: s.share ?? 0 };
    const frappe = await oracle.request({ op: 'call', method: 'frappe.share.add', args: [doctype, name], kwargs });
    const ours = await mine({ operation: 'share', target_doctype: doctype, input: { data: { name, ...kwargs, user: kwargs.user ?? undefined } } });
    return { frappe: outcome(frappe), ours };
  };
  const storedShares = async (doctype: string, name: string) => {
    const frappe = (await oracle.must({ op: 'get_all', doctype: 'DocShare', filters: { share_doctype: doctype, share_name: name }, fields: [...RIGHTS, 'user'] })).docs!;
    const ours = await adapter.query('DocShare', { where: { share_doctype: doctype, share_name: name } });
    const pick = (r: Record<string, unknown>) => Object.fromEntries([...RIGHTS, 'user'].map((k) => [k, r[k] ?? null]));
    return { frappe: frappe.map(pick), ours: ours.map(pick) };
  };

  beforeAll(async () => {
    oracle = await startOracle();
    await oracle.must({ op: 'reset', doctypes: [SHARED, PLAIN] });
    for (const user of [OTHER, ...SCENARIOS.map((s) => s.user)]) await oracle.must({ op: 'run_as', user, roles: ROLES, request: { op: 'ping' } });
  }, 300_000);
  afterAll(async () => oracle?.close());

  it.each(SCENARIOS)('$title', async ({ user, share, frappe: expected }) => {
    const draft = `${user}-draft`;
    const submitted = `${user}-submitted`;
    await both('Cl Share Doc', draft);
    await both('Cl Share Doc', submitted, true);
    for (const name of [draft, submitted]) {
      expect(await shareBoth('Cl Share Doc', name, user, share)).toEqual({ frappe: 'ok', ours: 'ok' });
      const rows = await storedShares('Cl Share Doc', name);
      expect(rows.ours, `DocShare of ${name}`).toEqual(rows.frappe);
    }
    const asUser = (request: Record<string, unknown>) => oracle.request({ op: 'run_as', user, roles: ROLES, request: { ...request, rollback: true } });
    const u = { name: user, roles: ROLES };
    const dry = { dry_run: true };
    const seen: Record<string, string | null> = {};
    const check = async (what: string, frappe: OracleResponse, ours: string) => {
      seen[what] = outcome(frappe);
      expect(ours, `${what}: ${frappe.message}`).toBe(outcome(frappe));
    };
    await check('get', await asUser({ op: 'get', doctype: 'Cl Share Doc', name: draft }),
      await mine({ operation: 'takeone', source_doctype: 'Cl Share Doc', input: { data: { name: draft } }, user: u }));
    await check('list', await asUser({ op: 'get_list', doctype: 'Cl Share Doc' }),
      await mine({ operation: 'select', source_doctype: 'Cl Share Doc', user: u }));
    await check('save', await asUser({ op: 'save', doctype: 'Cl Share Doc', name: draft, changes: { notes: 'n' } }),
      await mine({ operation: 'update', target_doctype: 'Cl Share Doc', input: { data: { name: draft, notes: 'n' } }, user: u, options: dry }));
    await check('submit', await asUser({ op: 'submit', doctype: 'Cl Share Doc', name: draft }),
      await mine({ operation: 'submit', target_doctype: 'Cl Share Doc', input: { data: { name: draft } }, user: u, options: dry }));
    await check('share further', await asUser({ op: 'call', method: 'frappe.share.add', args: ['Cl Share Doc', draft], kwargs: { user: OTHER } }),
      await mine({ operation: 'share', target_doctype: 'Cl Share Doc', input: { data: { name: draft, user: OTHER } }, user: u, options: dry }));
    await check('delete', await asUser({ op: 'delete', doctype: 'Cl Share Doc', name: draft }),
      await mine({ operation: 'delete', target_doctype: 'Cl Share Doc', input: { data: { name: draft } }, user: u, options: dry }));
    await check('cancel', await asUser({ op: 'cancel', doctype: 'Cl Share Doc', name: submitted }),
      await mine({ operation: 'cancel', target_doctype: 'Cl Share Doc', input: { data: { name: submitted } }, user: u, options: dry }));
    expect(Object.values(seen)).toEqual(expected);
  }, 120_000);

  it('a DocShare document inserted with submit alone: Frappe stores write and read with it; both grant save and submit', async () => {
    const user = 'cl-share-5@x.com';
    await oracle.must({ op: 'run_as', user, roles: ROLES, request: { op: 'ping' } });
    const name = `${user}-direct`;
    await both('Cl Share Doc', name);
    const share = { doctype: 'DocShare', user, share_doctype: 'Cl Share Doc', share_name: name, read: 0, write: 0, submit: 1, share: 0, everyone: 0 };
    await oracle.must({ op: 'insert', doc: share });
    expect(await mine({ operation: 'create', target_doctype: 'DocShare', input: { data: share } })).toBe('ok');
    const rows = await storedShares('Cl Share Doc', name);
    expect(rows.frappe).toEqual([{ read: 1, write: 1, submit: 1, share: 0, everyone: 0, user }]);
    const u = { name: user, roles: ROLES };
    const asUser = (request: Record<string, unknown>) => oracle.request({ op: 'run_as', user, roles: ROLES, request: { ...request, rollback: true } });
    expect(outcome(await asUser({ op: 'get_list', doctype: 'Cl Share Doc' }))).toBe('ok');
    expect(await mine({ operation: 'select', source_doctype: 'Cl Share Doc', user: u })).toBe('ok');
    expect(outcome(await asUser({ op: 'save', doctype: 'Cl Share Doc', name, changes: { notes: 'n' } }))).toBe('ok');
    expect(await mine({ operation: 'update', target_doctype: 'Cl Share Doc', input: { data: { name, notes: 'n' } }, user: u, options: { dry_run: true } })).toBe('ok');
    expect(outcome(await asUser({ op: 'submit', doctype: 'Cl Share Doc', name }))).toBe('ok');
    expect(await mine({ operation: 'submit', target_doctype: 'Cl Share Doc', input: { data: { name } }, user: u, options: { dry_run: true } })).toBe('ok');
  }, 60_000);

  it('a submit share of a DocType that is not submittable is refused', async () => {
    await both('Cl Share Plain', 'plain-1');
    const r = await shareBoth('Cl Share Plain', 'plain-1', OTHER, { submit: 1 });
    expect(r.ours).toBe(r.frappe);
    const rows = await storedShares('Cl Share Plain', 'plain-1');
    expect(rows.ours).toEqual(rows.frappe);
  }, 60_000);
});
