/**
 * Test-only: CPython as the oracle for the Python-expression layer. `cpython.py` evaluates each expression as
 * `frappe.safe_eval` does (same builtins, `doc` a `frappe._dict`); values travel as tagged JSON so ints,
 * floats (their exact bits), tuples and dicts survive the trip.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PyCallable, PyDateTime, PyDict, PySet, PyTuple } from '../../src/pyexpr/index';

export type Tagged = { t: string; v?: unknown; n?: number; attrs?: boolean };
export type Outcome = { ok: true; value: Tagged } | { ok: false; exc: string };

export interface OracleRequest {
  expr: string;
  doc?: Tagged;
  names?: Record<string, Tagged>;
  user?: string;
  table?: Record<string, Tagged[]>;
}

const view = new DataView(new ArrayBuffer(8));
const floatHex = (x: number): string => {
  if (Number.isNaN(x)) return 'nan';
  view.setFloat64(0, x);
  return [...new Uint8Array(view.buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
};

/** A Python value (as pyexpr represents it) in the oracle's tagged JSON. */
export function tag(v: unknown): Tagged {
  if (v === null || v === undefined) return { t: 'none' };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'bigint') return { t: 'int', v: String(v) };
  if (typeof v === 'number') return { t: 'float', v: floatHex(v) };
  if (typeof v === 'string') return { t: 'str', v };
  if (Array.isArray(v)) return { t: 'list', v: v.map(tag) };
  if (v instanceof PyTuple) return { t: 'tuple', v: v.items.map(tag) };
  if (v instanceof PyDict) return { t: 'dict', v: [...v.map.values()].map(([k, x]) => [tag(k), tag(x)]), attrs: v.attrs };
  if (v instanceof PySet) return { t: 'set', n: v.map.size };
  if (v instanceof PyCallable) return { t: 'callable' };
  if (v instanceof PyDateTime) return { t: 'other', v: 'datetime' };
  throw new Error(`cannot tag ${String(v)}`);
}

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cpython.py');

/** Evaluate every request in one python3 process. */
export function cpython(requests: readonly OracleRequest[]): Outcome[] {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const res = spawnSync('python3', [script], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`python3 failed: ${res.stderr}`);
  const lines = res.stdout.trim().split('\n');
  if (lines.length !== requests.length) throw new Error(`python3 answered ${lines.length} of ${requests.length}: ${res.stderr}`);
  return lines.map((l) => JSON.parse(l) as Outcome);
}

/** The seeded PRNG of the expression oracle (mulberry32), so generated cases are reproducible. */
export { prng } from '../expr/oracle';
