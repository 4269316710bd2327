/**
 * Single DocTypes (`issingle`: System Settings, Stock Settings...) in runs, as Frappe's `Document` treats
 * them (`frappe/model/document.py`):
 *
 * - The one document is named after the DocType; a run needs no name (and a name given is ignored, as
 *   `frappe.get_doc('System Settings', 'x')` loads the Single whatever `x` is).
 * - Read before it was ever saved, it is a new document's defaults named after the DocType, not local
 *   (`load_from_db`): `takeone` returns it, `update` saves it (a save, not an insert: `validate` and
 *   `before_save` run, `creation` stays empty) and `delete` of it does nothing but the hooks.
 * - `create` is Frappe's `insert`: a new document of defaults and the given values, written over the one
 *   document whether or not it was saved (no `DUPLICATE_ENTRY`).
 *
 * Storage keeps the document as it keeps any other (PostgreSQL: rows of `tabSingles`, ../storage/singles.ts).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { newDoc } from '../doc/new';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { tableSchema } from '../storage/columns';
import { StorageError, timestampMismatch } from '../storage/errors';
import { querySingle } from '../storage/singles';
import type { Query, StorageSession } from '../storage/types';
import { childrenOf, type RunContext } from './core';
import { zeroEmptyNumbers } from './tiers/fieldtypes';

/** Whether a DocType is a Single. */
export function isSingle(doctype: DocType): boolean {
  return doctype.issingle === 1 && doctype.istable !== 1;
}

/**
 * The name a run on a Single addresses: the DocType's own, whatever the input says.
 * @param registry - the engine's DocTypes
 * @param doctype - the run's DocType name
 * @returns the name, or undefined when the DocType is not a Single
 */
export function singleName(registry: Registry, doctype: string | null | undefined): string | undefined {
  const dt = doctype ? registry.tryGet(doctype) : undefined;
  return dt && isSingle(dt) ? dt.name : undefined;
}

/** Defaults documents of never-saved Singles handed out by {@link loadSingle} (they must be inserted, not updated). */
const unsaved = new WeakSet<object>();

/**
 * Whether a document is a never-saved Single's defaults (from {@link loadSingle}).
 * @param doc - a document
 * @returns true when storage holds nothing for it yet
 */
export function isUnsavedSingle(doc: DocData | undefined): boolean {
  return doc !== undefined && unsaved.has(doc);
}

/**
 * A never-saved Single as Frappe's `load_from_db` makes it: `frappe.new_doc(doctype, as_dict=True)` (defaults,
 * the user as owner, empty child tables) named after the DocType, without `__islocal`.
 * @param ctx - the run
 * @param doctype - the Single
 * @returns the document (frozen)
 */
export function singleDefaults(ctx: RunContext, doctype: DocType): DocData {
  const { core } = ctx;
  const data: Record<string, unknown> = {
    ...newDoc(doctype, { user: ctx.user, clock: core.clock, ids: core.ids, timeZone: core.timeZone, systemTimeZone: core.timeZone, getDoctype: (n: string) => core.registry.get(n) }).data,
  };
  for (const key of Object.keys(data)) if (key.startsWith('__')) delete data[key];
  data.name = doctype.name;
  // Every column, as storage returns a document and Frappe's `as_dict` shows a never-saved Single (no
  // creation or modification yet).
  for (const column of tableSchema(doctype).columns) data[column.fieldname] ??= column.fieldname === 'idx' || column.fieldname === 'docstatus' ? 0 : null;
  // `new_doc(as_dict=True)` is `get_valid_dict`: empty numbers are 0 there.
  const doc = Object.freeze(zeroEmptyNumbers(data, { doctype, children: childrenOf(core.registry, doctype) }));
  unsaved.add(doc);
  return doc;
}

/**
 * The Single as a run reads it: stored, or its defaults when never saved.
 * @param ctx - the run
 * @param session - where to read (the engine's storage or the run's transaction)
 * @param doctype - the Single
 * @returns the document
 */
export async function loadSingle(ctx: RunContext, session: StorageSession, doctype: DocType): Promise<DocData> {
  return (await session.get(doctype.name, doctype.name)) ?? singleDefaults(ctx, doctype);
}

/**
 * A `select` on a Single: its one document (stored, or its defaults) when it matches the query.
 * @param ctx - the run
 * @param session - where to read
 * @param doctype - the Single
 * @param query - the storage query
 * @returns zero or one row
 */
export async function selectSingle(ctx: RunContext, session: StorageSession, doctype: DocType, query: Query): Promise<readonly DocData[]> {
  if (await session.exists(doctype.name, doctype.name)) return session.query(doctype.name, query);
  return querySingle(tableSchema(doctype), singleDefaults(ctx, doctype), query);
}

/**
 * Write a Single's document: `create` (no `stored`) writes over whatever is stored (Frappe's `insert` of a
 * Single replaces its values); a save of the never-saved defaults inserts; any other save updates. A save of
 * the defaults that finds the Single saved meanwhile (by another run) is a stale save: `TIMESTAMP_MISMATCH`.
 * @param tx - the run's transaction
 * @param doctype - the Single
 * @param doc - the document to store
 * @param stored - what the run loaded (undefined for create)
 * @param expectedModified - the `modified` the run loaded
 * @returns the document as stored
 */
export async function writeSingle(tx: StorageSession, doctype: DocType, doc: DocData, stored: DocData | undefined, expectedModified: string | null): Promise<DocData> {
  if (stored !== undefined && !isUnsavedSingle(stored)) return tx.update(doctype.name, doc, expectedModified);
  const current = await tx.get(doctype.name, doctype.name, { fields: ['modified'] });
  const stale = (): never => {
    throw timestampMismatch(doctype.name, doctype.name, String(current?.modified ?? ''), String(doc.modified ?? ''));
  };
  if (current) return stored === undefined ? tx.update(doctype.name, doc, (current.modified as string | null) ?? null) : stale();
  try {
    return await tx.insert(doctype.name, doc);
  } catch (e) {
    // Another run saved it first (between the read above and the insert).
    if (e instanceof StorageError && e.code === 'DUPLICATE_ENTRY') return stale();
    throw e;
  }
}

const TEXT_CASTS: ReadonlySet<string> = new Set(['Data', 'Text', 'Small Text', 'Long Text', 'Text Editor', 'Select', 'Link', 'Dynamic Link']);

/**
 * A Single's stored value as `frappe.db.get_single_value` returns it (`frappe.utils.data.cast`): a missing
 * Float / Currency / Percent or Int / Check is 0, missing text ('' for Data, Select, Link...), a missing
 * Date `0001-01-01`, Datetime `0001-01-01 00:00:00`, Time `00:00:00`; other fieldtypes as stored.
 * @param fieldtype - the DocField's fieldtype
 * @param value - the stored value (typed by storage), or null
 * @returns the value cast
 */
export function castSingleValue(fieldtype: string, value: unknown): unknown {
  const missing = value === null || value === undefined || value === '';
  switch (fieldtype) {
    case 'Currency': case 'Float': case 'Percent': case 'Int': case 'Check':
      return typeof value === 'number' ? value : 0;
    case 'Date': return missing ? '0001-01-01' : value;
    case 'Datetime': return missing ? '0001-01-01 00:00:00' : value;
    case 'Time': return missing ? '00:00:00' : value;
    default:
      return TEXT_CASTS.has(fieldtype) && (value === null || value === undefined) ? '' : value ?? null;
  }
}
