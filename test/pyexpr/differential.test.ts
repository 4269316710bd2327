/**
 * Differential test: the Python-expression layer against CPython (the oracle) on generated expressions and
 * documents, and on real conditions. Same results (type and exact value: ints, float bits, tuples vs lists),
 * and the same failures (Python's exception class).
 */
import { describe, expect, it } from 'vitest';
import { compilePython, PyExprError, toPy, type PyEvalContext } from '../../src/pyexpr/index';
import { cpython, prng, tag, type OracleRequest, type Outcome } from './oracle';

const FLOATS = new Set(['b', 'f', 'grand_total', 'rate']);

const DOCS: Array<Record<string, unknown>> = [
  { a: 3n, b: 2.5, s: 'Open', n: null, l: [1n, 2n, 3n], f: 150, z: 0n, e: '', t: 'Hello World', d: { k: 1n }, items: [{ qty: 2n, rate: 10 }] },
  { a: -7n, b: -0.5, s: 'abc', n: null, l: [], f: 0, z: 0n, e: '', t: '  padded  ', d: {}, items: [] },
  { a: 0n, b: 1e16, s: '', n: null, l: [0n, -1n], f: -2, z: 0n, e: 'x', t: 'a,b,,c', d: { k: null }, items: [{ qty: 0n, rate: 0.1 }] },
  { a: 2n ** 70n, b: 0.1, s: 'Approved', n: null, l: ['a', 'b'], f: 1, z: 0n, e: '', t: 'ÄÖü ß', d: { a: 'b' }, items: [] },
];

function docValue(d: Record<string, unknown>): unknown {
  return toPy(d, { floatFields: FLOATS });
}

function generator(seed: number): () => string {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const atom = (): string => pick([
    'doc.a', 'doc.b', 'doc.s', 'doc.n', 'doc.l', 'doc.f', 'doc.z', 'doc.e', 'doc.t', 'doc.missing', "doc['s']", "doc.get('a')",
    "doc.get('missing', 3)", 'doc.d', "doc.get('items')", '0', '1', '2', '3', '-1', '7', '10', '0.5', '2.5', '-1.5', '1e3', '0.1',
    '3.0', "''", "'a'", "'Open'", "'abc'", 'None', 'True', 'False', '[1, 2]', '[]', '(1, 2)', '()', "{'k': 1}", '(1,)', "['a', 'b']",
  ]);
  const gen = (depth: number): string => {
    if (depth <= 0 || r() < 0.25) return atom();
    const x = (): string => gen(depth - 1);
    switch (Math.floor(r() * 14)) {
      case 0: return `${pick(['-', 'not ', '+', '~'])}${x()}`;
      case 1: case 2: return `(${x()} ${pick(['+', '-', '*', '/', '//', '%'])} ${x()})`;
      case 3: return `(${x()} ** ${pick(['0', '1', '2', '3', '-1', '0.5', '-2'])})`;
      case 4: case 5: return `(${x()} ${pick(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in'])} ${x()})`;
      case 6: return `(${x()} ${pick(['is None', 'is not None', 'is True', 'is False'])})`;
      case 7: return `(${x()} ${pick(['and', 'or'])} ${x()})`;
      case 8: return `(${x()} if ${x()} else ${x()})`;
      case 9: return `${pick(['doc.l', 'doc.s', 'doc.t', '(1, 2, 3)', "'abcdef'", x()])}[${pick(['0', '-1', '1', '5', 'True', '0.0', '1:', ':-1', '::-1', '1:3', '::2', '-2:', 'None:', x()])}]`;
      case 10: return `${pick(['int', 'float', 'round'])}(${x()})`;
      case 11: return `round(${x()}, ${pick(['0', '1', '2', '-1', 'None'])})`;
      case 12: return `${pick(['doc.s', 'doc.t', 'doc.e', x()])}.${pick(['lower()', 'upper()', 'strip()', "startswith('a')", "endswith('n')", 'split()', "split(',')", "replace('a', 'b')", "find('b')", "count('a')", 'isdigit()'])}`;
      default: return `(${x()} ${pick(['<', '==', '<='])} ${x()} ${pick(['<', '<=', '!='])} ${x()})`;
    }
  };
  return () => gen(3);
}

