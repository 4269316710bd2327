/**
 * Metered evaluation (issue 14): the defaults against the real corpus, the semantics the metered methods and
 * conversions keep (against native JavaScript), what they never run (accessors, caller code), what a hostile
 * caller object can throw, and the options.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoworkerError, ExpressionError } from '../../src/errors';
import { compileExpression, measureEvaluation } from '../../src/expr/compile';
import { evaluateCondition } from '../../src/expr/condition';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_OPS } from '../../src/expr/meter';
import type { ExprContext } from '../../src/expr/types';
import { sharedRoot } from '../helpers/paths';
import { nativeEvaluate } from './oracle';

const CONDITION_KEYS = ['depends_on', 'mandatory_depends_on', 'read_only_depends_on', 'collapsible_depends_on'] as const;

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

function corpusExpressions(): Map<string, string> {
  const out = new Map<string, string>(); // source -> DocType file
  const files = [...jsonFiles(path.join(sharedRoot, 'frappe-doctypes')), ...jsonFiles(path.join(sharedRoot, 'frappe-apps')).filter((f) => f.includes(`${path.sep}doctype${path.sep}`))];
  for (const f of files) {
    let json: { fields?: Record<string, unknown>[] };
    try {
      json = JSON.parse(readFileSync(f, 'utf8')) as typeof json;
    } catch {
      continue;
    }
    for (const df of Array.isArray(json.fields) ? json.fields : []) {
      for (const key of CONDITION_KEYS) {
        const src = df[key];
        if (typeof src === 'string' && src.startsWith('eval:') && !out.has(src)) out.set(src, path.basename(f));
      }
    }
  }
  return out;
}

/** Representative values: names, statuses, numbers, dates, a paragraph of text, child rows. */
const POOL: unknown[] = ['', '0', '1', 'Yes', 'No', 'Draft', 'Open', 'Company', 'Sales Invoice', 'ACC-SINV-2024-00001', '2024-03-15',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(10), 0, 1, 2, 5.5, -1, 1000000, null, undefined,
  [], [{ idx: 1, item_code: 'ITEM-0001', qty: 2 }], Array.from({ length: 20 }, (_, i) => ({ idx: i + 1, qty: i }))];

describe('the default budget against the real corpus', () => {
  const expressions = corpusExpressions();
  it.skipIf(expressions.size === 0)('no real expression comes near the defaults (measured over representative documents)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let maxOps = { n: 0, src: '' };
    let maxBytes = { n: 0, src: '' };
    let evaluations = 0;
    for (const src of expressions.keys()) {
      let compiled;
      try {
        compiled = compileExpression(src);
      } catch {
        continue; // erpnext.* and the like: refused at compile time, counted by the conformance suite
      }
      for (let d = 0; d < 12; d++) {
        const doc: Record<string, unknown> = { docstatus: d % 3, __islocal: d % 2, name: 'X-0001', doctype: 'Sales Invoice' };
        for (const ref of compiled.references) {
          const k = ref.replace(/^parent\./, '');
          if (k !== '*' && !(k in doc)) doc[k] = POOL[Math.floor(rand() * POOL.length)];
        }
        const ctx: ExprContext = { doc, parent: doc, user: { name: 'a@example.com', roles: ['System Manager', 'Accounts User', 'Sales User'] },
          now: new Date('2024-03-15T10:00:00Z'), boot: { sysdefaults: { number_format: '#,###.##', float_precision: '3', currency: 'INR' } } };
        try {
          const u = measureEvaluation(compiled, ctx);
          evaluations++;
          if (u.ops > maxOps.n) maxOps = { n: u.ops, src };
          if (u.bytes > maxBytes.n) maxBytes = { n: u.bytes, src };
        } catch (e) {
          expect((e as ExpressionError).code).toBe('EXPR_RUNTIME'); // never the limit
        }
      }
    }
    console.log(`corpus: ${expressions.size} distinct eval: expressions, ${evaluations} evaluations; max ${maxOps.n} ops (${maxOps.src}), max ${maxBytes.n} bytes (${maxBytes.src}); margins ${Math.floor(DEFAULT_MAX_OPS / maxOps.n)}x / ${Math.floor(DEFAULT_MAX_BYTES / maxBytes.n)}x`);
    expect(evaluations).toBeGreaterThan(5000);
    // docs/expressions.md states a margin of at least 500x on both; this keeps it true.
    expect(maxOps.n * 500).toBeLessThanOrEqual(DEFAULT_MAX_OPS);
    expect(maxBytes.n * 500).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
  });
});

