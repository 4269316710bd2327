/**
 * What frontends need, above the run layer: a form controller (every change a draft run), the actions a user may
 * take on a document, and Standard Schema validators per DocType. Framework-agnostic; `coworker/react` binds it.
 *
 * @module
 */
export { openForm, FormRunError } from './controller';
export type { FormController, FormSnapshot, FormStatus, FormOptions, FormHost, FieldSlice } from './controller';
export { documentActions } from './actions';
export type { FormAction, ActionContext } from './actions';
export { doctypeSchema } from './standard-schema';
export type { DoctypeSchema, DoctypeSchemaOptions, StandardSchemaV1, StandardIssue, StandardResult } from './standard-schema';
export { listViewFields, titleOf, searchFields, standardFilters } from './list';
export type { ListColumn, StandardFilter } from './list';
