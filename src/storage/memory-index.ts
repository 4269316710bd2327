/**
 * Indexes of the memory adapter: every table is a map by name (O(1) `get`), and the columns of `unique` and
 * `search_index` fields are indexed value → names, so a unique check or a filter on such a column reads the
 * few rows holding the value instead of the whole table.
 *
 * The indexes live in the copy-on-write layers of `overlay.ts`. The root table keeps exact indexes (it
 * knows the row it replaces). A child layer (a write, a transaction) only adds: it indexes the rows it
 * sets, and never removes. A lookup is therefore a superset — every name whose current row holds the value
 * was indexed, under that value, by the layer that last set it — and callers re-check each candidate's
 * current row, which also drops names deleted or changed in a layer above.
 *
 * @module
 */
import { own } from './match';
import type { Column } from './columns';
import { Overlay } from './overlay';
import type { KeyValue } from './overlay';
import type { StoredRow } from './rows';

/** Something that can name the rows that may hold a value in a column. */
export interface Candidates {
  /** The fields this table (or layer) indexes: its own DocType's `unique` and `search_index` fields. */
  readonly fields: readonly string[];
  /** Add to `into` the names of rows that may hold `value` (a string or number: `Map` keys 1 and '1' differ). */
  candidates(field: string, value: unknown, into: Set<string>): void;
}

function hasCandidates(value: unknown): value is Candidates {
  return typeof (value as Partial<Candidates>).candidates === 'function';
}

/**
 * value → names, per indexed field. A value held by one row maps to its name, by several to a Set: most
 * indexed values (codes, serials) are unique, and a Set per value would cost more than the row itself.
 */
class FieldIndex {
  private readonly byField = new Map<string, Map<unknown, string | Set<string>>>();

  constructor(readonly fields: readonly string[]) {
    for (const f of fields) this.byField.set(f, new Map());
  }

  add(name: string, row: StoredRow): void {
    for (const [field, index] of this.byField) {
      const value = own(row, field);
      if (value === null || value === undefined) continue;
      const names = index.get(value);
      if (names === undefined) index.set(value, name);
      else if (typeof names === 'string') {
        if (names !== name) index.set(value, new Set([names, name]));
      } else names.add(name);
    }
  }

  remove(name: string, row: StoredRow): void {
    for (const [field, index] of this.byField) {
      const value = own(row, field);
      if (value === null || value === undefined) continue;
      const names = index.get(value);
      if (names === undefined) continue;
      if (typeof names === 'string') {
        if (names === name) index.delete(value);
        continue;
      }
      names.delete(name);
      if (names.size === 1) index.set(value, names.values().next().value as string);
    }
  }

  /** Whether `field` is indexed here. */
  has(field: string): boolean {
    return this.byField.has(field);
  }

  lookup(field: string, value: unknown, into: Set<string>): void {
    const names = this.byField.get(field)?.get(value);
    if (typeof names === 'string') into.add(names);
    else if (names) for (const name of names) into.add(name);
  }
}

/** The committed rows of one table: a `Map` by name with exact indexes. */
export class IndexedTable implements KeyValue<StoredRow>, Candidates {
  private readonly rows = new Map<string, StoredRow>();
  private index: FieldIndex;

  /** @param fields - the columns to index */
  constructor(fields: readonly string[]) {
    this.index = new FieldIndex(fields);
  }

  get fields(): readonly string[] {
    return this.index.fields;
  }

  /** Index other columns (after the DocType changed), rebuilding from the stored rows. */
  reindex(fields: readonly string[]): void {
    this.index = new FieldIndex(fields);
    for (const [name, row] of this.rows) this.index.add(name, row);
  }

  get(key: string): StoredRow | undefined {
    return this.rows.get(key);
  }

  set(key: string, value: StoredRow): void {
    const old = this.rows.get(key);
    if (old) this.index.remove(key, old);
    this.rows.set(key, value);
    this.index.add(key, value);
  }

  delete(key: string): void {
    const old = this.rows.get(key);
    if (!old) return;
    this.index.remove(key, old);
    this.rows.delete(key);
  }

  entries(): Iterable<[string, StoredRow]> {
    return this.rows.entries();
  }

  get size(): number {
    return this.rows.size;
  }

  candidates(field: string, value: unknown, into: Set<string>): void {
    this.index.lookup(field, value, into);
  }
}

/** A layer's changes to a table, indexing (only adding) the rows it sets. */
export class IndexedOverlay extends Overlay<StoredRow> implements Candidates {
  private readonly index: FieldIndex;

  constructor(private readonly under: KeyValue<StoredRow>, fields: readonly string[]) {
    super(under);
    this.index = new FieldIndex(fields);
  }

  get fields(): readonly string[] {
    return this.index.fields;
  }

  override set(key: string, value: StoredRow): void {
    super.set(key, value);
    this.index.add(key, value);
  }

  candidates(field: string, value: unknown, into: Set<string>): void {
    this.index.lookup(field, value, into);
    if (hasCandidates(this.under)) this.under.candidates(field, value, into);
  }
}

/**
 * Names of rows that may hold `value` in `column` (a superset; re-check each row), or undefined when the
 * column is not indexed in this table.
 * @param table - a table space (indexed or not)
 * @param column - the column
 * @param values - the values looked for
 * @returns candidate names
 */
export function candidateNames(table: KeyValue<StoredRow>, column: Column, values: readonly unknown[]): Set<string> | undefined {
  if (column.fieldname === 'name') return new Set(values.filter((v): v is string => typeof v === 'string'));
  if (!hasCandidates(table) || !table.fields.includes(column.fieldname)) return undefined;
  const out = new Set<string>();
  for (const value of values) if (value !== null && value !== undefined) table.candidates(column.fieldname, value, out);
  return out;
}

/**
 * The columns the memory adapter indexes: `unique` and `search_index` fields.
 * @param columns - the table's unique and indexed columns
 * @returns their fieldnames
 */
export function indexFields(columns: readonly Column[]): string[] {
  return columns.map((c) => c.fieldname);
}
