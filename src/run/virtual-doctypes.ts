/**
 * Virtual DocTypes (`is_virtual: 1` on the DocType): documents that are never stored. Frappe's controller of such
 * a DocType supplies the storage (`load_from_db`, `get_list`, `get_count`, `db_insert`, `db_update`, `delete`,
 * frappe/model/document.py, frappe/model/db_query.py); everything else of the document model (naming,
 * validation, permissions, hooks) runs as for any DocType. Here the engine option `virtualDoctypes` gives that
 * source per DocType, and {@link routeVirtual} wraps the engine's storage adapter so that every read and write of
 * a virtual DocType goes to its source and nothing of it reaches the adapter (its tables are never prepared).
 *
 * The engine applies the query itself to what `list` returns (filters, sort, paging, fields), so permission
 * restrictions (`if_owner`, User Permissions) hold whatever the source does with the query it is shown. A
 * source's writes are not part of the storage transaction (as in Frappe, where the controller writes wherever
 * it keeps its data).
 *
 * A virtual DocType without a source: its runs fail with `VIRTUAL_DOCTYPE` (Frappe raises `NotImplementedError`
 * when the controller lacks the method); `createEngine` does not refuse it, since the apps' JSON holds virtual
 * DocTypes most engines never use (docs/DECISIONS.md).
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { DocData } from '../doc/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { tableSchema } from '../storage/columns';
import { matches, rowComparator } from '../storage/match';
import { planQuery, planWhere } from '../storage/query';
import type { GetOptions, Query, StorageAdapter, StorageSession, TransactionOptions, Where } from '../storage/types';
import { RunFailure } from './codes';

/** A value, or a promise of it: a source may answer synchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** Where the documents of a virtual DocType come from (Frappe's virtual controller methods). */
export interface VirtualDoctypeSource {
  /**
   * `get_list`: the documents (the engine filters, sorts and pages them by `query`, which the source may use to
   * fetch less).
   */
  list(query: Query): MaybePromise<readonly DocData[]>;
  /** `load_from_db`: one document, or `undefined`. @default the document of that name in `list({ where: { name } })` */
  get?(name: string): MaybePromise<DocData | undefined>;
  /** `db_insert`: keep a new document (as the run wrote it, name and system fields set). @default refused */
  insert?(doc: DocData): MaybePromise<DocData | void>;
  /** `db_update`: keep a changed document. @default refused */
  update?(doc: DocData): MaybePromise<DocData | void>;
  /** `delete`. @default refused */
  delete?(name: string): MaybePromise<void>;
}

/** Engine option `virtualDoctypes`: a source per virtual DocType. */
export type VirtualDoctypeSources = Readonly<Record<string, VirtualDoctypeSource>>;

/**
 * Check the sources against the registry (`createEngine`).
 * @throws {CoworkerError} `ENGINE_CONFIG` for a source of a DocType the engine lacks or that is not virtual, or
 *   one without a `list` function
 */
export function checkVirtualSources(registry: Registry, sources: VirtualDoctypeSources): void {
  for (const [name, source] of Object.entries(sources)) {
    const dt = registry.tryGet(name);
    if (!dt) throw new CoworkerError('ENGINE_CONFIG', `virtualDoctypes: "${name}" is not a DocType of this engine`);
    if (dt.is_virtual !== 1) throw new CoworkerError('ENGINE_CONFIG', `virtualDoctypes: ${name} is not a virtual DocType (is_virtual: 1); it is stored by the storage adapter`);
    if (typeof source?.list !== 'function') throw new CoworkerError('ENGINE_CONFIG', `virtualDoctypes: the source of ${name} needs a list(query) function (Frappe's get_list)`);
    for (const m of ['get', 'insert', 'update', 'delete'] as const) {
      if (source[m] !== undefined && typeof source[m] !== 'function') throw new CoworkerError('ENGINE_CONFIG', `virtualDoctypes: ${name}.${m} must be a function`);
    }
  }
}

const notImplemented = (doctype: string, what: string): RunFailure =>
  new RunFailure('VIRTUAL_DOCTYPE', `${doctype} is a virtual DocType: ${what} (createEngine option virtualDoctypes)`, [], { exc: 'NotImplementedError' });

/**
 * The engine's storage with virtual DocTypes served by their sources.
 * @param base - the storage adapter
 * @param registry - the engine's DocTypes
 * @param sources - engine option `virtualDoctypes`
 * @returns the adapter the engine uses (`base` itself when the registry has no virtual DocType)
 */