const run = (src: string, doc: Record<string, unknown> = {}) => compileExpression(src).evaluate({ doc });
function errorOf(f: () => unknown): ExpressionError {
  try {
    f();
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw new Error(`not an ExpressionError: ${String(e)}`);
  }
  throw new Error('did not throw');
}

describe('metered methods and conversions keep JavaScript semantics', () => {
  const doc = { s: 'Hello, World', e: '', n: 5, list: ['a', 'b', 'a', 'c'], nested: [1, [2, [3, 4]], 'x'], rows: [{ qty: 1 }], d: '2024-03-15', z: 0 };
  const same = [
    `doc.s.replace('o', "[$&|$'|$\`|$$|$1|$<n>|$]")`, `doc.s.replace('zz', "$'")`, `doc.s.replace('', '$\`-')`, `'aaa'.replace('a', "$'$'$'")`,
    `doc.s.split(', ')`, `doc.s.split('')`, `doc.s.split('', 3)`, `doc.s.split('l', 2)`, `doc.s.split()`, `doc.s.split(undefined, 0)`, `doc.e.split(',')`, `doc.e.split('')`,
    `doc.s.slice(-5, -1)`, `doc.s.substring(5, 1)`, `doc.s.substr(-3)`, `doc.s.at(-1)`, `doc.s.charAt(1)`, `doc.s.charCodeAt(0)`,
    `doc.s.indexOf('o', 5)`, `doc.s.lastIndexOf('o')`, `doc.s.lastIndexOf('o', 5)`, `doc.s.includes('World')`, `doc.s.startsWith('World', 7)`, `doc.s.endsWith('Hello', 5)`,
    `doc.s.padStart(20, '*-')`, `doc.s.padEnd(15)`, `'ab'.repeat(3)`, `'ß'.toUpperCase()`, `'İ'.toLowerCase().length`, `doc.s.concat(1, [2, 3], null)`,
    `doc.s.localeCompare('Hello')`, `'  x '.trim() + '|' + ' x '.trimStart() + '|' + ' x '.trimEnd()`,
    `doc.list.includes('a')`, `doc.list.includes('a', 1)`, `doc.list.includes('a', -1)`, `doc.list.indexOf('a', 1)`, `doc.list.indexOf('a', -2)`, `doc.list.lastIndexOf('a')`,
    `doc.list.lastIndexOf('a', 1)`, `doc.list.lastIndexOf('a', -3)`, `doc.list.join()`, `doc.list.join(' - ')`, `doc.nested.join(';')`, `doc.list.slice(1, -1)`, `doc.list.slice(-2)`,
    `doc.list.concat(['x'], 'y', [['z']])`, `doc.list.at(-1)`, `doc.list.at(10)`, `[1, , 3].join('-')`, `[1, , 3].includes(undefined)`, `[1, , 3].indexOf(undefined)`, `[1, , 3].slice(0)`,
    `[null, undefined, 1].join()`, `[NaN].includes(NaN)`, `[NaN].indexOf(NaN)`,
    `doc.nested + ''`, `doc.list + 1`, `[] == ''`, `[0] == false`, `[1] == 1`, `[1, 2] == '1,2'`, `-[5]`, `+['7']`, `~[1]`, `[2] * [3]`, `[10] > [9]`, `'10' > [9]`,
    `doc.rows + ''`, `doc.rows[0] == '[object Object]'`, `[doc.rows[0]] + ''`, `doc[['s']]`, `doc.list[[1]]`, `doc.n.toFixed(2)`, `doc.n.toString(2)`, `(255).toString(16)`,
    `cstr([1, 2])`, `cint([' 42'])`, `flt(['1,234.5'])`, `is_null([])`, `__('{0} of {1} {2}', ['a', 1])`, `__('{0}{0}', [doc.list])`, `has_common(doc.list, ['c'])`,
    `has_words(['Wor'], doc.s)`, `has_common('abc', ['b'])`, `in_list(doc.list, 'c')`, `replace_all(doc.s, 'l', 'L')`, `strip('xxhixx', 'x')`, `nth(22)`, `toTitle('hello big world')`,
  ];
  it.each(same)('%s', (src) => {
    const ctx = { doc };
    const native = nativeEvaluate(src, ctx);
    expect(native.ok, String(!native.ok && native.error)).toBe(true);
    expect(compileExpression(src).evaluate(ctx)).toEqual((native as { value: unknown }).value);
  });

  it('dates convert with Date methods (number for comparisons, string for +)', () => {
    const ctx = { doc: { a: new Date(2024, 0, 1), b: new Date(2024, 0, 2) } };
    for (const src of ['doc.a < doc.b', 'doc.b - doc.a', 'doc.a == doc.a', "doc.a + ''"]) {
      const native = nativeEvaluate(src, ctx);
      expect(compileExpression(src).evaluate(ctx)).toEqual((native as { value: unknown }).value);
    }
  });

  it('a cyclic array joins as JavaScript does', () => {
    const a: unknown[] = [1, 2];
    a.push(a);
    expect(run('doc.a + ""', { a })).toBe(String(a));
    expect(run('doc.a.join("-")', { a })).toBe(a.join('-'));
  });
});

