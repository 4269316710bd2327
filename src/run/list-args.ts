/**
 * Frappe's list API (`frappe.get_list(doctype, {filters, or_filters, fields, order_by, limit_start,
 * limit_page_length})`) translated to the storage {@link Query}, so every adapter answers it the same way.
 *
 * The semantics are those of `frappe/model/db_query.py` (`DatabaseQuery.prepare_filter_condition`) on
 * PostgreSQL, the database of the oracle:
 * - Frappe wraps most columns in `ifnull(column, fallback)`: a null matches when the fallback (`''` for text,
 *   `'0001-01-01'` for Date...) satisfies the condition, e.g. `!= 'Open'`, `< 'b'`, `not in (...)` and
 *   `= ''` match nulls, `= 'Open'`, `like '%x%'` and `is set` do not; numeric columns never match a null;
 * - `like` is `ilike` (case-insensitive), but `not like` stays case-sensitive (Frappe rewrites only `like`);
 *   `=` is case-sensitive;
 * - `in` values are `cstr(v).strip()`ed, a string is split on commas, and an empty list means `in ('')`;
 * - `between` on a Datetime with dates spans the whole days (`get_between_date_filter`);
 * - no `fields` means `name` only; no `order_by` means the DocType's `sort_field` / `sort_order`
 *   (default `modified desc`); `limit_page_length` 0 or missing means no limit.
 *
 * The tree operators (`descendants of`, `ancestors of`, their `not` forms, `descendants of (inclusive)`)
 * become `in` / `not in` the node names, as Frappe does. Refused with `LIST_UNSUPPORTED`: `timespan` / `previous` /
 * `next`, raw SQL condition strings, field expressions (`count(*)`, `x as y`), and `like` patterns the
 * storage Query cannot express exactly (`_`, or `%` between two literal parts). Everything else malformed is
 * `INVALID_RUN`. Filters on a child DocType (`[child, field, op, value]`, or a field only a child table has)
 * select the parents having at least one matching row (each parent once; Frappe's join repeats a parent per
 * matching row). Filtering or sorting on a field above the user's read level is `PERMISSION_DENIED` (Frappe v15
 * checks only `fields`; a filter would leak the values one guess at a time).
 *
 * @module
 */
import type { DocType } from '../schema/types';
import { tableSchema, type Column } from '../storage/columns';
import type { OrderBy, Query, Scalar, Where } from '../storage/types';
import { RunFailure } from './codes';
import { isRealDate } from '../values/canonical';

/** The list arguments `select` takes in `input`. */
export const LIST_ARGUMENTS = ['filters', 'or_filters', 'fields', 'order_by', 'limit_start', 'limit_page_length', 'start', 'page_length', 'limit'] as const;

/** Frappe list arguments coworker knows but does not take. */
const UNSUPPORTED_ARGUMENTS = new Set(['group_by', 'distinct', 'pluck', 'as_list', 'with_childnames', 'docstatus', 'debug', 'ignore_permissions', 'user', 'join', 'with_comment_count', 'ignore_ifnull', 'parent_doctype', 'reference_doctype', 'run', 'strict', 'update', 'add_total_row', 'user_settings', 'save_user_settings', 'save_user_settings_fields', 'ignore_ddl']);

const OPERATORS = new Set(['=', '!=', '>', '<', '>=', '<=', 'like', 'not like', 'in', 'not in', 'is', 'between']);
const REFUSED_OPERATORS = new Set(['timespan', 'previous', 'next']);
/** Frappe's NestedSetHierarchy operators (`frappe/database/utils.py`), answered through {@link ListEnvironment.tree}. */
const TREE_OPERATORS = new Set(['descendants of', 'not descendants of', 'ancestors of', 'not ancestors of', 'descendants of (inclusive)']);
/** Fieldtypes whose `ifnull` Frappe leaves out (their columns are NOT NULL DEFAULT 0 there). */
const DATE_FORMATS = new Set(['Date', 'Datetime']);

