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
import { setOwn, type JsonObject } from './json';
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

/**
 * Normalise one validated DocField row.
 * @param raw - the row (already cloned; its fieldtype known to be valid)
 * @returns the normalised field, `idx` 0 until the fields are sorted
 */
export function normalizeField(raw: JsonObject): DocField {
  const fieldtype = raw.fieldtype as Fieldtype;
  const options = typeof raw.options === 'string' ? raw.options : '';
  // Every field starts from one template (the same hidden class for all fields, whatever order the file's
  // keys come in); properties coworker does not model follow, as given.
  const out: Record<string, unknown> = { ...FIELD_TEMPLATE };
  out.fieldname = raw.fieldname;
  out.fieldtype = fieldtype;
  out.label = raw.label === null || raw.label === undefined ? undefined : String(raw.label);
  out.options = options;
  out.select_options = fieldtype === 'Select' ? splitSelectOptions(options) : undefined;
  out.default = normalizeDefault(raw.default);
  out.fieldclass = fieldclassOf(fieldtype);
  out.precision = raw.precision === null || raw.precision === undefined ? '' : String(raw.precision);
  // The template holds what a missing flag, int or optional text becomes (0, 0, undefined); only the keys the
  // row has are read (a handful, rather than every key the schema knows).
  for (const key of Object.keys(raw)) {
    const kind = FIELD_KEY_KINDS.get(key);
    if (kind === 'flag') out[key] = toFlag(raw[key]);
    else if (kind === 'int') out[key] = cint(raw[key]);
    else if (kind === 'text') out[key] = optionalText(raw[key]);
    else if (kind === undefined) {
      if (key === '__proto__') setOwn(out, key, raw[key]);
      else out[key] = raw[key];
    }
  }
  return out as unknown as DocField;
}

const FIELD_KEY_KINDS: ReadonlyMap<string, 'flag' | 'int' | 'text' | 'set'> = new Map([
  ...['fieldname', 'fieldtype', 'label', 'options', 'select_options', 'default', 'fieldclass', 'precision', 'idx'].map((k) => [k, 'set'] as const),
  ...DOCFIELD_FLAGS.map((k) => [k, 'flag'] as const),
  ...DOCFIELD_INTS.map((k) => [k, 'int'] as const),
  ...DOCFIELD_OPTIONAL_TEXTS.map((k) => [k, 'text'] as const),
]);

/** The properties {@link normalizeField} sets, in order, with their values when the row lacks them. */
const FIELD_TEMPLATE: Readonly<Record<string, unknown>> = Object.fromEntries([
  ...['fieldname', 'fieldtype', 'label', 'options', 'select_options', 'default', 'fieldclass', 'precision'].map((k) => [k, undefined]),
  ...DOCFIELD_FLAGS.map((k) => [k, 0]),
  ...DOCFIELD_INTS.map((k) => [k, 0]),
  ...DOCFIELD_OPTIONAL_TEXTS.map((k) => [k, undefined]),
  ['idx', 0], // the stored idx is meaningless: Frappe renumbers after sorting
]);

/**
 * Normalise one validated DocPerm row: every right missing → 0 (`frappe/model/meta.py`), permlevel through cint.
 * @param raw - the row (already cloned)
 * @returns the normalised row
 */
export function normalizePerm(raw: JsonObject): DocPerm {
  const out: Record<string, unknown> = { ...raw, role: raw.role, permlevel: cint(raw.permlevel) };
  for (const key of DOCPERM_FLAGS) out[key] = toFlag(raw[key]);
  return out as unknown as DocPerm;
}

/**
 * Normalise the DocType's own properties (not `fields` / `permissions`, which the caller sets).
 * @param raw - the validated, cloned JSON
 * @returns the top-level properties
 */
export function normalizeDoctypeProps(raw: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...raw,
    name: raw.name,
    module: optionalText(raw.module),
  };
  for (const key of DOCTYPE_FLAGS) out[key] = toFlag(raw[key]);
  for (const key of DOCTYPE_TEXTS) out[key] = typeof raw[key] === 'string' ? raw[key] : '';
  return out;
}