export function routeVirtual(base: StorageAdapter, registry: Registry, sources: VirtualDoctypeSources): StorageAdapter {
  const virtualOf = (doctype: string): DocType | undefined => {
    const dt = registry.tryGet(doctype);
    return dt?.is_virtual === 1 ? dt : undefined;
  };
  if (!registry.list().some((d) => d.is_virtual === 1)) return base;

  const sourceOf = (dt: DocType): VirtualDoctypeSource => {
    const s = sources[dt.name];
    if (!s) throw notImplemented(dt.name, 'this engine has no source for it');
    return s;
  };
  const all = async (dt: DocType, query: Query): Promise<DocData[]> => [...await sourceOf(dt).list(query)];
  const getOne = async (dt: DocType, name: string): Promise<DocData | undefined> => {
    const s = sourceOf(dt);
    if (s.get) return (await s.get(name)) ?? undefined;
    return (await all(dt, { where: { name } })).find((d) => d.name === name);
  };
  const select = async (dt: DocType, query: Query = {}): Promise<DocData[]> => {
    const plan = planQuery(tableSchema(dt), query);
    const found = (await all(dt, query)).filter((d) => matches(plan.where, d));
    found.sort(rowComparator(plan.orderBy));
    const page = found.slice(plan.skip, plan.take === undefined ? undefined : plan.skip + plan.take);
    if (!query.fields) return page.map((d) => ({ ...d, doctype: dt.name }));
    return page.map((d) => Object.fromEntries(query.fields!.map((f) => [f, d[f] ?? null])));
  };
  const written = (dt: DocType, doc: DocData, result: DocData | void): DocData => ({ ...(result ?? doc), doctype: dt.name });

  const route = (session: StorageSession): StorageSession => ({
    counters: session.counters,
    get: (doctype: string, name: string, options?: GetOptions) => {
      const dt = virtualOf(doctype);
      return dt ? getOne(dt, name) : session.get(doctype, name, options);
    },
    ...(session.getMany ? {
      getMany: async (doctype: string, names: readonly string[], options?: GetOptions) => {
        const dt = virtualOf(doctype);
        if (!dt) return session.getMany!(doctype, names, options);
        const out = new Map<string, DocData>();
        for (const n of names) {
          const d = await getOne(dt, n);
          if (d) out.set(n, d);
        }
        return out;
      },
    } : {}),
    query: (doctype: string, query?: Query) => {
      const dt = virtualOf(doctype);
      return dt ? select(dt, query) : session.query(doctype, query);
    },
    count: async (doctype: string, where?: Where) => {
      const dt = virtualOf(doctype);
      if (!dt) return session.count(doctype, where);
      const condition = planWhere(tableSchema(dt), where);
      return (await all(dt, where ? { where } : {})).filter((d) => matches(condition, d)).length;
    },
    exists: async (doctype: string, name: string) => {
      const dt = virtualOf(doctype);
      return dt ? (await getOne(dt, name)) !== undefined : session.exists(doctype, name);
    },
    insert: async (doctype: string, doc: DocData) => {
      const dt = virtualOf(doctype);
      if (!dt) return session.insert(doctype, doc);
      const s = sourceOf(dt);
      if (!s.insert) throw notImplemented(doctype, 'its source has no insert (db_insert)');
      return written(dt, doc, await s.insert(doc));
    },
    update: async (doctype: string, doc: DocData, expectedModified: string | null) => {
      const dt = virtualOf(doctype);
      if (!dt) return session.update(doctype, doc, expectedModified);
      const s = sourceOf(dt);
      if (!s.update) throw notImplemented(doctype, 'its source has no update (db_update)');
      return written(dt, doc, await s.update(doc));
    },
    delete: async (doctype: string, name: string) => {
      const dt = virtualOf(doctype);
      if (!dt) return session.delete(doctype, name);
      const s = sourceOf(dt);
      if (!s.delete) throw notImplemented(doctype, 'its source has no delete');
      await s.delete(name);
    },
    transaction: <T>(fn: (tx: StorageSession) => Promise<T>, options?: TransactionOptions) => session.transaction((tx) => fn(route(tx)), options),
  });

  /** Virtual DocTypes are never prepared, unless a stored DocType holds rows of a virtual child DocType. */
  const stored = (doctypes: readonly DocType[]): DocType[] => {
    const tablesOfStored = new Set(doctypes.filter((d) => d.is_virtual !== 1).flatMap((d) => d.fields.filter((f) => f.fieldclass === 'table').map((f) => f.options)));
    return doctypes.filter((d) => d.is_virtual !== 1 || tablesOfStored.has(d.name));
  };
  return {
    ...base, // adapter extras (exportBytes...) stay reachable
    ...route(base),
    name: base.name,
    capabilities: base.capabilities,
    prepare: (doctypes) => base.prepare(stored(doctypes)),
    ...(base.withStepHook ? { withStepHook: (hook) => routeVirtual(base.withStepHook!(hook), registry, sources) } : {}),
    ...(base.close ? { close: () => base.close!() } : {}),
  };
}
