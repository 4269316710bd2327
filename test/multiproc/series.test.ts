/**
 * Naming series shared by processes: deleting the last document steps its series back (Frappe's
 * `revert_series_if_last`) with one conditional statement on PostgreSQL, so a number another process draws in
 * between is never handed out twice. Here the other process is another pool whose transaction has drawn a
 * number and not committed yet; the revert waits for its row lock, then finds the series moved on.
 */
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { fixedClock } from '../../src/env';
import { revertSeriesIfLast } from '../../src/naming/maintenance';
import { postgresAdapter } from '../../src/postgres';
import { parseDoctype } from '../../src/schema/parse';
import { uniqueSchema, withServer } from '../storage-pg/server';
import { NOTE } from './app';

withServer('series reverts across processes', (url) => {
  const schema = uniqueSchema('series');
  const pool = new pg.Pool({ connectionString: url });
  const [a, b] = [postgresAdapter(url, { schema }), postgresAdapter(url, { schema })];
  afterAll(async () => {
    await a.close?.();
    await b.close?.();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const ctx = { counters: a.counters, clock: fixedClock('2024-03-05T10:00:00Z'), timeZone: 'UTC' };

  it('a revert racing a draw in another process leaves the drawn number taken', async () => {
    await a.prepare([parseDoctype(NOTE)]);
    await a.counters.set('MPN-', 5);
    let commit!: () => void;
    const drawn = new Promise<number>((resolveDrawn) => {
      void b.transaction(async (tx) => {
        resolveDrawn(await tx.counters.next('MPN-')); // 6, row locked until commit
        await new Promise<void>((resolve) => (commit = resolve));
      });
    });
    expect(await drawn).toBe(6);
    // Process A deletes MPN-00005, which was the last number when it looked.
    const reverting = revertSeriesIfLast('MPN-.#####', 'MPN-00005', ctx);
    await new Promise((resolve) => setTimeout(resolve, 100));
    commit();
    await reverting;
    expect(await a.counters.current('MPN-')).toBe(6); // not 4: the next draw is 7, never a second 6
    expect(await a.counters.next('MPN-')).toBe(7);
  });

  it('steps back when the deleted document holds the last number, and only then', async () => {
    await a.counters.set('REV-', 3);
    await revertSeriesIfLast('REV-.#####', 'REV-00002', ctx);
    expect(await a.counters.current('REV-')).toBe(3);
    await revertSeriesIfLast('REV-.#####', 'REV-00003', ctx);
    expect(await a.counters.current('REV-')).toBe(2);
    await revertSeriesIfLast('NONE-.#####', 'NONE-00001', ctx);
    expect(await a.counters.current('NONE-')).toBe(0);
    expect(await a.counters.revert!('NONE-', 0)).toBe(false);
  });
});
