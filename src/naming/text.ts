/**
 * Python text semantics naming depends on: truthiness, `str(value)` of a naming-series part,
 * `str(datetime)`, `'%0Nd' % n`, `str.title()`, own-property reads.
 *
 * @module
 * @internal
 */
import { dateParts } from '../util/datetime';

/** Python truthiness for the values a document holds (`''`, `0`, `false`, null, `[]`, `{}` are false). */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return false;
  if (typeof value === 'number' && Number.isNaN(value)) return true; // Python: bool(float('nan')) is True
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length > 0;
  return true;
}

/** `doc.get(key)` reading own properties only, so `constructor` or `__proto__` never reach the prototype. */
export function getOwn(doc: Readonly<Record<string, unknown>> | null | undefined, key: string): unknown {
  return doc != null && Object.prototype.hasOwnProperty.call(doc, key) ? doc[key] : undefined;
}

/** Whether `key` is an own property of `doc` (Frappe: `doc.get(e, sentinel) is not sentinel`). */
export function hasOwn(doc: Readonly<Record<string, unknown>> | null | undefined, key: string): boolean {
  return doc != null && Object.prototype.hasOwnProperty.call(doc, key);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Python `str(datetime)`: `YYYY-MM-DD HH:MM:SS`, plus `.ffffff` only when microseconds are not zero. */
export function pyDatetimeText(date: Date, timeZone = 'UTC'): string {
  const p = dateParts(date, timeZone);
  const base = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)} ${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
  return p.microsecond ? `${base}.${pad(p.microsecond, 6)}` : base;
}

/**
 * The text a naming-series part contributes (`parse_naming_series`): strings as they are; int, date,
 * datetime, time and timedelta via `cstr(...).strip()`; anything else (None, float, dict, list) nothing.
 * In JSON data a Python int is an integer number, and bool (an int subclass) prints as True / False.
 */
export function partText(value: unknown, timeZone?: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date && !Number.isNaN(value.getTime())) return pyDatetimeText(value, timeZone);
  return '';
}

/** Python `'%0{digits}d' % n`: zero-padded, never truncated; a minus sign counts towards the width. */
export function zeroPad(n: number, digits: number): string {
  return n < 0 ? `-${pad(-n, Math.max(digits - 1, 0))}` : pad(n, digits);
}

/** Latin digraphs whose title case differs from their upper case (Unicode titlecase mapping). */
const TITLECASE: Readonly<Record<string, string>> = {
  Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ',
};

/** Title case of one character: a multi-letter upper case keeps only its first letter upper ('ß' → 'Ss'). */
function titleChar(ch: string, upper: string): string {
  return TITLECASE[ch] ?? (upper.length > 1 ? upper[0] + upper.slice(1).toLowerCase() : upper);
}

/** Python `str.title()`: each run of cased letters starts upper case, the rest lower ("they're" → "They'Re"). */
export function pyTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (previousCased ? lower : titleChar(ch, upper)) : ch;
    previousCased = cased;
  }
  return out;
}

/** Python `str.strip()` (whitespace both ends). */
export function pyStrip(text: string): string {
  return text.trim();
}
