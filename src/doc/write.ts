/**
 * Writes to a document: values, row values, and adding / removing / moving rows. Each returns a new Doc,
 * or the same Doc object when nothing would change (no patch, no new delta), so callers can compare
 * documents with `===`.
 *
 * @module
 */
import type { DocField } from '../schema/types';
import { DocError } from './errors';
import { afterRowEdit, diffTable, originalPositions, rowsOf, withRowChanges, withTable, withValues } from './delta';
import type { Write } from './delta';
import { fieldEqual } from './equal';
import { tableField, writableField } from './fields';
import { newRow } from './new';
import { setKeys, setRowKeys, setTable } from './patch';
import { commit } from './state';
import type { DefaultsOptions, Doc, DocData } from './types';

/** `undefined` is stored as `null`: Frappe has one "no value" (None), and JSON drops `undefined`. */
function stored(value: unknown): unknown {
  return value === undefined ? null : value;
}

/**
 * Validate every key first (so a bad key changes nothing), then keep only the writes that change a value.
 * `fieldOf` checks a key and returns its DocField (or `undefined` for a standard / private key).
 */
function effective(
  current: DocData,
  values: Readonly<Record<string, unknown>>,
  fieldOf: (key: string) => DocField | undefined,
): Write[] {
  const fields = Object.keys(values).map(fieldOf);
  const out: Write[] = [];
  Object.entries(values).forEach(([key, value], i) => {
    const df = fields[i];
    if (!fieldEqual(df, current[key], value)) out.push([key, stored(value), df]);
  });
  return out;
}

/**
 * Set several top-level values in one step (one set of patches).
 *
 * @param doc the document
 * @param values fieldname to value; `undefined` is stored as `null`
 * @returns the next Doc, or `doc` itself when every value is already equal
 * @throws DocError `DOC_UNKNOWN_FIELD`, `DOC_TABLE_FIELD` (Table fields change only through the row
 *   functions), `DOC_NO_VALUE_FIELD`, `DOC_MANAGED_FIELD` (`doctype`)
 */
export function setValues(doc: Doc, values: Readonly<Record<string, unknown>>): Doc {
  const entries = effective(doc.data, values, (key) => writableField(doc.meta, key));
  if (!entries.length) return doc;
  return commit(
    doc,
    setKeys(doc.data, entries),
    () => withValues(doc.delta, doc.original, entries),
  );
}

/**
 * Set one top-level value. Equal values (numbers by value, NaN = NaN, `null` = `undefined`; `''` is not
 * `null`) return the same Doc.
 *
 * @param doc the document
 * @param fieldname a value field, a standard column (`name`, `docstatus`...) or a private `__` key
 * @param value the new value
 * @returns the next Doc, or `doc` when nothing changes
 * @throws DocError as {@link setValues}
 *
 * @example
 * const next = setValue(doc, 'description', 'Call back');
 * next.delta.values; // { description: 'Call back' }
 * setValue(next, 'description', 'Call back') === next; // true
 */
export function setValue(doc: Doc, fieldname: string, value: unknown): Doc {
  return setValues(doc, { [fieldname]: value });
}

interface RowRef {
  readonly rows: readonly DocData[];
  readonly index: number;
  readonly row: DocData;
}

function findRow(doc: Doc, table: string, rowName: string): RowRef {
  tableField(doc.meta, table);
  const rows = rowsOf(doc.data, table);
  const index = rows.findIndex((r) => r.name === rowName);
  const row = rows[index];
  if (!row) {
    throw new DocError('DOC_UNKNOWN_ROW', `${doc.doctype}.${table} has no row ${JSON.stringify(rowName)}`, {
      doctype: doc.doctype, field: table, table, rowname: rowName,
    });
  }
  return { rows, index, row };
}

/** Recompute the delta of `table` from the new data, keeping the recorded per-row field changes. */
function tableDeltaAfter(doc: Doc, table: string, data: DocData, changed = doc.delta.tables[table]?.changed ?? {}) {
  return withTable(doc.delta, table, diffTable(rowsOf(doc.original, table), rowsOf(data, table), changed));
}

/**
 * Set several values of one child row in one step.
 *
 * @param doc the parent document
 * @param table the Table fieldname
 * @param rowName the row's `name`
 * @param values fieldname to value (fields of the child DocType)
 * @returns the next Doc, or `doc` when nothing changes; other rows keep their identity
 * @throws DocError `DOC_NOT_TABLE`, `DOC_UNKNOWN_ROW`, and the write codes of {@link setValues}
 *   (`idx`, `parent`, `parentfield`, `parenttype` are `DOC_MANAGED_FIELD`: use {@link moveRow})
 */
