import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/postgres';
import { StorageError } from '../../src/storage/errors';
import type { StorageAdapter } from '../../src/storage/types';
import { conformanceDoctypes, storageConformance } from '../storage/conformance';
import { uniqueSchema, withServer } from './server';

withServer('postgres server', (url) => {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const schemas: string[] = [];
  afterAll(async () => {
    // Leave the server as we found it.
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const fresh = (): StorageAdapter => {
    const schema = uniqueSchema('conf');
    schemas.push(schema);
    return postgresAdapter(pool, { schema });
  };

  // The whole suite, with every capability: a server has real sessions, so reads outside an open
  // transaction see only committed data.
  storageConformance({
    name: 'postgres',
    create: async () => fresh(),
    capabilities: ['transactions', 'unique', 'savepoints', 'write_steps'],
  });

  it('concurrent updates of one document from separate pools: each applies or fails TIMESTAMP_MISMATCH, none is lost', async () => {
    const schema = uniqueSchema('race');
    schemas.push(schema);
    const first = postgresAdapter(url, { schema });
    await first.prepare(conformanceDoctypes());
    // Eight adapters, each with its own pool (its own connections), as eight app servers would have.
    const writers = [first, ...Array.from({ length: 7 }, () => postgresAdapter(url, { schema }))];
    for (const w of writers.slice(1)) await w.prepare(conformanceDoctypes());
    await first.insert('Conf Order', { name: 'SO-1', modified: '2024-01-01 00:00:00.000000', qty_total: 0 });

    // Every round: each writer reads the document, then all try to save qty_total + 1 with a new modified.
    let applied = 0;
    let mismatched = 0;
    let tick = 0;
    for (let round = 0; round < 5; round++) {
      const loaded = await Promise.all(writers.map((w) => w.get('Conf Order', 'SO-1')));
      const results = await Promise.allSettled(writers.map((w, i) => {
        const doc = loaded[i]!;
        const modified = `2024-01-02 00:00:${String(++tick % 60).padStart(2, '0')}.${String(tick).padStart(6, '0')}`;
        return w.update('Conf Order', { ...doc, qty_total: (doc['qty_total'] as number) + 1, modified }, doc['modified'] as string);
      }));
      for (const r of results) {
        if (r.status === 'fulfilled') applied++;
        else {
          expect(r.reason).toBeInstanceOf(StorageError);
          expect(r.reason).toMatchObject({ code: 'TIMESTAMP_MISMATCH' });
          mismatched++;
        }
      }
      // All of one round read the same `modified`: exactly one of them can win.
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    }
    const final = await first.get('Conf Order', 'SO-1');
    // No lost update: every applied save is in the counter, and nothing else is.
    expect(final?.['qty_total']).toBe(applied);
    expect(applied + mismatched).toBe(5 * writers.length);
    for (const w of writers) await w.close?.();
  });

  it('maps a driver failure to STORAGE_FAILURE with the driver error as cause (by SQLSTATE, not message)', async () => {
    const schema = uniqueSchema('fail');
    schemas.push(schema);
    const storage = postgresAdapter(pool, { schema });
    await storage.prepare(conformanceDoctypes());
    await storage.insert('Conf Order', { name: 'SO-1' });
    // Someone drops the table behind the adapter's back: 42P01 undefined_table.
    await pool.query(`DROP TABLE "${schema}"."tabConf Order"`);
    const error = await storage.get('Conf Order', 'SO-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_FAILURE', cause: { code: '42P01' } });
  });

  it('close() ends a pool the adapter created, and later calls fail with STORAGE_FAILURE', async () => {
    const schema = uniqueSchema('close');
    schemas.push(schema);
    const storage = postgresAdapter(url, { schema });
    await storage.prepare(conformanceDoctypes());
    await storage.close?.();
    await expect(storage.count('Conf Order')).rejects.toMatchObject({ code: 'STORAGE_FAILURE' });
  });
});
