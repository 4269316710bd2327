/**
 * The `rename` and `copy` operations on real ERPNext / Frappe DocTypes of `../shared/frappe-apps` (Customer,
 * Sales Order, Contact and Address with their Dynamic Link rows, Delivery Trip with Delivery Stop rows, the
 * Customer Group tree), run on any storage adapter: test files call {@link renameCopySuite} per adapter.
 * Documents are seeded through the adapter (the tests are about rename and copy, not about creating
 * ERPNext documents with all their mandatory fields).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/index';
import type { DocData } from '../../src/doc/types';
import type { StorageAdapter } from '../../src/storage/types';
import type { RunRecord } from '../../src/run/types';
import { appDoctypes } from '../helpers/frappe-apps';
import { nestedSetProblem } from '../../src/run/tree-nsm';

const ADMIN = { name: 'Administrator', roles: ['Administrator'] };
/** Customer: write, no delete. */
const SALES_USER = { name: 'su@example.com', roles: ['Sales User'] };
/** Customer: read only. */
const SALES_MANAGER = { name: 'sm@example.com', roles: ['Sales Manager'] };
/** Customer: write and delete. */
const MASTER_MANAGER = { name: 'smm@example.com', roles: ['Sales Master Manager'] };

const T0 = '2024-01-02 10:00:00.000000';

