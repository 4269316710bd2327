/**
 * The statements of a document write. The rows of a child DocType go in **one statement** for all of a
 * document's rows (`INSERT ... SELECT ... FROM unnest($1::text[], $2::numeric[], ...)`: one typed array per
 * column, so the text is the same for 1 row or 1,000 and no parameter limit applies); an insert sends the
 * parent row and those row statements as **one statement** (data-modifying `WITH` parts), so a new document
 * is one round trip. A row name taken by another document is found through `ON CONFLICT (name) ... RETURNING
 * name` (the rows the statement did not return), not through an error, so the write can name it. Child tables
 * with `unique` fields keep one statement per row: a unique clash must name the row and value it came from.
 *
 * Statement texts depend only on the table and the adapter's schema, so they are built once per table.
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { Column, TableSchema } from '../columns';
import { duplicateEntry } from '../errors';
import { splitDocument } from '../rows';
import type { StoredRow } from '../rows';
import { childSchemaOf, schemaOf } from '../shared';
import { WriteSteps } from '../steps';
import type { StepHook, WriteOp } from '../types';
import type { QueryOptions, SqlClient } from './client';
import { encodeValue, sqlType } from './columns';
import { translateError } from './errors';
import type { WriteContext } from './errors';
import { quoteIdent } from './ident';
import { deepFreeze, tableOf } from './state';
import type { Shared } from './state';

/** A row ready to write: the values to bind (in column order) and the row as it will read back. */
export interface EncodedRow {
  readonly doctype: string;
  readonly name: string;
  readonly params: readonly unknown[];
  readonly stored: StoredRow;
}

function encodeRow(schema: TableSchema, row: StoredRow, path: readonly (string | number)[]): EncodedRow {
  const name = row['name'] as string;
  const params: unknown[] = [];
  const stored: Record<string, unknown> = {};
  for (const column of schema.columns) {
    const value = row[column.fieldname];
    const encoded = encodeValue(schema.doctype, column, value, { name, path });
    params.push(encoded);
    // JSON reads back as the (already frozen) value; everything else as the canonical form bound.
    stored[column.fieldname] = column.kind === 'json' ? value : encoded;
  }
  return { doctype: schema.doctype, name, params, stored: Object.freeze(stored) };
}

/**
 * Split and encode a document; everything about it is checked here, before the first statement.
 * @returns the parent row and the child rows (in document order)
 */
export function encodeDocument(shared: Shared, schema: TableSchema, doc: DocData): { parent: EncodedRow; rows: EncodedRow[] } {
  const split = splitDocument(schema, doc, childSchemaOf(shared, schema));
  const parent = encodeRow(schema, split.parent, []);
  // Paths for row errors: the Table field and the row's position in it.
  const positions = new Map<string, number>();
  const rows = split.rows.map(({ childDoctype, row }) => {
    const field = row['parentfield'] as string;
    const i = positions.get(field) ?? 0;
    positions.set(field, i + 1);
    return encodeRow(schemaOf(shared, childDoctype), row, [field, i]);
  });
  return { parent, rows };
}

