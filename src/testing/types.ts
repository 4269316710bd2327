/**
 * Types of the testing helpers: a *test app* (a registry of DocTypes plus the user, clock and custom rules
 * documents are built and checked with) and a *test doc* (a document that remembers its app, so matchers can
 * compute its field states and issues without being told how).
 *
 * @module
 */
import type { Clock, User } from '../env';
import type { Issue } from '../issues';
import type { Doc, DocData } from '../doc/types';
import type { CompiledRules, CustomRules, FormState } from '../rules/types';
import type { FieldExplanation } from '../rules/explain';
import type { Controllers, Engine, EngineOptions, RunRequest } from '../run/index';
import type { TestRun } from './controllers';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';

/** Options of a test app (`createTestApp`, `loadApp`). */
export interface TestAppOptions {
  /** Custom computed fields and validators per DocType name, as `createEngine`'s `rules`. @default {} */
  readonly rules?: Readonly<Record<string, CustomRules>>;
  /** The user documents are built for and checked as. @default { name: 'Administrator', roles: ['Administrator'] } */
  readonly user?: User;
  /**
   * "now" for `Today` / `now` defaults, `frappe.datetime` in conditions and engine stamps. Fixed by default so a
   * test gives the same answer on every day. @default fixedClock('2026-01-05T09:00:00Z') (a Monday)
   */
  readonly clock?: Clock;
  /** IANA time zone of `Today` defaults and engine stamps. @default 'UTC' */
  readonly timeZone?: string;
  /** Treat a true `mandatory_depends_on` as mandatory, as Desk does at save (the server does not). @default true */
  readonly enforceMandatoryDependsOn?: boolean;
  /**
   * Controller hooks, as `createEngine`'s `controllers`. Engines of the app run them traced: `app.run()`
   * reports every hook call. @default {}
   */
  readonly controllers?: Controllers;
}

/** A child row, by its 1-based `idx` or its `name`. */
export type RowRef = number | string;

/** Where a field is: a child row (`table` + `row`), or the document itself when both are absent. */
export interface FieldWhere {
  /** The parent's Table fieldname. */
  readonly table?: string;
  /** The row in that table: 1-based `idx` or row `name`. */
  readonly row?: RowRef;
}

/** Options of {@link TestApp.doc}. */
export interface TestDocOptions {
  /**
   * Build a *saved* document: no `__islocal` / `__unsaved`, so `set_only_once` fields are read-only, as for a
   * document loaded from the server. `partial.name` names it. @default false
   */
  readonly saved?: boolean;
  /** Custom rules for this document instead of the app's for its DocType. @default the app's `rules[doctype]` */
  readonly rules?: CustomRules;
}

/**
 * A document under test: the doc-layer `Doc` plus the app it belongs to. Immutable: `set`, `addRow` and
 * `setRow` return a new TestDoc; computed fields registered in the app's rules are recomputed after each.
 */
export interface TestDoc {
  /** The app (registry, user, clock, rules) this document is checked with. */
  readonly app: TestApp;
  /** The DocType name. */
  readonly doctype: string;
  /** The custom rules this document is checked with. */
  readonly custom: CustomRules | undefined;
  /** The doc-layer document (delta, patches, original). */
  readonly doc: Doc;
  /** The current values (`doc.data`). */
  readonly data: DocData;
  /**
   * Set top-level values (one step; Table fields go through `addRow` / `setRow`).
   * @throws DocError for an unknown, Table or layout field
   */
  set(values: Readonly<Record<string, unknown>>): TestDoc;
  /** Append a row with Desk's row defaults. @throws DocError `DOC_NOT_TABLE` */
  addRow(table: string, values?: Readonly<Record<string, unknown>>): TestDoc;
  /** Set values of one row. @throws CoworkerError `TESTING_UNKNOWN_ROW` when the row does not exist */
  setRow(table: string, row: RowRef, values: Readonly<Record<string, unknown>>): TestDoc;
  /** One row's values. @throws CoworkerError `TESTING_UNKNOWN_ROW` */
  row(table: string, row: RowRef): DocData;
}

/** What the helpers accept as "a document": a TestDoc, a doc-layer Doc, or plain data with `doctype`. */
export type DocLike = TestDoc | Doc | DocData;

/** A set of DocTypes loaded for tests, with the user, clock and custom rules to check documents with. */
export interface TestApp {
  /** Every DocType of the app. Shared by every `loadApp` of the same folder (see `cache`). */
  readonly registry: Registry;
  /** The user documents are built for and checked as. */
  readonly user: User;
  /** The app's options, defaults filled in. */
  readonly options: Required<Omit<TestAppOptions, 'user' | 'controllers'>> & { readonly controllers: Controllers };
  /** @throws SchemaError `SCHEMA_UNKNOWN_DOCTYPE` */
  doctype(name: string): DocType;
  /**
   * Compiled rules of a DocType (cached by identity, so repeated calls are free).
   * @param custom custom rules instead of the app's `rules[name]`
   */
  rules(name: string, custom?: CustomRules): CompiledRules;
  /**
   * A new document with Desk's defaults (`newDoc`), `partial` applied first (it blocks defaults; a Table field
   * takes an array of row values), then the computed fields of the app's rules.
   * @throws SchemaError for an unknown DocType; DocError for a bad key in `partial`
   */
  doc(name: string, partial?: Readonly<Record<string, unknown>>, options?: TestDocOptions): TestDoc;
  /** Every field's state (with the user's permlevels unless the user is Administrator). */
  states(doc: DocLike): FormState;
  /** Every issue a save would raise (`validateDoc`): `[]` when the document is valid. */
  validate(doc: DocLike, options?: { readonly enforceMandatoryDependsOn?: boolean }): Issue[];
  /** One field's state and the reasons for it. @throws CoworkerError `RULES_UNKNOWN_FIELD`, `TESTING_UNKNOWN_ROW` */
  explain(doc: DocLike, field: string, where?: FieldWhere): FieldExplanation;
  /**
   * An engine over a fresh `memoryAdapter()` with this app's registry, user, clock, time zone and rules, and
   * `sequentialIds()`; `options` override any of them.
   */
  engine(options?: Omit<EngineOptions, 'doctypes' | 'registry'>): Engine;
  /**
   * Run on the app's own engine (one per app, created on first use, shared with `withUser` apps): the record
   * with every hook call of the run (`hooks`) and the documents its child runs created (`created`).
   * @example expect(await app.run({ operation: 'submit', target_doctype: 'Journal Entry', input: { data: { name } } })).toHaveRun(['validate', 'on_submit'])
   */
  run(request: RunRequest): Promise<TestRun>;
  /** The engine `app.run()` uses (for storage assertions: `app.store().adapter.count('GL Entry')`). */
  store(): Engine;
  /** The same app (same registry and rules) checked as another user. */
  withUser(user: User): TestApp;
}
