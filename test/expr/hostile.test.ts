/**
 * Issue 14, findings 1 and 2: expressions that used to kill the process (V8 fatal error: invalid string length,
 * heap out of memory) or hang the event loop for minutes, and their relatives. Each batch runs in a child
 * process (`child/run-cases.ts`) with a small heap, so a regression fails this test instead of killing the
 * runner; each case must end with a typed `ExpressionError` (`EXPR_LIMIT` with the index of the site that ran
 * out of budget) or its ordinary value, quickly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

type Expect = { readonly limit: true } | { readonly code: string } | { readonly value: unknown };
interface Case { readonly src: string; readonly doc?: unknown; readonly options?: Record<string, number>; readonly expect: Expect }
interface Result { i: number; ms: number; ok: boolean; typed?: boolean; code?: string; index?: number | null; value?: unknown; error?: string; description?: string }

const big = (ch: string, n: number) => ({ $big: [ch, n] });
const many = (item: string, n: number, sep = ',') => Array(n).fill(item).join(sep);
const LIMIT = { limit: true } as const;

/** Run cases in a child process; returns the per-case results and the child's exit. */
function runInChild(cases: readonly Case[]): { results: Result[]; status: number | null; signal: string | null; stderr: string; lastStarted: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'coworker-hostile-'));
  const file = path.join(dir, 'cases.json');
  writeFileSync(file, JSON.stringify({ cases }));
  const child = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', path.join(here, 'child/run-cases.ts'), file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = (child.stdout ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Result & { start?: boolean });
  const started = lines.filter((l) => l.start).map((l) => l.i);
  return { results: lines.filter((l) => !l.start), status: child.status, signal: child.signal, stderr: child.stderr ?? '', lastStarted: started.at(-1) ?? -1 };
}

function check(cases: readonly Case[]): void {
  const { results, status, signal, stderr, lastStarted } = runInChild(cases);
  expect({ status, signal, died: status === 0 ? null : `case ${lastStarted}: ${cases[lastStarted]?.src.slice(0, 120)}\n${stderr.slice(-2000)}` })
    .toEqual({ status: 0, signal: null, died: null });
  expect(results).toHaveLength(cases.length);
  for (const r of results) {
    const c = cases[r.i]!;
    const label = `${c.src.slice(0, 100)} -> ${JSON.stringify(r).slice(0, 300)}`;
    expect(r.ms, label).toBeLessThan(2_000); // the budget is a few ms; generous for a loaded machine and a cold JIT
    if ('limit' in c.expect) {
      expect(r.typed, label).toBe(true);
      expect(r.code, label).toBe('EXPR_LIMIT');
      expect(typeof r.index, label).toBe('number');
      expect(r.index!, label).toBeGreaterThanOrEqual(0);
      expect(r.index!, label).toBeLessThan(c.src.length);
    } else if ('code' in c.expect) {
      expect(r.typed, label).toBe(true);
      expect(r.code, label).toBe(c.expect.code);
    } else {
      expect(r.ok, label).toBe(true);
      expect(r.value, label).toEqual(c.expect.value);
    }
  }
}

describe('issue 14 reproductions run in a child process and end with a typed error', () => {
  const cases: Case[] = [
    // finding 1: a fatal error (invalid string length inside replace) and a heap exhaustion
    { src: `'a'.repeat(1e6).replace('a', "$'".repeat(200)).split('')`, expect: LIMIT },
    { src: `__('{0}'.repeat(200), ['a'.repeat(1e6)])`, expect: LIMIT },
    // finding 2: minutes of synchronous work
    { src: `'a'.repeat(1e6).lastIndexOf('a'.repeat(5e5) + 'b')`, expect: LIMIT },
    { src: `has_common('a'.repeat(5e5).split(''), 'b'.repeat(5e5).split(''))`, expect: LIMIT },
    { src: `has_words('ab'.repeat(2e5).split(''), 'c'.repeat(1e5))`, expect: LIMIT },
    // an array-like stored in a JSON field is no list
    { src: `has_common(doc.x, ['a'])`, doc: { x: { length: 1e9 } }, expect: { value: false } },
    { src: `has_words(doc.x, 'abc')`, doc: { x: { length: 1e9, 0: 'a' } }, expect: { value: false } },
    { src: `has_common(['a'], doc.x)`, doc: { x: { length: 1e9 } }, expect: { code: 'EXPR_RUNTIME' } },
    // the same shapes over document data an attacker stored (a 1 MB Text field)
    { src: `doc.t.lastIndexOf(doc.t.slice(1) + 'b')`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `__(doc.f, [doc.t])`, doc: { f: big('{0}', 200), t: big('a', 1e6) }, expect: LIMIT },
    { src: `doc.t.replace('a', doc.r)`, doc: { t: big('a', 1e6), r: big("$'", 200) }, expect: LIMIT },
    { src: `has_common(doc.a, doc.b)`, doc: { a: Array(3e5).fill('x'), b: Array(3e5).fill('y') }, expect: LIMIT },
  ];
  it('each case is refused or answered, and the child lives', () => check(cases), 180_000);
});

