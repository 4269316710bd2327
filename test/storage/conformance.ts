/**
 * The storage conformance suite: every adapter runs it unchanged.
 *
 * @example
 * // test/storage/pglite.test.ts
 * storageConformance({ name: 'pglite', create: () => pgliteAdapter(), capabilities: ['transactions', 'unique'] });
 *
 * Each test gets a fresh adapter from `create()` and prepares the small DocTypes below (built from JSON
 * with `parseDoctype`, like real Frappe files). Blocks for optional features run only when `capabilities`
 * lists them. The semantics asserted here are the ones specified in docs/storage.md.
 */
import { describe, expect, it } from 'vitest';
import { updateWhere } from '../../src/storage/update-where';
import { setStoredValues } from '../../src/storage/set-values';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import { StorageError } from '../../src/storage/errors';
import type { StorageErrorCode } from '../../src/storage/errors';
import { withFaults } from '../../src/storage/faults';
import type { FaultPlan } from '../../src/storage/faults';
import type { DocData, Query, StorageAdapter, StorageCapability, Where } from '../../src/storage/types';
import { listConformance } from './list-conformance';
import { singleConformance } from './single-conformance';

/** Options of {@link storageConformance}. */
export interface ConformanceOptions {
  /** Shown in the describe title. */
  readonly name: string;
  /** A fresh, empty adapter (called once per test). */
  readonly create: () => Promise<StorageAdapter>;
  /** Optional features to test. */
  readonly capabilities: Iterable<StorageCapability>;
}

