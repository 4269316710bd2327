/**
 * The DocType registry: every DocType a host works with, by name, as immutable snapshots.
 *
 * It resolves Table / Table MultiSelect children, answers "who uses this child", reports problems across
 * DocTypes (`check()`), and holds Custom Fields and Property Setters, which it applies to each DocType's
 * original JSON, so applying the same customizations again changes nothing.
 *
 * @module
 */
import { SchemaError } from '../errors';
import type { SchemaProblem } from '../errors';
import { checkCustomizations, customFieldKey, customizeDoctype, isCustomized, propertySetterKey } from './customize';
import type { CustomizationsInput } from './customize';
import { getField, tableFields } from './fields';
import { isObject } from './json';
import { checkDoctypeJson, finishDoctype, originOf, parseDoctype, schemaWarnings } from './parse';
import type { CheckedDoctypeJson, Origin, ParseOptions } from './parse';
import type { CustomFieldInput, DocField, DocType, PropertySetterInput } from './types';

/** Options of {@link createRegistry}. */
export interface RegistryOptions {
  /**
   * Passed to {@link parseDoctype} for every JSON added. A registry loads DocTypes as Frappe's runtime does:
   * a repeated fieldname keeps the later row (Frappe's `Meta`), with a `duplicate_fieldname` warning in
   * `check()` that lint reports; `'error'` refuses the JSON instead, as Frappe's DocType save does.
   * @default 'last-wins'
   */
  readonly duplicateFieldnames?: ParseOptions['duplicateFieldnames'];
  /**
   * Build every DocType given to `createRegistry` at once. By default each is checked at once (bad JSON still
   * throws from `createRegistry`) but normalised and frozen when first used (`get`, `list`, `check`...), so a
   * host that loads hundreds of DocTypes pays only for those it uses. @default false
   */
  readonly strict?: boolean;
}

/** One finding of {@link Registry.check}. */
export interface SchemaDiagnostic extends SchemaProblem {
  /** `SCHEMA_CHILD_TABLE` for an unresolvable Table field; otherwise the warning's own code. */
  readonly code: string;
  /** The DocType the finding is about. */
  readonly doctype: string;
  /** `error`: the DocType cannot be used as is (a missing child); `warning`: tolerated, as Frappe does. */
  readonly severity: 'error' | 'warning';
  /** The field concerned, when there is one. */
  readonly fieldname?: string | undefined;
  /** For child-table findings: the child DocType named by the field. */
  readonly child?: string | undefined;
  /** For child-table findings: `missing_child_doctype` or `child_not_istable`. */
  readonly reason?: string | undefined;
}

/** A Table field and the DocType holding it. */
export interface ParentLink {
  readonly parent: DocType;
  readonly field: DocField;
}

/** A set of DocTypes by name. Every DocType it returns is frozen; changes produce new objects. */
export interface Registry {
  /**
   * Register a DocType. JSON is parsed; a DocType from `parseDoctype` is taken as is (re-derived from its
   * original JSON when customizations apply).
   * @throws {SchemaError} `SCHEMA_DUPLICATE_DOCTYPE` when the name is taken (use `replace`), or `SCHEMA_INVALID`
   */
  add(json: unknown): DocType;
  /** Register a DocType, replacing any of the same name. Customizations for that name are re-applied. */
  replace(json: unknown): DocType;
  /** @throws {SchemaError} `SCHEMA_UNKNOWN_DOCTYPE` */
  get(name: string): DocType;
  tryGet(name: string): DocType | undefined;
  has(name: string): boolean;
  /** Every DocType, sorted by name (code-unit order, so it is stable across locales). */
  list(): DocType[];
  /**
   * The child DocType of a Table / Table MultiSelect field.
   * @throws {SchemaError} `SCHEMA_UNKNOWN_DOCTYPE` for an unknown parent; `SCHEMA_CHILD_TABLE` when the field
   *   is not a table field, names no registered DocType, or names one that is not `istable`
   */
  childDoctype(doctype: string, tableFieldname: string): DocType;
  /** Every Table / Table MultiSelect field (and its DocType) whose `options` name `childName`. */
  parentsOf(childName: string): ParentLink[];
  /** Problems across the registry: unresolvable Table fields (errors), then load and customization warnings. */
  check(): SchemaDiagnostic[];
  /**
   * Add or update Custom Field and Property Setter records (keyed like Frappe: `dt`+`fieldname`,
   * target+property) and rebuild the affected DocTypes from their original JSON. All or nothing.
   * @throws {SchemaError} `SCHEMA_CUSTOMIZATION` listing every bad record; the registry is then unchanged
   */
  applyCustomizations(customizations: CustomizationsInput): void;
}