describe('extended attack battery (child process)', () => {
  const s1m = `'a'.repeat(1e6)`;
  const cases: Case[] = [
    // growth by every builder
    { src: `'x'.repeat(2 ** 28)`, expect: LIMIT },
    { src: `'x'.padStart(2 ** 30)`, expect: LIMIT },
    { src: `'x'.padEnd(2 ** 30, 'ab')`, expect: LIMIT },
    { src: `${s1m}.concat(${s1m}, ${s1m})`, expect: LIMIT },
    { src: `${s1m} + ${s1m} + ${s1m}`, expect: LIMIT },
    { src: `((${s1m} + 'b') + ('c' + ${s1m})).length`, expect: LIMIT },
    { src: `'ab'.repeat(5e5).split('').join('xyz')`, expect: LIMIT },
    { src: `${s1m}.split('').concat(${s1m}.split(''))`, expect: LIMIT },
    { src: `replace_all(${s1m}, 'a', 'bbbbbbbb')`, expect: LIMIT },
    { src: `toTitle('a '.repeat(1e6))`, expect: LIMIT },
    { src: `'ß'.repeat(9e5).toUpperCase()`, expect: LIMIT },
    { src: `[${many('doc.t', 150)}] + ''`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `[${many(`[${many('doc.t', 10)}]`, 15)}].join('-')`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `-[${many('doc.t', 150)}]`, doc: { t: big('1', 1e6) }, expect: LIMIT },
    { src: `doc[[${many('doc.t', 150)}]]`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `cstr([${many('doc.t', 150)}])`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `is_null([${many('doc.t', 150)}])`, doc: { t: big('a', 1e6) }, expect: LIMIT },
    { src: `flt([${many('doc.t', 150)}])`, doc: { t: big('1', 1e6) }, expect: LIMIT },
    { src: `cint(doc.t)`, doc: { t: big('0', 3e6) }, expect: LIMIT },
    { src: `lstrip(doc.t, doc.u + 'y')`, doc: { t: big('y', 1e5), u: big('z', 1e5) }, expect: LIMIT },
    { src: `strip(doc.t, doc.u).length`, doc: { t: big('x', 1e5), u: big('y', 1e5) }, expect: { value: 1e5 } },
    { src: `nth('9'.repeat(3e6))`, expect: LIMIT },
    { src: `frappe.datetime.add_days('2024-01-01', [${many('doc.t', 150)}])`, doc: { t: big('1', 1e6) }, expect: LIMIT },
    { src: `frappe.user.has_role(doc.roles)`, doc: { roles: Array(5e5).fill('R') }, expect: LIMIT },
    // scans and comparisons over long strings, many times over
    { src: many(`(doc.t < doc.u)`, 60, ' || '), doc: { t: big('a', 1e6), u: big('a', 1e6) }, expect: LIMIT },
    { src: many(`doc.t.includes(doc.u)`, 60, ' || '), doc: { t: big('a', 1e6), u: big('b', 10) }, expect: LIMIT },
    { src: many(`(doc.t - 1)`, 60, ' + '), doc: { t: big('1', 1e6) }, expect: LIMIT },
    { src: `${s1m}.localeCompare(${s1m})`, expect: LIMIT },
    { src: `doc.t.toLowerCase() + doc.t.toUpperCase() + doc.t.trim()`, doc: { t: big('A', 1e6) }, expect: LIMIT },
    { src: `doc.list.indexOf('y') + doc.list.lastIndexOf('y') + doc.list.includes('y')`, doc: { list: Array(1e6).fill('x') }, expect: LIMIT },
    { src: `doc.list.slice(0).concat(doc.list).join('')`, doc: { list: Array(1e6).fill('x') }, expect: LIMIT },
    // budgets are configurable
    { src: `'x'.repeat(1000)`, options: { maxBytes: 1000 }, expect: LIMIT },
    { src: `'x'.repeat(1000).length`, options: { maxBytes: 10_000 }, expect: { value: 1000 } },
    { src: `'x'.repeat(3e6).length`, options: { maxBytes: 64 * 1024 * 1024, maxOps: 1e8 }, expect: { value: 3e6 } },
    // ordinary expressions over the same large data still work
    { src: `doc.t.length > 10 && doc.t.startsWith('aaa')`, doc: { t: big('a', 1e6) }, expect: { value: true } },
    { src: `in_list(['Draft', 'Open'], doc.s)`, doc: { s: 'Open' }, expect: { value: true } },
  ];
  it('each case is refused or answered, and the child lives', () => check(cases), 180_000);
});
