/**
 * Temporary names for documents and rows that were never saved.
 *
 * Desk names a new document `new-<doctype slug>-<10 random chars>` (`frappe.model.get_new_name`, develop
 * and v15); child rows made by `frappe.model.add_child` go through the same function with the child DocType.
 * The real name is given on save by the naming layer (`frappe/model/naming.py`); until then
 * {@link isTemporaryName} recognises these.
 *
 * @module
 */
import type { IdGenerator } from '../env';

/** `frappe.router.slug`: lowercase, spaces to hyphens. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/ /g, '-');
}

/**
 * A temporary name for a new document or row of `doctype`: `new-<slug>-<hash>`.
 * @param doctype DocType name, e.g. `Sales Invoice Item`
 * @param ids source of the 10 random characters
 * @returns e.g. `new-sales-invoice-item-3f9a0c1b2d`
 */
export function temporaryName(doctype: string, ids: IdGenerator): string {
  return slug(`new-${doctype}-${ids.hash(10)}`);
}

// `new-<slug>-<10 chars>` (current Desk) and `New <DocType> <n>` (v13 Desk, still found in old local data).
const TEMPORARY = /^new-.+-[0-9a-z]{10}$|^New .+ \d+$/;

/**
 * True for a name given by {@link temporaryName} (or by v13 Desk), i.e. a document or row not yet saved.
 * @param name a document or row name
 */
export function isTemporaryName(name: unknown): boolean {
  return typeof name === 'string' && TEMPORARY.test(name);
}
