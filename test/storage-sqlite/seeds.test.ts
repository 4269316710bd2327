/**
 * The seeds' layout: rows written by the original system with raw SQL are readable and queryable, and rows
 * this adapter writes keep that layout (one JSON document per row, `doctype` inside, child rows embedded).
 * Uses real ERPNext DocTypes from the shared corpus.
 */
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors';
import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { SqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { DocData } from '../../src/storage/types';
import { erpnextDoctypes, sqlJs } from './helpers';

const DOCTYPES = erpnextDoctypes('Sales Order', 'Quotation');
const T0 = '2024-01-10 09:00:00.000000';
const T1 = '2024-01-11 09:00:00.000000';

/** Documents as the seeds stored them: whole `as_dict()`-like JSON, child rows inline, values not always typed. */
const SEED_ROWS: [string, unknown][] = [
  ['SAL-ORD-2024-00001', {
    doctype: 'Sales Order', name: 'SAL-ORD-2024-00001', customer: 'Acme', transaction_date: '2024-01-10', modified: T0,
    // Legacy shapes: a Currency as text, a Check as a JSON boolean, an Int as text; no docstatus, no idx.
    grand_total: '1500.50', ignore_pricing_rule: true, loyalty_points: '12',
    // Keys that are not columns of Sales Order (a private key, an unknown key) are kept in the row but not read.
    __onload: { x: 1 }, legacy_note: 'kept in data',
    items: [
      // No idx on the first and third rows: they read as position + 1 (Frappe numbers rows from 1).
      { name: 'soi-1', item_code: 'ITEM-1', qty: '10', rate: 150.05 },
      { doctype: 'Sales Order Item', name: 'soi-2', item_code: 'ITEM-2', qty: 2, rate: 0, idx: 3, parent: 'WRONG' },
      { name: 'soi-3', item_code: 'ITEM-3', qty: 1.5 },
      'not a row',
    ],
  }],
  ['SAL-ORD-2024-00002', {
    doctype: 'Sales Order', name: 'SAL-ORD-2024-00002', customer: 'Beta', transaction_date: '2024-02-01', modified: T0,
    grand_total: 99.5, docstatus: 1, items: [{ name: 'soi-4', item_code: 'ITEM-1', qty: 5, idx: 1 }],
  }],
  // A document of a DocType this adapter was not given, and a DocType definition row: both invisible.
  ['CUST-1', { doctype: 'Customer', name: 'CUST-1', customer_name: 'Acme' }],
  ['Sales Order', { doctype: 'DocType', name: 'Sales Order', module: 'Selling' }],
];

async function seeded(): Promise<SqliteAdapter> {
  const SQL = await sqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE doctypes(name TEXT PRIMARY KEY, data TEXT)');
  for (const [name, data] of SEED_ROWS) db.run('INSERT INTO doctypes(name, data) VALUES (?, ?)', [name, JSON.stringify(data)]);
  const storage = sqliteAdapter({ database: db, doctypes: DOCTYPES });
  return storage;
}

function names(rows: readonly DocData[]): unknown[] {
  return rows.map((r) => r['name']);
}

describe('sqlite: reading rows the seeds wrote', () => {
  it('reads a seed document with its rows, typed by column kind, missing columns null', async () => {
    const storage = await seeded();
    const doc = await storage.get('Sales Order', 'SAL-ORD-2024-00001');
    expect(doc).toMatchObject({
      doctype: 'Sales Order', name: 'SAL-ORD-2024-00001', customer: 'Acme', modified: T0,
      grand_total: 1500.5, ignore_pricing_rule: 1, loyalty_points: 12,
      docstatus: 0, idx: 0, po_no: null, delivery_date: null,
    });
    expect(doc).not.toHaveProperty('legacy_note');
    expect(doc).not.toHaveProperty('__onload');
    const items = doc?.['items'] as DocData[];
    // Ordered by idx: soi-1 (position 0 → 1), soi-3 (position 2 → 3) and soi-2 (idx 3) tie, then name.
    expect(items.map((r) => [r['name'], r['idx']])).toEqual([['soi-1', 1], ['soi-2', 3], ['soi-3', 3]]);
    // Parent linkage comes from where the row sits, whatever the row says.
    for (const row of items) expect(row).toMatchObject({ doctype: 'Sales Order Item', parent: 'SAL-ORD-2024-00001', parenttype: 'Sales Order', parentfield: 'items' });
    expect(items[0]).toMatchObject({ qty: 10, rate: 150.05 });
    // Table fields the seed document lacks read as empty.
    expect(doc?.['taxes']).toEqual([]);
  });

  it('filters and sorts seed documents numerically, including numbers the seeds stored as text', async () => {
    const storage = await seeded();
    expect(names(await storage.query('Sales Order', { where: { grand_total: { gt: 100 } } }))).toEqual(['SAL-ORD-2024-00001']);
    expect(names(await storage.query('Sales Order', { orderBy: { grand_total: 'asc' } }))).toEqual(['SAL-ORD-2024-00002', 'SAL-ORD-2024-00001']);
    expect(names(await storage.query('Sales Order', { where: { ignore_pricing_rule: 1 } }))).toEqual(['SAL-ORD-2024-00001']);
    expect(names(await storage.query('Sales Order', { where: { docstatus: 0 } }))).toEqual(['SAL-ORD-2024-00001']);
    expect(await storage.count('Sales Order')).toBe(2);
  });

  it('queries the embedded rows as the child DocType, by their own fields and by parent', async () => {
    const storage = await seeded();
    const big = await storage.query('Sales Order Item', { where: { qty: { gte: 5 } }, orderBy: { qty: 'desc' } });
    expect(big.map((r) => [r['name'], r['qty'], r['parent']])).toEqual([['soi-1', 10, 'SAL-ORD-2024-00001'], ['soi-4', 5, 'SAL-ORD-2024-00002']]);
    expect(names(await storage.query('Sales Order Item', { where: { parent: 'SAL-ORD-2024-00001', idx: 3 } }))).toEqual(['soi-2', 'soi-3']);
    expect(await storage.get('Sales Order Item', 'soi-3')).toMatchObject({ parent: 'SAL-ORD-2024-00001', idx: 3, qty: 1.5 });
    // The string element of the array is not a row.
    expect(await storage.count('Sales Order Item')).toBe(4);
  });

  it('does not show rows of other DocTypes, but their names are taken (one table for all DocTypes)', async () => {
    const storage = await seeded();
    expect(await storage.exists('Sales Order', 'CUST-1')).toBe(false);
    expect(await storage.get('Sales Order', 'Sales Order')).toBeUndefined();
    const error = await storage.insert('Sales Order', { name: 'CUST-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'Sales Order', docname: 'CUST-1' });
    expect((error as Error).message).toContain('taken by a Customer document');
    // Neither update nor delete reaches a row of another DocType.
    await expect(storage.update('Sales Order', { name: 'CUST-1' }, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(storage.delete('Sales Order', 'CUST-1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('updates a seed document in place: checked against its stored modified, rewritten in the canonical shape', async () => {
    const storage = await seeded();
    const doc = await storage.get('Sales Order', 'SAL-ORD-2024-00001');
    await expect(storage.update('Sales Order', { ...doc, modified: T1 }, '2024-01-01 00:00:00.000000')).rejects.toMatchObject({ code: 'TIMESTAMP_MISMATCH' });
    const saved = await storage.update('Sales Order', { ...doc, modified: T1, status: 'To Deliver and Bill' }, T0);
    expect(saved).toEqual(await storage.get('Sales Order', 'SAL-ORD-2024-00001'));
    const raw = storage.database.exec("SELECT data FROM doctypes WHERE name = 'SAL-ORD-2024-00001'")[0]?.values[0]?.[0];
    const data = JSON.parse(String(raw)) as Record<string, unknown>;
    expect(data).toMatchObject({ doctype: 'Sales Order', grand_total: 1500.5, ignore_pricing_rule: 1, status: 'To Deliver and Bill', modified: T1 });
    // Keys that are not columns are dropped on save, as Frappe's get_valid_dict does.
    expect(data).not.toHaveProperty('legacy_note');
    expect((data['items'] as Record<string, unknown>[]).map((r) => [r['doctype'], r['name'], r['parent'], r['idx']])).toEqual([
      ['Sales Order Item', 'soi-1', 'SAL-ORD-2024-00001', 1], ['Sales Order Item', 'soi-2', 'SAL-ORD-2024-00001', 3], ['Sales Order Item', 'soi-3', 'SAL-ORD-2024-00001', 3],
    ]);
  });
});

describe('sqlite: the layout this adapter writes', () => {
  it('keeps exactly doctypes(name TEXT PRIMARY KEY, data TEXT), plus the added series table', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: DOCTYPES });
    const info = (table: string) => storage.database.exec(`SELECT name, type, pk FROM pragma_table_info('${table}')`)[0]?.values;
    expect(info('doctypes')).toEqual([['name', 'TEXT', 1], ['data', 'TEXT', 0]]);
    expect(info('series')).toEqual([['name', 'TEXT', 1], ['current', 'INTEGER', 0]]);
  });

  it('stores one JSON document per row with doctype inside and the rows embedded under their Table fields', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: DOCTYPES });
    await storage.insert('Sales Order', {
      name: 'SO-1', customer: 'Acme', modified: T0, __islocal: 1,
      items: [{ name: 'r1', item_code: 'ITEM-1', qty: 3 }], taxes: [{ name: 't1', charge_type: 'Actual', tax_amount: 7 }],
    });
    const rows = storage.database.exec('SELECT name, data FROM doctypes')[0]?.values ?? [];
    expect(rows).toHaveLength(1);
    const [name, text] = rows[0] as [string, string];
    const data = JSON.parse(text) as Record<string, unknown>;
    expect(name).toBe('SO-1');
    expect(data).toMatchObject({ doctype: 'Sales Order', name: 'SO-1', customer: 'Acme', modified: T0, docstatus: 0, idx: 0 });
    // Null columns are left out of the JSON (they read back as null), and so are keys that are not columns.
    expect(data).not.toHaveProperty('grand_total');
    expect(data).not.toHaveProperty('__islocal');
    expect((await storage.get('Sales Order', 'SO-1'))?.['grand_total']).toBeNull();
    expect(data['items']).toEqual([expect.objectContaining({ doctype: 'Sales Order Item', name: 'r1', qty: 3, parent: 'SO-1', parenttype: 'Sales Order', parentfield: 'items', idx: 1 })]);
    expect(data['taxes']).toEqual([expect.objectContaining({ doctype: 'Sales Taxes and Charges', name: 't1', tax_amount: 7, parentfield: 'taxes' })]);
    expect(data['payment_schedule']).toEqual([]);
  });

  it('a child DocType used by several parent DocTypes is queried across all of them', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: DOCTYPES });
    await storage.insert('Sales Order', { name: 'SO-1', taxes: [{ name: 't1', charge_type: 'Actual', tax_amount: 7 }] });
    await storage.insert('Quotation', { name: 'QTN-1', taxes: [{ name: 't2', charge_type: 'Actual', tax_amount: 9 }] });
    const taxes = await storage.query('Sales Taxes and Charges', { orderBy: { tax_amount: 'desc' } });
    expect(taxes.map((r) => [r['name'], r['parenttype'], r['parent']])).toEqual([['t2', 'Quotation', 'QTN-1'], ['t1', 'Sales Order', 'SO-1']]);
    expect(names(await storage.query('Sales Taxes and Charges', { where: { parenttype: 'Quotation' } }))).toEqual(['t2']);
    // Row names are the child table's key across parents too.
    await expect(storage.insert('Quotation', { name: 'QTN-2', taxes: [{ name: 't1', charge_type: 'Actual' }] }))
      .rejects.toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'Sales Taxes and Charges', docname: 't1' });
  });

  it('reads through the current DocType: a field added later reads as null, one removed is not returned', async () => {
    const SQL = await sqlJs();
    const db = new SQL.Database();
    const before = sqliteAdapter({ database: db, doctypes: DOCTYPES });
    await before.insert('Sales Order', { name: 'SO-1', customer: 'Acme', po_no: 'PO-9' });
    await before.close();
    const [order] = DOCTYPES.filter((d) => d.name === 'Sales Order');
    const changed = { ...order!, fields: [...order!.fields.filter((f) => f.fieldname !== 'po_no'), { ...order!.fields.find((f) => f.fieldname === 'customer')!, fieldname: 'customer_ref' }] };
    const after = sqliteAdapter({ database: db, doctypes: [...DOCTYPES.filter((d) => d.name !== 'Sales Order'), changed] });
    const doc = await after.get('Sales Order', 'SO-1');
    expect(doc).toMatchObject({ customer: 'Acme', customer_ref: null });
    expect(doc).not.toHaveProperty('po_no');
  });

  it('refuses a database whose doctypes table has another shape, and a second live adapter on one database', async () => {
    const SQL = await sqlJs();
    const odd = new SQL.Database();
    odd.run('CREATE TABLE doctypes(id INTEGER PRIMARY KEY, body TEXT)');
    expect(() => sqliteAdapter({ database: odd })).toThrow(/not the seeds' layout/);
    const db = new SQL.Database();
    const first = sqliteAdapter({ database: db });
    expect(() => sqliteAdapter({ database: db })).toThrow(/already has a live sqliteAdapter/);
    await first.close();
    // Closing releases the database (which the caller owns: it stays open) for a new adapter.
    expect(db.exec('SELECT count(*) FROM doctypes')[0]?.values).toEqual([[0]]);
    expect(() => sqliteAdapter({ database: db })).not.toThrow();
    expect(() => sqliteAdapter({})).toThrow(StorageError);
  });
});
