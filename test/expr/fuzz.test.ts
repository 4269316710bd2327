/**
 * Issue 14: no expression up to the length limit can make one evaluation take more than a few milliseconds or
 * allocate more than a few megabytes (a property test over expressions built from every builder and scanner,
 * with the largest constants), and 100,000 fuzz cases where only ExpressionError escapes.
 *
 * The numbers. The default budget is 2,000,000 operations and 4 MiB (`meter.ts`). The dearest operation per
 * unit is an element loop (8 operations per element, about 10-15 ns), so a spent budget is about 2-4 ms of
 * CPU on this machine; an evaluation also does unmetered work bounded by the source length (at most ~1,000
 * operator nodes, each on strings under 256 characters). The property asserts at most 25 ms of CPU (the
 * minimum of three tries, since the machine is shared) and at most 16 MiB allocated as V8 counts it (the
 * meter's 4 MiB counts two bytes per character where V8 often uses one, plus the bounded unmetered work and
 * the error object).
 */
import fc from 'fast-check';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import { DEFAULT_MAX_LENGTH } from '../../src/expr/compile';
import type { ExprContext } from '../../src/expr/types';
import { expressionText } from './arbitraries';

const MAX_CPU_MS = 25;
const MAX_ALLOCATED = 16 * 1024 * 1024;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const ctx: ExprContext = deepFreeze({
  doc: {
    name: 'X', t: 'Lorem ipsum dolor sit amet. '.repeat(40), n: 5, list: Array.from({ length: 200 }, (_, i) => `item-${i}`),
    rows: Array.from({ length: 50 }, (_, i) => ({ idx: i + 1, qty: i })), fake: { length: 1e9 }, big: 'a'.repeat(100_000),
  },
  user: { name: 'u@x', roles: ['R', 'S'] },
  now: new Date('2024-01-01T00:00:00Z'),
  boot: { sysdefaults: { number_format: '#,###.##' } },
});

