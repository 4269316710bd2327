/**
 * The get_list cases of the storage conformance suite, asked of real Frappe v15 (PostgreSQL): Frappe returns
 * the same names for the same documents. Gated on FRAPPE_ORACLE=1 (the oracle's README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { sharedRoot } from '../helpers/paths';
import { LIST_CASES, LIST_DOCS, LIST_DOCTYPE, LIST_ORDER_JSON, LIST_ROW_JSON } from '../storage/list-cases';

interface Oracle {
  must(req: Record<string, unknown>): Promise<{ docs?: Record<string, unknown>[] }>;
  request(req: Record<string, unknown>): Promise<{ ok: boolean; docs?: Record<string, unknown>[]; exc_type: string | null; message: string | null }>;
  close(): Promise<void> | void;
}

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('get_list vs Frappe v15', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    const client = (await import(path.join(sharedRoot, 'frappe-oracle/client.mjs'))) as { FrappeOracle: { start(o: { dir: string }): Promise<Oracle> } };
    oracle = await client.FrappeOracle.start({ dir: path.join(sharedRoot, 'frappe-oracle') });
    await oracle.must({ op: 'reset', doctypes: [LIST_ROW_JSON, LIST_ORDER_JSON] });
    // One request per document, in order, so `modified` grows as in the conformance suite.
    for (const doc of LIST_DOCS) await oracle.must({ op: 'insert', doc: { doctype: LIST_DOCTYPE, ...doc } });
  }, 180_000);
  afterAll(async () => {
    await oracle?.close();
  });

  it.each(LIST_CASES)('$title', async (c) => {
    const res = await oracle.request({ op: 'get_list', doctype: LIST_DOCTYPE, ...c.args });
    expect(res.exc_type).toBeNull();
    expect(res.docs?.map((d) => d.name)).toEqual(c.names);
    if (c.rows) expect(res.docs).toEqual(c.rows);
  });
});
