/**
 * The `frappe` namespace a workflow transition condition sees: `get_workflow_safe_globals()` in
 * `frappe/model/workflow.py`:
 *
 * ```py
 * frappe=frappe._dict(
 *   db=frappe._dict(get_value=frappe.db.get_value, get_list=frappe.db.get_list),
 *   session=frappe.session,
 *   utils=frappe._dict(now_datetime=..., add_to_date=..., get_datetime=..., now=...))
 * ```
 *
 * Every level is a `frappe._dict`, so an unknown member is `None` (calling it is a TypeError), as in Frappe.
 * Database reads go through {@link DbCall}: the evaluator resolves them from a data source (see `compile.ts`).
 *
 * @module
 */
import { dateParts } from '../util/datetime';
import { bindArgs } from './builtins';
import { raise } from './errors';
import { PyCallable, PyDateTime, PyDict, PyTuple, intOf, isNumber, toJs, toPy, typeName } from './values';

/** A database read a condition makes, in JS terms. */
export type DbCall =
  | {
      readonly kind: 'get_value';
      readonly doctype: string;
      /** A name, or filters as Frappe takes them (a dict, or a list of `[field, op, value]`). */
      readonly filters: unknown;
      readonly fields: readonly string[];
      readonly as_dict: boolean;
    }
  | {
      readonly kind: 'get_list';
      readonly doctype: string;
      readonly filters: unknown;
      readonly fields: readonly string[];
      readonly order_by: string | null;
      readonly limit: number | null;
      readonly pluck: string | null;
    };

/**
 * Where `frappe.db.get_value` / `get_list` read from. Both return plain rows (objects of the asked fields);
 * the evaluator shapes them as Frappe does (one field: the value; several: a tuple; `as_dict`: a dict).
 * Implementations should apply the run user's read permissions for `get_list`, as Frappe does.
 */
export interface PyDataSource {
  /** The first row matching, or null when none does. */
  get_value(call: Extract<DbCall, { kind: 'get_value' }>): Promise<Readonly<Record<string, unknown>> | null>;
  /** The matching rows. */
  get_list(call: Extract<DbCall, { kind: 'get_list' }>): Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
}

/** What the namespace needs from the evaluation. */
export interface FrappeRuntime {
  readonly user: string;
  /** The wall-clock now of the evaluation (fixed for its whole duration). */
  readonly now: PyDateTime;
  /** Resolve a database read (throws while the value is being fetched). */
  db(call: DbCall): unknown;
}

const str = (v: unknown, what: string): string => (typeof v === 'string' ? v : raise('TypeError', `${what} must be a string, not ${typeName(v)}`));

function fieldList(v: unknown): string[] {
  if (v === undefined || v === null) return ['name'];
  if (typeof v === 'string') return [v];
  const items = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : raise('TypeError', `fieldname must be a string or a list, not ${typeName(v)}`);
  return items.map((x) => str(x, 'a fieldname'));
}

function getValue(rt: FrappeRuntime, args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>): unknown {
  const [doctype, filters, fieldname, , asDict] = bindArgs('get_value', ['doctype', 'filters', 'fieldname', 'ignore', 'as_dict'], 1, args, kwargs);
  const fields = fieldList(fieldname);
  const call = { kind: 'get_value', doctype: str(doctype, 'doctype'), filters: toJs(filters ?? null), fields, as_dict: Boolean(asDict) } as const;
  const row = rt.db(call) as Readonly<Record<string, unknown>> | null;
  if (!row) return null;
  if (call.as_dict) return toPy(row);
  const values = fields.map((f) => toPy(row[f]));
  return values.length > 1 ? new PyTuple(values) : values[0];
}

function getList(rt: FrappeRuntime, args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>): unknown {
  const [doctype, fields, filters, orderBy, , , limitStart, limitPageLength, , , , , , , , , pluck, , limit] = bindArgs(
    'get_list',
    ['doctype', 'fields', 'filters', 'order_by', 'group_by', 'or_filters', 'limit_start', 'limit_page_length', 'as_list',
      'with_childnames', 'debug', 'ignore_permissions', 'user', 'parent_doctype', 'strict', 'run', 'pluck', 'distinct', 'limit'],
    1, args, kwargs,
  );
  if (limitStart !== undefined && limitStart !== null && limitStart !== 0n) raise('TypeError', 'get_list: limit_start is not supported here');
  const lim = limit ?? limitPageLength;
  const call = {
    kind: 'get_list',
    doctype: str(doctype, 'doctype'),
    filters: toJs(filters ?? null),
    fields: pluck ? [str(pluck, 'pluck')] : fieldList(fields),
    order_by: orderBy === undefined || orderBy === null ? null : str(orderBy, 'order_by'),
    limit: lim === undefined || lim === null ? null : isNumber(lim) ? Number(intOf(lim)) : raise('TypeError', 'limit must be an int'),
    pluck: pluck ? str(pluck, 'pluck') : null,
  } as const;
  const rows = rt.db(call) as ReadonlyArray<Readonly<Record<string, unknown>>>;
  return rows.map((r) => (call.pluck ? toPy(r[call.pluck]) : toPy(r)));
}

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?$/;

