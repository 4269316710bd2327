import { describe, expect, it } from 'vitest';
import { parseDoctype } from '../../src/schema/parse';
import { StorageError } from '../../src/storage/errors';
import { withFaults } from '../../src/storage/faults';
import { memoryAdapter } from '../../src/storage/memory';
import type { DocData, StorageAdapter } from '../../src/storage/types';
import { conformanceDoctypes, storageConformance } from './conformance';

storageConformance({
  name: 'memory',
  create: () => Promise.resolve(memoryAdapter()),
  capabilities: ['transactions', 'unique', 'savepoints', 'write_steps'],
});

const T0 = '2024-01-15 10:30:00.000000';

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

async function prepared(): Promise<StorageAdapter> {
  const storage = memoryAdapter();
  await storage.prepare(conformanceDoctypes());
  return storage;
}

const ORDER_WITH_ROWS = {
  name: 'SO-1', modified: T0, payload: { deep: { list: [1, 2] } },
  items: [{ name: 'R-1', qty: 1 }, { name: 'R-2', qty: 2 }],
};

describe('memory adapter specifics', () => {
  it('returns deep-frozen documents from get, query, insert and update', async () => {
    const storage = await prepared();
    const inserted = await storage.insert('Conf Order', ORDER_WITH_ROWS);
    const updated = await storage.update('Conf Order', { ...ORDER_WITH_ROWS, modified: '2024-01-15 10:31:00.000000' }, T0);
    const got = await storage.get('Conf Order', 'SO-1');
    const listed = await storage.query('Conf Order', { withChildren: true });
    const projected = await storage.query('Conf Order', { fields: ['name', 'items'] });
    for (const value of [inserted, updated, got, listed, projected]) expect(isDeepFrozen(value)).toBe(true);
    expect(() => {
      (got as Record<string, unknown>)['status'] = 'x';
    }).toThrow(TypeError);
  });

  it('does not freeze or keep the caller\'s objects', async () => {
    const storage = await prepared();
    const doc = structuredClone(ORDER_WITH_ROWS);
    await storage.insert('Conf Order', doc);
    expect(Object.isFrozen(doc)).toBe(false);
    expect(Object.isFrozen(doc.items[0])).toBe(false);
    expect(Object.isFrozen(doc.payload.deep)).toBe(false);
  });

  it('reports the steps of a write in order: begin, parent, one per row, commit', async () => {
    const storage = await prepared();
    await storage.insert('Conf Order', ORDER_WITH_ROWS);
    const recorder = withFaults(storage, { kind: 'begin', op: 'transaction' });
    await recorder.update('Conf Order', { name: 'SO-1', modified: '2024-01-15 10:31:00.000000', items: [{ name: 'R-2' }, { name: 'R-3' }] }, T0);
    expect(recorder.steps.map((s) => (s.kind === 'row' ? `row ${s.index} ${s.action} ${s.row}` : s.kind))).toEqual([
      'begin', 'parent', 'row 0 delete R-1', 'row 1 put R-2', 'row 2 put R-3', 'commit',
    ]);
    expect(recorder.fired).toBe(0);
  });

  it('a fault that repeats fails every matching write, and nth picks a later one', async () => {
    const storage = await prepared();
    const faulty = withFaults(storage, { kind: 'parent', op: 'insert', nth: 2, repeat: true });
    await faulty.insert('Conf Order', { name: 'A' });
    await expect(faulty.insert('Conf Order', { name: 'B' })).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    await expect(faulty.insert('Conf Order', { name: 'C' })).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    expect(faulty.fired).toBe(2);
    expect(await storage.query('Conf Order', { fields: ['name'] })).toEqual([{ name: 'A' }]);
  });

  it('a custom fault error is thrown as given', async () => {
    const storage = await prepared();
    const error = new Error('disk full');
    await expect(withFaults(storage, { kind: 'row', error }).insert('Conf Order', ORDER_WITH_ROWS)).rejects.toBe(error);
    expect(await storage.exists('Conf Order', 'SO-1')).toBe(false);
  });

  it('withFaults refuses an adapter that cannot report steps', () => {
    const storage = memoryAdapter();
    const plain: StorageAdapter = { ...storage, capabilities: new Set(), withStepHook: undefined };
    expect(() => withFaults(plain, { kind: 'commit' })).toThrow(StorageError);
  });

  it('loads initial documents when their DocTypes are prepared (here or later)', async () => {
    const initial = { 'Conf Order': [ORDER_WITH_ROWS, { name: 'SO-2' }] };
    const now = memoryAdapter({ doctypes: conformanceDoctypes(), initial, counters: { 'SO-': 7 } });
    expect((await now.get('Conf Order', 'SO-1'))?.['items']).toHaveLength(2);
    expect(await now.counters.next('SO-')).toBe(8);

    const later = memoryAdapter({ initial });
    await expect(later.count('Conf Order')).rejects.toMatchObject({ code: 'STORAGE_UNKNOWN_DOCTYPE' });
    await later.prepare(conformanceDoctypes());
    expect(await later.count('Conf Order')).toBe(2);
    // A second prepare does not insert them again.
    await later.prepare(conformanceDoctypes());
    expect(await later.count('Conf Order')).toBe(2);
  });

  it('refuses bad initial documents at construction, loading none of them', () => {
    expect(() => memoryAdapter({ doctypes: conformanceDoctypes(), initial: { 'Conf Order': [{ name: 'A' }, { name: 'A' }] } })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_ENTRY' }),
    );
  });

  it('prepare with a changed DocType re-shapes stored rows: new columns null, removed ones gone', async () => {
    const storage = memoryAdapter();
    const v1 = parseDoctype({ name: 'Thing', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }, { fieldname: 'b', fieldtype: 'Data' }] });
    await storage.prepare([v1]);
    await storage.insert('Thing', { name: 'T-1', a: 'x', b: '5' });
    const v2 = parseDoctype({ name: 'Thing', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }, { fieldname: 'c', fieldtype: 'Int' }, { fieldname: 'b', fieldtype: 'Int' }] });
    await storage.prepare([v2]);
    const got = await storage.get('Thing', 'T-1');
    // 'b' changed from Data to Int: text cannot be held by the new column and is dropped.
    expect(got).toMatchObject({ a: 'x', c: null, b: null });
    await expect(storage.query('Thing', { where: { c: null } })).resolves.toHaveLength(1);
  });


  it('a changed child DocType re-shapes the rows its parents return, and later writes keep them in step', async () => {
    const storage = memoryAdapter();
    const line = (fields: object[]) => parseDoctype({ name: 'Line', module: 'T', istable: 1, fields });
    const order = parseDoctype({ name: 'Order', module: 'T', fields: [{ fieldname: 'lines', fieldtype: 'Table', options: 'Line' }] });
    await storage.prepare([line([{ fieldname: 'qty', fieldtype: 'Data' }, { fieldname: 'note', fieldtype: 'Data' }]), order]);
    await storage.insert('Order', { name: 'O-1', modified: T0, lines: [{ name: 'L-1', qty: '2', note: 'n' }, { name: 'L-2', qty: 'x' }] });
    // qty becomes Int: the stored text cannot be held by the new column and is dropped (as on a column type change).
    await storage.prepare([line([{ fieldname: 'qty', fieldtype: 'Int' }, { fieldname: 'extra', fieldtype: 'Data' }])]);
    const got = (await storage.get('Order', 'O-1'))!;
    expect(got['lines']).toMatchObject([{ name: 'L-1', qty: null, extra: null }, { name: 'L-2', qty: null, extra: null }]);
    expect(got['lines'] as object[]).not.toContainEqual(expect.objectContaining({ note: 'n' }));
    // An update that keeps one row, changes it and drops the other: the parent reads exactly the stored rows.
    await storage.update('Order', { name: 'O-1', modified: T0, lines: [{ name: 'L-2', qty: 7, extra: 'e' }] }, T0);
    expect((await storage.get('Order', 'O-1'))!['lines']).toMatchObject([{ name: 'L-2', qty: 7, extra: 'e', idx: 1 }]);
    await expect(storage.query('Line', { where: { name: 'L-1' } })).resolves.toEqual([]);
  });
  it('prepare validates its input', async () => {
    const storage = memoryAdapter();
    await expect(storage.prepare([{ name: 'x' } as never])).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
  });

  it('a Table field whose options name a non-child DocType is a bad document', async () => {
    const storage = memoryAdapter();
    await storage.prepare([
      parseDoctype({ name: 'Plain', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }] }),
      parseDoctype({ name: 'Holder', module: 'T', fields: [{ fieldname: 'rows', fieldtype: 'Table', options: 'Plain' }] }),
    ]);
    await expect(storage.insert('Holder', { name: 'H', rows: [{ name: 'r' }] })).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
  });

  it('after close every call fails with STORAGE_FAILURE', async () => {
    const storage = await prepared();
    await storage.close?.();
    await expect(storage.count('Conf Order')).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    await expect(storage.insert('Conf Order', { name: 'x' })).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
  });

  it('a step-hook view shares data with the adapter it came from', async () => {
    const storage = await prepared();
    const view = storage.withStepHook?.(() => undefined);
    await view?.insert('Conf Order', { name: 'SO-9' });
    expect(await storage.exists('Conf Order', 'SO-9')).toBe(true);
  });

  it('counter keys and values are validated', async () => {
    const storage = await prepared();
    await expect(storage.counters.set('SO-', 1.5)).rejects.toMatchObject({ code: 'NAMING_COUNTER_INVALID' });
    await expect(storage.counters.next(5 as never)).rejects.toMatchObject({ code: 'NAMING_COUNTER_INVALID' });
  });

  it('handles many documents with write cost proportional to the change, not the table', async () => {
    const storage = await prepared();
    const docs: DocData[] = Array.from({ length: 3000 }, (_, i) => ({ name: `SO-${i}`, qty_total: i % 7, items: [{ name: `R-${i}`, qty: i }] }));
    const started = performance.now();
    for (const doc of docs) await storage.insert('Conf Order', doc);
    const elapsed = performance.now() - started;
    expect(await storage.count('Conf Order', { qty_total: 3 })).toBe(docs.filter((d) => d['qty_total'] === 3).length);
    // Generous bound: a copy-the-table design would take seconds here.
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('memory indexes (unique and search_index columns)', () => {
  const indexed = parseDoctype({
    name: 'Idx Doc', doctype: 'DocType', module: 'Test',
    fields: [
      { fieldname: 'code', fieldtype: 'Data', unique: 1 },
      { fieldname: 'status', fieldtype: 'Data', search_index: 1 },
      { fieldname: 'qty', fieldtype: 'Int', search_index: 1 },
    ],
  });
  const doc = (name: string, code: string | null, status: string, qty: number) => ({ name, code, status, qty, modified: T0 });
  const names = (rows: readonly DocData[]) => rows.map((r) => r['name']);

  it('filters through the indexes see every layer: changes, deletes and inserts inside a transaction, then rollback or commit', async () => {
    const storage = memoryAdapter({ doctypes: [indexed] });
    await storage.insert('Idx Doc', doc('A', 'c-a', 'Open', 1));
    await storage.insert('Idx Doc', doc('B', 'c-b', 'Open', 2));
    await storage.insert('Idx Doc', doc('C', 'c-c', 'Closed', 1));
    const check = async (s: { query: StorageAdapter['query']; count: StorageAdapter['count'] }, open: string[], qty1: string[]) => {
      expect(names(await s.query('Idx Doc', { where: { status: 'Open' } }))).toEqual(open);
      expect(names(await s.query('Idx Doc', { where: { AND: [{ qty: { in: [1] } }, { status: { not: 'x' } }] } }))).toEqual(qty1);
      expect(await s.count('Idx Doc', { status: { equals: 'Open' } })).toBe(open.length);
    };
    await check(storage, ['A', 'B'], ['A', 'C']);
    await expect(storage.transaction(async (tx) => {
      await tx.update('Idx Doc', doc('A', 'c-x', 'Closed', 2), T0);
      await tx.delete('Idx Doc', 'B');
      await tx.insert('Idx Doc', doc('D', 'c-a', 'Open', 1)); // A gave up c-a in this transaction
      await check(tx, ['D'], ['C', 'D']);
      await expect(tx.insert('Idx Doc', doc('E', 'c-x', 'Open', 1))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
      throw new Error('undo');
    })).rejects.toThrow('undo');
    await check(storage, ['A', 'B'], ['A', 'C']);
    await expect(storage.insert('Idx Doc', doc('E', 'c-a', 'Open', 1))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    await storage.transaction(async (tx) => {
      await tx.update('Idx Doc', doc('A', 'c-x', 'Closed', 2), T0);
      await tx.delete('Idx Doc', 'B');
      await tx.insert('Idx Doc', doc('D', 'c-a', 'Open', 1));
    });
    await check(storage, ['D'], ['C', 'D']);
    await storage.insert('Idx Doc', doc('B', 'c-b', 'Open', 5)); // c-b is free again
    expect(names(await storage.query('Idx Doc', { where: { code: 'c-x' } }))).toEqual(['A']);
  });

  it('a DocType that becomes search_index / unique later is indexed from its stored rows', async () => {
    const plain = parseDoctype({ name: 'Idx Doc', doctype: 'DocType', module: 'Test', fields: [{ fieldname: 'code', fieldtype: 'Data' }, { fieldname: 'status', fieldtype: 'Data' }, { fieldname: 'qty', fieldtype: 'Int' }] });
    const storage = memoryAdapter({ doctypes: [plain] });
    await storage.insert('Idx Doc', doc('A', 'same', 'Open', 1));
    await storage.prepare([indexed]);
    expect(names(await storage.query('Idx Doc', { where: { status: 'Open' } }))).toEqual(['A']);
    await expect(storage.insert('Idx Doc', doc('B', 'same', 'Open', 1))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
  });

  it('returns every column, and a whole document as stored: a get makes no copy', async () => {
    const storage = memoryAdapter({ doctypes: [indexed] });
    const stored = await storage.insert('Idx Doc', { name: 'A' });
    expect(stored).toMatchObject({ name: 'A', code: null, status: null, qty: null, docstatus: 0 });
    expect(await storage.get('Idx Doc', 'A')).toBe(stored);
    expect(await storage.get('Idx Doc', 'A')).toBe(await storage.get('Idx Doc', 'A'));
    expect(Object.keys((await storage.get('Idx Doc', 'A'))!)).toEqual(Object.keys(stored));
    // Another shape is a new (frozen) object.
    const projected = await storage.get('Idx Doc', 'A', { fields: ['name', 'code'] });
    expect(projected).toEqual({ name: 'A', code: null });
    expect(Object.isFrozen(projected)).toBe(true);
  });

  it('child tables are indexed on their own unique / search_index fields, not their parent\'s', async () => {
    const row = parseDoctype({
      name: 'Idx Row', doctype: 'DocType', module: 'Test', istable: 1,
      fields: [{ fieldname: 'serial', fieldtype: 'Data', unique: 1 }, { fieldname: 'batch', fieldtype: 'Data', search_index: 1 }, { fieldname: 'status', fieldtype: 'Data' }],
    });
    const order = parseDoctype({
      name: 'Idx Order', doctype: 'DocType', module: 'Test',
      fields: [{ fieldname: 'code', fieldtype: 'Data', unique: 1 }, { fieldname: 'status', fieldtype: 'Data', search_index: 1 }, { fieldname: 'items', fieldtype: 'Table', options: 'Idx Row' }],
    });
    const storage = memoryAdapter({ doctypes: [row, order] });
    const so = (name: string, code: string, items: Record<string, unknown>[]) => ({ name, code, status: 'Open', modified: T0, items });
    await storage.insert('Idx Order', so('O-1', 'same', [{ name: 'R-1', serial: 'S-1', batch: 'B-1', status: 'same' }, { name: 'R-2', serial: 'S-2', batch: 'B-1' }]));
    // A row may hold its parent's unique value; two rows may share a status (not unique in the child).
    await storage.insert('Idx Order', so('O-2', 'other', [{ name: 'R-3', serial: 'same', batch: 'B-2', status: 'same' }]));
    await expect(storage.insert('Idx Order', so('O-3', 'third', [{ name: 'R-4', serial: 'S-1' }]))).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'serial' });
    expect(names(await storage.query('Idx Row', { where: { batch: 'B-1' } }))).toEqual(['R-1', 'R-2']);
    expect(names(await storage.query('Idx Row', { where: { serial: 'same' } }))).toEqual(['R-3']);
    await storage.transaction(async (tx) => {
      await tx.updateWhere!('Idx Row', { batch: 'B-1' }, { batch: 'B-9' });
      expect(names(await tx.query('Idx Row', { where: { batch: 'B-9' } }))).toEqual(['R-1', 'R-2']);
      await expect(tx.setValues!('Idx Row', [{ name: 'R-2', values: { serial: 'same' } }])).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    });
    expect(names(await storage.query('Idx Row', { where: { batch: 'B-1' } }))).toEqual([]);
    const o1 = (await storage.get('Idx Order', 'O-1'))!;
    expect((o1['items'] as DocData[]).map((r) => [r['name'], r['batch']])).toEqual([['R-1', 'B-9'], ['R-2', 'B-9']]);
    expect(await storage.query('Idx Row', { where: { name: 'R-1' } })).toEqual([(o1['items'] as DocData[])[0]]);
  });
});
