/**
 * A dry run's insert without the insert: the document exactly as storage would return it after `insert`, and
 * the refusals storage would raise, computed from the shared row rules of the storage layer (`splitDocument`,
 * the same code every adapter writes through) and reads of the session. Nothing is written, so a dry run costs
 * no storage steps, no rollback and no read-back.
 *
 * The refusals, in the order an adapter's insert raises them: a malformed document or two rows of it sharing a
 * name (`STORAGE_BAD_DOCUMENT`, `DUPLICATE_ENTRY`), a stored document of that name (`DUPLICATE_ENTRY`), a
 * `unique` value another document holds (`UNIQUE_VIOLATION`), a row name another document's row holds
 * (`DUPLICATE_ENTRY`), a row's `unique` value another row holds (`UNIQUE_VIOLATION`).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { DocType } from '../schema/types';
import { tableSchema, type TableSchema } from '../storage/columns';
import { duplicateEntry, uniqueViolation } from '../storage/errors';
import { getMany } from '../storage/many';
import { splitDocument, type StoredRow } from '../storage/rows';
import type { StorageSession } from '../storage/types';

/** Rows of one Table field in storage's read order: `idx`, then `name`. */
function byIdx(a: StoredRow, b: StoredRow): number {
  const x = a['idx'] as number;
  const y = b['idx'] as number;
  if (x !== y) return x - y;
  const m = a['name'] as string;
  const n = b['name'] as string;
  return m < n ? -1 : m > n ? 1 : 0;
}

/** The returned form of a stored row: `doctype`, then every column of its table. */
function readForm(schema: TableSchema, row: StoredRow): Record<string, unknown> {
  // A stored row holds exactly its table's columns, in column order.
  return { doctype: schema.doctype, ...row };
}

/** Refuse a `unique` value that another document (or row) of the table already holds. */
async function checkUnique(session: StorageSession, schema: TableSchema, row: StoredRow): Promise<void> {
  for (const column of schema.unique) {
    const value = row[column.fieldname];
    if (value === null || value === undefined) continue;
    const found = await session.query(schema.doctype, { where: { [column.fieldname]: value as string | number }, fields: ['name'], take: 2 });
    if (found.some((d) => d.name !== row['name'])) throw uniqueViolation(schema.doctype, row['name'] as string, column.fieldname, column.label, value);
  }
}

/**
 * What `session.insert(doctype.name, doc)` would return, and what it would refuse, without writing.
 * @param session - the run's storage session (read only)
 * @param doctype - the DocType written (not a Single, not a child DocType)
 * @param children - its child DocTypes by Table fieldname
 * @param doc - the document to insert
 * @returns the document as stored: frozen, every column present (null when empty), rows by `idx`
 * @throws {StorageError} as an adapter's insert does
 */
export async function wouldInsert(session: StorageSession, doctype: DocType, children: Readonly<Record<string, DocType>>, doc: DocData): Promise<DocData> {
  const schema = tableSchema(doctype);
  const childSchemas = new Map<string, TableSchema>();
  for (const child of Object.values(children)) childSchemas.set(child.name, tableSchema(child));
  const split = splitDocument(schema, doc, (name) => childSchemas.get(name) ?? tableSchema(children[name]!));
  const name = split.parent['name'] as string;
  if (await session.exists(schema.doctype, name)) throw duplicateEntry(schema.doctype, name);
  await checkUnique(session, schema, split.parent);
  const byChild = new Map<string, string[]>();
  for (const { childDoctype, row } of split.rows) {
    let names = byChild.get(childDoctype);
    if (!names) byChild.set(childDoctype, (names = []));
    names.push(row['name'] as string);
  }
  // A row name is its child table's primary key: a stored row of that name belongs to another document.
  for (const [childDoctype, names] of byChild) {
    const taken = await getMany(session, childDoctype, names, { fields: ['name'] });
    if (taken.size) throw duplicateEntry(childDoctype, names.find((n) => taken.has(n))!);
  }
  for (const { childDoctype, row } of split.rows) {
    const child = childSchemas.get(childDoctype)!;
    if (child.unique.length) await checkUnique(session, child, row);
  }
  const out = readForm(schema, split.parent);
  for (const table of schema.tables) {
    const child = childSchemas.get(table.childDoctype)!;
    const rows: StoredRow[] = [];
    for (const r of split.rows) if (r.childDoctype === table.childDoctype && r.row['parentfield'] === table.fieldname) rows.push(r.row);
    rows.sort(byIdx);
    out[table.fieldname] = Object.freeze(rows.map((r) => Object.freeze(readForm(child, r))));
  }
  return Object.freeze(out);
}
