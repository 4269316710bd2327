/**
 * Spot checks against real `frappe.safe_eval` (RestrictedPython, Frappe v15) through the Frappe oracle's
 * `eval_python` op with the workflow globals. Gated on FRAPPE_ORACLE=1 (see the oracle's README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrappeOracle } from '../../../shared/frappe-oracle/client.mjs';
import { compilePython, PyExprError } from '../../src/pyexpr/index';
import { sharedRoot } from '../helpers/paths';
import path from 'node:path';

const doc = { name: 'X-1', owner: 'someone@example.com', status: 'Open', grand_total: 150000.5, qty: 3, items: [{ rate: 2.5, qty: 2 }], empty: null };

const EXPRS = [
  'doc.grand_total > 100000 and frappe.session.user != doc.owner',
  'doc.status == "Open" and doc.qty // 2 == 1',
  '-7 // 2', '-7 % 3', '1/2', '2**-1', 'round(2.5)', 'round(2.675, 2)', 'doc.missing is None', 'doc.empty or "fallback"',
  "doc.get('items')[0].rate * doc.get('items')[0].qty", "doc.status in ('Open', 'Draft')", "'a' in {'a': 1}",
  'int("42") + float("0.5")', 'None < 1', '1 / 0', "doc['missing']", 'undefined_name', 'doc._private', "doc['_x']",
  '(y := 1)', "frappe.db.get_value('User', 'Administrator', 'name')", "frappe.db.get_value('User', 'nobody@nowhere', 'name') is None",
  "frappe.session.user", "'{}'.format(1)", 'doc.items', "frappe.utils.get_datetime('2024-01-31 10:00:00') < frappe.utils.now_datetime()",
  "frappe.utils.add_to_date('2024-01-31', months=1, as_string=True)",
];

describe.runIf(process.env.FRAPPE_ORACLE === '1')('pyexpr vs frappe.safe_eval (Frappe v15)', () => {
  let oracle: FrappeOracle;
  beforeAll(async () => {
    oracle = await FrappeOracle.start({ dir: path.join(sharedRoot, 'frappe-oracle') });
  }, 120_000);
  afterAll(() => oracle?.close());

  it.each(EXPRS)('%s', async (expr) => {
    const want = await oracle.evalPython(expr, doc, 'workflow');
    const db = {
      async get_value(c: { doctype: string; filters: unknown }) {
        return c.doctype === 'User' && c.filters === 'Administrator' ? { name: 'Administrator' } : null;
      },
      async get_list() { return []; },
    };
    let got: { ok: boolean; value?: unknown; exc?: string };
    try {
      got = { ok: true, value: await compilePython(expr).evaluateAsync({ doc, user: 'Administrator', db, floatFields: new Set(['grand_total', 'rate']) }) };
    } catch (error) {
      if (!(error instanceof PyExprError)) throw error;
      got = { ok: false, exc: error.pyType };
    }
    expect(got.ok, `${expr}: ${JSON.stringify(want)}`).toBe(want.ok);
    if (want.ok) {
      if (expr === 'doc.items') expect(got.value).toMatch(/items/); // a bound method in both
      else expect(got.value).toEqual(want.value);
    } else {
      expect(got.exc).toBe(want.exc_type);
    }
  });
});
