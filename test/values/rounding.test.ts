import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { pyRound, pyRoundInt } from '../../src/util/pyround';
import { DEFAULT_ROUNDING_METHOD, rounded, type RoundingMethod } from '../../src/values/rounding';
import { py, reference } from './reference';

const LEGACY: RoundingMethod = "Banker's Rounding (legacy)";
const BANKERS: RoundingMethod = "Banker's Rounding";
const COMMERCIAL: RoundingMethod = 'Commercial Rounding';

describe('pyRound: Python round(x, n)', () => {
  it('matches CPython on every generated case (fixtures/values/python-reference.json)', () => {
    const mismatches = reference.round.filter(([x, n, expected]) => !Object.is(pyRound(py(x), n), py(expected)));
    expect(mismatches).toEqual([]);
    expect(reference.round.length).toBeGreaterThan(1000);
  });

  it('rounds exact binary ties to even, unlike toFixed', () => {
    // 0.001953125 = 1/512 is exactly representable, so digit 9 is an exact tie: Python gives ...312 (even).
    expect(pyRound(0.001953125, 8)).toBe(0.00195312);
    expect((0.001953125).toFixed(8)).toBe('0.00195313');
    // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875, so it rounds down.
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRound(0.5, 0)).toBe(0);
    expect(pyRound(-0.001, 2)).toBe(-0); // Python keeps the sign: -0.0
  });

  it('pyRoundInt is half-to-even and never returns -0', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -0.4].map(pyRoundInt)).toEqual([0, 2, 2, 0, -2, -2, 2, 0]);
    expect(Object.is(pyRoundInt(-0.4), 0)).toBe(true);
    expect(pyRoundInt(Infinity)).toBeUndefined();
    expect(pyRoundInt(NaN)).toBeUndefined();
  });

  it('agrees with an independent decimal-string reference on random doubles', () => {
    // Reference: the exact decimal expansion of x (toFixed(100) is exact for |x| < 1e21 with enough digits
    // when x has no more than 100 fractional digits, i.e. exponent >= -100), then half-even by hand.
    const ref = (x: number, n: number): number => {
      const s = Math.abs(x).toFixed(100);
      const [int, frac = ''] = s.split('.');
      const keep = (int ?? '') + frac.slice(0, n);
      const rest = frac.slice(n);
      let q = BigInt(keep);
      const first = rest[0] ?? '0';
      const tail = rest.slice(1);
      const beyondHalf = first > '5' || (first === '5' && /[1-9]/.test(tail));
      const tie = first === '5' && !/[1-9]/.test(tail);
      if (beyondHalf || (tie && q % 2n === 1n)) q += 1n;
      const v = Number(`${q}e-${n}`);
      return x < 0 ? -v : v;
    };
    fc.assert(
      fc.property(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-80),
        fc.integer({ min: 0, max: 12 }),
        (x, n) => {
          expect(pyRound(x, n)).toBe(x === 0 ? x : ref(x, n));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('rounded: Frappe frappe.utils.rounded', () => {
  it('defaults to Banker\'s Rounding (legacy), like System Settings', () => {
    expect(DEFAULT_ROUNDING_METHOD).toBe(LEGACY);
    expect(rounded(2.5, 0)).toBe(rounded(2.5, 0, LEGACY));
  });

  it('matches CPython running Frappe\'s code on every generated case', () => {
    const mismatches: unknown[] = [];
    for (const [x, p, method, expected] of reference.rounded) {
      const got = rounded(py(x), p, method as RoundingMethod);
      // Where Python raises (OverflowError on huge scaled values), rounded() returns its input unchanged.
      const want = typeof expected === 'string' && expected.startsWith('raises') ? py(x) : py(expected);
      if (!Object.is(got, want)) mismatches.push({ x, p, method, expected, got });
    }
    expect(mismatches).toEqual([]);
  });

  // frappe/tests/test_rounding.py (test_rounding): flt(x, p) with the default legacy method.
  it.each([
    [0.5, 0, 0],
    [1.5, 0, 2],
    [0.4, 0, 0],
    [1.455, 0, 1],
    [-0.5, 0, 0],
    [-1.5, 0, -2],
    [123, -1, 120],
    [134.45, -1, 130],
    [135, -1, 140],
  ])('legacy rounded(%d, %d) = %d (Frappe test_rounding)', (x, p, want) => {
    expect(rounded(x, p, LEGACY)).toBe(want);
  });

  // Legacy rounds an exact .5 *up* when precision > 0 (the 8-decimal pre-round turns 0.285*100 into 28.5).
  it('legacy: exact .5 at precision > 0 goes up, at precision 0 goes to even', () => {
    expect(rounded(0.125, 2, LEGACY)).toBe(0.13);
    expect(rounded(0.285, 2, LEGACY)).toBe(0.29);
    expect(rounded(2.5, 0, LEGACY)).toBe(2);
    expect(rounded(3.5, 0, LEGACY)).toBe(4);
    expect(rounded(-0.125, 2, LEGACY)).toBe(-0.12); // floor(-12.5) + 1: "up" is towards +inf
  });

  // frappe/cypress/integration/rounding.js runs the same expectations against the JS port (_round).
  it.each([
    ['0.5', 0, 0],
    ['1.5', 0, 2],
    [0.5, 0, 0],
    [1.455, 0, 1],
    [-0.5, 0, 0],
    [2.5, 0, 2],
    [2.675, 2, 2.68],
    [5.551115123125783e-17, 2, 0],
    [0, 0, 0],
  ])("Banker's Rounding: rounded(%s, %d) = %d", (x, p, want) => {
    expect(rounded(Number(x), p, BANKERS)).toBe(want);
  });

  it.each([
    [0.5, 0, 1],
    [1.5, 0, 2],
    [2.5, 0, 3],
    [-0.5, 0, -1],
    [-1.5, 0, -2],
    [123, -1, 120],
    [125, -1, 130],
    [134.45, -1, 130],
    [135, -1, 140],
    [1.25, 1, 1.3],
    [0.15, 1, 0.2],
    [2.675, 2, 2.68],
    [-1.25, 1, -1.3],
    [-0.15, 1, -0.2],
  ])('Commercial Rounding: rounded(%d, %d) = %d (Frappe cypress rounding.js)', (x, p, want) => {
    expect(rounded(x, p, COMMERCIAL)).toBe(want);
  });

  it('truncates a fractional precision like cint(precision)', () => {
    expect(rounded(1.23456, 2.9)).toBe(1.23);
    expect(rounded(1.5, NaN)).toBe(2);
  });

  it('returns non-finite input unchanged (Python raises for the banker\'s methods)', () => {
    for (const m of [LEGACY, BANKERS, COMMERCIAL]) {
      expect(rounded(Infinity, 2, m)).toBe(Infinity);
      expect(rounded(NaN, 2, m)).toBeNaN();
    }
  });

  it('throws INVALID_ROUNDING_METHOD for an unknown method', () => {
    const call = () => rounded(1.5, 0, 'Round Half Up' as RoundingMethod);
    expect(call).toThrow(CoworkerError);
    expect(call).toThrow('Unknown Rounding Method: Round Half Up');
    try {
      call();
    } catch (e) {
      expect((e as CoworkerError).code).toBe('INVALID_ROUNDING_METHOD');
    }
  });

  it('an empty method name means the default (Python: `rounding_method or ...`)', () => {
    expect(rounded(0.125, 2, '' as RoundingMethod)).toBe(0.13);
  });

  it('is idempotent and stays within half a unit of the input (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(LEGACY, BANKERS, COMMERCIAL),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (m, x, p) => {
          const once = rounded(x, p, m);
          // Compared with ===: Commercial Rounding may return -0.0 and then 0.0 (Python's `if num == 0`).
          expect(rounded(once, p, m) === once).toBe(true);
          expect(Math.abs(once - x)).toBeLessThanOrEqual(0.5 * 10 ** -p + 1e-9 * Math.max(1, Math.abs(x)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
