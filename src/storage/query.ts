/**
 * Checks a {@link Query} against a table and turns it into a {@link QueryPlan}: a small, fully validated
 * condition tree plus sort keys, paging and projection. Adapters execute plans, never raw queries, so
 * every adapter rejects the same queries with the same codes (SQL adapters compile the plan to SQL; the
 * memory adapter evaluates it with `match.ts`).
 *
 * @module
 */
import type { Path } from '../errors';
import { nearest } from '../schema/suggest';
import type { ChildTable, Column, TableSchema } from './columns';
import { StorageError } from './errors';
import type { FieldFilter, GetOptions, Query, Scalar, Where } from './types';

/**
 * A validated filter. Leaves are two-valued: a null column value makes `eq` / `in` false unless the operand
 * is null, and every comparison or text operator false. `and` of nothing is true, `or` of nothing is false.
 */
export type Condition =
  | { readonly op: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly op: 'not'; readonly item: Condition }
  | { readonly op: 'eq'; readonly column: Column; readonly value: Scalar | null; readonly insensitive: boolean }
  | { readonly op: 'in'; readonly column: Column; readonly values: readonly (Scalar | null)[]; readonly insensitive: boolean }
  | { readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly column: Column; readonly value: Scalar; readonly insensitive: boolean }
  | { readonly op: 'contains' | 'startsWith' | 'endsWith'; readonly column: Column; readonly value: string; readonly insensitive: boolean };

/** One sort key. */
export interface SortKey {
  readonly column: Column;
  readonly desc: boolean;
}

/** What to return for each matching row. */
export interface Projection {
  /** Columns to return, in order. */
  readonly columns: readonly Column[];
  /** Table fields whose rows to load. */
  readonly tables: readonly ChildTable[];
  /** Whether to add `doctype` (only when no explicit `fields` were asked for). */
  readonly withDoctype: boolean;
}

/** A validated query. */
export interface QueryPlan {
  readonly where: Condition;
  /** Sort keys, ending with `name` ascending unless `name` is already a key. */
  readonly orderBy: readonly SortKey[];
  readonly skip: number;
  readonly take: number | undefined;
  readonly projection: Projection;
}

const TRUE: Condition = Object.freeze({ op: 'and', items: Object.freeze([]) });
const FILTER_KEYS = new Set(['equals', 'in', 'notIn', 'not', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'mode']);
const COMPARISONS = ['lt', 'lte', 'gt', 'gte'] as const;
const TEXT_OPS = ['contains', 'startsWith', 'endsWith'] as const;

function badQuery(schema: TableSchema, message: string, path: Path, value?: unknown): StorageError {
  const where = path.length ? ` at ${path.join('.')}` : '';
  return new StorageError('STORAGE_BAD_QUERY', `${schema.doctype}: ${message}${where}`, { doctype: schema.doctype, path, value });
}