/** `frappe.utils.get_datetime`: None is now; a string in Frappe's formats is parsed. */
function toDatetime(rt: FrappeRuntime, v: unknown): PyDateTime {
  if (v === null || v === undefined) return rt.now;
  if (v instanceof PyDateTime) return v.dateOnly ? new PyDateTime(v.ms, 0) : v;
  if (typeof v !== 'string') return raise('TypeError', `get_datetime() cannot read a ${typeName(v)}`);
  const m = DATE_RE.exec(v.trim());
  if (!m) return raise('ValueError', `Invalid date/time: ${v}`);
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(d)) raise('ValueError', `day is out of range for month: ${v}`);
  const us = Number((frac ?? '').padEnd(6, '0'));
  return new PyDateTime(ms + Math.floor(us / 1000), us % 1000);
}

/** `frappe.utils.add_to_date` (relativedelta semantics: months clamp the day to the month's end). */
function addToDate(rt: FrappeRuntime, args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>): unknown {
  const [date, years, months, weeks, days, hours, minutes, seconds, asString, asDatetime] = bindArgs(
    'add_to_date', ['date', 'years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'as_string', 'as_datetime'], 0, args, kwargs,
  );
  const num = (v: unknown): number => (v === undefined || v === null ? 0 : isNumber(v) ? Number(intOf(v)) : raise('TypeError', `unsupported type for timedelta: '${typeName(v)}'`));
  const hasTime = !(typeof date === 'string' && !date.includes(':')) && !(date instanceof PyDateTime && date.dateOnly);
  const base = toDatetime(rt, date ?? null);
  const d = new Date(base.ms);
  const totalMonths = d.getUTCMonth() + 12 * num(years) + num(months);
  const year = d.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  const deltaUs = ((num(weeks) * 7 + num(days)) * 86_400 + num(hours) * 3600 + num(minutes) * 60 + num(seconds)) * 1_000_000;
  const totalUs = shifted * 1000 + base.micro + deltaUs;
  const out = new PyDateTime(Math.floor(totalUs / 1000), ((totalUs % 1000) + 1000) % 1000, !hasTime && !asDatetime);
  if (asString) return out.toString();
  return out;
}

/**
 * The runtime of the evaluation running now. Evaluation is synchronous (database reads restart it), so one
 * evaluation runs at a time and the static `db` / `utils` members below read it instead of being rebuilt for
 * every evaluation.
 */
let current: FrappeRuntime | undefined;
const rt = (): FrappeRuntime => current ?? raise('RuntimeError', 'frappe.* called outside an evaluation');

const fn = (name: string, f: (args: readonly unknown[], kwargs: ReadonlyMap<string, unknown>) => unknown): readonly [string, PyCallable] =>
  [name, new PyCallable(name, f)];

const DB = PyDict.from([
  fn('get_value', (a, k) => getValue(rt(), a, k)),
  fn('get_list', (a, k) => getList(rt(), a, k)),
], true);

const UTILS = PyDict.from([
  fn('now_datetime', (a, k) => { bindArgs('now_datetime', [], 0, a, k); return rt().now; }),
  fn('now', (a, k) => {
    bindArgs('now', [], 0, a, k);
    const s = rt().now.toString();
    return s.includes('.') ? s : `${s}.000000`;
  }),
  fn('get_datetime', (a, k) => { const [v] = bindArgs('get_datetime', ['datetime_str'], 0, a, k); return toDatetime(rt(), v); }),
  fn('add_to_date', (a, k) => addToDate(rt(), a, k)),
], true);

/** The namespace for one evaluation (and make `runtime` the current one). */
export function frappeNamespace(runtime: FrappeRuntime): PyDict {
  current = runtime;
  // Nothing in it can be changed by an expression, so one per user serves every evaluation.
  let ns = namespaces.get(runtime.user);
  if (!ns) {
    if (namespaces.size >= 256) namespaces.clear();
    ns = PyDict.from([['db', DB], ['session', PyDict.from([['user', runtime.user]], true)], ['utils', UTILS]], true);
    namespaces.set(runtime.user, ns);
  }
  return ns;
}

const namespaces = new Map<string, PyDict>();

/** The evaluation's now as a naive datetime in `timeZone`. */
export function wallClock(now: Date, timeZone: string): PyDateTime {
  const p = dateParts(now, timeZone);
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + Math.floor(p.microsecond / 1000);
  return new PyDateTime(ms, p.microsecond % 1000);
}
