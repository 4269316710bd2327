/**
 * User Permissions and sharing, asked of real Frappe v15 (the oracle) and of coworker with the same DocTypes,
 * documents, stored `User Permission` records and DocShares: the same names are listed (`get_list` / `select`)
 * and the same documents open (`get` / `takeone`) or are refused, and shared writes pass or fail alike.
 * Gated on FRAPPE_ORACLE=1 (the oracle's README).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import { sharedRoot } from '../helpers/paths';
import { REGIONS, SEC_CUSTOMER, SEC_ORDER, SEC_ORDER_LINE, SEC_REGION, SECURITY_DOCTYPES } from '../run/security-doctypes';

interface Reply { ok: boolean; docs?: Record<string, unknown>[]; doc?: Record<string, unknown>; value?: Record<string, unknown>; exc_type: string | null; message: string | null }
interface Oracle {
  must(req: Record<string, unknown>): Promise<Reply>;
  request(req: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void> | void;
}

const ADMIN = { name: 'Administrator', roles: [] as string[] };
const ORDERS = [
  { title: 'o-1', customer: 'Acme', region: 'North East' },
  { title: 'o-2', customer: 'Beta', region: 'South' },
  { title: 'o-3', region: 'North West' },
  { title: 'o-4', customer: 'Acme', region: 'North' },
];
const DOCS = ORDERS.map((o) => o.title);

interface Scenario {
  readonly title: string;
  readonly user: string;
  readonly roles: readonly string[];
  readonly permissions?: readonly Record<string, unknown>[];
  readonly shares?: readonly { name: string; everyone?: 1; write?: 1; submit?: 1 }[];
  /** A write to try: update of this order's notes. */
  readonly write?: string;
}