const ROW_JSON = {
  name: 'Conf Row', doctype: 'DocType', module: 'Test', istable: 1,
  fields: [
    { fieldname: 'item', fieldtype: 'Link', options: 'Item' },
    { fieldname: 'qty', fieldtype: 'Float' },
    { fieldname: 'rate', fieldtype: 'Currency' },
    { fieldname: 'serial', fieldtype: 'Data', unique: 1 },
  ],
};
const NOTE_JSON = {
  name: 'Conf Note', doctype: 'DocType', module: 'Test', istable: 1,
  fields: [{ fieldname: 'note', fieldtype: 'Small Text' }],
};
const ORDER_JSON = {
  name: 'Conf Order', doctype: 'DocType', module: 'Test', autoname: 'field:title',
  fields: [
    { fieldname: 'title', fieldtype: 'Data' },
    { fieldname: 'customer', fieldtype: 'Link', options: 'Customer' },
    { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nOpen\nClosed' },
    { fieldname: 'code', fieldtype: 'Data', unique: 1, label: 'Order Code' },
    { fieldname: 'qty_total', fieldtype: 'Int' },
    { fieldname: 'amount', fieldtype: 'Currency' },
    { fieldname: 'ratio', fieldtype: 'Float' },
    { fieldname: 'active', fieldtype: 'Check' },
    { fieldname: 'posting_date', fieldtype: 'Date' },
    { fieldname: 'posting_time', fieldtype: 'Time' },
    { fieldname: 'due', fieldtype: 'Datetime' },
    { fieldname: 'description', fieldtype: 'Long Text' },
    { fieldname: 'payload', fieldtype: 'JSON' },
    { fieldname: 'display_total', fieldtype: 'Data', is_virtual: 1 },
    { fieldname: 'section', fieldtype: 'Section Break' },
    { fieldname: 'items', fieldtype: 'Table', options: 'Conf Row' },
    { fieldname: 'notes', fieldtype: 'Table', options: 'Conf Note' },
  ],
};

/** The suite's DocTypes: a parent with two Table fields, and its two child DocTypes. */
export function conformanceDoctypes(): DocType[] {
  return [parseDoctype(ROW_JSON), parseDoctype(NOTE_JSON), parseDoctype(ORDER_JSON)];
}

const ORDER = 'Conf Order';
const ROW = 'Conf Row';
const NOTE = 'Conf Note';
const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';

type Plain = Record<string, unknown>;

function order(name: string, values: Plain = {}): Plain {
  return { name, title: name, modified: T0, creation: T0, owner: 'a@example.com', modified_by: 'a@example.com', docstatus: 0, ...values };
}

function row(name: string, values: Plain = {}): Plain {
  return { name, item: 'ITEM-1', qty: 1, rate: 10, ...values };
}

async function expectCode(promise: Promise<unknown>, code: StorageErrorCode, extra: Plain = {}): Promise<StorageError> {
  const error = await promise.then(
    () => { throw new Error(`expected ${code}, but the call succeeded`); },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect(error).toMatchObject({ code, ...extra });
  return error as StorageError;
}

/** Everything stored, for "nothing changed" assertions: every table's rows plus some counters. */
async function dump(storage: StorageAdapter): Promise<Plain> {
  return {
    orders: await storage.query(ORDER, { withChildren: true }),
    rows: await storage.query(ROW),
    notes: await storage.query(NOTE),
    counter: await storage.counters.current('SO-'),
  };
}

function names(rows: readonly DocData[]): unknown[] {
  return rows.map((r) => r['name']);
}

/**
 * Define the conformance tests for one adapter.
 * @param options - adapter name, factory, and the optional capabilities to test
 */
export function storageConformance(options: ConformanceOptions): void {
  const caps = new Set(options.capabilities);
  const doctypes = conformanceDoctypes();
  const fresh = async (): Promise<StorageAdapter> => {
    const storage = await options.create();
    await storage.prepare(doctypes);
    return storage;
  };

  describe(`storage conformance: ${options.name}`, () => {
    listConformance(fresh);
    singleConformance(fresh, caps.has('transactions'));

    describe('round trip', () => {
      it('stores a document with rows and returns exactly what was given, plus null for missing columns', async () => {
        const storage = await fresh();
        const long = 'Lorem ipsum dolor sit amet. '.repeat(5000);
        const doc = order('SO-1', {
          customer: 'Zoë & Søn – 株式会社 😀',
          status: 'Open',
          qty_total: 7,
          amount: 0.1 + 0.2, // 0.30000000000000004: stored as given, never rounded
          ratio: -1.5e-7,
          active: 1,
          posting_date: '2024-02-29',
          posting_time: '23:59:59.999999',
          due: '2024-03-01 00:00:00.123456',
          description: long,
          payload: { a: [1, 'two', null], nested: { ok: true } },
          items: [row('R-1', { serial: 'S1' }), row('R-2', { qty: 2.5, rate: 0.1 })],
          notes: [{ name: 'N-1', note: 'first' }],
        });
        const inserted = await storage.insert(ORDER, doc);
        const loaded = await storage.get(ORDER, 'SO-1');
        expect(loaded).toEqual(inserted);
        expect(loaded).toMatchObject({
          doctype: ORDER, name: 'SO-1', amount: 0.30000000000000004, ratio: -1.5e-7, active: 1, description: long,
          customer: 'Zoë & Søn – 株式会社 😀', payload: { a: [1, 'two', null], nested: { ok: true } },
          posting_date: '2024-02-29', posting_time: '23:59:59.999999', due: '2024-03-01 00:00:00.123456',
          modified: T0, docstatus: 0, idx: 0,
          // Columns not given are stored as null.
          code: null, _user_tags: null,
        });
        expect(loaded?.['items']).toEqual([
          { doctype: ROW, ...row('R-1', { serial: 'S1' }), parent: 'SO-1', parenttype: ORDER, parentfield: 'items', idx: 1,
            owner: null, creation: null, modified: null, modified_by: null, docstatus: 0 },
          { doctype: ROW, ...row('R-2', { qty: 2.5, rate: 0.1 }), serial: null, parent: 'SO-1', parenttype: ORDER, parentfield: 'items', idx: 2,
            owner: null, creation: null, modified: null, modified_by: null, docstatus: 0 },
        ]);
        expect(loaded?.['notes']).toMatchObject([{ doctype: NOTE, name: 'N-1', note: 'first', parentfield: 'notes' }]);
      });

      it('keeps Check 0 apart from null, and 0 apart from missing', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('A', { active: 0, qty_total: 0 }));
        await storage.insert(ORDER, order('B'));
        expect(await storage.get(ORDER, 'A')).toMatchObject({ active: 0, qty_total: 0 });
        expect(await storage.get(ORDER, 'B')).toMatchObject({ active: null, qty_total: null });
      });

      it('drops keys that are not columns (private keys, virtual and layout fields) and gives every table field an array', async () => {
        const storage = await fresh();
        const stored = await storage.insert(ORDER, order('SO-1', { __islocal: 1, __unsaved: 1, display_total: 'x', section: 'y', no_such: 1 }));
        for (const key of ['__islocal', '__unsaved', 'display_total', 'section', 'no_such']) expect(stored).not.toHaveProperty(key);
        expect(stored['items']).toEqual([]);
        expect(stored['notes']).toEqual([]);
      });

      it("stores '' in Date / Datetime / Time fields as null (Frappe `frappe/model/base_document.py`)", async () => {
        const storage = await fresh();
        const stored = await storage.insert(ORDER, order('SO-1', { posting_date: '', due: '', posting_time: '' }));
        expect(stored).toMatchObject({ posting_date: null, due: null, posting_time: null });
      });

      it('sets parent, parenttype and parentfield on rows, whatever was given', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1', { parent: 'OTHER', parenttype: 'X', parentfield: 'zz' })] }));
        const rows = await storage.query(ROW);
        expect(rows).toMatchObject([{ name: 'R-1', parent: 'SO-1', parenttype: ORDER, parentfield: 'items' }]);
      });

      it('returns rows ordered by idx (then name), not by array position', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', {
          items: [row('R-c', { idx: 3 }), row('R-a', { idx: 1 }), row('R-z', { idx: 2 }), row('R-b', { idx: 2 })],
        }));
        const loaded = await storage.get(ORDER, 'SO-1');
        // idx 2 is shared by R-z and R-b: name breaks the tie.
        expect(names(loaded?.['items'] as DocData[])).toEqual(['R-a', 'R-b', 'R-z', 'R-c']);
      });

      it('get returns undefined for a missing name; exists tells both apart', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1'));
        expect(await storage.get(ORDER, 'nope')).toBeUndefined();
        expect(await storage.exists(ORDER, 'SO-1')).toBe(true);
        expect(await storage.exists(ORDER, 'nope')).toBe(false);
      });

      it('get with fields returns only those keys, loading only the Table fields named', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Open', items: [row('R-1')], notes: [{ name: 'N-1' }] }));
        const got = await storage.get(ORDER, 'SO-1', { fields: ['status', 'items'] });
        expect(Object.keys(got ?? {}).sort()).toEqual(['items', 'status']);
        expect(names(got?.['items'] as DocData[])).toEqual(['R-1']);
      });
    });

    describe('query', () => {
      // A small data set with nulls in every filtered column. Expected results are computed by the plain
      // JavaScript predicate next to each filter, which states the semantics of docs/storage.md directly.
      const DATA: Plain[] = [
        { name: 'A', status: 'Open', customer: 'Acme', qty_total: 5, amount: 100.5, posting_date: '2024-01-10', description: 'red apple' },
        { name: 'B', status: 'Closed', customer: 'acme', qty_total: 10, amount: 0.1, posting_date: '2024-01-02', description: 'Green 100%' },
        { name: 'C', status: 'Open', customer: 'Beta', qty_total: -3, amount: null, posting_date: '2023-12-31', description: 'a_b' },
        { name: 'D', status: 'Draft', customer: null, qty_total: null, amount: 2, posting_date: null, description: null },
        { name: 'E', status: 'Open', customer: 'Émile', qty_total: 10, amount: 100.5, posting_date: '2024-01-10', description: 'axb' },
        { name: 'F', status: null, customer: 'Zed', qty_total: 0, amount: 0, posting_date: '2024-02-01', description: 'Apple pie' },
      ];
      const seeded = async (): Promise<StorageAdapter> => {
        const storage = await fresh();
        for (const d of DATA) await storage.insert(ORDER, order(d['name'] as string, d));
        return storage;
      };
      const value = (d: Plain, k: string): unknown => d[k] ?? null;
      const expected = (predicate: (d: Plain) => boolean): string[] => DATA.filter(predicate).map((d) => d['name'] as string).sort();

      const cases: [string, Where, (d: Plain) => boolean][] = [
        ['bare value = equals', { status: 'Open' }, (d) => d['status'] === 'Open'],
        ['equals', { qty_total: { equals: 10 } }, (d) => d['qty_total'] === 10],
        ['equals null matches null only', { status: { equals: null } }, (d) => value(d, 'status') === null],
        ['bare null', { customer: null }, (d) => value(d, 'customer') === null],
        ['in', { status: { in: ['Open', 'Draft'] } }, (d) => d['status'] === 'Open' || d['status'] === 'Draft'],
        ['in with null', { status: { in: ['Draft', null] } }, (d) => d['status'] === 'Draft' || value(d, 'status') === null],
        ['in [] matches nothing', { status: { in: [] } }, () => false],
        ['notIn matches nulls too', { status: { notIn: ['Open'] } }, (d) => d['status'] !== 'Open'],
        ['notIn [] matches everything', { status: { notIn: [] } }, () => true],
        ['not value matches nulls too', { status: { not: 'Open' } }, (d) => d['status'] !== 'Open'],
        ['not null = is not null', { status: { not: null } }, (d) => value(d, 'status') !== null],
        ['not filter', { qty_total: { not: { gt: 0 } } }, (d) => !(typeof d['qty_total'] === 'number' && d['qty_total'] > 0)],
        ['lt (null never compares)', { qty_total: { lt: 5 } }, (d) => typeof d['qty_total'] === 'number' && d['qty_total'] < 5],
        ['lte', { qty_total: { lte: 5 } }, (d) => typeof d['qty_total'] === 'number' && d['qty_total'] <= 5],
        ['gt', { amount: { gt: 1 } }, (d) => typeof d['amount'] === 'number' && d['amount'] > 1],
        ['gte', { amount: { gte: 100.5 } }, (d) => typeof d['amount'] === 'number' && d['amount'] >= 100.5],
        ['numbers compare numerically (10 > 5, not "10" < "5")', { qty_total: { gt: 5 } }, (d) => typeof d['qty_total'] === 'number' && d['qty_total'] > 5],
        ['range on one field', { qty_total: { gte: 0, lt: 10 } }, (d) => typeof d['qty_total'] === 'number' && d['qty_total'] >= 0 && d['qty_total'] < 10],
        ['dates compare as canonical strings', { posting_date: { gte: '2024-01-01', lt: '2024-02-01' } },
          (d) => typeof d['posting_date'] === 'string' && d['posting_date'] >= '2024-01-01' && d['posting_date'] < '2024-02-01'],
        ['contains is case-sensitive', { description: { contains: 'pple' } }, (d) => String(d['description'] ?? '').includes('pple') && d['description'] != null],
        ['contains takes % literally', { description: { contains: '%' } }, (d) => String(d['description'] ?? '').includes('%')],
        ['contains takes _ literally', { description: { contains: '_' } }, (d) => String(d['description'] ?? '').includes('_')],
        ['startsWith', { description: { startsWith: 'a' } }, (d) => typeof d['description'] === 'string' && d['description'].startsWith('a')],
        ['endsWith', { description: { endsWith: 'b' } }, (d) => typeof d['description'] === 'string' && d['description'].endsWith('b')],
        ['mode insensitive equals', { customer: { equals: 'ACME', mode: 'insensitive' } }, (d) => String(d['customer']).toLowerCase() === 'acme'],
        ['mode insensitive contains', { description: { contains: 'APPLE', mode: 'insensitive' } },
          (d) => typeof d['description'] === 'string' && d['description'].toLowerCase().includes('apple')],
        ['mode insensitive in', { customer: { in: ['BETA', 'zed'], mode: 'insensitive' } }, (d) => ['beta', 'zed'].includes(String(d['customer']).toLowerCase())],
        ['sibling keys are AND-ed', { status: 'Open', qty_total: 10 }, (d) => d['status'] === 'Open' && d['qty_total'] === 10],
        ['AND list', { AND: [{ status: 'Open' }, { amount: { gt: 50 } }] }, (d) => d['status'] === 'Open' && typeof d['amount'] === 'number' && d['amount'] > 50],
        ['OR', { OR: [{ status: 'Draft' }, { qty_total: { lt: 0 } }] }, (d) => d['status'] === 'Draft' || (typeof d['qty_total'] === 'number' && d['qty_total'] < 0)],
        ['OR [] matches nothing', { OR: [] }, () => false],
        ['NOT object', { NOT: { status: 'Open' } }, (d) => d['status'] !== 'Open'],
        ['NOT list = none of them', { NOT: [{ status: 'Open' }, { status: 'Closed' }] }, (d) => d['status'] !== 'Open' && d['status'] !== 'Closed'],
        ['NOT of a comparison includes nulls', { NOT: { amount: { gt: 1 } } }, (d) => !(typeof d['amount'] === 'number' && d['amount'] > 1)],
        ['nesting', { OR: [{ AND: [{ status: 'Open' }, { NOT: { customer: 'Acme' } }] }, { status: { equals: null } }] },
          (d) => (d['status'] === 'Open' && d['customer'] !== 'Acme') || value(d, 'status') === null],
        ['empty filter matches everything', {}, () => true],
        ['undefined values are ignored', { status: undefined }, () => true],
      ];
      for (const [title, where, predicate] of cases) {
        it(`where: ${title}`, async () => {
          const storage = await seeded();
          const got = await storage.query(ORDER, { where });
          expect(names(got)).toEqual(expected(predicate));
          expect(await storage.count(ORDER, where)).toBe(got.length);
        });
      }

      it('orders by several keys, null first ascending and last descending, then by name', async () => {
        const storage = await seeded();
        const asc = await storage.query(ORDER, { orderBy: [{ qty_total: 'asc' }] });
        // null (D) first, then -3, 0, 5, and the two 10s (B, E) by name.
        expect(names(asc)).toEqual(['D', 'C', 'F', 'A', 'B', 'E']);
        const multi = await storage.query(ORDER, { orderBy: [{ amount: 'desc' }, { posting_date: 'asc' }] });
        // amount desc: 100.5 (A, E: same date, so name), 2 (D), 0.1 (B), 0 (F), null (C) last.
        expect(names(multi)).toEqual(['A', 'E', 'D', 'B', 'F', 'C']);
        const objectForm = await storage.query(ORDER, { orderBy: { status: 'desc' } });
        expect(names(objectForm)).toEqual(['A', 'C', 'E', 'D', 'B', 'F']);
      });

      it('sorts text by code point (uppercase before lowercase, accents after z)', async () => {
        const storage = await seeded();
        const got = await storage.query(ORDER, { where: { customer: { not: null } }, orderBy: { customer: 'asc' } });
        expect(got.map((r) => r['customer'])).toEqual(['Acme', 'Beta', 'Zed', 'acme', 'Émile']);
      });

      it('without orderBy returns rows by name', async () => {
        const storage = await seeded();
        expect(names(await storage.query(ORDER))).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
      });

      it('take and skip page through the sorted rows', async () => {
        const storage = await seeded();
        expect(names(await storage.query(ORDER, { take: 2 }))).toEqual(['A', 'B']);
        expect(names(await storage.query(ORDER, { skip: 2, take: 3 }))).toEqual(['C', 'D', 'E']);
        expect(names(await storage.query(ORDER, { skip: 5, take: 3 }))).toEqual(['F']);
        expect(names(await storage.query(ORDER, { skip: 10 }))).toEqual([]);
        expect(names(await storage.query(ORDER, { take: 0 }))).toEqual([]);
      });

      it('fields projects columns; rows load only when asked', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Open', items: [row('R-1')] }));
        expect(await storage.query(ORDER, { fields: ['name', 'status'] })).toEqual([{ name: 'SO-1', status: 'Open' }]);
        const plain = await storage.query(ORDER);
        expect(plain[0]).not.toHaveProperty('items');
        expect(plain[0]).toMatchObject({ doctype: ORDER, name: 'SO-1' });
        const full = await storage.query(ORDER, { withChildren: true });
        expect(full[0]).toEqual(await storage.get(ORDER, 'SO-1'));
        const some = await storage.query(ORDER, { fields: ['name', 'items'] });
        expect(Object.keys(some[0] ?? {}).sort()).toEqual(['items', 'name']);
      });

      it('child tables are queryable by parent, parentfield and their own fields', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1', { qty: 1 }), row('R-2', { qty: 5 })] }));
        await storage.insert(ORDER, order('SO-2', { items: [row('R-3', { qty: 5 })] }));
        const got = await storage.query(ROW, { where: { parent: 'SO-1', qty: { gte: 2 } } });
        expect(names(got)).toEqual(['R-2']);
        expect(got[0]).toMatchObject({ doctype: ROW, parenttype: ORDER, parentfield: 'items' });
        expect(await storage.count(ROW, { qty: 5 })).toBe(2);
      });
    });

    describe('bad queries and documents', () => {
      const badQueries: [string, Query, StorageErrorCode, Plain][] = [
        ['unknown field in where', { where: { nope: 1 } }, 'STORAGE_UNKNOWN_FIELD', { field: 'nope', path: ['where', 'nope'] }],
        ['unknown field nested', { where: { OR: [{ status: 'Open' }, { stauts: 'x' }] } }, 'STORAGE_UNKNOWN_FIELD', { field: 'stauts', path: ['where', 'OR', 1, 'stauts'] }],
        ['Table field in where', { where: { items: 'x' } }, 'STORAGE_UNKNOWN_FIELD', { field: 'items' }],
        ['unknown field in orderBy', { orderBy: { nope: 'asc' } }, 'STORAGE_UNKNOWN_FIELD', { field: 'nope' }],
        ['unknown field in fields', { fields: ['name', 'nope'] }, 'STORAGE_UNKNOWN_FIELD', { field: 'nope' }],
        ['unknown operator', { where: { status: { like: 'O%' } } as unknown as Where }, 'STORAGE_BAD_QUERY', { path: ['where', 'status', 'like'] }],
        ['string operand on a number field', { where: { qty_total: { gt: '5' } } }, 'STORAGE_BAD_QUERY', { path: ['where', 'qty_total', 'gt'] }],
        ['number operand on a text field', { where: { status: 5 } }, 'STORAGE_BAD_QUERY', {}],
        ['boolean operand', { where: { active: true } as unknown as Where }, 'STORAGE_BAD_QUERY', {}],
        ['null in a comparison', { where: { qty_total: { lt: null } } as unknown as Where }, 'STORAGE_BAD_QUERY', {}],
        ['contains on a number field', { where: { qty_total: { contains: '1' } } as unknown as Where }, 'STORAGE_BAD_QUERY', {}],
        ['in without an array', { where: { status: { in: 'Open' } } as unknown as Where }, 'STORAGE_BAD_QUERY', {}],
        ['insensitive on a number field', { where: { qty_total: { equals: 1, mode: 'insensitive' } } }, 'STORAGE_BAD_QUERY', {}],
        ['OR without an array', { where: { OR: { status: 'Open' } } as unknown as Where }, 'STORAGE_BAD_QUERY', {}],
        ['filter on a JSON field', { where: { payload: 'x' } }, 'STORAGE_BAD_QUERY', {}],
        ['bad sort direction', { orderBy: { name: 'up' } } as unknown as Query, 'STORAGE_BAD_QUERY', {}],
        ['negative take', { take: -1 }, 'STORAGE_BAD_QUERY', { path: ['take'] }],
        ['fractional skip', { skip: 1.5 }, 'STORAGE_BAD_QUERY', { path: ['skip'] }],
        ['unknown query option', { limit: 3 } as unknown as Query, 'STORAGE_BAD_QUERY', {}],
      ];
      for (const [title, query, code, extra] of badQueries) {
        it(`query: ${title} → ${code}`, async () => {
          const storage = await fresh();
          await expectCode(storage.query(ORDER, query), code, { doctype: ORDER, ...extra });
        });
      }

      it('count validates its filter too', async () => {
        const storage = await fresh();
        await expectCode(storage.count(ORDER, { nope: 1 }), 'STORAGE_UNKNOWN_FIELD');
      });

      it('an unprepared DocType → STORAGE_UNKNOWN_DOCTYPE for every operation', async () => {
        const storage = await fresh();
        await expectCode(storage.get('Nope', 'x'), 'STORAGE_UNKNOWN_DOCTYPE', { doctype: 'Nope' });
        await expectCode(storage.query('Nope'), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.count('Nope'), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.exists('Nope', 'x'), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.insert('Nope', { name: 'x' }), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.update('Nope', { name: 'x' }, T0), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.delete('Nope', 'x'), 'STORAGE_UNKNOWN_DOCTYPE');
      });

      const badDocs: [string, Plain, Plain][] = [
        ['no name', { title: 'x' }, { field: 'name' }],
        ['empty name', { name: '' }, { field: 'name' }],
        ['a string in an Int field', order('X', { qty_total: '5' }), { field: 'qty_total', path: ['qty_total'] }],
        ['a fraction in an Int field', order('X', { qty_total: 1.5 }), { field: 'qty_total' }],
        ['NaN in a Currency field', order('X', { amount: Number.NaN }), { field: 'amount' }],
        ['a boolean in a Check field', order('X', { active: true }), { field: 'active' }],
        ['a number in a Data field', order('X', { status: 5 }), { field: 'status' }],
        ['a non-canonical Date', order('X', { posting_date: '01/02/2024' }), { field: 'posting_date' }],
        ['a Datetime with T', order('X', { due: '2024-01-01T10:00:00' }), { field: 'due' }],
        ['a docstatus of 3', order('X', { docstatus: 3 }), { field: 'docstatus' }],
        ['a Table field that is not an array', order('X', { items: {} }), { field: 'items' }],
        ['a row without a name', order('X', { items: [{ qty: 1 }] }), { path: ['items', 0, 'name'] }],
        ['a row that is not an object', order('X', { items: ['R-1'] }), { path: ['items', 0] }],
        ['a bad value in a row', order('X', { items: [row('R-1', { qty: 'many' })] }), { doctype: ROW, path: ['items', 0, 'qty'] }],
      ];
      for (const [title, doc, extra] of badDocs) {
        it(`insert: ${title} → STORAGE_BAD_DOCUMENT, nothing stored`, async () => {
          const storage = await fresh();
          const before = await dump(storage);
          await expectCode(storage.insert(ORDER, doc), 'STORAGE_BAD_DOCUMENT', extra);
          expect(await dump(storage)).toEqual(before);
        });
      }

      it('child DocTypes are written only through their parent', async () => {
        const storage = await fresh();
        await expectCode(storage.insert(ROW, row('R-1')), 'STORAGE_BAD_DOCUMENT', { doctype: ROW });
      });
    });

    describe('writes', () => {
      it('insert of an existing name → DUPLICATE_ENTRY (DuplicateEntryError), first document intact', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Open', items: [row('R-1')] }));
        const before = await dump(storage);
        const error = await expectCode(storage.insert(ORDER, order('SO-1', { status: 'Draft', items: [row('R-9')] })), 'DUPLICATE_ENTRY', {
          doctype: ORDER, docname: 'SO-1', exc: 'DuplicateEntryError',
        });
        expect(error.message).toBe('Conf Order SO-1 already exists');
        expect(await dump(storage)).toEqual(before);
      });

      it('a row name used by another document → DUPLICATE_ENTRY on the child DocType, nothing written', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
        const before = await dump(storage);
        await expectCode(storage.insert(ORDER, order('SO-2', { items: [row('R-2'), row('R-1')] })), 'DUPLICATE_ENTRY', { doctype: ROW, docname: 'R-1' });
        expect(await dump(storage)).toEqual(before);
      });

      it('two rows of one document with one name → DUPLICATE_ENTRY', async () => {
        const storage = await fresh();
        await expectCode(storage.insert(ORDER, order('SO-1', { items: [row('R-1'), row('R-1')] })), 'DUPLICATE_ENTRY', { doctype: ROW });
        expect(await storage.exists(ORDER, 'SO-1')).toBe(false);
      });

      it('update replaces the document and its rows: removed rows are gone, added present, changed changed', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Draft', items: [row('R-1'), row('R-2'), row('R-3')], notes: [{ name: 'N-1' }] }));
        const updated = await storage.update(ORDER, order('SO-1', {
          status: 'Open', modified: T1, items: [row('R-3', { qty: 9, idx: 1 }), row('R-4', { idx: 2 })],
        }), T0);
        const loaded = await storage.get(ORDER, 'SO-1');
        expect(loaded).toEqual(updated);
        expect(loaded).toMatchObject({ status: 'Open', modified: T1, notes: [] });
        expect((loaded?.['items'] as DocData[]).map((r) => [r['name'], r['qty'], r['idx']])).toEqual([['R-3', 9, 1], ['R-4', 1, 2]]);
        // The removed rows are gone from the child tables themselves, not only from the document.
        expect(names(await storage.query(ROW))).toEqual(['R-3', 'R-4']);
        expect(await storage.count(NOTE)).toBe(0);
      });

      it('update with a stale modified → TIMESTAMP_MISMATCH with Frappe\'s message, storage unchanged', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
        await storage.update(ORDER, order('SO-1', { modified: T1, items: [row('R-1')] }), T0);
        const before = await dump(storage);
        // A second writer still holding T0 must not overwrite the T1 save (no lost update).
        const stale = order('SO-1', { status: 'Closed', modified: '2024-01-15 10:32:00.000000', items: [] });
        const error = await expectCode(storage.update(ORDER, stale, T0), 'TIMESTAMP_MISMATCH', { exc: 'TimestampMismatchError', doctype: ORDER, docname: 'SO-1' });
        expect(error.message).toBe(
          'Error: Document has been modified after you have opened it (2024-01-15 10:31:00.000000, 2024-01-15 10:32:00.000000). ' +
            'Please refresh to get the latest document.',
        );
        expect(await dump(storage)).toEqual(before);
      });

      it('modified is compared as a string: the same instant written differently is a mismatch', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { modified: '2024-01-15 10:30:00.000000' }));
        await expectCode(storage.update(ORDER, order('SO-1', { modified: T1 }), '2024-01-15 10:30:00'), 'TIMESTAMP_MISMATCH');
      });

      it('a stored document without modified accepts any expected value (Frappe skips the check)', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { modified: null }));
        await storage.update(ORDER, order('SO-1', { modified: T1, status: 'Open' }), null);
        expect(await storage.get(ORDER, 'SO-1')).toMatchObject({ status: 'Open', modified: T1 });
      });

      it('update of a missing document → NOT_FOUND (DoesNotExistError)', async () => {
        const storage = await fresh();
        await expectCode(storage.update(ORDER, order('SO-9'), T0), 'NOT_FOUND', { exc: 'DoesNotExistError', docname: 'SO-9' });
        expect(await storage.count(ORDER)).toBe(0);
      });

      it('update cannot steal a row of another document', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
        await storage.insert(ORDER, order('SO-2', { items: [row('R-2')] }));
        const before = await dump(storage);
        await expectCode(storage.update(ORDER, order('SO-2', { modified: T1, items: [row('R-1')] }), T0), 'DUPLICATE_ENTRY', { doctype: ROW });
        expect(await dump(storage)).toEqual(before);
      });

      it('delete removes the document and all its rows, and leaves other documents alone', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1'), row('R-2')], notes: [{ name: 'N-1' }] }));
        await storage.insert(ORDER, order('SO-2', { items: [row('R-3')] }));
        await storage.delete(ORDER, 'SO-1');
        expect(await storage.get(ORDER, 'SO-1')).toBeUndefined();
        expect(names(await storage.query(ROW))).toEqual(['R-3']);
        expect(await storage.count(NOTE)).toBe(0);
        expect(names((await storage.get(ORDER, 'SO-2'))?.['items'] as DocData[])).toEqual(['R-3']);
        // The name and row names are free again.
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
      });

      it('delete of a missing document → NOT_FOUND', async () => {
        const storage = await fresh();
        await expectCode(storage.delete(ORDER, 'nope'), 'NOT_FOUND', { doctype: ORDER });
      });
    });

    describe.runIf(caps.has('unique'))('unique fields', () => {
      it('a repeated value → UNIQUE_VIOLATION naming the field, with Frappe\'s "{label} must be unique"', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { code: 'X-1' }));
        const before = await dump(storage);
        const error = await expectCode(storage.insert(ORDER, order('SO-2', { code: 'X-1' })), 'UNIQUE_VIOLATION', {
          field: 'code', exc: 'UniqueValidationError', doctype: ORDER, value: 'X-1',
        });
        expect(error.message).toBe('Order Code must be unique');
        expect(await dump(storage)).toEqual(before);
      });

      it('is case-sensitive and exact', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { code: 'X-1' }));
        await storage.insert(ORDER, order('SO-2', { code: 'x-1' }));
        await storage.insert(ORDER, order('SO-3', { code: 'X-1 ' }));
        expect(await storage.count(ORDER)).toBe(3);
      });

      it('blank values are never unique: null, "" and whitespace are stored as null (`frappe/model/base_document.py`)', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { code: '' }));
        await storage.insert(ORDER, order('SO-2', { code: '   ' }));
        await storage.insert(ORDER, order('SO-3', { code: null }));
        await storage.insert(ORDER, order('SO-4'));
        expect(await storage.count(ORDER, { code: null })).toBe(4);
      });

      it('a document may keep its own value on update, but not take another\'s', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { code: 'X-1' }));
        await storage.insert(ORDER, order('SO-2', { code: 'X-2' }));
        await storage.update(ORDER, order('SO-1', { code: 'X-1', modified: T1 }), T0);
        await expectCode(storage.update(ORDER, order('SO-2', { code: 'X-1', modified: T1 }), T0), 'UNIQUE_VIOLATION', { field: 'code' });
        expect(await storage.get(ORDER, 'SO-2')).toMatchObject({ code: 'X-2', modified: T0 });
      });

      it('unique child fields are unique across the child table, including rows of the same document', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1', { serial: 'S1' })] }));
        await expectCode(storage.insert(ORDER, order('SO-2', { items: [row('R-2', { serial: 'S1' })] })), 'UNIQUE_VIOLATION', { doctype: ROW, field: 'serial' });
        await expectCode(storage.insert(ORDER, order('SO-3', { items: [row('R-3', { serial: 'S9' }), row('R-4', { serial: 'S9' })] })), 'UNIQUE_VIOLATION', { doctype: ROW });
        expect(names(await storage.query(ORDER))).toEqual(['SO-1']);
        // Replacing a row with another that takes over its serial is fine: the old row is gone first.
        await storage.update(ORDER, order('SO-1', { modified: T1, items: [row('R-5', { serial: 'S1' })] }), T0);
        expect(names(await storage.query(ROW))).toEqual(['R-5']);
      });
    });

    describe.runIf(caps.has('transactions'))('transactions', () => {
      it('commits everything written through tx when fn resolves, and returns its result', async () => {
        const storage = await fresh();
        const result = await storage.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
          await tx.insert(ORDER, order('SO-2'));
          await tx.counters.next('SO-');
          // Reads inside see the transaction's own writes.
          expect(await tx.count(ORDER)).toBe(2);
          return 'done';
        });
        expect(result).toBe('done');
        expect(names(await storage.query(ORDER))).toEqual(['SO-1', 'SO-2']);
        expect(await storage.counters.current('SO-')).toBe(1);
      });

      it('a throw inside leaves nothing (documents, rows, updates, deletes, counters) and is rethrown', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-0', { items: [row('R-0')] }));
        const before = await dump(storage);
        const boom = new Error('boom');
        await expect(storage.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
          await tx.update(ORDER, order('SO-0', { modified: T1, status: 'Closed', items: [] }), T0);
          await tx.counters.next('SO-');
          await tx.delete(ORDER, 'SO-1');
          await tx.insert(ORDER, order('SO-2'));
          throw boom;
        })).rejects.toBe(boom);
        expect(await dump(storage)).toEqual(before);
      });

      it('a storage error inside rolls back the writes before it', async () => {
        const storage = await fresh();
        await expectCode(storage.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-1'));
          await tx.insert(ORDER, order('SO-1'));
        }), 'DUPLICATE_ENTRY');
        expect(await storage.count(ORDER)).toBe(0);
      });

      it('uncommitted writes are invisible outside the transaction', async () => {
        const storage = await fresh();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => { release = resolve; });
        let inserted!: () => void;
        const written = new Promise<void>((resolve) => { inserted = resolve; });
        const tx = storage.transaction(async (t) => {
          await t.insert(ORDER, order('SO-1'));
          inserted();
          await gate;
        });
        await written;
        expect(await storage.exists(ORDER, 'SO-1')).toBe(false);
        release();
        await tx;
        expect(await storage.exists(ORDER, 'SO-1')).toBe(true);
      });

      it('a write on the adapter during a transaction waits for it (serialised, no lost update)', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1'));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => { release = resolve; });
        const tx = storage.transaction(async (t) => {
          await t.update(ORDER, order('SO-1', { modified: T1, status: 'Open' }), T0);
          await gate;
        });
        // Written against T0 while the transaction (which moves modified to T1) is open.
        const outside = storage.update(ORDER, order('SO-1', { modified: '2024-01-15 10:33:00.000000', status: 'Closed' }), T0);
        release();
        await tx;
        await expectCode(outside, 'TIMESTAMP_MISMATCH');
        expect(await storage.get(ORDER, 'SO-1')).toMatchObject({ status: 'Open', modified: T1 });
      });

      it('the tx handle cannot be used after the transaction ends', async () => {
        const storage = await fresh();
        let leaked: { insert: StorageAdapter['insert'] } | undefined;
        await storage.transaction(async (tx) => {
          leaked = tx;
        });
        await expectCode(leaked!.insert(ORDER, order('SO-1')), 'STORAGE_FAILURE');
        expect(await storage.count(ORDER)).toBe(0);
      });
    });

    describe.runIf(caps.has('transactions') && caps.has('savepoints'))('nested transactions (savepoints)', () => {
      it('a failed inner transaction rolls back only its own writes', async () => {
        const storage = await fresh();
        await storage.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-1'));
          await expect(tx.transaction(async (inner) => {
            await inner.insert(ORDER, order('SO-2'));
            await inner.counters.next('SO-');
            throw new Error('inner');
          })).rejects.toThrow('inner');
          await tx.transaction(async (inner) => {
            await inner.insert(ORDER, order('SO-3'));
          });
        });
        expect(names(await storage.query(ORDER))).toEqual(['SO-1', 'SO-3']);
        expect(await storage.counters.current('SO-')).toBe(0);
      });

      it('an outer failure discards a committed inner transaction too', async () => {
        const storage = await fresh();
        await expect(storage.transaction(async (tx) => {
          await tx.transaction(async (inner) => {
            await inner.insert(ORDER, order('SO-1'));
          });
          throw new Error('outer');
        })).rejects.toThrow('outer');
        expect(await storage.count(ORDER)).toBe(0);
      });
    });

    describe('counters', () => {
      it('next starts at 1; current reads without changing; set makes next return value + 1', async () => {
        const storage = await fresh();
        expect(await storage.counters.current('SO-')).toBe(0);
        expect(await storage.counters.next('SO-')).toBe(1);
        expect(await storage.counters.next('SO-')).toBe(2);
        expect(await storage.counters.current('SO-')).toBe(2);
        await storage.counters.set('SO-', 41);
        expect(await storage.counters.next('SO-')).toBe(42);
        // Keys are independent, and '' is an ordinary key (format: autonames share it).
        expect(await storage.counters.next('')).toBe(1);
        expect(await storage.counters.next('__proto__')).toBe(1);
        expect(await storage.counters.current('SO-')).toBe(42);
      });

      it('200 parallel next() calls get 200 distinct, consecutive numbers', async () => {
        const storage = await fresh();
        await storage.counters.set('SINV-', 1000);
        const got = await Promise.all(Array.from({ length: 200 }, () => storage.counters.next('SINV-')));
        expect(new Set(got).size).toBe(200);
        expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => 1001 + i));
        expect(await storage.counters.current('SINV-')).toBe(1200);
      });
    });

    describe('getMany', () => {
      it('reads several documents by name in one call: found ones by name, missing ones absent, as get returns them', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Open', items: [row('R-1')] }));
        await storage.insert(ORDER, order('SO-2', { status: 'Closed' }));
        await storage.insert(ORDER, order('SO-3'));
        expect(storage.getMany).toBeTypeOf('function');
        const found = await storage.getMany!(ORDER, ['SO-2', 'nope', 'SO-1', 'SO-2', 'SO-1\u0000'], { fields: ['docstatus', 'status'] });
        expect([...found.keys()].sort()).toEqual(['SO-1', 'SO-2']);
        expect(found.get('SO-1')).toEqual({ name: 'SO-1', docstatus: 0, status: 'Open' });
        expect(found.get('SO-2')).toEqual(await storage.get(ORDER, 'SO-2', { fields: ['name', 'docstatus', 'status'] }));
        const whole = await storage.getMany!(ORDER, ['SO-1']);
        expect(whole.get('SO-1')).toEqual(await storage.get(ORDER, 'SO-1'));
        expect((await storage.getMany!(ORDER, [])).size).toBe(0);
        await expectCode(storage.getMany!('Nope', ['x']), 'STORAGE_UNKNOWN_DOCTYPE');
        await expectCode(storage.getMany!(ORDER, ['SO-1'], { fields: ['nope'] }), 'STORAGE_UNKNOWN_FIELD');
      });

      it('inside a transaction it sees the transaction\'s own writes', async () => {
        const storage = await fresh();
        await storage.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-1'));
          expect([...(await tx.getMany!(ORDER, ['SO-1', 'SO-2'])).keys()]).toEqual(['SO-1']);
        });
      });
    });

    describe('updateWhere (bulk column updates, as rename_doc repoints Links)', () => {
      it('sets columns on matching parent and child rows, keeping modified and every other value', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { customer: 'C-1', status: 'Open', items: [row('R-1', { item: 'OLD' }), row('R-2')] }));
        await storage.insert(ORDER, order('SO-2', { customer: 'C-1', items: [row('R-3', { item: 'OLD' })] }));
        await storage.insert(ORDER, order('SO-3', { customer: 'C-2' }));
        // Every adapter of coworker has its own (the helper's rewrite fallback is for adapters written elsewhere).
        expect(storage.updateWhere).toBeTypeOf('function');
        expect(await updateWhere(storage, ORDER, { customer: 'C-1' }, { customer: 'C-9' })).toBe(2);
        expect(await updateWhere(storage, ROW, { item: 'OLD' }, { item: 'NEW' })).toBe(2);
        expect(await updateWhere(storage, ORDER, { customer: 'nobody' }, { customer: 'C-9' })).toBe(0);
        const so1 = (await storage.get(ORDER, 'SO-1'))!;
        expect(so1).toMatchObject({ customer: 'C-9', status: 'Open', modified: T0, title: 'SO-1' });
        expect((so1.items as DocData[]).map((r) => [r.name, r.item, r.parent, r.idx])).toEqual([['R-1', 'NEW', 'SO-1', 1], ['R-2', 'ITEM-1', 'SO-1', 2]]);
        expect(((await storage.get(ORDER, 'SO-2'))!.items as DocData[])[0]!.item).toBe('NEW');
        expect((await storage.get(ORDER, 'SO-3'))!.customer).toBe('C-2');
        expect(await storage.count(ORDER, { customer: 'C-9' })).toBe(2);
        // Indexes (where an adapter keeps them) follow the new values.
        expect(names(await storage.query(ORDER, { where: { customer: 'C-9' } }))).toEqual(['SO-1', 'SO-2']);
      });

      it('refuses structural columns and bad values, and a unique clash changes nothing', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { code: 'A', customer: 'C-1' }));
        await storage.insert(ORDER, order('SO-2', { code: 'B', customer: 'C-1' }));
        const before = await dump(storage);
        await expectCode(updateWhere(storage, ORDER, { name: 'SO-1' }, { name: 'SO-9' }), 'STORAGE_BAD_QUERY');
        await expectCode(updateWhere(storage, ROW, {}, { parent: 'SO-2' }), 'STORAGE_BAD_QUERY');
        await expectCode(updateWhere(storage, ORDER, {}, {}), 'STORAGE_BAD_QUERY');
        await expectCode(updateWhere(storage, ORDER, { customer: 'C-1' }, { qty_total: 'many' }), 'STORAGE_BAD_DOCUMENT');
        if (caps.has('unique')) await expectCode(updateWhere(storage, ORDER, { customer: 'C-1' }, { code: 'Z' }), 'UNIQUE_VIOLATION');
        expect(await dump(storage)).toEqual(before);
      });

      it.runIf(caps.has('transactions'))('is part of the transaction it runs in', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { customer: 'C-1', items: [row('R-1')] }));
        const before = await dump(storage);
        await expect(storage.transaction(async (tx) => {
          await updateWhere(tx, ORDER, { customer: 'C-1' }, { customer: 'C-2' });
          await updateWhere(tx, ROW, { item: 'ITEM-1' }, { item: 'ITEM-2' });
          expect((await tx.get(ORDER, 'SO-1'))!.customer).toBe('C-2');
          throw new Error('roll back');
        })).rejects.toThrow('roll back');
        expect(await dump(storage)).toEqual(before);
      });
    });

    describe('setValues (bulk column updates by name)', () => {
      it('sets columns of child rows, which their documents then hold, keeping their order and modified', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1'), row('R-2'), row('R-3')] }));
        expect(await setStoredValues(storage, ROW, [{ name: 'R-2', values: { item: 'NEW', qty: 7 } }, { name: 'R-9', values: { item: 'X' } }])).toBe(1);
        const so1 = (await storage.get(ORDER, 'SO-1'))!;
        expect(so1.modified).toBe(T0);
        expect((so1.items as DocData[]).map((r) => [r.name, r.item, r.qty, r.idx])).toEqual([['R-1', 'ITEM-1', 1, 1], ['R-2', 'NEW', 7, 2], ['R-3', 'ITEM-1', 1, 3]]);
        expect(names(await storage.query(ROW, { where: { item: 'NEW' } }))).toEqual(['R-2']);
      });

      it('refuses the columns updateWhere refuses: a row cannot be moved to another document or table', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { items: [row('R-1')] }));
        await storage.insert(ORDER, order('SO-2'));
        const before = await dump(storage);
        for (const field of ['name', 'parent', 'parenttype', 'parentfield', 'doctype']) {
          await expectCode(setStoredValues(storage, ROW, [{ name: 'R-1', values: { [field]: 'SO-2' } }]), 'STORAGE_BAD_QUERY');
          await expectCode(updateWhere(storage, ROW, { name: 'R-1' }, { [field]: 'SO-2' }), 'STORAGE_BAD_QUERY');
        }
        await expectCode(setStoredValues(storage, ORDER, [{ name: 'SO-1', values: { nope: 1 } }]), 'STORAGE_UNKNOWN_FIELD');
        expect(await dump(storage)).toEqual(before);
      });
    });

    describe('control characters', () => {
      // Every C0 control except NUL, and DEL: stored, returned and matched exactly, on every adapter.
      const controls = `a${Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('')}\u007fz`;

      it('text with control characters (except NUL) round-trips and matches by equals, in, contains, startsWith', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-\u0001', { customer: controls, items: [row('R-\t1', { item: 'x\ny' })] }));
        await storage.insert(ORDER, order('SO-2', { customer: 'a' }));
        expect(await storage.get(ORDER, 'SO-\u0001', { fields: ['customer'] })).toEqual({ customer: controls });
        expect(names(await storage.query(ORDER, { where: { customer: controls } }))).toEqual(['SO-\u0001']);
        expect(names(await storage.query(ORDER, { where: { customer: { in: [controls, 'b'] } } }))).toEqual(['SO-\u0001']);
        expect(names(await storage.query(ORDER, { where: { customer: { contains: '\u001f\u007f' } } }))).toEqual(['SO-\u0001']);
        expect(names(await storage.query(ORDER, { where: { customer: { startsWith: 'a\u0001\u0002' } } }))).toEqual(['SO-\u0001']);
        expect(names(await storage.query(ROW, { where: { item: 'x\ny' } }))).toEqual(['R-\t1']);
        expect(await storage.exists(ORDER, 'SO-\u0001')).toBe(true);
      });

      it('NUL in a query operand → STORAGE_BAD_QUERY (never a driver error, never a silent "no match")', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { customer: 'a' }));
        const wheres: [Where, (string | number)[]][] = [
          [{ customer: 'a\u0000' }, ['where', 'customer']],
          [{ customer: { equals: '\u0000' } }, ['where', 'customer', 'equals']],
          [{ customer: { in: ['a', 'a\u0000b'] } }, ['where', 'customer', 'in', 1]],
          [{ customer: { contains: '\u0000' } }, ['where', 'customer', 'contains']],
          [{ customer: { not: 'x\u0000' } }, ['where', 'customer', 'not']],
          [{ OR: [{ status: 'Open' }, { title: { startsWith: '\u0000', mode: 'insensitive' } }] }, ['where', 'OR', 1, 'title', 'startsWith']],
        ];
        for (const [where, path] of wheres) {
          await expectCode(storage.query(ORDER, { where }), 'STORAGE_BAD_QUERY', { doctype: ORDER, path });
          await expectCode(storage.count(ORDER, where), 'STORAGE_BAD_QUERY', { path });
        }
        await expectCode(storage.query(ROW, { where: { parent: 'SO-1\u0000' } }), 'STORAGE_BAD_QUERY');
      });

      it('a name with NUL is never found (get, exists) and cannot be deleted (NOT_FOUND); text with NUL is not stored', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1'));
        expect(await storage.get(ORDER, 'SO-1\u0000')).toBeUndefined();
        expect(await storage.get(ORDER, 'SO-1\u0000x', { fields: ['name'] })).toBeUndefined();
        expect(await storage.exists(ORDER, 'SO-1\u0000')).toBe(false);
        await expectCode(storage.delete(ORDER, 'SO-1\u0000'), 'NOT_FOUND');
        const before = await dump(storage);
        await expectCode(storage.insert(ORDER, order('SO-\u0000')), 'STORAGE_BAD_DOCUMENT', { field: 'name' });
        await expectCode(storage.insert(ORDER, order('SO-2', { description: 'a\u0000b' })), 'STORAGE_BAD_DOCUMENT', { field: 'description', path: ['description'] });
        await expectCode(storage.insert(ORDER, order('SO-2', { items: [row('R-1', { item: '\u0000' })] })), 'STORAGE_BAD_DOCUMENT', { doctype: ROW, path: ['items', 0, 'item'] });
        await expectCode(storage.update(ORDER, order('SO-1', { modified: T1, title: 'x\u0000' }), T0), 'STORAGE_BAD_DOCUMENT', { field: 'title' });
        expect(await dump(storage)).toEqual(before);
        await expect(storage.counters.next('SO-\u0000')).rejects.toMatchObject({ code: 'NAMING_COUNTER_INVALID' });
      });
    });

    describe('isolation from callers', () => {
      it('changing the object passed to insert (or update) afterwards changes nothing stored', async () => {
        const storage = await fresh();
        const doc = order('SO-1', { status: 'Open', payload: { a: 1 }, items: [row('R-1')] });
        await storage.insert(ORDER, doc);
        const before = await storage.get(ORDER, 'SO-1');
        doc['status'] = 'Closed';
        (doc['payload'] as Plain)['a'] = 2;
        ((doc['items'] as Plain[])[0] as Plain)['qty'] = 99;
        (doc['items'] as Plain[]).push(row('R-2'));
        expect(await storage.get(ORDER, 'SO-1')).toEqual(before);
      });

      it('changing a returned object is impossible or has no effect on storage', async () => {
        const storage = await fresh();
        await storage.insert(ORDER, order('SO-1', { status: 'Open', payload: { a: 1 }, items: [row('R-1')] }));
        const before = structuredClone(await storage.get(ORDER, 'SO-1'));
        for (const got of [await storage.get(ORDER, 'SO-1'), (await storage.query(ORDER, { withChildren: true }))[0]]) {
          const attempts: (() => void)[] = [
            () => { (got as Plain)['status'] = 'Closed'; },
            () => { ((got as Plain)['payload'] as Plain)['a'] = 2; },
            () => { (((got as Plain)['items'] as Plain[])[0] as Plain)['qty'] = 99; },
            () => { ((got as Plain)['items'] as Plain[]).push(row('R-2')); },
          ];
          for (const attempt of attempts) {
            try { attempt(); } catch { /* frozen objects throw in strict mode: also fine */ }
          }
        }
        expect(await storage.get(ORDER, 'SO-1')).toEqual(before);
      });
    });

    describe.runIf(caps.has('write_steps'))('failed writes change nothing (fault injection)', () => {
      const seed = async (storage: StorageAdapter): Promise<void> => {
        await storage.insert(ORDER, order('SO-1', { code: 'C-1', items: [row('R-1'), row('R-2')], notes: [{ name: 'N-1' }] }));
      };
      const writes: [string, (s: StorageAdapter) => Promise<unknown>][] = [
        ['insert', (s) => s.insert(ORDER, order('SO-2', { items: [row('R-3'), row('R-4'), row('R-5')], notes: [{ name: 'N-2' }] }))],
        ['update', (s) => s.update(ORDER, order('SO-1', { modified: T1, status: 'Open', items: [row('R-2', { qty: 7 }), row('R-6'), row('R-7')], notes: [] }), T0)],
        ['delete', (s) => s.delete(ORDER, 'SO-1')],
      ];
      for (const [op, run] of writes) {
        it(`${op}: failing at each step leaves storage exactly as before`, async () => {
          // First learn the steps of this write from a clean run on a separate adapter.
          const probe = await fresh();
          await seed(probe);
          const recorder = withFaults(probe, { kind: 'begin', op: 'transaction' });
          await run(recorder);
          const steps = recorder.steps;
          expect(steps[0]).toMatchObject({ kind: 'begin', op });
          expect(steps.at(-1)).toMatchObject({ kind: 'commit', op });
          expect(steps.filter((s) => s.kind === 'row').length).toBeGreaterThan(1);

          const plans: FaultPlan[] = [
            { kind: 'begin' }, { kind: 'parent' }, { kind: 'row', index: 0 }, { kind: 'row', index: 1 },
            { kind: 'row', index: steps.filter((s) => s.kind === 'row').length - 1 }, { kind: 'commit' },
          ];
          for (const plan of plans) {
            const storage = await fresh();
            await seed(storage);
            const before = await dump(storage);
            const faulty = withFaults(storage, plan);
            await expectCode(run(faulty), 'STORAGE_FAILURE');
            expect(faulty.fired).toBe(1);
            expect(await dump(storage)).toEqual(before);
            // The same write succeeds afterwards: the failure left no lock or half-state behind.
            await run(storage);
          }
        });
      }

      it('a fault at a transaction commit discards the whole transaction', async () => {
        const storage = await fresh();
        await seed(storage);
        const before = await dump(storage);
        const faulty = withFaults(storage, { kind: 'commit', op: 'transaction' });
        await expectCode(faulty.transaction(async (tx) => {
          await tx.insert(ORDER, order('SO-2', { items: [row('R-3')] }));
          await tx.counters.next('SO-');
        }), 'STORAGE_FAILURE');
        expect(await dump(storage)).toEqual(before);
      });
    });
  });
}
