import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import type { ExprContext } from '../../src/expr/types';
import { nativeEvaluate, ours, sameValue } from './oracle';

const docs: ExprContext[] = [
  { doc: { a: 1, b: '1', c: 0, s: '0', e: '', n: null, items: [{ item_code: 'X', qty: 2 }], empty: [], t: true, f: false, name: 'DOC-1' } },
  { doc: { a: '10', b: 9, c: '', s: 'abc', e: ' ', items: [], t: 1, f: 0 }, parent: { company: 'ACME', istable: 0, docstatus: 1 } },
  { doc: { a: NaN, b: undefined, c: [1, 2], s: '2.5', items: [{}, { item_code: '' }], nested: { x: { y: 3 } } } },
];

// Expressions whose JavaScript semantics are easy to get wrong; each is compared with native evaluation.
const cases = [
  'doc.a == doc.b', 'doc.a === doc.b', 'doc.c == doc.e', 'doc.s == 0', 'doc.n == undefined', 'doc.n === undefined',
  'doc.a + doc.b', 'doc.a - doc.b', 'doc.s * 2', 'doc.a / doc.c', 'doc.a % 3', '2 ** 3 ** 2', '(-2) ** 2',
  'doc.a < doc.b', 'doc.s > "1"', 'doc.c <= doc.e', 'doc.a >= null',
  'doc.a && doc.b', 'doc.c || doc.s', 'doc.n ?? doc.s', 'doc.c ?? 5', '(doc.c || doc.n) ?? 7',
  '!doc.items.length', '!!doc.empty', '-doc.s', '+doc.e', '~doc.a', 'typeof doc.items', 'typeof doc.zzz',
  'doc.a & doc.b', 'doc.a | 4', 'doc.a ^ 3', '1 << doc.a', '-16 >> 2', '-16 >>> 28',
  'doc.is_flexible_benefit == 1 & doc.only_tax_impact != 1',
  'doc.t ? "yes" : doc.f ? "f" : "no"', 'doc.items?.length', 'doc.zzz?.length', 'doc.zzz?.a.b.c', 'doc.nested?.x.y',
  'doc.items[0].item_code', 'doc.items[0]?.item_code', 'doc.items?.[1]?.item_code', "doc['a']", 'doc.items["length"]',
  '[1, 2, doc.a]', '[doc.a, , 3].length', '[1,2].concat([3], 4)', '[1,2,3].slice(1)', '["x","y"].join("-")',
  '["Credit Note", "Debit Note"].includes(doc.s)', '["a","b"].indexOf(doc.s) !== -1',
  'doc.s.toUpperCase()', 'doc.s.length', 'doc.s[0]', 'doc.s.slice(1)', 'doc.s.split("").length', 'doc.s.startsWith("a")',
  '"a,b".split(",")', '"abc".replace("b", "$&$&")', '"x".padStart(3, "0")', '(1.005).toFixed(2)', '(255).toString(16)',
  'doc.a; doc.b', 'doc.a;', 'doc.a\ndoc.b', 'doc.a;;doc.b', '(doc.a, doc.b)', 'doc.zzz.x', 'doc.a; doc.zzz.x',
  'doc.n.x', 'doc.n?.x', '(doc.n?.x).y', 'doc.items.at(-1)', '"abc".at(-1)', 'undefined', 'NaN', 'Infinity',
  "'\\x41\\u0042\\103\\n'", '"tab\\tend"', '1e3 + .5', '5.', 'true + true', 'null + 1', '[] + {}'.replace('{}', '[]'),
  'doc.name + 1', 'cur_frm.doc.company', 'parent.company', 'parent.docstatus == 1',
  "in_list(['a', 'abc'], doc.s)", 'in_list(doc.s, "b")', 'in_list(doc.zzz, 1)', 'cint(doc.s)', 'flt(doc.s)',
  'cstr(doc.n) + cstr(doc.a)', 'is_null(doc.e)', 'doc.c == 1 ? "one" : cint(doc.c)',
];

