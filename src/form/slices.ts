/**
 * Per-field slices of a form snapshot, with stable identities: a slice is the same object as in the previous
 * snapshot while its value, state and issues are unchanged, so a field component that selects its slice
 * re-renders only when its own field changed (`useSyncExternalStore` compares with `Object.is`).
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocData, FieldState, FormState, RowState } from '../rules/types';
import type { DocType } from '../schema/types';

/** What a field component renders. */
export interface FieldSlice {
  readonly fieldname: string;
  readonly fieldtype: string;
  readonly label: string;
  readonly options: string;
  readonly value: unknown;
  /** Visible / mandatory / read-only (/ collapsed); `undefined` for fields without a state (layout fields). */
  readonly state: FieldState | undefined;
  /** For Table fields: each row's field states, by row name. */
  readonly rows?: Readonly<Record<string, RowState>>;
  /** Issues on this field (for a Table field: on its rows too). */
  readonly issues: readonly Issue[];
}

const NO_ISSUES: readonly Issue[] = Object.freeze([]);

function sameIssues(a: readonly Issue[], b: readonly Issue[]): boolean {
  return a.length === b.length && a.every((x, i) => x.code === b[i]!.code && x.message === b[i]!.message && x.row === b[i]!.row && x.field === b[i]!.field);
}

/**
 * Slices for every field of the DocType, reusing `prev` slices that did not change.
 * @param meta - the DocType
 * @param doc - the document shown
 * @param states - its field states
 * @param issues - its issues
 * @param prev - the previous snapshot's slices
 */
export function buildSlices(
  meta: DocType, doc: DocData, states: FormState, issues: readonly Issue[], prev: Readonly<Record<string, FieldSlice>> | undefined,
): Readonly<Record<string, FieldSlice>> {
  const byField = new Map<string, Issue[]>();
  for (const issue of issues) {
    const key = issue.table ?? issue.field;
    if (key === undefined) continue;
    let list = byField.get(key);
    if (!list) byField.set(key, (list = []));
    list.push(issue);
  }
  const out: Record<string, FieldSlice> = {};
  let changed = prev === undefined;
  for (const df of meta.fields) {
    const name = df.fieldname;
    const value = doc[name];
    const state = states.fields[name];
    const rows = states.rows[name];
    const fieldIssues = byField.get(name) ?? NO_ISSUES;
    const old = prev?.[name];
    if (old && old.value === value && old.state === state && old.rows === rows && sameIssues(old.issues, fieldIssues)) {
      out[name] = old;
      continue;
    }
    changed = true;
    out[name] = Object.freeze({
      fieldname: name, fieldtype: df.fieldtype, label: df.label ?? '', options: df.options ?? '', value, state,
      ...(rows ? { rows } : {}), issues: fieldIssues === NO_ISSUES ? NO_ISSUES : Object.freeze(fieldIssues),
    });
  }
  return !changed && prev ? prev : Object.freeze(out);
}
