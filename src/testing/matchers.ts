/**
 * Matchers for `expect.extend(coworkerMatchers)` (vitest, or jest: the same `{ pass, message }` protocol).
 * They are plain functions; nothing here imports a test runner, so the module stays browser-safe and
 * runner-neutral.
 *
 * Every failure message says what was expected, what the state was, and why (the reasons of
 * `explainField` and the values the field's conditions read), for both `expect(x).toBe…` and `.not`.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { Issue } from '../issues';
import { rowKey } from '../rules/states';
import type { FieldState } from '../rules/types';
import type { RunErrorCode } from '../run/codes';
import type { RunRecord } from '../run/types';
import { findRow, isTestDoc } from './app';
import { explainLines, fieldTitle, issueLines, runOutcome, runTitle, show } from './format';
import type { FieldWhere, TestDoc } from './types';

/** The part of a runner's matcher context the matchers read (`this.isNot` under `.not`). */
export interface MatcherContext {
  readonly isNot?: boolean;
}

/** What a matcher returns: vitest and jest print `message()` when the assertion fails. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** What `toHaveIssue` looks for: every given key must match one issue. */
export interface IssueMatch {
  readonly code?: Issue['code'];
  readonly field?: string;
  /** The row's 1-based `idx`. */
  readonly row?: number;
  readonly table?: string;
}

/**
 * The matchers' signatures as seen by a test (`R` is the runner's return type), for the `vitest` module
 * augmentation:
 *
 * @example
 * import type { CoworkerMatchers } from 'coworker/testing';
 * declare module 'vitest' {
 *   interface Matchers<T = any> extends CoworkerMatchers<T> {}
 * }
 */
export interface CoworkerMatchers<R = unknown> {
  /** The field's state has every flag of `state` (flags not given are not checked). */
  toHaveFieldState(field: string, state: Partial<FieldState>, where?: FieldWhere): R;
  /** The field is mandatory (`reqd` or a true `mandatory_depends_on`). */
  toBeMandatory(field: string, where?: FieldWhere): R;
  /** The field is visible (not `hidden`, `depends_on` true, permlevel readable). */
  toBeVisible(field: string, where?: FieldWhere): R;
  /** The field is read-only (`read_only`, `read_only_depends_on`, docstatus, set-once, fetch_from, permlevel). */
  toBeReadOnly(field: string, where?: FieldWhere): R;
  /** The document has no issues; the failure lists every issue. */
  toBeValid(): R;
  /** One issue (of a document, a failed run, or a list) matches every given key. */
  toHaveIssue(match: IssueMatch): R;
  /** The run failed with this error code; the failure shows the run's code, message and issues. */
  toFailWith(code: RunErrorCode): R;
  /** The run succeeded; the failure shows its error code, message and issues. */
  toSucceed(): R;
}

function expectTestDoc(received: unknown, matcher: string): TestDoc {
  if (!isTestDoc(received)) {
    throw new CoworkerError('TESTING_NOT_A_TEST_DOC', `${matcher}: expected a TestDoc (from app.doc()), got ${describeReceived(received, 'TestDoc')}`);
  }
  return received;
}

function isRunRecord(value: unknown): value is RunRecord {
  return typeof value === 'object' && value !== null && (value as RunRecord).doctype === 'Run' && typeof (value as RunRecord).operation === 'string';
}

function expectRun(received: unknown, matcher: string): RunRecord {
  if (!isRunRecord(received)) {
    throw new CoworkerError('TESTING_NOT_A_RUN', `${matcher}: expected a run record (from await engine.run()), got ${describeReceived(received, 'run record')}`);
  }
  return received;
}

/** What was received instead, with the usual fix. */
function describeReceived(value: unknown, wanted: string): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') return 'a Promise (await it, or use .resolves)';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return wanted === 'TestDoc' ? 'an object that is not a TestDoc (build documents with app.doc(doctype, values))' : `an object that is not a ${wanted}`;
}

/** The field's state (throws `RULES_UNKNOWN_FIELD` / `TESTING_UNKNOWN_ROW` for a wrong field or row). */
function stateOf(doc: TestDoc, field: string, where: FieldWhere): FieldState {
  doc.app.explain(doc, field, where); // validates the field and row with a precise error before anything else
  const states = doc.app.states(doc);
  const state =
    where.table === undefined
      ? states.fields[field]
      : states.rows[where.table]?.[rowKey(findRow(doc.data, where.table, where.row ?? 1))]?.[field];
  if (!state) throw new CoworkerError('RULES_UNKNOWN_FIELD', `${fieldTitle(doc, field, where)} has no state`);
  return state;
}

/** toBeMandatory / toBeVisible / toBeReadOnly: one flag, one word. */
function flagMatcher(flag: 'mandatory' | 'visible' | 'readOnly', word: string, name: string) {
  return function (this: MatcherContext, received: unknown, field: string, where: FieldWhere = {}): MatcherResult {
    const doc = expectTestDoc(received, name);
    const state = stateOf(doc, field, where);
    const pass = state[flag];
    return {
      pass,
      message: () =>
        [
          `expected ${fieldTitle(doc, field, where)} ${pass ? 'not ' : ''}to be ${word}, but it is${pass ? '' : ' not'}`,
          ...explainLines(doc, field, where, state),
        ].join('\n'),
    };
  };
}

