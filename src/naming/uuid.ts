/**
 * UUID names (`autoname: UUID`, Frappe develop).
 *
 * @module
 * @internal
 */
import type { Clock, IdGenerator } from '../env';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds from `clock`, then random bits from `ids`, so names sort by
 * creation time as Frappe's `uuid7()` names do.
 */
export function uuidV7(clock: Clock, ids: IdGenerator): string {
  const ms = Math.max(0, Math.floor(clock().getTime()));
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  const rand = ids.hash(19).padStart(19, '0');
  const variant = ((parseInt(rand[3] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const hex = `${time}7${rand.slice(0, 3)}${variant}${rand.slice(4, 19)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Whether Python's `UUID(text)` accepts `text`: after removing `urn:`, `uuid:`, surrounding braces and
 * hyphens, exactly 32 hexadecimal digits remain.
 */
export function isUuidText(text: string): boolean {
  const hex = text.replaceAll('urn:', '').replaceAll('uuid:', '').replace(/^[{}]+|[{}]+$/g, '').replaceAll('-', '');
  return /^[0-9a-fA-F]{32}$/.test(hex);
}
