/**
 * Frappe's server number helpers: `cint`, `flt` (frappe/utils/data.py) and `get_field_precision`
 * (frappe/model/meta.py), with JavaScript values read as their JSON equivalents would be in Python
 * (`true` is `True`, `null` / `undefined` are `None`, an object is a `dict`).
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { pyFloatFromString, pyIntFromString } from '../util/pystr';
import { DEFAULT_ROUNDING_METHOD, type RoundingMethod, roundedOrUndefined } from './rounding';

/** The System Settings values that number handling reads (`frappe.db.get_default(...)`). */
export interface SystemSettings {
  /** System Settings `float_precision` ('' or '1'..'9'); unset or 0 means 3. */
  readonly float_precision?: number | string | null | undefined;
  /** System Settings `currency_precision`; unset or 0 means the decimals of `number_format`. */
  readonly currency_precision?: number | string | null | undefined;
  /** System Settings `number_format`, e.g. `#,###.##`. @default '#,###.##' */
  readonly number_format?: string | null | undefined;
  /** System Settings `rounding_method`. @default "Banker's Rounding (legacy)" */
  readonly rounding_method?: RoundingMethod | null | undefined;
}

/**
 * Python `int(x)` for a JS value read as JSON, or `undefined` where Python raises.
 * Strings follow Python's `int()` grammar; numbers truncate towards zero; booleans are 0/1.
 */
function pyInt(x: unknown): number | undefined {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'number') return Number.isFinite(x) ? Math.trunc(x) + 0 : undefined;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'string') return pyIntFromString(x);
  return undefined;
}

/** Python `float(x)` for a JS value read as JSON, or `undefined` where Python raises. */
function pyFloat(x: unknown): number | undefined {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'string') return pyFloatFromString(x);
  return undefined;
}

/**
 * Frappe's server `cint(s, default=0)`: try `int(s)`, then `int(float(s))`, else `default`.
 *
 * So `true` → 1, `"3.9"` → 3, `" 12 "` → 12, `"1e3"` → 1000, `"1,000"` → 0 (commas are *not* stripped),
 * `"abc"` → 0, `null` → `default`, `Infinity` / `NaN` → `default`, an object → `default`.
 * A bigint becomes the nearest number (Python keeps an exact int).
 *
 * @param s any value
 * @param defaultValue returned when `s` cannot be converted @default 0
 * @returns an integer
 */
export function cint(s: unknown, defaultValue = 0): number {
  const direct = pyInt(s);
  if (direct !== undefined) return direct;
  const f = pyFloat(s);
  if (f !== undefined && Number.isFinite(f)) return Math.trunc(f) + 0;
  return defaultValue;
}

/**
 * Frappe's server `flt(s, precision=None, rounding_method=None)`: strings lose every `,`, then `float()`;
 * anything that does not convert is `0`. With a precision the result goes through {@link rounded}.
 *
 * Where Python's rounding raises (an infinite or NaN input under a banker's method) `flt` catches it and
 * returns 0, as Frappe does. An unknown rounding method is *not* caught (Frappe re-raises it).
 *
 * @example flt('10,500.5666', 2) // 10500.57
 * @example flt('a') // 0
 * @param s any value
 * @param precision decimals to round to; `null` / `undefined` means no rounding @default undefined
 * @param method rounding method @default "Banker's Rounding (legacy)"
 * @returns a number
 * @throws CoworkerError `INVALID_ROUNDING_METHOD` for an unknown method
 */
export function flt(s: unknown, precision?: number | string | null, method?: RoundingMethod | null): number {
  const num = pyFloat(typeof s === 'string' ? s.replace(/,/g, '') : s);
  if (num === undefined) return 0;
  if (precision === null || precision === undefined) return num;
  const result = roundedOrUndefined(num, cint(precision), method || DEFAULT_ROUNDING_METHOD);
  return result === undefined ? 0 : result;
}

/** `frappe.utils.data.number_format_info`: decimal separator, group separator, decimals. */
const NUMBER_FORMAT_INFO: Readonly<Record<string, readonly [string, string, number]>> = {
  '#,###.##': ['.', ',', 2],
  '#.###,##': [',', '.', 2],
  '# ###.##': ['.', ' ', 2],
  '# ###,##': [',', ' ', 2],
  "#'###.##": ['.', "'", 2],
  '#, ###.##': ['.', ', ', 2],
  '#,##,###.##': ['.', ',', 2],
  '#,###.###': ['.', ',', 3],
  '#.###': ['', '.', 0],
  '#,###': ['', ',', 0],
  '#.########': ['.', '', 8],
};

/**
 * `get_number_format_info(format)`: `[decimal separator, group separator, decimals]`; unknown formats give
 * `['.', ',', 2]`.
 * @param format a System Settings `number_format`
 * @returns the separators and the number of decimals
 */
export function getNumberFormatInfo(format: string | null | undefined): readonly [string, string, number] {
  return (format ? NUMBER_FORMAT_INFO[format] : undefined) ?? ['.', ',', 2];
}

/**
 * Frappe's `get_field_precision(df)` (`frappe/utils/data.py`): the field's own `precision` when set (`"0"` counts as set);
 * otherwise, for Currency, System Settings `currency_precision`, or when that is unset or 0 the decimals of
 * `number_format`; otherwise `float_precision`, or 3.
 * @param df the field (only `fieldtype` and `precision` are read)
 * @param settings System Settings values @default {}
 * @returns the number of decimals
 */
export function getFieldPrecision(
  df: Pick<DocField, 'fieldtype' | 'precision'>,
  settings: SystemSettings = {},
): number {
  // Python truthiness: any non-empty string, including "0", counts as "precision is set".
  if (df.precision !== '' && df.precision !== null && df.precision !== undefined) return cint(df.precision);
  if (df.fieldtype === 'Currency') {
    return cint(settings.currency_precision) || getNumberFormatInfo(settings.number_format)[2];
  }
  return cint(settings.float_precision) || 3;
}
