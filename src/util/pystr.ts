/**
 * The few pieces of Python string semantics the value layer needs to match Frappe's server exactly:
 * `str.strip()` (Python's whitespace set differs from `String.prototype.trim`), `len()` (code points, not
 * UTF-16 units), `float()` / `int()` string grammars, and `frappe.utils.cstr`.
 *
 * @module
 */

/**
 * Python `str.isspace()` characters. Unlike JS `trim`, Python also strips U+001C–U+001F and U+0085, and does
 * not strip U+FEFF.
 */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');
const CONTENT = new RegExp(`[^${PY_WS}]`);

/**
 * True when `s` holds something Python's `str.strip()` keeps (`pyStrip(s) !== ''`, without building the copy).
 * @param s the string
 * @returns whether `s` has a character that is not Python whitespace
 */
export function hasPyContent(s: string): boolean {
  return CONTENT.test(s);
}

/**
 * Python `str.strip()` with no argument.
 * @param s the string
 * @returns `s` without leading and trailing Python whitespace
 */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

/**
 * Python `len(str)`: the number of code points (an astral character such as an emoji counts once).
 * @param s the string
 * @returns its length in code points
 */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python numeric literal digits: ASCII digits with single underscores between them (PEP 515). */
const DIGITS = '[0-9](?:_?[0-9])*';
const PY_INT = new RegExp(`^[+-]?${DIGITS}$`);
const PY_FLOAT = new RegExp(`^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`);
const PY_INF_NAN = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python `int(s)` for a string (base 10), as a JS number; `undefined` where Python raises `ValueError`.
 * Non-ASCII decimal digits, which Python also accepts, are not supported.
 * @param s the string
 * @returns the integer, or `undefined`
 */
export function pyIntFromString(s: string): number | undefined {
  const t = pyStrip(s);
  return PY_INT.test(t) ? Number(t.replace(/_/g, '')) + 0 : undefined;
}

/**
 * Python `float(s)` for a string; `undefined` where Python raises `ValueError`.
 * Accepts `inf`, `infinity`, `nan` in any case, underscores between digits, surrounding whitespace.
 * @param s the string
 * @returns the float, or `undefined`
 */
export function pyFloatFromString(s: string): number | undefined {
  const t = pyStrip(s);
  const special = PY_INF_NAN.exec(t);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  return PY_FLOAT.test(t) ? Number(t.replace(/_/g, '')) : undefined;
}

/**
 * `frappe.utils.cstr` (server): `None` is `''`, a string is itself, anything else is `str(value)`.
 * JS values are rendered the way Python renders their JSON equivalents where it matters for lengths and
 * messages: `true` / `false` as `True` / `False`.
 * @param value any value
 * @returns its string form
 */
export function cstr(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
