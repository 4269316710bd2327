/**
 * The server's mandatory check (`BaseDocument._get_missing_mandatory_fields`, `frappe/model/base_document.py`):
 * when a value counts as missing, and Frappe's three message forms.
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocField } from '../schema/types';
import { TABLE_FIELDTYPES } from '../schema/fieldtypes';
import { cstr, hasPyContent, pyStrip } from '../util/pystr';
import { fieldIssue, labelOf, type ValueContext } from './validate';

/** `frappe.utils.data.strip_html`: `HTML_TAG_PATTERN = "<[^>]+>"` removed. */
const HTML_TAG = /<[^>]+>/g;

/**
 * True when Frappe's server would call a `reqd` field's value missing: `None` (`null` / `undefined`), an
 * empty list, or no text once HTML tags are removed and whitespace stripped. `0` and `"0"` are content.
 * For Text Editor, and Code with options `HTML`, a value containing `<img` is content even without text.
 * @param df the field (`fieldtype` and `options` are read)
 * @param value the value
 * @returns true when the value is missing
 */
export function isMissing(df: Pick<DocField, 'fieldtype' | 'options'>, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  // Cheap cases first: a list is missing only when empty (a non-empty one is never serialised to find out); a
  // number or boolean always prints as text (`0`, `False`); text without a tag is missing only when blank.
  if (Array.isArray(value)) return value.length === 0;
  const type = typeof value;
  if (type === 'number' || type === 'boolean' || type === 'bigint') return false;
  if (type === 'string' && (value as string).indexOf('<') === -1) return !hasPyContent(value as string);
  const text = cstr(value);
  if (pyStrip(text.replace(HTML_TAG, '')) !== '') return false;
  const htmlField = df.fieldtype === 'Text Editor' || (df.fieldtype === 'Code' && df.options === 'HTML');
  return !(htmlField && text.includes('<img'));
}

/**
 * The issue for a missing mandatory value, in Frappe's words (one of three forms):
 * - a Table field: "Error: Data missing in table: {label}" (`MANDATORY_TABLE`);
 * - a field of a child row: "Error: {doctype} Row #{idx}: Value missing for: {label}";
 * - any other field: "Error: Value missing for {doctype}: {label}".
 * @param df the mandatory field
 * @param ctx the document / row (`doctype` is the row's DocType for child rows)
 * @returns a `MANDATORY` or `MANDATORY_TABLE` issue
 */
export function mandatoryIssue(df: DocField, ctx: ValueContext): Issue {
  const label = labelOf(df);
  if (TABLE_FIELDTYPES.has(df.fieldtype)) {
    return fieldIssue('MANDATORY_TABLE', `Error: Data missing in table: ${label}`, df, undefined, ctx);
  }
  const message = ctx.row
    ? `Error: ${ctx.doctype} Row #${ctx.row.idx}: Value missing for: ${label}`
    : `Error: Value missing for ${ctx.doctype}: ${label}`;
  return fieldIssue('MANDATORY', message, df, undefined, ctx);
}
