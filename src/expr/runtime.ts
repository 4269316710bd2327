/**
 * What one evaluation sees, derived from the caller's {@link ExprContext}: `doc`, `parent`, the user, and the
 * pieces of `frappe.boot` the helpers read (number format, rounding method, time zone).
 *
 * @module
 */
import type { ExprContext, ExprUser } from './types';
import { getMember, isPlainData } from './access';

/** The state of one `evaluate` call. Nothing here is ever written to. */
export interface Runtime {
  readonly ctx: ExprContext;
  /** The document or child row (`doc`). */
  readonly doc: unknown;
  /** The form's document (`parent`, `cur_frm.doc`): `ctx.parent`, or `ctx.doc` at top level. */
  readonly parent: unknown;
  /** `doc` is frozen plain data (no accessors): `doc.x` may be read directly. Checked once per evaluation. */
  readonly docPlain: boolean;
  /** The same for `parent`. */
  readonly parentPlain: boolean;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Frappe Desk's user when nobody is logged in. */
const GUEST: ExprUser = Object.freeze({ name: 'Guest', roles: Object.freeze(['Guest']) });

/** Build the runtime for one evaluation. */
export function makeRuntime(ctx: ExprContext): Runtime {
  const doc = ctx.doc;
  const parent = ctx.parent ?? doc;
  const docPlain = isPlainData(doc);
  return { ctx, doc, parent, docPlain, parentPlain: parent === doc ? docPlain : isPlainData(parent) };
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
