/**
 * Custom Fields and Property Setters (`frappe/model/meta.py` `Meta.add_custom_fields` and
 * `Meta.apply_property_setters`), applied to a DocType's *original* JSON so the result never depends on
 * what was applied before:
 * 1. custom fields are appended in `idx` order with `is_custom_field = 1`;
 * 2. property setters are applied in the given order, each value cast with Frappe's `cast(property_type, value)`;
 *    a `field_order` Property Setter (a JSON list) becomes the ordering authority;
 * 3. the result is normalised and sorted like any DocType (`Meta.sort_fields`).
 * A setter whose field or row does not exist is skipped, as Frappe skips it, and reported as a warning.
 *
 * @module
 */
import { SchemaError } from '../errors';
import type { SchemaProblem } from '../errors';
import { cast, cint } from './cast';
import { cloneJson, isObject, setOwn } from './json';
import type { JsonObject } from './json';
import { buildDoctype, rememberOrigin } from './parse';
import type { Origin } from './parse';
import { describe } from './raw';
import type { CustomFieldInput, DocType, PropertySetterInput } from './types';

/** What `Registry.applyCustomizations` takes: Custom Field and Property Setter records. */
export interface CustomizationsInput {
  readonly customFields?: readonly CustomFieldInput[] | undefined;
  readonly propertySetters?: readonly PropertySetterInput[] | undefined;
}

const customized = new WeakSet<DocType>();

/**
 * Whether a DocType was built by {@link customizeDoctype} (so its uncustomized form must be re-derived).
 * @param doctype - a DocType
 * @returns true for a customized DocType
 */
export function isCustomized(doctype: DocType): boolean {
  return customized.has(doctype);
}

const ROW_TABLES: Readonly<Record<string, string>> = {
  'DocType Link': 'links',
  'DocType Action': 'actions',
  'DocType State': 'states',
};

/** DocType properties a Property Setter may not replace: they are the DocType's identity and tables. */
const PROTECTED = new Set(['name', 'fields', 'permissions', 'actions', 'links', 'states']);

/**
 * Check Custom Field / Property Setter records before anything is applied; report every problem at once.
 * @param input - the records (any value; bad shapes are reported, never a TypeError)
 * @param isKnown - whether a DocType name is registered
 * @returns the records, typed
 * @throws {SchemaError} `SCHEMA_CUSTOMIZATION` naming each bad record by path (`['customFields', 2, 'dt']`)
 */
