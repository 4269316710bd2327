/**
 * Frappe's canonical date strings from a `Date`, in a given IANA time zone (default UTC).
 *
 * Frappe formats "today" and "now" in the system (or user) time zone. A headless engine has no such setting
 * unless the caller gives one, so every function here takes the zone explicitly; callers pass
 * `sysdefaults.time_zone` when they have it. Uses `Intl`, present in every browser and in Node.
 *
 * @module
 */

/** The calendar and clock fields of an instant, as seen in a time zone. */
export interface DateParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Split an instant into its parts in `timeZone`.
 * @param date the instant
 * @param timeZone IANA zone name @default 'UTC'
 */
export function dateParts(date: Date, timeZone = 'UTC'): DateParts {
  const ms = date.getTime();
  const microsecond = (((ms % 1000) + 1000) % 1000) * 1000;
  if (timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), microsecond,
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0,
    hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0, microsecond,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` (Frappe `nowdate()`, `frappe.datetime.get_today()`). */
export function formatDate(date: Date, timeZone = 'UTC'): string {
  const p = dateParts(date, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `HH:MM:SS` (Frappe `nowtime()` without microseconds, `frappe.datetime.now_time()`). */
export function formatTime(date: Date, timeZone = 'UTC'): string {
  const p = dateParts(date, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** `YYYY-MM-DD HH:MM:SS` (Desk's `system_datetime()`). */
export function formatDatetime(date: Date, timeZone = 'UTC'): string {
  return `${formatDate(date, timeZone)} ${formatTime(date, timeZone)}`;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff`, the form of Frappe's `now()` used for `creation` / `modified`. */
export function formatTimestamp(date: Date, timeZone = 'UTC'): string {
  const p = dateParts(date, timeZone);
  return `${formatDatetime(date, timeZone)}.${pad(p.microsecond, 6)}`;
}
