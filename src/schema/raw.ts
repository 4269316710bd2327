/**
 * The shape check of DocType JSON exactly as Frappe ships it (`frappe/core/doctype/doctype/doctype.json`,
 * `frappe/core/doctype/docperm/docperm.json`): the *input* shape, before normalisation. It accepts what real
 * files contain (ints for text, `null`s, booleans for flags, the verbose v13 format) and only rejects values
 * Frappe itself could not make sense of. Properties coworker does not model pass through unchecked.
 *
 * Written by hand rather than with a schema library (docs/DECISIONS.md, "The DocType JSON check without zod"):
 * one walk over the keys a row actually has, building no path or message for valid input, and the same
 * problems (path, message, code) the zod schemas it replaces reported; test/schema/raw.test.ts compares the two.
 *
 * @module
 */
import type { Path, SchemaProblem } from '../errors';

/** Check-like DocField properties (`docfield.json` Check fields); normalised to 0/1, missing → 0. */
export const DOCFIELD_FLAGS = [
  'reqd', 'hidden', 'read_only', 'unique', 'no_copy', 'set_only_once', 'allow_on_submit', 'non_negative',
  'fetch_if_empty', 'ignore_user_permissions', 'ignore_xss_filter', 'is_virtual', 'collapsible', 'in_list_view',
  'remember_last_selected_value', 'translatable', 'is_custom_field', 'not_nullable', 'no_default', 'bold',
  'print_hide', 'print_hide_if_no_value', 'report_hide', 'in_standard_filter', 'in_preview', 'in_filter',
  'in_global_search', 'allow_bulk_edit', 'allow_in_quick_entry', 'search_index', 'sticky', 'show_on_timeline',
  'hide_border', 'show_dashboard', 'sort_options', 'make_attachment_public', 'hide_days', 'hide_seconds',
] as const;

/** Integer DocField properties; missing → 0. */
export const DOCFIELD_INTS = ['permlevel', 'length', 'columns'] as const;

/** Expression-like / reference text DocField properties; missing or '' → `undefined`. */
export const DOCFIELD_OPTIONAL_TEXTS = [
  'depends_on', 'mandatory_depends_on', 'read_only_depends_on', 'collapsible_depends_on', 'fetch_from',
  'insert_after', 'oldfieldtype', 'link_filters',
] as const;

/** Check-like DocType properties (`doctype.json`); missing → 0 (JSON import skips schema defaults, `frappe/model/meta.py`). */
export const DOCTYPE_FLAGS = [
  'istable', 'issingle', 'is_submittable', 'is_tree', 'is_virtual', 'custom', 'track_changes', 'allow_import',
  'allow_rename', 'quick_entry', 'editable_grid', 'allow_copy', 'track_seen', 'track_views', 'read_only',
  'in_create', 'queue_in_background', 'show_name_in_global_search', 'show_title_field_in_link',
  'translated_doctype', 'has_web_view', 'allow_guest_to_view', 'index_web_pages_for_search', 'hide_toolbar',
  'allow_events_in_timeline', 'allow_auto_repeat', 'is_calendar_and_gantt', 'email_append_to', 'beta',
  'protect_attached_files', 'make_attachments_public', 'force_re_route_to_default_view', 'show_preview_popup',
] as const;

/** Text DocType properties that drive behaviour; missing → ''. */
export const DOCTYPE_TEXTS = [
  'autoname', 'naming_rule', 'name_case', 'title_field', 'search_fields', 'sort_field', 'sort_order',
  'nsm_parent_field',
] as const;

/** The rights of a DocPerm row (`frappe/core/doctype/docperm/docperm.json`) plus `if_owner`; missing → 0. */
export const DOCPERM_FLAGS = [
  'if_owner', 'select', 'read', 'write', 'create', 'delete', 'submit', 'cancel', 'amend', 'report', 'export',
  'import', 'share', 'print', 'email', 'set_user_permissions',
] as const;

/** A short, safe description of a JSON value for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ` (field "x")` when the row has a usable fieldname, so messages name the field. */
export function fieldLabel(row: unknown): string {
  return isRecord(row) && typeof row.fieldname === 'string' && row.fieldname !== '' ? ` (field "${row.fieldname}")` : '';
}

/**
 * What an optional property may hold, and what the message says otherwise. Flags and ints are read with
 * Frappe's `cint()`, so numbers, booleans, numeric text and null are all fine; some text properties are stored
 * as numbers in real files (`"default": 0`, `"precision": 2`); the rest are text or null.
 */
interface Rule {
  readonly ok: (v: unknown) => boolean;
  readonly what: string;
}

/** A JSON scalar: text, a boolean, a finite number, or null (or absent). */
const scalar = (v: unknown): boolean =>
  v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const textOrNull = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

const FLAG: Rule = { ok: scalar, what: '0 or 1' };
const INT: Rule = { ok: scalar, what: 'an integer' };
const TEXTISH: Rule = { ok: scalar, what: 'text' };
const TEXT: Rule = { ok: textOrNull, what: 'text' };

function rules(...groups: ReadonlyArray<readonly [readonly string[], Rule]>): ReadonlyMap<string, Rule> {
  const map = new Map<string, Rule>();
  for (const [keys, rule] of groups) for (const k of keys) map.set(k, rule);
  return map;
}

