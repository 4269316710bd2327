/**
 * Replaying and undoing a document's patches.
 *
 * @module
 */
import type { Patch } from './patch';
import { EMPTY_DELTA, applyDataPatches, createDoc } from './state';
import type { Doc, DocData } from './types';

/**
 * Apply patches to document data (copy-on-write; the input is untouched, the result frozen).
 * `replay(doc.original, doc.patches)` deep-equals `doc.data`, and `replay(doc.data, doc.inversePatches)`
 * deep-equals `doc.original`.
 *
 * @param base the data to start from
 * @param patches patches (immer's format), e.g. `doc.patches` or patches received from another replica
 * @returns the patched data
 */
export function replay(base: DocData, patches: readonly Patch[]): DocData {
  return patches.length ? applyDataPatches(base, patches) : base;
}

/**
 * Discard every change: the document as it was loaded or created (`data === original`, empty delta, no
 * patches).
 * @param doc the document
 * @returns `doc` itself when it has no change, else a new Doc at its original state
 */
export function revert(doc: Doc): Doc {
  if (doc.data === doc.original) return doc;
  return createDoc(
    { meta: doc.meta, children: doc.children, original: doc.original, data: doc.original, delta: EMPTY_DELTA },
    undefined,
  );
}
