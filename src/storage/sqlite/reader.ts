/**
 * Reads of the SQLite adapter against one relation: the live tables, or the committed view while a
 * transaction is open.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { Column, TableSchema } from '../columns';
import type { Condition, Projection } from '../query';
import { equalityTests } from '../query';
import { childSchemaOf } from '../shared';
import type { SqlValue } from './driver';
import { parseData, readChildRow, readDocument } from './json';
import { KEYS } from './keys';
import { DOCTYPE_SQL, Params, childColumn, childFrom, childHomes, conditionSql, parentColumn, parentFrom } from './sql';
import type { ColumnSql } from './sql';
import { COMMITTED_SERIES, DOCTYPES, SERIES, text } from './state';
import type { Shared } from './state';

/** Reads against one relation: the live tables, or the committed view while a transaction is open. */
export class Reader {
  constructor(
    private readonly shared: Shared,
    private readonly table: string,
  ) {}

  /** FROM / WHERE of a DocType's rows and how to read its columns. */
  private source(schema: TableSchema, p: Params, condition: Condition): { from: string; column: ColumnSql; where: string } {
    if (schema.isChild) {
      return { from: childFrom(this.table, childHomes(this.shared.schemas.values(), schema.doctype), p), column: childColumn, where: 'WHERE 1' };
    }
    const keys = this.keyed(schema, condition, p);
    if (keys) {
      // CROSS JOIN keeps the key lookup as the outer loop: each named document is then read by primary key
      // (left to itself, SQLite may prefer the DocType marker's index and parse every document of the DocType).
      return { from: `FROM (${keys}) k CROSS JOIN ${this.table} s WHERE s.name = k.name AND ${DOCTYPE_SQL('s')} = ${p.add(schema.doctype)}`, column: parentColumn, where: '' };
    }
    return { from: parentFrom(this.table, schema.doctype, p), column: parentColumn, where: '' };
  }

  /**
   * Rows matching a condition, as SQL rows: `name, data` (parents) or `parent, parenttype, parentfield,
   * position, data` (child rows).
   */
  select(schema: TableSchema, condition: Condition, extra: (column: ColumnSql, p: Params) => string = () => ''): SqlValue[][] {
    const p = new Params();
    const { from, column, where } = this.source(schema, p, condition);
    const columns = schema.isChild ? 'c.parent_name, c.parenttype, c.parentfield, c.position, c.data' : 's.name, s.data';
    return this.shared.sql.all(`SELECT ${columns} ${from} ${where} AND (${conditionSql(condition, column, p)}) ${extra(column, p)}`, p.values);
  }

  /**
   * When the condition requires exact values of a `unique` / `search_index` column of a parent DocType, a
   * query for the names of the documents holding them, from `coworker_keys`: SQLite then reads those
   * documents by primary key instead of parsing every document of the DocType. (Not while a transaction is
   * open: the side tables hold its uncommitted state, and outside readers must see the committed one.)
   */
  private keyed(schema: TableSchema, condition: Condition, p: Params): string | undefined {
    if (schema.isChild || this.table !== DOCTYPES) return undefined;
    const test = equalityTests(condition).find((t) => t.column.unique || t.column.indexed === true);
    if (!test || test.values.length === 0 || test.values.length > 500) return undefined;
    const values = test.values.map((v) => p.add(v)).join(', ');
    return `SELECT DISTINCT name FROM ${KEYS} WHERE doctype = ${p.add(schema.doctype)} AND field = ${p.add(test.column.fieldname)} AND value IN (${values}) AND parent IS NULL`;
  }

  count(schema: TableSchema, condition: Condition): number {
    const p = new Params();
    const { from, column, where } = this.source(schema, p, condition);
    const rows = this.shared.sql.all(`SELECT count(*) ${from} ${where} AND (${conditionSql(condition, column, p)})`, p.values);
    return Number(rows[0]?.[0] ?? 0);
  }

  /** Turn SQL rows from {@link select} into documents or child rows. */
  read(schema: TableSchema, rows: SqlValue[][], projection: Projection): DocData[] {
    if (schema.isChild) {
      return rows.map(([parent, parenttype, parentfield, position, data]) =>
        readChildRow(schema, parseData(data), { parent: text(parent), parenttype: text(parenttype), parentfield: text(parentfield), position: Number(position) }, projection));
    }
    const childSchema = childSchemaOf(this.shared, schema);
    return rows.map(([name, data]) => readDocument(schema, parseData(data), text(name), projection, childSchema));
  }

  counter(key: string): number {
    const rows = this.shared.sql.all(`SELECT "current" FROM ${this.table === DOCTYPES ? SERIES : COMMITTED_SERIES} WHERE name = ?1`, [key]);
    return Number(rows[0]?.[0] ?? 0);
  }
}

export const eqName = (schema: TableSchema, name: string): Condition => ({ op: 'eq', column: schema.byName.get('name') as Column, value: name, insensitive: false });

