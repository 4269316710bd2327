/**
 * Normalisation of validated DocType JSON into the shapes of `types.ts` (one pass, at load time):
 * flags through Frappe's `cint` to 0/1, missing ints to 0, `default` to text or `undefined`, Select options
 * split, `fieldclass` from the fieldtype. Unknown properties are kept as given.
 *
 * Inputs here have passed the zod schemas in `raw.ts`, so property types are known to be acceptable.
 *
 * @module
 */
import { cint, toFlag } from './cast';
import { DATA_FIELDTYPES, TABLE_FIELDTYPES } from './fieldtypes';
import type { Fieldtype } from './fieldtypes';
import type { JsonObject } from './json';
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
  const out: Record<string, unknown> = {
    ...raw,
    fieldname: raw.fieldname,
    fieldtype,
    label: raw.label === null || raw.label === undefined ? undefined : String(raw.label),
    options,
    select_options: fieldtype === 'Select' ? splitSelectOptions(options) : undefined,
    default: normalizeDefault(raw.default),
    fieldclass: fieldclassOf(fieldtype),
    precision: raw.precision === null || raw.precision === undefined ? '' : String(raw.precision),
  };
  for (const key of DOCFIELD_FLAGS) out[key] = toFlag(raw[key]);
  for (const key of DOCFIELD_INTS) out[key] = cint(raw[key]);
  for (const key of DOCFIELD_OPTIONAL_TEXTS) out[key] = optionalText(raw[key]);
  out.idx = 0; // the stored idx is meaningless: Frappe renumbers after sorting
  return out as unknown as DocField;
}

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
