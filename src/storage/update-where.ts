/**
 * Bulk column updates over any {@link StorageSession}: the adapter's own `updateWhere` when it has one (every
 * adapter of coworker does: one statement per table), otherwise a read and a rewrite of every document
 * holding a matching row (a child row's document is rewritten through its parent), with each document's
 * `modified` unchanged. This is what Frappe's `frappe.db.set_value(..., update_modified=False)` and
 * `frappe.qb.update(...)` do for `rename_doc` (`frappe/model/rename_doc.py`).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { Column, TableSchema } from './columns';
import { StorageError } from './errors';
import { planWhere, type Condition } from './query';
import type { Scalar, StorageSession, Where } from './types';

/** Columns a bulk update may not set: they give rows their identity and place (renames go through insert / delete). */
export const STRUCTURAL_COLUMNS: ReadonlySet<string> = new Set(['name', 'parent', 'parenttype', 'parentfield', 'doctype']);

/**
 * Refuse values that would move a row or change its identity.
 * @param doctype - the table
 * @param values - column -> new value
 * @throws {StorageError} `STORAGE_BAD_QUERY`
 */
export function checkUpdateWhere(doctype: string, values: Readonly<Record<string, unknown>>): void {
  const keys = Object.keys(values);
  if (keys.length === 0) throw new StorageError('STORAGE_BAD_QUERY', `updateWhere on ${doctype} needs at least one column to set`, { doctype });
  for (const key of keys) {
    if (STRUCTURAL_COLUMNS.has(key)) throw new StorageError('STORAGE_BAD_QUERY', `updateWhere on ${doctype} may not set "${key}"`, { doctype, field: key });
  }
}

/**
 * The columns an adapter's `updateWhere` sets, checked (for adapters implementing it natively).
 * @param schema - the table
 * @param values - column -> new value
 * @returns the columns, in the order of `values`
 * @throws {StorageError} `STORAGE_BAD_QUERY` (structural or no columns), `STORAGE_UNKNOWN_FIELD`
 */
export function updateColumns(schema: TableSchema, values: Readonly<Record<string, unknown>>): Column[] {
  checkUpdateWhere(schema.doctype, values);
  return Object.keys(values).map((field) => {
    const column = schema.byName.get(field);
    if (!column) throw new StorageError('STORAGE_UNKNOWN_FIELD', `${schema.doctype} has no column ${JSON.stringify(field)}`, { doctype: schema.doctype, field });
    return column;
  });
}

/**
 * What an adapter's native `updateWhere` needs: the checked columns and the planned filter.
 * @throws {StorageError} as {@link updateColumns} and `planWhere`
 */
export function planUpdateWhere(schema: TableSchema, where: Where, values: Readonly<Record<string, unknown>>): { columns: Column[]; condition: Condition } {
  return { columns: updateColumns(schema, values), condition: planWhere(schema, where) };
}

/**
 * Set columns on every row of one table matching a filter, leaving `modified` as it is.
 * @param session - an adapter or a transaction (use a transaction: several tables are several statements)
 * @param doctype - a prepared DocType (parent or child)
 * @param where - which rows
 * @param values - column -> new value (no `name`, `parent`, `parenttype`, `parentfield`)
 * @returns how many rows matched
 * @throws {StorageError} `STORAGE_BAD_QUERY`, `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_DOCUMENT`, `UNIQUE_VIOLATION`
 */
export async function updateWhere(session: StorageSession, doctype: string, where: Where, values: Readonly<Record<string, Scalar | null>>): Promise<number> {
  checkUpdateWhere(doctype, values);
  if (session.updateWhere) return session.updateWhere(doctype, where, values);
  // One transaction (a savepoint inside one): a failure on the tenth document leaves the first nine as they were.
  return session.transaction((tx) => rewrite(tx, doctype, where, values));
}

/**
 * {@link updateWhere} through `query`, `get` and `update` only, in one transaction, whatever the adapter has: for
 * Single DocTypes, whose values an adapter may keep outside any table of their own (`"tabSingles"`).
 */
export async function updateWhereByRewrite(session: StorageSession, doctype: string, where: Where, values: Readonly<Record<string, Scalar | null>>): Promise<number> {
  checkUpdateWhere(doctype, values);
  return session.transaction((tx) => rewrite(tx, doctype, where, values));
}

async function rewrite(session: StorageSession, doctype: string, where: Where, values: Readonly<Record<string, Scalar | null>>): Promise<number> {
  const rows = await session.query(doctype, { where });
  if (rows.length === 0) return 0;
  const first = rows[0]!;
  const isChild = typeof first.parenttype === 'string' && typeof first.parent === 'string' && typeof first.parentfield === 'string';
  if (!isChild) {
    for (const row of rows) {
      const doc = await session.get(doctype, String(row.name));
      if (doc) await session.update(doctype, { ...doc, ...values }, (doc.modified as string | null) ?? null);
    }
    return rows.length;
  }
  // Child rows: group by their parent document, rewrite each parent once with its matching rows changed.
  const byParent = new Map<string, { parenttype: string; parent: string; rows: Set<string> }>();
  for (const row of rows) {
    const key = `${String(row.parenttype)}\u0000${String(row.parent)}`;
    let entry = byParent.get(key);
    if (!entry) byParent.set(key, (entry = { parenttype: String(row.parenttype), parent: String(row.parent), rows: new Set() }));
    entry.rows.add(String(row.name));
  }
  for (const { parenttype, parent, rows: names } of byParent.values()) {
    const doc = await session.get(parenttype, parent);
    if (!doc) continue;
    const next: Record<string, unknown> = { ...doc };
    for (const [key, value] of Object.entries(doc)) {
      if (!Array.isArray(value)) continue;
      next[key] = (value as DocData[]).map((r) => (r && r.doctype === doctype && names.has(String(r.name)) ? { ...r, ...values } : r));
    }
    await session.update(parenttype, next, (doc.modified as string | null) ?? null);
  }
  return rows.length;
}
