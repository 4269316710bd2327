/**
 * The lint engine: checks DocType definitions and returns *findings* (`{ file, doctype, field, code, message,
 * severity }`), never throws for a bad DocType. Pure functions over a registry, so it runs in the browser
 * too; the `coworker lint` command (src/node) is a thin shell around it.
 *
 * @module
 */
export { lintRegistry, formatFinding, sortFindings } from './lint';
export type { LintOptions } from './lint';
export { LINT_CODES } from './codes';
export type { LintCode, LintSeverity } from './codes';
export type { LintFinding } from './types';
export { findBitwiseSuspects } from './bitwise';
export type { BitwiseSuspect } from './bitwise';
export { lintWorkflows, workflowDocuments } from './workflow';
export type { WorkflowSource } from './workflow';
