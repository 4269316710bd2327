/**
 * Client defaults for a new document or child row: `frappe.model.set_default_values` /
 * `get_default_value` of Desk's `create_new.js` (`frappe/public/js/frappe/model/create_new.js`), run headlessly.
 *
 * Order for one field (skipped when it already has a non-null value, has `no_default`, or is layout):
 * 1. Link fields (not to User): the user-permission default doc, else a single user default for the Link's
 *    DocType, else the user default keyed by fieldname, else the last selected value
 *    (`remember_last_selected_value`), each only if user permissions allow it;
 * 2. when nothing was found **or** the field has a `default`: the default keywords (`__user` / `user`,
 *    `user_fullname`, `Today`, `now`, `:DocType`), `''` for the title field, else the default as text;
 *    a field default therefore overrides a user default, as on the client;
 * 3. a truthy result is cast (`cint` for Int / Check, `flt` for Currency / Float; Percent is not cast);
 *    a falsy result on a Select takes its first option; Table fields get `[]`.
 *
 * @module
 */
import type { DocField, DocType } from '../schema/types';
import { formatDate, formatDatetime, formatTime } from '../util/datetime';
import type { DefaultsOptions, DocData, UserPermission } from './types';
import { cint as deskCint, flt as deskFlt } from '../expr/helpers';
import { makeRuntime } from '../expr/runtime';

// Desk's own JS `cint` / `flt` (the expression layer's exact ports), with Desk's default number format.
const DESK = makeRuntime({ doc: {} });

/** `frappe.model.scrub`: lowercase, spaces to underscores. */
function scrub(text: string): string {
  return text.replace(/ /g, '_').toLowerCase();
}

type UserDefaults = Readonly<Record<string, string | readonly string[]>>;

/** `frappe.defaults.get_user_defaults(key)`: every value for `key` (also tried scrubbed, as a DocType key). */
function userDefaults(defaults: UserDefaults, key: string): readonly string[] {
  const d = defaults[key] ?? defaults[scrub(key)];
  if (d === undefined) return [];
  return typeof d === 'string' ? [d] : d;
}

/** `frappe.defaults.get_user_default(key)`: the first value for `key`, or `undefined`. */
function userDefault(defaults: UserDefaults, key: string): string | undefined {
  const d = defaults[key] ?? (scrub(key) !== key ? defaults[scrub(key)] : undefined);
  return typeof d === 'string' ? d : d?.[0];
}

/**
 * `frappe.perm.filter_allowed_docs_for_doctype`: the records a user may link to from `doctype`, and the
 * default one (the single allowed record, else the one marked `is_default`).
 */
function allowedDocs(perms: readonly UserPermission[] | undefined, doctype: string): { allowed: string[]; defaultDoc: string | undefined } {
  const applicable = (perms ?? []).filter((p) => !p.applicable_for || p.applicable_for === doctype);
  const allowed = applicable.map((p) => p.doc);
  const defaultDoc = allowed.length === 1 ? allowed[0] : applicable.find((p) => p.is_default)?.doc;
  return { allowed, defaultDoc };
}

/**
 * The client default of one field (`frappe.model.get_default_value`), before casting.
 * @param df the field
 * @param meta the DocType of the document or row being created
 * @param parentData for a child row, its parent document
 * @param opts user, clock, time zones, user permissions, last selected values and boot documents
 * @returns the default, `[]` for a Table field; possibly falsy (then nothing is set, see `applyDefaults`)
 */
export function defaultValue(df: DocField, meta: DocType, parentData: DocData | undefined, opts: DefaultsOptions): unknown {
  return fieldDefault(df, meta, parentData, opts, hasAny(opts.userPermissions));
}

const NONE: readonly string[] = Object.freeze([]);

/** Whether User Permissions allow linking to `name` (no permission records for the target: everything is allowed). */
function isAllowed(allowed: readonly string[], name: unknown): boolean {
  return allowed.length === 0 || allowed.includes(name as string);
}

function hasAny(perms: Readonly<Record<string, unknown>> | undefined): boolean {
  for (const key in perms) if (Object.hasOwn(perms, key)) return true;
  return false;
}

