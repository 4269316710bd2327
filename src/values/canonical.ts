/**
 * The one owner of Frappe's canonical date / time strings: what a Date, Datetime or Time value looks like
 * when it is stored, how the other forms Frappe's server reads (`getdate`, `get_datetime`, `get_time`) are
 * brought to it, and how two canonical values compare. Tier 2 normalises with it, every storage adapter
 * checks with it, equality compares with it: one definition, so whatever tier 2 lets through is storable.
 *
 * Canonical forms (what `str()` of the Python value gives, with two-digit hours so strings sort as times):
 * - Date `YYYY-MM-DD`
 * - Datetime `YYYY-MM-DD HH:MM:SS[.f]` (one to six fractional digits, kept as given)
 * - Time `HH:MM:SS[.f]`
 *
 * Accepted on input and normalised (a strict subset of what `dateutil.parser.parse` reads, the unambiguous
 * ISO-like part of it): a `T` or a space between date and time; hours of one digit (`9:30:00`, how
 * `str(timedelta)` writes a Time Frappe read back); minutes without seconds (`09:30`); a fraction longer than
 * six digits (truncated, as `dateutil` keeps microseconds); a trailing `Z` or `±HH[:MM]` offset under a day (the instant
 * is read in the engine's time zone, see docs/DECISIONS.md); a date alone for a Datetime (midnight, as
 * `get_datetime` reads it); a datetime for a Date (its date, as `getdate`) or a Time (its time, as
 * `get_time`).
 *
 * @module
 */
import { dateParts } from '../util/datetime';

/** The fieldtypes (and storage column formats) holding a canonical date / time string. */
export type TemporalFormat = 'Date' | 'Datetime' | 'Time';

const DATE_SRC = '([0-9]{4})-([0-9]{2})-([0-9]{2})';
const TIME_SRC = '([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,6}))?';

/**
 * The canonical shapes as regular-expression sources (POSIX-compatible: PostgreSQL's `~` reads them too).
 * Shape only: {@link isCanonicalTemporal} also checks the calendar and the clock.
 */
export const TEMPORAL_PATTERN_SOURCES: Readonly<Record<TemporalFormat, string>> = Object.freeze({
  Date: `^${DATE_SRC}$`,
  Datetime: `^${DATE_SRC} ${TIME_SRC}$`,
  Time: `^${TIME_SRC}$`,
});

const PATTERNS: Readonly<Record<TemporalFormat, RegExp>> = {
  Date: new RegExp(TEMPORAL_PATTERN_SOURCES.Date),
  Datetime: new RegExp(TEMPORAL_PATTERN_SOURCES.Datetime),
  Time: new RegExp(TEMPORAL_PATTERN_SOURCES.Time),
};

/** Whether a fieldtype holds a canonical date / time string. */
export function isTemporalFormat(fieldtype: string | undefined): fieldtype is TemporalFormat {
  return fieldtype === 'Date' || fieldtype === 'Datetime' || fieldtype === 'Time';
}

/** A real calendar date from year 1 to 9999 (what Python's `date` and PostgreSQL's `date` hold). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (dim[m - 1] ?? 0);
}

function isClock(h: number, mi: number, s: number): boolean {
  return h <= 23 && mi <= 59 && s <= 59;
}

/**
 * True when `text` is the canonical string of this format and names a real date / time of day.
 * @param format - Date, Datetime or Time
 * @param text - the value
 */
export function isCanonicalTemporal(format: TemporalFormat, text: string): boolean {
  const m = PATTERNS[format].exec(text);
  if (!m) return false;
  const n = (i: number) => Number(m[i]);
  if (format === 'Date') return isRealDate(n(1), n(2), n(3));
  if (format === 'Time') return isClock(n(1), n(2), n(3));
  return isRealDate(n(1), n(2), n(3)) && isClock(n(4), n(5), n(6));
}

/**
 * A canonical value with its fraction padded to six digits (Datetime, Time), the form a database gives back
 * and the form two values are compared in. `undefined` when `text` is not canonical.
 * @param format - Date, Datetime or Time
 * @param text - the value
 */
export function paddedTemporal(format: TemporalFormat, text: string): string | undefined {
  if (!isCanonicalTemporal(format, text)) return undefined;
  if (format === 'Date') return text;
  const dot = text.lastIndexOf('.');
  return dot < 0 ? `${text}.000000` : text.padEnd(dot + 7, '0');
}

/** Input forms: an ISO-like date, optionally a time (one- or two-digit hours, seconds optional), an offset. */
const TIME_IN = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?';
const INPUT = new RegExp(`^\\s*(?:(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ]${TIME_IN})?|${TIME_IN})\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?\\s*$`, 'i');

