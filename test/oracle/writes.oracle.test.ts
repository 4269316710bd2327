/**
 * Issue 10 §2 against real Frappe v15 (the oracle; run with FRAPPE_ORACLE=1): what the server stores for a
 * number in a Data field, Frappe's date and time forms, input to a read-only field, an unknown key and rows in
 * Frappe's own shape, compared with what a run stores for the same input.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, fixedClock, normalizeTemporal } from '../../src/index';
import { sharedRoot } from '../helpers/paths';

interface OracleResponse { ok: boolean; doc?: Record<string, unknown>; exc_type: string | null; message: string | null }
interface Oracle {
  must(req: Record<string, unknown>): Promise<OracleResponse>;
  request(req: Record<string, unknown>): Promise<OracleResponse>;
  close(): Promise<void> | void;
}

const ORACLE_DIR = path.join(sharedRoot, 'frappe-oracle');
const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const LINE = { name: 'Wt Probe Line', istable: 1, module: 'Custom', fields: [f('code', 'Data'), f('qty', 'Float')] };
const PROBE = {
  name: 'Wt Probe', module: 'Custom', autoname: 'hash',
  fields: [
    f('pincode', 'Data'), f('at_time', 'Time'), f('at', 'Datetime'), f('on', 'Date'), f('fixed', 'Data', { read_only: 1, reqd: 1 }),
    f('lines', 'Table', { options: 'Wt Probe Line' }),
  ],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};

const INPUT = {
  doctype: 'Wt Probe', pincode: 411001, at_time: '9:30:00', at: '2024-03-05T10:30:00Z', on: '2024-03-05', fixed: 'given',
  not_a_field: 'ignored',
  lines: [{ doctype: 'Wt Probe Line', parentfield: 'lines', parenttype: 'Wt Probe', idx: 1, code: 12345, qty: 2 }],
};

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('writes as Frappe v15 stores them (oracle)', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    const mod = (await import(pathToFileURL(path.join(ORACLE_DIR, 'client.mjs')).href)) as { FrappeOracle: { start(o: { dir: string }): Promise<Oracle> } };
    oracle = await mod.FrappeOracle.start({ dir: ORACLE_DIR });
    await oracle.must({ op: 'reset', doctypes: [LINE, PROBE] });
  }, 180_000);
  afterAll(async () => oracle?.close());

  it('stores the same values', async () => {
    const frappe = (await oracle.must({ op: 'insert', doc: INPUT, reload: true })).doc!;
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [LINE, PROBE], clock: fixedClock('2024-03-05T10:00:00Z') });
    const r = await engine.run({ operation: 'create', target_doctype: 'Wt Probe', input: { data: INPUT } });
    expect(r.error).toBeNull();
    const ours = r.output!.data[0]!;
    expect(ours.pincode).toBe(frappe.pincode);
    expect(ours.fixed).toBe(frappe.fixed);
    expect(ours.on).toBe(frappe.on);
    // Frappe reads a Time back as a timedelta ('9:30:00'); both are the same time of day.
    expect(ours.at_time).toBe(normalizeTemporal('Time', frappe.at_time));
    expect(ours.at).toBe(normalizeTemporal('Datetime', frappe.at));
    expect((ours.lines as Record<string, unknown>[])[0]).toMatchObject({ code: (frappe.lines as Record<string, unknown>[])[0]!.code, qty: 2 });
    expect(frappe).not.toHaveProperty('not_a_field');
    expect(ours).not.toHaveProperty('not_a_field');
  }, 60_000);

  it('a date alone for a Datetime is midnight', async () => {
    const frappe = (await oracle.must({ op: 'insert', doc: { ...INPUT, at: '2024-03-05' }, reload: true })).doc!;
    expect(normalizeTemporal('Datetime', frappe.at)).toBe('2024-03-05 00:00:00');
  }, 60_000);
});
