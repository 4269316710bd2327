/**
 * Python's built-in `round` on floats, reproduced bit for bit.
 *
 * Frappe's rounding methods (`frappe/utils/data.py`) are written on top of Python's `round`, whose rules differ
 * from anything JavaScript offers:
 * - `round(x)` rounds to an integer, ties to even (`Math.round` ties towards +∞);
 * - `round(x, n)` is *correctly rounded*: it rounds the exact binary value of `x` to `n` decimals (ties, which
 *   only happen when that exact value ends in 5 at digit n+1, go to even), then converts that decimal back to
 *   the nearest double. `Number.prototype.toFixed` ties away from zero, and `Math.round(x * 10 ** n) / 10 ** n`
 *   is not correctly rounded at all.
 *
 * We get the exact behaviour with exact integer arithmetic: a finite double is `m × 2^e` exactly, so
 * `x × 10^n` is a ratio of two BigInts that we round half-even, and JavaScript's string-to-number conversion
 * (correctly rounded, like CPython's `_Py_dg_strtod`) turns the decimal result back into a double.
 *
 * @module
 */

/** CPython `NDIGITS_MAX`: above this many decimals every double is returned unchanged (floatobject.c). */
const NDIGITS_MAX = Math.trunc((53 - -1021) * 0.30103);
/** CPython `NDIGITS_MIN`: below this every double rounds to a (signed) zero. */
const NDIGITS_MIN = -Math.trunc((1024 + 1) * 0.30103);

const view = new DataView(new ArrayBuffer(8));
const powersOfTen = new Map<number, bigint>();

function pow10(n: number): bigint {
  let p = powersOfTen.get(n);
  if (p === undefined) {
    p = 10n ** BigInt(n);
    powersOfTen.set(n, p);
  }
  return p;
}

/**
 * Split a finite, non-zero |x| into an integer mantissa and a power of two, exactly: |x| = mantissa × 2^exponent.
 */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Subnormals have no implicit leading bit and the smallest exponent.
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/**
 * Python `round(x)` for a float: the nearest integer, ties to even. Returns `undefined` where Python raises
 * (`OverflowError` for ±inf, `ValueError` for NaN). The result is an integer-valued number; a zero result is
 * always +0, because Python returns an `int`, which has no sign.
 * @param x the number to round
 * @returns the rounded integer, or `undefined` where Python raises
 */
export function pyRoundInt(x: number): number | undefined {
  if (!Number.isFinite(x)) return undefined;
  const r = Math.round(x);
  // Math.round sends every tie upwards; Python sends it to the even neighbour, which is r - 1 when r is odd.
  const result = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return result + 0; // -0 + 0 is +0
}

/**
 * Python `round(x, ndigits)` for a float: the double nearest to the exact value of `x` rounded half-even to
 * `ndigits` decimals (negative `ndigits` rounds to tens, hundreds...). Non-finite `x` is returned unchanged,
 * as Python does. Returns `undefined` where Python raises `OverflowError` (the rounded value is too large to
 * be a double).
 * @param x the number to round
 * @param ndigits decimals to keep (an integer)
 * @returns the rounded double, or `undefined` where Python raises
 */
export function pyRound(x: number, ndigits: number): number | undefined {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > NDIGITS_MAX) return x;
  if (ndigits < NDIGITS_MIN) return 0 * x;
  // An integer-valued double needs no work for ndigits >= 0 (fast path for the common case).
  if (ndigits >= 0 && Number.isInteger(x)) return x;

  const negative = x < 0;
  const { mantissa, exponent } = decompose(Math.abs(x));
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (ndigits >= 0) num *= pow10(ndigits);
  else den *= pow10(-ndigits);

  let q = num / den;
  const twiceRemainder = (num % den) * 2n;
  if (twiceRemainder > den || (twiceRemainder === den && (q & 1n) === 1n)) q += 1n;

  const magnitude = Number(`${q}e${-ndigits}`);
  if (!Number.isFinite(magnitude)) return undefined;
  // Python keeps the sign of x on a zero result: round(-0.001, 2) is -0.0.
  return negative ? -magnitude : magnitude;
}

/**
 * `float(10 ** n)` as Python computes it inside `num * 10**precision`: the int `10**n` converted to the nearest
 * double (for n ≥ 0), or `pow(10.0, n)` (for n < 0). Both equal the correctly rounded decimal `1e<n>`.
 * `Infinity` means Python would raise `OverflowError` converting the int.
 * @param n an integer exponent
 * @returns 10^n as a double
 */
export function pyPow10(n: number): number {
  return Number(`1e${n}`);
}
