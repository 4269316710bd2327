/**
 * Per-field checks of Frappe's `Document._validate`, steps 2–5 (`frappe/model/base_document.py`): data-field
 * formats (Phone fieldtype; Data with options Email / Name / Phone / URL), Select options, `non_negative`,
 * column length. Plus the checks Frappe leaves to the database driver, which a headless engine must make
 * itself: a list on a non-table field, a value of the wrong kind, a malformed date, invalid JSON.
 *
 * Checks report {@link Issue}s and never throw. They expect the *coerced* value ({@link coerceValue}), as
 * Frappe validates the document after `get_valid_dict`-style conversion.
 *
 * @module
 */
import type { Issue, IssueCode } from '../issues';
import { makeIssue } from '../issues';
import type { DocField } from '../schema/types';
import { fieldLabel } from '../schema/fields';
import { DATETIME_FIELDTYPES, TABLE_FIELDTYPES, VARCHAR_FIELDTYPES } from '../schema/fieldtypes';
import { isCheckedSelect, isPlainObject, isTruthy } from './predicates';
import {
  checkInternationalPhone,
  escapeHtml,
  invalidEmailParts,
  isValidDataPhone,
  isValidPersonName,
  isValidUrl,
  splitEmails,
  STANDARD_USERS,
} from './formats';
import { cint, flt } from './number';
import { isCanonicalTemporal, isTemporalFormat } from './canonical';
import { cstr, pyFloatFromString, pyIntFromString, pyLen, pyStrip } from '../util/pystr';

/** Where a value sits: which document, and for child rows which row. */
export interface ValueContext {
  /** DocType of the document (or of the child row). */
  readonly doctype: string;
  /** The document's `name`, used in length messages ("{doctype} {name}"). */
  readonly docname?: string | undefined;
  /** For a child row: its 1-based `idx`, the parent's Table fieldname, and the row's `name`. */
  readonly row?: { readonly idx: number; readonly table: string; readonly name?: string | undefined } | undefined;
  /** The document's `owner`: Email checks are skipped when owner and value are both standard users. */
  readonly owner?: string | undefined;
  /** The document's docstatus (0 draft, 1 submitted, 2 cancelled). */
  readonly docstatus?: number | undefined;
  /** True for a Single DocType: Frappe skips the length check (values are stored as text). */
  readonly issingle?: boolean | undefined;
  /** IANA zone in which coercion reads a `Date` object or a date string with an offset. @default 'UTC' */
  readonly timeZone?: string | undefined;
}

/** The label Frappe prints for a field (the shared `fieldLabel`: `label`, else the unscrubbed fieldname). */
export const labelOf = fieldLabel;

/** Build an issue carrying the field, the row and the value. */
export function fieldIssue(code: IssueCode, message: string, df: DocField, value: unknown, ctx: ValueContext): Issue {
  return makeIssue(code, message, {
    doctype: ctx.doctype,
    field: df.fieldname,
    ...(ctx.row ? { row: ctx.row.idx, table: ctx.row.table, rowname: ctx.row.name } : {}),
    value,
  });
}

/** Fieldtypes whose stored value is text: anything but an object, a list or a Date is storable as text. */
const NUMERIC_TEXT_TYPES = new Set(['Long Int', 'Duration']);

function kindIssue(df: DocField, value: unknown, ctx: ValueContext): Issue | undefined {
  const ft = df.fieldtype;
  const label = labelOf(df);
  if (ft === 'Float' || ft === 'Currency' || ft === 'Percent' || ft === 'Rating') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return fieldIssue('INVALID_VALUE', `${label}: ${String(value)} is not a valid number`, df, value, ctx);
    }
    return undefined;
  }
  if (NUMERIC_TEXT_TYPES.has(ft)) {
    const ok =
      value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && (pyStrip(value) === '' || pyIntFromString(value) !== undefined ||
        Number.isFinite(pyFloatFromString(value) ?? NaN)));
    return ok ? undefined : fieldIssue('INVALID_VALUE', `${label}: ${cstr(value)} is not a valid number`, df, value, ctx);
  }
  if (ft === 'JSON' || ft === 'Check' || ft === 'Int' || DATETIME_FIELDTYPES.has(ft)) return undefined;
  if (value !== null && typeof value === 'object') {
    return fieldIssue('INVALID_VALUE', `${label}: a ${ft} field cannot hold ${cstr(value)}`, df, value, ctx);
  }
  return undefined;
}

