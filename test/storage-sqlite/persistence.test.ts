/**
 * Persistence through the database file's bytes (`exportBytes`, the `save` hook), closing, and what reads
 * outside an open transaction see on the one shared connection.
 */
import { describe, expect, it } from 'vitest';
import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { SqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { StorageAdapter } from '../../src/storage/types';
import { conformanceDoctypes } from '../storage/conformance';
import { sqlJs } from './helpers';

const ORDER = 'Conf Order';
const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';

async function everything(storage: StorageAdapter): Promise<unknown> {
  return {
    orders: await storage.query(ORDER, { withChildren: true }),
    rows: await storage.query('Conf Row'),
    counters: [await storage.counters.current('SO-'), await storage.counters.current('')],
  };
}

async function fill(storage: StorageAdapter): Promise<void> {
  await storage.insert(ORDER, { name: 'SO-1', modified: T0, amount: 0.1 + 0.2, payload: { deep: [1, { x: null }] }, items: [{ name: 'R-1', qty: 2.5 }] });
  await storage.insert(ORDER, { name: 'SO-2', modified: T0, customer: 'Zoë 😀', notes: [{ name: 'N-1', note: 'n' }] });
  await storage.counters.set('SO-', 41);
  await storage.counters.next('');
}

describe('sqlite: persistence', () => {
  it('exported bytes open as a database holding the same documents and counters', async () => {
    const SQL = await sqlJs();
    const first = sqliteAdapter({ sqlJs: SQL, doctypes: conformanceDoctypes() });
    await fill(first);
    const original = await everything(first);
    const bytes = await first.exportBytes();
    await first.close();
    const second = sqliteAdapter({ sqlJs: SQL, data: bytes, doctypes: conformanceDoctypes() });
    expect(await everything(second)).toEqual(original);
    expect(original).toMatchObject({ counters: [41, 1] });
    expect((await second.get(ORDER, 'SO-1'))?.['amount']).toBe(0.30000000000000004);
    // And the copy is a working store: writes continue where the original stopped.
    expect(await second.counters.next('SO-')).toBe(42);
    await second.update(ORDER, { name: 'SO-2', modified: T1 }, T0);
  });

  it('exportBytes waits for an open transaction and then includes it', async () => {
    const SQL = await sqlJs();
    const storage = sqliteAdapter({ sqlJs: SQL, doctypes: conformanceDoctypes() });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const tx = storage.transaction(async (t) => {
      await t.insert(ORDER, { name: 'SO-1' });
      await gate;
    });
    const exported = storage.exportBytes();
    release();
    await tx;
    const copy = sqliteAdapter({ sqlJs: SQL, data: await exported, doctypes: conformanceDoctypes() });
    expect(await copy.exists(ORDER, 'SO-1')).toBe(true);
  });

  it('save receives the file after every committed write, transaction and counter change, and never for a failed one', async () => {
    const SQL = await sqlJs();
    const saves: Uint8Array[] = [];
    const storage = sqliteAdapter({ sqlJs: SQL, doctypes: conformanceDoctypes(), save: (bytes) => { saves.push(bytes); } });
    await fill(storage);
    expect(saves).toHaveLength(4);
    await expect(storage.insert(ORDER, { name: 'SO-1' })).rejects.toMatchObject({ code: 'DUPLICATE_ENTRY' });
    await expect(storage.update(ORDER, { name: 'SO-1', modified: T1 }, '2000-01-01 00:00:00')).rejects.toMatchObject({ code: 'TIMESTAMP_MISMATCH' });
    await expect(storage.transaction(async (tx) => { await tx.insert(ORDER, { name: 'SO-3' }); throw new Error('no'); })).rejects.toThrow('no');
    expect(saves).toHaveLength(4);
    // One save for a whole transaction, not one per write inside it.
    await storage.transaction(async (tx) => {
      await tx.insert(ORDER, { name: 'SO-3' });
      await tx.delete(ORDER, 'SO-2');
      await tx.counters.next('SO-');
    });
    expect(saves).toHaveLength(5);
    const reopened = sqliteAdapter({ sqlJs: SQL, data: saves.at(-1), doctypes: conformanceDoctypes() });
    expect(await everything(reopened)).toEqual(await everything(storage));
  });

  it('a failing save rejects with STORAGE_FAILURE saying the write is committed in memory', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes(), save: () => { throw new Error('EACCES'); } });
    const error = await storage.insert(ORDER, { name: 'SO-1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_FAILURE', cause: new Error('EACCES') });
    expect((error as Error).message).toContain('committed in memory');
    expect(await storage.exists(ORDER, 'SO-1')).toBe(true);
  });

  it('close waits for pending writes, then every call fails; a database the adapter opened is closed', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
    const pending = storage.insert(ORDER, { name: 'SO-1' });
    await storage.close();
    await pending;
    await expect(storage.get(ORDER, 'SO-1')).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    await expect(storage.insert(ORDER, { name: 'SO-2' })).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    await expect(storage.exportBytes()).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    expect(() => storage.database.exec('SELECT 1')).toThrow();
  });
});

describe('sqlite: reads outside an open transaction see committed data only', () => {
  it('updates, deletes, row changes and counters of an open transaction are invisible outside until commit', async () => {
    const storage: SqliteAdapter = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
    await fill(storage);
    const before = await everything(storage);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let written!: () => void;
    const inside = new Promise<void>((resolve) => { written = resolve; });
    const tx = storage.transaction(async (t) => {
      await t.update(ORDER, { name: 'SO-1', modified: T1, status: 'Open', items: [{ name: 'R-7', qty: 7 }] }, T0);
      await t.delete(ORDER, 'SO-2');
      await t.insert(ORDER, { name: 'SO-3', items: [{ name: 'R-8' }] });
      await t.counters.next('SO-');
      await t.counters.set('NEW-', 5);
      expect(await t.count('Conf Row')).toBe(2);
      written();
      await gate;
    });
    await inside;
    expect(await everything(storage)).toEqual(before);
    expect(await storage.get(ORDER, 'SO-1')).toMatchObject({ status: null, modified: T0 });
    expect(await storage.count('Conf Row', { qty: 7 })).toBe(0);
    expect(await storage.counters.current('NEW-')).toBe(0);
    release();
    await tx;
    expect((await storage.query(ORDER)).map((d) => d['name'])).toEqual(['SO-1', 'SO-3']);
    expect((await storage.query('Conf Row')).map((d) => d['name'])).toEqual(['R-7', 'R-8']);
    expect(await storage.counters.current('SO-')).toBe(42);
    expect(await storage.counters.current('NEW-')).toBe(5);
  });
});
