/**
 * The once-per-object plain-data check (`isPlainData` in `src/expr/access.ts`) that lets reads be plain property
 * reads: objects that are not plain data never get them; an object changed *after* an evaluation vetted it is
 * caught (a new prototype, checked on every evaluation) or harmless (a property redefined as an accessor: the
 * caller's own getter, no argument from the expression, bounded, its result treated as data). And the one cache
 * of compiled conditions.
 */
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import { compileCondition, evaluateCondition } from '../../src/expr/condition';
import type { ExprContext } from '../../src/expr/types';

type Doc = Record<string, unknown>;

/** The value, or the error's code and description: what an evaluation gives. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return { code: e.code, description: e.description };
  }
}

const evaluated = (src: string, ctx: ExprContext) => outcome(() => compileExpression(src).evaluate(ctx));

describe('the plain-data check', () => {
  it('objects that are not plain data are read through descriptors: getters never run, inherited members are refused', () => {
    class Row { status = 'Open'; get qty(): number { throw new Error('getter ran'); } }
    const inherits = Object.create({ status: 'Open' }) as Doc;
    const withGetter = Object.defineProperty({ status: 'Open' } as Doc, 'qty', { get: () => { throw new Error('getter ran'); }, enumerable: true });
    const nullProto = Object.assign(Object.create(null) as Doc, { status: 'Open', qty: 2 });
    expect(compileExpression("doc.status == 'Open'").evaluate({ doc: nullProto })).toBe(true); // null prototype: plain
    expect(compileExpression('doc.qty > 1').evaluate({ doc: nullProto })).toBe(true);
    for (const doc of [new Row() as unknown as Doc, withGetter]) {
      expect(compileExpression("doc.status == 'Open'").evaluate({ doc })).toBe(true); // own data property
    }
    // The class's getter is inherited: refused. The own accessor reads as undefined. Neither runs.
    expect((evaluated('doc.qty', { doc: new Row() as unknown as Doc }) as { code: string }).code).toBe('EXPR_RUNTIME');
    expect(compileExpression('doc.qty').evaluate({ doc: withGetter })).toBeUndefined();
    expect(compileExpression('!doc.qty').evaluate({ doc: withGetter })).toBe(true);
    expect((evaluated("doc.status == 'Open'", { doc: inherits }) as { code: string }).code).toBe('EXPR_RUNTIME');
    expect((evaluated('parent.status', { doc: {}, parent: inherits }) as { code: string }).code).toBe('EXPR_RUNTIME');
  });
});

describe('an object changed after an evaluation vetted it', () => {
  it('a new prototype is caught on the next evaluation, for doc and parent, whatever the expression reads', () => {
    class Klass { get status(): string { throw new Error('inherited getter ran'); } method(): number { return 1; } }
    for (const src of ["doc.status == 'Open'", '!doc.method', 'doc.method', "doc.status + ''", "parent.status == 'x'", 'parent.method']) {
      const doc: Doc = { qty: 1 };
      const parent: Doc = { qty: 2 };
      const e = compileExpression(src);
      expect(e.evaluate({ doc, parent })).not.toBeInstanceOf(Function); // vetted as plain data
      Object.setPrototypeOf(doc, Klass.prototype);
      Object.setPrototypeOf(parent, Klass.prototype);
      const after = evaluated(src, { doc, parent }) as { code?: string };
      expect(after.code, src).toBe('EXPR_RUNTIME'); // "Inherited member ... cannot be used as a value"
      expect(after).toEqual(evaluated(src, { doc: Object.setPrototypeOf({ qty: 1 }, Klass.prototype) as Doc, parent: Object.setPrototypeOf({ qty: 2 }, Klass.prototype) as Doc }));
    }
  });

  it('a frozen document (a prototype that can never change) stays readable', () => {
    const doc = Object.freeze({ status: 'Open' });
    const e = compileExpression("doc.status == 'Open'");
    expect(e.evaluate({ doc })).toBe(true);
    expect(() => Object.setPrototypeOf(doc, {})).toThrow(TypeError);
    expect(e.evaluate({ doc })).toBe(true);
  });

  it('a property redefined as an accessor is harmless: the caller\'s getter, no argument from the expression, bounded, its result only data', () => {
    const doc: Doc = { status: 'Open', qty: 1 };
    const calls: { self: unknown; args: number }[] = [];
    const src = "doc.status == 'Open' || doc.status == 'Draft'"; // two read sites
    const e = compileExpression(src);
    expect(e.evaluate({ doc })).toBe(true); // vetted
    let returned: unknown = 'Closed';
    Object.defineProperty(doc, 'status', {
      get(this: unknown, ...args: unknown[]) {
        calls.push({ self: this, args: args.length });
        return returned;
      },
      enumerable: true,
      configurable: true,
    });
    expect(e.evaluate({ doc })).toBe(false);
    // The getter ran once per read site, on the caller's own object, with nothing from the expression.
    expect(calls).toEqual([{ self: doc, args: 0 }, { self: doc, args: 0 }]);
    // Whatever it returns is data: a function can be neither called, converted nor handed back through a helper.
    returned = () => 'called';
    for (const s of ["doc.status + ''", 'doc.status == 1', 'cstr(doc.status)', "doc.status.concat('x')", '-doc.status', "'a'.concat(doc.status)"]) {
      const r = evaluated(s, { doc }) as { code?: string };
      expect(r.code, s).toMatch(/^EXPR_(RUNTIME|UNSUPPORTED)$/);
    }
    expect(() => compileExpression('doc.status()')).toThrow(ExpressionError); // calling it is refused at compile time
    // An object with its own conversion is not converted by running it.
    let converted = 0;
    returned = { toString: () => (converted++, 'Open'), valueOf: () => (converted++, 1) };
    expect((evaluated("doc.status == 'Open'", { doc }) as { code?: string }).code).toBe('EXPR_RUNTIME');
    expect(converted).toBe(0);
    // What it throws comes out typed.
    returned = undefined;
    Object.defineProperty(doc, 'status', { get: () => { throw Object.create(null); } });
    expect((evaluated("doc.status == 'Open'", { doc }) as { code?: string }).code).toBe('EXPR_RUNTIME');
    // The same accessor on an object never seen before is caught at first sight: it reads as undefined.
    calls.length = 0;
    const fresh = Object.defineProperty({ qty: 1 } as Doc, 'status', { get: () => (calls.push({ self: null, args: 0 }), 'Open'), enumerable: true });
    expect(e.evaluate({ doc: fresh })).toBe(false);
    expect(calls).toEqual([]);
  });

  it('assignment after vetting is seen (no accessor can come of it)', () => {
    const doc: Doc = { status: 'Open' };
    const e = compileExpression("doc.status == 'Open'");
    expect(e.evaluate({ doc })).toBe(true);
    doc.status = 'Closed';
    expect(e.evaluate({ doc })).toBe(false);
    doc.extra = [1];
    expect(compileExpression('doc.extra.length').evaluate({ doc })).toBe(1);
    delete doc.status;
    expect(e.evaluate({ doc })).toBe(false);
  });
});

describe('conditions: one cache', () => {
  it('compiles a condition once; evaluateCondition answers from it', () => {
    const field = `f${Date.now()}`;
    const src = `eval:doc.${field} == 'x'`;
    const c = compileCondition(src);
    expect(compileCondition(src)).toBe(c);
    expect(evaluateCondition(src, { doc: { [field]: 'x' } })).toBe(true);
    expect(evaluateCondition(src, { doc: {} })).toBe(false);
    expect(evaluateCondition(src, {} as ExprContext)).toBe(false); // no document
  });

  it('is bounded: two generations of 5,000; a condition still in use survives, an unused one is dropped', () => {
    const tag = `g${Date.now()}`;
    const used = compileCondition(`eval:doc.${tag}_used == 1`);
    const unused = compileCondition(`eval:doc.${tag}_unused == 1`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5_000; i++) compileCondition(`${tag}_${round}_${i}`); // fieldname conditions: cheap to compile
      expect(compileCondition(`eval:doc.${tag}_used == 1`)).toBe(used);
    }
    expect(compileCondition(`eval:doc.${tag}_unused == 1`)).not.toBe(unused);
    expect(evaluateCondition(`eval:doc.${tag}_used == 1`, { doc: { [`${tag}_used`]: 1 } })).toBe(true);
  });
});
