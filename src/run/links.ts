/**
 * How a run reads the documents its Links point at.
 *
 * - Links to `DocType` (Journal Entry `party_type`, Address `links[].link_doctype`, ToDo `reference_type`)
 *   resolve against the engine's registry: every registered DocType is readable as a document of DocType
 *   `DocType` ({@link doctypeDocument}), as on a Frappe site where DocTypes are rows of `tabDocType`.
 * - Links to DocTypes the engine does not hold follow the engine option `unknownLinks`: `skip`, `warn` (the
 *   default: a `LINK_NOT_CHECKED` warning naming the link), `error` (a blocking `LINK_NOT_CHECKED`), or a
 *   resolver function that looks the document up elsewhere (a Frappe site, a cache).
 * - Everything else is read through the run's storage session.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { getMany } from '../storage/many';
import type { StorageSession } from '../storage/types';
import type { RunContext } from './core';
import type { LinkLookup, LinkLookupMany, LinkOutcome } from './tiers/rules';

/** Finds a document of a DocType the engine does not hold: the document (at least its `name`), or null. */
export type LinkResolver = (doctype: string, name: string) => Promise<DocData | null | undefined> | DocData | null | undefined;

/** What to do with Links to DocTypes the engine does not hold. */
export type UnknownLinkPolicy = 'skip' | 'warn' | 'error' | LinkResolver;

/** The DocType whose documents are the registered DocTypes. */
export const DOCTYPE_DOCTYPE = 'DocType';

/** Scalar properties of a DocType that its `DocType` document carries (the rest are rows or derived). */
const DOCTYPE_PROPERTIES = [
  'module', 'istable', 'issingle', 'is_submittable', 'is_tree', 'is_virtual', 'custom', 'autoname', 'naming_rule',
  'title_field', 'image_field', 'search_fields', 'sort_field', 'sort_order', 'track_changes', 'editable_grid',
  'quick_entry', 'description', 'allow_rename', 'allow_import', 'beta', 'read_only', 'in_create', 'hide_toolbar',
] as const;

/**
 * A registered DocType as a document of DocType `DocType`: `name`, `docstatus` 0 and its scalar properties
 * (`module`, `istable`, `issingle`, `is_submittable`...). Child tables (fields, permissions) are not included.
 * @param dt - a registered DocType
 * @returns a plain document
 */
export function doctypeDocument(dt: DocType): DocData {
  const out: Record<string, unknown> = { doctype: DOCTYPE_DOCTYPE, name: dt.name, docstatus: 0 };
  const source = dt as unknown as Record<string, unknown>;
  for (const key of DOCTYPE_PROPERTIES) {
    const v = source[key];
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || v === null)) out[key] = v;
  }
  return out;
}

/**
 * The columns a Link read selects: `name`, `docstatus` (cancelled links) and the fetched fields, once each.
 * @param fields - the `fetch_from` source fields wanted
 * @returns the projection
 */
export function linkColumns(fields: readonly string[]): string[] {
  return ['name', 'docstatus', ...new Set(fields.filter((f) => f !== 'name' && f !== 'docstatus'))];
}

/** How one write reads the documents its Links point at: single values and batches per target DocType. */
export interface LinkReads {
  /** One Link value (DocType `DocType`, DocTypes the engine does not hold, and anything a batch does not serve). */
  readonly lookup: LinkLookup;
  /** Every value of one target DocType in one read; `undefined` for targets it does not serve. */
  readonly lookupMany: LinkLookupMany;
}

/** A document a Link read found, with the fields it was read with. */
interface Found {
  readonly doc: DocData;
  readonly fields: ReadonlySet<string>;
}

/**
 * Documents found by the Link reads of one run in one session, by DocType then name. Only documents found are
 * kept: the second check of a write (tier 3, after the controller hooks, when the fetch before them read the
 * same values) reuses them instead of reading again, while a value not found then is read again (a hook may
 * have created it). A document a hook deletes between the two is not seen: Frappe checks links once, before
 * the hooks (`_validate_links`), so it would not see it either. Kept per run (and per session), never longer.
 */
const foundByRun = new WeakMap<object, WeakMap<StorageSession, Map<string, Map<string, Found>>>>();

