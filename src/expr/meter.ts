/**
 * The budget of one evaluation: operations and bytes, counted as they are spent.
 *
 * An expression has no loops, functions or variables, so the only work that is not bounded by its own length
 * happens *inside* helpers, methods and implicit conversions (`'x'.repeat(n)`, `s.split('')`, `[...] + ''`,
 * `__('{0}{0}...', [big])`). Those sites, and only those, charge the meter *before* they do the work whenever
 * the cost can be known in advance (the result length of `repeat`, `replace`, `__`, `join`...), and as they go
 * in loops. The closures of plain operators and property reads charge nothing: their number is bounded by the
 * source length (at most {@link DEFAULT_MAX_LENGTH} characters), so the hot path stays as fast as before.
 *
 * Units. One *operation* is one character scanned, compared or copied by a built-in, or 1/8 of an element
 * visited by a loop written here ({@link ELEMENT_OPS}); on this project's reference machine a million
 * operations take well under a millisecond for the cheapest and about 2 ms for the dearest (element loops).
 * *Bytes* are what V8 allocates, counted conservatively: 2 per string character (two-byte strings), 8 per array
 * slot, plus a header per object.
 *
 * @module
 */
import { EvalFault } from './access';

/** The limits of one evaluation. */
export interface EvalLimits {
  /** Operations one evaluation may spend (see the module comment for the unit). */
  readonly maxOps: number;
  /** Bytes one evaluation may allocate in strings and arrays it builds. */
  readonly maxBytes: number;
}

/**
 * Default {@link EvalLimits.maxOps}: 2,000,000 operations, a few milliseconds at worst. The most expensive
 * expression of the Frappe / ERPNext / HRMS corpus spends under 1,000 over representative documents
 * (docs/expressions.md gives the measurement).
 */
export const DEFAULT_MAX_OPS = 2_000_000;
/** Default {@link EvalLimits.maxBytes}: 4 MiB. The corpus's most allocating expression builds under 2 kB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** Operations charged per element visited by a loop of ours (a JavaScript loop costs more than a memcmp step). */
export const ELEMENT_OPS = 8;
/** Bytes of a string header, and of an array header. */
const HEADER = 16;

/** The meter of one evaluation: what is left, and where in the source the current metered site is. */
export interface Meter {
  /** Operations left. */
  ops: number;
  /** Bytes left. */
  bytes: number;
  /** Source index of the metered site running now (set by the site before it calls in), or -1. */
  at: number;
  readonly limits: EvalLimits;
}

/** The budget of an evaluation ran out: reported as `EXPR_LIMIT` with the index of the site that ran out. */
export class LimitFault extends EvalFault {
  readonly index: number | undefined;
  constructor(description: string, index: number | undefined) {
    super(description);
    this.index = index;
  }

  override get name(): string {
    return 'LimitFault';
  }
}

function exceeded(m: Meter, what: 'ops' | 'bytes'): never {
  const d = what === 'ops'
    ? `Evaluation exceeded its budget of ${m.limits.maxOps} operations (maxOps)`
    : `Evaluation exceeded its budget of ${m.limits.maxBytes} bytes allocated (maxBytes)`;
  throw new LimitFault(d, m.at < 0 ? undefined : m.at);
}

/** Spend `n` operations, or throw {@link LimitFault}. */
export function spend(m: Meter, n: number): void {
  if ((m.ops -= n) < 0) exceeded(m, 'ops');
}

/** Allocate `n` bytes, or throw {@link LimitFault}. */
export function allocate(m: Meter, n: number): void {
  if ((m.bytes -= n) < 0) exceeded(m, 'bytes');
}

/** Charge for building a string of `length` characters: the copy and the bytes. */
export function chargeString(m: Meter, length: number): void {
  spend(m, length);
  allocate(m, 2 * length + HEADER);
}

/** Charge for building an array of `length` slots (the elements themselves are charged by whoever built them). */
export function chargeArray(m: Meter, length: number): void {
  spend(m, length * ELEMENT_OPS);
  allocate(m, 8 * length + HEADER);
}

/** A fresh meter for one evaluation. */
export function newMeter(limits: EvalLimits): Meter {
  return { ops: limits.maxOps, bytes: limits.maxBytes, at: -1, limits };
}

/** The default limits. */
export const DEFAULT_LIMITS: EvalLimits = Object.freeze({ maxOps: DEFAULT_MAX_OPS, maxBytes: DEFAULT_MAX_BYTES });

/** Whether a user-given limit is acceptable: absent, a positive integer, or Infinity (no limit). */
export const validLimit = (n: unknown): boolean =>
  n === undefined || n === Infinity || (typeof n === 'number' && Number.isInteger(n) && n > 0);
