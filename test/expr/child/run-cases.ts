/**
 * Child process for the hostile-expression tests: evaluates each case and prints one JSON line per case, so a
 * V8 fatal error (out of heap, invalid string length in a native builtin) kills this process, not the runner.
 * Input: a JSON file path (argv[2]) holding `{ cases: [{ src, doc, options? }] }`; `doc` values may use the
 * `{ "$big": [char, count] }` form to build a long string here rather than in the JSON.
 */
import { readFileSync } from 'node:fs';
import { ExpressionError } from '../../../src/errors';
import { compileExpression, type CompileOptions } from '../../../src/expr/compile';

interface Case { readonly src: string; readonly doc?: unknown; readonly options?: CompileOptions }

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const big = (v as { $big?: [string, number] }).$big;
    if (big) return big[0].repeat(big[1]);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

const { cases } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { cases: Case[] };
for (let i = 0; i < cases.length; i++) {
  const c = cases[i]!;
  const doc = revive(c.doc ?? {}) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ i, start: true })}\n`);
  const t0 = performance.now();
  let out: Record<string, unknown>;
  try {
    const value = compileExpression(c.src, c.options).evaluate({ doc });
    out = { ok: true, type: typeof value, length: typeof value === 'string' || Array.isArray(value) ? value.length : undefined, value: typeof value === 'boolean' || typeof value === 'number' ? value : undefined };
  } catch (e) {
    out = e instanceof ExpressionError
      ? { ok: false, typed: true, code: e.code, index: e.index ?? null, description: e.description }
      : { ok: false, typed: false, error: String(e) };
  }
  process.stdout.write(`${JSON.stringify({ i, ms: performance.now() - t0, ...out })}\n`);
}
