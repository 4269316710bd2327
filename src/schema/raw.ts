/**
 * zod schemas for DocType JSON exactly as Frappe ships it (`frappe/core/doctype/doctype/doctype.json`, `frappe/core/doctype/docperm/docperm.json`): the *input*
 * shape, before normalisation. They accept what real files contain (ints for text, `null`s, booleans for
 * flags, the verbose v13 format) and only reject values Frappe itself could not make sense of.
 * Objects are `looseObject`, so properties coworker does not model pass through unchanged.
 *
 * @module
 */
import * as z from 'zod';

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

/** Build a `{ error }` option that says "required" for a missing value and `what` otherwise. */
function msg(what: string, required = false) {
  return {
    error: (issue: { input?: unknown }) =>
      required && issue.input === undefined ? 'is required' : `must be ${what}, got ${describe(issue.input)}`,
  };
}

/** A short, safe description of a JSON value for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

// Flags and ints: Frappe reads them with cint(), so numbers, booleans, numeric text and null are all fine.
const flag = z.union([z.number(), z.boolean(), z.string(), z.null()], msg('0 or 1')).optional();
const int = z.union([z.number(), z.boolean(), z.string(), z.null()], msg('an integer')).optional();
// Text that real files sometimes store as a number (e.g. `"default": 0`, `"precision": 2`).
const textish = z.union([z.string(), z.number(), z.boolean(), z.null()], msg('text')).optional();
const text = z.union([z.string(), z.null()], msg('text')).optional();

function shape<const K extends readonly string[], S extends z.ZodType>(keys: K, schema: S) {
  return Object.fromEntries(keys.map((k) => [k, schema])) as Record<K[number], S>;
}

/** One DocField row as stored. `fieldname` and `fieldtype` are checked further in `parse.ts`. */
export const rawDocFieldSchema = z.looseObject(
  {
    fieldname: z.string(msg('text', true)),
    fieldtype: z.string(msg('text', true)),
    label: textish,
    options: text,
    default: textish,
    precision: textish,
    description: textish,
    ...shape(DOCFIELD_FLAGS, flag),
    ...shape(DOCFIELD_INTS, int),
    ...shape(DOCFIELD_OPTIONAL_TEXTS, text),
  },
  msg('an object'),
);

/** One DocPerm row as stored. */
export const rawDocPermSchema = z.looseObject(
  {
    role: z.string(msg('text', true)).min(1, 'must not be empty'),
    permlevel: int,
    ...shape(DOCPERM_FLAGS, flag),
  },
  msg('an object'),
);

const rows = z.array(z.looseObject({}, msg('an object')), msg('an array')).optional();

/** A DocType JSON document as stored (`frappe/core/doctype/doctype/doctype.json`). */
export const rawDocTypeSchema = z.looseObject(
  {
    name: z.string(msg('text', true)).min(1, 'must not be empty'),
    module: text,
    fields: z.array(rawDocFieldSchema, msg('an array')).optional(),
    permissions: z.array(rawDocPermSchema, msg('an array')).optional(),
    field_order: z.array(z.string(msg('text')), msg('an array of fieldnames')).optional(),
    actions: rows,
    links: rows,
    states: rows,
    ...shape(DOCTYPE_FLAGS, flag),
    ...shape(DOCTYPE_TEXTS, text),
  },
  msg('a JSON object (a DocType)'),
);

export type RawDocField = z.infer<typeof rawDocFieldSchema>;
export type RawDocPerm = z.infer<typeof rawDocPermSchema>;
export type RawDocType = z.infer<typeof rawDocTypeSchema>;

// The common case, checked without zod: `isWellFormed` accepts only input every schema above accepts (it may
// refuse more, e.g. a non-finite number, in which case zod decides and explains). Loading a corpus spends most of
// its time in zod otherwise; a failing file still gets zod's full diagnosis.

const isFlagValue = (v: unknown): boolean =>
  v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isTextValue = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type ValueOk = (v: unknown) => boolean;

/** Every property a schema checks, with its check; other properties pass through (`looseObject`). */
function checksFor(...groups: ReadonlyArray<readonly [readonly string[], ValueOk]>): ReadonlyMap<string, ValueOk> {
  const map = new Map<string, ValueOk>();
  for (const [keys, ok] of groups) for (const k of keys) map.set(k, ok);
  return map;
}
const FIELD_CHECKS = checksFor([['label', 'default', 'precision', 'description'], isFlagValue], [DOCFIELD_FLAGS, isFlagValue],
  [DOCFIELD_INTS, isFlagValue], [DOCFIELD_OPTIONAL_TEXTS, isTextValue], [['options'], isTextValue]);
const PERM_CHECKS = checksFor([['permlevel'], isFlagValue], [DOCPERM_FLAGS, isFlagValue]);
const DOCTYPE_CHECKS = checksFor([DOCTYPE_FLAGS, isFlagValue], [DOCTYPE_TEXTS, isTextValue], [['module'], isTextValue]);

/** The row's own properties pass their checks (walking the few present keys, not every key a schema knows). */
function keysOk(row: Record<string, unknown>, checks: ReadonlyMap<string, ValueOk>): boolean {
  for (const k of Object.keys(row)) {
    const ok = checks.get(k);
    if (ok && !ok(row[k])) return false;
  }
  return true;
}

function fieldOk(row: unknown): boolean {
  return isRecord(row) && typeof row.fieldname === 'string' && typeof row.fieldtype === 'string' && keysOk(row, FIELD_CHECKS);
}

function permOk(row: unknown): boolean {
  return isRecord(row) && typeof row.role === 'string' && row.role.length > 0 && keysOk(row, PERM_CHECKS);
}

const optionalArrayOf = (v: unknown, ok: (item: unknown) => boolean): boolean => v === undefined || (Array.isArray(v) && v.every(ok));

/**
 * True when `raw` certainly passes {@link rawDocTypeSchema}: a cheap check for the common case. `false` means
 * "ask zod", which gives the diagnosis (or accepts what this check is too strict for).
 * @param raw - parsed DocType JSON
 * @returns whether the input is well formed
 */
export function isWellFormed(raw: unknown): boolean {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name.length === 0) return false;
  return optionalArrayOf(raw.fields, fieldOk) && optionalArrayOf(raw.permissions, permOk)
    && optionalArrayOf(raw.field_order, (f) => typeof f === 'string')
    && optionalArrayOf(raw.actions, isRecord) && optionalArrayOf(raw.links, isRecord) && optionalArrayOf(raw.states, isRecord)
    && keysOk(raw, DOCTYPE_CHECKS);
}