/**
 * A registered DocType. JSON given to `createRegistry` is checked at once (a bad file still fails there) and
 * built into its normalised, frozen DocType when first used (`pending` until then); see docs/schema.md.
 */
interface Entry {
  origin?: Origin;
  doctype?: DocType;
  pending?: CheckedDoctypeJson;
}

/**
 * Create a registry, optionally filled with DocTypes.
 *
 * @example
 * const registry = createRegistry([salesInvoiceJson, salesInvoiceItemJson]);
 * registry.childDoctype('Sales Invoice', 'items').istable; // 1
 *
 * @param jsons - DocType JSON documents (or parsed DocTypes) to add, in order
 * @param options - see {@link RegistryOptions}
 * @returns the registry
 * @throws {SchemaError} from the first entry that cannot be added
 */
export function createRegistry(jsons: Iterable<unknown> = [], options: RegistryOptions = {}): Registry {
  const entries = new Map<string, Entry>();
  const customFields = new Map<string, CustomFieldInput>();
  const propertySetters = new Map<string, PropertySetterInput>();
  let sorted: DocType[] | undefined;
  let parents: Map<string, ParentLink[]> | undefined;
  const parseOptions: ParseOptions = { duplicateFieldnames: options.duplicateFieldnames ?? 'last-wins' };

  const changed = () => {
    sorted = undefined;
    parents = undefined;
  };

  const build = (base: DocType, customFieldList = [...customFields.values()], setterList = [...propertySetters.values()]): DocType => {
    const cfs = customFieldList.filter((cf) => cf.dt === base.name);
    const pss = setterList.filter((ps) => ps.doc_type === base.name);
    if (cfs.length === 0 && pss.length === 0) return base;
    return customizeDoctype(originOf(base) as Origin, cfs, pss);
  };

  /** The DocType of an entry, built on first use. */
  const materialize = (entry: Entry): DocType => {
    if (!entry.doctype) {
      const base = finishDoctype(entry.pending as CheckedDoctypeJson, parseOptions, {});
      entry.pending = undefined;
      entry.origin = originOf(base) as Origin;
      entry.doctype = build(base);
    }
    return entry.doctype;
  };

  const duplicate = (name: string) => new SchemaError('SCHEMA_DUPLICATE_DOCTYPE', name, [
    { path: ['name'], message: `DocType "${name}" is already registered; use replace() to swap it`, code: 'duplicate_doctype' },
  ]);

  /** `add` without building: JSON is checked now and built when first used. */
  const addLazily = (json: unknown): void => {
    if (isObject(json) && originOf(json as DocType)) {
      put(json, 'add');
      return;
    }
    const checked = checkDoctypeJson(json, parseOptions);
    if (entries.has(checked.name)) throw duplicate(checked.name);
    entries.set(checked.name, { pending: checked });
    changed();
  };

  const put = (json: unknown, mode: 'add' | 'replace'): DocType => {
    const origin = isObject(json) ? originOf(json as DocType) : undefined;
    // A DocType from parseDoctype is re-derived from its own origin (its own parse options, no customizations).
    const base = !origin ? parseDoctype(json, parseOptions) : isCustomized(json as DocType) ? parseDoctype(origin.json, origin.options) : (json as DocType);
    if (mode === 'add' && entries.has(base.name)) throw duplicate(base.name);
    const doctype = build(base);
    entries.set(doctype.name, { origin: originOf(base) as Origin, doctype });
    changed();
    return doctype;
  };

  const get = (name: string): DocType => {
    const entry = entries.get(name);
    if (!entry) {
      throw new SchemaError('SCHEMA_UNKNOWN_DOCTYPE', name, [{ path: [], message: `DocType "${name}" is not registered`, code: 'unknown_doctype' }]);
    }
    return materialize(entry);
  };

  const childProblem = (parent: DocType, df: DocField): SchemaDiagnostic | undefined => {
    const childEntry = entries.get(df.options);
    const child = childEntry ? materialize(childEntry) : undefined;
    if (child?.istable) return undefined;
    const reason = child ? 'child_not_istable' : 'missing_child_doctype';
    const message = child
      ? `${df.fieldtype} field "${df.fieldname}" of "${parent.name}" names "${df.options}", which is not a child DocType (istable is 0)`
      : `${df.fieldtype} field "${df.fieldname}" of "${parent.name}" names child DocType "${df.options}", which is not registered`;
    return { path: ['fields', df.idx - 1, 'options'], message, code: 'SCHEMA_CHILD_TABLE', doctype: parent.name, severity: 'error', fieldname: df.fieldname, child: df.options, reason };
  };

  const registry: Registry = {
    add: (json) => put(json, 'add'),
    replace: (json) => put(json, 'replace'),
    get,
    tryGet: (name) => {
      const entry = entries.get(name);
      return entry ? materialize(entry) : undefined;
    },
    has: (name) => entries.has(name),
    list() {
      sorted ??= [...entries.values()].map(materialize).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return [...sorted];
    },
    childDoctype(doctype, tableFieldname) {
      const parent = get(doctype);
      const df = getField(parent, tableFieldname);
      if (!df || df.fieldclass !== 'table') {
        throw new SchemaError('SCHEMA_CHILD_TABLE', parent.name, [
          { path: ['fields'], message: `"${parent.name}" has no Table field named "${tableFieldname}"`, code: 'not_a_table_field' },
        ]);
      }
      const problem = childProblem(parent, df);
      if (problem) throw new SchemaError('SCHEMA_CHILD_TABLE', parent.name, [{ path: problem.path, message: problem.message, code: problem.reason }]);
      return get(df.options);
    },
    parentsOf(childName) {
      if (!parents) {
        parents = new Map();
        for (const parent of registry.list()) {
          for (const field of tableFields(parent)) {
            const list = parents.get(field.options) ?? [];
            list.push({ parent, field });
            parents.set(field.options, list);
          }
        }
      }
      return [...(parents.get(childName) ?? [])];
    },
    check() {
      const errors: SchemaDiagnostic[] = [];
      const warnings: SchemaDiagnostic[] = [];
      for (const doctype of registry.list()) {
        for (const df of tableFields(doctype)) {
          const problem = childProblem(doctype, df);
          if (problem) errors.push(problem);
        }
        for (const warning of schemaWarnings(doctype)) {
          warnings.push({ ...warning, code: warning.code ?? 'warning', doctype: doctype.name, severity: 'warning' });
        }
      }
      return [...errors, ...warnings];
    },
    applyCustomizations(input) {
      const checked = checkCustomizations(input, (name) => entries.has(name));
      const nextFields = new Map(customFields);
      const nextSetters = new Map(propertySetters);
      for (const cf of checked.customFields) nextFields.set(customFieldKey(cf), cf);
      for (const ps of checked.propertySetters) nextSetters.set(propertySetterKey(ps), ps);
      const touched = new Set([...checked.customFields.map((cf) => cf.dt), ...checked.propertySetters.map((ps) => ps.doc_type)]);
      // Build everything first so a bad record leaves the registry as it was.
      const rebuilt = [...touched].map((name) => {
        const entry = entries.get(name) as Entry;
        materialize(entry);
        const origin = entry.origin as Origin;
        const base = parseDoctype(origin.json, origin.options);
        return { entry, doctype: build(base, [...nextFields.values()], [...nextSetters.values()]) };
      });
      for (const { entry, doctype } of rebuilt) entry.doctype = doctype;
      customFields.clear();
      for (const [k, v] of nextFields) customFields.set(k, v);
      propertySetters.clear();
      for (const [k, v] of nextSetters) propertySetters.set(k, v);
      changed();
    },
  };

  for (const json of jsons) {
    if (options.strict) registry.add(json);
    else addLazily(json);
  }
  return registry;
}