function unknownField(schema: TableSchema, field: string, path: Path, candidates: readonly string[]): StorageError {
  const guess = nearest(field, candidates);
  const hint = schema.tablesByName.has(field)
    ? ' (a Table field: filter its rows by querying the child DocType)'
    : guess ? ` (did you mean ${JSON.stringify(guess)}?)` : '';
  return new StorageError('STORAGE_UNKNOWN_FIELD', `${schema.doctype} has no column ${JSON.stringify(field)}${hint}`, {
    doctype: schema.doctype, field, path,
  });
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolve a column name or throw `STORAGE_UNKNOWN_FIELD`. */
function column(schema: TableSchema, field: string, path: Path): Column {
  const found = schema.byName.get(field);
  if (!found) throw unknownField(schema, field, path, [...schema.byName.keys()]);
  return found;
}

/** Check an operand's type against the column kind. */
function operand(schema: TableSchema, col: Column, value: unknown, path: Path, allowNull: boolean): Scalar | null {
  if (value === null) {
    if (allowNull) return null;
    throw badQuery(schema, 'null is only allowed with equals, in, notIn and not', path, value);
  }
  if (col.kind === 'json') throw badQuery(schema, `JSON field ${col.fieldname} can only be compared with null`, path, value);
  if (col.kind === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw badQuery(schema, `${col.fieldname} holds numbers; expected a finite number, got ${JSON.stringify(value) ?? typeof value}`, path, value);
  }
  if (typeof value === 'string') {
    // No stored text can hold NUL (PostgreSQL text cannot, so no adapter stores it): a NUL operand is a
    // mistake or a probe, refused the same way on every adapter instead of "no match" on some and a driver
    // error on others (docs/storage.md, "Control characters").
    if (value.includes('\u0000')) throw badQuery(schema, `${col.fieldname}: a text operand cannot contain the NUL character (U+0000)`, path, value);
    return value;
  }
  throw badQuery(schema, `${col.fieldname} holds text; expected a string, got ${JSON.stringify(value) ?? typeof value}`, path, value);
}

function operandList(schema: TableSchema, col: Column, value: unknown, path: Path): (Scalar | null)[] {
  if (!Array.isArray(value)) throw badQuery(schema, 'expected an array', path, value);
  return value.map((item: unknown, i) => operand(schema, col, item, [...path, i], true));
}

function fieldFilter(schema: TableSchema, col: Column, filter: FieldFilter, path: Path, inheritedMode: boolean): Condition {
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.has(key)) throw badQuery(schema, `unknown operator ${JSON.stringify(key)}`, [...path, key]);
  }
  const mode = filter.mode;
  if (mode !== undefined && mode !== 'default' && mode !== 'insensitive') {
    throw badQuery(schema, `mode must be 'default' or 'insensitive'`, [...path, 'mode'], mode);
  }
  const insensitive = mode === undefined ? inheritedMode : mode === 'insensitive';
  if (insensitive && col.kind !== 'string') throw badQuery(schema, `mode 'insensitive' needs a text field, ${col.fieldname} is not`, [...path, 'mode']);
  const items: Condition[] = [];
  const base = { column: col, insensitive };
  if (filter.equals !== undefined) items.push({ op: 'eq', ...base, value: operand(schema, col, filter.equals, [...path, 'equals'], true) });
  if (filter.in !== undefined) items.push({ op: 'in', ...base, values: operandList(schema, col, filter.in, [...path, 'in']) });
  if (filter.notIn !== undefined) {
    items.push({ op: 'not', item: { op: 'in', ...base, values: operandList(schema, col, filter.notIn, [...path, 'notIn']) } });
  }
  if (filter.not !== undefined) {
    const inner = isRecord(filter.not)
      ? fieldFilter(schema, col, filter.not, [...path, 'not'], insensitive)
      : ({ op: 'eq', ...base, value: operand(schema, col, filter.not, [...path, 'not'], true) } as const);
    items.push({ op: 'not', item: inner });
  }
  for (const op of COMPARISONS) {
    if (filter[op] !== undefined) items.push({ op, ...base, value: operand(schema, col, filter[op], [...path, op], false) as Scalar });
  }
  for (const op of TEXT_OPS) {
    const value = filter[op];
    if (value === undefined) continue;
    if (col.kind !== 'string') throw badQuery(schema, `${op} needs a text field, ${col.fieldname} is not`, [...path, op]);
    items.push({ op, ...base, value: operand(schema, col, value, [...path, op], false) as string });
  }
  return items.length === 1 ? (items[0] as Condition) : { op: 'and', items };
}

function whereList(schema: TableSchema, value: unknown, path: Path, single: boolean): Condition[] {
  if (Array.isArray(value)) return value.map((w: unknown, i) => planWhere(schema, w as Where, [...path, i]));
  if (single && isRecord(value)) return [planWhere(schema, value as Where, path)];
  throw badQuery(schema, single ? 'expected a filter object or an array of them' : 'expected an array of filter objects', path, value);
}

/**
 * Validate a `where` filter.
 * @param schema - the table
 * @param where - the filter (undefined means "every row")
 * @param path - where the filter sits in the query, for errors @default ['where']
 * @returns the condition tree
 * @throws {StorageError} `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_QUERY`
 */
export function planWhere(schema: TableSchema, where: Where | undefined, path: Path = ['where']): Condition {
  if (where === undefined) return TRUE;
  if (!isRecord(where)) throw badQuery(schema, 'a filter must be an object', path, where);
  const items: Condition[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const at = [...path, key];
    if (key === 'AND') items.push({ op: 'and', items: whereList(schema, value, at, true) });
    else if (key === 'OR') items.push({ op: 'or', items: whereList(schema, value, at, false) });
    // NOT of a list: none of them holds (Prisma), i.e. AND of the negations.
    else if (key === 'NOT') items.push({ op: 'and', items: whereList(schema, value, at, true).map((item) => ({ op: 'not', item })) });
    else {
      const col = column(schema, key, at);
      if (isRecord(value)) items.push(fieldFilter(schema, col, value as FieldFilter, at, false));
      else items.push({ op: 'eq', column: col, value: operand(schema, col, value, at, true), insensitive: false });
    }
  }
  return items.length === 1 ? (items[0] as Condition) : { op: 'and', items };
}

