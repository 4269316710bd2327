/**
 * The type generator: TypeScript declarations for DocTypes (`coworker types`). Browser-safe; the CLI writes
 * the text to a file.
 *
 * @module
 */
export { generateTypes, fieldType } from './generate';
export type { TypegenOptions, TypegenLookup } from './generate';
export { typeName } from './names';
