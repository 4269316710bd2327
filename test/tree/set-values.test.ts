/**
 * The storage `setValues` (bulk set of columns by name, no `modified` change) on memory, PGlite and the
 * PostgreSQL server, and the get + update fallback (`setStoredValues`) on SQLite, which has no native one: the
 * same results, the same refusals, and a rollback with the transaction.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDoctype } from '../../src/schema/parse';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import { memoryAdapter } from '../../src/storage/memory';
import { setStoredValues } from '../../src/storage/set-values';
import type { StorageAdapter } from '../../src/storage/types';
import { sqlJs } from '../storage-sqlite/helpers';
import { PG_URL, uniqueSchema } from '../storage-pg/server';
import { NODE, NODE_JSON } from './script';

const node = parseDoctype(NODE_JSON);
const MODIFIED = '2024-01-01 00:00:00.000000';
const doc = (name: string, extra: Record<string, unknown> = {}) => ({ name, node_name: name, modified: MODIFIED, lft: 0, rgt: 0, ...extra });

const pglite = new PGlite();
afterAll(() => pglite.close());
let n = 0;
const url = PG_URL;
const kinds: [string, () => Promise<StorageAdapter>][] = [
  ['memory', async () => memoryAdapter()],
  ['PGlite', async () => pgliteAdapter(pglite, { schema: `setv_${++n}` })],
  ['SQLite (fallback)', async () => sqliteAdapter({ sqlJs: await sqlJs() })],
  ...(url ? [['PostgreSQL server', async () => postgresAdapter(url, { schema: uniqueSchema('setv') })] as [string, () => Promise<StorageAdapter>]] : []),
];

describe.each(kinds)('setValues on %s', (_kind, make) => {
  it('sets the columns of the named rows only, keeps modified, skips missing names, rolls back with its transaction', async () => {
    const adapter = await make();
    try {
      await adapter.prepare([node]);
      for (const name of ['a', 'b', 'c']) await adapter.insert(NODE, doc(name));
      const changed = await setStoredValues(adapter, NODE, [
        { name: 'a', values: { lft: 1, rgt: 4 } }, { name: 'b', values: { lft: 2, rgt: 3, old_parent: 'a' } }, { name: 'ghost', values: { lft: 9 } },
      ]);
      expect(changed).toBe(2);
      expect(await adapter.get(NODE, 'a')).toMatchObject({ lft: 1, rgt: 4, modified: MODIFIED, node_name: 'a' });
      expect(await adapter.get(NODE, 'b')).toMatchObject({ lft: 2, rgt: 3, old_parent: 'a', modified: MODIFIED });
      expect(await adapter.get(NODE, 'c')).toMatchObject({ lft: 0, rgt: 0 });
      expect(await adapter.exists(NODE, 'ghost')).toBe(false);
      // null clears a column.
      await setStoredValues(adapter, NODE, [{ name: 'b', values: { old_parent: null } }]);
      expect((await adapter.get(NODE, 'b'))!.old_parent).toBeNull();
      await expect(adapter.transaction(async (tx) => {
        await setStoredValues(tx, NODE, [{ name: 'c', values: { lft: 5, rgt: 6 } }]);
        expect(await tx.get(NODE, 'c')).toMatchObject({ lft: 5, rgt: 6 });
        throw new Error('undo');
      })).rejects.toThrow('undo');
      expect(await adapter.get(NODE, 'c')).toMatchObject({ lft: 0, rgt: 0 });
    } finally {
      await adapter.close?.();
    }
  }, 60_000);

  it('refuses unknown columns, name, values a column cannot hold, and a taken unique value', async () => {
    const adapter = await make();
    try {
      await adapter.prepare([node]);
      for (const name of ['a', 'b']) await adapter.insert(NODE, doc(name));
      await expect(setStoredValues(adapter, NODE, [{ name: 'a', values: { nope: 1 } }])).rejects.toMatchObject({ code: 'STORAGE_UNKNOWN_FIELD' });
      await expect(setStoredValues(adapter, NODE, [{ name: 'a', values: { name: 'z' } }])).rejects.toMatchObject({ code: 'STORAGE_BAD_QUERY' });
      await expect(setStoredValues(adapter, NODE, [{ name: 'a', values: { lft: 'x' as never } }])).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
      await expect(setStoredValues(adapter, NODE, [{ name: 'b', values: { node_name: 'a' } }])).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
      expect(await adapter.get(NODE, 'b')).toMatchObject({ node_name: 'b' });
    } finally {
      await adapter.close?.();
    }
  }, 60_000);
});
