/**
 * `parseDoctype`: DocType JSON in, frozen normalised {@link DocType} out, or one {@link SchemaError}
 * naming every problem at once (`frappe/model/meta.py`).
 *
 * Two kinds of findings:
 * - *problems* make the JSON unusable and are thrown together (`SCHEMA_INVALID`);
 * - *warnings* are oddities Frappe itself tolerates (a `field_order` entry naming no field, a fieldname
 *   repeated with identical content); they are kept with the DocType, see {@link schemaWarnings}.
 *
 * @module
 */
import { SchemaError } from '../errors';
import type { Path, SchemaProblem } from '../errors';
import { FIELDTYPES, isFieldtype } from './fieldtypes';
import { cloneJson, deepFreeze, isObject, jsonEqual } from './json';
import type { JsonObject } from './json';
import { normalizeDoctypeProps, normalizeField, normalizePerm } from './normalize';
import { describe, fieldLabel as label, shapeProblems } from './raw';
import { sortFields } from './sort-fields';
import { nearest } from './suggest';
import type { DocField, DocType } from './types';

/** Options of {@link parseDoctype}. */
export interface ParseOptions {
  /** Where the JSON came from (a file path, a URL); prefixed to the error message. @default undefined */
  readonly source?: string | undefined;
  /**
   * What to do when two rows share a fieldname with *different* content. `'error'` reports
   * `duplicate_fieldname` (what Frappe's DocType validation says on save); `'last-wins'` keeps the last
   * row at the first row's position with a warning, which is what Frappe's `Meta` does with such a file
   * (its field map is keyed by fieldname). Identical repeated rows are always merged with a warning.
   * @default 'error'
   */
  readonly duplicateFieldnames?: 'error' | 'last-wins' | undefined;
}

/** Internal extras used when customizations are applied (`customize.ts`). */
export interface BuildExtras {
  /** `field_order` set by a Property Setter: re-sorts after custom fields are appended (Meta.sort_fields). */
  readonly metaFieldOrder?: readonly string[] | undefined;
  /** Warnings found while applying customizations, kept with the result. */
  readonly warnings?: readonly SchemaProblem[] | undefined;
}

/** Frappe's fieldname rule: Python `re.search(r"\W", name)` must not match (Unicode letters allowed). */
const FIELDNAME = /^[\p{L}\p{N}_]+$/u;

/**
 * Names Frappe refuses for a field when a DocType is saved (`BaseDocument._reserved_keywords`, checked by
 * `check_invalid_fieldnames` in `frappe/core/doctype/doctype/doctype.py`): they are attributes of every document.
 */
export const RESERVED_FIELDNAMES: ReadonlySet<string> = new Set([
  'doctype', 'meta', 'flags', 'parent_doc', '_table_fields', '_valid_columns', '_doc_before_save', '_table_fieldnames',
  '_reserved_keywords', 'permitted_fieldnames', 'dont_update_if_missing',
]);

/** Frappe's `MAX_COLUMN_LENGTH` (`validate_column_length`): a fieldname is a column name. */
export const MAX_FIELDNAME_LENGTH = 64;

/**
 * Why a fieldname is refused, or `undefined`: Frappe's rules on save (only `\w` characters, not a reserved
 * keyword, at most 64 characters) plus coworker's own: a `__` prefix marks private keys in documents
 * (`__islocal`, `__unsaved` in Frappe too; `__proto__` is also JavaScript's prototype accessor).
 */
function fieldnameProblem(fieldname: string): { message: string; code: string } | undefined {
  if (fieldname === '') return { message: 'fieldname must not be empty', code: 'invalid_fieldname' };
  if (!FIELDNAME.test(fieldname)) return { message: `fieldname ${describe(fieldname)} may only contain letters, digits and _`, code: 'invalid_fieldname' };
  if (RESERVED_FIELDNAMES.has(fieldname)) return { message: `fieldname "${fieldname}" is a reserved keyword (Frappe refuses it)`, code: 'reserved_fieldname' };
  if (fieldname.startsWith('__')) return { message: `fieldname "${fieldname}" starts with "__", which marks private keys of a document`, code: 'reserved_fieldname' };
  if (fieldname.length > MAX_FIELDNAME_LENGTH) return { message: `fieldname "${fieldname}" is longer than ${MAX_FIELDNAME_LENGTH} characters`, code: 'invalid_fieldname' };
  return undefined;
}

const LINK_LIKE: Readonly<Record<string, string>> = {
  Link: 'the target DocType',
  Table: 'the child DocType',
  'Table MultiSelect': 'the child DocType',
};