/** Expressions built to amplify: builders with huge counts, scanners with long needles, helpers with long lists. */
const amplifier: fc.Arbitrary<string> = fc.letrec<{ s: string; a: string; e: string }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(`'a'`, `'ab'`, `"$'"`, `'{0}'`, `'ß'`, `''`, 'doc.t', 'doc.big', 'doc.name', `'0'`, `' '`),
    fc.tuple(tie('s'), fc.constantFrom('1e9', '2**20', '1e6', '1e5', '1000', '10', '2')).map(([s, n]) => `${s}.repeat(${n})`),
    fc.tuple(tie('s'), fc.constantFrom('2**30', '1e6', '100')).map(([s, n]) => `${s}.padStart(${n}, 'xy')`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}.replace('a', ${b})`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}.concat(${b}, ${b})`),
    fc.tuple(tie('a'), tie('s')).map(([a, b]) => `${a}.join(${b})`),
    fc.tuple(tie('s'), tie('a')).map(([a, b]) => `__(${a}, ${b})`),
    fc.tuple(tie('s'), tie('s'), tie('s')).map(([a, b, c]) => `replace_all(${a}, ${b}, ${c})`),
    tie('s').map((a) => `${a}.toUpperCase()`),
    tie('s').map((a) => `toTitle(${a})`),
    tie('s').map((a) => `cstr(${a})`),
    tie('a').map((a) => `(${a} + '')`),
  ),
  a: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('doc.list', 'doc.rows', 'doc.fake', '[1, 2, 3]', `['a', 'b']`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}.split(${b})`),
    fc.array(tie('s'), { minLength: 1, maxLength: 6 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(tie('a'), tie('a')).map(([a, b]) => `${a}.concat(${b}, ${b})`),
    tie('a').map((a) => `${a}.slice(0)`),
  ),
  e: fc.oneof(
    tie('s'),
    tie('a'),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}.lastIndexOf(${b})`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}.includes(${b})`),
    fc.tuple(tie('a'), tie('s')).map(([a, b]) => `${a}.indexOf(${b})`),
    fc.tuple(tie('a'), tie('a')).map(([a, b]) => `has_common(${a}, ${b})`),
    fc.tuple(tie('a'), tie('s')).map(([a, b]) => `has_words(${a}, ${b})`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `strip(${a}, ${b})`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `(${a} < ${b})`),
    tie('s').map((a) => `flt(${a})`),
    tie('s').map((a) => `cint(${a})`),
    fc.array(tie('e'), { minLength: 2, maxLength: 8 }).map((xs) => xs.map((x) => `(${x})`).join(' || ')),
  ),
})).e.filter((src) => src.length <= DEFAULT_MAX_LENGTH);

function cpuMs(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
}

/** Bytes V8 allocated while `f` ran: the growth of the heap plus what every garbage collection in between freed. */
function allocated(f: () => void): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  f();
  const after = v8.getHeapStatistics().used_heap_size;
  const data = profiler.stop() as { statistics: { beforeGC: { heapStatistics: { usedHeapSize: number } }; afterGC: { heapStatistics: { usedHeapSize: number } } }[] };
  let freed = 0;
  for (const s of data.statistics) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  return after - before + freed;
}

describe('every evaluation is cheap, whatever the expression', () => {
  it(`no expression up to ${DEFAULT_MAX_LENGTH} characters takes more than ${MAX_CPU_MS} ms of CPU or allocates more than 16 MiB`, () => {
    let worstMs = 0;
    let worstBytes = 0;
    let limited = 0;
    let runs = 0;
    fc.assert(
      fc.property(amplifier, (src) => {
        const compiled = compileExpression(src, { cache: false });
        let hitLimit = false;
        const once = () => {
          try {
            compiled.evaluate(ctx);
          } catch (e) {
            if (!(e instanceof ExpressionError)) throw e;
            hitLimit = e.code === 'EXPR_LIMIT';
          }
        };
        let ms = cpuMs(once);
        for (let retry = 0; retry < 2 && ms > MAX_CPU_MS; retry++) ms = Math.min(ms, cpuMs(once)); // a shared machine
        const bytes = allocated(once);
        runs++;
        if (hitLimit) limited++;
        worstMs = Math.max(worstMs, ms);
        worstBytes = Math.max(worstBytes, bytes);
        expect(ms, src).toBeLessThanOrEqual(MAX_CPU_MS);
        expect(bytes, src).toBeLessThanOrEqual(MAX_ALLOCATED);
      }),
      { numRuns: 400, seed: 1414 },
    );
    console.log(`property: ${runs} expressions, ${limited} hit the budget; worst ${worstMs.toFixed(2)} ms CPU, ${(worstBytes / 2 ** 20).toFixed(2)} MiB allocated`);
    expect(limited).toBeGreaterThan(50); // the generator does reach the limits
  }, 300_000);
});

describe('fuzzing: 100,000 cases, only ExpressionError escapes, contexts are never mutated', () => {
  const exprArb = expressionText({
    atoms: ['doc', 'parent', 'doc.t', 'doc.list', 'doc.rows', 'doc.rows[0]', 'doc.fake', 'doc.n', '1', '0', '-1', '1e9', "'a'", '""', "'{0}'", `"$'"`,
      'null', 'undefined', 'true', '[1,2]', "['a', doc.t]", 'frappe.boot', 'frappe.session.user', 'cur_frm.doc', "doc['__proto__']", 'doc.constructor',
      'erpnext', 'doc.big', 'NaN'],
    methods: ['.length', '?.length', '[0]', '?.[0]', '.x', '.toString()', '.slice(1)', '.includes(1)', '.join()', '.constructor', '.__proto__',
      '.repeat(1e6)', ".split('')", ".replace('a', \"$'$'\")", '.toUpperCase()', '.at(-1)', ".lastIndexOf('a')", '.concat([1])', '.padStart(1e6)', '.indexOf(0)'],
    helpers: ['in_list', 'cint', 'flt', 'cstr', 'is_null', 'has_common', 'has_words', 'nth', 'strip', 'toTitle', 'replace_all', '__', 'frappe.user.has_role',
      'frappe.datetime.add_days', 'frappe.datetime.get_diff'],
    extended: true,
  });

  it('random ASTs over hostile data', () => {
    const snapshot = JSON.stringify(ctx);
    const started = performance.now();
    let errors = 0;
    fc.assert(
      fc.property(exprArb, (src) => {
        let value: unknown;
        try {
          value = compileExpression(src, { cache: false }).evaluate(ctx);
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          errors++;
          return;
        }
        if (typeof value === 'function' || value === Object.prototype || value === Array.prototype || value === globalThis) throw new Error(`leaked ${src}`);
      }),
      { numRuns: 100_000, seed: 2026 },
    );
    expect(JSON.stringify(ctx)).toBe(snapshot);
    console.log(`fuzz: 100000 cases (${errors} ExpressionErrors) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);
});