/** {@link defaultValue} with `anyPermissions` (whether the user has User Permissions at all) worked out once per level. */
function fieldDefault(df: DocField, meta: DocType, parentData: DocData | undefined, opts: DefaultsOptions, anyPermissions: boolean): unknown {
  if (df.fieldclass === 'table') return [];
  const defaults: UserDefaults = opts.user.defaults ?? {};
  // User Permissions only ever apply to a Link field: the lookup is skipped for every other field.
  let allowed = NONE;
  let defaultDoc: string | undefined;
  if (anyPermissions && df.fieldtype === 'Link' && df.ignore_user_permissions !== 1) ({ allowed, defaultDoc } = allowedDocs(opts.userPermissions![df.options], meta.name));
  const hasUserPermissions = allowed.length > 0;

  let value: unknown = null;
  if (df.fieldtype === 'Link' && df.options !== 'User') {
    if (hasUserPermissions && defaultDoc) {
      value = defaultDoc;
    } else {
      let userValue: string | undefined;
      // No user defaults at all (the common case): nothing to look up under scrubbed keys.
      const anyDefaults = hasAny(defaults);
      if (anyDefaults && !df.ignore_user_permissions) {
        const all = userDefaults(defaults, df.options);
        if (all.length === 1) userValue = all[0];
      }
      if (anyDefaults) userValue ||= userDefault(defaults, df.fieldname);
      if (!userValue && df.remember_last_selected_value) userValue = opts.lastSelected?.[df.options];
      if (userValue && isAllowed(allowed, userValue)) value = userValue;
    }
  }

  // A field default runs even when a user default was found: on the client it wins (`frappe/public/js/frappe/model/create_new.js`).
  if (!value || df.default) {
    const d = String(df.default);
    if (d === '__user' || d.toLowerCase() === 'user') {
      value = opts.user.name;
    } else if (d === 'user_fullname') {
      value = opts.user.full_name ?? opts.user.name;
    } else if (d === 'Today') {
      value = formatDate(opts.clock(), opts.timeZone);
    } else if (d.toLowerCase() === 'now') {
      // Time fields take the user's wall clock; datetimes are stored in the system time zone.
      value = df.fieldtype === 'Time'
        ? formatTime(opts.clock(), opts.timeZone)
        : formatDatetime(opts.clock(), opts.systemTimeZone ?? opts.timeZone);
    } else if (d.startsWith(':')) {
      const bootValue = bootDocDefault(df, d, parentData, defaults, opts);
      if (isAllowed(allowed, bootValue)) value = bootValue;
    } else if (df.fieldname === meta.title_field) {
      value = '';
    } else if (df.fieldtype !== 'Link' || df.options === 'User' || isAllowed(allowed, df.default)) {
      value = df.default;
    }
  }
  return value;
}

/** `get_default_from_boot_docs`: `:Company` reads field `df.fieldname` of the boot Company named by the reference. */
function bootDocDefault(
  df: DocField,
  d: string,
  parentData: DocData | undefined,
  defaults: UserDefaults,
  opts: DefaultsOptions,
): unknown {
  const docs = opts.bootDocs?.[d.slice(1)];
  if (!docs || Object.keys(docs).length === 0) return undefined;
  // Frappe replaces only the first space (`String.replace` with a string pattern).
  const refField = d.slice(1).toLowerCase().replace(' ', '_');
  const refValue = parentData ? parentData[refField] : userDefault(defaults, refField);
  const refDoc = typeof refValue === 'string' && refValue ? docs[refValue] : undefined;
  const v = refDoc?.[df.fieldname];
  return v ? v : undefined;
}

/**
 * Fill the defaults of every field of `target` that has none yet (`frappe.model.set_default_values`).
 * Mutates `target`, a document or row being built.
 * @param meta DocType of `target`
 * @param target the new document or row, with caller values already set
 * @param parentData for a child row, its parent document
 * @param opts as for {@link defaultValue}
 */
export function applyDefaults(meta: DocType, target: Record<string, unknown>, parentData: DocData | undefined, opts: DefaultsOptions): void {
  for (const [key, value] of defaultsFor(meta, target, parentData, opts)) target[key] = value;
}

/**
 * The defaults {@link applyDefaults} would set, as `[fieldname, value]` pairs in field order, without touching
 * `target` (a caller can then build the document in one go).
 * @param meta DocType of `target`
 * @param target the new document or row, with caller values already set (read only)
 * @param parentData for a child row, its parent document
 * @param opts as for {@link defaultValue}
 * @returns the fields to set and their defaults
 */
export function defaultsFor(meta: DocType, target: Readonly<Record<string, unknown>>, parentData: DocData | undefined, opts: DefaultsOptions): [string, unknown][] {
  const anyPermissions = hasAny(opts.userPermissions);
  const out: [string, unknown][] = [];
  for (const df of defaultCandidates(meta)) {
    if (target[df.fieldname] != null) continue;
    let v = fieldDefault(df, meta, parentData, opts, anyPermissions);
    if (v) {
      if (df.fieldtype === 'Int' || df.fieldtype === 'Check') v = deskCint(v);
      else if (df.fieldtype === 'Currency' || df.fieldtype === 'Float') v = deskFlt(DESK, v);
      out.push([df.fieldname, v]);
    } else if (df.fieldtype === 'Select' && df.options && df.options !== '[Select]' && df.options !== 'Loading...') {
      out.push([df.fieldname, df.select_options?.[0] ?? df.options.split('\n')[0]]);
    }
  }
  return out;
}

const candidates = new WeakMap<DocType, readonly DocField[]>();

/**
 * The fields of a DocType that can receive a default (derived once per frozen DocType): tables, Links (user
 * defaults, user permissions, last selected values), fields with a `default`, and Selects (their first option).
 * For any other field {@link defaultValue} is falsy and nothing is set, so the walk skips it.
 */
function defaultCandidates(meta: DocType): readonly DocField[] {
  let list = candidates.get(meta);
  if (!list) {
    list = meta.fields.filter((df) => df.fieldclass !== 'display' && !df.no_default
      && (df.fieldclass === 'table' || df.fieldtype === 'Link' || Boolean(df.default) || df.fieldtype === 'Select'));
    candidates.set(meta, list);
  }
  return list;
}
