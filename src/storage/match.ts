/**
 * The reference semantics of a {@link QueryPlan}, evaluated on plain rows: what SQL adapters must
 * reproduce (docs/storage.md has the table). Text compares by Unicode code point (SQLite `BINARY`,
 * PostgreSQL `COLLATE "C"`), numbers numerically, and null sorts first ascending, last descending.
 *
 * @module
 */
import type { Column } from './columns';
import type { Condition, SortKey } from './query';
import type { StoredRow } from './rows';

/**
 * A stored column's value: own properties only. Rows keep only their non-null columns, so a fieldname such as
 * `constructor` or `toString` that is not stored must read as null, never as what Object.prototype holds.
 */
export function own(row: Readonly<Record<string, unknown>>, field: string): unknown {
  return Object.hasOwn(row, field) ? row[field] : null;
}
import type { Scalar } from './types';

/**
 * Compare two strings by Unicode code point. JavaScript's `<` compares UTF-16 code units, which puts
 * astral characters (surrogate pairs, U+D800–DFFF) below U+E000–FFFF; code point order (= UTF-8 byte order,
 * what SQL's binary collations use) puts them above.
 * @param a - first string
 * @param b - second string
 * @returns negative, 0 or positive
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Move surrogates above U+E000–U+FFFF, which is exactly code point order for the first differing unit.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

function fold(value: Scalar, insensitive: boolean): Scalar {
  return insensitive && typeof value === 'string' ? value.toLowerCase() : value;
}

/** Compare two non-null values of one column kind. */
function compareValues(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

function equalTo(stored: unknown, value: Scalar | null, insensitive: boolean): boolean {
  if (value === null || stored === null || stored === undefined) return value === null && (stored === null || stored === undefined);
  return compareValues(fold(stored as Scalar, insensitive), fold(value, insensitive)) === 0;
}

/**
 * Whether a row satisfies a condition (two-valued logic: never "unknown").
 * @param condition - a validated condition
 * @param row - a stored row
 * @returns true when it matches
 */
export function matches(condition: Condition, row: StoredRow): boolean {
  switch (condition.op) {
    case 'and':
      return condition.items.every((c) => matches(c, row));
    case 'or':
      return condition.items.some((c) => matches(c, row));
    case 'not':
      return !matches(condition.item, row);
    case 'eq':
      return equalTo(own(row, condition.column.fieldname), condition.value, condition.insensitive);
    case 'in': {
      const stored = own(row, condition.column.fieldname);
      return condition.values.some((v) => equalTo(stored, v, condition.insensitive));
    }
    default: {
      const stored = own(row, condition.column.fieldname);
      if (stored === null || stored === undefined) return false;
      const left = fold(stored as Scalar, condition.insensitive);
      const right = fold(condition.value, condition.insensitive);
      switch (condition.op) {
        case 'lt': return compareValues(left, right) < 0;
        case 'lte': return compareValues(left, right) <= 0;
        case 'gt': return compareValues(left, right) > 0;
        case 'gte': return compareValues(left, right) >= 0;
        case 'contains': return String(left).includes(String(right));
        case 'startsWith': return String(left).startsWith(String(right));
        case 'endsWith': return String(left).endsWith(String(right));
      }
    }
  }
}

function compareColumn(column: Column, a: unknown, b: unknown): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  // Null is the smallest value: first ascending, last descending (SQLite / MariaDB; PostgreSQL needs NULLS FIRST / LAST).
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  return column.kind === 'number' ? (a as number) - (b as number) : compareText(String(a), String(b));
}

/**
 * A comparator for `Array.prototype.sort` from sort keys.
 * @param keys - validated sort keys (ending with the `name` tie-break)
 * @returns the comparator
 */
export function rowComparator(keys: readonly SortKey[]): (a: StoredRow, b: StoredRow) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareColumn(key.column, own(a, key.column.fieldname), own(b, key.column.fieldname));
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  };
}