const FIELD_RULES = rules([['label', 'default', 'precision', 'description'], TEXTISH], [['options'], TEXT], [DOCFIELD_FLAGS, FLAG],
  [DOCFIELD_INTS, INT], [DOCFIELD_OPTIONAL_TEXTS, TEXT]);
const PERM_RULES = rules([['permlevel'], INT], [DOCPERM_FLAGS, FLAG]);
const DOCTYPE_RULES = rules([['module'], TEXT], [DOCTYPE_FLAGS, FLAG], [DOCTYPE_TEXTS, TEXT]);

/** Collects problems; no list, path or message is built until the first one. */
class Problems {
  list: SchemaProblem[] | undefined;

  /**
   * The subject leads the message: the property, `the row` for an array item, `the input` for the root.
   * `field` is the field row the problem is in, named at the end of the message.
   */
  add(path: Path, message: string, code: string, field?: unknown): void {
    const last = path[path.length - 1];
    const subject = typeof last === 'string' ? `${last} ` : path.length === 0 ? 'the input ' : 'the row ';
    (this.list ??= []).push({ path, message: `${subject}${message}${fieldLabel(field)}`, code });
  }

  typeError(path: Path, what: string, value: unknown, field?: unknown): void {
    this.add(path, `must be ${what}, got ${describe(value)}`, 'invalid_type', field);
  }
}

/**
 * Where a row is: `[]` for the DocType itself, `[array, index]` for an item. Kept as two arguments so that a
 * valid row costs no path array; paths are built only for problems.
 */
function pathOf(array: string | undefined, index: number, key?: string | number): Path {
  const at: (string | number)[] = array === undefined ? [] : [array, index];
  if (key !== undefined) at.push(key);
  return at;
}

/** A required text property (`name`, `role`, `fieldname`, `fieldtype`), optionally non-empty. */
function checkRequiredText(row: Record<string, unknown>, key: string, nonEmpty: boolean, out: Problems, array: string | undefined, index: number, field?: unknown): void {
  const v = row[key];
  if (typeof v === 'string') {
    if (nonEmpty && v.length === 0) out.add(pathOf(array, index, key), 'must not be empty', 'too_small', field);
  } else if (v === undefined) out.add(pathOf(array, index, key), 'is required', 'invalid_type', field);
  else out.typeError(pathOf(array, index, key), 'text', v, field);
}

/** The row's own properties against their rules (walking the few keys present, not every key a rule knows). */
function checkProps(row: Record<string, unknown>, table: ReadonlyMap<string, Rule>, out: Problems, array: string | undefined, index: number, field?: unknown): void {
  for (const k of Object.keys(row)) {
    const rule = table.get(k);
    if (rule && !rule.ok(row[k])) out.typeError(pathOf(array, index, k), rule.what, row[k], field);
  }
}

type RowCheck = (row: Record<string, unknown>, out: Problems, array: string, index: number) => void;

const checkField: RowCheck = (row, out, array, index) => {
  // Every problem of a field row names the field, except one about the fieldname itself.
  checkRequiredText(row, 'fieldname', false, out, array, index);
  checkRequiredText(row, 'fieldtype', false, out, array, index, row);
  checkProps(row, FIELD_RULES, out, array, index, row);
};

const checkPerm: RowCheck = (row, out, array, index) => {
  checkRequiredText(row, 'role', true, out, array, index);
  checkProps(row, PERM_RULES, out, array, index);
};

/** An optional array of objects, each passing `check` when given. */
function checkRows(raw: Record<string, unknown>, key: string, out: Problems, check?: RowCheck): void {
  const rows = raw[key];
  if (rows === undefined) return;
  if (!Array.isArray(rows)) {
    out.typeError([key], 'an array', rows);
    return;
  }
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!isRecord(row)) out.typeError([key, i], 'an object', row);
    else check?.(row, out, key, i);
  }
}

/**
 * Check the shape of parsed DocType JSON. Fieldname syntax, duplicates, fieldtypes and required `options` are
 * checked afterwards, in `parse.ts`.
 * @param raw - the parsed JSON (any value)
 * @returns every problem found (path, message, code: `invalid_type` or `too_small`), in no particular order;
 *   empty for well-formed input
 */
export function shapeProblems(raw: unknown): SchemaProblem[] {
  const out = new Problems();
  if (!isRecord(raw)) {
    out.typeError([], 'a JSON object (a DocType)', raw);
    return out.list ?? [];
  }
  checkRequiredText(raw, 'name', true, out, undefined, 0);
  checkProps(raw, DOCTYPE_RULES, out, undefined, 0);
  checkRows(raw, 'fields', out, checkField);
  checkRows(raw, 'permissions', out, checkPerm);
  const order = raw.field_order;
  if (order !== undefined) {
    if (!Array.isArray(order)) out.typeError(['field_order'], 'an array of fieldnames', order);
    else for (let i = 0; i < order.length; i++) if (typeof order[i] !== 'string') out.typeError(['field_order', i], 'text', order[i]);
  }
  checkRows(raw, 'actions', out);
  checkRows(raw, 'links', out);
  checkRows(raw, 'states', out);
  return out.list ?? [];
}
