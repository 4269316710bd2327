/**
 * The document layer: immutable Frappe documents with an accumulated delta.
 *
 * Terms:
 * - *document data* (`DocData`): Frappe's doc dict as plain frozen data; Table fields hold row dicts;
 * - *Doc*: `{ original, data, delta, patches, inversePatches, isNew, meta, children }`, frozen. Every write
 *   returns a new Doc, sharing every untouched object with the previous one, or the very same Doc
 *   when the write changes nothing;
 * - *delta*: only what differs from `original` (changed values; per table the added, removed and changed
 *   rows and whether rows were reordered);
 * - *temporary name*: `new-<doctype slug>-<hash>`, the name of a document or row not yet saved.
 *
 * @module
 */
export type {
  CopyDocOptions, DefaultsOptions, Doc, DocData, DocDelta, GetDoctype, FetchLookup, FetchOptions,
  NewDocOptions, TableDelta, UserPermission,
} from './types';
export { DocError } from './errors';
export type { DocErrorCode } from './errors';
export { newDoc, newRow } from './new';
export { loadDoc } from './load';
export type { LoadDocOptions } from './load';
export { setValue, setValues, setRowValue, setRowValues, addRow, removeRow, moveRow } from './write';
export { applyFetch, applyRowFetch, fetchTargets } from './fetch';
export { copyDoc } from './copy';
export { replay, revert } from './history';
export { isTemporaryName, temporaryName } from './names';
export { defaultValue } from './defaults';
export { rowsOf } from './delta';
export { isDoc } from './state';
export type { Patch } from './patch';
