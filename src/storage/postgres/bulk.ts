/**
 * The statement of `setValues` on PostgreSQL: one `UPDATE ... FROM unnest(...)` sets the given columns of many
 * rows by name, each column bound as one typed array (`$1` the names, `$2`... the columns' values in order).
 *
 * @module
 */
import type { Column } from '../columns';
import { sqlType } from './columns';
import { quoteIdent } from './ident';

/**
 * @param table - the qualified, quoted table
 * @param columns - the columns to set (not `name`)
 * @returns the SQL
 */
export function bulkUpdateSql(table: string, columns: readonly Column[]): string {
  // JSON travels as text (as encodeValue gives it) and is cast back.
  const arrays = columns.map((c) => (sqlType(c) === 'json' ? 'text' : sqlType(c)));
  const sets = columns.map((c, i) => `${quoteIdent(c.fieldname)} = ${sqlType(c) === 'json' ? `CAST(v.c${i} AS json)` : `v.c${i}`}`);
  const from = `unnest($1::text[], ${arrays.map((a, i) => `$${i + 2}::${a}[]`).join(', ')}) AS v(name, ${columns.map((_, i) => `c${i}`).join(', ')})`;
  return `UPDATE ${table} AS t SET ${sets.join(', ')} FROM ${from} WHERE t.name = v.name`;
}
