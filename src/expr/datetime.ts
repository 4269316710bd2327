/**
 * `frappe.datetime.*` for expressions, without moment.js (`frappe/public/js/frappe/utils/datetime.js`).
 *
 * Frappe's helpers wrap moment, whose default format Desk sets to `YYYY-MM-DD`. We model a moment as a
 * *wall-clock* time: a millisecond count whose UTC fields are the calendar fields, so adding days or months is
 * calendar arithmetic with no daylight-saving effects, as moment's is in a browser.
 *
 * Time zone (documented choice): "now" comes only from `ctx.now` (without it these helpers
 * throw `EXPR_RUNTIME`) and is read in the user's zone, as Frappe's `_date` does: `boot.time_zone.user`, else
 * `boot.time_zone.system`, else `boot.sysdefaults.time_zone`, else **UTC** (a browser would use its local zone;
 * a headless engine has none). `system_datetime()` skips the user zone. Date strings are parsed as wall-clock
 * times (ISO `YYYY-MM-DD[ HH:mm[:ss[.SSS]]]`); anything else is an invalid date, formatted `Invalid date` as
 * moment does.
 *
 * @module
 */
import { dateParts } from '../util/datetime';
import { fault, getMember } from './access';
import { toPrimitive } from './convert';
import { spend } from './meter';
import type { Helper } from './helpers';
import type { Runtime } from './runtime';
import { bootOf, sysdefault } from './runtime';

const DAY_MS = 86_400_000;

function timeZoneSetting(rt: Runtime, which: 'user' | 'system'): string | undefined {
  const boot = bootOf(rt);
  const tz = typeof boot === 'object' && boot !== null ? getMember(boot, 'time_zone') : undefined;
  const pick = (k: string) => (typeof tz === 'object' && tz !== null ? getMember(tz, k) : undefined);
  const zone = (which === 'user' ? pick('user') : undefined) || pick('system') || sysdefault(rt, 'time_zone') || undefined;
  return typeof zone === 'string' ? zone : undefined;
}

/** Wall-clock "now" in the user's (or the system's) zone. */
function wallNow(rt: Runtime, which: 'user' | 'system' = 'user'): number {
  const now = rt.ctx.now;
  if (!now) fault('frappe.datetime needs the current time: pass `now` in the expression context');
  const p = dateParts(now, timeZoneSetting(rt, which) ?? 'UTC');
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, Math.floor(p.microsecond / 1000));
}

const ISO = /^\s*(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d)(?::(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?)?)?\s*$/;

/** `moment(v)` as a wall-clock millisecond count, NaN when invalid. */
function toWall(rt: Runtime, v: unknown): number {
  if (v === undefined) return wallNow(rt);
  if (typeof v === 'number') return v;
  if (v instanceof Date) {
    const p = dateParts(v, timeZoneSetting(rt, 'user') ?? 'UTC');
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, Math.floor(p.microsecond / 1000));
  }
  if (typeof v !== 'string') return NaN;
  spend(rt, v.length);
  const m = ISO.exec(v);
  if (!m) return NaN;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m.slice(1) as string[];
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +(frac + '000').slice(0, 3));
  const back = new Date(ms);
  // moment flags overflow (2024-02-30, 25:00) as an invalid date instead of rolling over
  if (back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) return NaN;
  return ms;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatDate(ms: number): string {
  if (Number.isNaN(ms)) return 'Invalid date';
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** moment's `absRound`: durations are rounded half away from zero. */
const absRound = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));

/** moment's duration input: a number or numeric string, else no change. */
function durationAmount(rt: Runtime, v: unknown): number {
  const p = toPrimitive(rt, v, 'number');
  if (typeof p === 'string') spend(rt, p.length);
  const n = +(p as number);
  return typeof v === 'number' || !Number.isNaN(n) ? absRound(n) : 0;
}

function addMonths(ms: number, months: number): number {
  if (Number.isNaN(ms)) return ms;
  const d = new Date(ms);
  const target = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  d.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay));
  return d.getTime();
}

/** moment's `diff(b, unit)`: truncated towards zero. */
function diff(rt: Runtime, a: unknown, b: unknown, unitMs: number): number {
  const x = toWall(rt, a);
  const y = toWall(rt, b);
  const out = (x - y) / unitMs;
  return out < 0 ? Math.ceil(out) || 0 : Math.floor(out);
}

function onlyString(asObj: unknown, name: string): void {
  if (asObj) fault(`frappe.datetime.${name}(as_obj) is not supported; call it without arguments`);
}

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The functions under `frappe.datetime`, by name. */
export const DATETIME_HELPERS: Readonly<Record<string, Helper>> = {
  get_today: (rt) => formatDate(wallNow(rt)),
  nowdate: (rt) => formatDate(wallNow(rt)),
  now_date: (rt, [asObj]) => (onlyString(asObj, 'now_date'), formatDate(wallNow(rt))),
  now_time: (rt, [asObj]) => (onlyString(asObj, 'now_time'), formatTime(wallNow(rt))),
  now_datetime: (rt, [asObj]) => {
    onlyString(asObj, 'now_datetime');
    const ms = wallNow(rt);
    return `${formatDate(ms)} ${formatTime(ms)}`;
  },
  system_datetime: (rt, [asObj]) => {
    onlyString(asObj, 'system_datetime');
    const ms = wallNow(rt, 'system');
    return `${formatDate(ms)} ${formatTime(ms)}`;
  },
  str_to_obj: (rt, [d]) => new Date(toWall(rt, d)),
  obj_to_str: (rt, [d]) => formatDate(toWall(rt, d)),
  add_days: (rt, [d, n]) => formatDate(toWall(rt, d) + durationAmount(rt, n) * DAY_MS),
  add_months: (rt, [d, n]) => formatDate(addMonths(toWall(rt, d), durationAmount(rt, n))),
  get_diff: (rt, [a, b]) => diff(rt, a, b, DAY_MS),
  get_day_diff: (rt, [a, b]) => diff(rt, a, b, DAY_MS),
  get_hour_diff: (rt, [a, b]) => diff(rt, a, b, 3_600_000),
  get_minute_diff: (rt, [a, b]) => diff(rt, a, b, 60_000),
  month_start: (rt) => formatDate(monthStart(wallNow(rt))),
  month_end: (rt) => formatDate(addMonths(monthStart(wallNow(rt)), 1) - DAY_MS),
  year_start: (rt) => `${pad(new Date(wallNow(rt)).getUTCFullYear(), 4)}-01-01`,
  year_end: (rt) => `${pad(new Date(wallNow(rt)).getUTCFullYear(), 4)}-12-31`,
};