/**
 * The most values an `in` / `not in` list (or a child-table filter's parents) may have. SQL adapters bind one
 * parameter per value, and PostgreSQL (65,535) and SQLite (32,766) cap parameters per statement; past this a
 * list is refused with a clear code rather than failing inside storage.
 */
export const MAX_IN_VALUES = 10_000;

/** Rows of a child DocType whose parents a filter selects. */
export interface ChildFilter {
  readonly child: DocType;
  /** The Table fields of the parent that hold this child. */
  readonly parentfields: readonly string[];
  readonly where: Where;
}

/** Resolves a child filter to the names of the parents having a matching row. */
export type ParentResolver = (filter: ChildFilter) => Promise<readonly string[]>;

/** What {@link listQuery} needs from the engine. */
export interface ListEnvironment {
  /** Finds a child DocType by name. */
  readonly child: (name: string) => DocType | undefined;
  /** Finds the parents having a child row matching a filter. */
  readonly resolve: ParentResolver;
  /**
   * Whether the user may read a field (filters and sorting on a field above the user's read level would leak
   * its values, so they are refused with `PERMISSION_DENIED`). @default every field is readable
   */
  readonly canRead?: (doctype: DocType, fieldname: string) => boolean;
  /**
   * The names of a tree node's descendants or ancestors (ordered by `lft`), for the tree operators; a node
   * that does not exist has none. Without it the tree operators are `LIST_UNSUPPORTED`.
   */
  readonly tree?: (doctype: string, name: string, relation: 'ancestors' | 'descendants') => Promise<readonly string[]>;
}

/** Where the translated arguments came from, for messages. */
type Args = Readonly<Record<string, unknown>>;

const invalid = (message: string): RunFailure => new RunFailure('INVALID_RUN', `get_list: ${message}`);
const unsupported = (message: string): RunFailure => new RunFailure('LIST_UNSUPPORTED', `get_list: ${message}`);
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Whether a select's `input` carries anything to translate (anything but an empty `data`, which is refused). */
export function hasListArguments(input: Args | null | undefined): boolean {
  if (!input) return false;
  const data = input.data;
  const emptyData = data === undefined || (typeof data === 'object' && data !== null && Object.keys(data).length === 0);
  return Object.keys(input).some((k) => k !== 'data') || !emptyData;
}

function parseJsonArg(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw invalid(`${name} is a string that is not JSON: ${show(value)}`);
  }
}

function cstr(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
}

const DATE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?(?:Z|[+-]\d{2}:?\d{2})?$/;

const isClockText = (t: string): boolean => Number(t.slice(0, 2)) <= 23 && Number(t.slice(3, 5)) <= 59 && (t.length < 8 || Number(t.slice(6, 8)) <= 59);

/** `frappe.db.format_date` / `format_datetime` on a filter value. */
function dateValue(col: Column, value: unknown, endOfDay = false): string {
  const m = DATE.exec(cstr(value).trim());
  // The shape alone passes 2024-02-30 or 25:00: PostgreSQL refuses those (DatetimeFieldOverflow), so do we.
  if (m && !(isRealDate(Number(m[1]!.slice(0, 4)), Number(m[1]!.slice(5, 7)), Number(m[1]!.slice(8, 10))) && (!m[2] || isClockText(m[2])))) {
    throw invalid(`${col.fieldname}: ${show(value)} is not a real ${col.format === 'Date' ? 'date' : 'date and time'}`);
  }
  if (!m) throw invalid(`${col.fieldname} holds ${col.format === 'Date' ? 'dates' : 'datetimes'}; ${show(value)} is not one`);
  if (col.format === 'Date') return m[1]!;
  if (m[2]) return `${m[1]} ${m[2].length === 5 ? `${m[2]}:00` : m[2]}`;
  return `${m[1]} ${endOfDay ? '23:59:59.999999' : '00:00:00'}`;
}