function toHaveFieldState(this: MatcherContext, received: unknown, field: string, expected: Partial<FieldState>, where: FieldWhere = {}): MatcherResult {
  const doc = expectTestDoc(received, 'toHaveFieldState');
  const state = stateOf(doc, field, where);
  const keys = Object.keys(expected) as (keyof FieldState)[];
  const wrong = keys.filter((k) => state[k] !== expected[k]);
  const pass = wrong.length === 0;
  const want = keys.map((k) => `${k}: ${String(expected[k])}`).join(', ');
  return {
    pass,
    message: () =>
      [
        pass
          ? `expected ${fieldTitle(doc, field, where)} not to have state { ${want} }, but it has`
          : `expected ${fieldTitle(doc, field, where)} to have state { ${want} }, but ${wrong.map((k) => `${k} is ${String(state[k])}`).join(', ')}`,
        ...explainLines(doc, field, where, state),
      ].join('\n'),
  };
}

function toBeValid(this: MatcherContext, received: unknown): MatcherResult {
  const doc = expectTestDoc(received, 'toBeValid');
  const issues = doc.app.validate(doc);
  const pass = issues.length === 0;
  return {
    pass,
    message: () =>
      pass
        ? `expected ${doc.doctype} not to be valid, but it has no issues`
        : [`expected ${doc.doctype} to be valid, but it has ${count(issues.length, 'issue')}:`, ...issueLines(issues), ...mandatoryWhy(doc, issues)].join('\n'),
  };
}

/** For each missing mandatory field, why it is mandatory (a conditional rule is the usual surprise). */
function mandatoryWhy(doc: TestDoc, issues: readonly Issue[]): string[] {
  const lines: string[] = [];
  for (const i of issues) {
    if (i.code !== 'MANDATORY' || i.field === undefined) continue;
    const where: FieldWhere = i.table !== undefined && i.row !== undefined ? { table: i.table, row: i.row } : {};
    const reasons = doc.app.explain(doc, i.field, where).reasons.filter((r) => r.startsWith('mandatory'));
    if (reasons.some((r) => r.includes('mandatory_depends_on'))) lines.push(`  ${i.field}${where.table ? ` (${where.table} row ${String(where.row)})` : ''} is ${reasons.join('; ')}`);
  }
  return lines.length ? ['why mandatory:', ...lines] : [];
}

function toHaveIssue(this: MatcherContext, received: unknown, match: IssueMatch): MatcherResult {
  let subject: string;
  let issues: readonly Issue[];
  if (isTestDoc(received)) {
    subject = received.doctype;
    issues = received.app.validate(received);
  } else if (isRunRecord(received)) {
    subject = `the ${runTitle(received)}`;
    issues = received.error?.issues ?? [];
  } else if (Array.isArray(received)) {
    subject = 'the issue list';
    issues = received as readonly Issue[];
  } else {
    throw new CoworkerError('TESTING_NOT_A_TEST_DOC', `toHaveIssue: expected a TestDoc, a run record or an issue list, got ${describeReceived(received, 'TestDoc')}`);
  }
  const keys = (['code', 'field', 'row', 'table'] as const).filter((k) => match[k] !== undefined);
  const found = issues.filter((i) => keys.every((k) => i[k] === match[k]));
  const pass = found.length > 0;
  const want = keys.map((k) => `${k}: ${show(match[k])}`).join(', ');
  return {
    pass,
    message: () =>
      [
        `expected ${subject} ${pass ? 'not ' : ''}to have an issue { ${want} }, but ${pass ? `it has ${found.length}` : 'none matches'}; ${issues.length ? `${count(issues.length, 'issue')}:` : 'no issues'}`,
        ...issueLines(issues),
      ].join('\n'),
  };
}

function toFailWith(this: MatcherContext, received: unknown, code: RunErrorCode): MatcherResult {
  const run = expectRun(received, 'toFailWith');
  const pass = !run.success && run.error?.code === code;
  return {
    pass,
    message: () => [`expected the ${runTitle(run)} ${pass ? 'not ' : ''}to fail with ${code}`, ...runOutcome(run)].join('\n'),
  };
}

function toSucceed(this: MatcherContext, received: unknown): MatcherResult {
  const run = expectRun(received, 'toSucceed');
  const pass = run.success;
  return {
    pass,
    message: () => [`expected the ${runTitle(run)} ${pass ? 'not ' : ''}to succeed`, ...runOutcome(run)].join('\n'),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Every coworker matcher, for `expect.extend(coworkerMatchers)` in a vitest (or jest) setup file.
 * Document matchers take a {@link TestDoc} (`app.doc(...)`); run matchers a run record.
 *
 * @example
 * expect.extend(coworkerMatchers);
 * expect(app.doc('Leave Request', { half_day: 1 })).toBeMandatory('half_day_date');
 * expect(await engine.run({ operation: 'create', target_doctype: 'Leave Request', input: { data: {} } })).toFailWith('VALIDATION');
 */
export const coworkerMatchers = Object.freeze({
  toHaveFieldState,
  toBeMandatory: flagMatcher('mandatory', 'mandatory', 'toBeMandatory'),
  toBeVisible: flagMatcher('visible', 'visible', 'toBeVisible'),
  toBeReadOnly: flagMatcher('readOnly', 'read-only', 'toBeReadOnly'),
  toBeValid,
  toHaveIssue,
  toFailWith,
  toSucceed,
});
