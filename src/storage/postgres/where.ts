/**
 * Compile a validated {@link QueryPlan} (from `planQuery`) into parameterised PostgreSQL: every operand is a
 * `$n` parameter, every identifier is quoted. The SQL keeps docs/storage.md's two-valued logic: a leaf may be
 * NULL only where its column is NULL, AND / OR treat NULL like false already, and every NOT is written
 * `NOT COALESCE(x, FALSE)`, so a negation matches the rows whose column is NULL (as Frappe's `ifnull` does).
 *
 * @module
 */
import type { Column } from '../columns';
import type { Condition, SortKey } from '../query';
import type { Scalar } from '../types';
import { canonicalTemporal, sqlType } from './columns';
import { quoteIdent } from './ident';

/** Collects parameters and hands out their placeholders. */
export class Params {
  readonly values: unknown[] = [];

  /**
   * Add a parameter.
   * @param value - the value to bind
   * @returns its placeholder, e.g. `$3`
   */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Options of {@link compileWhere}. */
export interface SqlDialect {
  /**
   * A collation whose `lower()` folds all of Unicode (e.g. `pg_c_utf8`, `und-x-icu`), for `mode: 'insensitive'`;
   * undefined uses the database default (which folds only ASCII under the C locale).
   */
  readonly lowerCollation: string | undefined;
}

const TEXT_FORMATS: Readonly<Record<NonNullable<Column['format']>, string>> = {
  Date: `to_char(%, 'YYYY-MM-DD')`,
  Datetime: `to_char(%, 'YYYY-MM-DD HH24:MI:SS.US')`,
  // to_char has no TIME form; an interval prints the same fields.
  Time: `to_char(%::interval, 'HH24:MI:SS.US')`,
};

/**
 * The column as canonical text: the column itself for text, the canonical string of a date / time column
 * (what the adapter returns), so text operators and odd operands compare exactly as the memory adapter does.
 */
function textOf(column: Column): string {
  const col = quoteIdent(column.fieldname);
  return column.format ? `(${TEXT_FORMATS[column.format].replace('%', col)} COLLATE "C")` : col;
}

function lowered(column: Column, dialect: SqlDialect): string {
  const collate = dialect.lowerCollation ? ` COLLATE ${quoteIdent(dialect.lowerCollation)}` : '';
  return `lower(${textOf(column)}${collate})`;
}

function likePattern(op: 'contains' | 'startsWith' | 'endsWith', value: string): string {
  // `\` is the escape character (ESCAPE below), so `%` and `_` are matched literally.
  const literal = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'contains' ? `%${literal}%` : op === 'startsWith' ? `${literal}%` : `%${literal}`;
}

/**
 * How a leaf compares one column with its operands: the column expression and a placeholder maker.
 * Typed comparison (index-friendly) whenever the operands allow it; otherwise a comparison that keeps the
 * memory adapter's meaning (numerically for a fraction against an integer column, as canonical text for a
 * date / time operand that is not a valid canonical value).
 */
function operands(column: Column, values: readonly Scalar[], insensitive: boolean, params: Params, dialect: SqlDialect): { col: string; bind: (v: Scalar) => string } {
  if (insensitive) return { col: lowered(column, dialect), bind: (v) => params.add(String(v).toLowerCase()) };
  if (column.kind === 'number') {
    const type = sqlType(column);
    if (type !== 'numeric' && values.some((v) => !Number.isSafeInteger(v))) {
      return { col: `${quoteIdent(column.fieldname)}::numeric`, bind: (v) => `${params.add(v)}::numeric` };
    }
    return { col: quoteIdent(column.fieldname), bind: (v) => params.add(v) };
  }
  const format = column.format;
  if (format) {
    const canonical = values.map((v) => canonicalTemporal(format, String(v)));
    if (canonical.every((v) => v !== undefined)) {
      let i = 0;
      return { col: quoteIdent(column.fieldname), bind: () => params.add(canonical[i++]) };
    }
    return { col: textOf(column), bind: (v) => params.add(v) };
  }
  return { col: quoteIdent(column.fieldname), bind: (v) => params.add(v) };
}

const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * Compile a condition tree to a boolean SQL expression.
 * @param condition - from `planWhere` / `planQuery`
 * @param params - receives the operands
 * @param dialect - see {@link SqlDialect}
 * @returns the SQL expression
 */
export function compileWhere(condition: Condition, params: Params, dialect: SqlDialect): string {
  switch (condition.op) {
    case 'and':
    case 'or': {
      if (condition.items.length === 0) return condition.op === 'and' ? 'TRUE' : 'FALSE';
      const parts = condition.items.map((item) => compileWhere(item, params, dialect));
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(condition.op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      return `NOT COALESCE(${compileWhere(condition.item, params, dialect)}, FALSE)`;
    case 'eq': {
      if (condition.value === null) return `${quoteIdent(condition.column.fieldname)} IS NULL`;
      const { col, bind } = operands(condition.column, [condition.value], condition.insensitive, params, dialect);
      return `${col} = ${bind(condition.value)}`;
    }
    case 'in': {
      const present = condition.values.filter((v): v is Scalar => v !== null);
      const isNull = condition.values.includes(null) ? `${quoteIdent(condition.column.fieldname)} IS NULL` : undefined;
      if (present.length === 0) return isNull ?? 'FALSE';
      const { col, bind } = operands(condition.column, present, condition.insensitive, params, dialect);
      const list = `${col} IN (${present.map(bind).join(', ')})`;
      return isNull ? `(${list} OR ${isNull})` : list;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const { col, bind } = operands(condition.column, [condition.value], condition.insensitive, params, dialect);
      return `${col} ${COMPARE[condition.op]} ${bind(condition.value)}`;
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const col = condition.insensitive ? lowered(condition.column, dialect) : textOf(condition.column);
      const value = condition.insensitive ? condition.value.toLowerCase() : condition.value;
      return `${col} LIKE ${params.add(likePattern(condition.op, value))} ESCAPE '\\'`;
    }
  }
}

/**
 * Compile sort keys: null is the smallest value (first ascending, last descending), as docs/storage.md says.
 * @param keys - from `planQuery` (ending with `name`)
 * @returns the ORDER BY list
 */
export function compileOrderBy(keys: readonly SortKey[]): string {
  return keys.map((k) => `${quoteIdent(k.column.fieldname)} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`).join(', ');
}
