/**
 * Naming-series counter storage (Frappe's `tabSeries`: one row per key, column `current`).
 *
 * @module
 */
import { CoworkerError } from '../errors';

/**
 * Counter storage for naming series, injected through {@link NamingContext}. The storage layer backs it
 * with a table; {@link memoryCounters} is the in-memory reference.
 *
 * Implementers: `next` must be atomic (Frappe reads the row `FOR UPDATE`, then increments): two concurrent
 * calls for the same key must never return the same number. Keys are arbitrary strings, including `''`
 * (the key every `format:` autoname shares).
 */
export interface NamingCounters {
  /**
   * Atomically increment the counter named `key` (creating it at 0) and return the new value.
   * @param key - the series prefix, e.g. `SINV-2024-`
   * @returns the new value (1 for a new key)
   */
  next(key: string): Promise<number>;
  /**
   * Read a counter without changing it.
   * @param key - the series prefix
   * @returns its value, 0 when the key does not exist
   */
  current(key: string): Promise<number>;
  /**
   * Set a counter (creating it when missing), as Document Naming Settings' "update series" does.
   * @param key - the series prefix
   * @param value - the new current value (the next `next()` returns `value + 1`)
   */
  set(key: string, value: number): Promise<void>;
  /**
   * Atomically step the counter back from `expected` to `expected - 1`, only if it is still `expected` (Frappe's
   * `revert_series_if_last`: `SELECT … FOR UPDATE`, then `current - 1`). Optional: without it the revert reads,
   * compares and sets, which is atomic only where writes are serialised (one process).
   * @param key - the series prefix
   * @param expected - the number of the document being deleted
   * @returns whether the counter was stepped back
   */
  revert?(key: string, expected: number): Promise<boolean>;
}

function checkValue(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new CoworkerError('NAMING_COUNTER_INVALID', `Naming counter ${JSON.stringify(key)} must be an integer, got ${String(value)}`);
  }
  return value;
}

/**
 * In-memory {@link NamingCounters}.
 *
 * @example
 * const counters = memoryCounters({ 'SINV-2024-': 41 });
 * await counters.next('SINV-2024-'); // 42
 *
 * @param initial - starting values by key @default {}
 * @returns a fresh counter store
 * @throws {CoworkerError} `NAMING_COUNTER_INVALID` when an initial value is not a safe integer
 */
export function memoryCounters(initial: Readonly<Record<string, number>> = {}): NamingCounters {
  // A Map, not an object: keys such as `__proto__` or `constructor` are ordinary series prefixes here.
  const values = new Map<string, number>();
  for (const [key, value] of Object.entries(initial)) values.set(key, checkValue(key, value));
  return {
    // No `await` between the read and the write: the increment runs in one synchronous step, so concurrent
    // callers in one JS realm can never interleave and receive the same number.
    async next(key) {
      const value = (values.get(key) ?? 0) + 1;
      values.set(key, value);
      return value;
    },
    async current(key) {
      return values.get(key) ?? 0;
    },
    // async, so a bad value rejects the promise instead of throwing at the call site
    async set(key, value) {
      values.set(key, checkValue(key, value));
    },
  };
}
