/**
 * Frappe's `track_changes`: a `Version` document per save of a DocType that tracks changes
 * (`Document.save_version`, frappe/model/document.py), holding the diff Frappe computes
 * (`get_diff`, frappe/core/doctype/version/version.py), written in the save's own transaction.
 *
 * When: after every insert, save, submit, cancel and update after submit (`run_post_save_methods`), unless the
 * DocType is `Version` itself. A save that changed nothing records nothing; an insert records nothing either,
 * except an amendment, which is compared with the document it amends. Deletes record no Version (Frappe keeps a
 * `Deleted Document` instead).
 *
 * The diff: `changed` `[[field, old, new]]` in field order then `name` / `docstatus`; `added` / `removed`
 * `[[table, row]]`; `row_changed` `[[table, index, row name, [[field, old, new]]]]` (index 0-based in the new
 * table); `data_import` and `updater_reference` (null). A changed value is written as Frappe's
 * `get_formatted` text when it is truthy (a Date `15-01-2024`, a Currency `$ 1,000.00`: the engine option
 * `formatSettings` holds the site's formats), except for Markdown / Text / HTML Editor and Code fields; added and
 * removed rows are the rows' `as_dict()` (every column, `doctype`).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { IdGenerator } from '../env';
import type { DocField, DocType } from '../schema/types';
import { tableSchema } from '../storage/columns';
import type { StorageSession } from '../storage/types';
import { formattedValue, type FormatContext, type FormatSettings } from './version-format';

/**
 * Frappe's Version DocType, by name. Its definition (version-doctype.ts) is registered at createEngine and is not
 * imported here: a module the core imports statically and this one shared would put this one in the core's chunk.
 */
const VERSION_DOCTYPE = 'Version';

/** One changed value: `[fieldname, old, new]`. */
export type VersionChange = [string, unknown, unknown];

/** The diff a Version stores (its `data`, parsed). */
export interface VersionDiff {
  changed: VersionChange[];
  added: [string, DocData][];
  removed: [string, DocData][];
  row_changed: [string, number, string, VersionChange[]][];
  data_import: null;
  updater_reference: null;
}

/** Fieldtypes whose values Frappe compares raw, never formatted (`blacklisted_fields` of get_diff). */
const RAW_TYPES = new Set(['Markdown Editor', 'Text Editor', 'Code', 'HTML Editor']);

const TABLE_TYPES = new Set(['Table', 'Table MultiSelect']);

/** Python's `==` on JSON-like values: `1 == True == 1.0`, `None` for missing keys, containers by content. */
function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  const x = num(a);
  const y = num(b);
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => pyEqual(v, y[i]));
  if (typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
    const kx = Object.keys(x as object);
    const ky = Object.keys(y as object);
    return kx.length === ky.length && kx.every((k) => Object.hasOwn(y as object, k) && pyEqual((x as DocData)[k], (y as DocData)[k]));
  }
  return false;
}

/** The fields `get_diff` compares: every value field and table, never display fields nor virtual ones (no value is stored). */
function compared(doctype: DocType): readonly DocField[] {
  return doctype.fields.filter((df) => df.fieldclass !== 'display' && df.is_virtual !== 1);
}

/** Python truthiness of a JSON value. */
const truthy = (v: unknown): boolean => !(v == null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));

/** One field of get_diff: the values, formatted as Frappe writes them when they differ. */
async function change(df: DocField, old: DocData, next: DocData, parents: readonly [DocData?, DocData?], fmt: FormatContext | undefined): Promise<VersionChange | undefined> {
  let a: unknown = old[df.fieldname] ?? null;
  let b: unknown = next[df.fieldname] ?? null;
  if (pyEqual(a, b)) return undefined;
  if (fmt && !RAW_TYPES.has(df.fieldtype)) {
    if (truthy(a)) a = await formattedValue(df, a, old, parents[0], fmt);
    if (truthy(b)) b = await formattedValue(df, b, next, parents[1], fmt);
  }
  return pyEqual(a, b) ? undefined : [df.fieldname, a, b];
}

