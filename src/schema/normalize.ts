/**
 * Normalisation of validated DocType JSON into the shapes of `types.ts` (one pass, at load time):
 * flags through Frappe's `cint` to 0/1, missing ints to 0, `default` to text or `undefined`, Select options
 * split, `fieldclass` from the fieldtype. Unknown properties are kept as given.
 *
 * Inputs here have passed the shape check in `raw.ts`, so property types are known to be acceptable.
 *
 * @module
 */
import { cint, toFlag } from './cast';
import { DATA_FIELDTYPES, TABLE_FIELDTYPES } from './fieldtypes';
import type { Fieldtype } from './fieldtypes';
import { deepFreeze, setOwn, type JsonObject } from './json';
import { DOCFIELD_FLAGS, DOCFIELD_INTS, DOCFIELD_OPTIONAL_TEXTS, DOCPERM_FLAGS, DOCTYPE_FLAGS, DOCTYPE_TEXTS } from './raw';
import type { DocField, DocPerm, Fieldclass } from './types';

/** `fieldclass` of a fieldtype (`frappe/model/__init__.py`). */
export function fieldclassOf(fieldtype: Fieldtype): Fieldclass {
  if (TABLE_FIELDTYPES.has(fieldtype)) return 'table';
  return DATA_FIELDTYPES.has(fieldtype) ? 'value' : 'display';
}

/**
 * The static default as Frappe holds it: text, with '' meaning "no default" (Frappe tests `if df.default`).
 * Booleans become '1' / '0', as a Check-typed value would be written to the text column.
 */
export function normalizeDefault(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Text that is optional: missing, null and '' all mean "not set". */
function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : String(value);
}

/**
 * Select options as the list Frappe splits them into: `options.split('\n')`, with a trailing '\r'
 * removed from each entry (files edited on Windows). Empty entries are kept: a leading '' means
 * "blank allowed". No options at all gives `[]`.
 */
export function splitSelectOptions(options: string): string[] {
  return options === '' ? [] : options.split('\n').map((option) => option.replace(/\r$/, ''));
}

/** The properties {@link normalizeField} computes from the row, in order, before the flags, ints and texts. */
export const FIELD_SET_KEYS = ['fieldname', 'fieldtype', 'label', 'options', 'select_options', 'default', 'fieldclass', 'precision'] as const;

/**
 * Normalise one validated DocField row.
 * @param raw - the row (already cloned; its fieldtype known to be valid)
 * @returns the normalised field, `idx` 0 until the fields are sorted
 */
export function normalizeField(raw: JsonObject): DocField {
  const fieldtype = raw.fieldtype as Fieldtype;
  const options = typeof raw.options === 'string' ? raw.options : '';
  const out = newField(
    raw.fieldname as string,
    fieldtype,
    raw.label === null || raw.label === undefined ? undefined : String(raw.label),
    options,
    fieldtype === 'Select' ? Object.freeze(splitSelectOptions(options)) : undefined,
    normalizeDefault(raw.default),
    fieldclassOf(fieldtype),
    raw.precision === null || raw.precision === undefined ? '' : String(raw.precision),
  );
  // The new field holds what a missing flag, int or optional text becomes (0, 0, undefined); only the keys the
  // row has are read (a handful, rather than every key the schema knows). Values of properties coworker does not
  // model are kept as given, frozen here: the caller freezes the field itself once its idx is set.
  for (const key of Object.keys(raw)) {
    const kind = FIELD_KEY_KINDS.get(key);
    if (kind === 'flag' || kind === 'int') {
      const v = raw[key];
      // 0 and 1 are what files hold nearly always, and what cint / toFlag make of themselves.
      out[key] = v === 0 || v === 1 ? v : kind === 'flag' ? toFlag(v) : cint(v);
    } else if (kind === 'text') out[key] = optionalText(raw[key]);
    else if (kind === undefined) {
      const value = deepFreeze(raw[key]);
      if (key === '__proto__') setOwn(out, key, value);
      else out[key] = value;
    }
  }
  return out as unknown as DocField;
}

const FIELD_KEY_KINDS: ReadonlyMap<string, 'flag' | 'int' | 'text' | 'set'> = new Map([
  ...FIELD_SET_KEYS.map((k) => [k, 'set'] as const),
  ['idx', 'set'], // the stored idx is meaningless: Frappe renumbers after sorting
  ...DOCFIELD_FLAGS.map((k) => [k, 'flag'] as const),
  ...DOCFIELD_INTS.map((k) => [k, 'int'] as const),
  ...DOCFIELD_OPTIONAL_TEXTS.map((k) => [k, 'text'] as const),
]);

