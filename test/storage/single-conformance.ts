/**
 * The storage contract for Single DocTypes (docs/storage.md, "Single DocTypes"), run by every adapter through
 * {@link storageConformance}: one document named after the DocType, nothing stored before its first write,
 * values typed on read, queries on the one document, rows in their child table.
 */
import { describe, expect, it } from 'vitest';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import type { StorageAdapter } from '../../src/storage/types';

const SETTINGS = 'Conf Settings';
const LINE = 'Conf Settings Line';
const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';

/** A Single with a field of every kind, and its child DocType. */
export function singleConformanceDoctypes(): DocType[] {
  return [
    parseDoctype({ name: LINE, doctype: 'DocType', module: 'Test', istable: 1, fields: [{ fieldname: 'label', fieldtype: 'Data' }, { fieldname: 'n', fieldtype: 'Int' }] }),
    parseDoctype({
      name: SETTINGS, doctype: 'DocType', module: 'Test', issingle: 1,
      fields: [
        { fieldname: 'title', fieldtype: 'Data' }, { fieldname: 'limit', fieldtype: 'Int' }, { fieldname: 'on', fieldtype: 'Check' },
        { fieldname: 'rate', fieldtype: 'Float' }, { fieldname: 'price', fieldtype: 'Currency' }, { fieldname: 'since', fieldtype: 'Date' },
        { fieldname: 'at', fieldtype: 'Datetime' }, { fieldname: 'time', fieldtype: 'Time' }, { fieldname: 'payload', fieldtype: 'JSON' },
        { fieldname: 'lines', fieldtype: 'Table', options: LINE },
      ],
    }),
  ];
}

async function code(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => 'succeeded', (e: unknown) => (e as { code?: unknown }).code);
}

/**
 * Define the Single DocType tests for one adapter.
 * @param fresh - a fresh adapter, prepared with the main suite's DocTypes
 * @param transactions - whether the adapter has real transactions
 */
export function singleConformance(fresh: () => Promise<StorageAdapter>, transactions: boolean): void {
  const prepared = async (): Promise<StorageAdapter> => {
    const storage = await fresh();
    await storage.prepare(singleConformanceDoctypes());
    return storage;
  };
  const settings = (values: Record<string, unknown> = {}) => ({ name: SETTINGS, modified: T0, ...values });

  describe('Single DocTypes', () => {
    it('nothing is stored before the first write; another name is never the Single', async () => {
      const storage = await prepared();
      expect(await storage.get(SETTINGS, SETTINGS)).toBeUndefined();
      expect(await storage.exists(SETTINGS, SETTINGS)).toBe(false);
      expect(await storage.query(SETTINGS)).toEqual([]);
      expect(await storage.count(SETTINGS)).toBe(0);
      expect(await code(storage.update(SETTINGS, settings(), null))).toBe('NOT_FOUND');
      expect(await code(storage.delete(SETTINGS, SETTINGS))).toBe('NOT_FOUND');
      expect(await code(storage.insert(SETTINGS, settings({ name: 'Other' })))).toBe('STORAGE_BAD_DOCUMENT');
      expect(await storage.count(LINE)).toBe(0);
    });

    it('round trip: values typed as given, rows in the child table; queries answer on the one document', async () => {
      const storage = await prepared();
      const values = {
        title: 'Acme', limit: 0, on: 1, rate: -1.5e-7, price: 0.1 + 0.2, since: '2024-02-29', at: '2024-03-01 00:00:00.123456',
        time: '23:59:59.999999', payload: { a: [1, 'two', null] },
      };
      const inserted = await storage.insert(SETTINGS, settings({ ...values, lines: [{ name: 'L-1', label: 'x', n: 2 }] }));
      const loaded = await storage.get(SETTINGS, SETTINGS);
      expect(loaded).toEqual(inserted);
      expect(loaded).toMatchObject({ doctype: SETTINGS, name: SETTINGS, ...values, docstatus: 0, idx: 0, modified: T0, owner: null });
      expect(loaded?.['lines']).toMatchObject([{ name: 'L-1', label: 'x', n: 2, idx: 1, parent: SETTINGS, parenttype: SETTINGS, parentfield: 'lines' }]);
      expect(await storage.get(SETTINGS, 'Other')).toBeUndefined();
      expect(await storage.exists(SETTINGS, SETTINGS)).toBe(true);
      expect(await storage.query(SETTINGS, { where: { limit: 0, on: 1 }, fields: ['title', 'price'] })).toEqual([{ title: 'Acme', price: 0.30000000000000004 }]);
      expect(await storage.query(SETTINGS, { where: { title: { startsWith: 'B' } } })).toEqual([]);
      expect(await storage.query(SETTINGS, { skip: 1 })).toEqual([]);
      expect(await storage.count(SETTINGS, { since: { gte: '2024-01-01' } })).toBe(1);
      expect(await code(storage.query(SETTINGS, { where: { nope: 1 } }))).toBe('STORAGE_UNKNOWN_FIELD');
      expect([...(await storage.getMany!(SETTINGS, [SETTINGS, 'Other'])).keys()]).toEqual([SETTINGS]);
      expect(await storage.query(LINE, { where: { parenttype: SETTINGS } })).toHaveLength(1);
      expect(await code(storage.insert(SETTINGS, settings()))).toBe('DUPLICATE_ENTRY');
    });

    it('update replaces values and rows under the modified check; delete removes both', async () => {
      const storage = await prepared();
      await storage.insert(SETTINGS, settings({ title: 'A', limit: 5, lines: [{ name: 'L-1', label: 'x' }, { name: 'L-2', label: 'y' }] }));
      expect(await code(storage.update(SETTINGS, settings({ modified: T1 }), '2000-01-01 00:00:00.000000'))).toBe('TIMESTAMP_MISMATCH');
      await storage.update(SETTINGS, settings({ title: 'B', modified: T1, lines: [{ name: 'L-2', label: 'z' }] }), T0);
      expect(await storage.get(SETTINGS, SETTINGS)).toMatchObject({ title: 'B', limit: null, modified: T1 });
      expect((await storage.query(LINE)).map((r) => [r['name'], r['label']])).toEqual([['L-2', 'z']]);
      await storage.delete(SETTINGS, SETTINGS);
      expect(await storage.get(SETTINGS, SETTINGS)).toBeUndefined();
      expect(await storage.count(LINE)).toBe(0);
    });

    it.runIf(transactions)('a write in a transaction that fails is undone', async () => {
      const storage = await prepared();
      await storage.insert(SETTINGS, settings({ title: 'A' }));
      await expect(storage.transaction(async (tx) => {
        await tx.update(SETTINGS, settings({ title: 'B', modified: T1 }), T0);
        expect((await tx.get(SETTINGS, SETTINGS))?.['title']).toBe('B');
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect((await storage.get(SETTINGS, SETTINGS))?.['title']).toBe('A');
    });
  });
}
