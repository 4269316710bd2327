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
 * Every loop and every string a helper builds is charged to the evaluation's meter (`meter.ts`): `__()` adds up
 * its placeholders' lengths before building, `has_common` / `has_words` take real arrays (or strings) only,
 * never an object's `length`, and charge each step. `cint` and `flt` are also used outside expressions (Desk
 * defaults): there they run unmetered.
 *
 * @module
 */
import { elementAt, fault, getMember } from './access';
import { chargeElements, toStr } from './convert';
import { ELEMENT_OPS, allocate, chargeArray, chargeString, spend, type Meter } from './meter';
import { callMethod } from './methods';
import type { Runtime } from './runtime';
import { sysdefault, userOf } from './runtime';

/** A meter that never runs out: for `cint` / `flt` called outside an evaluation. */
const UNMETERED: Meter = { ops: Infinity, bytes: Infinity, at: -1, limits: { maxOps: Infinity, maxBytes: Infinity } };

/** A helper: evaluated arguments in, value out. */
export type Helper = (rt: Runtime, args: unknown[]) => unknown;

/** `cstr(s)`: `''` for null/undefined, else `s + ''`. */
export function cstr(s: unknown, m: Meter = UNMETERED): string {
  if (s == null) return '';
  return toStr(m, s);
}

/** `s.substr(...)` where `s` must be a string, as the Frappe helpers call it. */
function needString(s: unknown, fn: string): string {
  if (typeof s !== 'string') fault(`${fn}: s.substr is not a function`);
  return s;
}

/** Frappe's `lstrip(s, chars)` / `rstrip(s, chars)`, with the infinite loop of an empty strip character refused. */
function stripSide(m: Meter, s: unknown, chars: unknown, left: boolean): string {
  let str = needString(s, left ? 'lstrip' : 'rstrip');
  const set = chars ? chars : ['\n', '\t', ' '];
  const edge = () => (left ? str.substr(0, 1) : str.substr(str.length - 1));
  let c = edge();
  while (callMethod(m, set, 'includes', [c])) {
    spend(m, ELEMENT_OPS);
    // Frappe loops forever once the string is empty and '' counts as a strip character; we stop instead.
    if (str === '') fault('strip: the characters include the empty string (Frappe would loop forever)');
    str = left ? str.substr(1) : str.substr(0, str.length - 1);
    c = edge();
  }
  return str;
}

/** `cint(v, def)`: booleans to 0/1, strip leading zeros, `parseInt`, NaN gives `def` (or 0). */
export function cint(v: unknown, def?: unknown, m: Meter = UNMETERED): unknown {
  if (v === true) return 1;
  if (v === false) return 0;
  let s = cstrPlus(v, m);
  spend(m, s.length);
  if (s !== '0') s = stripSide(m, s, ['0'], true);
  const n = parseInt(s);
  return Number.isNaN(n) ? (def === undefined ? 0 : def) : n;
}

