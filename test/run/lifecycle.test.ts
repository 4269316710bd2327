/**
 * The full document lifecycle of the fixture Sales Order through run(): create → draft edits → save → submit
 * → refused edit → allowed allow_on_submit edit → cancel → amend → permission refusal → stale update.
 */
import { describe, expect, it } from 'vitest';
import { flt } from '../../src/values/number';
import { withFaults } from '../../src/storage/faults';
import { memoryAdapter } from '../../src/storage/memory';
import type { DraftMeta } from '../../src/run/types';
import { appDoctypes, appEngine, seed, ORDER, SALES_USER, MANAGER } from './helpers';

const rules = {
  'Sales Order': {
    computed: [
      { field: 'amount', table: 'items', inputs: ['qty', 'rate'], compute: (row: Record<string, unknown>) => flt(row.qty) * flt(row.rate) },
      { field: 'total', inputs: ['items.amount'], compute: (doc: Record<string, unknown>) => ((doc.items as Record<string, unknown>[]) ?? []).reduce((s, r) => s + flt(r.amount), 0) },
    ],
  },
};

describe('Sales Order lifecycle', () => {
  it('create → drafts → save → submit → refused edit → allowed edit → cancel → amend', async () => {
    const engine = appEngine({ rules });
    await seed(engine);

    // A draft create opens an edit on a new document with defaults; nothing is written.
    const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { customer: 'Acme' } }, options: { draft: true } });
    expect(open.success).toBe(true);
    const opened = open.output!.meta as unknown as DraftMeta;
    expect(opened.edit.state).toBe('dirty');
    expect(open.output!.data[0]).toMatchObject({ customer: 'Acme', customer_name: 'Acme', order_type: 'Sales', transaction_date: '2024-03-05' });
    // Non-blocking issues: no items yet, and delivery_date is mandatory for order_type Sales.
    expect(opened.issues.map((i) => [i.code, i.field])).toEqual(expect.arrayContaining([['MANDATORY_TABLE', 'items'], ['MANDATORY', 'delivery_date']]));
    expect(opened.states.fields.delivery_date?.mandatory).toBe(true);
    expect(await engine.adapter.count('Sales Order')).toBe(0);

    // Second draft step on the same edit: accumulated.
    const step = await engine.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true },
      input: { data: { delivery_date: '2024-03-20', items: [{ item_code: 'ITEM-1', qty: 2 }] } },
    });
    const stepMeta = step.output!.meta as unknown as DraftMeta;
    expect(stepMeta.issues).toEqual([]);
    expect(stepMeta.edit.delta).toMatchObject({ customer: 'Acme', delivery_date: '2024-03-20' });
    expect(step.output!.data[0]).toMatchObject({ total: 19, items: [expect.objectContaining({ rate: 9.5, amount: 19, item_name: 'Widget' })] });
    expect(engine.runs.get(open.name)!.child_run_ids).toContain(step.name);

    // Save: a non-draft run with the edit as parent writes the accumulated delta.
    const saved = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
    expect(saved.error).toBeNull();
    const so = saved.output!.data[0]!;
    expect(so).toMatchObject({ name: 'SO-2024-00001', docstatus: 0, total: 19, owner: MANAGER.name });
    expect(engine.edit(open.name)?.state).toBe('saved');

    // Submit (Sales Manager has write + submit).
    const submitted = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(submitted.success).toBe(true);
    expect(submitted.output!.data[0]).toMatchObject({ docstatus: 1, items: [expect.objectContaining({ docstatus: 1 })] });

    // After submit, only allow_on_submit fields change.
    const refused = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, order_type: 'Maintenance' } } });
    expect(refused.error?.code).toBe('UPDATE_AFTER_SUBMIT');
    expect(refused.error?.issues[0]).toMatchObject({ field: 'order_type', code: 'UPDATE_AFTER_SUBMIT' });
    const allowed = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, notes: 'Leave at the back door' } } });
    expect(allowed.success).toBe(true);
    expect(allowed.output!.data[0]).toMatchObject({ notes: 'Leave at the back door', docstatus: 1 });

    // A Sales User cannot cancel (no cancel right) — refused before anything happens.
    const userCancel = await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: so.name } }, user: SALES_USER });
    expect(userCancel.error?.code).toBe('PERMISSION_DENIED');

    const cancelled = await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(cancelled.success).toBe(true);
    expect(cancelled.output!.data[0]!.docstatus).toBe(2);

    // Cancelled documents cannot change; cannot be submitted again.
    const edit = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: so.name, notes: 'x' } } });
    expect(edit.error?.code).toBe('CANCELLED_DOCUMENT');
    expect(edit.error?.message).toBe('Cannot edit cancelled document');

    // Amend: SO-2024-00001-1 with amended_from, a new draft.
    const amended = await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name: so.name } } });
    expect(amended.error).toBeNull();
    expect(amended.output!.data[0]).toMatchObject({ name: 'SO-2024-00001-1', amended_from: 'SO-2024-00001', docstatus: 0, customer: 'Acme', total: 19 });
    // Amending the amendment after it is cancelled bumps the counter: -2.
    await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: 'SO-2024-00001-1' } } });
    await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: 'SO-2024-00001-1' } } });
    const again = await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name: 'SO-2024-00001-1' } } });
    expect(again.output?.data[0]?.name).toBe('SO-2024-00001-2');
  });

  it('a Sales User can create and save but not submit', async () => {
    const engine = appEngine({ user: SALES_USER });
    await seed(engine);
    const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    expect(created.success).toBe(true);
    const r = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'PERMISSION_DENIED', exc: 'PermissionError' });
    expect((await engine.adapter.get('Sales Order', created.docname!))!.docstatus).toBe(0);
  });

  it('a stale update fails TIMESTAMP_MISMATCH; storage and the edit delta stay for a retry', async () => {
    const engine = appEngine();
    await seed(engine);
    const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    const name = created.docname!;
    const open = await engine.run({ operation: 'update', target_doctype: 'Sales Order', options: { draft: true }, input: { data: { name, notes: 'mine' } } });
    // Someone else saves in between.
    const other = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name, notes: 'theirs' } } });
    expect(other.success).toBe(true);
    const before = await engine.adapter.get('Sales Order', name);

    const save = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
    expect(save.error?.code).toBe('TIMESTAMP_MISMATCH');
    expect(save.error?.exc).toBe('TimestampMismatchError');
    expect(await engine.adapter.get('Sales Order', name)).toEqual(before);
    expect(engine.edit(open.name)).toMatchObject({ state: 'failed', delta: { notes: 'mine' } });

    // Retry, deliberately over the newer version (explicit modified): the kept delta is saved.
    const retry = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: { modified: before!.modified } } });
    expect(retry.success).toBe(true);
    expect((await engine.adapter.get('Sales Order', name))!.notes).toBe('mine');
    expect(engine.edit(open.name)?.state).toBe('saved');
  });

  it('a failing write (fault injection) leaves storage unchanged and the draft delta intact', async () => {
    const storage = memoryAdapter();
    const healthy = appEngine({ adapter: storage });
    await seed(healthy);
    const created = await healthy.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    const name = created.docname!;
    const before = await storage.get('Sales Order', name);

    const faulty = withFaults(storage, { kind: 'row', index: 1, op: 'update' });
    const engine = appEngine({ adapter: faulty });
    const input = { data: { items: [{ item_code: 'ITEM-1', qty: 3 }, { item_code: 'ITEM-2', qty: 1 }] } };
    const open = await engine.run({ operation: 'update', target_doctype: 'Sales Order', options: { draft: true }, input: { data: { name, ...input.data } } });
    const save = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
    expect(save.error?.code).toBe('INTERNAL');
    expect(faulty.fired).toBe(1);
    expect(await storage.get('Sales Order', name)).toEqual(before);
    expect(engine.edit(open.name)?.state).toBe('failed');
    expect(engine.edit(open.name)?.delta).toEqual(input.data);

    // The fault fired once; the retry goes through with the same delta.
    const retry = await engine.run({ operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, input: { data: {} } });
    expect(retry.error).toBeNull();
    expect((await storage.get('Sales Order', name))!.items).toHaveLength(2);
  });

  it('dry_run runs the whole pipeline and writes nothing (not even a naming counter)', async () => {
    const engine = appEngine();
    await seed(engine);
    const dry = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER }, options: { dry_run: true } });
    expect(dry.success).toBe(true);
    expect(dry.output!.data[0]!.name).toBe('SO-2024-00001');
    expect(await engine.adapter.count('Sales Order')).toBe(0);
    expect(await engine.adapter.counters.current('SO-2024-')).toBe(0);
    const real = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } });
    expect(real.docname).toBe('SO-2024-00001');
    const dryDelete = await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name: real.docname } }, options: { dry_run: true } });
    expect(dryDelete.success).toBe(true);
    expect(await engine.adapter.exists('Sales Order', real.docname!)).toBe(true);
  });

  it('a validation failure returns every issue with field and row', async () => {
    const engine = appEngine();
    await seed(engine);
    const r = await engine.run({
      operation: 'create', target_doctype: 'Sales Order',
      input: { data: { customer: 'Nobody', order_type: 'Bogus', items: [{ item_code: 'ITEM-1', qty: -1 }, { item_code: 'NOPE' }] } },
    });
    expect(r.error?.code).toBe('VALIDATION');
    const found = r.error!.issues.map((i) => [i.code, i.field, i.row ?? null]);
    expect(found).toEqual(expect.arrayContaining([
      ['LINK_NOT_FOUND', 'customer', null],
      ['INVALID_SELECT', 'order_type', null],
      ['NEGATIVE_VALUE', 'qty', 1],
      ['LINK_NOT_FOUND', 'item_code', 2],
    ]));
    // order_type is not 'Sales', so delivery_date (mandatory_depends_on) is not required.
    expect(found.some(([, field]) => field === 'delivery_date')).toBe(false);
    expect(await engine.adapter.count('Sales Order')).toBe(0);
  });

  it('CancelledLinkError for a link to a cancelled submittable document; delete and cancel refused while linked', async () => {
    // A submittable DocType that links to Sales Order (like ERPNext's Delivery Note).
    const note = {
      doctype: 'DocType', name: 'Delivery Note', module: 'Demo', is_submittable: 1, autoname: 'hash',
      fields: [{ fieldname: 'against', fieldtype: 'Link', options: 'Sales Order', label: 'Against' }],
      permissions: [{ role: 'Sales Manager', read: 1, write: 1, create: 1, submit: 1, cancel: 1, delete: 1 }],
    };
    const engine = appEngine({ doctypes: [...appDoctypes(), note] });
    await seed(engine);
    const so = (await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: ORDER } })).docname!;
    const dn = await engine.run({ operation: 'create', target_doctype: 'Delivery Note', input: { data: { against: so } } });
    expect(dn.success).toBe(true);
    // Any link blocks delete (Frappe: linked docstatus < 2).
    const del = await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name: so } } });
    expect(del.error?.code).toBe('LINK_EXISTS');

    await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: so } } });
    await engine.run({ operation: 'submit', target_doctype: 'Delivery Note', input: { data: { name: dn.docname } } });
    // A submitted document links here: cancel refused.
    const cancel = await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: so } } });
    expect(cancel.error?.code).toBe('LINK_EXISTS');
    expect(await engine.run({ operation: 'cancel', target_doctype: 'Delivery Note', input: { data: { name: dn.docname } } })).toMatchObject({ success: true });
    expect(await engine.run({ operation: 'cancel', target_doctype: 'Sales Order', input: { data: { name: so } } })).toMatchObject({ success: true });

    // A new submittable document may not link to the cancelled order.
    const linked = await engine.run({ operation: 'create', target_doctype: 'Delivery Note', input: { data: { against: so } } });
    expect(linked.error?.code).toBe('VALIDATION');
    expect(linked.error?.issues[0]).toMatchObject({ code: 'CANCELLED_LINK', exc: 'CancelledLinkError', field: 'against' });
    // The amendment's amended_from links to the cancelled order and is exempt.
    expect((await engine.run({ operation: 'amend', target_doctype: 'Sales Order', input: { data: { name: so } } })).success).toBe(true);
    // Deleting a draft without links works; submitted documents cannot be deleted.
    const submittedDelete = await engine.run({ operation: 'delete', target_doctype: 'Sales Order', input: { data: { name: so } } });
    expect(submittedDelete.error?.code).toBe('LINK_EXISTS'); // the amendment (a draft) links to it
  });
});

