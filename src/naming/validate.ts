/**
 * `validate_name(doctype, name, case)` (`frappe/model/naming.py`).
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocType } from '../schema/types';
import { namingIssue } from './issue';
import { pyStrip, pyTitle, pyTruthy } from './text';

/** Whether names of this DocType come from a sequence (`autoname: autoincrement`, not single). */
export function isAutoincrement(doctype: DocType): boolean {
  return doctype.autoname === 'autoincrement' && !doctype.issingle;
}

/**
 * Check and normalise a document name as Frappe's `validate_name` does, returning an issue (never
 * throwing) with Frappe's message for: an empty name; an integer name outside autoincrement DocTypes; a
 * name starting `New <DocType>`; a name equal to the DocType's own name (non-single, other than
 * "DocType"); `<` or `>` in the name. `Title Case` / `UPPER CASE` are applied before stripping.
 *
 * @example validateName(tag, 'Tag<>') // { issue: { code: 'NAMING', exc: 'NameError', ... } }
 * @param doctype - the DocType of the document
 * @param name - the candidate name (any value)
 * @param nameCase - `'Title Case'`, `'UPPER CASE'`, or anything else for no change @default undefined
 * @returns `{ name }` (stripped, cased) or `{ issue }`
 */
export function validateName(
  doctype: DocType,
  name: unknown,
  nameCase?: string,
): { readonly name: string | number } | { readonly issue: Issue } {
  const dt = doctype.name;
  if (!pyTruthy(name)) {
    return { issue: namingIssue(`No Name Specified for ${dt}`, 'ValidationError', { doctype: dt, field: 'name', value: name }) };
  }
  if (typeof name === 'number' && Number.isInteger(name)) {
    // Frappe also moves the sequence past an explicit integer name; the caller owns the sequence here.
    if (isAutoincrement(doctype)) return { name };
    return {
      issue: namingIssue('Invalid name type (integer) for varchar name column', 'NameError', { doctype: dt, field: 'name', value: name }),
    };
  }
  if (typeof name !== 'string') {
    // Python would fail with an AttributeError deep inside; we say what is wrong instead.
    const kind = typeof name === 'number' ? 'float' : Array.isArray(name) ? 'list' : typeof name;
    return {
      issue: namingIssue(`Invalid name type (${kind}) for varchar name column`, 'NameError', { doctype: dt, field: 'name', value: name }),
    };
  }
  if (name.startsWith(`New ${dt}`)) {
    return {
      issue: namingIssue('There were some errors setting the name, please contact the administrator', 'NameError', {
        doctype: dt, field: 'name', value: name,
      }),
    };
  }
  let out = name;
  if (nameCase === 'Title Case') out = pyTitle(out);
  if (nameCase === 'UPPER CASE') out = out.toUpperCase();
  out = pyStrip(out);
  if (!doctype.issingle && out === dt && out !== 'DocType') {
    return { issue: namingIssue(`Name of ${dt} cannot be ${out}`, 'NameError', { doctype: dt, field: 'name', value: out }) };
  }
  if (/[<>]/.test(out)) {
    return {
      issue: namingIssue("Name cannot contain special characters like '<', '>'", 'NameError', { doctype: dt, field: 'name', value: out }),
    };
  }
  return { name: out };
}