/** The named DocTypes with every child DocType of their Table fields. */
export function doctypesFor(names: readonly string[]): Record<string, unknown>[] {
  const all = appDoctypes() as Record<string, unknown>[];
  const byName = new Map(all.map((j) => [j.name as string, j]));
  const out = new Map<string, Record<string, unknown>>();
  const visit = (name: string) => {
    const json = byName.get(name);
    if (!json || out.has(name)) return;
    out.set(name, json);
    for (const f of json.fields as { fieldtype: string; options?: string }[]) {
      if ((f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect') && f.options) visit(f.options);
    }
  };
  names.forEach(visit);
  return [...out.values()];
}

export const RENAME_DOCTYPES = ['Customer', 'Sales Order', 'Contact', 'Address', 'Delivery Trip', 'Customer Group', 'ToDo', 'Selling Settings'];

const base = { owner: 'Administrator', modified_by: 'Administrator', creation: T0, modified: T0, docstatus: 0 };

function customer(name: string, extra: Record<string, unknown> = {}): DocData {
  return { ...base, name, customer_name: name, customer_type: 'Company', naming_series: 'CUST-.YYYY.-', ...extra };
}

function salesOrder(name: string, customerName: string, docstatus = 0): DocData {
  return {
    ...base, name, docstatus, naming_series: 'SAL-ORD-.YYYY.-', customer: customerName, order_type: 'Sales', company: 'Co',
    transaction_date: '2024-01-02', delivery_date: '2024-02-01', currency: 'EUR', status: docstatus ? 'To Deliver and Bill' : 'Draft', per_billed: 10,
    items: [
      { name: `${name}-r1`, idx: 1, item_code: 'WIDGET', item_name: 'Widget', qty: 2, uom: 'Nos', conversion_factor: 1, delivered_qty: 1, delivery_date: '2024-02-01' },
      { name: `${name}-r2`, idx: 2, item_code: 'GADGET', item_name: 'Gadget', qty: 1, uom: 'Nos', conversion_factor: 1 },
    ],
  };
}

/** Seed the documents every test starts from. */
async function seed(adapter: StorageAdapter): Promise<void> {
  await adapter.insert('Customer Group', { ...base, name: 'All Customer Groups', customer_group_name: 'All Customer Groups', is_group: 1 });
  await adapter.insert('Customer Group', { ...base, name: 'Commercial', customer_group_name: 'Commercial', is_group: 0, parent_customer_group: 'All Customer Groups' });
  await adapter.insert('Customer Group', { ...base, name: 'Retail', customer_group_name: 'Retail', is_group: 0, parent_customer_group: 'All Customer Groups' });
  await adapter.insert('Customer', customer('CUST-A', {
    customer_group: 'Commercial', credit_limits: [{ name: 'ccl-a1', company: 'Co', credit_limit: 100 }], _assign: '["u1@example.com", "u2@example.com"]',
  }));
  // A Single linking to a Customer Group (update_link_field_values saves Singles as documents).
  await adapter.insert('Selling Settings', { ...base, name: 'Selling Settings', customer_group: 'Commercial', cust_master_name: 'Customer Name' });
  await adapter.insert('Customer', customer('CUST-B', { customer_group: 'Commercial', _assign: '["u2@example.com"]' }));
  for (const [name, owner] of [['todo-1', 'u1@example.com'], ['todo-2', 'u2@example.com']] as const) {
    await adapter.insert('ToDo', { ...base, name, owner, allocated_to: owner, status: 'Open', description: 'Call', reference_type: 'Customer', reference_name: 'CUST-A' });
  }
  await adapter.insert('Sales Order', salesOrder('SO-1', 'CUST-A'));
  await adapter.insert('Sales Order', salesOrder('SO-2', 'CUST-A', 1));
  await adapter.insert('Sales Order', salesOrder('SO-3', 'CUST-B'));
  await adapter.insert('Contact', {
    ...base, name: 'Jane', first_name: 'Jane',
    links: [
      { name: 'dl-1', idx: 1, link_doctype: 'Customer', link_name: 'CUST-A' },
      // Same name, other DocType: a Dynamic Link to another DocType is never touched.
      { name: 'dl-2', idx: 2, link_doctype: 'Supplier', link_name: 'CUST-A' },
    ],
  });
  await adapter.insert('Address', {
    ...base, name: 'Jane-Billing', address_title: 'Jane', address_type: 'Billing', address_line1: 'Main St 1', city: 'Town', country: 'Germany',
    links: [{ name: 'dl-3', idx: 1, link_doctype: 'Customer', link_name: 'CUST-A' }],
  });
  await adapter.insert('Delivery Trip', {
    ...base, name: 'TRIP-1', naming_series: 'MAT-DT-.YYYY.-', company: 'Co', departure_time: '2024-01-03 08:00:00', driver: null,
    delivery_stops: [
      { name: 'stop-1', idx: 1, customer: 'CUST-A' },
      { name: 'stop-2', idx: 2, customer: 'CUST-B' },
    ],
  });
}

/** Every document of the seeded DocTypes, for "storage is unchanged" checks. */
async function dump(adapter: StorageAdapter): Promise<Record<string, readonly DocData[]>> {
  const out: Record<string, readonly DocData[]> = {};
  for (const dt of ['Customer', 'Sales Order', 'Contact', 'Address', 'Delivery Trip', 'Customer Group', 'ToDo']) {
    out[dt] = await adapter.query(dt, { withChildren: true });
  }
  return out;
}

const rename = (engine: Engine, doctype: string, old: string, newName: unknown, merge = false, user = ADMIN, options: Record<string, unknown> = {}) =>
  engine.run({ operation: 'rename', target_doctype: doctype, input: { data: { name: old }, new_name: newName, merge }, user, options });

function ok(r: RunRecord): DocData {
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  expect(r.success).toBe(true);
  return r.output!.data[0] as DocData;
}

/**
 * The suite on one adapter.
 * @param name - the adapter's title
 * @param makeAdapter - a fresh, empty adapter per test
 */
export function renameCopySuite(name: string, makeAdapter: () => StorageAdapter | Promise<StorageAdapter>, opts: { cleanup?: (a: StorageAdapter) => Promise<void> } = {}): void {
  const doctypes = doctypesFor(RENAME_DOCTYPES);
  async function setup(): Promise<{ engine: Engine; adapter: StorageAdapter; events: RunRecord[] }> {
    const adapter = await makeAdapter();
    const engine = createEngine({ doctypes, adapter, user: ADMIN });
    await engine.ready();
    await seed(adapter);
    const events: RunRecord[] = [];
    engine.on('after', (r) => events.push(r));
    engine.on('error', (r) => events.push(r));
    return { engine, adapter, events };
  }
  const done = async (a: StorageAdapter) => opts.cleanup?.(a);

  describe(`rename on ${name}`, () => {
    it('renames a Customer: the document, its rows, Links in Sales Orders and Delivery Stop rows, Dynamic Links of Contact and Address', async () => {
      const { engine, adapter, events } = await setup();
      const r = await rename(engine, 'Customer', 'CUST-A', 'Acme Ltd');
      const doc = ok(r);
      expect(doc.name).toBe('Acme Ltd');
      expect(r.docname).toBe('Acme Ltd');
      expect(r.output!.meta).toMatchObject({ doctype: 'Customer', name: 'Acme Ltd', old_name: 'CUST-A', merge: false, action: 'rename' });
      expect(r.output!.meta.updated).toMatchObject({ 'Sales Order.customer': 2, 'Delivery Stop.customer': 1, 'Dynamic Link.link_name': 2, 'ToDo.reference_name': 2 });
      expect(events.map((e) => [e.operation, e.success])).toEqual([['rename', true]]);

      expect(await adapter.exists('Customer', 'CUST-A')).toBe(false);
      const moved = (await adapter.get('Customer', 'Acme Ltd'))!;
      // Frappe's rename changes no `modified` anywhere (update_modified=False), and keeps the document's values.
      expect(moved).toMatchObject({ customer_name: 'CUST-A', creation: T0, modified: T0, customer_group: 'Commercial' });
      expect(moved.credit_limits).toMatchObject([{ name: 'ccl-a1', parent: 'Acme Ltd', parenttype: 'Customer', credit_limit: 100 }]);

      for (const so of ['SO-1', 'SO-2']) expect(await adapter.get('Sales Order', so)).toMatchObject({ customer: 'Acme Ltd', modified: T0 });
      expect((await adapter.get('Sales Order', 'SO-2'))!.docstatus).toBe(1);
      expect((await adapter.get('Sales Order', 'SO-3'))!.customer).toBe('CUST-B');
      const trip = (await adapter.get('Delivery Trip', 'TRIP-1'))!;
      expect((trip.delivery_stops as DocData[]).map((s) => s.customer)).toEqual(['Acme Ltd', 'CUST-B']);
      expect(trip.modified).toBe(T0);
      const contact = (await adapter.get('Contact', 'Jane'))!;
      expect((contact.links as DocData[]).map((l) => [l.link_doctype, l.link_name])).toEqual([['Customer', 'Acme Ltd'], ['Supplier', 'CUST-A']]);
      expect(((await adapter.get('Address', 'Jane-Billing'))!.links as DocData[])[0]!.link_name).toBe('Acme Ltd');
      // The run layer reads the renamed document back.
      const read = await engine.run({ operation: 'takeone', source_doctype: 'Customer', input: { data: { name: 'Acme Ltd' } } });
      expect(ok(read).customer_name).toBe('CUST-A');
      await done(adapter);
    });

    it('merges a Customer into another: links repointed, the old one deleted', async () => {
      const { engine, adapter } = await setup();
      const r = await rename(engine, 'Customer', 'CUST-A', 'CUST-B', true, MASTER_MANAGER);
      expect(ok(r).name).toBe('CUST-B');
      expect(r.output!.meta).toMatchObject({ merge: true, old_name: 'CUST-A' });
      expect(await adapter.exists('Customer', 'CUST-A')).toBe(false);
      expect(await adapter.query('Sales Order', { where: { customer: 'CUST-B' }, fields: ['name'] })).toHaveLength(3);
      expect(await adapter.count('Sales Order', { customer: 'CUST-A' })).toBe(0);
      const stops = (await adapter.get('Delivery Trip', 'TRIP-1'))!.delivery_stops as DocData[];
      expect(stops.map((s) => s.customer)).toEqual(['CUST-B', 'CUST-B']);
      expect(((await adapter.get('Contact', 'Jane'))!.links as DocData[])[0]!.link_name).toBe('CUST-B');
      // The old document's rows went with it; the target keeps its own.
      expect(await adapter.count('Customer Credit Limit', {})).toBe(0);
      // update_assignments: both documents' users on the target; the ToDo of a user assigned to both is deleted.
      expect(JSON.parse(String((await adapter.get('Customer', 'CUST-B'))!._assign))).toEqual(['u1@example.com', 'u2@example.com']);
      expect(await adapter.query('ToDo', { fields: ['name', 'reference_name'] })).toEqual([{ name: 'todo-1', reference_name: 'CUST-B' }]);
      await done(adapter);
    });

    it('renames a tree node (Customer Group): Links from Customers follow, children get old_parent', async () => {
      const { engine, adapter } = await setup();
      ok(await rename(engine, 'Customer Group', 'All Customer Groups', 'Everyone'));
      expect((await adapter.get('Customer Group', 'Commercial'))!).toMatchObject({ parent_customer_group: 'Everyone', old_parent: 'Everyone' });
      ok(await rename(engine, 'Customer Group', 'Commercial', 'Business'));
      expect((await adapter.get('Customer', 'CUST-A'))!.customer_group).toBe('Business');
      expect(await adapter.get('Selling Settings', 'Selling Settings')).toMatchObject({ customer_group: 'Business', cust_master_name: 'Customer Name' });
      await done(adapter);
    });

    it('a merge of tree nodes renumbers the tree (NestedSet.after_rename rebuilds it)', async () => {
      const { engine, adapter } = await setup();
      ok(await rename(engine, 'Customer Group', 'Commercial', 'Retail', true));
      const nodes = (await adapter.query('Customer Group', { fields: ['name', 'parent_customer_group', 'lft', 'rgt'] }))
        .map((n) => ({ name: String(n.name), parent: (n.parent_customer_group as string | null) || null, lft: n.lft as number | null, rgt: n.rgt as number | null }));
      expect(nodes.map((n) => n.name).sort()).toEqual(['All Customer Groups', 'Retail']);
      expect(nestedSetProblem(nodes)).toBeUndefined();
      expect(nodes.find((n) => n.name === 'All Customer Groups')).toMatchObject({ lft: 1, rgt: 4 });
      expect((await adapter.get('Customer', 'CUST-A'))!.customer_group).toBe('Retail');
      await done(adapter);
    });

    it('dry_run renames nothing', async () => {
      const { engine, adapter } = await setup();
      const before = await dump(adapter);
      const r = await rename(engine, 'Customer', 'CUST-A', 'Acme Ltd', false, ADMIN, { dry_run: true });
      expect(ok(r).name).toBe('Acme Ltd');
      expect(await dump(adapter)).toEqual(before);
      await done(adapter);
    });

    it('refuses where Frappe refuses, leaving storage unchanged', async () => {
      const { engine, adapter, events } = await setup();
      const before = await dump(adapter);
      const cases: [RunRecord, string, string?][] = [
        [await rename(engine, 'Sales Order', 'SO-1', 'SO-NEW'), 'RENAME_NOT_ALLOWED', 'Sales Order not allowed to be renamed'],
        [await rename(engine, 'Customer', 'CUST-A', 'CUST-B'), 'RENAME_CONFLICT', 'Another Customer with name CUST-B exists, select another name'],
        [await rename(engine, 'Customer', 'CUST-A', 'CUST-Z', true), 'RENAME_CONFLICT', 'Customer CUST-Z does not exist, select a new target to merge'],
        [await rename(engine, 'Customer', 'CUST-A', 'CUST-A'), 'RENAME_CONFLICT', 'No changes made because old and new name are the same.'],
        [await rename(engine, 'Customer', 'NOPE', 'CUST-Q'), 'NOT_FOUND'],
        [await rename(engine, 'Customer', 'CUST-A', 'A<B'), 'INVALID_NAME', "Name cannot contain special characters like '<', '>'"],
        [await rename(engine, 'Customer', 'CUST-A', 'Customer'), 'INVALID_NAME', 'Name of Customer cannot be Customer'],
        [await rename(engine, 'Customer', 'CUST-A', ''), 'INVALID_NAME', 'No Name Specified for Customer'],
        [await rename(engine, 'Customer', 'CUST-A', 'X', false, SALES_MANAGER), 'PERMISSION_DENIED'],
        // A merge deletes the old document: write without delete is not enough.
        [await rename(engine, 'Customer', 'CUST-A', 'CUST-B', true, SALES_USER), 'PERMISSION_DENIED'],
        [await rename(engine, 'Customer Group', 'All Customer Groups', 'Retail', true), 'RENAME_CONFLICT', 'Merging is only possible between Group-to-Group or Leaf Node-to-Leaf Node'],
        [await rename(engine, 'Customer', 'CUST-A', 42), 'INVALID_RUN'],
      ];
      for (const [r, code, message] of cases) {
        expect(r.success, `${code}: ${JSON.stringify(r.error)}`).toBe(false);
        expect(r.error!.code).toBe(code);
        if (message) expect(r.error!.message).toBe(message);
      }
      expect(cases[2]![0].error!.exc).toBe('ValidationError');
      expect(cases[5]![0].error!.exc).toBe('NameError');
      expect(cases[10]![0].error!.exc).toBe('NestedSetInvalidMergeError');
      expect(events.filter((e) => !e.success)).toHaveLength(cases.length);
      expect(await dump(adapter)).toEqual(before);
      // Write without delete renames (no merge).
      expect(ok(await rename(engine, 'Customer', 'CUST-A', 'Acme', false, SALES_USER)).name).toBe('Acme');
      await done(adapter);
    });

    it('a merge of a submitted document is refused (delete_doc), a rename of one is allowed', async () => {
      const adapter = await makeAdapter();
      const renamable = doctypes.map((j) => (j.name === 'Sales Order' ? { ...j, allow_rename: 1 } : j));
      const engine = createEngine({ doctypes: renamable, adapter, user: ADMIN });
      await engine.ready();
      await seed(adapter);
      await adapter.insert('Sales Order', { ...salesOrder('SO-2-1', 'CUST-A'), items: [], amended_from: 'SO-2' });
      const merged = await rename(engine, 'Sales Order', 'SO-2', 'SO-1', true);
      expect(merged.error?.code).toBe('SUBMITTED_DOCUMENT');
      expect(merged.error?.message).toBe('Sales Order SO-2: Submitted Record cannot be deleted. You must Cancel it first.');
      const renamed = ok(await rename(engine, 'Sales Order', 'SO-2', 'SO-2-NEW'));
      expect(renamed).toMatchObject({ name: 'SO-2-NEW', docstatus: 1 });
      expect((renamed.items as DocData[]).map((i) => [i.name, i.parent])).toEqual([['SO-2-r1', 'SO-2-NEW'], ['SO-2-r2', 'SO-2-NEW']]);
      // amended_from is a Link to the DocType itself: the amendment follows.
      expect((await adapter.get('Sales Order', 'SO-2-1'))!.amended_from).toBe('SO-2-NEW');
      await done(adapter);
    });
  });

  describe(`copy on ${name}`, () => {
    it('copies a Sales Order with its rows as copy_doc does, storing nothing', async () => {
      const { engine, adapter } = await setup();
      const before = await dump(adapter);
      const r = await engine.run({ operation: 'copy', source_doctype: 'Sales Order', input: { data: { name: 'SO-2' } } });
      const copy = ok(r);
      expect(r.docname).toBeNull();
      expect(copy).toMatchObject({
        doctype: 'Sales Order', __islocal: 1, name: null, owner: null, creation: null, modified: null, modified_by: null, docstatus: null,
        amended_from: null, customer: 'CUST-A', company: 'Co', order_type: 'Sales', currency: 'EUR',
        // no_copy fields of Sales Order
        naming_series: null, transaction_date: null, delivery_date: null, status: null, per_billed: null,
      });
      const items = copy.items as DocData[];
      expect(items).toHaveLength(2);
      for (const [i, row] of items.entries()) {
        expect(row).toMatchObject({ __islocal: 1, name: null, owner: null, creation: null, modified: null, docstatus: null, idx: i + 1, parentfield: 'items', parenttype: 'Sales Order' });
      }
      expect(items[0]).toMatchObject({ item_code: 'WIDGET', qty: 2, delivered_qty: null, delivery_date: null });
      expect(await dump(adapter)).toEqual(before);

      const kept = ok(await engine.run({ operation: 'copy', source_doctype: 'Sales Order', input: { data: { name: 'SO-2' }, ignore_no_copy: true } }));
      expect(kept).toMatchObject({ name: null, transaction_date: '2024-01-02', per_billed: 10 });
      expect((kept.items as DocData[])[0]).toMatchObject({ name: null, delivered_qty: 1 });
      await done(adapter);
    });

    it('needs read on the source', async () => {
      const { engine, adapter } = await setup();
      const nobody = { name: 'x@example.com', roles: ['Supplier'] };
      const r = await engine.run({ operation: 'copy', source_doctype: 'Sales Order', input: { data: { name: 'SO-1' } }, user: nobody });
      expect(r.error?.code).toBe('PERMISSION_DENIED');
      const missing = await engine.run({ operation: 'copy', source_doctype: 'Sales Order', input: { data: { name: 'SO-404' } } });
      expect(missing.error?.code).toBe('NOT_FOUND');
      const reader = await engine.run({ operation: 'copy', source_doctype: 'Sales Order', input: { data: { name: 'SO-1' } }, user: { name: 'st@example.com', roles: ['Stock User'] } });
      expect(ok(reader).customer).toBe('CUST-A');
      await done(adapter);
    });
  });
}
