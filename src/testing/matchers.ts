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
import { briefDoc, hookLines, isTestRun, type HookCall } from './controllers';
import type { HookName } from '../run/lifecycle';
import type { DocData } from '../run/types';
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

/** What `toFailWith` looks for besides the code: every given key must match. */
export interface FailureMatch {
  readonly code?: RunErrorCode;
  /** Frappe's exception name, e.g. `ValidationError`. */
  readonly exc?: string;
  /** The message: equal to a string, or matching a RegExp. */
  readonly message?: string | RegExp;
  /** An issue on this field. */
  readonly field?: string;
  /** For `app.run()` records: the hook that threw (`validate`, or `Sales Order.validate`). */
  readonly hook?: string;
}

/** What `toHaveCreated` compares a created document with: the given keys only. */
export type CreatedMatch = number | Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];

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
  /**
   * The run failed with this error code (or with every key of a {@link FailureMatch}); the failure shows the
   * run's code, message and issues, and for `app.run()` records every hook call (which threw, what each saw).
   */
  toFailWith(code: RunErrorCode | FailureMatch): R;
  /**
   * An `app.run()` record whose hooks include these, in this order (other hooks may run between them).
   * `'on_submit'` or `'GL Entry.validate'` (a hook of another DocType, e.g. in a child run).
   */
  toHaveRun(hooks: string | readonly string[]): R;
  /**
   * An `app.run()` record whose child runs created documents of `doctype`: any, this many, or ones matching
   * each given object (key subset; for a list, one document per entry, in order).
   */
  toHaveCreated(doctype: string, expected?: CreatedMatch): R;
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

function toFailWith(this: MatcherContext, received: unknown, expected: RunErrorCode | FailureMatch): MatcherResult {
  const run = expectRun(received, 'toFailWith');
  const want: FailureMatch = typeof expected === 'string' ? { code: expected } : expected;
  const e = run.error;
  // The innermost hook that threw (calls are in start order: a child run's hooks follow the hook that ran it).
  const threw = isTestRun(received) ? [...received.hooks].reverse().find((c) => c.threw) : undefined;
  const checks: [string, boolean][] = [];
  if (want.code !== undefined) checks.push([want.code, e?.code === want.code]);
  if (want.exc !== undefined) checks.push([`exc ${want.exc}`, e?.exc === want.exc]);
  if (want.message !== undefined) {
    const m = want.message;
    checks.push([`message ${typeof m === 'string' ? show(m) : String(m)}`, e !== null && (typeof m === 'string' ? e.message === m : m.test(e.message))]);
  }
  if (want.field !== undefined) checks.push([`an issue on ${want.field}`, (e?.issues ?? []).some((i) => i.field === want.field)]);
  if (want.hook !== undefined) checks.push([`thrown by ${want.hook}`, threw !== undefined && hookMatches(threw, want.hook)]);
  const pass = !run.success && checks.every(([, ok]) => ok);
  return {
    pass,
    message: () => [
      `expected the ${runTitle(run)} ${pass ? 'not ' : ''}to fail with ${checks.map(([w]) => w).join(', ')}`,
      ...runOutcome(run),
      ...(threw ? [`  thrown by: ${threw.doctype}.${threw.hook} [${threw.controller}]`] : []),
      ...(isTestRun(received) ? hookLines(received.hooks) : []),
    ].join('\n'),
  };
}

/** `validate` matches any DocType's validate; `GL Entry.validate` only that DocType's. */
function hookMatches(call: HookCall, spec: string): boolean {
  const dot = spec.lastIndexOf('.');
  return dot < 0 ? call.hook === spec : call.doctype === spec.slice(0, dot) && call.hook === spec.slice(dot + 1);
}

function expectTestRun(received: unknown, matcher: string) {
  if (!isTestRun(received)) {
    throw new CoworkerError('TESTING_NOT_A_RUN', `${matcher}: expected a run from app.run() (it records the hooks), got ${isRunRecord(received) ? 'a run record from engine.run()' : describeReceived(received, 'run')}`);
  }
  return received;
}

function toHaveRun(this: MatcherContext, received: unknown, hooks: string | readonly string[]): MatcherResult {
  const run = expectTestRun(received, 'toHaveRun');
  const wanted = typeof hooks === 'string' ? [hooks] : hooks;
  // Own DocType first: a bare hook name means the run's DocType when it ran there, any DocType otherwise.
  const own = run.target_doctype;
  const spec = (h: string) => (h.includes('.') || !own || !run.hooks.some((c) => c.doctype === own && c.hook === h) ? h : `${own}.${h}`);
  let at = 0;
  let missing: string | undefined;
  for (const h of wanted) {
    const i = run.hooks.findIndex((c, j) => j >= at && hookMatches(c, spec(h)));
    if (i < 0) {
      missing = h;
      break;
    }
    at = i + 1;
  }
  const pass = missing === undefined;
  return {
    pass,
    message: () => [
      pass
        ? `expected the ${runTitle(run)} not to have run ${wanted.join(' -> ')}, but it did`
        : `expected the ${runTitle(run)} to have run ${wanted.join(' -> ')}, but ${missing as HookName} ${run.hooks.some((c) => hookMatches(c, spec(missing!))) ? 'ran out of that order' : 'did not run'}`,
      ...runOutcome(run),
      ...hookLines(run.hooks),
    ].join('\n'),
  };
}

function subset(doc: DocData, want: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(want).every(([k, v]) => Object.is(doc[k], v) || JSON.stringify(doc[k]) === JSON.stringify(v));
}

function toHaveCreated(this: MatcherContext, received: unknown, doctype: string, expected?: CreatedMatch): MatcherResult {
  const run = expectTestRun(received, 'toHaveCreated');
  const docs = run.created.filter((c) => c.doctype === doctype).map((c) => c.doc);
  let pass: boolean;
  let want: string;
  if (expected === undefined) {
    pass = docs.length > 0;
    want = `a ${doctype}`;
  } else if (typeof expected === 'number') {
    pass = docs.length === expected;
    want = count(expected, doctype);
  } else if (Array.isArray(expected)) {
    const list = expected as readonly Readonly<Record<string, unknown>>[];
    pass = docs.length === list.length && list.every((w, i) => subset(docs[i]!, w));
    want = `${count(list.length, doctype)} matching ${list.map((w) => show(w)).join(', ')}`;
  } else {
    pass = docs.some((d) => subset(d, expected as Readonly<Record<string, unknown>>));
    want = `a ${doctype} matching ${show(expected)}`;
  }
  return {
    pass,
    message: () => [
      `expected the ${runTitle(run)} ${pass ? 'not ' : ''}to have created ${want}; it created ${count(docs.length, doctype)}${docs.length ? ':' : ''}`,
      ...docs.map((d) => `    ${briefDoc(d, 400)}`),
      ...runOutcome(run),
    ].join('\n'),
  };
}

function toSucceed(this: MatcherContext, received: unknown): MatcherResult {
  const run = expectRun(received, 'toSucceed');
  const pass = run.success;
  return {
    pass,
    message: () => [`expected the ${runTitle(run)} ${pass ? 'not ' : ''}to succeed`, ...runOutcome(run), ...(isTestRun(received) ? hookLines(received.hooks) : [])].join('\n'),
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
  toHaveRun,
  toHaveCreated,
});