/** `validate_phone_number_with_country_code` (Phone fieldtype), two messages as in Frappe. */
function phoneFieldIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (!isTruthy(value)) return [];
  const phone = cstr(value);
  const outcome = checkInternationalPhone(phone);
  if (outcome === 'valid') return [];
  const message =
    outcome === 'country_code_required'
      ? `Please select a country code for field ${df.fieldname}.`
      : `Phone Number ${phone} set in field ${df.fieldname} is not valid.`;
  return [fieldIssue('INVALID_PHONE', message, df, value, ctx)];
}

/** `_validate_data_fields` for one Data field with options. */
function dataOptionIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (!isTruthy(value)) return [];
  if (df.oldfieldtype && df.oldfieldtype !== 'Data') return [];
  const data = cstr(value);
  switch (df.options) {
    case 'Email': {
      if (ctx.owner !== undefined && STANDARD_USERS.includes(ctx.owner) && STANDARD_USERS.includes(data)) return [];
      return splitEmails(data)
        .flatMap(invalidEmailParts)
        .map((e) => fieldIssue('INVALID_EMAIL', `${escapeHtml(e)} is not a valid Email Address`, df, value, ctx));
    }
    case 'Name':
      return isValidPersonName(data)
        ? []
        : [fieldIssue('INVALID_NAME', `${pyStrip(data)} is not a valid Name`, df, value, ctx)];
    case 'Phone':
      return isValidDataPhone(data)
        ? []
        : [fieldIssue('INVALID_PHONE', `${pyStrip(data)} is not a valid Phone Number`, df, value, ctx)];
    case 'URL':
      return isValidUrl(data) ? [] : [fieldIssue('INVALID_URL', `'${data}' is not a valid URL`, df, value, ctx)];
    default:
      return [];
  }
}

/** `_validate_selects` for one field (the value is expected stripped already, see coerceValue). */
function selectIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (!isCheckedSelect(df) || !isTruthy(value)) return [];
  const options = splitOptions(df);
  const v = pyStrip(cstr(value));
  if (options.includes(v)) return [];
  const prefix = ctx.row ? `Row #${ctx.row.idx}:` : '';
  // Frappe formats '{0} {1} cannot be...' with an empty prefix for parents; we drop that leading space.
  const message = `${prefix} ${labelOf(df)} cannot be "${v}". It should be one of "${options.join('", "')}"`.trimStart();
  return [fieldIssue('INVALID_SELECT', message, df, value, ctx)];
}

/** `_validate_non_negative` for one field. */
function nonNegativeIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (!df.non_negative || !(df.fieldtype === 'Int' || df.fieldtype === 'Float' || df.fieldtype === 'Currency')) return [];
  if (!(flt(value) < 0)) return [];
  const message = ctx.row
    ? `${ctx.doctype} Row #${ctx.row.idx}: Value cannot be negative for ${labelOf(df)}`
    : `Value cannot be negative for ${ctx.doctype}: ${labelOf(df)}`;
  return [fieldIssue('NEGATIVE_VALUE', message, df, value, ctx)];
}

const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

/** |cint(value)| as an exact integer (Python ints are unbounded; JS numbers are not above 2^53). */
function intMagnitude(value: unknown): bigint {
  if (typeof value === 'bigint') return value < 0n ? -value : value;
  if (typeof value === 'string' && pyIntFromString(value) !== undefined) {
    const b = BigInt(pyStrip(value).replace(/_/g, ''));
    return b < 0n ? -b : b;
  }
  return BigInt(Math.abs(cint(value)));
}