const SCENARIOS: Scenario[] = [
  { title: 'User Permission on a Link (non-strict: empty Links pass)', user: 'up1@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Customer', for_value: 'Acme' }], write: 'o-2' },
  { title: 'a tree node allows its descendants', user: 'up2@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Region', for_value: 'North' }], write: 'o-1' },
  { title: 'hide_descendants allows the node only', user: 'up3@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Region', for_value: 'North', hide_descendants: 1 }], write: 'o-1' },
  { title: 'applicable_for restricts one DocType', user: 'up4@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Customer', for_value: 'Beta', apply_to_all_doctypes: 0, applicable_for: 'Sec Order' }] },
  { title: 'two records of one DocType', user: 'up5@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Customer', for_value: 'Acme' }, { allow: 'Sec Customer', for_value: 'Beta' }] },
  { title: 'a read share to a user without roles on the DocType', user: 'sh1@x.com', roles: ['Sec Nobody'], shares: [{ name: 'o-2' }], write: 'o-2' },
  { title: 'a write share', user: 'sh2@x.com', roles: ['Sec Nobody'], shares: [{ name: 'o-3', write: 1 }], write: 'o-3' },
  { title: 'a share adds to a User-Permission-restricted list', user: 'sh3@x.com', roles: ['Sec User'], permissions: [{ allow: 'Sec Customer', for_value: 'Acme' }], shares: [{ name: 'o-2', write: 1 }], write: 'o-2' },
  { title: 'an everyone share', user: 'sh4@x.com', roles: ['Sec Nobody'], shares: [{ name: 'o-1', everyone: 1 }] },
];

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('User Permissions and shares vs Frappe v15', () => {
  let oracle: Oracle;
  let engine: Engine;
  beforeAll(async () => {
    const client = (await import(path.join(sharedRoot, 'frappe-oracle/client.mjs'))) as { FrappeOracle: { start(o: { dir: string }): Promise<Oracle> } };
    oracle = await client.FrappeOracle.start({ dir: path.join(sharedRoot, 'frappe-oracle') });
    // The roles must exist before DocTypes name them (run_as makes missing roles).
    await oracle.must({ op: 'run_as', user: 'sec-setup@x.com', roles: ['Sec User', 'Sec Reader', 'Sec Owner', 'Sec Nobody'], request: { op: 'ping' } });
    await oracle.must({ op: 'reset', doctypes: [SEC_REGION, SEC_CUSTOMER, SEC_ORDER_LINE, SEC_ORDER] });
    engine = createEngine({ doctypes: SECURITY_DOCTYPES, adapter: memoryAdapter(), user: ADMIN, unknownLinks: 'skip' });
    const both = async (doctype: string, doc: Record<string, unknown>) => {
      const { lft: _l, rgt: _r, ...forFrappe } = doc; // Frappe's NestedSet numbers the tree itself
      await oracle.must({ op: 'insert', doc: { doctype, ...forFrappe } });
      const r = await engine.run({ operation: 'create', target_doctype: doctype, input: { data: doc } });
      if (!r.success) throw new Error(r.error!.message);
    };
    for (const region of REGIONS) await both('Sec Region', region);
    await both('Sec Customer', { customer_name: 'Acme', region: 'North' });
    await both('Sec Customer', { customer_name: 'Beta', region: 'South' });
    for (const order of ORDERS) await both('Sec Order', order);
    const tree = await oracle.must({ op: 'get_list', doctype: 'Sec Region', fields: ['name', 'lft', 'rgt'], order_by: 'lft asc' });
    expect(tree.docs).toEqual(REGIONS.map((r) => ({ name: r.region_name, lft: r.lft, rgt: r.rgt })));
  }, 300_000);
  afterAll(async () => {
    await oracle?.close();
  });

  it.each(SCENARIOS)('$title', async (s) => {
    const user = { name: s.user, roles: [...s.roles] };
    const asUser = (request: Record<string, unknown>) => oracle.request({ op: 'run_as', user: s.user, roles: s.roles, request });
    await asUser({ op: 'ping' }); // the user exists before records link to it
    const made: [string, string][] = [];
    for (const p of s.permissions ?? []) {
      const doc = { user: s.user, ...p };
      made.push(['User Permission', String((await oracle.must({ op: 'insert', doc: { doctype: 'User Permission', ...doc } })).doc!.name)]);
      expect((await engine.run({ operation: 'create', target_doctype: 'User Permission', input: { data: doc } })).error).toBeNull();
    }
    for (const sh of s.shares ?? []) {
      const kwargs = { user: sh.everyone ? null : s.user, everyone: sh.everyone ?? 0, write: sh.write ?? 0, submit: sh.submit ?? 0 };
      const added = await oracle.must({ op: 'call', method: 'frappe.share.add', args: ['Sec Order', sh.name], kwargs });
      made.push(['DocShare', String(added.value!.name)]);
      expect((await engine.run({ operation: 'share', target_doctype: 'Sec Order', input: { data: { name: sh.name, ...kwargs, user: kwargs.user ?? undefined } } })).error).toBeNull();
    }
    try {
      for (const doctype of ['Sec Order', 'Sec Customer', 'Sec Region']) {
        const frappe = await asUser({ op: 'get_list', doctype, order_by: 'name asc', limit_page_length: 0 });
        const ours = await engine.run({ operation: 'select', source_doctype: doctype, user, query: { orderBy: [{ name: 'asc' }] } });
        const theirs = frappe.ok ? frappe.docs!.map((d) => d.name) : frappe.exc_type;
        expect(ours.success ? ours.output!.data.map((d) => d.name) : 'PermissionError', `${doctype} list`).toEqual(theirs);
      }
      for (const name of DOCS) {
        const frappe = await asUser({ op: 'get', doctype: 'Sec Order', name });
        const ours = await engine.run({ operation: 'takeone', source_doctype: 'Sec Order', input: { data: { name } }, user });
        expect(ours.success ? null : 'PermissionError', `get ${name}`).toBe(frappe.ok ? null : frappe.exc_type);
      }
      if (s.write) {
        const frappe = await asUser({ op: 'save', doctype: 'Sec Order', name: s.write, changes: { notes: `by ${s.user}` }, rollback: true });
        const ours = await engine.run({ operation: 'update', target_doctype: 'Sec Order', input: { data: { name: s.write, notes: `by ${s.user}` } }, user, options: { dry_run: true } });
        expect(ours.success ? null : 'PermissionError', `save ${s.write}`).toBe(frappe.ok ? null : frappe.exc_type);
      }
    } finally {
      for (const [doctype, name] of made) await oracle.request({ op: 'delete', doctype, name });
      for (const dt of ['User Permission', 'DocShare']) for (const d of await engine.adapter.query(dt, {})) await engine.adapter.delete(dt, String(d.name));
    }
  }, 120_000);

  it('Password secrets: Frappe decrypts what coworker stored with the site key, and coworker decrypts Frappe\'s tokens', async () => {
    const siteKey = String((await oracle.must({ op: 'call', method: 'frappe.utils.password.get_encryption_key' })).value);
    const SECRET_DT = {
      name: 'Sec Secret', module: 'Custom', autoname: 'field:label', permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
      fields: [{ fieldname: 'label', fieldtype: 'Data', reqd: 1 }, { fieldname: 'secret', fieldtype: 'Password' }],
    };
    const adapter = memoryAdapter();
    const withKey = createEngine({ doctypes: [SECRET_DT], adapter, user: ADMIN, encryptionKey: siteKey });
    expect((await withKey.run({ operation: 'create', target_doctype: 'Sec Secret', input: { data: { label: 'a', secret: 'pässwörd-1' } } })).error).toBeNull();
    const [row] = await adapter.query('__Auth', {});
    expect(row).toMatchObject({ encrypted: 1 });
    expect((await oracle.must({ op: 'call', method: 'frappe.utils.password.decrypt', args: [row!.password] })).value).toBe('pässwörd-1');
    const token = String((await oracle.must({ op: 'call', method: 'frappe.utils.password.encrypt', args: ['from frappe'] })).value);
    await adapter.update('__Auth', { ...row!, password: token }, String(row!.modified));
    expect(await withKey.getPassword('Sec Secret', 'a', 'secret')).toBe('from frappe');
  }, 60_000);
});
