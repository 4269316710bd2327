/**
 * coworker: Frappe's document rules, applied headlessly and safely, in the browser and in Node.
 *
 * This is the curated public entry: every export is named here on purpose.
 *
 * @module
 */
export { CoworkerError, SchemaError, ExpressionError } from './errors';
export type { Path, SchemaProblem, SchemaErrorCode, ExpressionErrorCode } from './errors';
export * as fieldtypes from './schema/fieldtypes';
export type { Fieldtype } from './schema/fieldtypes';
export type {
  DocType, DocField, DocPerm, Flag, Fieldclass, PermissionType, CustomFieldInput, PropertySetterInput,
} from './schema/types';
export type { ExprContext, ExprUser, CompiledExpression } from './expr/types';
export { ISSUE_CODES, makeIssue } from './issues';
export type { Issue, IssueCode } from './issues';