const splitCache = new WeakMap<DocField, readonly string[]>();
/** Select options split exactly as Frappe splits them (on `\n` only), once per (frozen) field. */
function splitOptions(df: DocField): readonly string[] {
  let options = splitCache.get(df);
  if (!options) splitCache.set(df, (options = df.options.split('\n')));
  return options;
}

/** `_validate_length` for one field. */
function lengthIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (ctx.issingle) return [];
  let max: bigint | number;
  let exceeded: boolean;
  if (VARCHAR_FIELDTYPES.has(df.fieldtype)) {
    max = df.length || 140; // normalised to an integer when the DocType was parsed
    const text = cstr(value);
    // UTF-16 length >= code points, so only a long string needs counting.
    exceeded = text.length > max && pyLen(text) > max;
  } else if (df.fieldtype === 'Int' || df.fieldtype === 'Long Int') {
    // Int is int(11) unless length > 11 switches it to bigint; Long Int is bigint(20).
    max = df.fieldtype === 'Long Int' || cint(df.length) > 11 ? BIGINT_MAX : INT_MAX;
    // A number past 2^53 is already rounded to a double (2^63 - 1 arrives as 2^63): compared as a double, so the
    // column's largest value, 2^63 - 1, is accepted as Frappe accepts it; only the 2^63..2^63+1024 band, which
    // rounds to the same double, is accepted where Frappe refuses (docs/values.md).
    exceeded = typeof value === 'number' && Number.isFinite(value) && !Number.isSafeInteger(value)
      ? Math.abs(Math.trunc(value)) > Number(max)
      : intMagnitude(value) > max;
  } else {
    return [];
  }
  if (!exceeded) return [];
  const ref = ctx.row ? `${ctx.doctype}, Row ${ctx.row.idx}` : ctx.docname ? `${ctx.doctype} ${ctx.docname}` : ctx.doctype;
  const message = `${ref}: '${labelOf(df)}' (${cstr(value)}) will get truncated, as max characters allowed is ${String(max)}`;
  return [fieldIssue('LENGTH_EXCEEDED', message, df, value, ctx)];
}

/** True when `value` is Frappe's canonical string for this Date / Datetime / Time fieldtype (see values/canonical). */
export function isCanonicalDateValue(fieldtype: string, value: string): boolean {
  return isTemporalFormat(fieldtype) && isCanonicalTemporal(fieldtype, value);
}

const DATE_SHAPES: Readonly<Record<string, string>> = {
  Date: 'YYYY-MM-DD',
  Datetime: 'YYYY-MM-DD HH:MM:SS[.ffffff]',
  Time: 'HH:MM:SS[.ffffff]',
};

function dateIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (!DATETIME_FIELDTYPES.has(df.fieldtype) || value === null || value === undefined) return [];
  if (typeof value === 'string' && isCanonicalDateValue(df.fieldtype, value)) return [];
  const shape = DATE_SHAPES[df.fieldtype] ?? '';
  const message = `${labelOf(df)}: ${cstr(value)} is not a valid ${df.fieldtype} (expected ${shape})`;
  return [fieldIssue('INVALID_DATE', message, df, value, ctx)];
}

function jsonIssues(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  if (df.fieldtype !== 'JSON' || value === null || value === undefined) return [];
  let ok = false;
  if (typeof value === 'string') {
    try {
      JSON.parse(value);
      ok = true;
    } catch {
      ok = false;
    }
  } else if (isPlainObject(value)) {
    try {
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      ok = true;
    } catch {
      ok = false; // a cycle
    }
  }
  return ok ? [] : [fieldIssue('INVALID_JSON', `${labelOf(df)}: value must be a JSON string or object`, df, value, ctx)];
}

