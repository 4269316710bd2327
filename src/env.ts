/**
 * Ambient inputs, injected: the clock, id generation and the user. Nothing in coworker reads `Date.now()`,
 * `Math.random()` or a global user directly, so tests can fix all three (nothing ambient is read directly).
 *
 * @module
 */

/** Returns "now". @default () => new Date() */
export type Clock = () => Date;

/** Generates random identifiers. Frappe's hash names are 10 lowercase hex characters. */
export interface IdGenerator {
  /** `length` random lowercase hex characters (`frappe.generate_hash(length=10)`). */
  hash(length?: number): string;
  /** A UUID string (Frappe develop uses UUIDv7 for `autoname: UUID`). */
  uuid(): string;
}

/** The user a document operation runs for. */
export interface User {
  readonly name: string;
  readonly roles: readonly string[];
  readonly full_name?: string;
  readonly email?: string;
  /** User defaults (`frappe.defaults.get_user_default(key)`), keyed by fieldname or DocType. */
  readonly defaults?: Readonly<Record<string, string | readonly string[]>>;
}

/** The system clock. */
export const systemClock: Clock = () => new Date();

// Web Crypto exists as a global in every browser and in Node >= 19; declared here because src/ is compiled
// without DOM or Node typings (browser-first, no Node built-ins).
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T } | undefined;

/** Random bytes drawn from Web Crypto a pool at a time: one call per 4 kB, not one per name (a row needs two). */
const POOL_SIZE = 4096;
let pool: Uint8Array | undefined;
let pooled = 0;

function randomBytes(n: number): Uint8Array {
  if (typeof crypto !== 'undefined' && crypto && n <= POOL_SIZE) {
    if (!pool || pooled + n > POOL_SIZE) {
      pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
      pooled = 0;
    }
    // A copy: no two callers ever share bytes.
    const out = pool.slice(pooled, pooled + n);
    pooled += n;
    return out;
  }
  const bytes = new Uint8Array(n);
  if (typeof crypto !== 'undefined' && crypto) return crypto.getRandomValues(bytes);
  // No Web Crypto (very old runtimes): names only need to be unlikely to collide, not secret.
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Random ids from Web Crypto: `hash()` like Frappe's `generate_hash`, `uuid()` a UUIDv4. */
export const randomIds: IdGenerator = {
  hash(length = 10) {
    return hex(randomBytes(Math.ceil(length / 2))).slice(0, length);
  },
  uuid() {
    const b = randomBytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = hex(b);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

/**
 * Deterministic ids for tests: `hash()` yields `0000000001`, `0000000002`, ...; `uuid()` a counter-based UUID.
 * @param start first counter value @default 1
 */
export function sequentialIds(start = 1): IdGenerator {
  let n = start;
  return {
    hash(length = 10) {
      return (n++).toString(16).padStart(length, '0').slice(-length);
    },
    uuid() {
      const h = (n++).toString(16).padStart(32, '0');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

/** A clock that always returns the same instant (a fresh Date each call, so callers cannot mutate it). */
export function fixedClock(at: Date | string | number): Clock {
  const ms = new Date(at).getTime();
  return () => new Date(ms);
}