async function changedValues(doctype: DocType, old: DocData, next: DocData, parents: readonly [DocData?, DocData?], fmt: FormatContext | undefined): Promise<VersionChange[]> {
  const out: VersionChange[] = [];
  for (const df of compared(doctype)) {
    if (TABLE_TYPES.has(df.fieldtype)) continue;
    const c = await change(df, old, next, parents, fmt);
    if (c) out.push(c);
  }
  return out;
}

/**
 * A row as Frappe's `d.as_dict()` writes it in `added` / `removed`: every column (null when empty, whatever the
 * adapter returned for it) and `doctype`.
 */
function asDict(child: DocType | undefined, row: DocData): DocData {
  if (!child) return row;
  const out: Record<string, unknown> = {};
  for (const c of tableSchema(child).columns) out[c.fieldname] = row[c.fieldname] ?? null;
  out.doctype = child.name;
  return out;
}

const rowsOf = (doc: DocData, table: string): DocData[] => (Array.isArray(doc[table]) ? (doc[table] as DocData[]) : []);

/**
 * Frappe's `get_diff(old, new)` of two versions of a document.
 * @param doctype - the document's DocType
 * @param children - its child DocTypes by Table fieldname
 * @param old - the document before (as stored), or the document an amendment amends
 * @param next - the document as written
 * @param fmt - formats and stored values for Frappe's `get_formatted` text; without it values stay raw
 * @returns the diff, or `null` when nothing changed
 */
export async function versionDiff(
  doctype: DocType, children: Readonly<Record<string, DocType>>, old: DocData, next: DocData, fmt?: FormatContext,
): Promise<VersionDiff | null> {
  const out: VersionDiff = { changed: [], added: [], removed: [], row_changed: [], data_import: null, updater_reference: null };
  // An amendment's rows are new rows: Frappe matches them by `_amended_from`, which nothing sets.
  const amending = typeof next.amended_from === 'string' && next.amended_from !== '' && next.amended_from === old.name;
  for (const df of compared(doctype)) {
    if (TABLE_TYPES.has(df.fieldtype)) {
      const child = children[df.fieldname];
      const before = new Map(rowsOf(old, df.fieldname).map((r) => [String(r.name), r]));
      const found = new Set<string>();
      const rows = rowsOf(next, df.fieldname);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const prior = amending ? undefined : before.get(String(row.name));
        if (prior) {
          found.add(String(row.name));
          const changed = child ? await changedValues(child, prior, row, [old, next], fmt) : [];
          if (changed.length) out.row_changed.push([df.fieldname, i, String(row.name), changed]);
        } else out.added.push([df.fieldname, asDict(child, row)]);
      }
      for (const [name, row] of before) if (!found.has(name)) out.removed.push([df.fieldname, asDict(child, row)]);
      continue;
    }
    const c = await change(df, old, next, [undefined, undefined], fmt);
    if (c) out.changed.push(c);
  }
  for (const key of ['name', 'docstatus'] as const) {
    const a = old[key] ?? null;
    const b = next[key] ?? null;
    if (!pyEqual(a, b)) out.changed.push([key, a, b]);
  }
  return out.changed.length || out.added.length || out.removed.length || out.row_changed.length ? out : null;
}

const FLOAT_TYPES = new Set(['Float', 'Currency', 'Percent']);