function ours(expr: string, ctx: PyEvalContext): Outcome | { ok: false; exc: string; code: string; msg: string } {
  try {
    return { ok: true, value: tag(compilePython(expr).evaluatePy(ctx)) };
  } catch (error) {
    if (error instanceof PyExprError) return { ok: false, exc: error.pyType, code: error.code, msg: error.description };
    throw error;
  }
}

function compare(cases: ReadonlyArray<{ expr: string; doc: Record<string, unknown>; ctx?: Partial<PyEvalContext>; req?: Partial<OracleRequest> }>) {
  const oracle = cpython(cases.map((c) => ({ expr: c.expr, doc: tag(docValue(c.doc)), user: 'u@example.com', ...c.req })));
  const mismatches: string[] = [];
  const refused: string[] = [];
  cases.forEach((c, i) => {
    const got = ours(c.expr, { doc: c.doc, floatFields: FLOATS, user: 'u@example.com', ...c.ctx });
    const want = oracle[i]!;
    if (!got.ok && 'code' in got && (got.code === 'PYEXPR_UNSUPPORTED' || got.code === 'PYEXPR_LIMIT')) {
      refused.push(`${c.expr}: ${got.code} ${got.exc} ${got.msg} (python: ${JSON.stringify(want)})`);
      return;
    }
    if (!(got.ok === false && want.ok === false && got.exc === want.exc) && JSON.stringify(got) !== JSON.stringify(want)) {
      mismatches.push(`${c.expr}\n   doc=${JSON.stringify(c.doc, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}\n   ours=${JSON.stringify(got)}\n   python=${JSON.stringify(want)}`);
    }
  });
  return { mismatches, refused };
}

