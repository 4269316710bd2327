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
import type { StorageSession } from '../storage/types';
import type { LinkLookup, LinkOutcome } from './tiers/rules';

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
 * The Link lookup of one run.
 * @param registry - the engine's DocTypes
 * @param session - storage (the run's transaction)
 * @param policy - the engine's `unknownLinks`
 * @returns the lookup tier 3 calls for every Link value
 */
export function runLinkLookup(registry: Registry, session: StorageSession, policy: UnknownLinkPolicy): LinkLookup {
  return async (doctype, name, fields): Promise<LinkOutcome> => {
    if (doctype === DOCTYPE_DOCTYPE) {
      const dt = registry.tryGet(name);
      return dt ? doctypeDocument(dt) : null;
    }
    if (!registry.has(doctype)) {
      if (typeof policy === 'function') return (await policy(doctype, name)) ?? null;
      return { unchecked: policy };
    }
    const found = await session.get(doctype, name, { fields: ['name', 'docstatus', ...new Set(fields.filter((f) => f !== 'name' && f !== 'docstatus'))] });
    return found ?? null;
  };
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
