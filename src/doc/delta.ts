/**
 * Keeping a {@link DocDelta} up to date, one change at a time.
 *
 * The delta is the readable summary of "what differs from `original`". It is maintained incrementally:
 * a value write touches one key of `values`; a row operation recomputes the delta of that one table
 * (O(rows in the table)). Nothing ever walks the whole document.
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { fieldEqual } from './equal';
import type { DocData, DocDelta, TableDelta } from './types';

type Changes = Readonly<Record<string, unknown>>;
/** One write: key, new value, and the key's DocField (none for standard columns and `__` keys). */
export type Write = readonly [key: string, value: unknown, df: DocField | undefined];
type RowChanges = Readonly<Record<string, Changes>>;

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** Return `record` with `key` set to `value`, or without `key` when `value` is `undefined`. Never mutates. */
function withKey<V>(record: Readonly<Record<string, V>>, key: string, value: V | undefined): Readonly<Record<string, V>> {
  if (value === undefined) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) return record;
    const { [key]: _removed, ...rest } = record;
    return Object.freeze(rest);
  }
  return Object.freeze({ ...record, [key]: value });
}

/**
 * Record top-level writes: a key whose new value equals the original leaves the delta (set back to the
 * original means "not changed"); any other key takes its new value.
 */
export function withValues(delta: DocDelta, original: DocData, entries: readonly Write[]): DocDelta {
  let values = delta.values;
  for (const [key, value, df] of entries) {
    values = fieldEqual(df, original[key], value) ? withKey(values, key, undefined) : withKey(values, key, value);
  }
  return values === delta.values ? delta : Object.freeze({ values, tables: delta.tables });
}

/** Replace the delta of one table (`undefined`: the table is back to its original state). */
export function withTable(delta: DocDelta, table: string, tableDelta: TableDelta | undefined): DocDelta {
  const tables = withKey(delta.tables, table, tableDelta);
  return tables === delta.tables ? delta : Object.freeze({ values: delta.values, tables });
}

// The rows of a table field (`[]` when missing or not a list): the rules layer's, one definition for both layers.
export { rowsOf } from '../rules/states';
const NO_ROWS: readonly DocData[] = Object.freeze([]);

// Original tables are frozen and never change, so their name -> position index is built once per array.
const positions = new WeakMap<readonly DocData[], ReadonlyMap<string, number>>();

/** Position of each row, by `name`, in an original table. */
export function originalPositions(rows: readonly DocData[]): ReadonlyMap<string, number> {
  let map = positions.get(rows);
  if (!map) {
    const m = new Map<string, number>();
    rows.forEach((row, i) => m.set(String(row.name), i));
    positions.set(rows, m);
    map = m;
  }
  return map;
}

/**
 * Record writes to one original row: fields equal to the original row's value leave `changed`, others
 * take their new value; a row with no remaining change leaves `changed`.
 */
export function withRowChanges(
  changed: RowChanges,
  originalRow: DocData,
  rowName: string,
  entries: readonly Write[],
): RowChanges {
  let fields: Changes = changed[rowName] ?? EMPTY;
  for (const [key, value, df] of entries) {
    fields = fieldEqual(df, originalRow[key], value) ? withKey(fields, key, undefined) : withKey(fields, key, value);
  }
  return withKey(changed, rowName, Object.keys(fields).length ? fields : undefined);
}

/**
 * The delta of one table, from its original rows, its current rows and the per-row field changes recorded
 * so far (entries of rows no longer present are dropped). `undefined` when the table is unchanged.
 */
export function diffTable(
  originalRows: readonly DocData[],
  currentRows: readonly DocData[],
  changed: RowChanges,
): TableDelta | undefined {
  const origPos = originalPositions(originalRows);
  const added: DocData[] = [];
  const present = new Set<string>();
  let lastPos = -1;
  let reordered = false;
  for (const row of currentRows) {
    const name = String(row.name);
    const pos = origPos.get(name);
    if (pos === undefined) {
      added.push(row);
      continue;
    }
    present.add(name);
    if (pos < lastPos) reordered = true;
    lastPos = pos;
  }
  const removed: string[] = [];
  if (present.size !== origPos.size) {
    for (const name of origPos.keys()) if (!present.has(name)) removed.push(name);
  }
  let kept = changed;
  for (const name of Object.keys(changed)) if (!present.has(name)) kept = withKey(kept, name, undefined);
  if (!added.length && !removed.length && !reordered && !Object.keys(kept).length) return undefined;
  const delta: TableDelta = { added: Object.freeze(added), removed: Object.freeze(removed), changed: kept };
  return Object.freeze(reordered ? { ...delta, reordered: true } : delta);
}

/**
 * The table delta after a value write to one row, in O(added rows): rows were neither added, removed nor
 * moved, so only `changed` (an original row, `changed` given) or that row's entry in `added` (a new row,
 * `changed` omitted) can differ.
 */
export function afterRowEdit(
  previous: TableDelta | undefined,
  row: DocData,
  changed?: RowChanges,
): TableDelta | undefined {
  if (changed === undefined) {
    if (!previous) return previous;
    return Object.freeze({ ...previous, added: Object.freeze(previous.added.map((r) => (r.name === row.name ? row : r))) });
  }
  const base: TableDelta = previous ?? { added: NO_ROWS, removed: Object.freeze([]), changed: EMPTY };
  if (!base.added.length && !base.removed.length && !base.reordered && !Object.keys(changed).length) return undefined;
  return Object.freeze({ ...base, changed });
}
