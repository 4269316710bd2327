/**
 * Single DocTypes against real Frappe v15 (the oracle; run with FRAPPE_ORACLE=1): the never-saved Single
 * (defaults), a save of it, `frappe.db.get_single_value` before and after, an insert over a saved Single and
 * a delete, compared with what runs return for the same steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, fixedClock } from '../../src/index';
import { hookDb } from '../../src/run/index';
import { memoryAdapter } from '../../src/storage/memory';
import { startOracle, type Oracle } from './harness';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const ROW = { name: 'Sg Single Row', istable: 1, module: 'Custom', fields: [f('label', 'Data'), f('n', 'Int')] };
const SINGLE = {
  name: 'Sg Single Probe', issingle: 1, module: 'Custom',
  fields: [
    f('title', 'Data', { default: 'Hello' }), f('count', 'Int', { default: '3' }), f('enabled', 'Check', { default: '1' }),
    f('rate', 'Float'), f('start', 'Date'), f('at', 'Datetime'), f('kind', 'Select', { options: 'A\nB', default: 'B' }),
    f('rows', 'Table', { options: 'Sg Single Row' }),
  ],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
};
const VALUES = ['name', 'title', 'count', 'enabled', 'rate', 'start', 'at', 'kind', 'docstatus'] as const;
const pick = (doc: Record<string, unknown>) => Object.fromEntries(VALUES.map((k) => [k, doc[k] ?? null]));
const rows = (doc: Record<string, unknown>) => (doc.rows as Record<string, unknown>[]).map((r) => ({ label: r.label, n: r.n, idx: r.idx }));

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('Single DocTypes as Frappe v15 keeps them (oracle)', () => {
  let oracle: Oracle;
  const adapter = memoryAdapter();
  const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [ROW, SINGLE], adapter, clock: fixedClock('2024-03-05T10:00:00Z') });
  const ours = async () => {
    const r = await engine.run({ operation: 'takeone', source_doctype: 'Sg Single Probe' });
    expect(r.error).toBeNull();
    return r.output!.data[0] as Record<string, unknown>;
  };
  const theirs = async () => (await oracle.must({ op: 'get', doctype: 'Sg Single Probe', name: 'Sg Single Probe' })).doc!;
  const singleValue = async (field: string) => ({
    frappe: (await oracle.must({ op: 'call', method: 'frappe.db.get_single_value', args: ['Sg Single Probe', field] })).value,
    ours: await hookDb(adapter, { getDoctype: (n) => engine.registry.tryGet(n) }).get_single_value('Sg Single Probe', field),
  });

  beforeAll(async () => {
    oracle = await startOracle();
    await oracle.must({ op: 'reset', doctypes: [ROW, SINGLE] });
    // reset wipes documents of ordinary tables; a Single's values are removed by deleting it.
    await oracle.must({ op: 'delete', doctype: 'Sg Single Probe', name: 'Sg Single Probe' });
  }, 300_000);
  afterAll(async () => oracle?.close());

  it('a never-saved Single reads as its defaults; get_single_value casts what is stored, not the defaults', async () => {
    expect(pick(await ours())).toEqual(pick(await theirs()));
    expect((await ours()).rows).toEqual([]);
    for (const field of ['count', 'title', 'rate', 'start', 'at', 'enabled']) {
      const { frappe, ours: mine } = await singleValue(field);
      expect(mine, field).toEqual(frappe);
    }
  }, 60_000);

  it('a save of the never-saved Single, then an insert over it, then a delete', async () => {
    const changes = { rate: 2.5, start: '2024-02-29', rows: [{ label: 'x', n: 1 }, { label: 'y' }] };
    await oracle.must({ op: 'save', doctype: 'Sg Single Probe', name: 'Sg Single Probe', changes });
    expect((await engine.run({ operation: 'update', target_doctype: 'Sg Single Probe', input: { data: changes } })).error).toBeNull();
    const [mine, frappe] = [await ours(), await theirs()];
    expect(pick(mine)).toEqual(pick(frappe));
    expect(rows(mine)).toEqual(rows(frappe));
    // Deliberate (docs/DECISIONS.md): the first save fills `creation`; Frappe's save path leaves it empty.
    expect(frappe.creation).toBeNull();
    expect(mine.creation).toBe(mine.modified);
    for (const field of ['count', 'rate', 'start', 'at', 'kind']) {
      const { frappe: value, ours: ourValue } = await singleValue(field);
      expect(ourValue, field).toEqual(value);
    }
    // insert of a Single: defaults + the values given, written into the one document (no DuplicateEntryError).
    const doc = { doctype: 'Sg Single Probe', title: 'Inserted', count: 9 };
    await oracle.must({ op: 'insert', doc });
    expect((await engine.run({ operation: 'create', target_doctype: 'Sg Single Probe', input: { data: doc } })).error).toBeNull();
    const [inserted, frappeInserted] = [await ours(), await theirs()];
    expect(pick(inserted)).toEqual(pick(frappeInserted));
    // Deliberate (docs/DECISIONS.md): the insert replaces the rows; Frappe's leaves the old ones in place.
    expect(rows(frappeInserted)).toEqual(rows(mine));
    expect(rows(inserted)).toEqual([]);
    // delete_doc removes the values (and rows): the defaults again.
    await oracle.must({ op: 'delete', doctype: 'Sg Single Probe', name: 'Sg Single Probe' });
    expect((await engine.run({ operation: 'delete', target_doctype: 'Sg Single Probe' })).error).toBeNull();
    const [after, frappeAfter] = [await ours(), await theirs()];
    expect(pick(after)).toEqual(pick(frappeAfter));
    expect(rows(after)).toEqual(rows(frappeAfter));
  }, 60_000);
});
