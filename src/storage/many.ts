/**
 * Batched reads by name over any {@link StorageSession}: the adapter's own `getMany` when it has one (every
 * adapter of coworker does), otherwise one `get` after another (never in parallel: a transaction's
 * connection runs one statement at a time).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { GetOptions, StorageSession } from './types';

/**
 * Read several documents of one DocType by name.
 * @param session - an adapter or a transaction
 * @param doctype - a prepared DocType
 * @param names - the names (duplicates allowed)
 * @param options - see {@link GetOptions}
 * @returns the documents found, by name
 * @throws {StorageError} as `get` does
 */
export async function getMany(session: StorageSession, doctype: string, names: readonly string[], options: GetOptions = {}): Promise<ReadonlyMap<string, DocData>> {
  if (session.getMany) return session.getMany(doctype, names, options);
  const out = new Map<string, DocData>();
  for (const name of new Set(names)) {
    const found = await session.get(doctype, name, options);
    if (found) out.set(name, found);
  }
  return out;
}
