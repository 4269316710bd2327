/**
 * Column updates by name over any {@link StorageSession}: the adapter's own `setValues` when it has one (memory
 * and the PostgreSQL adapters do: one statement per few thousand rows), otherwise `get` + `update` of each
 * document with its stored `modified` (same result, one document write per row).
 *
 * @module
 */
import type { Column, TableSchema } from './columns';
import { StorageError } from './errors';
import type { RowValues, StorageSession } from './types';

/**
 * Set columns of stored rows by name (no `modified` change).
 * @param session - an adapter or a transaction
 * @param doctype - a prepared DocType
 * @param rows - the rows and their new values
 * @returns how many rows were changed
 * @throws {StorageError} as `setValues` / `update` do
 */
export async function setStoredValues(session: StorageSession, doctype: string, rows: readonly RowValues[]): Promise<number> {
  if (rows.length === 0) return 0;
  if (session.setValues) return session.setValues(doctype, rows);
  let changed = 0;
  for (const { name, values } of rows) {
    if (Object.hasOwn(values, 'name')) throw new StorageError('STORAGE_BAD_QUERY', `${doctype}: setValues cannot change name`, { doctype, field: 'name' });
    // A read of just these fields refuses unknown columns, as the adapters' own setValues does (update drops them).
    if (!(await session.get(doctype, name, { fields: Object.keys(values) }))) continue;
    const doc = await session.get(doctype, name);
    if (!doc) continue;
    await session.update(doctype, { ...doc, ...values }, typeof doc.modified === 'string' ? doc.modified : null);
    changed++;
  }
  return changed;
}

/** One validated row of a `setValues` call: its columns and their (not yet encoded) values, in the same order. */
export interface PlannedValues {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly values: readonly unknown[];
}

/**
 * Check a `setValues` call against a table (shared by the adapters, so all refuse the same input).
 * @param schema - the table
 * @param rows - the call's rows
 * @returns the rows with their columns
 * @throws {StorageError} `STORAGE_BAD_QUERY` (not a list of `{ name, values }`, or `name` among the values),
 *   `STORAGE_UNKNOWN_FIELD`
 */
export function planValues(schema: TableSchema, rows: readonly RowValues[]): PlannedValues[] {
  const bad = (message: string, path: (string | number)[]) => new StorageError('STORAGE_BAD_QUERY', `${schema.doctype}: setValues ${message}`, { doctype: schema.doctype, path });
  if (!Array.isArray(rows)) throw bad('expects a list of { name, values }', []);
  return rows.map((row: unknown, i) => {
    const r = row as RowValues;
    if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || typeof r.values !== 'object' || r.values === null) throw bad('expects a list of { name, values }', [i]);
    const columns: Column[] = [];
    const values: unknown[] = [];
    for (const [field, value] of Object.entries(r.values)) {
      const column = field === 'name' ? undefined : schema.byName.get(field);
      if (field === 'name') throw bad('cannot change name', [i, 'values', field]);
      if (!column) throw new StorageError('STORAGE_UNKNOWN_FIELD', `${schema.doctype} has no column ${JSON.stringify(field)}`, { doctype: schema.doctype, field, path: [i, 'values', field] });
      columns.push(column);
      values.push(value);
    }
    return { name: r.name, columns, values };
  });
}
