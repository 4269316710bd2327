/**
 * One session of the PostgreSQL adapter: the adapter itself, a step-hook view of it, or a transaction.
 *
 * - Reads: `planQuery` → parameterised SQL (`where.ts`, `read.ts`).
 * - Writes: one database transaction per document (a savepoint inside a caller's transaction, none inside a
 *   transaction opened with `abortOnError`); the statements are `write.ts`'s. `update` locks the stored row
 *   (`SELECT … FOR UPDATE`, as Frappe's `check_if_latest` does) and compares its `modified` as a string, so of
 *   two concurrent writers holding the same `modified` exactly one wins and the other gets
 *   `TIMESTAMP_MISMATCH`. Each step (`begin`, `parent`, one per row, `commit`) is reported to a step hook
 *   after it is applied; a hook that throws rolls the write back.
 * - Tables: brought up to date before the first statement on a DocType (`ddl.ts`).
 *
 * @module
 */
import type { DocData } from '../../doc/types';
import type { NamingCounters } from '../../naming/counters';
import type { Column, TableSchema } from '../columns';
import { StorageError, badDocument, notFound, timestampMismatch } from '../errors';
import { createMutex } from '../mutex';
import { planProjection, planQuery, planWhere } from '../query';
import { planUpdateWhere, updateWhereByRewrite } from '../update-where';
import type {
  GetOptions, Query, RowValues, Scalar, StepHook, StorageSession, TransactionOptions, Where, WriteOp,
} from '../types';
import type { SqlClient } from './client';
import { encodeValue, sqlType } from './columns';
import { SERIES_TABLE, ensureBase, qualified, syncTables } from './ddl';
import { translateError } from './errors';
import { quoteIdent } from './ident';
import { Params, compileOrderBy, compileWhere } from './where';
import { schemaOf, storedModified, counterKey, counterValue, possibleName, withName } from '../shared';
import { planValues } from '../set-values';
import { bulkUpdateSql } from './bulk';
import { countSingle, querySingle } from '../singles';
import { singleOps } from './singles';
import { reader } from './read';
import { deepFreeze, tableOf } from './state';
import type { SessionContext, Shared } from './state';
import { Write, encodeDocument, updateRowSql, writtenDocument } from './write';

/**
 * A session over `ctx`.
 * @param shared - the adapter's state
 * @param ctx - the connection (pool or transaction) and its lock
 * @param hook - the step hook of this view, if any
 * @returns the session
 */
