/**
 * Atomicity on the real tables: a failure at any step of a write (injected through the step hook, or raised
 * by SQLite itself) leaves the raw `doctypes` and `series` rows byte-for-byte as they were, and leaves no
 * transaction or savepoint open on the connection.
 */
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors';
import { withFaults } from '../../src/storage/faults';
import type { FaultPlan } from '../../src/storage/faults';
import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { SqliteAdapter } from '../../src/storage/sqlite/adapter';
import type { StorageAdapter } from '../../src/storage/types';
import { conformanceDoctypes } from '../storage/conformance';
import { idle, rawTables, sqlJs } from './helpers';

const ORDER = 'Conf Order';
const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';

async function seeded(): Promise<SqliteAdapter> {
  const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
  await storage.insert(ORDER, { name: 'SO-1', modified: T0, code: 'C-1', items: [{ name: 'R-1', serial: 'S1' }, { name: 'R-2' }], notes: [{ name: 'N-1' }] });
  await storage.counters.set('SO-', 7);
  return storage;
}

const writes: [string, (s: StorageAdapter) => Promise<unknown>, number][] = [
  ['insert', (s) => s.insert(ORDER, { name: 'SO-2', modified: T0, items: [{ name: 'R-3' }, { name: 'R-4' }], notes: [{ name: 'N-2' }] }), 3],
  // Deletes R-1 and N-1, puts: four row steps.
  ['update', (s) => s.update(ORDER, { name: 'SO-1', modified: T1, items: [{ name: 'R-2', qty: 4 }, { name: 'R-5' }] }, T0), 4],
  ['delete', (s) => s.delete(ORDER, 'SO-1'), 3],
];

describe('sqlite: a failed write leaves the tables unchanged', () => {
  for (const [op, run, rowSteps] of writes) {
    it(`${op}: a fault at every step`, async () => {
      const plans: FaultPlan[] = [{ kind: 'begin' }, { kind: 'parent' }, { kind: 'commit' }];
      for (let index = 0; index < rowSteps; index++) plans.push({ kind: 'row', index });
      for (const plan of plans) {
        const storage = await seeded();
        const before = rawTables(storage.database);
        const faulty = withFaults(storage, plan);
        await expect(run(faulty)).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
        expect(faulty.fired, JSON.stringify(plan)).toBe(1);
        expect(rawTables(storage.database), JSON.stringify(plan)).toEqual(before);
        expect(idle(storage.database), JSON.stringify(plan)).toBe(true);
        // Nothing half-done stays behind: the same write then succeeds.
        await run(storage);
      }
    });
  }

  it('reports steps in order: begin, parent, rows (deletes, then puts), commit', async () => {
    const storage = await seeded();
    const recorder = withFaults(storage, { kind: 'begin', op: 'transaction' });
    await writes[1]![1](recorder);
    expect(recorder.steps.map((s) => (s.kind === 'row' ? `${s.action} ${s.row}` : s.kind))).toEqual([
      'begin', 'parent', 'delete R-1', 'delete N-1', 'put R-2', 'put R-5', 'commit',
    ]);
  });

  it('a fault passes the planned error through unchanged', async () => {
    const storage = await seeded();
    const mine = new Error('disk full (simulated)');
    await expect(withFaults(storage, { kind: 'parent', error: mine }).insert(ORDER, { name: 'SO-9' })).rejects.toBe(mine);
    expect(await storage.exists(ORDER, 'SO-9')).toBe(false);
  });

  it('an error raised by SQLite itself (a trigger) becomes STORAGE_FAILURE with the driver error as cause', async () => {
    const storage = await seeded();
    storage.database.run(`CREATE TRIGGER refuse_boom BEFORE INSERT ON doctypes WHEN json_extract(NEW.data, '$.customer') = 'boom'
      BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`);
    storage.database.run(`CREATE TRIGGER refuse_update AFTER UPDATE ON doctypes WHEN json_extract(NEW.data, '$.status') = 'Closed'
      BEGIN SELECT RAISE(ABORT, 'closing refused'); END`);
    const before = rawTables(storage.database);
    const error = await storage.insert(ORDER, { name: 'SO-2', customer: 'boom', items: [{ name: 'R-9' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_FAILURE', exc: 'DatabaseError' });
    expect(String((error as StorageError).cause)).toContain('refused by trigger');
    await expect(storage.update(ORDER, { name: 'SO-1', modified: T1, status: 'Closed' }, T0)).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
    expect(rawTables(storage.database)).toEqual(before);
    expect(idle(storage.database)).toBe(true);
  });

  it('inside a transaction, a failed write undoes only itself; the transaction goes on and commits', async () => {
    const storage = await seeded();
    const faulty = withFaults(storage, { kind: 'row', op: 'insert', index: 1 });
    await faulty.transaction(async (tx) => {
      await tx.insert(ORDER, { name: 'SO-2', items: [{ name: 'R-3' }] });
      await expect(tx.insert(ORDER, { name: 'SO-3', items: [{ name: 'R-4' }, { name: 'R-5' }] })).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
      expect(await tx.exists(ORDER, 'SO-3')).toBe(false);
      await tx.counters.next('SO-');
    });
    expect((await storage.query(ORDER)).map((d) => d['name'])).toEqual(['SO-1', 'SO-2']);
    expect((await storage.query('Conf Row')).map((d) => d['name'])).toEqual(['R-1', 'R-2', 'R-3']);
    expect(await storage.counters.current('SO-')).toBe(8);
    expect(idle(storage.database)).toBe(true);
  });

  it('a transaction that throws leaves the raw tables (and the connection) as before', async () => {
    const storage = await seeded();
    const before = rawTables(storage.database);
    await expect(storage.transaction(async (tx) => {
      await tx.update(ORDER, { name: 'SO-1', modified: T1, items: [] }, T0);
      await tx.counters.next('SO-');
      await tx.counters.next('NEW-');
      await tx.transaction(async (inner) => inner.insert(ORDER, { name: 'SO-2' }));
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(rawTables(storage.database)).toEqual(before);
    expect(idle(storage.database)).toBe(true);
  });
});