describe('compileExpression: JavaScript semantics (differential against native evaluation)', () => {
  for (const src of cases) {
    it(src, () => {
      const compiled = compileExpression(src);
      for (const ctx of docs) {
        const expected = nativeEvaluate(src, ctx);
        const actual = ours(() => compiled.evaluate(ctx));
        expect(actual.ok, `throw/no-throw for ${JSON.stringify(ctx.doc)}`).toBe(expected.ok);
        if (actual.ok && expected.ok) expect(sameValue(actual.value, expected.value), `value ${String(actual.value)} vs ${String(expected.value)}`).toBe(true);
        if (!actual.ok) {
          expect(actual.error).toBeInstanceOf(ExpressionError);
          expect((actual.error as ExpressionError).code).toBe('EXPR_RUNTIME');
        }
      }
    });
  }
});

function errorOf(f: () => unknown): ExpressionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

describe('compileExpression: errors', () => {
  it('accepts the whole eval: string and reports indices into the string as given', () => {
    const src = 'eval:  doc.a == 1 && erpnext.x()';
    const e = errorOf(() => compileExpression(src));
    expect(e.code).toBe('EXPR_UNSUPPORTED');
    expect(e.description).toBe("unsupported global 'erpnext'");
    expect(e.index).toBe(src.indexOf('erpnext'));
    expect(e.source).toBe(src);
  });

  it('reports jsep syntax errors with the index shifted past the prefix', () => {
    const e = errorOf(() => compileExpression('eval:doc.a ==) 1'));
    expect(e.code).toBe('EXPR_SYNTAX');
    expect(e.index).toBe(5 + 'doc.a =='.length);
  });

  it.each([
    ['a b', 'EXPR_SYNTAX'], ['(a b)', 'EXPR_SYNTAX'], ['doc.a ?? doc.b || 1', 'EXPR_SYNTAX'], ['-2 ** 2', 'EXPR_SYNTAX'],
    ['', 'EXPR_SYNTAX'], ['eval:', 'EXPR_SYNTAX'], [';doc.a', 'EXPR_SYNTAX'], ["'unterminated", 'EXPR_SYNTAX'], ["'\\x4'", 'EXPR_SYNTAX'],
    ['doc.a = 1', 'EXPR_UNSUPPORTED'], ['doc.a += 1', 'EXPR_UNSUPPORTED'], ['doc.a++', 'EXPR_UNSUPPORTED'],
    ['x => x', 'EXPR_UNSUPPORTED'], ['`t`', 'EXPR_UNSUPPORTED'], ['/re/.test(doc.a)', 'EXPR_UNSUPPORTED'],
    ['new Date()', 'EXPR_UNSUPPORTED'], ['this.doc', 'EXPR_UNSUPPORTED'], ['"a" in doc', 'EXPR_UNSUPPORTED'],
    ['doc instanceof Object', 'EXPR_UNSUPPORTED'], ['window.alert(1)', 'EXPR_UNSUPPORTED'], ['$("x")', 'EXPR_UNSUPPORTED'],
    ['frappe.db.get_value("x")', 'EXPR_UNSUPPORTED'], ['frappe.model.get_doc()', 'EXPR_UNSUPPORTED'], ['locals', 'EXPR_UNSUPPORTED'],
    ['moment()', 'EXPR_UNSUPPORTED'], ['in_list', 'EXPR_UNSUPPORTED'], ['frappe.user.has_role', 'EXPR_UNSUPPORTED'],
    ['frappe', 'EXPR_UNSUPPORTED'], ['cur_frm', 'EXPR_UNSUPPORTED'], ['cur_frm.is_new()', 'EXPR_UNSUPPORTED'],
    ['doc.items.push(1)', 'EXPR_UNSUPPORTED'], ['doc.items.sort()', 'EXPR_UNSUPPORTED'], ['doc.items.map(f)', 'EXPR_UNSUPPORTED'],
    ['doc.a, doc.b', 'EXPR_UNSUPPORTED'], ['010', 'EXPR_UNSUPPORTED'], ['0x10', 'EXPR_UNSUPPORTED'], ['doc.a // c', 'EXPR_UNSUPPORTED'],
    ['({a: 1})', 'EXPR_UNSUPPORTED'], ['doc()', 'EXPR_UNSUPPORTED'], ['typeof erpnext', 'EXPR_UNSUPPORTED'],
  ])('%s -> %s', (src, code) => {
    const e = errorOf(() => compileExpression(src));
    expect(e.code).toBe(code);
    if (src.length > 0) expect(e.index).toBeTypeOf('number');
  });

  it('limits length and depth (EXPR_LIMIT)', () => {
    expect(errorOf(() => compileExpression('doc.a+'.repeat(400) + '1')).code).toBe('EXPR_LIMIT');
    // parentheses alone add no depth; 100 nested additions do
    expect(compileExpression('('.repeat(100) + '1' + ')'.repeat(100)).evaluate({ doc: {} })).toBe(1);
    expect(errorOf(() => compileExpression('('.repeat(100) + 'doc.a' + '+1)'.repeat(100))).code).toBe('EXPR_LIMIT');
    // jsep's own recursion overflowing is a limit, not a crash
    expect(errorOf(() => compileExpression('('.repeat(20_000) + '1' + ')'.repeat(20_000), { maxLength: 50_000 })).code).toBe('EXPR_LIMIT');
    expect(errorOf(() => compileExpression('!'.repeat(70) + 'doc.a')).code).toBe('EXPR_LIMIT');
    expect(compileExpression('!'.repeat(10) + 'doc.a', { maxDepth: 12 }).evaluate({ doc: { a: 1 } })).toBe(true);
    expect(errorOf(() => compileExpression('[[[[[[1]]]]]]', { maxDepth: 3 })).code).toBe('EXPR_LIMIT');
  });

  it('turns everything JavaScript would throw into EXPR_RUNTIME', () => {
    const e = errorOf(() => compileExpression('doc.x.y').evaluate({ doc: {} }));
    expect(e.code).toBe('EXPR_RUNTIME');
    expect(e.description).toContain("reading 'y'");
    expect(errorOf(() => compileExpression('in_list(doc.x, 1)').evaluate({ doc: {} })).code).toBe('EXPR_RUNTIME');
    expect(errorOf(() => compileExpression('doc.a.toFixed(101)').evaluate({ doc: { a: 1 } })).code).toBe('EXPR_RUNTIME');
    expect(errorOf(() => compileExpression('doc.b + 1').evaluate({ doc: { b: 1n } })).code).toBe('EXPR_RUNTIME');
    expect(errorOf(() => compileExpression('doc.o + ""').evaluate({ doc: { o: Object.create(null) } })).code).toBe('EXPR_RUNTIME');
  });
});

