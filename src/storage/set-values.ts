/**
 * Column updates by name over any {@link StorageSession}: the adapter's own `setValues` when it has one (memory
 * and the PostgreSQL adapters do: one statement per few thousand rows), otherwise `get` + `update` of each
 * document with its stored `modified` (same result, one document write per row).
 *
 * @module
 */
import type { Column, TableSchema } from './columns';
import { StorageError } from './errors';
import type { DocData, RowValues, StorageSession } from './types';
import { refuseStructural, rewriteRows, settableColumns } from './update-where';

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
  rows.forEach(({ values }, i) => refuseStructural(doctype, 'setValues', values, [i, 'values']));
  // One query of just the columns set refuses unknown ones, as the adapters' own setValues does (update drops them).
  const names = [...new Set(rows.map((r) => r.name))];
  await session.query(doctype, { where: { name: names[0] ?? '' }, fields: ['name', ...new Set(rows.flatMap((r) => Object.keys(r.values)))], take: 1 });
  const merged = new Map<string, Record<string, unknown>>();
  for (const { name, values } of rows) merged.set(name, { ...merged.get(name), ...values });
  return session.transaction(async (tx) => {
    const found: DocData[] = [];
    // A few hundred names a query: SQL adapters bind each as a parameter.
    for (let i = 0; i < names.length; i += 500) found.push(...(await tx.query(doctype, { where: { name: { in: names.slice(i, i + 500) } } })));
    await rewriteRows(tx, doctype, found, (row) => merged.get(String(row.name)) ?? {});
    const stored = new Set(found.map((r) => String(r.name)));
    return rows.filter((r) => stored.has(r.name)).length;
  });
}

/** One validated row of a `setValues` call: its columns and their (not yet encoded) values, in the same order. */
export interface PlannedValues {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly values: readonly unknown[];
}

/**
 * Check a `setValues` call against a table (shared by the adapters, so all refuse the same input; the columns
 * through the check `updateWhere` uses too).
 * @param schema - the table
 * @param rows - the call's rows
 * @returns the rows with their columns
 * @throws {StorageError} `STORAGE_BAD_QUERY` (not a list of `{ name, values }`, or a structural column such as
 *   `name` or `parent` among the values), `STORAGE_UNKNOWN_FIELD`
 */
export function planValues(schema: TableSchema, rows: readonly RowValues[]): PlannedValues[] {
  const bad = (message: string, path: (string | number)[]) => new StorageError('STORAGE_BAD_QUERY', `${schema.doctype}: setValues ${message}`, { doctype: schema.doctype, path });
  if (!Array.isArray(rows)) throw bad('expects a list of { name, values }', []);
  return rows.map((row: unknown, i) => {
    const r = row as RowValues;
    if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || typeof r.values !== 'object' || r.values === null) throw bad('expects a list of { name, values }', [i]);
    const columns = settableColumns(schema, 'setValues', r.values, [i, 'values']);
    return { name: r.name, columns, values: columns.map((c) => r.values[c.fieldname]) };
  });
}