/** The document as a write leaves it (what `get` returns afterwards). */
export function writtenDocument(schema: TableSchema, parent: EncodedRow, rows: readonly EncodedRow[]): DocData {
  const doc: Record<string, unknown> = { doctype: schema.doctype, ...parent.stored };
  for (const t of schema.tables) {
    const own = rows.filter((r) => r.doctype === t.childDoctype && r.stored['parentfield'] === t.fieldname);
    own.sort((a, b) => (a.stored['idx'] as number) - (b.stored['idx'] as number) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    doc[t.fieldname] = own.map((r) => ({ doctype: r.doctype, ...r.stored }));
  }
  return deepFreeze(doc);
}

/** The column list of a table, quoted. */
export function columnList(columns: readonly Column[]): string {
  return columns.map((c) => quoteIdent(c.fieldname)).join(', ');
}

/** `$start::type, ...` for one row of `schema`, JSON cast from its text (typed, so the text can be prepared). */
function placeholders(schema: TableSchema, start: number): string {
  return schema.columns.map((c, i) => (sqlType(c) === 'json' ? `CAST($${start + i}::text AS json)` : `$${start + i}::${sqlType(c)}`)).join(', ');
}

/** Statement texts of one table in one adapter schema, built on first use. */
interface Statements {
  insertOne?: string;
  upsertOne?: string;
  insertMany?: string;
  upsertMany?: string;
  update?: string;
  /** A document insert (parent + rows of the child DocTypes named in the key) as one statement. */
  insertDocument?: Map<string, string>;
}

const statements = new WeakMap<TableSchema, Map<string, Statements>>();

function statementsOf(shared: Shared, schema: TableSchema): Statements {
  let bySchema = statements.get(schema);
  if (!bySchema) statements.set(schema, (bySchema = new Map()));
  let found = bySchema.get(shared.schema);
  if (!found) bySchema.set(shared.schema, (found = {}));
  return found;
}

/** `SET col = EXCLUDED.col, ...` of an upsert: every column but the name. */
function excludedSets(schema: TableSchema): string {
  return schema.columns.filter((c) => c.fieldname !== 'name').map((c) => `${quoteIdent(c.fieldname)} = EXCLUDED.${quoteIdent(c.fieldname)}`).join(', ');
}

/** A row name is the child table's primary key: it may be reused only by the same document. */
const SAME_DOCUMENT = 'WHERE cur.parent = EXCLUDED.parent AND cur.parenttype = EXCLUDED.parenttype';

/** `SELECT v.c0, CAST(v.c1 AS json), ... FROM unnest($1::text[], $2::text[], ...) AS v(c0, c1, ...)`: many rows, one array per column. */
function unnestRows(schema: TableSchema, start = 1): string {
  const values = schema.columns.map((c, i) => (sqlType(c) === 'json' ? `CAST(v.c${i} AS json)` : `v.c${i}`));
  // JSON travels as text (as encodeValue gives it) and is cast back.
  const arrays = schema.columns.map((c, i) => `$${i + start}::${sqlType(c) === 'json' ? 'text' : sqlType(c)}[]`);
  return `SELECT ${values.join(', ')} FROM unnest(${arrays.join(', ')}) AS v(${schema.columns.map((_, i) => `c${i}`).join(', ')})`;
}

/**
 * The statement inserting one row of `schema`.
 * @param shared - the adapter
 * @param schema - the table
 * @returns `INSERT INTO ... VALUES ($1, ...)`
 */
export function insertRowSql(shared: Shared, schema: TableSchema): string {
  const s = statementsOf(shared, schema);
  return (s.insertOne ??= `INSERT INTO ${tableOf(shared, schema.doctype)} (${columnList(schema.columns)}) VALUES (${placeholders(schema, 1)})`);
}

/**
 * The statement replacing the parent row of a document (every column, by name).
 * @param shared - the adapter
 * @param schema - the table
 * @returns `UPDATE ... SET ... WHERE name = $k`, bound with the row's params in column order
 */
export function updateRowSql(shared: Shared, schema: TableSchema): string {
  const s = statementsOf(shared, schema);
  if (s.update === undefined) {
    const at = (c: Column) => schema.columns.indexOf(c) + 1;
    const sets = schema.columns.filter((c) => c.fieldname !== 'name')
      .map((c) => `${quoteIdent(c.fieldname)} = ${sqlType(c) === 'json' ? `CAST($${at(c)}::text AS json)` : `$${at(c)}`}`);
    s.update = `UPDATE ${tableOf(shared, schema.doctype)} SET ${sets.join(', ')} WHERE name = $${at(schema.byName.get('name') as Column)}`;
  }
  return s.update;
}

function rowsSql(shared: Shared, schema: TableSchema, upsert: boolean, many: boolean): string {
  const s = statementsOf(shared, schema);
  const t = tableOf(shared, schema.doctype);
  if (!many) {
    if (!upsert) return insertRowSql(shared, schema);
    return (s.upsertOne ??= `INSERT INTO ${t} AS cur (${columnList(schema.columns)}) VALUES (${placeholders(schema, 1)}) ON CONFLICT (name) DO UPDATE SET ${excludedSets(schema)} ${SAME_DOCUMENT}`);
  }
  if (!upsert) return (s.insertMany ??= `INSERT INTO ${t} (${columnList(schema.columns)}) ${unnestRows(schema)} ON CONFLICT (name) DO NOTHING RETURNING name`);
  return (s.upsertMany ??= `INSERT INTO ${t} AS cur (${columnList(schema.columns)}) ${unnestRows(schema)} ON CONFLICT (name) DO UPDATE SET ${excludedSets(schema)} ${SAME_DOCUMENT} RETURNING cur.name`);
}

/**
 * One statement inserting a parent row (`$1`... in column order) and the rows of `children` (then one array
 * per column of each child, in order), returning `(t, name)` for each row written (`t`: the child's position).
 */
function insertDocumentSql(shared: Shared, schema: TableSchema, children: readonly TableSchema[]): string {
  if (children.length === 0) return insertRowSql(shared, schema);
  const s = statementsOf(shared, schema);
  const key = children.map((c) => c.doctype).join('\u0000');
  let sql = (s.insertDocument ??= new Map()).get(key);
  if (sql === undefined) {
    const parts = [`p AS (${insertRowSql(shared, schema)})`];
    let start = schema.columns.length + 1;
    children.forEach((child, k) => {
      parts.push(`c${k} AS (INSERT INTO ${tableOf(shared, child.doctype)} (${columnList(child.columns)}) ${unnestRows(child, start)} ON CONFLICT (name) DO NOTHING RETURNING name)`);
      start += child.columns.length;
    });
    sql = `WITH ${parts.join(', ')} ${children.map((_, k) => `SELECT ${k} AS t, name FROM c${k}`).join(' UNION ALL ')}`;
    s.insertDocument.set(key, sql);
  }
  return sql;
}

/** Rows by child DocType, in document order. */
function byDoctype(rows: readonly EncodedRow[]): Map<string, EncodedRow[]> {
  const groups = new Map<string, EncodedRow[]>();
  for (const row of rows) {
    const list = groups.get(row.doctype);
    if (list) list.push(row);
    else groups.set(row.doctype, [row]);
  }
  return groups;
}

/** The first of `list` a statement did not write (its name is another document's row), as DUPLICATE_ENTRY. */
function clash(doctype: string, list: readonly EncodedRow[], written: ReadonlySet<string>): Error {
  return duplicateEntry(doctype, list.find((r) => !written.has(r.name))?.name ?? list[0]!.name);
}

const PREPARED: QueryOptions = Object.freeze({ prepare: true });

/** One write's statements and steps, on its own transaction (or savepoint, or the caller's transaction). */
export class Write extends WriteSteps {
  constructor(
    private readonly shared: Shared,
    readonly db: SqlClient,
    hook: StepHook | undefined,
    op: WriteOp,
    doctype: string,
    name: string,
  ) {
    super(hook, op, doctype, name);
  }

  /**
   * Run a statement, translating a driver error into the storage error for `context`. `prepare`: the text is
   * one of the adapter's typed statements (see `QueryOptions`).
   */
  async run<R = Record<string, unknown>>(text: string, params: readonly unknown[], context: WriteContext, prepare = false): Promise<{ rows: readonly R[]; rowCount: number }> {
    try {
      return await this.db.query<R>(text, params, prepare ? PREPARED : undefined);
    } catch (error) {
      throw translateError(error, this.shared.constraints, context);
    }
  }

  /**
   * Write a document's child rows: one statement per child DocType (per row for tables with `unique` fields),
   * then one `row` step per row, in order.
   * @param rows - the rows, as {@link encodeDocument} made them
   * @param upsert - update rows of the same document that exist already (an update), else insert
   * @throws {StorageError} `DUPLICATE_ENTRY` when a row name belongs to another document
   */
  async putRows(rows: readonly EncodedRow[], upsert: boolean): Promise<void> {
    await this.writeRows(rows, upsert);
    for (const row of rows) this.rowStep(row.doctype, row.name, 'put');
  }

  /**
   * Insert a new document: its parent row and the rows of every child DocType without `unique` fields in one
   * statement, then the others row by row; then the `parent` step and one `row` step per row.
   * @throws {StorageError} `DUPLICATE_ENTRY` (the document's name, or a row name another document holds), `UNIQUE_VIOLATION`
   */
  async insertDocument(schema: TableSchema, parent: EncodedRow, rows: readonly EncodedRow[]): Promise<void> {
    const together = [...byDoctype(rows)].filter(([doctype]) => schemaOf(this.shared, doctype).unique.length === 0);
    const children = together.map(([doctype]) => schemaOf(this.shared, doctype));
    const params: unknown[] = [...parent.params];
    together.forEach(([, list], k) => {
      children[k]!.columns.forEach((_, i) => params.push(list.map((r) => r.params[i])));
    });
    const result = await this.run<{ t: number; name: string }>(insertDocumentSql(this.shared, schema, children), params, {
      doctype: schema.doctype, name: parent.name, row: parent.stored,
    }, true);
    together.forEach(([doctype, list], k) => {
      const written = new Set(result.rows.filter((r) => Number(r.t) === k).map((r) => r.name));
      if (written.size !== list.length) throw clash(doctype, list, written);
    });
    this.step('parent');
    const done = new Set(together.map(([doctype]) => doctype));
    await this.writeRows(rows.filter((r) => !done.has(r.doctype)), false);
    for (const row of rows) this.rowStep(row.doctype, row.name, 'put');
  }

  /** The statements of {@link putRows}, without the steps. */
  private async writeRows(rows: readonly EncodedRow[], upsert: boolean): Promise<void> {
    for (const [doctype, list] of byDoctype(rows)) {
      const child = schemaOf(this.shared, doctype);
      if (child.unique.length > 0 || list.length === 1) {
        for (const row of list) {
          const result = await this.run(rowsSql(this.shared, child, upsert, false), row.params, { doctype, name: row.name, row: row.stored }, true);
          if (upsert && result.rowCount === 0) throw duplicateEntry(doctype, row.name);
        }
      } else {
        const columns = child.columns.map((_, i) => list.map((r) => r.params[i]));
        const result = await this.run<{ name: string }>(rowsSql(this.shared, child, upsert, true), columns, { doctype, name: list[0]!.name }, true);
        if (result.rows.length !== list.length) throw clash(doctype, list, new Set(result.rows.map((r) => r.name)));
      }
    }
  }

  /** Delete a document's child rows except `keep` (row names per child DocType), one step per row. */
  async removeRows(schema: TableSchema, name: string, keep: ReadonlyMap<string, readonly string[]>): Promise<void> {
    for (const childDoctype of new Set(schema.tables.map((t) => t.childDoctype))) {
      const result = await this.run<{ name: string }>(
        `DELETE FROM ${tableOf(this.shared, childDoctype)} WHERE parenttype = $1 AND parent = $2 AND NOT (name = ANY($3::text[])) RETURNING name`,
        [schema.doctype, name, keep.get(childDoctype) ?? []],
        { doctype: childDoctype, name },
      );
      for (const row of result.rows) this.rowStep(childDoctype, row.name, 'delete');
    }
  }
}
