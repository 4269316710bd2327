/**
 * The text Frappe writes for a changed value in a Version: `doc.get_formatted(fieldname)`
 * (`format_value`, frappe/utils/formatters.py) for the fieldtypes whose text differs from the value: Date,
 * Datetime, Time (the site's `date_format` / `time_format`), Float, Currency (`fmt_money`, frappe/utils/data.py:
 * `number_format`, precision, the currency's symbol), Percent, Duration, and line breaks of Text / Small Text.
 * Every other fieldtype keeps its value (Data, Link, Select, Int, Check...), as there.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { DocField } from '../schema/types';
import { cint, flt, getFieldPrecision, getNumberFormatInfo, type SystemSettings } from '../values/number';

/** The System Settings values Frappe's formatters read (`frappe.db.get_default(...)`). */
export interface FormatSettings extends SystemSettings {
  /** `date_format`. @default 'dd-mm-yyyy' (Frappe's fallback when unset) */
  readonly date_format?: string | null;
  /** `time_format`. @default 'HH:mm:ss' */
  readonly time_format?: string | null;
  /** The default `currency` (Global Defaults) of Currency fields without options. @default none */
  readonly currency?: string | null;
  /** Global Defaults `hide_currency_symbol` (`'Yes'` hides it). @default 'No' */
  readonly hide_currency_symbol?: string | null;
}

/** What formatting reads besides the value: settings and stored documents (Currency symbols, `Company:company:...`). */
export interface FormatContext {
  readonly settings: FormatSettings;
  /** A stored document's value, or null (`frappe.db.get_value`). */
  value(doctype: string, name: string, field: string): Promise<unknown>;
}

/** Python's `round(x, n)` text, `"%.*f" % (n, round(x, n))`: half-even on the exact binary value. */
function fixed(x: number, n: number): string {
  const exact = x.toFixed(Math.min(100, n + 30));
  const cut = exact.indexOf('.') + n + 1;
  const rest = exact.slice(n === 0 ? exact.indexOf('.') + 1 : cut);
  if (/^50*$/.test(rest)) {
    // An exact tie: keep the even digit.
    const kept = n === 0 ? exact.slice(0, exact.indexOf('.')) : exact.slice(0, cut);
    const last = Number(kept.replace('.', '').slice(-1));
    if (last % 2 === 0) return kept;
  }
  return x.toFixed(n);
}

/** Python `str(float)` for the values fmt_money splits (the shortest repr, with `.0` for integers). */
const pyFloatStr = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x));

async function currencyInfo(ctx: FormatContext, code: string): Promise<{ symbol: string; right: boolean; fraction: unknown }> {
  const symbol = await ctx.value('Currency', code, 'symbol');
  return {
    symbol: typeof symbol === 'string' && symbol ? symbol : code,
    right: cint(await ctx.value('Currency', code, 'symbol_on_right')) === 1,
    fraction: await ctx.value('Currency', code, 'fraction_units'),
  };
}

/**
 * `fmt_money(amount, precision, currency)`.
 * @returns the text
 */
export async function fmtMoney(amount: number, precision: number | undefined, currency: string | null, ctx: FormatContext): Promise<string> {
  const s = ctx.settings;
  const numberFormat = s.number_format || '#,###.##';
  let p = precision ?? (cint(s.currency_precision) || undefined);
  const [decimalStr, commaStr, formatPrecision] = getNumberFormatInfo(numberFormat);
  p ??= formatPrecision;
  const info = currency ? await currencyInfo(ctx, currency) : undefined;
  if (decimalStr) {
    const after = pyFloatStr(Number(fixed(((amount % 1) + 1) % 1, p)));
    const parts = after.split('.');
    const decimals = parts.length > 1 ? parts[1]! : parts[0]!;
    if (p > 2) {
      if (decimals.length < 3) p = info ? String(info.fraction ? Number(info.fraction) : 100).length - 1 : formatPrecision;
      else if (decimals.length < p) p = decimals.length;
    }
  }
  const text = fixed(amount, p);
  const decimals = text.includes('.') ? text.split('.')[1]! : '';
  const minus = Number(text) < 0 ? '-' : '';
  let whole = pyFloatStr(Math.abs(Number(text))).split('.', 1)[0]!;
  const parts: string[] = [];
  if (whole.length > 3) {
    parts.push(whole.slice(-3));
    whole = whole.slice(0, -3);
    const width = numberFormat === '#,##,###.##' ? 2 : 3;
    while (whole.length > width) {
      parts.push(whole.slice(-width));
      whole = whole.slice(0, -width);
    }
  }
  parts.push(whole);
  parts.reverse();
  let out = parts.join(commaStr) + (p && decimalStr ? decimalStr + decimals : '');
  if (out !== '0') out = minus + out;
  if (info && s.hide_currency_symbol !== 'Yes') out = info.right ? `${out} ${info.symbol}` : `${info.symbol} ${out}`;
  return out;
}