export function createSession(shared: Shared, ctx: SessionContext, hook: StepHook | undefined): StorageSession {
  const check = (): void => {
    if (shared.closed) throw new StorageError('STORAGE_FAILURE', `${shared.name} storage is closed`);
    if (!ctx.isOpen()) throw new StorageError('STORAGE_FAILURE', 'this transaction has already finished; use the adapter (or the live transaction) instead');
  };
  const ready = (): Promise<void> => (shared.ready ??= init(shared));
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => ctx.lock.run(task);

  const isSynced = (doctype: string): boolean => {
    if (shared.synced.has(doctype)) return true;
    for (let c: SessionContext | undefined = ctx; c; c = c.parent) if (c.synced?.has(doctype)) return true;
    return false;
  };
  /** Bring the tables of a DocType and its child DocTypes up to date before the first statement on them. */
  const ensure = async (doctype: string): Promise<void> => {
    const schema = schemaOf(shared, doctype);
    const names = [doctype, ...schema.tables.map((t) => t.childDoctype).filter((d) => shared.schemas.has(d))];
    if (names.every(isSynced)) return;
    try {
      // With many sessions, tables are made on a connection of their own and committed at once, even from
      // inside a transaction: DDL in the caller's transaction would hold its locks (and the migration lock)
      // until it ends, and every other session needing a table would wait for it.
      if (ctx.synced === undefined || shared.client.singleSession !== true) {
        await shared.syncLock.run(async () => {
          const missing = [...new Set(names.filter((n) => !shared.synced.has(n)))];
          if (missing.length === 0) return;
          await shared.client.transaction((tx) => syncTables(tx, shared.schema, missing.map((n) => schemaOf(shared, n))));
          for (const n of missing) shared.synced.add(n);
        });
      } else {
        // On the transaction's own connection (PGlite has only one); undone with it if it rolls back.
        const missing = [...new Set(names.filter((n) => !isSynced(n)))];
        await syncTables(ctx.db, shared.schema, missing.map((n) => schemaOf(shared, n)));
        for (const n of missing) ctx.synced.add(n);
      }
    } catch (error) {
      throw translateError(error, shared.constraints, `${shared.name}: creating or migrating the tables of ${doctype}`);
    }
  };

  /** A read: validated, then one or more statements; driver errors become STORAGE_FAILURE. */
  const reading = async <T>(what: string, doctype: string | undefined, body: () => Promise<T>): Promise<T> => {
    check();
    await ready();
    if (doctype !== undefined) await ensure(doctype);
    try {
      return await body();
    } catch (error) {
      throw translateError(error, shared.constraints, what);
    }
  };

  /** A write in its own transaction (or savepoint, or directly in an abortOnError transaction): all steps or nothing. */
  const write = <T>(op: WriteOp, doctype: string, name: string, body: (w: Write) => Promise<T>): Promise<T> =>
    exclusive(async () => {
      check();
      await ready();
      await ensure(doctype);
      const run = async (db: SqlClient): Promise<T> => {
        const w = new Write(shared, db, hook, op, doctype, name);
        w.step('begin');
        const result = await body(w);
        w.step('commit');
        return result;
      };
      try {
        // Inside an abortOnError transaction a failed write fails the whole transaction: no savepoint needed.
        return await (ctx.abortOnError ? run(ctx.db) : ctx.db.transaction(run));
      } catch (error) {
        throw translateError(error, shared.constraints, `${op} ${doctype} ${name}`);
      }
    });

  const table = (doctype: string): string => tableOf(shared, doctype);
  const { loadChildren, select } = reader(shared, ctx.db);
  const written = writtenDocument;

  const counterWrite = (key: string, sql: string, params: readonly unknown[]): Promise<number> =>
    exclusive(async () => {
      check();
      await ready();
      try {
        // The series table never changes shape: its few statements are kept prepared where the driver can.
        const result = await ctx.db.query<{ current: number }>(sql, params, { prepare: true });
        return result.rows[0]?.current ?? 0;
      } catch (error) {
        throw translateError(error, shared.constraints, `naming counter ${JSON.stringify(key)}`);
      }
    });

  const series = qualified(shared.schema, SERIES_TABLE);
  const singles = singleOps({ schema: shared.schema, loadChildren });
  /** A Single's stored document, whole (for queries on it), or undefined when never saved. */
  const wholeSingle = (schema: TableSchema): Promise<DocData | undefined> => singles.read(ctx.db, schema, planProjection(schema, undefined, true));

  const session: StorageSession = {
    get(doctype: string, name: string, options: GetOptions = {}) {
      return reading(`get ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, options.fields, options.fields === undefined);
        if (!possibleName(name)) return undefined;
        if (schema.isSingle === true) return name === doctype ? deepFreeze(await singles.read(ctx.db, schema, projection)) : undefined;
        const found = await select(schema, projection, 'WHERE name = $1', [name]);
        return found[0];
      });
    },

    getMany(doctype: string, names: readonly string[], options: GetOptions = {}) {
      return reading(`get ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        const projection = planProjection(schema, withName(options.fields), options.fields === undefined);
        const wanted = [...new Set(names.filter(possibleName))];
        const out = new Map<string, DocData>();
        if (schema.isSingle === true) {
          const doc = wanted.includes(doctype) ? await singles.read(ctx.db, schema, projection) : undefined;
          if (doc) out.set(doctype, deepFreeze(doc));
          return out as ReadonlyMap<string, DocData>;
        }
        // One statement per 1,000 names (one in practice: a document links to few documents of one DocType).
        for (let i = 0; i < wanted.length; i += 1000) {
          for (const doc of await select(schema, projection, 'WHERE name = ANY($1::text[])', [wanted.slice(i, i + 1000)])) out.set(doc['name'] as string, doc);
        }
        return out as ReadonlyMap<string, DocData>;
      });
    },

    query(doctype: string, query: Query = {}) {
      return reading(`query ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (schema.isSingle === true) return deepFreeze(querySingle(schema, await wholeSingle(schema), query));
        const plan = planQuery(schema, query);
        const params = new Params();
        const where = compileWhere(plan.where, params, { lowerCollation: shared.lowerCollation });
        let tail = `WHERE ${where} ORDER BY ${compileOrderBy(plan.orderBy)}`;
        if (plan.take !== undefined) tail += ` LIMIT ${params.add(plan.take)}`;
        if (plan.skip > 0) tail += ` OFFSET ${params.add(plan.skip)}`;
        return Object.freeze([...(await select(schema, plan.projection, tail, params.values))]);
      });
    },

    count(doctype: string, where?: Where) {
      return reading(`count ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (schema.isSingle === true) return countSingle(schema, await wholeSingle(schema), where);
        const params = new Params();
        const sql = compileWhere(planWhere(schema, where), params, { lowerCollation: shared.lowerCollation });
        const result = await ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table(doctype)} WHERE ${sql}`, params.values);
        return result.rows[0]?.n ?? 0;
      });
    },

    exists(doctype: string, name: string) {
      return reading(`exists ${doctype}`, doctype, async () => {
        const schema = schemaOf(shared, doctype);
        if (!possibleName(name)) return false;
        if (schema.isSingle === true) return name === doctype && singles.stored(ctx.db, schema);
        const result = await ctx.db.query(`SELECT 1 FROM ${table(doctype)} WHERE name = $1`, [name]);
        return result.rows.length > 0;
      });
    },

    async insert(doctype: string, doc: DocData) {
      check();
      const schema = schemaOf(shared, doctype);
      // Everything about the document itself is checked before the first statement.
      const { parent, rows } = encodeDocument(shared, schema, doc);
      await write('insert', doctype, parent.name, async (w) => {
        if (schema.isSingle === true) {
          await singles.insert(w.db, schema, parent.stored);
          w.step('parent');
          await w.putRows(rows, false);
        } else await w.insertDocument(schema, parent, rows);
      });
      return written(schema, parent, rows);
    },

    async update(doctype: string, doc: DocData, expectedModified: string | null) {
      check();
      const schema = schemaOf(shared, doctype);
      const { parent, rows } = encodeDocument(shared, schema, doc);
      const name = parent.name;
      await write('update', doctype, name, async (w) => {
        if (schema.isSingle === true) {
          await singles.update(w.db, schema, parent.stored, expectedModified);
          w.step('parent');
          const kept = new Map<string, string[]>();
          for (const row of rows) kept.set(row.doctype, [...(kept.get(row.doctype) ?? []), row.name]);
          await w.removeRows(schema, name, kept);
          await w.putRows(rows, true);
          return;
        }
        // Lock the row first: a concurrent writer waits here, then sees the committed `modified`.
        const current = await w.run<{ modified: string | null }>(`SELECT modified FROM ${table(doctype)} WHERE name = $1 FOR UPDATE`, [name], { doctype, name });
        const stored = current.rows[0];
        if (!stored) throw notFound(doctype, name);
        // Frappe's check_if_latest: an empty stored `modified` never conflicts; otherwise string equality.
        const previous = storedModified(stored.modified);
        if (previous !== '' && previous !== (expectedModified ?? '')) {
          throw timestampMismatch(doctype, name, previous, storedModified(parent.stored['modified']));
        }
        await w.run(updateRowSql(shared, schema), parent.params, {
          doctype, name, row: parent.stored,
        });
        w.step('parent');
        const keep = new Map<string, string[]>();
        for (const row of rows) keep.set(row.doctype, [...(keep.get(row.doctype) ?? []), row.name]);
        await w.removeRows(schema, name, keep);
        await w.putRows(rows, true);
      });
      return written(schema, parent, rows);
    },

    async updateWhere(doctype: string, where: Where, values: Readonly<Record<string, unknown>>) {
      check();
      const schema = schemaOf(shared, doctype);
      // A Single's values are rows of "tabSingles", not a table of its own: rewrite its one document.
      if (schema.isSingle === true) return updateWhereByRewrite(session, doctype, where, values as Readonly<Record<string, Scalar | null>>);
      const { columns, condition } = planUpdateWhere(schema, where, values);
      const row: Record<string, unknown> = {};
      const params = new Params();
      const sets = columns.map((c) => {
        const value = encodeValue(doctype, c, values[c.fieldname], { path: [] });
        row[c.fieldname] = value;
        const p = params.add(value);
        return `${quoteIdent(c.fieldname)} = ${sqlType(c) === 'json' ? `CAST(${p}::text AS json)` : p}`;
      });
      const sql = compileWhere(condition, params, { lowerCollation: shared.lowerCollation });
      // One statement in its own savepoint: a unique clash on any row leaves every row as it was.
      return write('update', doctype, '', async (w) => {
        const result = await w.run(`UPDATE ${table(doctype)} SET ${sets.join(', ')} WHERE ${sql}`, params.values, { doctype, name: '', row });
        return result.rowCount;
      });
    },

    async setValues(doctype: string, rows: readonly RowValues[]) {
      check();
      const schema = schemaOf(shared, doctype);
      const planned = planValues(schema, rows).filter((p) => possibleName(p.name));
      if (planned.length === 0) return 0;
      // One UPDATE ... FROM unnest(...) per set of columns (a tree's renumbering: one), in chunks.
      const groups = new Map<string, { columns: readonly Column[]; rows: { name: string; values: unknown[] }[] }>();
      for (const p of planned) {
        const key = p.columns.map((c) => c.fieldname).join('\u0000');
        const group = groups.get(key) ?? { columns: p.columns, rows: [] };
        group.rows.push({ name: p.name, values: p.columns.map((c, i) => encodeValue(doctype, c, p.values[i], { name: p.name, path: [] })) });
        groups.set(key, group);
      }
      return write('update', doctype, planned[0]!.name, async (w) => {
        let changed = 0;
        for (const { columns, rows: list } of groups.values()) {
          if (columns.length === 0) continue;
          const sql = bulkUpdateSql(table(doctype), columns);
          for (let at = 0; at < list.length; at += 5000) {
            const chunk = list.slice(at, at + 5000);
            const params = [chunk.map((r) => r.name), ...columns.map((_, i) => chunk.map((r) => r.values[i]))];
            changed += (await w.run(sql, params, { doctype, name: chunk[0]!.name })).rowCount;
          }
        }
        w.step('parent');
        return changed;
      });
    },

    async delete(doctype: string, name: string) {
      check();
      const schema = schemaOf(shared, doctype);
      if (schema.isChild) throw badDocument(doctype, 'is a child DocType: its rows are deleted through their parent document');
      await write('delete', doctype, String(name), async (w) => {
        if (!possibleName(name) || (schema.isSingle === true && name !== doctype)) throw notFound(doctype, String(name));
        if (schema.isSingle === true) await singles.remove(w.db, schema);
        else {
          const result = await w.run(`DELETE FROM ${table(doctype)} WHERE name = $1`, [name], { doctype, name });
          if (result.rowCount === 0) throw notFound(doctype, name);
        }
        w.step('parent');
        await w.removeRows(schema, name, new Map());
      });
    },

    transaction<T>(fn: (tx: StorageSession) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return exclusive(async () => {
        check();
        await ready();
        let open = true;
        try {
          const synced = new Set<string>();
          const result = await ctx.db.transaction(async (db) => {
            const tx = createSession(shared, {
              db, isOpen: () => open && ctx.isOpen(), lock: createMutex(), synced, parent: ctx, abortOnError: options?.abortOnError === true,
            }, hook);
            const value = await fn(tx);
            check();
            hook?.({ kind: 'commit', op: 'transaction' });
            return value;
          });
          // Committed (or released into the outer transaction): the tables it created now count there.
          for (const doctype of synced) (ctx.synced ?? shared.synced).add(doctype);
          return result;
        } catch (error) {
          // The caller's own errors come back unchanged; a failing COMMIT becomes a StorageError.
          throw translateError(error, shared.constraints, 'transaction');
        } finally {
          // Whatever happened, the transaction is over: later use of `tx` fails instead of running outside it.
          open = false;
        }
      });
    },

    counters: {
      async next(key: string) {
        return counterWrite(
          key,
          `INSERT INTO ${series} AS s (name, current) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET current = s.current + 1 RETURNING current`,
          [counterKey(key)],
        );
      },
      current(key: string) {
        return reading(`naming counter ${JSON.stringify(key)}`, undefined, async () => {
          const result = await ctx.db.query<{ current: number }>(`SELECT current FROM ${series} WHERE name = $1`, [counterKey(key)]);
          return result.rows[0]?.current ?? 0;
        });
      },
      async revert(key: string, expected: number) {
        // Compare and step back in one statement: the row lock orders it against every concurrent `next`.
        const sql = `UPDATE ${series} SET current = current - 1 WHERE name = $1 AND current = $2 AND current > 0 RETURNING 1 AS current`;
        return (await counterWrite(key, sql, [counterKey(key), counterValue(key, expected)])) === 1; // 0: no row changed
      },
      async set(key: string, value: number) {
        await counterWrite(
          key,
          `INSERT INTO ${series} AS s (name, current) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET current = EXCLUDED.current RETURNING current`,
          [counterKey(key), counterValue(key, value)],
        );
      },
    } satisfies NamingCounters,
  };
  return session;
}

/** First use: the schema and series table, and the collation `mode: 'insensitive'` lower-cases with. */
export async function init(shared: Shared): Promise<void> {
  try {
    await ensureBase(shared.client, shared.schema);
    // pg_c_utf8 (PostgreSQL 17+) and ICU's root collation fold all of Unicode; the C locale folds only ASCII.
    const found = await shared.client.query<{ collname: string }>(
      "SELECT collname FROM pg_collation WHERE collname IN ('pg_c_utf8', 'und-x-icu') AND collencoding IN (-1, pg_char_to_encoding(current_setting('server_encoding'))) ORDER BY collname = 'pg_c_utf8' DESC LIMIT 1",
    );
    shared.lowerCollation = found.rows[0]?.collname;
  } catch (error) {
    shared.ready = undefined; // let a later call retry (e.g. the server was not up yet)
    throw translateError(error, shared.constraints, `${shared.name}: setting up schema ${JSON.stringify(shared.schema)}`);
  }
}