/** A filter value as the column holds it: numbers through `flt`-like parsing, text through `cstr`. */
function scalar(col: Column, value: unknown): Scalar {
  if (col.kind === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    const text = cstr(value).replace(/,/g, '').trim();
    if (text === '') return 0;
    const n = Number(text);
    if (!Number.isFinite(n)) throw invalid(`${col.fieldname} holds numbers; ${show(value)} is not one`);
    return n;
  }
  if (typeof value === 'object' && value !== null) throw invalid(`${col.fieldname}: ${show(value)} is not a single value`);
  if (col.format && DATE_FORMATS.has(col.format) && cstr(value) !== '') return dateValue(col, value);
  return cstr(value);
}

/** Frappe's `ifnull` fallback of a text column. */
function fallback(col: Column): string {
  return col.format === 'Date' ? '0001-01-01' : col.format === 'Datetime' ? '0001-01-01 00:00:00.000000' : col.format === 'Time' ? '00:00:00' : '';
}

function compare(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** Attach Frappe's null behaviour to a condition whose own null behaviour is `condMatchesNull`. */
function withNulls(field: string, cond: Where, condMatchesNull: boolean, nullMatches: boolean): Where {
  if (nullMatches && !condMatchesNull) return { OR: [cond, { [field]: null }] };
  if (!nullMatches && condMatchesNull) return { AND: [cond, { [field]: { not: null } }] };
  return cond;
}

/** A `like` pattern as storage operators, when they express it exactly (`insensitive`: Frappe's `ilike`). */
function likePattern(col: Column, pattern: string, insensitive: boolean): Where {
  const field = col.fieldname;
  const mode = insensitive ? 'insensitive' : 'default';
  if (pattern.includes('_')) {
    throw unsupported(`like ${show(pattern)} on ${field}: "_" (any one character) cannot be expressed exactly; use "%" patterns`);
  }
  const parts = pattern.split('%');
  if (parts.length === 1) return { [field]: { equals: pattern, mode } };
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  if (middle.length === 0 && first === '' && last === '') return { [field]: { not: null } };
  if (middle.length === 0 && (first === '' || last === '')) {
    return first !== '' ? { [field]: { startsWith: first, mode } } : { [field]: { endsWith: last, mode } };
  }
  if (middle.length === 1 && first === '' && last === '') return { [field]: { contains: middle[0]!, mode } };
  throw unsupported(`like ${show(pattern)} on ${field}: only "x", "x%", "%x" and "%x%" patterns can be expressed exactly`);
}

/** Whether `text` matches a `%`-only like pattern (only ever asked for `''`, so case does not matter). */
function likeMatches(text: string, pattern: string): boolean {
  const parts = pattern.split('%');
  const t = text;
  if (parts.length === 1) return t === parts[0];
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === 0) {
      if (!t.startsWith(p)) return false;
      at = p.length;
    } else if (i === parts.length - 1) return t.length - p.length >= at && t.endsWith(p);
    else {
      const found = t.indexOf(p, at);
      if (found < 0) return false;
      at = found + p.length;
    }
  }
  return true;
}

function inValues(col: Column, value: unknown): Scalar[] {
  const raw = value === null || value === undefined || value === '' ? [] : typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(raw)) throw invalid(`in / not in on ${col.fieldname} needs a list or a comma-separated string, got ${show(value)}`);
  if (raw.length > MAX_IN_VALUES) throw unsupported(`in / not in on ${col.fieldname}: ${raw.length} values; at most ${MAX_IN_VALUES} are supported`);
  const texts = raw.map((v: unknown) => cstr(v).trim());
  const list = texts.length === 0 ? [''] : texts; // Frappe: `in ('')`
  if (col.kind !== 'number') return list.map((t) => (col.format && DATE_FORMATS.has(col.format) && t !== '' ? dateValue(col, t) : t));
  return list.filter((t) => t !== '').map((t) => scalar(col, t));
}

