/**
 * Single DocTypes on PostgreSQL: the document's values are `(doctype, field, value)` rows of `tabSingles`
 * (Frappe's layout, `frappe/model/document.py` `update_single`, `frappe/database/database.py`
 * `get_singles_dict`), its child rows live in their child tables (parent = parenttype = the DocType). A write
 * locks the Single's rows (`FOR UPDATE`) and replaces them all; a first write racing another first write hits
 * the table's primary key and fails `DUPLICATE_ENTRY`, never a lost update. See ../singles.ts.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { ChildTable, TableSchema } from '../columns';
import { duplicateEntry, notFound, timestampMismatch } from '../errors';
import type { Projection } from '../query';
import { SINGLES_TABLE, singleRow, singleValues } from '../singles';
import { storedModified } from '../shared';
import type { StoredRow } from '../rows';
import type { SqlClient } from './client';
import { qualified } from './ddl';
import { sqlState } from './errors';

/** What the adapter lends the Single operations. */
export interface SingleDeps {
  /** The PostgreSQL schema holding tabSingles. */
  readonly schema: string;
  /** Child rows of the given parents, by parent name then Table field. */
  readonly loadChildren: (schema: TableSchema, tables: readonly ChildTable[], parents: readonly string[]) => Promise<Map<string, Record<string, DocData[]>>>;
}

/** The statements of the Single operations, on the connection given to each call. */
export interface SingleOps {
  /** The stored document (projected), or undefined when the Single was never saved. */
  read(db: SqlClient, schema: TableSchema, projection: Projection, lock?: boolean): Promise<DocData | undefined>;
  /** Whether any value is stored. */
  stored(db: SqlClient, schema: TableSchema): Promise<boolean>;
  /** Insert the values of a never-saved Single. @throws StorageError `DUPLICATE_ENTRY` when it is saved already */
  insert(db: SqlClient, schema: TableSchema, row: StoredRow): Promise<void>;
  /** Replace the values of a saved Single (optimistic lock on `modified`). @throws `NOT_FOUND`, `TIMESTAMP_MISMATCH` */
  update(db: SqlClient, schema: TableSchema, row: StoredRow, expectedModified: string | null): Promise<void>;
  /** Remove the values. @throws `NOT_FOUND` when nothing is stored */
  remove(db: SqlClient, schema: TableSchema): Promise<void>;
}

/**
 * The Single operations of one adapter.
 * @param deps - see {@link SingleDeps}
 * @returns the operations
 */
export function singleOps(deps: SingleDeps): SingleOps {
  const table = qualified(deps.schema, SINGLES_TABLE);

  const values = async (db: SqlClient, doctype: string, lock: boolean): Promise<Map<string, string | null>> => {
    const result = await db.query<{ field: string; value: string | null }>(
      `SELECT field, value FROM ${table} WHERE doctype = $1${lock ? ' FOR UPDATE' : ''}`, [doctype],
    );
    return new Map(result.rows.map((r) => [r.field, r.value]));
  };

  const put = async (db: SqlClient, schema: TableSchema, row: StoredRow): Promise<void> => {
    const pairs = singleValues(schema, row);
    try {
      // Two array parameters, not two per field: one short statement whatever the Single's width.
      await db.query(
        `INSERT INTO ${table} (doctype, field, value) SELECT $1, f, v FROM unnest($2::text[], $3::text[]) AS u(f, v)`,
        [schema.doctype, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
    } catch (error) {
      // Another first write of this Single committed in between.
      if (sqlState(error) === '23505') throw duplicateEntry(schema.doctype, schema.doctype);
      throw error;
    }
  };

  return {
    async read(db, schema, projection, lock = false) {
      const stored = await values(db, schema.doctype, lock);
      if (stored.size === 0) return undefined;
      const row = singleRow(schema, stored);
      const out: Record<string, unknown> = projection.withDoctype ? { doctype: schema.doctype } : {};
      for (const column of projection.columns) out[column.fieldname] = row[column.fieldname] ?? null;
      if (projection.tables.length) {
        const children = (await deps.loadChildren(schema, projection.tables, [schema.doctype])).get(schema.doctype);
        for (const t of projection.tables) out[t.fieldname] = children?.[t.fieldname] ?? [];
      }
      return out;
    },

    async stored(db, schema) {
      const result = await db.query(`SELECT 1 FROM ${table} WHERE doctype = $1 LIMIT 1`, [schema.doctype]);
      return result.rows.length > 0;
    },

    async insert(db, schema, row) {
      if ((await values(db, schema.doctype, true)).size > 0) throw duplicateEntry(schema.doctype, schema.doctype);
      await put(db, schema, row);
    },

    async update(db, schema, row, expectedModified) {
      // Lock the Single's rows first: a concurrent writer waits here, then sees the committed `modified`.
      const stored = await values(db, schema.doctype, true);
      if (stored.size === 0) throw notFound(schema.doctype, schema.doctype);
      // Frappe's check_if_latest: an empty stored `modified` never conflicts; otherwise string equality.
      const previous = storedModified(stored.get('modified'));
      if (previous !== '' && previous !== (expectedModified ?? '')) {
        throw timestampMismatch(schema.doctype, schema.doctype, previous, storedModified(row['modified']));
      }
      await db.query(`DELETE FROM ${table} WHERE doctype = $1`, [schema.doctype]);
      await put(db, schema, row);
    },

    async remove(db, schema) {
      const result = await db.query(`DELETE FROM ${table} WHERE doctype = $1`, [schema.doctype]);
      if (result.rowCount === 0) throw notFound(schema.doctype, schema.doctype);
    },
  };
}