/**
 * A new field with every property {@link normalizeField} sets, in one order (the same hidden class for all
 * fields), each flag and int 0 and each optional text `undefined` until the row says otherwise.
 *
 * Written out as one object literal on purpose: V8 builds a literal in one step, while copying a 58-key template
 * (`{ ...TEMPLATE }`) cost more than the rest of loading a corpus. test/schema/normalize.test.ts checks that its
 * keys are exactly `FIELD_SET_KEYS`, `DOCFIELD_FLAGS`, `DOCFIELD_INTS`, `DOCFIELD_OPTIONAL_TEXTS` and `idx`.
 */
export function newField(
  fieldname: string, fieldtype: Fieldtype, label: string | undefined, options: string, select_options: readonly string[] | undefined,
  defaultValue: string | undefined, fieldclass: Fieldclass, precision: string,
): Record<string, unknown> {
  return {
    fieldname, fieldtype, label, options, select_options, default: defaultValue, fieldclass, precision,
    reqd: 0, hidden: 0, read_only: 0, unique: 0, no_copy: 0, set_only_once: 0, allow_on_submit: 0, non_negative: 0,
    fetch_if_empty: 0, ignore_user_permissions: 0, ignore_xss_filter: 0, is_virtual: 0, collapsible: 0, in_list_view: 0,
    remember_last_selected_value: 0, translatable: 0, is_custom_field: 0, not_nullable: 0, no_default: 0, bold: 0,
    print_hide: 0, print_hide_if_no_value: 0, report_hide: 0, in_standard_filter: 0, in_preview: 0, in_filter: 0,
    in_global_search: 0, allow_bulk_edit: 0, allow_in_quick_entry: 0, search_index: 0, sticky: 0, show_on_timeline: 0,
    hide_border: 0, show_dashboard: 0, sort_options: 0, make_attachment_public: 0, hide_days: 0, hide_seconds: 0,
    permlevel: 0, length: 0, columns: 0,
    depends_on: undefined, mandatory_depends_on: undefined, read_only_depends_on: undefined, collapsible_depends_on: undefined,
    fetch_from: undefined, insert_after: undefined, oldfieldtype: undefined, link_filters: undefined,
    idx: 0,
  };
}

/**
 * Normalise one validated DocPerm row: every right missing → 0 (`frappe/model/meta.py`), permlevel through cint.
 * @param raw - the row (already cloned)
 * @returns the normalised row
 */
export function normalizePerm(raw: JsonObject): DocPerm {
  const missing: Record<string, unknown> = {};
  for (const key of DOCPERM_FLAGS) if (!Object.hasOwn(raw, key)) missing[key] = 0;
  // Spreads only, as in normalizeDoctypeProps: the row stays a fast object.
  const out: Record<string, unknown> = { ...raw, role: raw.role, permlevel: cint(raw.permlevel), ...missing };
  for (const key of DOCPERM_FLAGS) if (Object.hasOwn(raw, key)) out[key] = toFlag(raw[key]);
  return out as unknown as DocPerm;
}

/**
 * Normalise the DocType's own properties. Keys keep the JSON's order; flags and texts the JSON lacks follow,
 * then `tail`'s keys (the caller's `fields`, `field_order`, `permissions`) where the JSON does not have them.
 * Built with spreads only, so the object stays in V8's fast mode (adding ~40 properties one by one does not).
 * @param raw - the validated, cloned JSON
 * @param tail - properties set last
 * @returns the top-level properties
 */
export function normalizeDoctypeProps(raw: JsonObject, tail: Record<string, unknown> = {}): Record<string, unknown> {
  const missing: Record<string, unknown> = {};
  for (const key of DOCTYPE_FLAGS) if (!Object.hasOwn(raw, key)) missing[key] = 0;
  for (const key of DOCTYPE_TEXTS) if (!Object.hasOwn(raw, key)) missing[key] = '';
  const out: Record<string, unknown> = { ...raw, name: raw.name, module: optionalText(raw.module), ...missing, ...tail };
  for (const key of DOCTYPE_FLAGS) {
    if (!Object.hasOwn(raw, key)) continue;
    const v = raw[key];
    out[key] = v === 0 || v === 1 ? v : toFlag(v);
  }
  for (const key of DOCTYPE_TEXTS) if (Object.hasOwn(raw, key)) out[key] = typeof raw[key] === 'string' ? raw[key] : '';
  return out;
}