/** Babel's `dd`, `MM`, `yyyy`, `HH`, `mm`, `ss` of Frappe's date and time formats. */
function formatDate(value: string, format: string): string {
  const [y, m, d] = value.slice(0, 10).split('-');
  return format.replace(/mm/g, 'MM').replace(/Y/g, 'y').replace(/yyyy/g, y!).replace(/MM/g, m!).replace(/dd/g, d!);
}

function formatTime(value: string, format: string): string {
  const [h = '0', mi = '00', sec = '00'] = value.split(':');
  return format.replace(/HH/g, h.padStart(2, '0')).replace(/mm/g, mi.padStart(2, '0')).replace(/ss/g, sec.slice(0, 2).padStart(2, '0'));
}

/** `format_duration(seconds, hide_days)`. */
function formatDuration(value: unknown, hideDays: boolean): string {
  const secs = cint(value);
  let days = Math.floor(secs / 86400);
  let hours = Math.floor((secs % 86400) / 3600);
  if (hideDays) {
    hours = Math.floor(secs / 3600);
    days = 0;
  }
  const bits: string[] = [];
  if (days) bits.push(`${days}d`);
  if (hours) bits.push(`${hours}h`);
  const minutes = Math.floor((secs % 3600) / 60);
  if (minutes) bits.push(`${minutes}m`);
  const seconds = Math.floor(secs % 60);
  if (seconds) bits.push(`${seconds}s`);
  return bits.join(' ');
}

/** `get_field_currency(df, doc)`: from the field's options, the document or its parent. */
async function fieldCurrency(df: DocField, doc: DocData, parent: DocData | undefined, ctx: FormatContext): Promise<string | null> {
  const options = df.options;
  if (!options) return null;
  if (options.includes(':')) {
    const [doctype, field, target] = options.split(':');
    if (!doctype || !field || !target || !doc[field]) return null;
    const v = await ctx.value(doctype, String(doc[field]), target);
    return typeof v === 'string' && v ? v : null;
  }
  const own = doc[options] ?? (parent ? parent[options] : undefined);
  return typeof own === 'string' && own ? own : null;
}

const BLOCK_TAGS = /(<br|<div|<p)/;

/**
 * The text Frappe's `get_formatted` gives a truthy value of `df`.
 * @param df - the field
 * @param value - the value (truthy)
 * @param doc - the document (or row) holding it
 * @param parent - the parent document of a row
 * @param ctx - settings and stored values
 * @returns the text, or the value itself for fieldtypes Frappe leaves alone
 */
export async function formattedValue(df: DocField, value: unknown, doc: DocData, parent: DocData | undefined, ctx: FormatContext): Promise<unknown> {
  const s = ctx.settings;
  switch (df.fieldtype) {
    case 'Date':
      return typeof value === 'string' ? formatDate(value, s.date_format || 'dd-mm-yyyy') : value;
    case 'Datetime': {
      if (typeof value !== 'string') return value;
      const [date, time = '00:00:00'] = value.split(' ');
      return `${formatDate(date!, s.date_format || 'dd-mm-yyyy')} ${formatTime(time, s.time_format || 'HH:mm:ss')}`;
    }
    case 'Time':
      return typeof value === 'string' ? formatTime(value, s.time_format || 'HH:mm:ss') : value;
    case 'Currency': {
      const currency = (await fieldCurrency(df, doc, parent, ctx)) ?? (s.currency || null);
      return fmtMoney(flt(value), getFieldPrecision(df, s), currency, ctx);
    }
    case 'Float': {
      let precision = getFieldPrecision(df, s);
      const currency = await fieldCurrency(df, doc, parent, ctx);
      if (!df.options) {
        const text = pyFloatStr(Number(value)).split('.');
        if (text.length === 1 || cint(text[1]) === 0) precision = 0;
      }
      return fmtMoney(flt(value), precision, currency, ctx);
    }
    case 'Percent':
      return `${pyFloatStr(flt(value, 2))}%`;
    case 'Text':
    case 'Small Text':
      return typeof value === 'string' && !BLOCK_TAGS.test(value) ? value.replace(/\n/g, '<br>') : value;
    case 'Duration':
      return formatDuration(value, (df as { hide_days?: unknown }).hide_days === 1);
    default:
      return value;
  }
}
