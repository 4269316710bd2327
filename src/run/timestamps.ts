/**
 * `creation` / `modified` stamps: Frappe's `YYYY-MM-DD HH:MM:SS.ffffff`, strictly increasing per engine.
 *
 * Optimistic locking compares `modified` as a string, so two writes must never produce the same stamp:
 * the engine keeps the last stamp (in microseconds) and bumps by 1µs when the clock has not moved (a fixed
 * test clock, or two runs in the same millisecond). A write also never stamps at or before the `modified` it
 * replaces, so a document's stamps increase even across engines sharing one storage.
 *
 * @module
 */
import type { Clock } from '../env';
import { formatDatetime } from '../util/datetime';

const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Microseconds since the epoch of a stamp read as UTC wall time in `timeZone`'s frame. Only used to order
 * stamps of the same engine, so the zone offset cancels out; returns `undefined` for anything else.
 * @param stamp - a `YYYY-MM-DD HH:MM:SS[.ffffff]` string
 */
export function stampMicros(stamp: unknown): number | undefined {
  if (typeof stamp !== 'string') return undefined;
  const m = STAMP.exec(stamp);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0'));
}

/** Format microseconds (in the frame of {@link stampMicros}) as a stamp. */
function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const micro = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  return `${formatDatetime(new Date(ms), 'UTC')}.${String(micro).padStart(6, '0')}`;
}

/** A source of strictly increasing stamps. */
export interface Stamper {
  /**
   * The next stamp, later than every stamp this stamper gave and later than `after`.
   * @param after - a stamp the result must follow (the `modified` being replaced) @default undefined
   */
  next(after?: unknown): string;
}

/**
 * A stamper over an injected clock.
 * @param clock - "now"
 * @param timeZone - zone the stamps are written in @default 'UTC'
 * @returns the stamper
 */
export function createStamper(clock: Clock, timeZone = 'UTC'): Stamper {
  let last = -Infinity;
  return {
    next(after?: unknown): string {
      const now = clock();
      // Wall time in the target zone, as microseconds of a UTC frame (so stamps compare like the strings).
      let t = stampMicros(`${formatDatetime(now, timeZone)}.${String((((now.getTime() % 1000) + 1000) % 1000) * 1000).padStart(6, '0')}`)!;
      const floor = Math.max(last, stampMicros(after) ?? -Infinity);
      if (t <= floor) t = floor + 1;
      last = t;
      return formatMicros(t);
    },
  };
}
