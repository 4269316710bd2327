/**
 * The schema layer: DocType JSON in, frozen normalised DocTypes out, and the registry that holds them.
 *
 * Terms: *raw* JSON is a DocType exactly as Frappe ships it; a *DocType* (types.ts) is its normalised form
 * (flags 0/1, fields in `field_order` with `idx` from 1, Select options split); *customizations* are Custom
 * Field and Property Setter records; a *problem* makes JSON unusable (thrown in a SchemaError), a *warning*
 * is an oddity Frappe tolerates (kept, see `schemaWarnings` and `Registry.check`).
 *
 * @module
 */
export { parseDoctype, schemaWarnings } from './parse';
export type { ParseOptions } from './parse';
export { createRegistry } from './registry';
export type { Registry, RegistryOptions, SchemaDiagnostic, ParentLink } from './registry';
export type { CustomizationsInput } from './customize';
export { getField, fieldLabel, valueFields, tableFields } from './fields';
export { cast, sbool } from './cast';
export { loadDoctypes } from './load';
export type { DoctypeSource, LoadCode, LoadDiagnostic, LoadDoctypesOptions, LoadedDoctypes } from './load';
