/**
 * `coworker/testing`: helpers and matchers for developers who unit-test their DocType rules.
 *
 * Terms: a **test app** holds DocTypes (a registry) with the user, fixed clock and custom rules documents are
 * built and checked with; a **test doc** is a document plus its app, so matchers can compute its field states
 * and issues. Everything here is browser-safe; loading an app *folder* is Node-only (`coworker/testing/node`).
 *
 * @module
 */
export { createTestApp, isTestDoc, findRow, TEST_ADMINISTRATOR, TEST_NOW } from './app';
export { coworkerMatchers } from './matchers';
export type { CoworkerMatchers, IssueMatch, MatcherContext, MatcherResult, FailureMatch, CreatedMatch } from './matchers';
export { isTestRun, traceControllers, hookLines, briefDoc } from './controllers';
export type { HookCall, TestRun, HookSink } from './controllers';
export type { TestApp, TestAppOptions, TestDoc, TestDocOptions, DocLike, FieldWhere, RowRef } from './types';