/** `v + ''` (objects converted by `convert.ts`: arrays join, metered; no caller code runs). */
function cstrPlus(v: unknown, m: Meter): string {
  return toStr(m, v, 'default');
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
function stripNumberGroups(rt: Runtime, v: string, numberFormat: unknown, m: Meter): string {
  const format = numberFormat ? numberFormat : (sysdefault(rt, 'number_format') || '#,###.##');
  const info = numberFormatInfo(format);
  chargeString(m, 2 * v.length); // two splits and joins over v
  let out = v.split(info.group_sep).join('');
  if (info.decimal_str !== '.' && info.decimal_str !== '') out = out.split(info.decimal_str).join('.');
  return out;
}

/** Frappe's JS `_round(num, precision, rounding_method)` (number_format.js). */
export function round(rt: Runtime, num: number, precision: unknown, roundingMethod?: unknown, meter: Meter = UNMETERED): number {
  const method = roundingMethod || sysdefault(rt, 'rounding_method') || "Banker's Rounding (legacy)";
  const isNegative = num < 0;
  if (method == "Banker's Rounding (legacy)") {
    const d = cint(precision, undefined, meter) as number;
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
    const p = cint(precision, undefined, meter) as number;
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
    const digits = cint(precision, undefined, meter) as number;
    const multiplier = Math.pow(10, digits);
    let x = num * multiplier;
    let epsilon = 2.0 ** (Math.log2(Math.abs(x)) - 52.0);
    if (isNegative) epsilon = -1 * epsilon;
    x = Math.round(x + epsilon);
    return x / multiplier;
  }
  return fault(`Unknown rounding method ${cstrPlus(method, meter)}`);
}

/** `flt(v, decimals, number_format, rounding_method)` (number_format.js). */
export function flt(rt: Runtime, v: unknown, decimals?: unknown, numberFormat?: unknown, roundingMethod?: unknown, m: Meter = UNMETERED): number {
  let value: unknown = typeof v === 'object' || typeof v === 'function' ? (v === null ? v : toStr(m, v, 'default')) : v;
  if (typeof value === 'string') spend(m, value.length);
  if (value == null || value == '') return 0;
  if (!(typeof value === 'number' || String(parseFloat(value as string)) == value)) {
    let s = cstrPlus(value, m);
    chargeString(m, s.length);
    if (s.indexOf(' ') != -1) {
      chargeArray(m, s.length + 1);
      // strip a currency symbol: "Rs 1,000" -> "1,000" (Frappe keeps the last space-separated part)
      const parts = s.split(' ');
      s = Number.isNaN(parseFloat(parts[0]!)) ? parts.slice(parts.length - 1).join(' ') : s;
    }
    s = stripNumberGroups(rt, s, numberFormat, m);
    let n = parseFloat(s);
    if (Number.isNaN(n)) n = 0;
    value = n;
  }
  const n = parseFloat(value as string);
  if (decimals != null) return round(rt, n, decimals, roundingMethod, m);
  return n;
}

/** `__(txt, replace, context)`: translation is the identity; `{0}`-style placeholders are filled from `replace`. */
function translate(m: Meter, txt: unknown, replace: unknown): unknown {
  if (!txt) return txt;
  if (typeof txt !== 'string') return txt;
  if (replace && typeof replace === 'object') {
    // Frappe: txt.replace(/\{(\d+)\}/g, ...). Built piece by piece so the length is charged before the join.
    spend(m, txt.length);
    const parts: string[] = [];
    let total = 0;
    let from = 0;
    for (const match of txt.matchAll(PLACEHOLDER)) {
      spend(m, ELEMENT_OPS);
      const v = getMember(replace, match[1]!);
      const piece = typeof v !== 'undefined' ? cstrPlus(v, m) : match[0];
      const before = txt.slice(from, match.index);
      total += before.length + piece.length;
      allocate(m, 2 * (before.length + piece.length) + 48);
      parts.push(before, piece);
      from = match.index + match[0].length;
    }
    if (parts.length === 0) return txt;
    parts.push(txt.slice(from));
    chargeString(m, total + txt.length - from);
    return parts.join('');
  }
  return txt;
}

const PLACEHOLDER = /\{(\d+)\}/g;

/** `frappe.user.has_role(rl)`: `true` when any role is held, else `undefined` (not false). */
export function hasRole(rt: Runtime, rl: unknown): true | undefined {
  const roles = userOf(rt).roles;
  const wanted: unknown = typeof rl == 'string' ? [rl] : rl;
  if (wanted === null || wanted === undefined) return undefined;
  // `for (var i in rl)`: the enumerable keys; for a primitive that is nothing (strings were wrapped above).
  const keys = typeof wanted === 'object' || typeof wanted === 'function' ? Object.keys(wanted) : [];
  chargeArray(rt, keys.length);
  for (const k of keys) {
    spend(rt, roles.length * ELEMENT_OPS);
    if (roles.indexOf(getMember(wanted, k) as string) != -1) return true;
  }
  return undefined;
}

/**
 * The items of a list argument of `has_common` / `has_words`: a real array, or a string (its characters, as
 * Frappe's `for (i < list.length) list[i]` reads them). Any other value, such as `{"length": 1e9}` stored in a
 * JSON field, is no list: nothing is iterated.
 */
function itemsOf(m: Meter, list: unknown): { readonly n: number; readonly at: (i: number) => unknown } {
  if (Array.isArray(list)) {
    const plain = chargeElements(m, list);
    return { n: list.length, at: (i) => elementAt(list, i, plain) };
  }
  if (typeof list === 'string') {
    spend(m, list.length);
    return { n: list.length, at: (i) => list.charAt(i) };
  }
  return { n: 0, at: () => undefined };
}

/** The global functions, by name. */
export const HELPERS: Readonly<Record<string, Helper>> = {
  in_list: (rt, [list, item]) => callMethod(rt, list, 'includes', [item]),
  cint: (rt, [v, def]) => cint(v, def, rt),
  flt: (rt, [v, decimals, numberFormat, roundingMethod]) => flt(rt, v, decimals, numberFormat, roundingMethod, rt),
  cstr: (rt, [s]) => cstr(s, rt),
  is_null: (rt, [v]) => {
    if (v === null || v === undefined) return true;
    const s = cstr(v, rt);
    spend(rt, s.length);
    return s.trim() === '' ? true : undefined;
  },
  has_common: (rt, [list1, list2]) => {
    if (!list1 || !list2) return false;
    const items = itemsOf(rt, list1);
    for (let i = 0; i < items.n; i++) if (callMethod(rt, list2, 'includes', [items.at(i)])) return true;
    return false;
  },
  has_words: (rt, [list, item]) => {
    if (!item) return true;
    if (!list) return false;
    const items = itemsOf(rt, list);
    for (let i = 0; i < items.n; i++) if (callMethod(rt, item, 'indexOf', [items.at(i)]) != -1) return true;
    return false;
  },
  nth: (rt, [number]) => {
    const n = cint(number, undefined, rt);
    const last = cstrPlus(n, rt).substr(-1);
    const s = last == '1' ? 'st' : last == '2' ? 'nd' : last == '3' ? 'rd' : 'th';
    return cstrPlus(n, rt) + s;
  },
  strip: (rt, [s, chars]) => (s ? stripSide(rt, stripSide(rt, s, chars, true), chars, false) : undefined),
  lstrip: (rt, [s, chars]) => stripSide(rt, s, chars, true),
  rstrip: (rt, [s, chars]) => stripSide(rt, s, chars, false),
  toTitle: (rt, [str]) => {
    if (typeof str !== 'string') fault('toTitle: str.split is not a function');
    chargeString(rt, 3 * str.length); // split, the capitalised words, the join
    chargeArray(rt, str.length + 1);
    return str.split(' ').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  },
  replace_all: (rt, [s, t1, t2]) => {
    const parts = callMethod(rt, s, 'split', [t1]) as unknown[];
    return callMethod(rt, parts, 'join', [t2]);
  },
  __: (rt, [txt, replace]) => translate(rt, txt, replace),
};

