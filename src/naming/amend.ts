/**
 * Names of amended documents (`_set_amended_name`, `frappe/model/document.py`).
 *
 * @module
 */
import { cint } from '../schema/cast';
import { pyTruthy } from './text';

/**
 * The name of an amendment of `amendedFrom` under "Amend Counter": `<amendedFrom>-1` when the source was
 * never amended itself; otherwise the source's trailing `-<n>` is replaced by `-<n+1>`. So SINV-0001 →
 * SINV-0001-1 → SINV-0001-2, and an original named X-5 becomes X-5-1.
 *
 * @param amendedFrom - name of the cancelled document being amended
 * @param sourceAmendedFrom - that document's own `amended_from` (a database lookup in Frappe)
 * @returns the amended name
 */
export function amendedName(amendedFrom: string, sourceAmendedFrom: string | null | undefined): string {
  if (!pyTruthy(sourceAmendedFrom)) return `${amendedFrom}-1`;
  const parts = amendedFrom.split('-');
  // cint: a non-numeric last segment counts as 0, as in Frappe.
  const id = cint(parts[parts.length - 1]) + 1;
  return `${parts.slice(0, -1).join('-')}-${id}`;
}