function planOrderBy(schema: TableSchema, orderBy: Query['orderBy']): SortKey[] {
  const keys: SortKey[] = [];
  if (orderBy !== undefined) {
    const list: readonly unknown[] = Array.isArray(orderBy) ? orderBy : [orderBy];
    list.forEach((entry, i) => {
      const at: Path = Array.isArray(orderBy) ? ['orderBy', i] : ['orderBy'];
      if (!isRecord(entry)) throw badQuery(schema, 'expected { field: "asc" | "desc" }', at, entry);
      for (const [field, dir] of Object.entries(entry)) {
        const col = column(schema, field, [...at, field]);
        if (col.kind === 'json') throw badQuery(schema, `cannot sort by JSON field ${field}`, [...at, field]);
        if (dir !== 'asc' && dir !== 'desc') throw badQuery(schema, `sort direction must be "asc" or "desc"`, [...at, field], dir);
        keys.push({ column: col, desc: dir === 'desc' });
      }
    });
  }
  // Rows with equal keys come back in one defined order on every adapter.
  if (!keys.some((k) => k.column.fieldname === 'name')) keys.push({ column: column(schema, 'name', []), desc: false });
  return keys;
}

function count(schema: TableSchema, value: unknown, key: 'take' | 'skip'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw badQuery(schema, `${key} must be a non-negative integer`, [key], value);
}

/**
 * Validate a projection (`fields`, `withChildren`).
 * @param schema - the table
 * @param fields - requested keys, or undefined for everything
 * @param withChildren - load every Table field when no `fields` are given
 * @returns the projection
 * @throws {StorageError} `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_QUERY`
 */
export function planProjection(schema: TableSchema, fields: GetOptions['fields'], withChildren: boolean): Projection {
  if (fields === undefined) {
    return { columns: schema.columns, tables: withChildren ? schema.tables : [], withDoctype: true };
  }
  if (!Array.isArray(fields)) throw badQuery(schema, 'fields must be an array of field names', ['fields'], fields);
  const columns: Column[] = [];
  const tables: ChildTable[] = [];
  const seen = new Set<string>();
  fields.forEach((field: unknown, i) => {
    if (typeof field !== 'string') throw badQuery(schema, 'fields must be an array of field names', ['fields', i], field);
    if (seen.has(field)) return;
    seen.add(field);
    const table = schema.tablesByName.get(field);
    if (table) tables.push(table);
    else {
      const col = schema.byName.get(field);
      if (!col) throw unknownField(schema, field, ['fields', i], [...schema.byName.keys(), ...schema.tablesByName.keys()]);
      columns.push(col);
    }
  });
  if (withChildren) for (const t of schema.tables) if (!seen.has(t.fieldname)) tables.push(t);
  return { columns, tables, withDoctype: false };
}

/**
 * Validate a whole query.
 * @param schema - the table
 * @param query - the query @default {}
 * @returns the plan
 * @throws {StorageError} `STORAGE_UNKNOWN_FIELD`, `STORAGE_BAD_QUERY`
 */
export function planQuery(schema: TableSchema, query: Query = {}): QueryPlan {
  const given: unknown = query;
  if (!isRecord(given)) throw badQuery(schema, 'a query must be an object', [], given);
  for (const key of Object.keys(query)) {
    if (!['where', 'orderBy', 'take', 'skip', 'fields', 'withChildren'].includes(key)) {
      throw badQuery(schema, `unknown query option ${JSON.stringify(key)}`, [key]);
    }
  }
  if (query.withChildren !== undefined && typeof query.withChildren !== 'boolean') {
    throw badQuery(schema, 'withChildren must be a boolean', ['withChildren'], query.withChildren);
  }
  return {
    where: planWhere(schema, query.where),
    orderBy: planOrderBy(schema, query.orderBy),
    skip: count(schema, query.skip, 'skip') ?? 0,
    take: count(schema, query.take, 'take'),
    projection: planProjection(schema, query.fields, query.withChildren === true),
  };
}

/**
 * The exact equalities a condition requires (`eq` / `in` with non-null values, case-sensitive, at the top
 * level or under `and`): an adapter with an index on one of these columns reads only the rows the index
 * names, then applies the whole condition to them.
 * @param condition - a validated condition
 * @returns column and values of each such test, in condition order
 */
export function equalityTests(condition: Condition): { column: Column; values: readonly Scalar[] }[] {
  if ((condition.op === 'eq' || condition.op === 'in') && !condition.insensitive) {
    const values = condition.op === 'eq' ? [condition.value] : condition.values;
    if (values.every((v) => v !== null)) return [{ column: condition.column, values: values as Scalar[] }];
  }
  return condition.op === 'and' ? condition.items.flatMap(equalityTests) : [];
}