export function setRowValues(doc: Doc, table: string, rowName: string, values: Readonly<Record<string, unknown>>): Doc {
  const { index, row } = findRow(doc, table, rowName);
  const childMeta = doc.children[table];
  const entries = effective(row, values, (key) => (childMeta ? writableField(childMeta, key, { table, rowname: rowName }) : undefined));
  if (!entries.length) return doc;
  const origRows = rowsOf(doc.original, table);
  const origPos = originalPositions(origRows).get(rowName);
  return commit(
    doc,
    setRowKeys(doc.data, table, index, entries),
    (data) => {
      const previous = doc.delta.tables[table];
      const edited = rowsOf(data, table)[index]!;
      // Field changes are tracked for original rows only; an added row is listed whole in `added`.
      const changed = origPos === undefined ? undefined : withRowChanges(previous?.changed ?? {}, origRows[origPos]!, rowName, entries);
      return withTable(doc.delta, table, afterRowEdit(previous, edited, changed));
    },
  );
}

/**
 * Set one value of one child row.
 * @returns the next Doc, or `doc` when nothing changes
 * @throws DocError as {@link setRowValues}
 */
export function setRowValue(doc: Doc, table: string, rowName: string, fieldname: string, value: unknown): Doc {
  return setRowValues(doc, table, rowName, { [fieldname]: value });
}

/**
 * Append a new row with client defaults (`frappe.model.add_child`): `idx` = rows + 1, a temporary name.
 *
 * @param doc the parent document
 * @param table the Table fieldname
 * @param values row values, applied before defaults
 * @param opts user, clock, ids and lookups for the row's defaults
 * @returns the next Doc; the new row is `rowsOf(next.data, table).at(-1)`
 */
export function addRow(doc: Doc, table: string, values: Readonly<Record<string, unknown>> = {}, opts: DefaultsOptions): Doc {
  const row = newRow(doc, table, values, opts);
  const rows = doc.data[table];
  return commit(
    doc,
    setTable(doc.data, table, Array.isArray(rows) ? [...(rows as DocData[]), row] : [row]),
    (data) => tableDeltaAfter(doc, table, data),
  );
}

/** Renumber `idx` from 1 for rows `from`..`to` (inclusive), copying only the rows whose idx changes. */
function renumber(rows: DocData[], from: number, to: number): DocData[] {
  for (let i = from; i <= to; i++) {
    const row = rows[i]!;
    if (row.idx !== i + 1) rows[i] = Object.freeze({ ...row, idx: i + 1 });
  }
  return rows;
}

/**
 * Remove a row; the rows after it are renumbered so `idx` runs from 1 without gaps.
 * @returns the next Doc
 * @throws DocError `DOC_NOT_TABLE`, `DOC_UNKNOWN_ROW`
 */
export function removeRow(doc: Doc, table: string, rowName: string): Doc {
  const { rows, index } = findRow(doc, table, rowName);
  const list = [...rows];
  list.splice(index, 1);
  return commit(doc, setTable(doc.data, table, renumber(list, index, rows.length - 2)), (data) => tableDeltaAfter(doc, table, data));
}

/**
 * Move a row to position `toIndex` (0-based, in the table after removal of the row); the rows in between
 * are renumbered.
 * @returns the next Doc, or `doc` when the row is already there
 * @throws DocError `DOC_NOT_TABLE`, `DOC_UNKNOWN_ROW`, `DOC_ROW_INDEX` (not an integer in 0..rows-1)
 */
export function moveRow(doc: Doc, table: string, rowName: string, toIndex: number): Doc {
  const { rows, index } = findRow(doc, table, rowName);
  if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= rows.length) {
    throw new DocError('DOC_ROW_INDEX', `${doc.doctype}.${table}: cannot move a row to position ${toIndex} of ${rows.length}`, {
      doctype: doc.doctype, field: table, table, rowname: rowName,
    });
  }
  if (toIndex === index) return doc;
  const list = [...rows];
  const [moved] = list.splice(index, 1);
  list.splice(toIndex, 0, moved!);
  return commit(doc, setTable(doc.data, table, renumber(list, Math.min(index, toIndex), Math.max(index, toIndex))), (data) => tableDeltaAfter(doc, table, data));
}
