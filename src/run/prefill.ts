/**
 * What a run fills in on a new document besides the document layer's static defaults:
 *
 * - `:DocType` defaults (Journal Entry Account `cost_center: ':Company'`): Desk reads field `cost_center` of
 *   the Company named by the document's `company` (`get_default_from_boot_docs`, from the boot documents in
 *   `locals`). A run reads that document through storage instead ({@link bootDocsFor}).
 * - Title templates, as Frappe's `Document.set_title_field` does on every save ({@link applyTitle}): when the
 *   DocType's `title_field` is `title`, its `options` (a `{field}` template) always set it; else its `default`
 *   template sets it on a new document whose title is empty.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { DocType } from '../schema/types';
import type { StorageSession } from '../storage/types';
import { cstr } from '../util/pystr';

/**
 * The documents `:DocType` defaults of a DocType and its child tables read: for `:Company`, the Company
 * named by the document's `company` value.
 * @param doctype - the DocType of the new document
 * @param children - its child DocTypes
 * @param values - the caller's values (the reference fields are read from them)
 * @param session - storage
 * @returns `bootDocs` for the document layer's defaults
 */
export async function bootDocsFor(
  doctype: DocType, children: Readonly<Record<string, DocType>>, values: Readonly<Record<string, unknown>>, session: StorageSession,
): Promise<Record<string, Record<string, DocData>>> {
  const wanted = new Set<string>(bootDoctypesOf(doctype));
  for (const child of Object.values(children)) for (const target of bootDoctypesOf(child)) wanted.add(target);
  const out: Record<string, Record<string, DocData>> = {};
  for (const target of wanted) {
    // Frappe replaces only the first space (`String.replace` with a string pattern).
    const ref = values[target.toLowerCase().replace(' ', '_')];
    if (typeof ref !== 'string' || ref === '') continue;
    const doc = await session.get(target, ref).catch(() => undefined);
    if (doc) out[target] = { [ref]: doc };
  }
  return out;
}

const bootDoctypes = new WeakMap<DocType, readonly string[]>();

/** The DocTypes the `:DocType` defaults of one DocType name (derived once per frozen DocType). */
function bootDoctypesOf(doctype: DocType): readonly string[] {
  let found = bootDoctypes.get(doctype);
  if (!found) {
    const set = new Set<string>();
    for (const df of doctype.fields) if (typeof df.default === 'string' && df.default.startsWith(':') && df.default.length > 1) set.add(df.default.slice(1));
    bootDoctypes.set(doctype, (found = [...set]));
  }
  return found;
}

/** Python `str.format(**values)` for `{field}` placeholders (`{{` / `}}` escape braces; None is ''). */
function formatTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, key: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const field = (key ?? '').split(/[!:]/)[0] ?? '';
    const v = values[field];
    return v === null || v === undefined ? '' : cstr(v);
  });
}

/**
 * Frappe's `set_title_field`.
 * @param doctype - the DocType
 * @param doc - the document (after naming)
 * @param isNew - whether it is being inserted
 * @returns the document with its title set, or the same document when nothing applies
 */
export function applyTitle<T extends DocData>(doctype: DocType, doc: T, isNew: boolean): T {
  if (doctype.title_field !== 'title') return doc;
  const df = doctype.fields.find((f) => f.fieldname === 'title');
  if (!df) return doc;
  if (df.options) return { ...doc, title: formatTemplate(df.options, doc) };
  const current = doc.title;
  if (isNew && (current === undefined || current === null || current === '') && typeof df.default === 'string' && df.default) {
    return { ...doc, title: formatTemplate(df.default, doc) };
  }
  return doc;
}

/**
 * Frappe's `_set_defaults` returns early under `in_import`: fields the input did not give stay empty. The
 * document layer always fills defaults, so they are taken out again here (value fields only; standard columns
 * and rows' bookkeeping stay).
 * @param doctype - the DocType
 * @param children - its child DocTypes by Table fieldname
 * @param doc - the new document with defaults
 * @param values - the input it was built from
 * @returns the document with only the given values
 */
export function withoutDefaults(
  doctype: DocType, children: Readonly<Record<string, DocType>>, doc: Record<string, unknown>, values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const strip = (dt: DocType, target: Record<string, unknown>, given: Readonly<Record<string, unknown>>) => {
    for (const df of dt.fields) if (df.fieldclass === 'value' && !Object.hasOwn(given, df.fieldname)) target[df.fieldname] = null;
  };
  const out = { ...doc };
  strip(doctype, out, values);
  for (const [table, child] of Object.entries(children)) {
    const rows = out[table];
    const givenRows = values[table];
    if (!Array.isArray(rows) || !Array.isArray(givenRows)) continue;
    out[table] = rows.map((row: Record<string, unknown>, i) => {
      const copy = { ...row };
      strip(child, copy, (givenRows[i] ?? {}) as Record<string, unknown>);
      return copy;
    });
  }
  return out;
}
