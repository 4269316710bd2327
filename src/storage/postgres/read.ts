/**
 * Reading documents: a projection's columns, then the child rows of every Table field it includes with one
 * `parent = ANY($n)` query per Table field, ordered by `idx`, `name`.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { ChildTable, Column, TableSchema } from '../columns';
import type { Projection } from '../query';
import { schemaOf } from '../shared';
import type { SqlClient } from './client';
import { deepFreeze, tableOf } from './state';
import type { Shared } from './state';
import { columnList } from './write';

/** The reads of one session, on its connection. */
export interface Reader {
  /** Load the rows of `tables` for the given parents, grouped by parent name then Table field. */
  loadChildren(schema: TableSchema, tables: readonly ChildTable[], parents: readonly string[]): Promise<Map<string, Record<string, DocData[]>>>;
  /** Select rows with a projection (`tail`: the WHERE / ORDER BY / LIMIT part), attaching their Table fields; frozen. */
  select(schema: TableSchema, projection: Projection, tail: string, params: readonly unknown[]): Promise<readonly DocData[]>;
}

function readRow(schema: TableSchema, row: Record<string, unknown>, projection: Projection | undefined): DocData {
  const columns = projection ? projection.columns : schema.columns;
  const out: Record<string, unknown> = projection && !projection.withDoctype ? {} : { doctype: schema.doctype };
  for (const column of columns) out[column.fieldname] = row[column.fieldname] ?? null;
  return out;
}

/**
 * The reads of a session.
 * @param shared - the adapter
 * @param db - the session's connection (the adapter's pool, or a transaction)
 * @returns the reader
 */
export function reader(shared: Shared, db: SqlClient): Reader {
  const loadChildren: Reader['loadChildren'] = async (schema, tables, parents) => {
    const out = new Map<string, Record<string, DocData[]>>(parents.map((p) => [p, Object.fromEntries(tables.map((t) => [t.fieldname, []]))]));
    if (parents.length === 0) return out;
    for (const t of tables) {
      const child = schemaOf(shared, t.childDoctype);
      const rows = await db.query<Record<string, unknown>>(
        `SELECT ${columnList(child.columns)} FROM ${tableOf(shared, child.doctype)} WHERE parenttype = $1 AND parentfield = $2 AND parent = ANY($3::text[]) ORDER BY idx ASC NULLS FIRST, name ASC`,
        [schema.doctype, t.fieldname, parents],
      );
      for (const row of rows.rows) out.get(row['parent'] as string)?.[t.fieldname]?.push(readRow(child, row, undefined));
    }
    return out;
  };

  const select: Reader['select'] = async (schema, projection, tail, params) => {
    const columns = projection.columns.some((c) => c.fieldname === 'name') ? projection.columns : [...projection.columns, schema.byName.get('name') as Column];
    const result = await db.query<Record<string, unknown>>(`SELECT ${columnList(columns)} FROM ${tableOf(shared, schema.doctype)} ${tail}`, params);
    const children = projection.tables.length
      ? await loadChildren(schema, projection.tables, result.rows.map((r) => r['name'] as string))
      : undefined;
    return deepFreeze(result.rows.map((row) => {
      const doc = readRow(schema, row, projection) as Record<string, unknown>;
      const tables = children?.get(row['name'] as string);
      for (const t of projection.tables) doc[t.fieldname] = tables?.[t.fieldname] ?? [];
      return doc;
    }));
  };

  return { loadChildren, select };
}