/** JSON of one value, Python's way: keys sorted, no spaces; a `float` number integral is written `5.0`. */
function pyJson(v: unknown, float: boolean, isFloat: (key: string) => boolean): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return float && Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => pyJson(x, false, isFloat)).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${pyJson((v as Record<string, unknown>)[k], isFloat(k), isFloat)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** `ensure_ascii`: every non-ASCII character as `\uXXXX` (UTF-16 units, as Python writes them). */
const ascii = (text: string): string => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * JSON as Frappe's `frappe.as_json(value, indent=None, separators=(",", ":"))` writes it: keys sorted, no
 * spaces, non-ASCII escaped (`ensure_ascii`); numbers under the keys `isFloat` names are Python floats (`5.0`).
 * @param value - JSON-safe data
 * @param isFloat - whether the number under a key is a float @default none is
 * @returns the text
 */
export function frappeJson(value: unknown, isFloat: (key: string) => boolean = () => false): string {
  return ascii(pyJson(value, false, isFloat));
}

/** The Version's `data`: the diff as Frappe's as_json writes it, Float / Currency / Percent values as Python floats. */
function diffJson(diff: VersionDiff, doctype: DocType, children: Readonly<Record<string, DocType>>): string {
  const floatsOf = (dt: DocType | undefined) => new Set((dt?.fields ?? []).filter((f) => FLOAT_TYPES.has(f.fieldtype)).map((f) => f.fieldname));
  const none = () => false;
  const changes = (list: readonly VersionChange[], floats: Set<string>) =>
    `[${list.map(([f, a, b]) => `[${pyJson(f, false, none)},${pyJson(a, floats.has(f), none)},${pyJson(b, floats.has(f), none)}]`).join(',')}]`;
  const rows = (list: readonly [string, DocData][]) => `[${list.map(([t, r]) => {
    const floats = floatsOf(children[t]);
    return `[${pyJson(t, false, none)},${pyJson(r, false, (k) => floats.has(k))}]`;
  }).join(',')}]`;
  const parts: Record<string, string> = {
    added: rows(diff.added),
    changed: changes(diff.changed, floatsOf(doctype)),
    data_import: pyJson(diff.data_import, false, none),
    removed: rows(diff.removed),
    row_changed: `[${diff.row_changed.map(([t, i, name, c]) => `[${pyJson(t, false, none)},${i},${pyJson(name, false, none)},${changes(c, floatsOf(children[t]))}]`).join(',')}]`,
    updater_reference: pyJson(diff.updater_reference, false, none),
  };
  return ascii(`{${Object.keys(parts).sort().map((k) => `${JSON.stringify(k)}:${parts[k]}`).join(',')}}`);
}

/** What {@link saveVersion} needs from the run. */
export interface VersionWrite {
  readonly doctype: DocType;
  readonly children: Readonly<Record<string, DocType>>;
  /** The document before the save (`undefined` for an insert). */
  readonly stored: DocData | undefined;
  readonly written: DocData;
  readonly user: string;
  readonly timestamp: string;
  readonly ids: IdGenerator;
  /** The site's formats (engine option `formatSettings`). */
  readonly format: FormatSettings;
}

/**
 * `save_version`: insert the Version of a write in its transaction when the DocType tracks changes and
 * something changed.
 * @param session - the write's transaction
 * @param w - the write
 * @returns the Version inserted, or `undefined`
 */
export async function saveVersion(session: StorageSession, w: VersionWrite): Promise<DocData | undefined> {
  if (w.doctype.track_changes !== 1 || w.doctype.name === VERSION_DOCTYPE || w.doctype.istable === 1) return undefined;
  let before = w.stored;
  const amendedFrom = w.written.amended_from;
  if (!before && typeof amendedFrom === 'string' && amendedFrom) before = await session.get(w.doctype.name, amendedFrom);
  if (!before) return undefined;
  // Each document formatting reads (a Currency's symbol, fraction units...) is read once per Version, not once
  // per field and value: frappe.db.get_value of a DocType storage does not hold (no Currency documents) is null.
  const read = new Map<string, Promise<DocData | undefined>>();
  const fmt: FormatContext = {
    settings: w.format,
    value: async (doctype, name, field) => {
      const key = `${doctype}\u0000${name}`;
      let doc = read.get(key);
      if (!doc) read.set(key, (doc = session.get(doctype, name).catch(() => undefined)));
      return (await doc)?.[field] ?? null;
    },
  };
  const diff = await versionDiff(w.doctype, w.children, before, w.written, fmt);
  if (!diff) return undefined;
  let name = w.ids.hash(10);
  while (await session.exists(VERSION_DOCTYPE, name)) name = w.ids.hash(10);
  return session.insert(VERSION_DOCTYPE, {
    name, owner: w.user, modified_by: w.user, creation: w.timestamp, modified: w.timestamp, docstatus: 0, idx: 0,
    ref_doctype: w.doctype.name, docname: String(w.written.name), data: diffJson(diff, w.doctype, w.children), table_html: null,
  });
}

/**
 * The diff a Version document holds (its `data`, parsed).
 * @param version - a Version document
 * @returns the diff
 */
export function versionData(version: DocData): VersionDiff {
  return (typeof version.data === 'string' ? JSON.parse(version.data) : version.data) as VersionDiff;
}