/**
 * The Link reads of one write: the one place runs build Link existence and `fetch_from` reads. Every value of
 * a target DocType is read with one `getMany` (its `name`, `docstatus` and fetched fields in the same query),
 * one target after another on the session (a transaction's connection runs one statement at a time), and a
 * value read earlier in the same transaction with the fields wanted is not read again.
 * @param ctx - the run (its engine's DocTypes and `unknownLinks`; what it found is kept for its next reads)
 * @param session - storage (the run's transaction)
 * @param options - `lenient`: a failed read counts as not found (the fetch before the hooks: tier 3 reports
 *   the link afterwards) @default strict (the error fails the run)
 * @returns the reads
 */
export function linkReads(ctx: Pick<RunContext, 'core'>, session: StorageSession, options: { readonly lenient?: boolean } = {}): LinkReads {
  const { registry, unknownLinks: policy } = ctx.core;
  let sessions = foundByRun.get(ctx);
  if (!sessions) foundByRun.set(ctx, (sessions = new WeakMap()));
  let known = sessions.get(session);
  if (!known) sessions.set(session, (known = new Map()));
  const cache = known;
  const remember = (doctype: string, docs: ReadonlyMap<string, DocData>, fields: readonly string[]): void => {
    let byName = cache.get(doctype);
    if (!byName) cache.set(doctype, (byName = new Map()));
    const set = new Set(fields);
    for (const [name, doc] of docs) byName.set(name, { doc, fields: set });
  };
  const lenient = options.lenient === true;

  const lookupMany: LinkLookupMany = async (doctype, names, fields) => {
    if (doctype === DOCTYPE_DOCTYPE || !registry.has(doctype)) return undefined;
    const columns = linkColumns(fields);
    const byName = cache.get(doctype);
    const out = new Map<string, DocData>();
    const missing: string[] = [];
    for (const name of new Set(names)) {
      const hit = byName?.get(name);
      if (hit && columns.every((c) => hit.fields.has(c))) out.set(name, hit.doc);
      else missing.push(name);
    }
    if (missing.length) {
      let read: ReadonlyMap<string, DocData>;
      try {
        read = await getMany(session, doctype, missing, { fields: columns });
      } catch (error) {
        if (lenient) return undefined;
        throw error;
      }
      remember(doctype, read, columns);
      for (const [name, doc] of read) out.set(name, doc);
    }
    return out;
  };

  const lookup: LinkLookup = async (doctype, name, fields): Promise<LinkOutcome> => {
    if (doctype === DOCTYPE_DOCTYPE) {
      const dt = registry.tryGet(name);
      return dt ? doctypeDocument(dt) : null;
    }
    if (!registry.has(doctype)) {
      if (typeof policy === 'function') return (await policy(doctype, name)) ?? null;
      return { unchecked: policy };
    }
    try {
      return (await lookupMany(doctype, [name], fields))?.get(name) ?? null;
    } catch (error) {
      if (lenient) return null;
      throw error;
    }
  };

  return { lookup, lookupMany };
}

/** A read-only store of the registry's DocTypes as `DocType` documents, rebuilt when the registry changes. */
export interface DoctypeDocuments {
  /** The storage the reads of DocType `DocType` use (never written by runs). */
  session(): Promise<StorageSession>;
}

/**
 * Serve reads of DocType `DocType` (`takeone`, `select`) from the registry: the engine's DocTypes are its
 * documents, as `tabDocType` rows are on a Frappe site. Queries run on a private memory adapter, so filters,
 * ordering and paging behave exactly as on any other DocType.
 * @param registry - the engine's DocTypes (must hold the `DocType` DocType for reads to be allowed)
 * @param makeAdapter - creates an empty memory adapter
 * @returns the store
 */
export function doctypeDocuments(registry: Registry, makeAdapter: () => import('../storage/types').StorageAdapter): DoctypeDocuments {
  let built: { key: readonly DocType[]; adapter: Promise<import('../storage/types').StorageAdapter> } | undefined;
  return {
    session() {
      const all = registry.list();
      const meta = registry.tryGet(DOCTYPE_DOCTYPE);
      // DocType objects are replaced when the registry changes: same objects, same documents.
      const key = all;
      if (!built || built.key.length !== key.length || built.key.some((d, i) => d !== key[i])) {
        const adapter = makeAdapter();
        built = {
          key,
          adapter: (async () => {
            if (!meta) return adapter;
            await adapter.prepare([meta]);
            for (const dt of all) await adapter.insert(DOCTYPE_DOCTYPE, doctypeDocument(dt)).catch(() => undefined);
            return adapter;
          })(),
        };
      }
      return built.adapter;
    },
  };
}