/** Where a DocType came from: its original JSON and the options it was parsed with. */
export interface Origin {
  /** The private copy of the JSON; never changed, and only read to be copied (frozen by {@link originalJson}). */
  readonly json: unknown;
  readonly options: ParseOptions;
}

const origins = new WeakMap<DocType, Origin>();
const warningsOf = new WeakMap<DocType, readonly SchemaProblem[]>();

/**
 * Parse and normalise a DocType JSON document exactly as Frappe ships it.
 *
 * @example
 * const todo = parseDoctype(JSON.parse(text), { source: 'todo.json' });
 * todo.fields[0].idx; // 1
 *
 * @param json - the parsed JSON (any value; non-DocTypes are rejected with a SchemaError)
 * @param options - see {@link ParseOptions}
 * @returns the frozen, normalised DocType
 * @throws {SchemaError} `SCHEMA_INVALID`, with `issues` listing every problem
 */
export function parseDoctype(json: unknown, options: ParseOptions = {}): DocType {
  return buildDoctype(json, options, {});
}

/**
 * Warnings found while loading a DocType (and applying its customizations): problems Frappe tolerates.
 * @param doctype - a DocType returned by this module
 * @returns the warnings, empty when none (or when the object did not come from `parseDoctype`)
 */
export function schemaWarnings(doctype: DocType): readonly SchemaProblem[] {
  return warningsOf.get(doctype) ?? [];
}

/**
 * The JSON a DocType was parsed from (a frozen deep copy), so customizations can be re-applied from scratch.
 * @param doctype - a DocType returned by this module
 * @returns the original JSON, or `undefined` for an object not produced here
 */
export function originalJson(doctype: DocType): unknown {
  const origin = origins.get(doctype);
  // Frozen when first handed out rather than when built: inside coworker it is only ever copied.
  return origin ? deepFreeze(origin.json) : undefined;
}

/**
 * The original JSON and parse options of a DocType built here (internal: the registry re-derives from it).
 * @param doctype - any object
 * @returns the origin, or `undefined` for an object not produced here
 */
export function originOf(doctype: DocType): Origin | undefined {
  return origins.get(doctype);
}

/**
 * Record where a DocType came from (customized DocTypes point at the uncustomized JSON).
 * @param doctype - a DocType built by {@link buildDoctype}
 * @param origin - the frozen original JSON and its parse options
 */
export function rememberOrigin(doctype: DocType, origin: Origin): void {
  origins.set(doctype, origin);
}

/** Implementation of {@link parseDoctype}, also used by the registry with customization extras. */
export function buildDoctype(json: unknown, options: ParseOptions, extras: BuildExtras): DocType {
  return finishDoctype(checkDoctypeJson(json, options, extras.warnings), options, extras);
}

/** DocType JSON that passed every check: a private copy, the field rows to keep, and the warnings so far. */
export interface CheckedDoctypeJson {
  readonly raw: JsonObject;
  readonly name: string;
  readonly kept: readonly JsonObject[];
  readonly warnings: readonly SchemaProblem[];
}

/**
 * The checking half of {@link parseDoctype}: copy the input, check its shape (`raw.ts`) and its fields. Everything that can refuse a DocType happens here, so a registry can
 * check at `add` and build the normalised DocType when it is first used ({@link finishDoctype}).
 * @throws {SchemaError} `SCHEMA_INVALID`, with `issues` listing every problem
 */
