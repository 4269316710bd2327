/**
 * Test-only reference: run an expression as Frappe Desk does, with native JavaScript
 * (`new Function(..., 'let out = <body>; return out')`), the helpers bound to the same context.
 * The helper implementations are ours (passed in), so this oracle checks the *language* semantics
 * (parsing, operators, coercions, optional chaining, statement sequencing), not the helpers.
 */
import { DATETIME_HELPERS } from '../../src/expr/datetime';
import { HELPERS, hasRole } from '../../src/expr/helpers';
import { bootOf, makeRuntime, sysdefaultsOf, userOf } from '../../src/expr/runtime';
import type { ExprContext } from '../../src/expr/types';

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const HELPER_NAMES = Object.keys(HELPERS);

/** Evaluate `src` (with or without `eval:`) natively, as Frappe would. */
export function nativeEvaluate(src: string, ctx: ExprContext): Outcome {
  const body = src.startsWith('eval:') ? src.slice(5) : src;
  const rt = makeRuntime(ctx);
  const bind = (h: (rt: never, args: unknown[]) => unknown) => (...args: unknown[]) => h(rt as never, args);
  const u = userOf(rt);
  const frappe = {
    boot: bootOf(rt),
    sys_defaults: sysdefaultsOf(rt),
    session: { user: u.name, user_fullname: u.full_name ?? u.name, user_email: u.email },
    user_roles: u.roles,
    user: { name: u.name, has_role: (rl: unknown) => hasRole(rt, rl) },
    datetime: Object.fromEntries(Object.entries(DATETIME_HELPERS).map(([k, h]) => [k, bind(h)])),
  };
  let fn: (...a: unknown[]) => unknown;
  try {
    // eslint-disable-next-line no-new-func -- the oracle, test files only
    fn = new Function('doc', 'parent', 'frappe', 'cur_frm', ...HELPER_NAMES, `let out = ${body}; return out`) as typeof fn;
  } catch (error) {
    return { ok: false, error };
  }
  try {
    const value = fn(rt.doc, rt.parent, frappe, { doc: rt.parent }, ...HELPER_NAMES.map((n) => bind(HELPERS[n]!)));
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Our evaluation as an {@link Outcome}. */
export function ours(evaluate: () => unknown): Outcome {
  try {
    return { ok: true, value: evaluate() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Same value: Object.is (NaN equals NaN), arrays compared element-wise (fresh arrays from literals/slice). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  return false;
}

/** Mulberry32: a small seeded PRNG, so generated documents are reproducible. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
