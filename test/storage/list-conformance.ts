/**
 * Frappe's list API through every adapter: `listQuery` (src/run/list-args.ts) translates get_list arguments
 * into a storage Query; each adapter must then return exactly the names real Frappe returns (list-cases.ts,
 * checked against the oracle in test/oracle/list.oracle.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { listQuery } from '../../src/run/list-args';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import type { StorageAdapter } from '../../src/storage/types';
import { LIST_CASES, LIST_DOCS, LIST_DOCTYPE, LIST_ORDER_JSON, LIST_ROW_JSON } from './list-cases';

const ROW = parseDoctype(LIST_ROW_JSON);
const ORDER = parseDoctype(LIST_ORDER_JSON);

/** Prepare the list DocTypes and insert the documents (names = titles, `modified` growing). */
export async function seedListDocs(storage: StorageAdapter): Promise<void> {
  await storage.prepare([ROW, ORDER]);
  let i = 0;
  for (const doc of LIST_DOCS) {
    i++;
    const stamp = `2024-03-01 10:00:0${i}.000000`;
    const items = (doc.items as Record<string, unknown>[]).map((r, j) => ({ ...r, name: `${String(doc.title)}-R${j + 1}`, idx: j + 1 }));
    await storage.insert(LIST_DOCTYPE, { ...doc, name: doc.title, creation: stamp, modified: stamp, owner: 'Administrator', modified_by: 'Administrator', docstatus: 0, items });
  }
}

/** Run get_list arguments against one adapter, as the select operation does. */
export async function runList(storage: StorageAdapter, args: Readonly<Record<string, unknown>>): Promise<readonly Record<string, unknown>[]> {
  const child = (name: string): DocType | undefined => (name === ROW.name ? ROW : undefined);
  const query = await listQuery(ORDER, args, {
    child,
    resolve: async (f) => {
      const rows = await storage.query(f.child.name, { where: { AND: [{ parenttype: LIST_DOCTYPE }, { parentfield: { in: [...f.parentfields] } }, f.where] }, fields: ['parent'] });
      return rows.map((r) => String(r.parent));
    },
  });
  return storage.query(LIST_DOCTYPE, query);
}

/**
 * Define the list-API conformance block for one adapter.
 * @param fresh - a prepared, empty adapter per call
 */
export function listConformance(fresh: () => Promise<StorageAdapter>): void {
  describe('Frappe get_list arguments', () => {
    it.each(LIST_CASES)('$title', async (c) => {
      const storage = await fresh();
      await seedListDocs(storage);
      const rows = await runList(storage, c.args);
      expect(rows.map((r) => r.name)).toEqual(c.names);
      if (c.rows) expect(rows).toEqual(c.rows);
    });
  });
}
