/**
 * One write of the SQLite adapter on the live tables: its steps, and the checks it makes through the side
 * tables (taken names, unique values) before it writes.
 *
 * @module
 */
import type { TableSchema } from '../columns';
import { duplicateEntry, uniqueViolation } from '../errors';
import type { SplitDocument, StoredRow } from '../rows';
import { childSchemaOf, schemaOf } from '../shared';
import { WriteSteps } from '../steps';
import type { StepHook, WriteOp } from '../types';
import type { SqlValue } from './driver';
import { KEYS, ROWS, addEntries } from './keys';
import { Params } from './sql';
import { Reader } from './reader';
import { DOCTYPES, TX_DOCTYPES, chunks, text } from './state';
import type { Level, Shared } from './state';

/** One write on the live tables, reporting each step; runs synchronously inside its own savepoint. */
export class Write extends WriteSteps {
  readonly reader: Reader;

  constructor(
    private readonly shared: Shared,
    private readonly level: Level,
    hook: StepHook | undefined,
    op: WriteOp,
    doctype: string,
    name: string,
  ) {
    super(hook, op, doctype, name);
    this.reader = new Reader(shared, DOCTYPES);
  }

  /** Inside a transaction, keep the committed image of a document before its first change. */
  remember(name: string): void {
    if (this.level.depth === 0) return;
    this.shared.sql.run(`INSERT OR IGNORE INTO ${TX_DOCTYPES}(name, data) VALUES (?1, (SELECT data FROM ${DOCTYPES} WHERE name = ?1))`, [name]);
  }

  /** The stored `doctype` of a name, if the name is taken (by any DocType: they share one table). */
  owner(name: string): { doctype: string; data: string } | undefined {
    const row = this.shared.sql.all(`SELECT json_extract(data, '$.doctype'), data FROM ${DOCTYPES} WHERE name = ?1`, [name])[0];
    return row ? { doctype: text(row[0]), data: text(row[1]) } : undefined;
  }

  /** Refuse a unique value of the parent that another document of the DocType holds (`frappe/model/base_document.py`), through `coworker_keys`. */
  checkParentUnique(schema: TableSchema, parent: StoredRow): void {
    const name = parent['name'] as string;
    for (const column of schema.unique) {
      const value = parent[column.fieldname];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const found = this.shared.sql.all(
        `SELECT 1 FROM ${KEYS} WHERE doctype = ?1 AND field = ?2 AND value = ?3 AND parent IS NULL AND name <> ?4 LIMIT 1`,
        [schema.doctype, column.fieldname, value, name],
      );
      if (found.length) throw uniqueViolation(schema.doctype, name, column.fieldname, column.label, value);
    }
  }

  /**
   * Refuse row names used by another document (the child table's primary key) and unique values repeated
   * among the rows or held by another document's rows, through the side tables. The document's own stored
   * rows do not count: the write replaces all of them.
   */
  checkRows(parent: TableSchema, name: string, split: SplitDocument): void {
    const byChild = new Map<string, StoredRow[]>();
    for (const { childDoctype, row } of split.rows) {
      let list = byChild.get(childDoctype);
      if (!list) byChild.set(childDoctype, (list = []));
      list.push(row);
    }
    const other = (table: string, doctype: string, extra: string, values: readonly SqlValue[]): SqlValue[] | undefined => {
      for (const chunk of chunks(values)) {
        const p = new Params();
        const sql = `SELECT name${extra ? ', value' : ''} FROM ${table} WHERE doctype = ${p.add(doctype)}${extra ? ` AND field = ${p.add(extra)}` : ''} ` +
          `AND ${extra ? 'value' : 'name'} IN (${chunk.map((v) => p.add(v)).join(', ')}) AND NOT (parenttype = ${p.add(parent.doctype)} AND parent = ${p.add(name)}) LIMIT 1`;
        const found = this.shared.sql.all(sql, p.values)[0];
        if (found) return found;
      }
      return undefined;
    };
    for (const [childDoctype, rows] of byChild) {
      const child = schemaOf(this.shared, childDoctype);
      const taken = other(ROWS, childDoctype, '', rows.map((r) => r['name'] as string));
      if (taken) throw duplicateEntry(childDoctype, String(taken[0]));
      for (const column of child.unique) {
        const seen = new Set<unknown>();
        for (const row of rows) {
          const value = row[column.fieldname];
          if (value === null || value === undefined) continue;
          if (seen.has(value)) throw uniqueViolation(childDoctype, row['name'] as string, column.fieldname, column.label, value);
          seen.add(value);
        }
        const clash = other(KEYS, childDoctype, column.fieldname, [...seen] as SqlValue[]);
        if (clash) {
          const value = clash[1];
          const row = rows.find((r) => r[column.fieldname] === value) ?? rows[0];
          throw uniqueViolation(childDoctype, (row?.['name'] as string | undefined) ?? name, column.fieldname, column.label, value);
        }
      }
    }
  }

  /** Record a written document in the side tables (after its `doctypes` row). */
  index(schema: TableSchema, split: SplitDocument): void {
    const name = split.parent['name'] as string;
    addEntries(this.shared.sql, schema, {
      doctype: schema.doctype, name, values: split.parent, rows: split.rows.map((r) => ({ childDoctype: r.childDoctype, values: r.row })),
    }, childSchemaOf(this.shared, schema));
  }
}

/** Rows of a stored document, per child DocType, in Table field order. */
export function storedRowNames(schema: TableSchema, data: Readonly<Record<string, unknown>>): { childDoctype: string; name: string }[] {
  const out: { childDoctype: string; name: string }[] = [];
  for (const table of schema.tables) {
    const list = Object.hasOwn(data, table.fieldname) ? data[table.fieldname] : undefined;
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const name = (item as Record<string, unknown>)['name'];
      if (typeof name === 'string') out.push({ childDoctype: table.childDoctype, name });
    }
  }
  return out;
}

