/**
 * What one evaluation sees, derived from the caller's {@link ExprContext}: `doc`, `parent`, the user, and the
 * pieces of `frappe.boot` the helpers read (number format, rounding method, time zone).
 *
 * @module
 */
import type { ExprContext, ExprUser } from './types';
import { getMember, isPlainData } from './access';
import { DEFAULT_LIMITS, type EvalLimits, type Meter } from './meter';

/** The state of one `evaluate` call: what it reads (never written to) and its meter (counted down). */
export interface Runtime extends Meter {
  readonly ctx: ExprContext;
  /** The document or child row (`doc`). */
  readonly doc: unknown;
  /** The form's document (`parent`, `cur_frm.doc`): `ctx.parent`, or `ctx.doc` at top level. */
  readonly parent: unknown;
  /** `doc` is plain data (no accessors, nothing inherited): `doc.x` may be read directly. Checked once per object. */
  readonly docPlain: boolean;
  /** The same for `parent`. */
  readonly parentPlain: boolean;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Frappe Desk's user when nobody is logged in. */
const GUEST: ExprUser = Object.freeze({ name: 'Guest', roles: Object.freeze(['Guest']) });

/** Build the runtime for one evaluation, with a fresh meter. */
export function makeRuntime(ctx: ExprContext, limits: EvalLimits = DEFAULT_LIMITS): Runtime {
  const doc = ctx.doc;
  return runtimeOf(ctx, doc, ctx.parent ?? doc, limits);
}

/** {@link makeRuntime} with `doc` and `parent` already read from the context (each is read once per evaluation). */
export function runtimeOf(ctx: ExprContext, doc: unknown, parent: unknown, limits: EvalLimits): Runtime {
  const docPlain = isPlainData(doc);
  return {
    ctx, doc, parent, docPlain, parentPlain: parent === doc ? docPlain : isPlainData(parent),
    ops: limits.maxOps, bytes: limits.maxBytes, at: -1, limits,
  };
}

/** `frappe.boot`: the caller's boot object, or an empty one (Desk always has a boot). */
export function bootOf(rt: Runtime): unknown {
  return rt.ctx.boot ?? EMPTY;
}

/** `frappe.boot.sysdefaults` (also `frappe.sys_defaults`), or an empty object. */
export function sysdefaultsOf(rt: Runtime): unknown {
  const boot = bootOf(rt);
  const sd = typeof boot === 'object' && boot !== null ? getMember(boot, 'sysdefaults') : undefined;
  return sd ?? EMPTY;
}

/** One setting from `sysdefaults`, or undefined. */
export function sysdefault(rt: Runtime, key: string): unknown {
  const sd = sysdefaultsOf(rt);
  return typeof sd === 'object' && sd !== null ? getMember(sd, key) : undefined;
}

/** The session user, `Guest` (roles `['Guest']`) when the context has none. */
export function userOf(rt: Runtime): ExprUser {
  return rt.ctx.user ?? GUEST;
}
