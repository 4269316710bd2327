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
import type { Path } from '../errors';
import type { Column, TableSchema } from './columns';
import { StorageError } from './errors';
import { planWhere, type Condition } from './query';
import type { Scalar, StorageSession, Where } from './types';

/** Columns a bulk update may not set: they give rows their identity and place (renames go through insert / delete). */
export const STRUCTURAL_COLUMNS: ReadonlySet<string> = new Set(['name', 'parent', 'parenttype', 'parentfield', 'doctype']);

/** The two bulk column writes, which accept and refuse the same columns. */
export type BulkWrite = 'updateWhere' | 'setValues';

/**
 * Refuse values that would move a row or change its identity (`name`, `parent`, `parenttype`, `parentfield`,
 * `doctype`): the one check of both bulk writes, with or without the table's schema at hand.
 * @param doctype - the table
 * @param op - the write, for the message
 * @param values - column -> new value
 * @param path - where `values` sits in the call, for the error
 * @throws {StorageError} `STORAGE_BAD_QUERY`
 */
export function refuseStructural(doctype: string, op: BulkWrite, values: Readonly<Record<string, unknown>>, path: Path = []): void {
  for (const key of Object.keys(values)) {
    if (STRUCTURAL_COLUMNS.has(key)) throw new StorageError('STORAGE_BAD_QUERY', `${op} on ${doctype} may not set "${key}"`, { doctype, field: key, path: [...path, key] });
  }
}

/**
 * Refuse an `updateWhere` that sets nothing or sets a structural column.
 * @param doctype - the table
 * @param values - column -> new value
 * @throws {StorageError} `STORAGE_BAD_QUERY`
 */
export function checkUpdateWhere(doctype: string, values: Readonly<Record<string, unknown>>): void {
  if (Object.keys(values).length === 0) throw new StorageError('STORAGE_BAD_QUERY', `updateWhere on ${doctype} needs at least one column to set`, { doctype });
  refuseStructural(doctype, 'updateWhere', values);
}

/**
 * The columns a bulk write sets, checked against the table: every adapter's `updateWhere` and `setValues`.
 * @param schema - the table
 * @param op - the write
 * @param values - column -> new value
 * @param path - where `values` sits in the call, for errors
 * @returns the columns, in the order of `values`
 * @throws {StorageError} `STORAGE_BAD_QUERY` (a structural column), `STORAGE_UNKNOWN_FIELD`
 */
export function settableColumns(schema: TableSchema, op: BulkWrite, values: Readonly<Record<string, unknown>>, path: Path = []): Column[] {
  refuseStructural(schema.doctype, op, values, path);
  return Object.keys(values).map((field) => {
    const column = schema.byName.get(field);
    if (!column) throw new StorageError('STORAGE_UNKNOWN_FIELD', `${schema.doctype} has no column ${JSON.stringify(field)}`, { doctype: schema.doctype, field, path: [...path, field] });
    return column;
  });
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
  return settableColumns(schema, 'updateWhere', values);
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
  await rewriteRows(session, doctype, rows, () => values);
  return rows.length;
}

/**
 * Set columns of stored rows through `get` and `update` of the documents holding them, each document's
 * `modified` unchanged: a parent row is its document; child rows are changed in their parent, each parent
 * rewritten once. What the bulk writes (`updateWhere`, `setValues`) come down to on an adapter without its own.
 * @param session - an adapter or a transaction (use a transaction: each document is one write)
 * @param doctype - the rows' DocType (parent or child)
 * @param rows - the rows as `query` returns them (a child row with its `parent` and `parenttype`)
 * @param values - the new values of a row
 * @throws {StorageError} as `get` and `update`
 */
export async function rewriteRows(session: StorageSession, doctype: string, rows: readonly DocData[], values: (row: DocData) => Readonly<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const isChild = typeof first.parenttype === 'string' && typeof first.parent === 'string' && typeof first.parentfield === 'string';
  if (!isChild) {
    for (const row of rows) {
      const doc = await session.get(doctype, String(row.name));
      if (doc) await session.update(doctype, { ...doc, ...values(row) }, (doc.modified as string | null) ?? null);
    }
    return;
  }
  // Child rows: group by their parent document, rewrite each parent once with its matching rows changed.
  const byParent = new Map<string, { parenttype: string; parent: string; rows: Map<string, DocData> }>();
  for (const row of rows) {
    const key = `${String(row.parenttype)}\u0000${String(row.parent)}`;
    let entry = byParent.get(key);
    if (!entry) byParent.set(key, (entry = { parenttype: String(row.parenttype), parent: String(row.parent), rows: new Map() }));
    entry.rows.set(String(row.name), row);
  }
  for (const { parenttype, parent, rows: named } of byParent.values()) {
    const doc = await session.get(parenttype, parent);
    if (!doc) continue;
    const next: Record<string, unknown> = { ...doc };
    for (const [key, value] of Object.entries(doc)) {
      if (!Array.isArray(value)) continue;
      next[key] = (value as DocData[]).map((r) => {
        const hit = r && r.doctype === doctype ? named.get(String(r.name)) : undefined;
        return hit ? { ...r, ...values(hit) } : r;
      });
    }
    await session.update(parenttype, next, (doc.modified as string | null) ?? null);
  }
}
