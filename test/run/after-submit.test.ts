/**
 * Issue 14 Frappe's source: rows of a submitted document are compared by name and content, as Frappe's
 * `validate_update_after_submit` (frappe/model/document.py) does: a row of a table without `allow_on_submit`
 * that is not one of the stored rows (a replacement, same count) is refused; in an `allow_on_submit` table new
 * rows are allowed, and rows that exist keep their non-`allow_on_submit` fields.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import { memoryAdapter } from '../../src/storage/memory';
import { appEngine, seed, ORDER, MANAGER, ADMIN } from './helpers';

async function submittedOrder() {
  const engine = appEngine();
  await seed(engine);
  const created = await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { ...ORDER, items: [{ item_code: 'ITEM-1', qty: 2 }, { item_code: 'ITEM-2', qty: 1 }] } } });
  expect(created.error).toBeNull();
  const submitted = await engine.run({ operation: 'submit', target_doctype: 'Sales Order', input: { data: { name: created.docname } } });
  expect(submitted.error).toBeNull();
  return { engine, doc: submitted.output!.data[0]! as Record<string, unknown> & { items: Record<string, unknown>[] } };
}

describe('rows after submit', () => {
  it('replacing the rows of a table without allow_on_submit by new ones (same count) is refused', async () => {
    const { engine, doc } = await submittedOrder();
    const replaced = doc.items.map((r) => ({ item_code: r.item_code, qty: r.qty })); // same values, no names: new rows
    const r = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: doc.name, items: replaced } } });
    expect(r.error?.code).toBe('UPDATE_AFTER_SUBMIT');
    expect(r.error?.issues[0]).toMatchObject({ field: 'items', table: 'items' });
    const stored = await engine.adapter.get('Sales Order', doc.name as string);
    expect((stored!.items as Record<string, unknown>[]).map((x) => x.name)).toEqual(doc.items.map((x) => x.name));
  });

  it('a replacement row that takes a name no stored row has is refused too; one stored row swapped for another is refused', async () => {
    const { engine, doc } = await submittedOrder();
    const forged = [doc.items[0], { item_code: doc.items[1]!.item_code, qty: doc.items[1]!.qty, name: 'forged-row' }];
    const r = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: doc.name, items: forged } } });
    expect(r.error?.code).toBe('UPDATE_AFTER_SUBMIT');
    // The same row twice (count kept, the other row dropped).
    const twice = [doc.items[0], doc.items[0]];
    const t = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: doc.name, items: twice } } });
    expect(t.error?.code).toBe('UPDATE_AFTER_SUBMIT');
  });

  it('the stored rows unchanged (reordered by name or not) still save with an allow_on_submit change', async () => {
    const { engine, doc } = await submittedOrder();
    const r = await engine.run({ operation: 'update', target_doctype: 'Sales Order', input: { data: { name: doc.name, items: doc.items, notes: 'late note' } }, user: MANAGER });
    expect(r.error).toBeNull();
  });

  describe('allow_on_submit tables', () => {
    const parent = {
      name: 'AOS Parent', module: 'Custom', autoname: 'hash', is_submittable: 1,
      permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, submit: 1, cancel: 1 }],
      fields: [{ fieldname: 'title', fieldtype: 'Data' }, { fieldname: 'lines', fieldtype: 'Table', options: 'AOS Line', allow_on_submit: 1 }],
    };
    const child = {
      name: 'AOS Line', module: 'Custom', istable: 1,
      fields: [{ fieldname: 'fixed', fieldtype: 'Data' }, { fieldname: 'note', fieldtype: 'Data', allow_on_submit: 1 }],
    };
    async function submitted() {
      const engine = createEngine({ doctypes: [parent, child], adapter: memoryAdapter(), user: ADMIN });
      const c = await engine.run({ operation: 'create', target_doctype: 'AOS Parent', input: { data: { title: 't', lines: [{ fixed: 'a', note: 'x' }] } } });
      const s = await engine.run({ operation: 'submit', target_doctype: 'AOS Parent', input: { data: { name: c.docname } } });
      expect(s.error).toBeNull();
      return { engine, doc: s.output!.data[0]! as Record<string, unknown> & { lines: Record<string, unknown>[] } };
    }

    it('new rows are allowed and stored rows may change their allow_on_submit fields', async () => {
      const { engine, doc } = await submitted();
      const r = await engine.run({ operation: 'update', target_doctype: 'AOS Parent', input: { data: { name: doc.name, lines: [{ ...doc.lines[0], note: 'y' }, { fixed: 'b' }] } } });
      expect(r.error).toBeNull();
      expect((r.output!.data[0]!.lines as Record<string, unknown>[]).map((l) => [l.fixed, l.note])).toEqual([['a', 'y'], ['b', null]]);
    });

    it('a stored row may not change a field without allow_on_submit', async () => {
      const { engine, doc } = await submitted();
      const r = await engine.run({ operation: 'update', target_doctype: 'AOS Parent', input: { data: { name: doc.name, lines: [{ ...doc.lines[0], fixed: 'changed' }] } } });
      expect(r.error?.code).toBe('UPDATE_AFTER_SUBMIT');
      expect(r.error?.issues[0]).toMatchObject({ field: 'fixed', table: 'lines', row: 1 });
    });
  });
});