/**
 * Every per-field check Frappe's server makes when a document is saved, as issues (never thrown).
 *
 * In order: a list on a non-table field (`LIST_NOT_ALLOWED`, and nothing else is checked); a value of the
 * wrong kind (`INVALID_VALUE`); Phone fieldtype and Data-with-options formats (`INVALID_PHONE`,
 * `INVALID_EMAIL`, `INVALID_NAME`, `INVALID_URL`); Select options (`INVALID_SELECT`); `non_negative`
 * (`NEGATIVE_VALUE`); column length (`LENGTH_EXCEEDED`); Date / Datetime / Time strings (`INVALID_DATE`); JSON
 * (`INVALID_JSON`). Mandatory is separate ({@link isMissing}).
 *
 * @example validateValue(df, 'x', { doctype: 'ToDo' }) // [{ code: 'INVALID_SELECT', message: 'Status cannot be "x". It should be one of "Open", "Closed"', ... }]
 * @param df the field
 * @param value the coerced value
 * @param ctx the document / row the value belongs to
 * @returns the issues, empty when the value is fine
 */
export function validateValue(df: DocField, value: unknown, ctx: ValueContext): Issue[] {
  return valueCheckOf(df)(value, ctx) ?? [];
}

/**
 * A field's compiled check: the same findings as {@link validateValue}, or `undefined` when the value is fine.
 * Which of the checks apply depends on the field alone, so that is decided once per (frozen) field; `null` and
 * `undefined` pass every check and return at once.
 */
export type ValueCheck = (value: unknown, ctx: ValueContext) => Issue[] | undefined;

type Check = (df: DocField, value: unknown, ctx: ValueContext) => Issue[];

const checks = new WeakMap<DocField, ValueCheck>();
const NO_ISSUES: ValueCheck = () => undefined;

/**
 * The compiled check of a field (see {@link ValueCheck}), built on first use and cached per field.
 * @param df the field
 * @returns the check
 */
export function valueCheckOf(df: DocField): ValueCheck {
  let check = checks.get(df);
  if (!check) checks.set(df, (check = compileValueCheck(df)));
  return check;
}

function compileValueCheck(df: DocField): ValueCheck {
  if (TABLE_FIELDTYPES.has(df.fieldtype) || df.fieldclass === 'display') return NO_ISSUES;
  const ft = df.fieldtype;
  const list: Check[] = [];
  if (ft === 'Phone') list.push(phoneFieldIssues);
  if (ft === 'Data' && DATA_OPTIONS.has(df.options) && !(df.oldfieldtype && df.oldfieldtype !== 'Data')) list.push(dataOptionIssues);
  if (isCheckedSelect(df)) list.push(selectIssues);
  if (df.non_negative && (ft === 'Int' || ft === 'Float' || ft === 'Currency')) list.push(nonNegativeIssues);
  const varchar = VARCHAR_FIELDTYPES.has(ft);
  const max = df.length || 140;
  if (ft === 'Int' || ft === 'Long Int') list.push(lengthIssues);
  if (DATETIME_FIELDTYPES.has(ft)) list.push(dateIssues);
  if (ft === 'JSON') list.push(jsonIssues);
  return (value, ctx) => {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return [fieldIssue('LIST_NOT_ALLOWED', `Value for ${labelOf(df)} cannot be a list`, df, value, ctx)];
    const kind = kindIssue(df, value, ctx);
    if (kind) return [kind];
    // Most values are fine: collect only what a check returns.
    let out: Issue[] | undefined;
    for (const check of list) {
      const found = check(df, value, ctx);
      if (found.length) (out ??= []).push(...found);
    }
    // A short string cannot exceed the column (UTF-16 length >= code points): the common case skips the check.
    if (varchar && !(typeof value === 'string' && value.length <= max)) {
      const found = lengthIssues(df, value, ctx);
      if (found.length) (out ??= []).push(...found);
    }
    return out;
  };
}

const DATA_OPTIONS: ReadonlySet<string> = new Set(['Email', 'Name', 'Phone', 'URL']);
