/**
 * Failure-message text of the matchers: a field's state with the reasons behind it and the values its
 * conditions read, an issue list, a run record. Plain strings, no colours, so they read the same in a
 * terminal, in CI logs and in inline snapshots.
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocData, FieldState } from '../rules/types';
import type { RunRecord } from '../run/types';
import { findRow } from './app';
import type { FieldWhere, TestDoc } from './types';

/** `Leave Request field "half_day_date"`, or `Leave Request row 2 of "approvers", field "comment"`. */
export function fieldTitle(doc: TestDoc, field: string, where: FieldWhere): string {
  return where.table === undefined
    ? `${doc.doctype} field "${field}"`
    : `${doc.doctype} row ${JSON.stringify(where.row ?? 1)} of "${where.table}", field "${field}"`;
}

/** `visible, mandatory, editable`: every flag, in words. */
export function describeState(s: FieldState): string {
  const parts = [s.visible ? 'visible' : 'hidden', s.mandatory ? 'mandatory' : 'not mandatory', s.readOnly ? 'read-only' : 'editable'];
  if (s.collapsed !== undefined) parts.push(s.collapsed ? 'collapsed' : 'expanded');
  return parts.join(', ');
}

/**
 * The field's state, then one line per reason (`explainField`), then the current value of everything its
 * conditions read, so a failure says what was true and why without re-running anything.
 */
export function explainLines(doc: TestDoc, field: string, where: FieldWhere, state: FieldState): string[] {
  const lines = [`  state: ${describeState(state)}`];
  const why = doc.app.explain(doc, field, where);
  lines.push(...(why.reasons.length ? why.reasons.map((r) => `    - ${r}`) : ['    - no rule applies: the static defaults']));
  const rules = doc.app.rules(doc.doctype, doc.custom);
  const level = where.table === undefined ? rules : rules.tables.get(where.table);
  const rule = level?.fields.get(field);
  // The conditions' own references: unlike `stateInputs`, they keep a row's `parent.*` reads.
  const refs = rule ? [rule.depends_on, rule.mandatory_depends_on, rule.read_only_depends_on, rule.collapsible_depends_on].flatMap((c) => c?.references ?? []) : [];
  const inputs = [...new Set(refs)].filter((r) => !r.endsWith('*'));
  if (inputs.length) {
    const row = where.table === undefined ? doc.data : findRow(doc.data, where.table, where.row ?? 1);
    const shown = inputs.map((input) => {
      // A row's condition reads its own row as `doc` and the document as `parent` (Desk's locals).
      const fromParent = input.startsWith('parent.');
      const key = fromParent ? input.slice('parent.'.length) : input;
      const source: DocData = fromParent ? doc.data : row;
      return `${fromParent ? 'parent' : 'doc'}.${key} = ${show(source[key])}`;
    });
    lines.push(`  reads: ${shown.join(', ')}`);
  }
  return lines;
}

/** One issue per line: code, where, message. */
export function issueLines(issues: readonly Issue[]): string[] {
  return issues.map((i) => {
    const where = [i.table !== undefined ? `${i.table} row ${String(i.row)}` : undefined, i.field].filter(Boolean).join(' ');
    const severity = i.severity === 'warning' ? ' (warning)' : '';
    return `  - ${i.code}${severity}${where ? ` ${where}` : ''}: ${i.message}`;
  });
}

/** `create on Leave Request (HR-LR-2026-00001)`: what a run was. */
export function runTitle(run: RunRecord): string {
  const doctype = run.target_doctype ?? run.source_doctype;
  return `${run.operation} run${doctype ? ` on ${doctype}` : ''}${run.docname ? ` (${run.docname})` : ''}`;
}

/** The run's outcome: its error code, message and issues, or that it succeeded. */
export function runOutcome(run: RunRecord): string[] {
  if (run.success) return [`  it succeeded (status ${run.status})`];
  if (!run.error) return [`  it did not succeed (status ${run.status}, no error recorded)`];
  const lines = [`  error: ${run.error.code} (${run.error.exc}): ${run.error.message}`];
  if (run.error.issues.length) lines.push('  issues:', ...issueLines(run.error.issues).map((l) => `  ${l}`));
  return lines;
}

/** A value as a test author wrote it: strings quoted, objects as JSON, absent as `undefined`. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
