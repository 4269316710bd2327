/**
 * The fieldtype handler registry: the run layer's "tier 2". One handler per fieldtype says how a value is
 * coerced for storage, which issues it has, and (optionally) when two values are the same.
 *
 * The built-ins reproduce Frappe's server for every `data_fieldtypes` entry (`frappe/model/__init__.py`), composed from
 * {@link coerceValue}, {@link validateValue} and {@link valuesEqual}. Table and display fieldtypes get a
 * pass-through handler. Registries are immutable: `with` returns a new registry, so a stricter Phone
 * validator in one engine never leaks into another.
 *
 * @example
 * const handlers = createFieldtypeHandlers().with('Phone', {
 *   ...createFieldtypeHandlers().get('Phone'),
 *   validate: (df, value, ctx) => myLibPhoneCheck(df, value, ctx),
 * });
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { Issue } from '../issues';
import type { DocField } from '../schema/types';
import { DATA_FIELDTYPES, FIELDTYPES } from '../schema/fieldtypes';
import { coerceValue } from './coerce';
import { valuesEqual } from './equals';
import { validateValue, type ValueContext } from './validate';

/** How one fieldtype's values are coerced, validated and compared. */
export interface FieldtypeHandler {
  /** The value Frappe would store for `value` (never throws). */
  coerce(df: DocField, value: unknown, ctx: ValueContext): unknown;
  /** Issues for a (coerced) value; empty when fine (never throws). */
  validate(df: DocField, value: unknown, ctx: ValueContext): Issue[];
  /** True when writing `b` over `a` is a no-op. When absent, {@link valuesEqual} is used. */
  equals?(a: unknown, b: unknown, df: DocField): boolean;
}

/** An immutable map from fieldtype name to handler. */
export interface FieldtypeHandlers {
  /**
   * The handler for a fieldtype.
   * @throws CoworkerError `UNKNOWN_FIELDTYPE` for a name that is neither a Frappe fieldtype nor registered
   */
  get(fieldtype: string): FieldtypeHandler;
  /** A new registry with `handler` for `fieldtype` (added or replaced); this one is unchanged. */
  with(fieldtype: string, handler: FieldtypeHandler): FieldtypeHandlers;
  /** The fieldtypes that have a handler. */
  fieldtypes(): string[];
}

/** The built-in handler of every Frappe data fieldtype: Frappe's server semantics. */
export const frappeValueHandler: FieldtypeHandler = Object.freeze({
  coerce: (df: DocField, value: unknown, ctx?: ValueContext) => coerceValue(df, value, ctx?.timeZone),
  validate: (df: DocField, value: unknown, ctx: ValueContext) => validateValue(df, value, ctx),
  equals: (a: unknown, b: unknown, df: DocField) => valuesEqual(df, a, b),
});

/** Table and display fieldtypes: values pass through, nothing to report (rows are validated as documents). */
export const passThroughHandler: FieldtypeHandler = Object.freeze({
  coerce: (_df: DocField, value: unknown) => value,
  validate: () => [],
  equals: (a: unknown, b: unknown, df: DocField) => valuesEqual(df, a, b),
});

function registry(map: ReadonlyMap<string, FieldtypeHandler>): FieldtypeHandlers {
  return Object.freeze({
    get(fieldtype: string): FieldtypeHandler {
      const handler = map.get(fieldtype);
      if (!handler) throw new CoworkerError('UNKNOWN_FIELDTYPE', `No fieldtype handler for "${fieldtype}"`);
      return handler;
    },
    with(fieldtype: string, handler: FieldtypeHandler): FieldtypeHandlers {
      return registry(new Map(map).set(fieldtype, handler));
    },
    fieldtypes: () => [...map.keys()],
  });
}

/**
 * Create a fieldtype handler registry with built-ins for every Frappe fieldtype.
 * @param overrides handlers that replace or add to the built-ins, by fieldtype name @default {}
 * @returns an immutable registry
 */
export function createFieldtypeHandlers(overrides: Readonly<Record<string, FieldtypeHandler>> = {}): FieldtypeHandlers {
  const map = new Map<string, FieldtypeHandler>();
  for (const ft of FIELDTYPES) map.set(ft, DATA_FIELDTYPES.has(ft) ? frappeValueHandler : passThroughHandler);
  for (const [ft, handler] of Object.entries(overrides)) map.set(ft, handler);
  return registry(map);
}
