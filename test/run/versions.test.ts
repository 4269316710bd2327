/**
 * track_changes (`Document.save_version`, frappe/core/doctype/version/version.py): a Version per save of ERPNext's
 * Sales Order with Frappe's diff shape, written in the save's transaction, and `engine.history()` oldest first,
 * on memory, PGlite, SQLite and a PostgreSQL server (when COWORKER_PG_URL is set).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, fixedClock, memoryAdapter, sequentialIds, versionData, type StorageAdapter } from '../../src/index';
import { pgliteAdapter } from '../../src/pglite';
import { sqliteAdapter } from '../../src/sqlite';
import { appDoctypes } from '../helpers/frappe-apps';
import { onServer } from '../storage-pg/server';
import { sqlJs } from '../storage-sqlite/helpers';

type Doc = Record<string, unknown>;
const ADMIN = { name: 'Administrator', roles: [] as string[] };

/** ERPNext's Sales Order, its child DocTypes and Frappe's Version, as the apps ship them. */
export function salesOrderDoctypes(extra: readonly string[] = []): unknown[] {
  const all = appDoctypes() as Doc[];
  const byName = new Map(all.map((d) => [d.name as string, d]));
  const so = byName.get('Sales Order')!;
  const children = (so.fields as Doc[]).filter((f) => f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect').map((f) => byName.get(f.options as string)!);
  return [...children, so, byName.get('Version')!, ...extra.map((n) => byName.get(n)!)];
}

const ORDER = {
  naming_series: 'SAL-ORD-.YYYY.-', customer: 'Acme', order_type: 'Sales', company: 'Acme Inc', transaction_date: '2024-03-05',
  delivery_date: '2024-03-20', currency: 'USD', conversion_rate: 1, selling_price_list: 'Standard Selling', price_list_currency: 'USD',
  plc_conversion_rate: 1, status: 'Draft',
  items: [
    { item_code: 'WIDGET', item_name: 'Widget', qty: 2, rate: 10, uom: 'Nos', conversion_factor: 1, delivery_date: '2024-03-20' },
    { item_code: 'GADGET', item_name: 'Gadget', qty: 1, rate: 20, uom: 'Nos', conversion_factor: 1, delivery_date: '2024-03-20' },
  ],
};

function ok(r: { error: unknown; output: { data: readonly Doc[] } | null }): Doc {
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data[0]!;
}

async function scenario(adapter: StorageAdapter): Promise<void> {
  const engine = createEngine({
    doctypes: salesOrderDoctypes(), adapter, user: ADMIN, unknownLinks: 'skip', clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(),
  });
  const so = ok(await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } }));
  const name = so.name as string;
  // An insert records nothing (no updater_reference).
  expect(await engine.history('Sales Order', name)).toEqual([]);

  const [widget, gadget] = so.items as Doc[];
  // The edit: a field set, the first row's qty changed, the second row removed, a row added.
  const edited = ok(await engine.run({
    operation: 'update', target_doctype: 'Sales Order',
    input: { data: { name, po_no: 'PO-77', items: [{ ...widget, qty: 5 }, { item_code: 'BOLT', item_name: 'Bolt', qty: 3, rate: 1, uom: 'Nos', conversion_factor: 1, delivery_date: '2024-03-20' }] } },
  }));
  const added = (edited.items as Doc[])[1]!;
  let history = await engine.history('Sales Order', name);
  expect(history).toHaveLength(1);
  const v1 = history[0]!;
  expect(v1).toMatchObject({ ref_doctype: 'Sales Order', docname: name, owner: 'Administrator', docstatus: 0 });
  expect(typeof v1.data).toBe('string');
  const d1 = versionData(v1);
  expect(d1.changed).toEqual([['po_no', null, 'PO-77']]);
  expect(d1.row_changed).toEqual([['items', 0, widget!.name, [['qty', '2', '5']]]]);
  expect(d1.added).toHaveLength(1);
  expect(d1.added[0]![0]).toBe('items');
  expect(d1.added[0]![1]).toMatchObject({ name: added.name, item_code: 'BOLT', qty: 3, idx: 2, parent: name, parentfield: 'items' });
  expect(d1.removed).toHaveLength(1);
  expect(d1.removed[0]![1]).toMatchObject({ name: gadget!.name, item_code: 'GADGET', qty: 1 });
  expect(d1).toMatchObject({ data_import: null, updater_reference: null });
  // Frappe's as_json: keys sorted, no spaces.
  expect((v1.data as string).startsWith('{"added":[["items",{')).toBe(true);

  // A save that changes nothing records nothing.
  ok(await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, po_no: 'PO-77' } } }));
  expect(await engine.history('Sales Order', name)).toHaveLength(1);
  // A refused save records nothing (same transaction).
  const bad = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, po_no: 'PO-78', order_type: 'Nonsense' } } });
  expect(bad.error?.code).toBe('VALIDATION');
  expect(await engine.history('Sales Order', name)).toHaveLength(1);
  // A dry run records nothing either.
  ok(await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, po_no: 'PO-79' } }, options: { dry_run: true } }));
  expect(await engine.history('Sales Order', name)).toHaveLength(1);

  ok(await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name } } }));
  ok(await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name } } }));
  const amended = ok(await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name } } }));
  history = await engine.history('Sales Order', name);
  expect(history.map((v) => versionData(v).changed.find((c) => c[0] === 'docstatus'))).toEqual([undefined, ['docstatus', 0, 1], ['docstatus', 1, 2]]);
  // Oldest first.
  const creations = history.map((v) => String(v.creation));
  expect([...creations].sort()).toEqual(creations);

  // The amendment is compared with the document it amends: its rows are all new (Frappe matches `_amended_from`, never set).
  const amendHistory = await engine.history('Sales Order', amended.name as string);
  expect(amendHistory).toHaveLength(1);
  const d4 = versionData(amendHistory[0]!);
  expect(d4.changed).toEqual(expect.arrayContaining([['amended_from', null, name], ['name', name, amended.name], ['docstatus', 2, 0]]));
  expect(d4.added.map(([t, r]) => [t, r.item_code])).toEqual([['items', 'WIDGET'], ['items', 'BOLT']]);
  expect(d4.removed.map(([t, r]) => [t, r.item_code])).toEqual([['items', 'WIDGET'], ['items', 'BOLT']]);
  expect(d4.row_changed).toEqual([]);

  // Permission: reading the document. A user who cannot read Sales Orders gets the read's error.
  await expect(engine.history('Sales Order', name, { name: 'nobody@x.com', roles: ['Guest'] })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  await expect(engine.history('Sales Order', 'SAL-ORD-NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(engine.history('Sales Order', name, { name: 's@x.com', roles: ['Sales User'] })).resolves.toHaveLength(3);
  // Versions are not versioned.
  expect(await adapter.count('Version', { ref_doctype: 'Version' })).toBe(0);
}

describe('track_changes: Versions of an ERPNext Sales Order', () => {
  it('the Version is written after on_update and before on_change (run_post_save_methods), in the save\'s transaction', async () => {
    const seen: Record<string, number> = {};
    const count = (hook: string) => async (ctx: { db: { count(d: string, f?: Record<string, unknown>): Promise<number> }; doc: Doc }) => {
      seen[hook] = await ctx.db.count('Version', { docname: ctx.doc.name as string });
    };
    const engine = createEngine({
      doctypes: salesOrderDoctypes(), user: ADMIN, unknownLinks: 'skip',
      controllers: { 'Sales Order': { on_update: count('on_update'), on_change: count('on_change') } },
    });
    const so = ok(await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } }));
    ok(await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, po_no: 'X' } } }));
    expect(seen).toEqual({ on_update: 0, on_change: 1 });
    // ignore_version (Frappe's doc.flags.ignore_version), when the engine allows the flag.
    const flagged = createEngine({ doctypes: salesOrderDoctypes(), user: ADMIN, unknownLinks: 'skip', adapter: engine.adapter, allowFlags: ['ignore_version'] });
    ok(await flagged.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, po_no: 'Z' } }, options: { flags: { ignore_version: true } } }));
    expect(await engine.history('Sales Order', so.name as string)).toHaveLength(1);
    ok(await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, po_no: 'X' } } }));
    expect(await engine.history('Sales Order', so.name as string)).toHaveLength(2);
    // A failing on_change rolls the Version back with the save.
    const failing = createEngine({
      doctypes: salesOrderDoctypes(), user: ADMIN, unknownLinks: 'skip', adapter: engine.adapter,
      controllers: { 'Sales Order': { on_change: (ctx) => ctx.throw('no') } },
    });
    const r = await failing.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, po_no: 'Y' } } });
    expect(r.error?.code).toBe('VALIDATION');
    expect(await engine.history('Sales Order', so.name as string)).toHaveLength(2);
  }, 60_000);

  it('on memory', async () => {
    await scenario(memoryAdapter());
  }, 60_000);

  it('on PGlite', async () => {
    const adapter = pgliteAdapter();
    try {
      await scenario(adapter);
    } finally {
      await adapter.close?.();
    }
  }, 120_000);

  it('on SQLite (sql.js)', async () => {
    await scenario(sqliteAdapter({ sqlJs: await sqlJs() }));
  }, 60_000);

  it('a Single (HR Settings tracks changes): its first save is compared with its defaults, as Frappe loads them', async () => {
    const hr = (appDoctypes() as Doc[]).find((d) => d.name === 'HR Settings')!;
    const engine = createEngine({ doctypes: [hr], user: ADMIN, unknownLinks: 'skip' });
    const templates = { leave_approval_notification_template: 'Approval', leave_status_notification_template: 'Status' };
    ok(await engine.run({ operation: 'update', target_doctype: 'HR Settings', input: { data: { frequency: 'Monthly', ...templates } } }));
    ok(await engine.run({ operation: 'update', target_doctype: 'HR Settings', input: { data: { frequency: 'Weekly', send_birthday_reminders: 0 } } }));
    const history = await engine.history('HR Settings', 'HR Settings');
    expect(history.map((v) => versionData(v).changed.filter(([f]) => f === 'frequency' || f === 'send_birthday_reminders'))).toEqual([
      [['frequency', 'Weekly', 'Monthly']], // from its default, never saved before
      [['send_birthday_reminders', 1, 0], ['frequency', 'Monthly', 'Weekly']], // in field order
    ]);
    expect(history.every((v) => v.docname === 'HR Settings')).toBe(true);
  });

  it('a DocType without track_changes records nothing; the Version DocType joins the registry only when needed', async () => {
    const todo = { name: 'Wt Note', module: 'Custom', autoname: 'hash', fields: [{ fieldname: 'body', fieldtype: 'Data', label: 'Body' }], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }] };
    const plain = createEngine({ doctypes: [todo], user: ADMIN });
    expect(plain.registry.has('Version')).toBe(false);
    const r = ok(await plain.run({ operation: 'create', target_doctype: 'Wt Note', input: { data: { body: 'a' } } }));
    ok(await plain.run({ operation: 'update', target_doctype: 'Wt Note', input: { data: { name: r.name, body: 'b' } } }));
    expect(await plain.history('Wt Note', r.name as string)).toEqual([]);
    // Frappe's own version.json (no index; Frappe adds one in on_doctype_update) gets docname indexed, as the built-in.
    const docname = (e: ReturnType<typeof createEngine>) => e.registry.get('Version').fields.find((x) => x.fieldname === 'docname') as unknown as Record<string, unknown>;
    expect(docname(createEngine({ doctypes: salesOrderDoctypes() })).search_index).toBe(1);
    const tracked = createEngine({ doctypes: [{ ...todo, track_changes: 1 }], user: ADMIN });
    expect(docname(tracked).search_index).toBe(1);
    expect(tracked.registry.get('Version').fields.map((f) => f.fieldname)).toEqual(['ref_doctype', 'column_break_3', 'docname', 'data', 'section_break_4', 'table_html']);
    const t = ok(await tracked.run({ operation: 'create', target_doctype: 'Wt Note', input: { data: { body: 'a' } } }));
    ok(await tracked.run({ operation: 'update', target_doctype: 'Wt Note', input: { data: { name: t.name, body: 'ü' } } }));
    const [v] = await tracked.history('Wt Note', t.name as string);
    // ensure_ascii, as Frappe's as_json writes it.
    expect(v!.data).toBe('{"added":[],"changed":[["body","a","\\u00fc"]],"data_import":null,"removed":[],"row_changed":[],"updater_reference":null}');
  });
});

onServer('track_changes on a PostgreSQL server', 'Versions of an ERPNext Sales Order', 'versions', (adapter) => scenario(adapter));
