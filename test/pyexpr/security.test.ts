/**
 * The Python-expression layer as an attacker sees it: escapes through dunders, JavaScript prototype names,
 * builtins that are not there, resource exhaustion, and fuzzed input. Every failure is a typed PyExprError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePython, PyCallable, PyExprError, toJs } from '../../src/pyexpr/index';

const ctx = { doc: { name: 'X', status: 'Open', n: 5, l: [1, 2, 3], items: [{ qty: 1 }] }, user: 'u@example.com' };

function attempt(src: string): { value?: unknown; error?: unknown } {
  try {
    return { value: compilePython(src).evaluatePy(ctx) };
  } catch (error) {
    return { error };
  }
}

const codeOf = (src: string): string | undefined => {
  const { error } = attempt(src);
  if (error === undefined) return undefined;
  expect(error).toBeInstanceOf(PyExprError);
  return (error as PyExprError).code;
};

describe('pyexpr security', () => {
  it.each([
    'doc.__class__', '().__class__.__bases__[0].__subclasses__()', "__import__('os')", '_', 'doc._meta', '__builtins__',
    'int.__call__', 'frappe._dict', '[x for x in doc.l]', 'lambda: 1', '(x := 1)', 'print',
  ])('refuses %s at compile time, before evaluation', (src) => {
    expect(() => compilePython(src)).toThrow(PyExprError);
    expect(['PYEXPR_UNSUPPORTED', 'PYEXPR_SYNTAX']).toContain(codeOf(src));
  });

  it("refuses a string key that starts with '_' at run time, as Frappe's _getitem does", () => {
    expect(codeOf("doc.get('__class__')")).toBeUndefined(); // dict.get is a plain lookup: None
    const { error } = attempt("doc['_' + 'x']");
    expect((error as PyExprError).pyType).toBe('SyntaxError');
  });

  it.each([
    ['doc.constructor', null], ['doc.toString', null], ['doc.hasOwnProperty', null], ["doc.get('constructor')", null],
  ])('JavaScript prototype names are plain missing keys: %s is None', (src, want) => {
    expect(attempt(src).value).toBe(want);
  });

  it.each([
    "{}['constructor']", "''.constructor", '[].constructor', '(1).constructor', "'a'.__proto__", 'doc.l.push(4)',
    'eval("1")', 'getattr(doc, "x")', 'open("/etc/passwd")', 'len(doc.l)', 'str(1)', 'frappe.db.sql("select 1")',
    "'{0}'.format(doc)", "'a'.format_map({})", 'frappe.utils.os', 'type(doc)',
  ])('%s fails with a typed error and yields nothing callable', (src) => {
    const { value, error } = attempt(src);
    if (error === undefined) expect(value === null || !(value instanceof PyCallable)).toBe(true);
    else expect(error).toBeInstanceOf(PyExprError);
    if (src === 'frappe.utils.os') expect(value).toBeNull();
  });

  it.each([
    "'a' * 10**9", '[1] * 10**8', '2 ** 10**9', '10 ** 100000', '1 << 10**6', "('a' * 99999) + ('a' * 99999)",
    '(doc.l * 30000) * 3',
  ])('%s stops at a limit (PYEXPR_LIMIT), quickly', (src) => {
    const t = Date.now();
    expect(codeOf(src)).toBe('PYEXPR_LIMIT');
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('limits source length, nesting and steps', () => {
    expect(codeOf('1 + '.repeat(2000) + '1')).toBe('PYEXPR_LIMIT');
    expect(codeOf('('.repeat(200) + '1' + ')'.repeat(200))).toBe('PYEXPR_LIMIT');
    expect(codeOf('-'.repeat(500) + '1')).toBe('PYEXPR_LIMIT');
    const wide = Array.from({ length: 900 }, () => '[doc.l, doc.l, doc.l]').join(' + ');
    expect(() => compilePython(wide, { maxSteps: 1000 }).evaluatePy(ctx)).toThrow(expect.objectContaining({ code: 'PYEXPR_LIMIT' }));
  });

  it('limits database reads per evaluation', async () => {
    let calls = 0;
    const db = { get_value: async () => { calls++; return { user_id: 'x' }; }, get_list: async () => [] };
    const src = Array.from({ length: 30 }, (_, i) => `frappe.db.get_value('Employee', 'E${i}', 'user_id')`).join(' and ');
    await expect(compilePython(src).evaluateAsync({ ...ctx, db })).rejects.toMatchObject({ code: 'PYEXPR_LIMIT' });
    expect(calls).toBeLessThanOrEqual(20);
  });

  it('a database read without a data source is refused, not guessed', async () => {
    await expect(compilePython("frappe.db.get_value('Employee', 'E', 'user_id')").evaluateAsync(ctx)).rejects.toMatchObject({ code: 'PYEXPR_UNSUPPORTED' });
  });

  it('errors carry the position and Python exception class', () => {
    const { error } = attempt('doc.status == "Open" and doc.n < None');
    expect(error).toMatchObject({ code: 'PYEXPR_RUNTIME', pyType: 'TypeError', index: 25 });
    const syntax = attempt('doc.status == ');
    expect(syntax.error).toMatchObject({ code: 'PYEXPR_SYNTAX', pyType: 'SyntaxError', index: 14 });
  });

  it('the document given is never changed and results do not alias it', async () => {
    const doc = { l: [1, 2], d: { a: 1 } };
    const before = JSON.stringify(doc);
    const out = await compilePython('doc.l').evaluateAsync({ doc });
    (out as number[]).push(3);
    expect(JSON.stringify(doc)).toBe(before);
    expect(toJs(compilePython("doc.get('d')").evaluatePy({ doc }))).toEqual({ a: 1 });
  });

  it('fuzz: any text compiles or fails with PyExprError, and evaluation of what compiles fails only with PyExprError', () => {
    const alphabet = fc.constantFrom(...'doc.frappe_()[]{}:,"\'+-*/%<>=! andornotifelseinis 0123456789.e\\\n#xyz'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (src) => {
      try {
        compilePython(src).evaluatePy(ctx);
      } catch (error) {
        if (!(error instanceof PyExprError)) throw error;
      }
    }), { numRuns: 3000 });
  });
});