describe('nothing of the caller runs: accessors, conversions', () => {
  it('array methods never run an element getter that index access does not', () => {
    let calls = 0;
    const a = ['x', 'y', 'z'];
    Object.defineProperty(a, 1, { get: () => (calls++, 'SECRET'), enumerable: true });
    const doc = { a };
    expect(run('doc.a[1]', doc)).toBeUndefined();
    expect(run('doc.a.at(1)', doc)).toBeUndefined();
    expect(run('doc.a.at(-2)', doc)).toBeUndefined();
    expect(run("doc.a.includes('SECRET')", doc)).toBe(false);
    expect(run("doc.a.indexOf('SECRET')", doc)).toBe(-1);
    expect(run("doc.a.lastIndexOf('SECRET')", doc)).toBe(-1);
    expect(run("doc.a.join('-')", doc)).toBe('x--z');
    expect(run('doc.a.slice(0)', doc)).toEqual(['x', undefined, 'z']);
    expect(run('doc.a.concat([1])', doc)).toEqual(['x', undefined, 'z', 1]);
    expect(run("doc.a + ''", doc)).toBe('x,,z');
    expect(run("in_list(doc.a, 'SECRET')", doc)).toBe(false);
    expect(run("has_common(doc.a, ['SECRET'])", doc)).toBe(false);
    expect(run("__('{1}', doc.a)", doc)).toBe('{1}');
    expect(calls).toBe(0);
  });

  it("an object's own toString / valueOf / Symbol.toPrimitive / getters are never called by a conversion", () => {
    let calls = 0;
    const evil: object[] = [
      { toString: () => (calls++, 'x') },
      { valueOf: () => (calls++, 1) },
      { [Symbol.toPrimitive]: () => (calls++, 1) },
      Object.defineProperty({}, 'toString', { get: () => (calls++, () => 'x') }),
      new (class Money { toString() { calls++; return '5'; } })(),
    ];
    for (const o of evil) {
      for (const src of ["doc.o + ''", 'doc.o == 1', 'doc.o < 2', '-doc.o', 'cstr(doc.o)', 'doc[doc.o]', "'a'.concat(doc.o)", '[doc.o].join()', "__('{0}', [doc.o])"]) {
        expect(errorOf(() => run(src, { o })).code, src).toBe('EXPR_RUNTIME');
      }
    }
    expect(calls).toBe(0);
  });

  it('an unfrozen document is checked once, and assignment keeps it readable directly', () => {
    const doc: Record<string, unknown> = { status: 'Open' };
    const e = compileExpression("doc.status == 'Open'");
    expect(e.evaluate({ doc })).toBe(true);
    doc.status = 'Closed';
    expect(e.evaluate({ doc })).toBe(false);
    const withGetter = Object.defineProperty({ a: 1 } as Record<string, unknown>, 'status', { get: () => 'Open', enumerable: true });
    expect(e.evaluate({ doc: withGetter })).toBe(false); // the accessor reads as undefined
    expect(compileExpression('doc.a').evaluate({ doc: withGetter })).toBe(1);
    const inherits = Object.create({ status: 'Open' }) as Record<string, unknown>;
    expect(errorOf(() => e.evaluate({ doc: inherits })).code).toBe('EXPR_RUNTIME'); // an inherited member is refused
  });
});

