import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import type { ExprContext } from '../../src/expr/types';
import { expressionText } from './arbitraries';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const makeCtx = (): ExprContext => deepFreeze({
  doc: { name: 'X', x: 'abc', n: 5, items: [{ item_code: 'A', qty: 1 }], nested: { a: { b: 1 } } },
  parent: { company: 'C' },
  user: { name: 'u@x', roles: ['R'] },
  now: new Date('2024-01-01T00:00:00Z'),
  boot: { sysdefaults: { number_format: '#,###.##' }, developer_mode: 0 },
});

/** Compile and evaluate; return the thrown value (undefined when nothing was thrown) and the result. */
function attempt(src: string, ctx: ExprContext = makeCtx()): { error?: unknown; value?: unknown } {
  try {
    return { value: compileExpression(src).evaluate(ctx) };
  } catch (error) {
    return { error };
  }
}

const isFunctionOrProto = (v: unknown) =>
  typeof v === 'function' || v === Object.prototype || v === Function.prototype || v === Array.prototype || v === String.prototype || v === globalThis;

// Each must fail with an ExpressionError and never produce a function, a prototype or the global object.
const escapes = [
  'doc.constructor', "doc['constructor']", 'doc.__proto__', "doc['__proto__']", "doc['__pro' + 'to__']",
  "doc['constr' + 'uctor']['constr' + 'uctor']('return process')()", "doc.constructor.constructor('return process')()",
  '[].concat.constructor', "''['constructor']", "''.constructor.constructor('return globalThis')()",
  'doc.x.valueOf', 'doc.x.valueOf()', 'toString.call(doc)', 'Object.prototype', 'globalThis', 'window', 'self', 'process',
  'Function("return 1")', 'eval("1")', 'frappe.__proto__', "frappe['__proto__']", 'frappe.constructor', 'frappe.boot.__proto__',
  "frappe.boot['__proto__']", 'frappe.user.has_role.call(null, "R")', 'frappe.user.has_role.constructor', 'in_list.constructor',
  "doc.items['__proto__']['push']", 'doc.items.push', 'doc.items.__proto__.push(1)', "doc.x['toString']", 'doc.n.constructor',
  '(1).constructor', "doc.nested['__defineGetter__']", 'doc.nested.hasOwnProperty("a")', 'doc.items.slice.call([1])',
  "doc[['__proto__']]", "doc.items[0]['__proto__']", "doc.x.replace('a', doc.x.constructor)", 'this', 'this.constructor',
  "cur_frm.doc['__proto__']", "parent.__lookupGetter__('company')", "frappe['user']['has_role']", 'frappe.datetime.get_today',
  "'x'.repeat(1e9)", "'x'.padStart(1e9)", "'x'.padEnd(2 ** 31)", "[1,2,3].join('x'.repeat(1000000))", "'ab'.repeat(1100000)",
  "(0).toFixed(1000)", "'x'.repeat(-1)", "'x'.repeat(Infinity)", 'doc.items.at.call(doc.items, 0)',
];

describe('escape attempts', () => {
  it.each(escapes)('%s is refused with an ExpressionError', (src) => {
    const r = attempt(src);
    expect(r.error, `value: ${String(r.value).slice(0, 80)}`).toBeInstanceOf(ExpressionError);
    expect(isFunctionOrProto(r.value)).toBe(false);
  });

  it('prototype pollution attempts leave Object.prototype and Array.prototype clean', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort().join();
    const beforeA = Object.getOwnPropertyNames(Array.prototype).sort().join();
    const ctx = { doc: { a: {} as Record<string, unknown> } } as ExprContext;
    for (const src of [
      "doc['__proto__'].polluted = 1", 'doc.__proto__.polluted', "doc.a['__proto__']", "[]['__proto__']", 'doc.constructor.prototype',
      "doc.a.__defineSetter__('x', 1)", 'doc.items.push(1)', "Object.assign(doc, {polluted: 1})",
    ]) {
      expect(attempt(src, ctx).error).toBeInstanceOf(ExpressionError);
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(before);
    expect(Object.getOwnPropertyNames(Array.prototype).sort().join()).toBe(beforeA);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never reads accessors on user data, and an own property named like a method is just data', () => {
    let calls = 0;
    const doc = Object.defineProperty({ includes: 1 } as Record<string, unknown>, 'evil', { get: () => ++calls, enumerable: true });
    expect(compileExpression('doc.evil').evaluate({ doc })).toBeUndefined();
    expect(compileExpression('doc.includes').evaluate({ doc })).toBe(1);
    expect(calls).toBe(0);
  });

  it('methods come from the allow-list by receiver type, not from the receiver', () => {
    // A document with an own `includes` function must not have it called.
    let called = false;
    const doc = { list: Object.assign([1], { includes: () => ((called = true), 'hacked') }) };
    expect(compileExpression('doc.list.includes(1)').evaluate({ doc })).toBe(true);
    expect(called).toBe(false);
    expect(attempt('doc.obj.includes(1)', { doc: { obj: { includes: () => true } } }).error).toBeInstanceOf(ExpressionError);
  });
});

describe('fuzzing: only ExpressionError escapes, contexts are never mutated', () => {
  const exprArb = expressionText({
    atoms: ['doc', 'parent', 'doc.x', 'doc.items', 'doc.items[0]', 'doc.n', '1', '0', "'a'", '""', 'null', 'undefined', 'true',
      '[1,2]', 'frappe.boot', 'frappe.session.user', 'cur_frm.doc', 'doc.nested.a', "doc['__proto__']", 'doc.constructor', 'erpnext'],
    methods: ['.length', '?.length', '[0]', '?.[0]', '.x', '.toString()', '.slice(1)', '.includes(1)', '.join()', '.constructor', '.__proto__'],
    helpers: ['in_list', 'cint', 'flt', 'cstr', 'is_null', 'has_common', 'nth', 'strip', 'toTitle', 'replace_all', 'frappe.user.has_role', 'frappe.datetime.add_days'],
  });

  it('random ASTs as text', () => {
    fc.assert(
      fc.property(exprArb, (src) => {
        const ctx = makeCtx();
        const snapshot = JSON.stringify(ctx);
        const r = attempt(src, ctx);
        if (r.error !== undefined && !(r.error instanceof ExpressionError)) throw r.error;
        expect(typeof r.value).not.toBe('function');
        expect(JSON.stringify(ctx)).toBe(snapshot);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('random strings, including near-miss JavaScript', () => {
    const alphabet = fc.constantFrom(...'doc.x[]()\'"`,;:?!=<>+-*/%&|^~ \n\\0123456789abcdefghijklmnopqrstuvwxyz_$#@{}\u00a0\u2028é'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (src) => {
        const r = attempt(src);
        if (r.error !== undefined && !(r.error instanceof ExpressionError)) throw r.error;
      }),
      { numRuns: 5000, seed: 7 },
    );
  });
});