describe('compileExpression: statements, references, cache', () => {
  it('returns the first statement and still evaluates the rest (Frappe: let out = a; b; return out)', () => {
    expect(compileExpression('doc.a; doc.b').evaluate({ doc: { a: 1, b: 2 } })).toBe(1);
    expect(() => compileExpression('doc.a; doc.missing.x').evaluate({ doc: { a: 1 } })).toThrow(ExpressionError);
  });

  it('lists the fields read, parent fields prefixed, computed keys as *', () => {
    expect(compileExpression('eval:doc.b && doc.a > 0 && doc.items.length').references).toEqual(['a', 'b', 'items']);
    expect(compileExpression('parent.company || cur_frm.doc.currency').references).toEqual(['parent.company', 'parent.currency']);
    expect(compileExpression("doc['x'] + doc[doc.k]").references).toEqual(['*', 'k', 'x']);
    expect(compileExpression('erpnextless(doc)'.replace('erpnextless(doc)', 'cint(doc)')).references).toEqual(['*']);
    expect(compileExpression('1 + 1').references).toEqual([]);
  });

  it('caches by source: same text, same object; different limits compile separately', () => {
    const a = compileExpression('doc.cached_a == 1');
    expect(compileExpression('doc.cached_a == 1')).toBe(a);
    expect(compileExpression('doc.cached_a == 1', { maxDepth: 10 })).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('uses ctx.doc as parent when parent is omitted (top-level fields)', () => {
    expect(compileExpression('parent.x').evaluate({ doc: { x: 5 } })).toBe(5);
    expect(compileExpression('cur_frm.doc.x').evaluate({ doc: { x: 1 }, parent: { x: 2 } })).toBe(2);
  });

  it('reads accessors as undefined (getters never run)', () => {
    let ran = false;
    const doc = Object.defineProperty({}, 'g', { get: () => ((ran = true), 1), enumerable: true });
    expect(compileExpression('doc.g').evaluate({ doc })).toBeUndefined();
    expect(ran).toBe(false);
  });
});
