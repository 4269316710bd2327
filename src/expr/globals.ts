/**
 * The globals of expressions: a static tree resolved at compile time (`frappe.user.has_role`, `cur_frm.doc`,
 * the helpers). Namespaces and functions never become values.
 *
 * @module
 */
import { DATETIME_HELPERS } from './datetime';
import { HELPERS, hasRole, type Helper } from './helpers';
import type { Fn } from './operators';
import { bootOf, sysdefaultsOf, userOf, type Runtime } from './runtime';

/** A name in the globals tree: a value, a helper, or a namespace of more names. */
export type Entry =
  | { readonly kind: 'value'; readonly name: string; readonly get: Fn }
  | { readonly kind: 'fn'; readonly name: string; readonly call: Helper }
  | { readonly kind: 'ns'; readonly name: string; readonly members: Readonly<Record<string, Entry>> };

const value = (name: string, get: Fn): Entry => ({ kind: 'value', name, get });
const fnEntries = (prefix: string, table: Readonly<Record<string, Helper>>): Record<string, Entry> =>
  Object.fromEntries(Object.entries(table).map(([k, call]) => [k, { kind: 'fn', name: prefix + k, call } as Entry]));

/** `frappe.session`: a fresh plain object each time, so nothing the expression gets is shared. */
function sessionOf(rt: Runtime): Readonly<Record<string, unknown>> {
  const u = userOf(rt);
  return Object.freeze({ user: u.name, user_fullname: u.full_name ?? u.name, user_email: u.email });
}

/** `cur_frm.doc`: the form's document. */
export const CUR_FRM_DOC = value('cur_frm.doc', (rt) => rt.parent);

/** The globals an expression may name. */
export const ROOT: Readonly<Record<string, Entry>> = {
  ...fnEntries('', HELPERS),
  frappe: {
    kind: 'ns',
    name: 'frappe',
    members: {
      boot: value('frappe.boot', bootOf),
      sys_defaults: value('frappe.sys_defaults', sysdefaultsOf),
      session: value('frappe.session', sessionOf),
      user_roles: value('frappe.user_roles', (rt) => userOf(rt).roles),
      user: {
        kind: 'ns',
        name: 'frappe.user',
        members: {
          name: value('frappe.user.name', (rt) => userOf(rt).name),
          has_role: { kind: 'fn', name: 'frappe.user.has_role', call: (rt, [rl]) => hasRole(rt, rl) },
        },
      },
      datetime: { kind: 'ns', name: 'frappe.datetime', members: fnEntries('frappe.datetime.', DATETIME_HELPERS) },
    },
  },
  cur_frm: { kind: 'ns', name: 'cur_frm', members: { doc: CUR_FRM_DOC } },
};

/** Identifiers that are constants. */
export const CONSTANTS: Readonly<Record<string, unknown>> = { undefined: undefined, NaN: NaN, Infinity: Infinity };

