/**
 * Naming issues: code `NAMING`, with `exc` set to the exception Frappe's server raises for that exact
 * problem (`NameError`, or `ValidationError` for a plain `frappe.throw`, or `InvalidUUIDValue`...).
 *
 * @module
 * @internal
 */
import { makeIssue, type Issue } from '../issues';

/** Build a frozen `NAMING` issue carrying Frappe's exception name for this problem. */
export function namingIssue(message: string, exc: string, details: Omit<Issue, 'code' | 'exc' | 'message'> = {}): Issue {
  return Object.freeze({ ...makeIssue('NAMING', message, details), exc });
}
