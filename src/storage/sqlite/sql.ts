/**
 * Query planning for the JSON-document layout, SQL side: a validated {@link Condition} and sort keys become
 * SQL over `json_extract(data, ?)`. Every value and every JSON path is a bound `?NNN` parameter; the only
 * text spliced into SQL is this module's own fixed fragments.
 *
 * Terms: a *source* is the relation a query reads: the parent rows of one DocType (`s`, from `doctypes`),
 * or the child rows of one child DocType (`c`, unnested from every parent's Table arrays with `json_each`).
 * `valueSql` reads a column exactly as `readValue` in `json.ts` does, so filters and results agree.
 *
 * @module
 */
import type { Column, TableSchema } from '../columns';
import type { Condition, SortKey } from '../query';
import type { SqlValue } from './driver';
import { jsonPath } from './json';

/** Name of the SQL function that lower-cases like JavaScript (SQLite's `lower()` folds ASCII only). */
export const LOWER_FUNCTION = 'coworker_lower';

/** Collects parameter values; each value gets its own `?NNN`, JSON paths are shared. */
export class Params {
  readonly values: SqlValue[] = [];
  private readonly paths = new Map<string, string>();

  /**
   * Bind a value.
   * @param value - the value
   * @returns its placeholder, e.g. `?3`
   */
  add(value: SqlValue): string {
    this.values.push(value);
    return `?${this.values.length}`;
  }

  /**
   * Bind the JSON path of a key (once per key and statement).
   * @param key - a fieldname
   * @returns its placeholder
   */
  path(key: string): string {
    let found = this.paths.get(key);
    if (!found) this.paths.set(key, (found = this.add(jsonPath(key))));
    return found;
  }
}

/**
 * A column of a JSON value in `src` as SQL, typed like {@link readValue}: numbers numerically (legacy text
 * through `CAST(... AS NUMERIC)`, JSON booleans as 1/0), text only from JSON strings, JSON fields raw.
 * @param src - SQL for the JSON text (e.g. `s.data`)
 * @param column - the column
 * @param p - the statement's parameters
 * @returns the SQL expression
 */
export function valueSql(src: string, column: Column, p: Params): string {
  const path = p.path(column.fieldname);
  const extract = `json_extract(${src}, ${path})`;
  const type = `json_type(${src}, ${path})`;
  switch (column.kind) {
    case 'number':
      return `(CASE WHEN ${type} IN ('integer', 'real', 'true', 'false') THEN ${extract} WHEN ${type} = 'text' THEN CAST(${extract} AS NUMERIC) END)`;
    case 'string':
      return `(CASE WHEN ${type} = 'text' THEN ${extract} END)`;
    case 'json':
      return extract;
  }
}

/** How a source exposes its columns as SQL. */
export type ColumnSql = (column: Column, p: Params) => string;

/** `doctype` inside a parent's data: the seeds' DocType marker. */
export const DOCTYPE_SQL = (alias: string): string => `json_extract(${alias}.data, '$.doctype')`;

/**
 * Columns of the parent source `s` (`name`, `data`): the name is the table's key.
 * @param column - the column
 * @param p - parameters
 * @returns SQL
 */
export const parentColumn: ColumnSql = (column, p) => {
  if (column.fieldname === 'name') return 's.name';
  const value = valueSql('s.data', column, p);
  // Defaults of rows written without them, as `readRow` applies them.
  return column.fieldname === 'docstatus' || column.fieldname === 'idx' ? `COALESCE(${value}, 0)` : value;
};

/**
 * Columns of the child source `c` (`parent_name`, `parenttype`, `parentfield`, `position`, `data`): the
 * parent linkage comes from where the row sits, never from the row's own keys.
 * @param column - the column
 * @param p - parameters
 * @returns SQL
 */
export const childColumn: ColumnSql = (column, p) => {
  switch (column.fieldname) {
    case 'parent': return 'c.parent_name';
    case 'parenttype': return 'c.parenttype';
    case 'parentfield': return 'c.parentfield';
    case 'idx': return `COALESCE(${valueSql('c.data', column, p)}, c.position + 1)`;
    case 'docstatus': return `COALESCE(${valueSql('c.data', column, p)}, 0)`;
    default: return valueSql('c.data', column, p);
  }
};

/**
 * The parent source: rows of `table` whose data names `doctype`.
 * @param table - `main.doctypes`, or the committed view while a transaction is open
 * @param doctype - the parent DocType
 * @param p - parameters
 * @returns a FROM ... WHERE fragment ending in the DocType test (callers append `AND ...`)
 */
export function parentFrom(table: string, doctype: string, p: Params): string {
  return `FROM ${table} s WHERE s.name IS NOT NULL AND ${DOCTYPE_SQL('s')} = ${p.add(doctype)}`;
}

/** A Table field holding rows of a child DocType. */
export interface ChildHome {
  readonly parenttype: string;
  readonly fieldname: string;
}

/**
 * The child source: every object in the Table arrays (of every prepared parent DocType) that hold rows of
 * one child DocType, with where each row sits.
 * @param table - the doctypes table or view
 * @param homes - the Table fields holding this child DocType
 * @param p - parameters
 * @returns a FROM fragment defining alias `c` (callers append `WHERE ...`)
 */
