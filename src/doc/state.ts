/**
 * The core of the document layer: building {@link Doc} envelopes and committing one change.
 *
 * Every write goes through {@link commit}: one structurally shared update of `data` (`patch.ts`), its forward
 * and inverse patches appended to the document's history, and the delta updated by the caller for just the
 * keys or rows it touched (so a single-field write costs O(1) in the number of fields, apart from the shallow
 * copy of the object written to).
 *
 * @module
 */
import type { DocType } from '../schema/types';
import { applyPatches, freezeData } from './patch';
import type { Change, Patch } from './patch';
import type { Doc, DocData, DocDelta } from './types';

export { freezeData };

/** One committed step of a document's history; steps form a persistent list, newest first. */
interface Step {
  readonly patches: readonly Patch[];
  readonly inverse: readonly Patch[];
  readonly prev: Step | undefined;
}

/** The fields of a Doc other than its patch history. */
export interface DocParts {
  readonly meta: DocType;
  readonly children: Readonly<Record<string, DocType>>;
  readonly original: DocData;
  readonly data: DocData;
  readonly delta: DocDelta;
}

const steps = new WeakMap<Doc, Step | undefined>();

/** The delta of an unchanged document. */
export const EMPTY_DELTA: DocDelta = Object.freeze({ values: Object.freeze({}), tables: Object.freeze({}) });

const EMPTY_PATCHES: readonly Patch[] = Object.freeze([]);

function collect(step: Step | undefined, pick: 'patches' | 'inverse'): readonly Patch[] {
  if (!step) return EMPTY_PATCHES;
  const chunks: (readonly Patch[])[] = [];
  for (let s: Step | undefined = step; s; s = s.prev) chunks.push(s[pick]);
  // Forward patches replay oldest first; inverse patches undo newest first.
  if (pick === 'patches') chunks.reverse();
  return Object.freeze(chunks.flat());
}

/**
 * Build a frozen Doc. `patches` / `inversePatches` are materialised from the step list on first read and
 * cached: appending to a flat array on every keystroke would make each write O(history length).
 */
export function createDoc(parts: DocParts, step: Step | undefined): Doc {
  let patches: readonly Patch[] | undefined;
  let inverse: readonly Patch[] | undefined;
  const doc: Doc = Object.freeze({
    doctype: parts.meta.name,
    meta: parts.meta,
    children: parts.children,
    original: parts.original,
    data: parts.data,
    delta: parts.delta,
    get patches() {
      return (patches ??= collect(step, 'patches'));
    },
    get inversePatches() {
      return (inverse ??= collect(step, 'inverse'));
    },
    isNew: isLocal(parts.data),
  });
  steps.set(doc, step);
  return doc;
}

/** True for a Doc built by this layer (as opposed to plain document data). */
export function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && steps.has(value as Doc);
}

/** True when the data carries Frappe's `__islocal` flag. */
export function isLocal(data: DocData): boolean {
  const v = data.__islocal;
  return v === true || (typeof v === 'number' && v !== 0) || v === '1';
}

/**
 * Commit `change` (an update of `doc.data` from `patch.ts`) and return the next Doc with `nextDelta(data)` as its
 * delta. Returns `doc` itself when the change has no patches (nothing changed).
 */
export function commit(doc: Doc, change: Change, nextDelta: (data: DocData) => DocDelta): Doc {
  const { data, patches, inverse } = change;
  if (patches.length === 0) return doc;
  const step: Step = { patches: Object.freeze(patches), inverse: Object.freeze(inverse), prev: steps.get(doc) };
  // Parts are listed one by one: spreading `doc` would read (and so materialise) its patch getters.
  return createDoc({ meta: doc.meta, children: doc.children, original: doc.original, data, delta: nextDelta(data) }, step);
}

/** Apply patches to frozen data (copy-on-write); the result is frozen. */
export function applyDataPatches(data: DocData, patches: readonly Patch[]): DocData {
  return applyPatches(data, patches);
}
