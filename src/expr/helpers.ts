/**
 * The global helper functions of Frappe Desk that `eval:` expressions call, ported from the JavaScript source
 * (`frappe/public/js/frappe/utils/datatype.js`, `number_format.js`, `common.js`), not from the Python
 * namesakes, which differ (JS `cint('0x1A')` is 0, JS `flt` strips a currency symbol, JS `_round` rounds
 * the absolute value).
 *
 * Each helper takes already-evaluated arguments. Where the original would throw a TypeError (e.g.
 * `in_list(null, x)`, `strip(5)`), the port throws an {@link EvalFault}, which the evaluator reports as
 * `EXPR_RUNTIME`. Property reads on arguments go through {@link getMember}, so no getter runs.
 *
 * @module
 */
import { callMethod, fault, getMember } from './access';
import type { Runtime } from './runtime';
import { sysdefault, userOf } from './runtime';

/** A helper: evaluated arguments in, value out. */
export type Helper = (rt: Runtime, args: unknown[]) => unknown;

/** `cstr(s)`: `''` for null/undefined, else `s + ''`. */
export function cstr(s: unknown): string {
  if (s == null) return '';
  return String(s as string) + '';
}

/** `s.substr(...)` where `s` must be a string, as the Frappe helpers call it. */
function needString(s: unknown, fn: string): string {
  if (typeof s !== 'string') fault(`${fn}: s.substr is not a function`);
  return s;
}

/** Frappe's `lstrip(s, chars)` / `rstrip(s, chars)`, with the infinite loop of an empty strip character refused. */
function stripSide(s: unknown, chars: unknown, left: boolean): string {
  let str = needString(s, left ? 'lstrip' : 'rstrip');
  const set = chars ? chars : ['\n', '\t', ' '];
  const edge = () => (left ? str.substr(0, 1) : str.substr(str.length - 1));
  let c = edge();
  while (callMethod(set, 'includes', [c])) {
    // Frappe loops forever once the string is empty and '' counts as a strip character; we stop instead.
    if (str === '') fault('strip: the characters include the empty string (Frappe would loop forever)');
    str = left ? str.substr(1) : str.substr(0, str.length - 1);
    c = edge();
  }
  return str;
}

/** `cint(v, def)`: booleans to 0/1, strip leading zeros, `parseInt`, NaN gives `def` (or 0). */
export function cint(v: unknown, def?: unknown): unknown {
  if (v === true) return 1;
  if (v === false) return 0;
  let s = cstrPlus(v);
  if (s !== '0') s = stripSide(s, ['0'], true);
  const n = parseInt(s);
  return Number.isNaN(n) ? (def === undefined ? 0 : def) : n;
}

/** `v + ''` exactly (for objects, their own conversion). */
function cstrPlus(v: unknown): string {
  return (v as string) + '';
}

const NUMBER_FORMATS: Readonly<Record<string, { decimal_str: string; group_sep: string }>> = {
  '#,###.##': { decimal_str: '.', group_sep: ',' },
  '#.###,##': { decimal_str: ',', group_sep: '.' },
  '# ###.##': { decimal_str: '.', group_sep: ' ' },
  '# ###,##': { decimal_str: ',', group_sep: ' ' },
  "#'###.##": { decimal_str: '.', group_sep: "'" },
  '#, ###.##': { decimal_str: '.', group_sep: ', ' },
  '#,##,###.##': { decimal_str: '.', group_sep: ',' },
  '#,###.###': { decimal_str: '.', group_sep: ',' },
  '#.###': { decimal_str: '', group_sep: '.' },
  '#,###': { decimal_str: '', group_sep: ',' },
};

/** `get_number_format_info(format)`, including its TypeError for a format with no decimal part. */
function numberFormatInfo(format: unknown): { decimal_str: string; group_sep: string } {
  if (typeof format !== 'string') fault('number_format: format.split is not a function');
  const info = Object.prototype.hasOwnProperty.call(NUMBER_FORMATS, format)
    ? NUMBER_FORMATS[format]!
    : { decimal_str: '.', group_sep: ',' };
  // Frappe computes `format.split(info.decimal_str).slice(1)[0].length`, which throws when there is no part.
  if (format.split(info.decimal_str).slice(1)[0] === undefined) {
    fault("Cannot read properties of undefined (reading 'length')");
  }
  return info;
}

/** `strip_number_groups(v, number_format)`. */
function stripNumberGroups(rt: Runtime, v: string, numberFormat: unknown): string {
  const format = numberFormat ? numberFormat : (sysdefault(rt, 'number_format') || '#,###.##');
  const info = numberFormatInfo(format);
  let out = v.split(info.group_sep).join('');
  if (info.decimal_str !== '.' && info.decimal_str !== '') out = out.split(info.decimal_str).join('.');
  return out;
}