export function childFrom(table: string, homes: readonly ChildHome[], p: Params): string {
  if (homes.length === 0) {
    return 'FROM (SELECT NULL AS parent_name, NULL AS parenttype, NULL AS parentfield, 0 AS position, NULL AS data WHERE 0) c';
  }
  const parts = homes.map((home) => {
    const parenttype = p.add(home.parenttype);
    const fieldname = p.add(home.fieldname);
    const path = p.path(home.fieldname);
    return `SELECT s.name AS parent_name, ${parenttype} AS parenttype, ${fieldname} AS parentfield, j.key AS position, j.value AS data ` +
      `FROM ${table} s, json_each(s.data, ${path}) j ` +
      `WHERE s.name IS NOT NULL AND ${DOCTYPE_SQL('s')} = ${parenttype} AND json_type(s.data, ${path}) = 'array' AND j.type = 'object'`;
  });
  return `FROM (${parts.join(' UNION ALL ')}) c`;
}

function folded(sql: string, insensitive: boolean): string {
  return insensitive ? `${LOWER_FUNCTION}(${sql})` : sql;
}

function bindValue(value: string | number, insensitive: boolean, p: Params): string {
  return p.add(insensitive && typeof value === 'string' ? value.toLowerCase() : value);
}

/**
 * Compile a condition to a two-valued SQL predicate (docs/storage.md, "Query semantics"). SQL's unknown
 * only arises from comparing null; AND / OR keep it "not true", and every negation is written
 * `NOT COALESCE(x, 0)`, so a null comparison is false everywhere, as in the memory adapter.
 * @param condition - the validated condition
 * @param column - how the source exposes columns
 * @param p - parameters
 * @returns the SQL predicate
 */
export function conditionSql(condition: Condition, column: ColumnSql, p: Params): string {
  switch (condition.op) {
    case 'and':
      return condition.items.length ? condition.items.map((c) => `(${conditionSql(c, column, p)})`).join(' AND ') : '1';
    case 'or':
      return condition.items.length ? condition.items.map((c) => `(${conditionSql(c, column, p)})`).join(' OR ') : '0';
    case 'not':
      return `NOT COALESCE((${conditionSql(condition.item, column, p)}), 0)`;
    case 'eq': {
      const left = folded(column(condition.column, p), condition.insensitive);
      return condition.value === null ? `${left} IS NULL` : `${left} = ${bindValue(condition.value, condition.insensitive, p)}`;
    }
    case 'in': {
      // `in: []` binds nothing: every ?NNN bound must appear in the statement.
      if (condition.values.length === 0) return '0';
      const left = folded(column(condition.column, p), condition.insensitive);
      const values = condition.values.filter((v): v is string | number => v !== null);
      const parts: string[] = [];
      if (values.length) parts.push(`${left} IN (${values.map((v) => bindValue(v, condition.insensitive, p)).join(', ')})`);
      if (values.length < condition.values.length) parts.push(`${left} IS NULL`);
      return parts.join(' OR ');
    }
    case 'lt': case 'lte': case 'gt': case 'gte': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[condition.op];
      return `${folded(column(condition.column, p), condition.insensitive)} ${op} ${bindValue(condition.value, condition.insensitive, p)}`;
    }
    case 'contains': case 'startsWith': case 'endsWith': {
      const left = folded(column(condition.column, p), condition.insensitive);
      // instr / substr take the operand literally: no LIKE, so % and _ need no escaping.
      if (condition.op === 'contains') return `instr(${left}, ${bindValue(condition.value, condition.insensitive, p)}) > 0`;
      if (condition.value === '') return `${left} IS NOT NULL`;
      const value = bindValue(condition.value, condition.insensitive, p);
      return condition.op === 'startsWith' ? `substr(${left}, 1, length(${value})) = ${value}` : `substr(${left}, -length(${value})) = ${value}`;
    }
  }
}

/**
 * ORDER BY for sort keys. SQLite already sorts null first ascending and last descending, text by BINARY
 * (code point) and numbers numerically, which is the storage contract.
 * @param keys - validated sort keys
 * @param column - how the source exposes columns
 * @param p - parameters
 * @returns the ORDER BY clause
 */
export function orderSql(keys: readonly SortKey[], column: ColumnSql, p: Params): string {
  return `ORDER BY ${keys.map((k) => `${column(k.column, p)} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')}`;
}

/**
 * LIMIT / OFFSET (`LIMIT -1` is SQLite's "no limit").
 * @param skip - rows to skip
 * @param take - rows to return, or undefined for all
 * @param p - parameters
 * @returns the clause
 */
export function pageSql(skip: number, take: number | undefined, p: Params): string {
  return `LIMIT ${p.add(take ?? -1)} OFFSET ${p.add(skip)}`;
}

/**
 * The Table fields, across all prepared parent DocTypes, that hold rows of a child DocType.
 * @param schemas - every prepared table
 * @param childDoctype - the child DocType
 * @returns where its rows live
 */
export function childHomes(schemas: Iterable<TableSchema>, childDoctype: string): ChildHome[] {
  const homes: ChildHome[] = [];
  for (const schema of schemas) {
    for (const table of schema.tables) if (table.childDoctype === childDoctype) homes.push({ parenttype: schema.doctype, fieldname: table.fieldname });
  }
  return homes;
}
