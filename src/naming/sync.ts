/**
 * `_sync_autoname_field` (`frappe/model/base_document.py` (step 8)).
 *
 * @module
 */
import type { DocType } from '../schema/types';
import { getOwn, pyTruthy } from './text';

/**
 * Keep the `field:X` autoname field equal to the name: when `autoname` contains `field:X`, the doc has a
 * name and `doc.X !== doc.name`, return a copy with `X = name`. Editing X on a saved document is thereby
 * reverted on the next save. Matching is case-sensitive, as Frappe's `partition("field:")` is.
 *
 * @param doctype - the DocType
 * @param doc - the document (not modified)
 * @returns the same object when nothing changes, else a shallow copy with the field synced
 */
export function syncAutonameField<T extends Readonly<Record<string, unknown>>>(doctype: DocType, doc: T): T {
  const autoname = doctype.autoname ?? '';
  const at = autoname.indexOf('field:');
  if (at < 0) return doc;
  const fieldname = autoname.slice(at + 'field:'.length);
  const name = getOwn(doc, 'name');
  if (!fieldname || !pyTruthy(name) || getOwn(doc, fieldname) === name) return doc;
  return { ...doc, [fieldname]: name };
}
