/**
 * Naming series: `parse_naming_series`, `NamingSeries` (validate / get_prefix), `make_autoname`,
 * `_format_autoname` and `determine_consecutive_week_number` (`frappe/model/naming.py`).
 *
 * A series is split on `.`; each non-empty part is a date token, a field reference, a `#` counter or literal
 * text. Only the first `#` part draws a number, from the counter whose key is the text generated so far.
 *
 * @module
 */
import { dateParts } from '../util/datetime';
import type { NamingContext, NamingDoc, SeriesPartContext } from './context';
import { InvalidNamingSeriesError } from './errors';
import { getOwn, hasOwn, partText, pyDatetimeText, zeroPad } from './text';

/** Frappe's `NAMING_SERIES_PATTERN` `^[\w\- \/.#{}]+$` with Python's Unicode `\w`. */
const NAMING_SERIES_PATTERN = /^[\p{L}\p{N}_\- /.#{}]+$/u;
/** Frappe's `BRACED_PARAMS_PATTERN` `(\{[\w | #]+\})`. */
const BRACED_PARAMS_PATTERN = /\{[\p{L}\p{N}_ |#]+\}/gu;

/** A series evaluated up to its counter: `prefix` is the counter key, `digits` undefined when no `#` part. */
interface SeriesPlan {
  readonly prefix: string;
  readonly digits: number | undefined;
  readonly suffix: string;
}

/**
 * ISO 8601 week of a date, made consecutive across the year boundary (`determine_consecutive_week_number`):
 * January days still in last year's week 52/53 give `"00"`, December days already in next year's week 1
 * give `"53"`.
 *
 * @example consecutiveWeekNumber(new Date('2021-01-01')) // '00' (ISO week 53 of 2020)
 * @param date - the instant
 * @param timeZone - IANA zone the calendar date is read in @default 'UTC'
 * @returns two digits, `"00"`..`"53"`
 */
export function consecutiveWeekNumber(date: Date, timeZone = 'UTC'): string {
  const { year, month, day } = dateParts(date, timeZone);
  const week = isoWeek(year, month, day);
  if (month === 1 && week >= 52) return '00';
  if (month === 12 && week <= 1) return '53';
  return String(week).padStart(2, '0');
}

function isoWeek(year: number, month: number, day: number): number {
  const DAY = 86_400_000;
  const t = Date.UTC(year, month - 1, day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  // The ISO week belongs to the year that contains its Thursday.
  const thursday = t + (3 - weekday) * DAY;
  const jan1 = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday - jan1) / (7 * DAY));
}

/** Evaluate every part except the counter, once, with one "now" (Frappe reads `now_datetime()` once). */
function planSeries(parts: readonly string[], doc: NamingDoc | null | undefined, ctx: SeriesPartContext): SeriesPlan {
  const timeZone = ctx.timeZone ?? 'UTC';
  let now: Date | undefined;
  const today = () => (now ??= ctx.clock());
  let text = '';
  let prefix: string | undefined;
  let digits: number | undefined;
  for (const e of parts) {
    if (!e) continue;
    if (e.startsWith('#')) {
      // Only the first `#` part counts; later ones add nothing.
      if (prefix === undefined) {
        prefix = text;
        digits = e.length;
        text = '';
      }
      continue;
    }
    text += partValue(e, doc, ctx, today, timeZone);
  }
  return prefix === undefined ? { prefix: text, digits: undefined, suffix: '' } : { prefix, digits, suffix: text };
}

function partValue(
  e: string,
  doc: NamingDoc | null | undefined,
  ctx: SeriesPartContext,
  today: () => Date,
  timeZone: string,
): string {
  switch (e) {
    case 'YY':
      return String(dateParts(today(), timeZone).year % 100).padStart(2, '0');
    case 'MM':
      return String(dateParts(today(), timeZone).month).padStart(2, '0');
    case 'DD':
      return String(dateParts(today(), timeZone).day).padStart(2, '0');
    case 'YYYY':
      return String(dateParts(today(), timeZone).year).padStart(4, '0');
    case 'WW':
      return consecutiveWeekNumber(today(), timeZone);
    case 'timestamp':
      return pyDatetimeText(today(), timeZone);
    case 'FY': {
      // Frappe v15 alone has no FY part: `FY` is literal text (`FY.-.###` gives `FY-001`, checked against the
      // oracle). ERPNext registers one (`naming_series_variables`) that gives the fiscal year: coworker takes it
      // from the `fiscal_year` user default when one is given (get_user_default: the first value of a list).
      const fy = getOwn(ctx.userDefaults, 'fiscal_year');
      const value = Array.isArray(fy) ? fy[0] : fy;
      return value === undefined || value === null || value === '' ? 'FY' : partText(value, timeZone);
    }
  }
  // Quirk kept from Frappe: a bare part that happens to be a key of the doc is replaced by its value.
  if (doc != null && (e.startsWith('{') || hasOwn(doc, e))) {
    return partText(getOwn(doc, e.replace(/[{}]/g, '')), timeZone);
  }
  return e;
}

function splitSeries(series: string | readonly string[]): readonly string[] {
  return typeof series === 'string' ? series.split('.') : series;
}

/**
 * Frappe's `parse_naming_series`: build a name from a `.`-separated series, drawing the number for the
 * first `#` part from `ctx.counters` under the key "text generated so far". Does not append `.#####` and
 * does not validate (see {@link makeAutoname} for that).
 *
 * @example await parseNamingSeries('SINV-.YYYY.-.####', doc, ctx) // 'SINV-2024-0001', key 'SINV-2024-'
 * @param series - the series, or its parts already split on `.`
 * @param doc - the document whose fields `{field}` parts read; `null` makes such parts literal text
 * @param ctx - counters, clock, time zone, user defaults
 * @returns the generated name
 */
export async function parseNamingSeries(
  series: string | readonly string[],
  doc: NamingDoc | null | undefined,
  ctx: Pick<NamingContext, 'counters' | 'clock' | 'timeZone' | 'userDefaults'>,
): Promise<string> {
  const plan = planSeries(splitSeries(series), doc, ctx);
  if (plan.digits === undefined) return plan.prefix;
  const n = await ctx.counters.next(plan.prefix);
  return plan.prefix + zeroPad(n, plan.digits) + plan.suffix;
}

/**
 * Evaluate a series without touching any counter; `#` parts contribute nothing (used by revert).
 * @internal
 */
export function parseWithoutCounter(series: string | readonly string[], doc: NamingDoc | null | undefined, ctx: SeriesPartContext): string {
  const plan = planSeries(splitSeries(series), doc, ctx);
  return plan.prefix + plan.suffix;
}

function withNumberPart(series: string): string {
  // NamingSeries.__init__: a series without `#` gets the default number part.
  return series.includes('#') ? series : `${series}.#####`;
}

/**
 * The counter key of a series without consuming a number (`NamingSeries.get_prefix`), e.g. for showing or
 * setting the current value. `.#####` is appended first when the series has no `#`.
 *
 * @example namingSeriesPrefix('SINV-.YY.-.####', null, ctx) // 'SINV-24-' in 2024
 * @param series - the naming series
 * @param doc - document for `{field}` parts; Frappe's get_prefix passes none (`null`)
 * @param ctx - clock, time zone, user defaults
 * @returns the counter key
 * @throws {InvalidNamingSeriesError} when no part starts with `#` (e.g. `A#B`)
 */
export function namingSeriesPrefix(series: string, doc: NamingDoc | null | undefined, ctx: SeriesPartContext): string {
  const full = withNumberPart(series);
  const plan = planSeries(full.split('.'), doc, ctx);
  if (plan.digits === undefined) throw new InvalidNamingSeriesError(full, `Invalid Naming Series: ${full}`);
  return plan.prefix;
}

/**
 * `NamingSeries(series).validate()`: after appending `.#####` when there is no `#`, the series must
 * contain a `.` and only letters, digits, `_`, `-`, space, `/`, `.`, `#`, `{`, `}`.
 *
 * @param series - the naming series (from a DocType's `autoname` or a Select option)
 * @throws {InvalidNamingSeriesError} with Frappe's message
 */
export function validateNamingSeries(series: string): void {
  const full = withNumberPart(series);
  if (!full.includes('.')) {
    throw new InvalidNamingSeriesError(full, `Invalid naming series ${full}: dot (.) missing`);
  }
  if (!NAMING_SERIES_PATTERN.test(full)) {
    throw new InvalidNamingSeriesError(
      full,
      `Special Characters except '-', '#', '.', '/', '{' and '}' not allowed in naming series ${full}`,
    );
  }
}

/**
 * Frappe's `make_autoname(key, doc=doc)`: `'hash'` gives 10 random hex characters; anything else is a
 * naming series (`.#####` appended when it has no `#`), validated, then parsed.
 *
 * @param key - `'hash'` or a naming series
 * @param doc - document for field parts
 * @param ctx - the naming context
 * @returns the name
 * @throws {InvalidNamingSeriesError} when the series is malformed
 */
export async function makeAutoname(key: string, doc: NamingDoc | null | undefined, ctx: NamingContext): Promise<string> {
  if (key === 'hash') return ctx.ids.hash(10);
  const series = withNumberPart(key);
  validateNamingSeries(series);
  return parseNamingSeries(series, doc, ctx);
}

/**
 * Frappe's `_format_autoname`: every `{...}` (word characters, space, `|`, `#`) is replaced by
 * `parse_naming_series([inside], doc)`; text outside braces stays. Each brace is parsed on its own, so
 * `{#####}` always draws from the counter keyed `''`: **all `format:` DocTypes share that one counter**.
 *
 * @example await formatAutoname('format:INV-{YYYY}-{customer}-{###}', doc, ctx) // 'INV-2024-ACME-007'
 * @param template - the autoname, with or without its `format:` prefix
 * @param doc - the document (a brace naming a key the doc does not have stays literal text, without braces)
 * @param ctx - the naming context
 * @returns the name
 */
export async function formatAutoname(template: string, doc: NamingDoc | null | undefined, ctx: NamingContext): Promise<string> {
  const body = /^format:/i.test(template) ? template.slice('format:'.length) : template;
  let out = '';
  let last = 0;
  // Sequential on purpose: two `{#}` parts must draw their numbers in left-to-right order, as re.sub does.
  for (const match of body.matchAll(BRACED_PARAMS_PATTERN)) {
    out += body.slice(last, match.index);
    out += await parseNamingSeries([match[0].slice(1, -1)], doc, ctx);
    last = match.index + match[0].length;
  }
  return out + body.slice(last);
}
