/**
 * What a write accepts as input, the way Frappe's server accepts it: a payload shaped like Frappe's own
 * documents (`as_dict()`, REST responses, fixture files) goes in as it is.
 *
 * - Keys the DocType does not have (another app version's field, a client's extra key, a layout field) are
 *   ignored as `frappe.get_doc(dict)` ignores them (`get_valid_dict` writes only columns); each becomes a
 *   warning issue on the run record, or, with the engine option `unknownKeys: 'refuse'`, an `INVALID_RUN`.
 * - Child rows may carry Frappe's bookkeeping keys: `doctype` (must be the Table's child DocType),
 *   `parent`, `parentfield`, `parenttype` and `idx` are dropped (the document layer sets parentage and
 *   position from the row's place); `name`, `docstatus` and the other standard columns are kept.
 * - Private keys (`__islocal`, `__newname`, `__unsaved`...) are kept for naming and field states and never
 *   stored.
 *
 * @module
 */
import { makeIssue, type Issue } from '../issues';
import { CHILD_TABLE_FIELDNAMES, OPTIONAL_FIELDNAMES, STANDARD_FIELDNAMES } from '../schema/fieldtypes';
import { getField } from '../schema/fields';
import type { DocType } from '../schema/types';
import { refuse, type Verdict } from './codes';
import type { Children } from './guardian';

/** What to do with input keys the DocType does not have. */
export type UnknownKeyPolicy = 'ignore' | 'refuse';

/** The input as the write uses it, and the warnings about what was dropped. */
export interface AcceptedInput {
  readonly values: Readonly<Record<string, unknown>>;
  readonly warnings: readonly Issue[];
}

const PARENT_KEYS = new Set<string>([...STANDARD_FIELDNAMES, ...OPTIONAL_FIELDNAMES, 'doctype']);
const ROW_KEYS = new Set<string>([...STANDARD_FIELDNAMES]);
/** Frappe's row bookkeeping, set by the document layer from the row's table and place. */
const ROW_BOOKKEEPING = new Set<string>(['idx', 'doctype', ...CHILD_TABLE_FIELDNAMES]);

const isRow = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);

function valueOrTable(dt: DocType, key: string): boolean {
  const df = getField(dt, key);
  return df !== undefined && df.fieldclass !== 'display';
}

/**
 * Accept a write's input: drop unknown keys (warnings) and Frappe's row bookkeeping; refuse rows of another
 * DocType, and unknown keys when the policy says so.
 * @param doctype - the DocType written
 * @param children - its child DocTypes by Table fieldname
 * @param data - the caller's values
 * @param policy - unknown keys: `ignore` (warn) or `refuse`
 * @returns the values to write and the warnings, or a refusal (`INVALID_RUN`, one issue per key)
 */
export function acceptInput(
  doctype: DocType, children: Children, data: Readonly<Record<string, unknown>>, policy: UnknownKeyPolicy,
): AcceptedInput | Verdict & { ok: false } {
  const unknown: Issue[] = [];
  const refusals: Issue[] = [];
  const note = (dt: DocType, key: string, row?: { idx: number; table: string }) => {
    const where = row ? `Row #${row.idx} of ${row.table}: ` : '';
    unknown.push(makeIssue('UNKNOWN_KEY', `${where}${dt.name} has no field ${key}: the value was ignored`, {
      doctype: dt.name, field: key, row: row?.idx, table: row?.table, severity: policy === 'ignore' ? 'warning' : 'error',
    }));
  };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('__') || PARENT_KEYS.has(key) || valueOrTable(doctype, key)) values[key] = value;
    else note(doctype, key);
  }
  for (const [table, child] of Object.entries(children)) {
    const rows = values[table];
    if (!Array.isArray(rows) || !rows.every(isRow)) continue; // the shape check reports it
    values[table] = rows.map((row, i) => {
      const at = { idx: i + 1, table };
      if (typeof row.doctype === 'string' && row.doctype !== '' && row.doctype !== child.name) {
        refusals.push(makeIssue('INVALID_VALUE', `Row #${at.idx} of ${table} is a ${row.doctype}, not a ${child.name}`, {
          doctype: doctype.name, field: table, row: at.idx, table, value: row.doctype,
        }));
      }
      let kept = 0;
      const keys = Object.keys(row);
      for (const key of keys) {
        if (ROW_BOOKKEEPING.has(key)) continue;
        if (key.startsWith('__') || ROW_KEYS.has(key) || valueOrTable(child, key)) kept++;
        else note(child, key, at);
      }
      // A copy in one go (a spread keeps a wide row in V8's fast mode); only what is dropped needs a filter.
      if (kept === keys.length) return { ...row };
      return Object.fromEntries(keys.filter((k) => !ROW_BOOKKEEPING.has(k) && (k.startsWith('__') || ROW_KEYS.has(k) || valueOrTable(child, k))).map((k) => [k, row[k]]));
    });
  }
  if (refusals.length) return refuse('INVALID_RUN', refusals.map((i) => i.message).join('; '), refusals) as Verdict & { ok: false };
  if (policy === 'refuse' && unknown.length) {
    return refuse('INVALID_RUN', unknown.map((i) => i.message).join('; '), unknown) as Verdict & { ok: false };
  }
  return { values, warnings: unknown };
}