/** Frappe's JS `_round(num, precision, rounding_method)` (number_format.js). */
export function round(rt: Runtime, num: number, precision: unknown, roundingMethod?: unknown): number {
  const method = roundingMethod || sysdefault(rt, 'rounding_method') || "Banker's Rounding (legacy)";
  const isNegative = num < 0;
  if (method == "Banker's Rounding (legacy)") {
    const d = cint(precision) as number;
    const m = Math.pow(10, d);
    const n = +(d ? Math.abs(num) * m : Math.abs(num)).toFixed(8); // Frappe: "Avoid rounding errors"
    const i = Math.floor(n);
    const f = n - i;
    let r = !precision && f == 0.5 ? (i % 2 == 0 ? i : i + 1) : Math.round(n);
    r = d ? r / m : r;
    return isNegative ? -r : r;
  }
  if (method == "Banker's Rounding") {
    if (num == 0) return 0.0;
    const p = cint(precision) as number;
    const multiplier = Math.pow(10, p);
    let x = Math.abs(num) * multiplier;
    const floorNum = Math.floor(x);
    const decimalPart = x - floorNum;
    const epsilon = 2.0 ** (Math.log2(Math.abs(x)) - 52.0);
    x = Math.abs(decimalPart - 0.5) < epsilon ? (floorNum % 2 == 0 ? floorNum : floorNum + 1) : Math.round(x);
    x = x / multiplier;
    return isNegative ? -x : x;
  }
  if (method == 'Commercial Rounding') {
    if (num == 0) return 0.0;
    const digits = cint(precision) as number;
    const multiplier = Math.pow(10, digits);
    let x = num * multiplier;
    let epsilon = 2.0 ** (Math.log2(Math.abs(x)) - 52.0);
    if (isNegative) epsilon = -1 * epsilon;
    x = Math.round(x + epsilon);
    return x / multiplier;
  }
  return fault(`Unknown rounding method ${cstrPlus(method)}`);
}

/** `flt(v, decimals, number_format, rounding_method)` (number_format.js). */
export function flt(rt: Runtime, v: unknown, decimals?: unknown, numberFormat?: unknown, roundingMethod?: unknown): number {
  if (v == null || v == '') return 0;
  let value: unknown = v;
  if (!(typeof value === 'number' || String(parseFloat(value as string)) == value)) {
    let s = cstrPlus(value);
    if (s.indexOf(' ') != -1) {
      // strip a currency symbol: "Rs 1,000" -> "1,000" (Frappe keeps the last space-separated part)
      const parts = s.split(' ');
      s = Number.isNaN(parseFloat(parts[0]!)) ? parts.slice(parts.length - 1).join(' ') : s;
    }
    s = stripNumberGroups(rt, s, numberFormat);
    let n = parseFloat(s);
    if (Number.isNaN(n)) n = 0;
    value = n;
  }
  const n = parseFloat(value as string);
  if (decimals != null) return round(rt, n, decimals, roundingMethod);
  return n;
}

/** `__(txt, replace, context)`: translation is the identity; `{0}`-style placeholders are filled from `replace`. */
function translate(txt: unknown, replace: unknown): unknown {
  if (!txt) return txt;
  if (typeof txt !== 'string') return txt;
  if (replace && typeof replace === 'object') {
    return txt.replace(/\{(\d+)\}/g, (match, index: string) => {
      const v = getMember(replace, index);
      return typeof v !== 'undefined' ? cstrPlus(v) : match;
    });
  }
  return txt;
}

/** `frappe.user.has_role(rl)`: `true` when any role is held, else `undefined` (not false). */
export function hasRole(rt: Runtime, rl: unknown): true | undefined {
  const roles = userOf(rt).roles;
  const wanted: unknown = typeof rl == 'string' ? [rl] : rl;
  if (wanted === null || wanted === undefined) return undefined;
  // `for (var i in rl)`: the enumerable keys; for a primitive that is nothing (strings were wrapped above).
  const keys = typeof wanted === 'object' || typeof wanted === 'function' ? Object.keys(wanted) : [];
  for (const k of keys) if (roles.indexOf(getMember(wanted, k) as string) != -1) return true;
  return undefined;
}

const getLength = (v: unknown) => getMember(v, 'length') as number;
const at = (v: unknown, i: number) => getMember(v, String(i));

/** The global functions, by name. */
export const HELPERS: Readonly<Record<string, Helper>> = {
  in_list: (_rt, [list, item]) => callMethod(list, 'includes', [item]),
  cint: (_rt, [v, def]) => cint(v, def),
  flt: (rt, [v, decimals, numberFormat, roundingMethod]) => flt(rt, v, decimals, numberFormat, roundingMethod),
  cstr: (_rt, [s]) => cstr(s),
  is_null: (_rt, [v]) => (v === null || v === undefined || cstr(v).trim() === '' ? true : undefined),
  has_common: (_rt, [list1, list2]) => {
    if (!list1 || !list2) return false;
    for (let i = 0, j = getLength(list1); i < j; i++) if (callMethod(list2, 'includes', [at(list1, i)])) return true;
    return false;
  },
  has_words: (_rt, [list, item]) => {
    if (!item) return true;
    if (!list) return false;
    for (let i = 0, j = getLength(list); i < j; i++) if (callMethod(item, 'indexOf', [at(list, i)]) != -1) return true;
    return false;
  },
  nth: (_rt, [number]) => {
    const n = cint(number);
    const last = cstrPlus(n).substr(-1);
    const s = last == '1' ? 'st' : last == '2' ? 'nd' : last == '3' ? 'rd' : 'th';
    return cstrPlus(n) + s;
  },
  strip: (_rt, [s, chars]) => (s ? stripSide(stripSide(s, chars, true), chars, false) : undefined),
  lstrip: (_rt, [s, chars]) => stripSide(s, chars, true),
  rstrip: (_rt, [s, chars]) => stripSide(s, chars, false),
  toTitle: (_rt, [str]) => {
    if (typeof str !== 'string') fault('toTitle: str.split is not a function');
    return str.split(' ').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  },
  replace_all: (_rt, [s, t1, t2]) => {
    const parts = callMethod(s, 'split', [t1]) as unknown[];
    return callMethod(parts, 'join', [t2]);
  },
  __: (_rt, [txt, replace]) => translate(txt, replace),
};

