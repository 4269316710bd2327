/**
 * The SQLite adapter's side tables (`coworker_rows`, `coworker_keys`): writes check row names and unique
 * values through them instead of parsing every stored document, they are rebuilt for a database the seeds
 * wrote (or for a DocType whose keys changed), and filters on unique / search_index fields read only the
 * documents holding the value.
 */
import { describe, expect, it } from 'vitest';
import { parseDoctype } from '../../src/schema/parse';
import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { DocData } from '../../src/storage/types';
import { sqlJs } from './helpers';

const row = parseDoctype({ name: 'Key Row', doctype: 'DocType', module: 'T', istable: 1, fields: [{ fieldname: 'serial', fieldtype: 'Data', unique: 1 }] });
const parent = (extra: object[] = []) => parseDoctype({
  name: 'Key Doc', doctype: 'DocType', module: 'T',
  fields: [
    { fieldname: 'code', fieldtype: 'Data', unique: 1 },
    { fieldname: 'status', fieldtype: 'Data', search_index: 1 },
    { fieldname: 'qty', fieldtype: 'Int', search_index: 1 },
    { fieldname: 'items', fieldtype: 'Table', options: 'Key Row' },
    ...extra,
  ],
});
const names = (docs: readonly DocData[]) => docs.map((d) => d['name']);

describe('sqlite side tables', () => {
  it('a database the seeds wrote (no side tables) gets them on open: taken row names and unique values are refused', async () => {
    const SQL = await sqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE doctypes(name TEXT PRIMARY KEY, data TEXT)');
    db.run('INSERT INTO doctypes VALUES (?, ?)', ['K-1', JSON.stringify({ doctype: 'Key Doc', name: 'K-1', code: 'C1', status: 'Open', qty: '3', items: [{ doctype: 'Key Row', name: 'R-1', serial: 'S1' }] })]);
    const storage = sqliteAdapter({ database: db, doctypes: [row, parent()] });
    await expect(storage.insert('Key Doc', { name: 'K-2', items: [{ name: 'R-1' }] })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'Key Row', docname: 'R-1' });
    await expect(storage.insert('Key Doc', { name: 'K-2', code: 'C1' })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'code' });
    await expect(storage.insert('Key Doc', { name: 'K-2', items: [{ name: 'R-2', serial: 'S1' }] })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'serial', value: 'S1' });
    // The legacy text '3' is the number 3, as filters read it.
    expect(names(await storage.query('Key Doc', { where: { qty: 3 } }))).toEqual(['K-1']);
    // The seed document may keep its own row names and values.
    await storage.update('Key Doc', { name: 'K-1', code: 'C1', items: [{ name: 'R-1', serial: 'S1' }, { name: 'R-9', serial: 'S9' }] }, null);
    await storage.insert('Key Doc', { name: 'K-2', code: 'C2', items: [{ name: 'R-2', serial: 'S2' }] });
    // Deleting frees the names and values.
    await storage.delete('Key Doc', 'K-1');
    await storage.insert('Key Doc', { name: 'K-3', code: 'C1', items: [{ name: 'R-1', serial: 'S1' }, { name: 'R-9', serial: 'S9' }] });
    expect(db.exec('SELECT count(*) FROM coworker_rows')[0]?.values).toEqual([[3]]);
    await storage.close();
  });

  it('a field that becomes unique later is checked against the documents stored before', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: [row, parent([{ fieldname: 'ref', fieldtype: 'Data' }])] });
    await storage.insert('Key Doc', { name: 'K-1', ref: 'same' });
    await storage.prepare([parent([{ fieldname: 'ref', fieldtype: 'Data', unique: 1 }])]);
    await expect(storage.insert('Key Doc', { name: 'K-2', ref: 'same' })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'ref' });
    await storage.close();
  });

  it('indexed filters give what a scan gives, also inside a transaction and for readers outside it', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: [row, parent()] });
    for (let i = 0; i < 30; i++) await storage.insert('Key Doc', { name: `K-${i}`, code: `C${i}`, status: i % 3 ? 'Open' : 'Closed', qty: i % 5 });
    const open = names(await storage.query('Key Doc', { where: { status: 'Open', qty: { in: [1, 2] } } }));
    expect(open).toEqual(names(await storage.query('Key Doc', { where: { status: { startsWith: 'Open' }, qty: { gte: 1, lte: 2 } } })));
    expect(open.length).toBeGreaterThan(0);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let changed!: () => void;
    const done = new Promise<void>((resolve) => { changed = resolve; });
    const tx = storage.transaction(async (t) => {
      await t.update('Key Doc', { name: 'K-1', code: 'C1', status: 'Closed', qty: 1 }, null);
      await t.insert('Key Doc', { name: 'K-new', code: 'new', status: 'Open', qty: 1 });
      try {
        expect(names(await t.query('Key Doc', { where: { status: 'Open', qty: 1 } }))).toEqual(['K-11', 'K-16', 'K-26', 'K-new']);
      } finally {
        changed();
      }
      await gate;
    });
    await done;
    // Outside: the committed state.
    const outside = names(await storage.query('Key Doc', { where: { status: 'Open', qty: 1 } }));
    release();
    expect(outside).toEqual(['K-1', 'K-11', 'K-16', 'K-26']);
    await tx;
    expect(names(await storage.query('Key Doc', { where: { status: 'Open', qty: 1 } }))).toEqual(['K-11', 'K-16', 'K-26', 'K-new']);
    expect(names(await storage.query('Key Doc', { where: { code: { in: ['C7', 'new', 'nope'] } } }))).toEqual(['K-7', 'K-new']);
    await storage.close();
  });

  it('an indexed filter reads the documents through the key index and the primary key, not by scanning the DocType', async () => {
    const SQL = await sqlJs();
    const db = new SQL.Database();
    const statements: [string, unknown][] = [];
    const exec = db.exec.bind(db);
    db.exec = ((sql: string, params?: never) => {
      if (sql.startsWith('SELECT s.name')) statements.push([sql, params]);
      return exec(sql, params);
    }) as typeof db.exec;
    const storage = sqliteAdapter({ database: db, doctypes: [row, parent()] });
    for (let i = 0; i < 20; i++) await storage.insert('Key Doc', { name: `K-${i}`, code: `C${i}`, status: 'Open' });
    for (const where of [{ status: 'Open', qty: null }, { code: { in: ['C1', 'C2'] } }]) {
      statements.length = 0;
      await storage.query('Key Doc', { where });
      const [sql, params] = statements.at(-1)!;
      const plan = exec(`EXPLAIN QUERY PLAN ${sql}`, params as never)[0]?.values.map((r) => String(r.at(-1))).join('\n') ?? '';
      expect(plan).toMatch(/coworker_keys_value/);
      expect(plan).toMatch(/SEARCH s USING INDEX sqlite_autoindex_doctypes_1 \(name=\?\)/);
      expect(plan).not.toMatch(/SCAN s\b/);
    }
    await storage.close();
    db.close();
  });
});
