/**
 * Single DocTypes (`issingle`) in storage: one document, named after its DocType. The memory and SQLite
 * adapters keep it as any other document; the PostgreSQL adapters keep it as Frappe does, as `(doctype,
 * field, value)` rows of one shared table (`tabSingles`, `frappe/model/document.py` `update_single`), with
 * its child rows in their child tables as usual. This module holds what does not depend on the database:
 * a document to field / value text and back (typed again by column kind, so a Check reads back as 0 / 1, a
 * Float as a number), and queries answered on the one document.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { Column, TableSchema } from './columns';
import { matches } from './match';
import { planQuery, planWhere } from './query';
import type { StoredRow } from './rows';
import type { Query, Where } from './types';

/** Frappe's table of Single values. */
export const SINGLES_TABLE = 'tabSingles';

/**
 * The field / value rows of a Single's stored row: every column holding a value (a missing field reads as
 * null), values as text the way `tabSingles.value` holds them.
 * @param schema - the Single's table shape
 * @param row - the row as the adapter stores it (values already checked and canonical)
 * @returns `[field, value]` pairs, `name` first
 */
export function singleValues(schema: TableSchema, row: StoredRow): [string, string][] {
  const out: [string, string][] = [];
  for (const column of schema.columns) {
    const value = row[column.fieldname];
    if (value === null || value === undefined) continue;
    out.push([column.fieldname, column.kind === 'json' || typeof value !== 'string' ? JSON.stringify(value) : value]);
  }
  return out;
}

/**
 * A stored text value typed again by its column: numbers as numbers (Check 0 / 1), JSON parsed, text as is
 * (what Frappe's `get_singles_dict(cast=True)` gives for stored values; dates stay canonical strings).
 * @param column - the column
 * @param text - the stored text, or null
 * @returns the typed value (null for null or a number that does not parse)
 */
export function singleValue(column: Column, text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  if (column.kind === 'string') return text;
  if (column.kind === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The Single's row from its field / value rows: every column, null where nothing is stored; fields that are
 * no longer columns are dropped (as a table keeps unused columns unread).
 * @param schema - the Single's table shape
 * @param values - stored field → text
 * @returns the row, `doctype` first
 */
export function singleRow(schema: TableSchema, values: ReadonlyMap<string, string | null>): Record<string, unknown> {
  const out: Record<string, unknown> = { doctype: schema.doctype };
  for (const column of schema.columns) out[column.fieldname] = singleValue(column, values.get(column.fieldname));
  return out;
}

/**
 * A query on a Single's table: its one document when it matches (checked like any query, so a bad filter
 * fails the same way), projected as asked.
 * @param schema - the Single's table shape
 * @param doc - the whole stored document with its rows, or undefined when never saved
 * @param query - the query
 * @returns zero or one result
 * @throws {StorageError} `STORAGE_BAD_QUERY`, `STORAGE_UNKNOWN_FIELD`
 */
export function querySingle(schema: TableSchema, doc: DocData | undefined, query: Query = {}): DocData[] {
  const plan = planQuery(schema, query);
  if (!doc || !matches(plan.where, doc) || plan.skip > 0 || plan.take === 0) return [];
  const { projection } = plan;
  const out: Record<string, unknown> = projection.withDoctype ? { doctype: schema.doctype } : {};
  for (const column of projection.columns) out[column.fieldname] = doc[column.fieldname] ?? null;
  for (const table of projection.tables) out[table.fieldname] = doc[table.fieldname] ?? [];
  return [out];
}

/**
 * A count on a Single's table (0 or 1).
 * @param schema - the Single's table shape
 * @param doc - the stored document, or undefined
 * @param where - the filter
 * @returns 1 when the document is stored and matches
 */
export function countSingle(schema: TableSchema, doc: DocData | undefined, where: Where | undefined): number {
  const condition = planWhere(schema, where);
  return doc && matches(condition, doc) ? 1 : 0;
}