/** One filter on one column of the table being queried. */
function columnCondition(col: Column, operator: string, value: unknown): Where {
  const field = col.fieldname;
  const op = operator.toLowerCase();
  const numeric = col.kind === 'number';
  if (col.kind === 'json') throw invalid(`${field} is a JSON field and cannot be filtered`);
  const stamp = field === 'creation' || field === 'modified';
  switch (op) {
    case 'is': {
      if (value === 'set') return numeric ? { [field]: { not: null } } : { AND: [{ [field]: { not: null } }, { [field]: { not: '' } }] };
      if (value === 'not set') return numeric ? { [field]: null } : { [field]: { in: ['', null] } };
      throw invalid(`"is" takes "set" or "not set", not ${show(value)}`);
    }
    case 'in':
    case 'not in': {
      const values = inValues(col, value);
      const hasBlank = values.includes('');
      if (op === 'in') return withNulls(field, { [field]: { in: values } }, false, !numeric && hasBlank);
      return withNulls(field, { [field]: { notIn: values } }, true, !numeric && !hasBlank);
    }
    case 'like':
    case 'not like': {
      if (numeric) throw invalid(`${op} needs a text field; ${field} holds numbers`);
      const pattern = cstr(value);
      // Frappe turns `like` into `ilike` on PostgreSQL, but leaves `not like` alone: it stays case-sensitive.
      const like = likePattern(col, pattern, op === 'like');
      // ifnull(col, '') unless the pattern is non-empty (`like`) -- then a null never matches.
      const nullLike = likeMatches('', pattern) && (op === 'not like' || pattern === '');
      if (op === 'like') return withNulls(field, like, false, nullLike);
      return withNulls(field, { NOT: like }, true, !likeMatches('', pattern));
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw invalid(`between on ${field} needs [from, to], got ${show(value)}`);
      if (!col.format || !DATE_FORMATS.has(col.format)) throw invalid(`between needs a Date or Datetime field (as in Frappe); ${field} is not one`);
      // Frappe never matches a null here (no ifnull).
      return { AND: [{ [field]: { gte: dateValue(col, value[0]) } }, { [field]: { lte: dateValue(col, value[1], true) } }] };
    }
    default: {
      // Frappe gives no usable answer for None (`= None` matches nothing on Data, fails on other text types).
      if (value === null || value === undefined) throw invalid(`${field} ${op} null: use ["is", "not set"] or ["is", "set"]`);
      const v = scalar(col, value);
      const cond: Where = op === '=' ? { [field]: v } : op === '!=' ? { [field]: { not: v } }
        : { [field]: { [({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[op as '<']]: v } };
      if (numeric) return withNulls(field, cond, op === '!=', false);
      const noIfnull = (stamp && op !== '=' && op !== '!=') || ((op === '>' || op === '>=') && col.format !== undefined && DATE_FORMATS.has(col.format));
      const nullMatches = !noIfnull && compare(fallback(col), op, String(v));
      return withNulls(field, cond, op === '!=', nullMatches);
    }
  }
}

interface Tuple {
  readonly doctype: string | undefined;
  readonly field: unknown;
  readonly op: unknown;
  readonly value: unknown;
}

/** Frappe's filter shapes (dict, list of lists / dicts) as [doctype, field, operator, value] tuples. */
function tuples(name: string, filters: unknown): Tuple[] {
  const parsed = parseJsonArg(name, filters);
  if (parsed === undefined || parsed === null) return [];
  const fromEntry = (key: string, v: unknown): Tuple => {
    if (Array.isArray(v)) {
      if (v.length < 2) throw invalid(`${name}.${key}: [operator, value] expected, got ${show(v)}`);
      return { doctype: undefined, field: key, op: v[0], value: v[1] };
    }
    return { doctype: undefined, field: key, op: '=', value: v };
  };
  if (!Array.isArray(parsed)) {
    if (typeof parsed !== 'object') throw invalid(`${name} must be a dict or a list of filters, got ${show(parsed)}`);
    return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => fromEntry(k, v));
  }
  return parsed.map((f: unknown, i): Tuple => {
    if (typeof f === 'string') {
      throw unsupported(`${name}[${i}] is a string; raw SQL conditions are not accepted (give [field, operator, value], e.g. [["status", "=", "Open"]])`);
    }
    if (Array.isArray(f)) {
      if (f.length === 3) return { doctype: undefined, field: f[0], op: f[1], value: f[2] };
      if (f.length >= 4) return { doctype: typeof f[0] === 'string' && f[0] !== '' ? f[0] : undefined, field: f[1], op: f[2], value: f[3] };
      throw invalid(`${name}[${i}]: a filter has 3 or 4 values ([doctype,] fieldname, operator, value), got ${show(f)}`);
    }
    if (typeof f === 'object' && f !== null) {
      const [entry] = Object.entries(f as Record<string, unknown>);
      if (!entry) throw invalid(`${name}[${i}] is an empty dict`);
      return fromEntry(entry[0], entry[1]);
    }
    throw invalid(`${name}[${i}] is not a filter: ${show(f)}`);
  });
}

interface Context extends ListEnvironment {
  readonly doctype: DocType;
}

function checkReadable(ctx: Context, doctype: DocType, fieldname: string, what: string): void {
  if (ctx.canRead && !ctx.canRead(doctype, fieldname)) {
    throw new RunFailure('PERMISSION_DENIED', `get_list: ${what} on ${doctype.name}.${fieldname}, a field you may not read`);
  }
}

/** The parent's Table fields holding `child`. */
function tablesOf(doctype: DocType, child: string): string[] {
  return tableSchema(doctype).tables.filter((t) => t.childDoctype === child).map((t) => t.fieldname);
}

async function tupleCondition(ctx: Context, name: string, t: Tuple): Promise<Where> {
  if (typeof t.field !== 'string' || !/^[\p{L}\p{N}_]+$/u.test(t.field)) {
    throw invalid(`${name}: ${show(t.field)} is not a fieldname`);
  }
  const op = typeof t.op === 'string' && t.op.trim() !== '' ? t.op.trim().toLowerCase() : t.op === undefined || t.op === null || t.op === '' ? '=' : undefined;
  if (op === undefined) throw invalid(`${name}: operator ${show(t.op)} is not a string`);
  if (REFUSED_OPERATORS.has(op)) throw unsupported(`operator "${op}" (on ${t.field}) is not supported yet`);
  if (TREE_OPERATORS.has(op)) return treeCondition(ctx, name, t, op);
  if (!OPERATORS.has(op)) throw invalid(`operator ${show(t.op)} (on ${t.field}) must be one of ${[...OPERATORS].join(', ')}`);
  const own = tableSchema(ctx.doctype);
  let target = t.doctype ?? ctx.doctype.name;
  // Frappe's get_filter: a field the DocType lacks is looked up in its child tables.
  if (target === ctx.doctype.name && !own.byName.has(t.field)) {
    const holder = own.tables.map((tb) => ctx.child(tb.childDoctype)).find((c) => c && tableSchema(c).byName.has(t.field as string));
    if (holder) target = holder.name;
  }
  if (target === ctx.doctype.name) {
    const col = own.byName.get(t.field);
    if (!col) throw invalid(`${ctx.doctype.name} has no field ${show(t.field)}`);
    checkReadable(ctx, ctx.doctype, t.field, 'a filter');
    return columnCondition(col, op, t.value);
  }
  const child = ctx.child(target);
  const parentfields = child ? tablesOf(ctx.doctype, child.name) : [];
  if (!child || parentfields.length === 0) throw invalid(`${target} is not a child table of ${ctx.doctype.name}`);
  const col = tableSchema(child).byName.get(t.field);
  if (!col) throw invalid(`${target} has no field ${show(t.field)}`);
  checkReadable(ctx, child, t.field, 'a filter');
  const names = [...new Set(await ctx.resolve({ child, parentfields, where: columnCondition(col, op, t.value) }))];
  if (names.length > MAX_IN_VALUES) {
    throw unsupported(`the filter on ${target}.${t.field} matches rows of ${names.length} documents; at most ${MAX_IN_VALUES} are supported (narrow it with another filter)`);
  }
  return { name: { in: names } };
}

/**
 * A tree operator as Frappe's `prepare_filter_condition` runs it: the nodes under (or above) the value in the
 * DocType the field links to (the queried DocType for a field that is not a DocField, such as `name`), then
 * `in` / `not in` those names with Frappe's `ifnull` (no nodes is `in ('')`).
 */
async function treeCondition(ctx: Context, name: string, t: Tuple, op: string): Promise<Where> {
  let holder = t.doctype ?? ctx.doctype.name;
  // Frappe's get_filter: a field the DocType lacks is looked up in its child tables.
  if (holder === ctx.doctype.name && !tableSchema(ctx.doctype).byName.has(String(t.field))) {
    holder = tableSchema(ctx.doctype).tables.map((tb) => ctx.child(tb.childDoctype)).find((c) => c && tableSchema(c).byName.has(String(t.field)))?.name ?? holder;
  }
  const dt = holder === ctx.doctype.name ? ctx.doctype : ctx.child(holder);
  const df = dt?.fields.find((f) => f.fieldname === t.field);
  const ref = df ? (df.fieldtype === 'Link' ? df.options : undefined) : dt?.name;
  if (!ref) throw invalid(`${name}: "${op}" needs a Link field to a tree DocType, or name; ${show(t.field)} is not one`);
  if (!ctx.tree) throw unsupported(`operator "${op}" (on ${String(t.field)}) is not supported here`);
  if (t.value !== null && t.value !== undefined && typeof t.value !== 'string' && typeof t.value !== 'number') {
    throw invalid(`${name}: "${op}" takes one node name, got ${show(t.value)}`);
  }
  const value = cstr(t.value);
  const nodes = value === '' ? [] : [...await ctx.tree(ref, value, op.includes('ancestors') ? 'ancestors' : 'descendants')];
  if (op === 'descendants of (inclusive)') nodes.push(value);
  if (nodes.length > MAX_IN_VALUES) throw unsupported(`"${op}" ${show(value)} names ${nodes.length} nodes; at most ${MAX_IN_VALUES} are supported`);
  return tupleCondition(ctx, name, { ...t, op: op.startsWith('not ') ? 'not in' : 'in', value: nodes });
}

function fieldsArg(doctype: DocType, value: unknown): string[] | undefined {
  let list = value;
  if (typeof value === 'string') {
    if (value.trim() === '*') return undefined;
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      list = value.split(',').map((f) => f.trim());
    }
  }
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) throw invalid(`fields must be a list of fieldnames, got ${show(value)}`);
  const out: string[] = [];
  for (const raw of list as string[]) {
    const f = plainName(doctype, raw.trim());
    if (f === '*') return undefined;
    if (f === undefined) throw unsupported(`field ${show(raw)}: only fieldnames and "*" are supported (no aliases, functions or child-table fields)`);
    if (f !== '') out.push(f);
  }
  return out;
}

