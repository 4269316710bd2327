/**
 * A Standard Schema v1 validator for a DocType (`engine.schema('Leave Application')`): the same synchronous
 * checks a save runs before it reaches storage (fieldtypes, mandatory incl. a true `mandatory_depends_on`,
 * Select options, lengths, Data formats, custom validators), in a shape every Standard Schema consumer reads
 * (form libraries' resolvers, routers' validators). Checks that need storage (Link existence, unique values,
 * naming) are not synchronous and are left to `run()`.
 *
 * The spec is types only (https://standardschema.dev); its interface is declared here so the library has no
 * dependency for it.
 *
 * @module
 */
import { issuePath, type Issue } from '../issues';
import type { CompiledRules, DocData } from '../rules/types';
import { validateDoc, type ValidateOptions } from '../rules/validate';

/** One issue as Standard Schema v1 reports it. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

/** The result of `~standard.validate`. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

/** The Standard Schema v1 interface (`@standard-schema/spec`). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A DocType's validator: Standard Schema v1 plus coworker's own issues (codes, Frappe exception names). */
export interface DoctypeSchema<T extends DocData = DocData> extends StandardSchemaV1<T, T> {
  /** The DocType name. */
  readonly doctype: string;
  /**
   * Every issue of a value with coworker's detail (`code`, `exc`, `field`, `row`, `path`).
   * @param value - a document as plain data
   */
  issues(value: unknown): readonly Issue[];
}

/** Options of {@link doctypeSchema}: those of `validateDoc` (clock, user, mandatory_depends_on, handlers). */
export type DoctypeSchemaOptions = ValidateOptions;

const isPlainObject = (v: unknown): v is DocData =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Build the Standard Schema validator of a DocType from its compiled rules.
 * @param rules - `compileRules(doctype, registry, customRules)`
 * @param options - see {@link DoctypeSchemaOptions}; a function is called per validation (a fresh clock reading)
 * @returns the validator; `~standard.validate` is synchronous
 */
export function doctypeSchema<T extends DocData = DocData>(
  rules: CompiledRules,
  options: DoctypeSchemaOptions | (() => DoctypeSchemaOptions) = {},
): DoctypeSchema<T> {
  const doctype = rules.doctype.name;
  const optionsNow = typeof options === 'function' ? options : () => options;
  const issues = (value: unknown): readonly Issue[] => {
    if (!isPlainObject(value)) {
      return [{ code: 'INVALID_VALUE', exc: 'ValidationError', message: `${doctype}: a document must be a plain object`, doctype }];
    }
    return validateDoc(rules, value, optionsNow()).filter((i) => i.severity !== 'warning');
  };
  const validate = (value: unknown): StandardResult<T> => {
    const found = issues(value);
    if (found.length === 0) return { value: value as T };
    return {
      issues: found.map((i) => {
        const path = issuePath(i);
        return path ? { message: i.message, path } : { message: i.message };
      }),
    };
  };
  return Object.freeze({
    doctype,
    issues,
    '~standard': Object.freeze({ version: 1 as const, vendor: 'coworker', validate }),
  });
}
