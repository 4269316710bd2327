/**
 * Client `fetch_from` (`frappe/public/js/frappe/form/controls/link.js` with the server's submit rule of `frappe/model/base_document.py`): when a Link
 * changes, copy fields of the linked record into the fields that fetch from it.
 *
 * - Targets are the fields whose `fetch_from` is `<link>.<source>` (source = text after the last `.`),
 *   restricted like Desk's `setup_add_fetch` to the fetchable fieldtypes, or any `read_only` / `is_virtual`
 *   field.
 * - The linked DocType is the Link's `options`, or for a Dynamic Link the value of the field its `options`
 *   names (empty: nothing is fetched; the validation layer reports it).
 * - `fetch_if_empty` (v15 rule): a target that already holds a value is left alone, also when clearing.
 * - A cleared link sets its targets to `''`; a link naming a missing record is cleared, then likewise.
 * - On a submitted document (docstatus 1) only `allow_on_submit` targets change.
 * - The link takes the canonical `name` the lookup returns (e.g. fixing letter case).
 *
 * @module
 */
import type { Fieldtype } from '../schema/fieldtypes';
import type { DocField, DocType } from '../schema/types';
import { DocError } from './errors';
import { getField } from '../schema/fields';
import { setRowValues, setValues } from './write';
import { rowsOf } from './delta';
import type { Doc, DocData, FetchLookup, FetchOptions } from './types';

// Desk `script_manager.js` setup_add_fetch: fieldtypes fetched on the client (v15), plus develop's additions.
const FETCHABLE_V15: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  'Data', 'Read Only', 'Text', 'Small Text', 'Currency', 'Check', 'Text Editor', 'Attach Image', 'Code', 'Link',
  'Float', 'Int', 'Date', 'Datetime', 'Select', 'Duration', 'Time',
]);
const FETCHABLE_DEVELOP: ReadonlySet<Fieldtype> = new Set<Fieldtype>([
  ...FETCHABLE_V15, 'Percent', 'Phone', 'Barcode', 'Autocomplete', 'Icon', 'Color', 'Rating',
]);

/**
 * The fields filled from `linkFieldname` on the client, in display order.
 * @param meta the DocType (parent or child) holding the link
 * @param linkFieldname the Link / Dynamic Link field
 * @param mode fieldtype list of Desk v15 or develop @default 'v15'
 */
export function fetchTargets(meta: DocType, linkFieldname: string, mode: FetchOptions['mode'] = 'v15'): readonly DocField[] {
  const prefix = `${linkFieldname}.`;
  const types = mode === 'develop' ? FETCHABLE_DEVELOP : FETCHABLE_V15;
  return meta.fields.filter(
    (df) =>
      df.fieldclass === 'value' &&
      df.fetch_from?.startsWith(prefix) &&
      (types.has(df.fieldtype) || df.read_only === 1 || df.is_virtual === 1),
  );
}

function sourceOf(df: DocField): string {
  const from = df.fetch_from ?? '';
  return from.slice(from.lastIndexOf('.') + 1);
}

/** The updates a fetch makes to `row` (a document or child row of `meta`); `{}` when none. */
async function fetchUpdates(
  meta: DocType,
  row: DocData,
  docstatus: unknown,
  linkFieldname: string,
  lookup: FetchLookup,
  opts: FetchOptions,
): Promise<Record<string, unknown>> {
  const df = getField(meta, linkFieldname);
  if (!df || (df.fieldtype !== 'Link' && df.fieldtype !== 'Dynamic Link')) {
    throw new DocError('DOC_NOT_LINK', `${meta.name}.${linkFieldname} is not a Link or Dynamic Link field`, {
      doctype: meta.name, field: linkFieldname,
    });
  }
  const targets = fetchTargets(meta, linkFieldname, opts.mode).filter(
    (t) =>
      !((opts.mode ?? 'v15') === 'v15' && t.fetch_if_empty && row[t.fieldname]) &&
      (docstatus !== 1 || t.allow_on_submit === 1),
  );
  const clearTargets = (updates: Record<string, unknown>) => {
    for (const t of targets) updates[t.fieldname] = '';
    return updates;
  };
  const value = row[linkFieldname];
  if (value == null || value === '') return clearTargets({});
  const linked = df.fieldtype === 'Link' ? df.options : row[df.options];
  if (typeof linked !== 'string' || !linked) return {};
  const fields = [...new Set(targets.map(sourceOf))];
  const found = await lookup(linked, String(value), fields);
  if (!found) return clearTargets({ [linkFieldname]: '' });
  const updates: Record<string, unknown> = {};
  if (typeof found.name === 'string' && found.name !== value) updates[linkFieldname] = found.name;
  for (const t of targets) updates[t.fieldname] = found[sourceOf(t)] ?? null;
  return updates;
}

/**
 * Run the client fetch for a top-level Link field and apply it.
 *
 * The updates are computed against `doc` and applied to `doc`: if the document changed while the lookup
 * was pending, call again with the newer document.
 *
 * @param doc the document, with the link already set
 * @param linkFieldname the Link / Dynamic Link field
 * @param lookup reads `name` plus the requested fields of the linked record, or `null` if it does not exist
 * @param opts `mode: 'v15' | 'develop'` @default { mode: 'v15' }
 * @returns the next Doc (the same Doc when nothing changes)
 * @throws DocError `DOC_NOT_LINK`
 *
 * @example
 * const next = await applyFetch(setValue(doc, 'customer', 'acme'), 'customer',
 *   async (dt, name, fields) => db.get(dt, name, fields));
 */
export async function applyFetch(doc: Doc, linkFieldname: string, lookup: FetchLookup, opts: FetchOptions = {}): Promise<Doc> {
  const updates = await fetchUpdates(doc.meta, doc.data, doc.data.docstatus, linkFieldname, lookup, opts);
  return setValues(doc, updates);
}

/**
 * Run the client fetch for a Link field of a child row and apply it to that row.
 * @param doc the parent document
 * @param table the Table fieldname
 * @param rowName the row's `name`
 * @param linkFieldname the Link / Dynamic Link field of the child DocType
 * @returns the next Doc (the same Doc when nothing changes)
 * @throws DocError `DOC_NOT_TABLE`, `DOC_UNKNOWN_ROW`, `DOC_NOT_LINK`
 */
export async function applyRowFetch(
  doc: Doc,
  table: string,
  rowName: string,
  linkFieldname: string,
  lookup: FetchLookup,
  opts: FetchOptions = {},
): Promise<Doc> {
  const childMeta = doc.children[table];
  const row = rowsOf(doc.data, table).find((r) => r.name === rowName);
  if (!childMeta || !row) return setRowValues(doc, table, rowName, {}); // raises the precise DocError
  // Rows share the parent's docstatus (Frappe `set_docstatus`), so the parent's decides the submit rule.
  const updates = await fetchUpdates(childMeta, row, doc.data.docstatus, linkFieldname, lookup, opts);
  return setRowValues(doc, table, rowName, updates);
}