describe('a hostile caller object never makes evaluate throw anything but an ExpressionError', () => {
  const unprintable = Object.create(null) as object;
  const thrower = (value: unknown) => new Proxy({}, {
    get: () => { throw value; },
    getOwnPropertyDescriptor: () => { throw value; },
    getPrototypeOf: () => { throw value; },
    has: () => { throw value; },
    ownKeys: () => { throw value; },
  });
  const nastyError = Object.defineProperty(new Error('x'), 'name', { get: () => { throw unprintable; } });
  const values: unknown[] = [unprintable, Symbol('s'), nastyError, thrower(unprintable), undefined, 42];
  it.each(values.map((v, i) => [i, v] as const))('thrown value #%d', (_i, value) => {
    const hostile = thrower(value);
    for (const [src, ctx] of [
      ['doc.x', { doc: hostile }], ['doc.a.x', { doc: { a: hostile } }], ["doc.a + ''", { doc: { a: hostile } }], ['doc.a.includes(1)', { doc: { a: hostile } }],
      ['parent.x', { doc: {}, parent: hostile }], ['frappe.boot.x', { doc: {}, boot: hostile }],
    ] as const) {
      expect(errorOf(() => compileExpression(src).evaluate(ctx as ExprContext)).code, src).toBe('EXPR_RUNTIME');
    }
    expect(errorOf(() => evaluateCondition('x', { doc: hostile } as ExprContext)).code).toBe('EXPR_RUNTIME');
    expect(errorOf(() => evaluateCondition('eval:doc.is_submittable', { doc: {}, parent: hostile } as ExprContext)).code).toBe('EXPR_RUNTIME');
    const ctxGetter = Object.defineProperty({}, 'doc', { get: () => { throw value; } }) as ExprContext;
    expect(errorOf(() => compileExpression('doc.x').evaluate(ctxGetter)).code).toBe('EXPR_RUNTIME');
  });
});

describe('limits: EXPR_LIMIT with the site, and options', () => {
  it('points at the site that ran out of budget', () => {
    const src = "'x'.repeat(10).repeat(1e9)";
    const e = errorOf(() => run(src));
    expect(e.code).toBe('EXPR_LIMIT');
    expect(e.index).toBe(src.lastIndexOf('repeat'));
    expect(e.message).toContain(src);
    const s2 = "doc.a + __('{0}'.repeat(100), [doc.t])";
    const e2 = errorOf(() => run(s2, { a: 1, t: 'y'.repeat(100_000) }));
    expect(e2.index).toBe(s2.indexOf('__'));
    expect(e2.description).toMatch(/maxBytes|maxOps/);
    const s3 = 'doc.s + doc.s';
    expect(errorOf(() => compileExpression(s3, { maxBytes: 1000 }).evaluate({ doc: { s: 'x'.repeat(600) } })).index).toBe(0);
  });

  it('maxOps and maxBytes are options; bad values fail at compile time with EXPR_OPTIONS', () => {
    expect(errorOf(() => compileExpression("doc.s.includes('x')", { maxOps: 100 }).evaluate({ doc: { s: 'a'.repeat(1000) } })).code).toBe('EXPR_LIMIT');
    expect(compileExpression("doc.s.includes('x')", { maxOps: 10_000 }).evaluate({ doc: { s: 'a'.repeat(1000) } })).toBe(false);
    expect(compileExpression("'x'.repeat(1e7).length", { maxOps: Infinity, maxBytes: Infinity }).evaluate({ doc: {} })).toBe(1e7);
    for (const bad of [0, -1, 1.5, NaN, '10' as unknown as number]) {
      let err: unknown;
      try {
        compileExpression('1', { maxOps: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CoworkerError);
      expect((err as CoworkerError).code).toBe('EXPR_OPTIONS');
    }
    expect(errorOf(() => evaluateCondition("eval:'x'.repeat(100)", { doc: {} }, { maxBytes: 64 })).code).toBe('EXPR_LIMIT');
  });

  it('every evaluation starts with a full budget', () => {
    const e = compileExpression("doc.s.repeat(1000).length", { maxBytes: 100_000 });
    for (let i = 0; i < 100; i++) expect(e.evaluate({ doc: { s: 'ab' } })).toBe(2000);
  });
});

describe('conditions on the per-call path', () => {
  it("keep Frappe's is_submittable hack and the no-document rule", () => {
    expect(evaluateCondition('eval:doc.is_submittable', { doc: { is_submittable: 0 }, parent: { istable: 1 } })).toBe(true);
    expect(evaluateCondition('eval:doc.is_submittable', { doc: { is_submittable: 0 }, parent: { istable: 0 } })).toBe(false);
    expect(evaluateCondition('eval:doc.is_submittable', { doc: { is_submittable: 1 } })).toBe(true);
    expect(evaluateCondition('eval:1', { doc: undefined as unknown as Record<string, unknown> })).toBe(false);
    expect(evaluateCondition('eval:doc.a; doc.b', { doc: { a: 1, b: 0 } })).toBe(true); // the first statement gives the value
    expect(errorOf(() => evaluateCondition('eval:doc.a; null.x', { doc: { a: 1 } })).code).toBe('EXPR_RUNTIME'); // later ones still run
  });
});