describe('draft identity', () => {
  it('a new document keeps its temporary name and its rows keep theirs across draft steps', async () => {
    const engine = appEngine({ rules });
    await seed(engine);
    const open = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { customer: 'Acme' } }, options: { draft: true } });
    const first = open.output!.data[0] as Record<string, unknown>;
    const step = await engine.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true },
      input: { data: { items: [{ item_code: 'ITEM-1', qty: 2 }] } },
    });
    const second = step.output!.data[0] as Record<string, unknown>;
    expect(second.name).toBe(first.name);
    const rowName = (second.items as Record<string, unknown>[])[0]!.name as string;
    expect(rowName).toBeTruthy();
    // The row states are keyed by that name, and a later step that changes something else keeps it.
    expect(Object.keys((step.output!.meta as unknown as DraftMeta).states.rows.items ?? {})).toEqual([rowName]);
    const third = await engine.run({
      operation: 'update', target_doctype: 'Sales Order', parent_run_id: open.name, options: { draft: true },
      input: { data: { delivery_date: '2024-03-20' } },
    });
    const doc3 = third.output!.data[0] as Record<string, unknown>;
    expect(doc3.name).toBe(first.name);
    expect((doc3.items as Record<string, unknown>[])[0]!.name).toBe(rowName);
    expect(engine.edit(open.name)?.delta.items).toEqual([expect.objectContaining({ name: rowName, item_code: 'ITEM-1', qty: 2 })]);
  });
});