export function checkCustomizations(input: unknown, isKnown: (doctype: string) => boolean): { customFields: CustomFieldInput[]; propertySetters: PropertySetterInput[] } {
  const problems: SchemaProblem[] = [];
  const report = (path: (string | number)[], message: string, code: string) => problems.push({ path, message, code });
  if (!isObject(input)) throw new SchemaError('SCHEMA_CUSTOMIZATION', undefined, [{ path: [], message: `customizations must be an object, got ${describe(input)}`, code: 'invalid_type' }]);
  const list = (key: 'customFields' | 'propertySetters'): unknown[] => {
    const value = input[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    report([key], `${key} must be an array, got ${describe(value)}`, 'invalid_type');
    return [];
  };
  const requireText = (row: JsonObject, path: (string | number)[], key: string): string | undefined => {
    const value = row[key];
    if (typeof value === 'string' && value !== '') return value;
    report([...path, key], value === undefined || value === null || value === '' ? `${key} is required` : `${key} must be text, got ${describe(value)}`, value === undefined ? 'required' : 'invalid_type');
    return undefined;
  };
  const knownDoctype = (row: JsonObject, path: (string | number)[], key: string) => {
    const name = requireText(row, path, key);
    if (name !== undefined && !isKnown(name)) report([...path, key], `DocType "${name}" is not registered`, 'unknown_doctype');
  };

  const customFields = list('customFields');
  customFields.forEach((row, i) => {
    const path = ['customFields', i];
    if (!isObject(row)) return void report(path, `a Custom Field must be an object, got ${describe(row)}`, 'invalid_type');
    knownDoctype(row, path, 'dt');
    requireText(row, path, 'fieldname');
    requireText(row, path, 'fieldtype');
  });
  const propertySetters = list('propertySetters');
  propertySetters.forEach((row, i) => {
    const path = ['propertySetters', i];
    if (!isObject(row)) return void report(path, `a Property Setter must be an object, got ${describe(row)}`, 'invalid_type');
    knownDoctype(row, path, 'doc_type');
    const property = requireText(row, path, 'property');
    const target = requireText(row, path, 'doctype_or_field');
    if (target === 'DocType') {
      if (property !== undefined && PROTECTED.has(property)) report([...path, 'property'], `a Property Setter cannot replace the DocType's "${property}"`, 'protected_property');
    } else if (target === 'DocField') requireText(row, path, 'field_name');
    else if (target !== undefined && ROW_TABLES[target]) requireText(row, path, 'row_name');
    else if (target !== undefined) report([...path, 'doctype_or_field'], `doctype_or_field must be one of DocType, DocField, ${Object.keys(ROW_TABLES).join(', ')}; got ${describe(target)}`, 'invalid_value');
  });
  if (problems.length > 0) throw new SchemaError('SCHEMA_CUSTOMIZATION', undefined, problems);
  return { customFields: customFields as CustomFieldInput[], propertySetters: propertySetters as PropertySetterInput[] };
}

/**
 * Identity of a Custom Field record, for upserts: Frappe names it `{dt}-{fieldname}`.
 * @param cf - a checked Custom Field
 * @returns its key
 */
export function customFieldKey(cf: CustomFieldInput): string {
  return `${cf.dt}\u0000${cf.fieldname}`;
}

/**
 * Identity of a Property Setter record, for upserts: one value per target and property.
 * @param ps - a checked Property Setter
 * @returns its key
 */
export function propertySetterKey(ps: PropertySetterInput): string {
  return [ps.doc_type, ps.doctype_or_field, ps.field_name ?? ps.row_name ?? '', ps.property].join('\u0000');
}

/**
 * Build a DocType from its original JSON plus the customizations for it.
 * @param origin - the JSON the DocType was first parsed from, and its parse options
 * @param customFields - this DocType's Custom Fields (checked), in any order
 * @param propertySetters - this DocType's Property Setters (checked), in application order
 * @returns the customized DocType (frozen); its `originalJson` is `origin.json`
 * @throws {SchemaError} `SCHEMA_CUSTOMIZATION` when the result is not a valid DocType
 */
export function customizeDoctype(
  origin: Origin,
  customFields: readonly CustomFieldInput[],
  propertySetters: readonly PropertySetterInput[],
): DocType {
  const raw = cloneJson(origin.json) as JsonObject;
  const standard = Array.isArray(raw.fields) ? raw.fields : [];
  const standardNames = new Set(standard.filter(isObject).map((f) => f.fieldname));
  const problems: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [];

  // Custom fields are appended ordered by idx (Meta.add_custom_fields: `order_by="idx"`), stable otherwise.
  const ordered = customFields.map((cf, i) => ({ cf, i })).sort((a, b) => cint(a.cf.idx) - cint(b.cf.idx) || a.i - b.i);
  const sourceIndex: number[] = []; // position in `customFields` of each appended row, for error paths
  const appended = ordered.map(({ cf, i }) => {
    if (standardNames.has(cf.fieldname)) {
      problems.push({ path: ['customFields', i, 'fieldname'], message: `"${raw.name}" already has a field named "${cf.fieldname}"`, code: 'duplicate_fieldname' });
    }
    sourceIndex.push(i);
    return { ...(cloneJson(cf) as JsonObject), is_custom_field: 1 };
  });
  const fields: unknown[] = [...standard, ...appended];
  raw.fields = fields;

  let metaFieldOrder: string[] | undefined;
  propertySetters.forEach((ps, j) => {
    const value = cast(ps.property_type, ps.value);
    const path = ['propertySetters', j];
    if (ps.doctype_or_field === 'DocType') {
      if (ps.property === 'field_order') metaFieldOrder = parseFieldOrder(value, path, problems);
      else setOwn(raw, ps.property, value);
      return;
    }
    const rows = ps.doctype_or_field === 'DocField' ? fields : raw[ROW_TABLES[ps.doctype_or_field] ?? ''];
    const key = ps.doctype_or_field === 'DocField' ? 'fieldname' : 'name';
    const wanted = ps.doctype_or_field === 'DocField' ? ps.field_name : ps.row_name;
    const row = Array.isArray(rows) ? rows.find((r) => isObject(r) && r[key] === wanted) : undefined;
    if (isObject(row)) setOwn(row, ps.property, value);
    else warnings.push({ path, message: `${ps.doctype_or_field} "${String(wanted)}" not found in "${raw.name}"; Property Setter skipped`, code: 'customization_target_missing' });
  });
  if (problems.length > 0) throw new SchemaError('SCHEMA_CUSTOMIZATION', String(raw.name), problems);

  try {
    const doctype = buildDoctype(raw, origin.options, { metaFieldOrder, warnings });
    rememberOrigin(doctype, origin);
    customized.add(doctype);
    return doctype;
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    // Point problems in appended rows back at the Custom Field record that produced them.
    const remapped = error.issues.map((p) => {
      const [head, index, ...rest] = p.path;
      if (head === 'fields' && typeof index === 'number' && index >= standard.length) {
        return { ...p, path: ['customFields', sourceIndex[index - standard.length] ?? index, ...rest] };
      }
      return p;
    });
    throw new SchemaError('SCHEMA_CUSTOMIZATION', error.doctype, remapped, { cause: error });
  }
}

/** A `field_order` Property Setter holds a JSON list of fieldnames (Meta.sort_fields `json.loads`). */
function parseFieldOrder(value: unknown, path: (string | number)[], problems: SchemaProblem[]): string[] | undefined {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      list = undefined;
    }
  }
  if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return list;
  problems.push({ path: [...path, 'value'], message: `a field_order Property Setter must be a JSON list of fieldnames, got ${describe(value)}`, code: 'invalid_value' });
  return undefined;
}