interface Parsed {
  date?: { y: number; m: number; d: number };
  time?: { h: number; mi: number; s: number; frac: string };
  offsetMinutes?: number;
}

function parse(text: string): Parsed | undefined {
  const m = INPUT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h1, mi1, s1, f1, h2, mi2, s2, f2, offset] = m;
  const [h, mi, s, frac] = h1 !== undefined ? [h1, mi1, s1, f1] : [h2, mi2, s2, f2];
  const out: Parsed = {};
  if (y !== undefined) {
    out.date = { y: Number(y), m: Number(mo), d: Number(d) };
    if (!isRealDate(out.date.y, out.date.m, out.date.d)) return undefined;
  }
  if (h !== undefined) {
    out.time = { h: Number(h), mi: Number(mi), s: Number(s ?? 0), frac: (frac ?? '').slice(0, 6) };
    if (!isClock(out.time.h, out.time.mi, out.time.s)) return undefined;
  }
  if (!out.date && !out.time) return undefined;
  if (offset !== undefined) {
    if (!out.date || !out.time) return undefined; // an offset names an instant: it needs both halves
    if (offset.toUpperCase() === 'Z') out.offsetMinutes = 0;
    else {
      const sign = offset[0] === '-' ? -1 : 1;
      const digits = offset.slice(1).replace(':', '');
      out.offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
    }
    // Not an offset a time zone can have: dateutil reads `+24:00` / `+99:00` but Python's tzinfo refuses any
    // offset of a day or more (ValueError), so getdate / get_datetime fail on it. (`+05:99` is 6:39 there too.)
    if (Math.abs(out.offsetMinutes) >= 24 * 60) return undefined;
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The wall clock in `timeZone` of an instant given as a wall clock plus an offset. */
function shiftToZone(p: Required<Pick<Parsed, 'date' | 'time'>>, offsetMinutes: number, timeZone: string): Required<Pick<Parsed, 'date' | 'time'>> {
  const utcMs = Date.UTC(p.date.y, p.date.m - 1, p.date.d, p.time.h, p.time.mi, p.time.s) - offsetMinutes * 60_000;
  const when = new Date(utcMs);
  if (p.date.y < 100) when.setUTCFullYear(p.date.y); // Date.UTC maps years 0-99 to 1900-1999
  const z = dateParts(when, timeZone);
  return { date: { y: z.year, m: z.month, d: z.day }, time: { h: z.hour, mi: z.minute, s: z.second, frac: p.time.frac } };
}

/**
 * Bring a Date / Datetime / Time value to its canonical string, as Frappe's server reads it
 * (`getdate` / `get_datetime` / `get_time`). Canonical input comes back unchanged.
 *
 * @example normalizeTemporal('Datetime', '2024-03-05T10:30:00.123Z') // '2024-03-05 10:30:00.123'
 * @example normalizeTemporal('Datetime', '2024-03-05') // '2024-03-05 00:00:00'
 * @example normalizeTemporal('Time', '9:30') // '09:30:00'
 * @param format - Date, Datetime or Time
 * @param value - a string (anything else is returned as `undefined`)
 * @param timeZone - IANA zone an instant with an offset (`Z`, `+05:30`) is read in @default 'UTC'
 * @returns the canonical string, or `undefined` when the value is not a date / time Frappe would read
 */
export function normalizeTemporal(format: TemporalFormat, value: unknown, timeZone = 'UTC'): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (isCanonicalTemporal(format, value)) return value;
  let p = parse(value);
  if (!p) return undefined;
  if (p.offsetMinutes !== undefined) p = shiftToZone(p as Required<Pick<Parsed, 'date' | 'time'>>, p.offsetMinutes, timeZone);
  const date = p.date ? `${pad(p.date.y, 4)}-${pad(p.date.m)}-${pad(p.date.d)}` : undefined;
  const time = p.time ? `${pad(p.time.h)}:${pad(p.time.mi)}:${pad(p.time.s)}${p.time.frac ? `.${p.time.frac}` : ''}` : undefined;
  if (format === 'Date') return date;
  if (format === 'Time') return time;
  if (!date) return undefined; // a time alone is not a datetime (dateutil would add today's date)
  return `${date} ${time ?? '00:00:00'}`;
}

/**
 * A `Date` object as the canonical string of a fieldtype, read in `timeZone`.
 * @param format - Date, Datetime or Time
 * @param d - a valid Date
 * @param timeZone - IANA zone @default 'UTC'
 */
export function temporalFromDate(format: TemporalFormat, d: Date, timeZone = 'UTC'): string {
  const p = dateParts(d, timeZone);
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.microsecond ? `.${pad(p.microsecond, 6)}` : ''}`;
  return format === 'Date' ? date : format === 'Time' ? time : `${date} ${time}`;
}