/** `name`, `` `name` ``, `` `tabX`.`name` `` or `tabX.name` (X the queried DocType) as `name`. */
function plainName(doctype: DocType, text: string): string | undefined {
  const m = /^(?:`?tab([^`.]+)`?\.)?`?([\p{L}\p{N}_]+|\*)`?$/u.exec(text);
  if (!m || (m[1] !== undefined && m[1] !== doctype.name)) return text === '' ? '' : undefined;
  return m[2];
}

function orderByArg(doctype: DocType, value: unknown): OrderBy {
  if (typeof value !== 'string') throw invalid(`order_by must be a string such as "modified desc", got ${show(value)}`);
  const keys: Record<string, 'asc' | 'desc'>[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)(?:\s+(asc|desc))?$/i.exec(part);
    const field = m ? plainName(doctype, m[1]!) : undefined;
    if (!m || !field || field === '*') throw unsupported(`order_by ${show(part)}: only "fieldname [asc|desc]" is supported`);
    keys.push({ [field]: (m[2] ?? 'asc').toLowerCase() as 'asc' | 'desc' });
  }
  return keys;
}

/** Frappe's default ordering: `sort_field` (possibly "a desc, b asc") and `sort_order`, else `modified desc`. */
function defaultOrder(doctype: DocType): OrderBy {
  const sortField = doctype.sort_field;
  if (sortField && sortField.includes(',')) return orderByArg(doctype, sortField);
  const field = sortField || 'modified';
  const order = ((sortField && doctype.sort_order) || 'desc').toLowerCase() === 'asc' ? 'asc' : 'desc';
  return [{ [field]: order }];
}

function count(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === false) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`${name} must be a non-negative integer, got ${show(value)}`);
  return n;
}

/**
 * Translate Frappe's `get_list` arguments into a storage query.
 *
 * @example
 * await listQuery(salesOrder, { filters: { status: 'Draft', grand_total: ['>', 100] }, fields: ['name'], order_by: 'modified desc', limit_page_length: 20 }, lookup, resolver);
 * // { where: { AND: [...] }, orderBy: [{ modified: 'desc' }], take: 20, fields: ['name'] }
 * @param doctype - the DocType listed
 * @param args - `input` of the select run (every key but `data` is a list argument)
 * @param env - child DocTypes, the parent resolver and the read check (see {@link ListEnvironment})
 * @param native - the run's own `query` (`where` is AND-ed; giving both `order_by` and `orderBy`, a limit and
 *   `take`, a start and `skip`, or two `fields` is an error)
 * @returns the query (without permission narrowing)
 * @throws {RunFailure} `INVALID_RUN` for a malformed or unknown argument, `LIST_UNSUPPORTED` for what is refused,
 *   `PERMISSION_DENIED` for a filter or sort on a field the user may not read
 */
export async function listQuery(doctype: DocType, args: Args, env: ListEnvironment, native: Query = {}): Promise<Query> {
  for (const key of Object.keys(args)) {
    if (key === 'data') {
      const data = args.data;
      if (data === undefined || (typeof data === 'object' && data !== null && Object.keys(data).length === 0)) continue;
      throw invalid('select takes no input.data; give filters instead');
    }
    if ((LIST_ARGUMENTS as readonly string[]).includes(key)) continue;
    if (UNSUPPORTED_ARGUMENTS.has(key)) throw unsupported(`argument "${key}" is not supported`);
    throw invalid(`unknown argument "${key}" (select takes ${LIST_ARGUMENTS.join(', ')})`);
  }
  const given = (key: string) => args[key] !== undefined && args[key] !== null && args[key] !== '';
  const clash = (frappeKeys: string[], nativeKey: keyof Query) => {
    const k = frappeKeys.find(given);
    if (k && native[nativeKey] !== undefined) throw invalid(`give either input.${k} or query.${nativeKey}, not both`);
  };
  clash(['order_by'], 'orderBy');
  clash(['start', 'limit_start'], 'skip');
  clash(['page_length', 'limit', 'limit_page_length'], 'take');
  clash(['fields'], 'fields');
  const ctx: Context = { ...env, doctype };
  const and: Where[] = native.where ? [native.where] : [];
  for (const t of tuples('filters', args.filters)) and.push(await tupleCondition(ctx, 'filters', t));
  const ors = tuples('or_filters', args.or_filters);
  if (ors.length) {
    const items: Where[] = [];
    for (const t of ors) items.push(await tupleCondition(ctx, 'or_filters', t));
    and.push({ OR: items });
  }
  const start = count('start', args.start) ?? count('limit_start', args.limit_start) ?? native.skip;
  const length = count('page_length', args.page_length) ?? count('limit', args.limit) ?? count('limit_page_length', args.limit_page_length) ?? native.take;
  const fields = given('fields') ? fieldsArg(doctype, args.fields) : native.fields ?? ['name'];
  const orderBy = given('order_by') ? orderByArg(doctype, args.order_by) : native.orderBy ?? defaultOrder(doctype);
  if (given('order_by')) for (const key of Array.isArray(orderBy) ? orderBy : [orderBy]) for (const f of Object.keys(key)) checkReadable(ctx, doctype, f, 'sorting');
  return {
    ...(and.length ? { where: and.length === 1 ? and[0]! : { AND: and } } : {}),
    orderBy,
    ...(start ? { skip: start } : {}),
    ...(length ? { take: length } : {}),
    ...(fields ? { fields } : {}),
    ...(native.withChildren !== undefined ? { withChildren: native.withChildren } : {}),
  };
}