export function checkDoctypeJson(json: unknown, options: ParseOptions, initialWarnings: readonly SchemaProblem[] = []): CheckedDoctypeJson {
  let raw: unknown;
  try {
    raw = cloneJson(json);
  } catch {
    throw fail(undefined, [{ path: [], message: 'is not JSON data (it contains a cycle)', code: 'not_json' }], options);
  }
  const name = isObject(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  const problems: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [...initialWarnings];

  const shape = shapeProblems(raw);
  if (shape.length > 0) problems.push(...shape);
  if (!isObject(raw)) throw fail(name, problems, options);

  const rows = Array.isArray(raw.fields) ? raw.fields : [];
  const kept = checkFields(rows, options, problems, warnings);
  if (problems.length > 0) throw fail(name, sortProblems(problems), options);
  return { raw, name: name as string, kept, warnings };
}

/**
 * The building half of {@link parseDoctype}: normalise, sort and freeze checked JSON (never throws).
 * @param checked - from {@link checkDoctypeJson}
 * @param options - the parse options (kept with the DocType's origin)
 * @param extras - customization extras
 * @returns the frozen DocType
 */
export function finishDoctype(checked: CheckedDoctypeJson, options: ParseOptions, extras: BuildExtras): DocType {
  const { raw, kept } = checked;
  const warnings = [...checked.warnings];
  // From here on the input is known to be well formed, so the casts below are sound.
  const fields = kept.map(normalizeField);
  const standard = fields.filter((f) => !f.is_custom_field);
  const custom = fields.filter((f) => f.is_custom_field);
  const fieldOrder = Array.isArray(raw.field_order) ? (raw.field_order as string[]) : undefined;
  const stored = sortFields(standard, fieldOrder);
  for (const entry of stored.unknownEntries) {
    warnings.push({ path: ['field_order'], message: `field_order names "${entry}", which is not a field`, code: 'unknown_field_order_entry' });
  }
  let ordered: DocField[] = [...stored.fields, ...custom];
  if (custom.length > 0 || extras.metaFieldOrder) {
    const meta = sortFields(ordered, extras.metaFieldOrder);
    for (const entry of meta.unknownEntries) {
      warnings.push({ path: ['field_order'], message: `the field_order Property Setter names "${entry}", which is not a field`, code: 'unknown_field_order_entry' });
    }
    ordered = meta.fields;
  }
  // The fields are this build's own objects (normalised above), numbered in place, then frozen (their values are
  // frozen already, so the deep freeze below stops at each field).
  ordered.forEach((field, index) => {
    (field as { idx: number }).idx = index + 1;
    Object.freeze(field);
  });
  const finalFields: DocField[] = ordered;

  const doctype = deepFreeze(normalizeDoctypeProps(raw, {
    fields: finalFields,
    field_order: finalFields.map((f) => f.fieldname),
    permissions: (Array.isArray(raw.permissions) ? (raw.permissions as JsonObject[]) : []).map(normalizePerm),
  })) as unknown as DocType;
  origins.set(doctype, { json: raw, options });
  warningsOf.set(doctype, Object.freeze(warnings));
  return doctype;
}

/**
 * Field checks beyond the shape: fieldname syntax, duplicates, known fieldtype, required `options`.
 * @returns the rows to keep (duplicates merged), in stored order
 */
function checkFields(rows: readonly unknown[], options: ParseOptions, problems: SchemaProblem[], warnings: SchemaProblem[]): JsonObject[] {
  const kept: JsonObject[] = [];
  const firstIndex = new Map<string, number>();
  const keptSlot = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!isObject(row)) return; // reported by the shape check
    const { fieldname, fieldtype } = row;
    if (typeof fieldname === 'string') {
      const problem = fieldnameProblem(fieldname);
      if (problem) problems.push({ path: ['fields', i, 'fieldname'], ...problem });
      const first = firstIndex.get(fieldname);
      if (first !== undefined) {
        const identical = jsonEqual(rows[first], row);
        if (!identical && options.duplicateFieldnames !== 'last-wins') {
          problems.push({ path: ['fields', i, 'fieldname'], message: `fieldname "${fieldname}" is already used by fields[${first}]`, code: 'duplicate_fieldname' });
        } else {
          warnings.push({
            path: ['fields', i, 'fieldname'],
            message: identical
              ? `fieldname "${fieldname}" repeats fields[${first}] with identical content; merged`
              : `fieldname "${fieldname}" is already used by fields[${first}]; the later row wins, as in Frappe's Meta`,
            code: 'duplicate_fieldname',
          });
          kept[keptSlot.get(fieldname) ?? 0] = row;
        }
        return;
      }
      firstIndex.set(fieldname, i);
      keptSlot.set(fieldname, kept.length);
    }
    if (typeof fieldtype === 'string') {
      if (!isFieldtype(fieldtype)) {
        const guess = nearest(fieldtype, FIELDTYPES);
        problems.push({
          path: ['fields', i, 'fieldtype'],
          message: `unknown fieldtype ${describe(fieldtype)}${guess ? `; did you mean "${guess}"?` : ''}${label(row)}`,
          code: 'unknown_fieldtype',
        });
      } else if (LINK_LIKE[fieldtype] && (row.options === undefined || row.options === null || (typeof row.options === 'string' && row.options.trim() === ''))) {
        problems.push({ path: ['fields', i, 'options'], message: `a ${fieldtype} field needs options naming ${LINK_LIKE[fieldtype]}${label(row)}`, code: 'missing_options' });
      }
    }
    kept.push(row);
  });
  return kept;
}

/** Stable sort by path (numbers numerically), so problems read top to bottom. */
function sortProblems(problems: SchemaProblem[]): SchemaProblem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => comparePaths(a.problem.path, b.problem.path) || a.order - b.order)
    .map(({ problem }) => problem);
}

function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

function fail(name: string | undefined, problems: SchemaProblem[], options: ParseOptions): SchemaError {
  const error = new SchemaError('SCHEMA_INVALID', name, problems);
  if (options.source) error.message = `${options.source}: ${error.message}`;
  return error;
}
