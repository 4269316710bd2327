/**
 * Frappe's rounding methods, ported from `frappe/utils/data.py` (`rounded`, `_bankers_rounding_legacy`,
 * `_bankers_rounding`, `_round_away_from_zero`) so that results equal the Python server's, double for double.
 *
 * The three methods are System Settings > Rounding Method:
 * - `Banker's Rounding (legacy)` (the default): scale by 10^precision, round to 8 decimals to hide binary
 *   noise, then an exact .5 goes to the even neighbour at precision 0 and *up* at any other precision;
 * - `Banker's Rounding`: scale, round to 12 decimals, a tie within one ulp of .5 goes to the even neighbour;
 * - `Commercial Rounding`: add one ulp towards the sign, then Python `round(x, precision)` (ties away from zero
 *   in effect).
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { pyPow10, pyRound, pyRoundInt } from '../util/pyround';

/** The values of System Settings `rounding_method`. */
export type RoundingMethod = "Banker's Rounding (legacy)" | "Banker's Rounding" | 'Commercial Rounding';

/** Frappe's default when System Settings has no `rounding_method`. */
export const DEFAULT_ROUNDING_METHOD: RoundingMethod = "Banker's Rounding (legacy)";

/** Every {@link RoundingMethod}, in the order System Settings lists them. */
export const ROUNDING_METHODS: readonly RoundingMethod[] = [
  "Banker's Rounding (legacy)",
  "Banker's Rounding",
  'Commercial Rounding',
];

/** True for one of the three method names Frappe knows. */
export function isRoundingMethod(value: unknown): value is RoundingMethod {
  return typeof value === 'string' && (ROUNDING_METHODS as readonly string[]).includes(value);
}

/**
 * Python's `math.floor` followed by `num - floor_num`, shared by both banker's methods. `floor_num` is a
 * Python int, so `floor_num % 2 == 0` is a parity test that JavaScript's `%` answers the same way (it
 * only differs in the sign of an odd remainder).
 */
function isEven(n: number): boolean {
  return n % 2 === 0;
}

/** `epsilon = 2.0 ** (math.log(abs(num), 2) - 52.0)`; Python's two-argument log is ln(x) / ln(base). */
function ulpEpsilon(num: number): number {
  return 2 ** (Math.log(Math.abs(num)) / Math.log(2) - 52);
}

function bankersRoundingLegacy(num: number, precision: number): number | undefined {
  const multiplier = pyPow10(precision);
  if (precision && !Number.isFinite(multiplier)) return undefined; // Python: int too large to convert to float
  const scaled = pyRound(precision ? num * multiplier : num, 8);
  if (scaled === undefined || !Number.isFinite(scaled)) return undefined; // math.floor raises on inf / nan
  const floorNum = Math.floor(scaled);
  const decimalPart = scaled - floorNum;
  let result: number | undefined;
  if (!precision && decimalPart === 0.5) {
    result = isEven(floorNum) ? floorNum : floorNum + 1;
  } else if (decimalPart === 0.5) {
    result = floorNum + 1;
  } else {
    result = pyRoundInt(scaled);
  }
  if (result === undefined) return undefined;
  result += 0; // Python ints carry no sign on zero
  return precision ? result / multiplier : result;
}

function bankersRounding(num: number, precision: number): number | undefined {
  const multiplier = pyPow10(precision);
  if (!Number.isFinite(multiplier)) return undefined;
  const scaled = pyRound(num * multiplier, 12);
  if (scaled === undefined) return undefined;
  if (scaled === 0) return 0;
  if (!Number.isFinite(scaled)) return undefined; // math.floor raises on inf / nan
  const floorNum = Math.floor(scaled);
  const decimalPart = scaled - floorNum;
  let result: number | undefined;
  if (Math.abs(decimalPart - 0.5) < ulpEpsilon(scaled)) {
    result = isEven(floorNum) ? floorNum : floorNum + 1;
  } else {
    result = pyRoundInt(scaled);
  }
  if (result === undefined) return undefined;
  return (result + 0) / multiplier;
}

function roundAwayFromZero(num: number, precision: number): number | undefined {
  if (num === 0) return 0;
  // Nudging by one ulp makes a decimal tie that binary stores just below .5 round away from zero.
  const epsilon = ulpEpsilon(num);
  return pyRound(num + (num < 0 ? -epsilon : epsilon), precision);
}

/**
 * Frappe's `rounded`, reporting where Python raises instead of hiding it: `undefined` means the Python server
 * would raise (`OverflowError` / `ValueError`, e.g. for an infinite or NaN input to a banker's method).
 * `flt` needs the distinction: it catches those exceptions and returns 0.
 * @internal
 * @param num the number to round
 * @param precision decimals (an integer; already `cint`-ed)
 * @param method the rounding method
 * @returns the rounded number, or `undefined` where Python raises
 * @throws CoworkerError `INVALID_ROUNDING_METHOD` for an unknown method
 */
export function roundedOrUndefined(num: number, precision: number, method: RoundingMethod): number | undefined {
  switch (method) {
    case "Banker's Rounding (legacy)":
      return bankersRoundingLegacy(num, precision);
    case "Banker's Rounding":
      return bankersRounding(num, precision);
    case 'Commercial Rounding':
      return roundAwayFromZero(num, precision);
    default:
      throw new CoworkerError('INVALID_ROUNDING_METHOD', `Unknown Rounding Method: ${String(method)}`);
  }
}

/**
 * Normalise a precision argument the way `rounded` does with `cint(precision)`: truncate towards zero;
 * anything that is not a finite number becomes 0.
 */
function precisionOf(precision: number): number {
  return Number.isFinite(precision) ? Math.trunc(precision) + 0 : 0;
}

/**
 * Round `num` to `precision` decimals exactly as Frappe's Python `frappe.utils.rounded` does.
 *
 * Python raises for an infinite or NaN input under the banker's methods; we return such inputs unchanged
 * instead (Commercial Rounding returns them unchanged in Python too).
 *
 * @example rounded(2.5, 0) // 2 (legacy: ties to even at precision 0)
 * @example rounded(0.125, 2) // 0.13 (legacy: an exact .5 goes up at precision > 0)
 * @example rounded(2.675, 2, "Banker's Rounding") // 2.68
 * @param num the number to round
 * @param precision number of decimals; negative rounds to tens, hundreds... Truncated to an integer.
 * @param method System Settings rounding method @default "Banker's Rounding (legacy)"
 * @returns the rounded number
 * @throws CoworkerError with code `INVALID_ROUNDING_METHOD` (Frappe: `InvalidRoundingMethod`) for an unknown method
 */
export function rounded(num: number, precision: number, method: RoundingMethod = DEFAULT_ROUNDING_METHOD): number {
  // Python: `rounding_method or system setting or default`, so an empty name means the default too.
  const result = roundedOrUndefined(num, precisionOf(precision), method || DEFAULT_ROUNDING_METHOD);
  return result === undefined ? num : result;
}