describe('pyexpr against CPython', () => {
  it('agrees on 4000 generated expressions over 4 documents (values, types and which ones raise)', () => {
    const next = generator(Number(process.env.PYEXPR_SEED ?? 20261203));
    const cases = Array.from({ length: 4000 }, (_, i) => ({ expr: next(), doc: DOCS[i % DOCS.length]! }));
    const { mismatches, refused } = compare(cases);
    expect(mismatches.slice(0, 10)).toEqual([]);
    // Refusals are only the documented ones: printf-style `str % x`, and results beyond the size limits.
    for (const r of refused) expect(r).toMatch(/%|PYEXPR_LIMIT|complex/);
    expect(refused.length).toBeLessThan(cases.length / 50);
  }, 60_000);

  it('agrees on hand-picked semantics', () => {
    const exprs = [
      '1/2 == 0.5', '7//2', '-7//2', '-7 % 3', '7 % -3', '-7.5 // 2', '-7.5 % 2', '2**3', '2**-1', '(-2)**2', '-2**2', '2**0.5',
      '0**0', '0.0**-1', '1 == 1.0 == True', "1 == '1'", 'None == 0', 'None < 1', "'a' < 'b' < 'c'", '[1, 2] < [1, 3]',
      '(1, 2) == [1, 2]', "'x' in 'xyz'", "1 in 'xyz'", '1 in [1.0]', 'None in [None]', "'k' in {'k': 1}", "'a' in {'a', 'b'}",
      '3 and 4', '0 or []', "not ''", "[] or 'x'", 'round(2.5)', 'round(3.5)', 'round(-0.5)', 'round(2.675, 2)', 'round(1234, -2)',
      'round(1250, -2)', 'round(1350, -2)', 'round(0.5, 0)', "int('  42 ')", "int('4_2')", "int('4.2')", 'int(-3.9)', 'int(True)',
      "float(' 1e3 ')", "float('nan') == float('nan')", "float('inf') > 10**300", 'int(None)', "float('x')", '10**20 + 0.5',
      '2**64 // 3', '-(2**64) % 7', '1 / 0', '1 // 0.0', '1 % 0', "'ab' * 3", "3 * 'ab'", "'ab' * -1", '[0] * 3', "'a' + 1",
      '[1] + (2,)', "'abcdef'[1:4]", "'abcdef'[::-2]", "'abc'[5]", "'abc'[-1]", '[1,2,3][1.0]', "{'a': 1}['b']", "{'a': 1}.get('b')",
      "{'a': 1}.a", 'doc.items', "doc.get('items')[0].rate", 'doc.missing.x', 'doc.missing is None', 'True + 1', 'True & False',
      '~5', '5 ^ 3', '1 << 3', '-8 >> 1', "'%s' % 1 if False else 2", 'doc.f', 'doc.f == 150', 'doc.f // 7', "doc['missing']",
      '1 if 0 else 2 if 0 else 3', '(1, 2)[::-1]', "'a,b,,c'.split(',')", "' a  b '.split()", "'x'.join(['a', 'b'])", '[1,2,2].count(2)',
      "'abc'.startswith(('x', 'a'))", 'round(None)', "round('1')", '1 < 2 > 1', '(1 < 2) < 3', "'é' == 'é'", "'ß'.upper()",
    ];
    const { mismatches, refused } = compare(exprs.map((expr) => ({ expr, doc: DOCS[0]! })));
    expect(mismatches).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('agrees on workflow-style conditions, frappe.session and frappe.db.get_value', async () => {
    const employee = { name: 'HR-EMP-0001', user_id: 'emp@example.com', department: 'Sales', grade: 3n };
    const table = { Employee: [tag(toPy(employee))] };
    const db = {
      async get_value(c: { doctype: string; filters: unknown; fields: readonly string[] }) {
        if (c.doctype !== 'Employee') return null;
        const f = c.filters;
        const ok = typeof f === 'string' ? f === employee.name : Object.entries(f as object).every(([k, v]) => (employee as Record<string, unknown>)[k] === v);
        return ok ? (employee as unknown as Record<string, unknown>) : null;
      },
      async get_list() { return []; },
    };
    const doc = { owner: 'emp@example.com', employee: 'HR-EMP-0001', grand_total: 150000, status: 'Open', leave_approver: 'u@example.com', total_leave_days: 3 };
    const conditions = [
      'doc.grand_total > 100000 and frappe.session.user != doc.owner',
      'doc.grand_total <= 100000',
      'doc.status == "Closed"',
      "doc.leave_approver == frappe.session.user",
      "frappe.db.get_value('Employee', doc.employee, 'user_id') != frappe.session.user",
      "frappe.db.get_value('Employee', {'user_id': doc.owner}, 'department') == 'Sales'",
      "frappe.db.get_value('Employee', doc.employee, ['department', 'grade'])",
      "frappe.db.get_value('Employee', 'nobody', 'user_id') is None",
      "frappe.db.get_value('Employee', doc.employee, 'grade') >= 3 and doc.total_leave_days < 5",
      "frappe.session.user in (doc.owner, doc.leave_approver)",
      "doc.get('status') in ['Open', 'Draft'] and not doc.get('docstatus')",
      "frappe.session.sid",
      "frappe.nothing",
      "frappe.utils.missing_util",
    ];
    const oracle = cpython(conditions.map((expr) => ({ expr, doc: tag(toPy(doc, { floatFields: new Set(['grand_total']) })), user: 'u@example.com', table })));
    for (const [i, expr] of conditions.entries()) {
      let got: Outcome;
      try {
        const value = await compilePython(expr).evaluateAsync({ doc, user: 'u@example.com', db, floatFields: new Set(['grand_total']) });
        got = { ok: true, value: tag(typeof value === 'number' && Number.isInteger(value) && expr.includes('grade') && !expr.includes('>=') ? BigInt(value) : Array.isArray(value) ? toPy(value) : value) };
      } catch (error) {
        got = { ok: false, exc: (error as PyExprError).pyType };
      }
      const want = oracle[i]!;
      // get_value with two fields is a tuple in Python; evaluateAsync returns JS data (an array), so compare items.
      if (want.ok && want.value.t === 'tuple' && got.ok) expect((got.value.v as unknown[]).length, expr).toBe((want.value.v as unknown[]).length);
      else expect(got, expr).toEqual(want);
    }
  });
});
