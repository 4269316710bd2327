/**
 * Series maintenance helpers controllers call explicitly: `revert_series_if_last` (on delete) and
 * `append_number_if_name_exists` (`frappe/model/naming.py`).
 *
 * @module
 */
import { cint } from '../schema/cast';
import type { NamingContext, NamingDoc } from './context';
import { parseWithoutCounter } from './series';

/**
 * Frappe's `revert_series_if_last(key, name, doc)`: when `name` holds the latest number of its series,
 * step the counter back by one so the number is reused.
 *
 * The counter key comes from `key`: with `.#`, its last `.` part is split off (and when that part has no
 * `#`, the `#` run is removed from the prefix and the trailing literal from the name); a key with `.` is
 * then parsed (dates, fields). The number is `cint(name without the prefix)`.
 *
 * @example await revertSeriesIfLast('TEST-.YYYY.-.#####', 'TEST-2024-00002', ctx) // 'TEST-2024-' 2 → 1
 * @param key - the naming series used (e.g. the doc's `naming_series`)
 * @param name - the name being deleted
 * @param ctx - counters, clock, time zone
 * @param doc - the document, for field parts of the series @default undefined
 */
export async function revertSeriesIfLast(
  key: string,
  name: string,
  ctx: Pick<NamingContext, 'counters' | 'clock' | 'timeZone' | 'userDefaults'>,
  doc?: NamingDoc | null,
): Promise<void> {
  let prefix = key;
  let rest = name;
  if (key.includes('.#')) {
    const cut = key.lastIndexOf('.');
    const hashes = key.slice(cut + 1);
    prefix = key.slice(0, cut);
    if (!hashes.includes('#')) {
      const run = /#+/.exec(key);
      if (!run) return;
      rest = rest.replaceAll(hashes, '');
      prefix = prefix.replaceAll(run[0], '');
    }
  }
  // Parsed without drawing numbers: Frappe would call getseries for a stray `#` part left in the prefix.
  if (prefix.includes('.')) prefix = parseWithoutCounter(prefix.split('.'), doc, ctx);
  const count = cint(rest.replaceAll(prefix, ''));
  // `count > 0`: a missing counter reads as 0 here, and must not be pushed to -1.
  if (count <= 0) return;
  // One statement where the storage can (another process may draw a number between a read and a set).
  if (ctx.counters.revert) {
    await ctx.counters.revert(prefix, count);
    return;
  }
  const current = await ctx.counters.current(prefix);
  if (current === count) await ctx.counters.set(prefix, current - 1);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Frappe's `append_number_if_name_exists`: return `value` when it is free, else `value<sep><n>`.
 *
 * - Given the list of existing values: exactly Frappe's rule, `n` = 1 + the number of the longest, then
 *   greatest, existing `^value<sep>\d+$` (or 1 when there is none).
 * - Given an `exists` callback: the first free `value<sep>1`, `value<sep>2`, ... (equal to Frappe's
 *   answer unless the existing numbers have gaps).
 *
 * @example await appendNumberIfNameExists('Bottle', ['Bottle']) // 'Bottle-1'
 * @param value - the wanted value
 * @param existing - existing values of the field, or an async `exists(name)` check
 * @param separator - text between value and number @default '-'
 * @returns a value not in use
 */
export async function appendNumberIfNameExists(
  value: string,
  existing: Iterable<string> | ((name: string) => Promise<boolean> | boolean),
  separator = '-',
): Promise<string> {
  if (typeof existing === 'function') {
    if (!(await existing(value))) return value;
    for (let n = 1; ; n++) {
      const candidate = `${value}${separator}${n}`;
      if (!(await existing(candidate))) return candidate;
    }
  }
  const names = [...existing];
  if (!names.includes(value)) return value;
  const pattern = new RegExp(`^${escapeRegExp(value)}${escapeRegExp(separator)}\\d+$`);
  let last: string | undefined;
  for (const candidate of names) {
    if (!pattern.test(candidate)) continue;
    // ORDER BY length(name) DESC, name DESC LIMIT 1
    if (last === undefined || candidate.length > last.length || (candidate.length === last.length && candidate > last)) {
      last = candidate;
    }
  }
  const count = last === undefined ? 1 : cint(last.slice(last.lastIndexOf(separator) + separator.length)) + 1;
  return `${value}${separator}${count}`;
}
