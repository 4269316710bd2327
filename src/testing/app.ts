/**
 * `createTestApp`: the browser-safe core of the testing helpers. It wires the registry, the user, a fixed clock
 * and custom rules once, so a test reads as "this document, this field, this state" and nothing else.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { fixedClock, sequentialIds, type IdGenerator, type User } from '../env';
import type { Issue } from '../issues';
import { newDoc } from '../doc/new';
import { loadDoc } from '../doc/load';
import { addRow, setRowValues, setValues } from '../doc/write';
import { rowsOf } from '../doc/delta';
import { isDoc } from '../doc/state';
import type { DefaultsOptions, Doc, DocData } from '../doc/types';
import { compileRules } from '../rules/compile';
import { applyComputed } from '../rules/computed';
import { evaluateStates, type StateOptions } from '../rules/states';
import { validateDoc } from '../rules/validate';
import { explainField, type FieldExplanation } from '../rules/explain';
import type { CompiledRules, CustomRules } from '../rules/types';
import { isAdministrator } from '../permissions/roles';
import { permlevelAccess } from '../permissions/role-permissions';
import { createEngine } from '../run/engine';
import { memoryAdapter } from '../storage/index';
import { createRegistry, type Registry } from '../schema/registry';
import type { Engine } from '../run/engine';
import { testRun, traceControllers, type HookCall } from './controllers';
import type { DocLike, FieldWhere, RowRef, TestApp, TestAppOptions, TestDoc, TestDocOptions } from './types';

/** The default user: Administrator bypasses permissions, so states show the DocType's own rules. */
export const TEST_ADMINISTRATOR: User = Object.freeze({ name: 'Administrator', roles: Object.freeze(['Administrator']) });

/** The default "now" of a test app: fixed, so `Today` defaults and date conditions never depend on the day. */
export const TEST_NOW = '2026-01-05T09:00:00Z';

// Brand instead of `instanceof`: TestDocs are plain frozen objects, and a brand survives duplicate copies of
// this module (e.g. the root entry and the ./testing entry each bundling it).
const TEST_DOC = Symbol.for('coworker.testDoc');

/**
 * Whether a value is a {@link TestDoc} (built by `app.doc()`).
 * @param value - anything
 * @returns true for a TestDoc
 */
export function isTestDoc(value: unknown): value is TestDoc {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TEST_DOC] === true;
}

/**
 * A test app over DocTypes already in memory: a registry, or DocType JSON objects.
 *
 * @example
 * const app = createTestApp([leaveRequestJson, approverJson, leaveTypeJson], { rules: { 'Leave Request': rules } });
 * const doc = app.doc('Leave Request', { half_day: 1 });
 * app.states(doc).fields.half_day_date; // { visible: true, mandatory: true, readOnly: false }
 * @param source - a {@link Registry} (used as is) or DocType JSON objects (parsed into a new registry)
 * @param options - see {@link TestAppOptions}
 * @returns the app
 * @throws {SchemaError} when a DocType JSON does not parse
 */
export function createTestApp(source: Registry | readonly unknown[], options: TestAppOptions = {}): TestApp {
  const registry = Array.isArray(source) ? createRegistry(source as readonly unknown[]) : (source as Registry);
  const filled: TestApp['options'] = Object.freeze({
    rules: options.rules ?? {},
    clock: options.clock ?? fixedClock(TEST_NOW),
    timeZone: options.timeZone ?? 'UTC',
    enforceMandatoryDependsOn: options.enforceMandatoryDependsOn ?? true,
    controllers: options.controllers ?? {},
  });
  return makeApp(registry, options.user ?? TEST_ADMINISTRATOR, filled, { engine: undefined, calls: [] });
}

/** What apps made by `withUser` share: the engine of `app.run()` and its hook log. */
interface Shared {
  engine: Engine | undefined;
  readonly calls: HookCall[];
}

function makeApp(registry: Registry, user: User, options: TestApp['options'], shared: Shared): TestApp {
  const getDoctype = (name: string) => registry.get(name);
  const defaults = (ids: IdGenerator): DefaultsOptions => ({ user, clock: options.clock, ids, getDoctype, timeZone: options.timeZone });

  const rulesOf = (name: string, custom?: CustomRules): CompiledRules => {
    const own = custom ?? options.rules[name];
    return own ? compileRules(registry.get(name), registry, own) : compileRules(registry.get(name), registry);
  };

  /** The state context: the app's user and clock, and the user's permlevels (Administrator sees every level). */
  const stateOptions = (doctype: string): StateOptions => {
    const base = { user, now: options.clock() };
    if (isAdministrator(user)) return base;
    const meta = registry.get(doctype);
    return { ...base, permissions: { read: permlevelAccess(meta, user, 'read'), write: permlevelAccess(meta, user, 'write') } };
  };

  const resolve = (doc: DocLike): { doctype: string; data: DocData; rules: CompiledRules } => {
    if (isTestDoc(doc)) return { doctype: doc.doctype, data: doc.data, rules: rulesOf(doc.doctype, doc.custom) };
    const data = isDoc(doc) ? doc.data : doc;
    if (typeof data !== 'object' || data === null || typeof data.doctype !== 'string') {
      throw new CoworkerError('TESTING_NOT_A_DOC', 'expected a TestDoc, a Doc or document data with a "doctype" string');
    }
    return { doctype: data.doctype, data, rules: rulesOf(data.doctype) };
  };

  const app: TestApp = {
    registry,
    user,
    options,
    doctype: getDoctype,
    rules: rulesOf,
    doc(name, partial = {}, docOptions: TestDocOptions = {}) {
      const meta = registry.get(name);
      const ids = sequentialIds();
      // `doctype` is the document layer's to set; dropping a matching one lets `app.doc(name, someDoc.data)` work.
      const { doctype: given, ...values } = partial;
      if (given !== undefined && given !== name) {
        throw new CoworkerError('TESTING_NOT_A_DOC', `app.doc('${name}', ...): the values are a ${String(given)}`);
      }
      let doc = newDoc(meta, { ...defaults(ids), values });
      if (docOptions.saved) {
        // A stored document has no client-only flags; its name is the given one (or the temporary one).
        const { __islocal: _l, __unsaved: _u, __run_link_triggers: _t, ...stored } = doc.data;
        doc = loadDoc(meta, stored, { getDoctype, ids });
      }
      const rules = rulesOf(name, docOptions.rules);
      return makeTestDoc(app, docOptions.rules, withComputed(rules, doc), ids, defaults(ids));
    },
    states(doc) {
      const r = resolve(doc);
      return evaluateStates(r.rules, r.data, stateOptions(r.doctype));
    },
    validate(doc, validateOptions = {}): Issue[] {
      const r = resolve(doc);
      return validateDoc(r.rules, r.data, {
        ...stateOptions(r.doctype),
        enforceMandatoryDependsOn: validateOptions.enforceMandatoryDependsOn ?? options.enforceMandatoryDependsOn,
      });
    },
    explain(doc, field, where: FieldWhere = {}): FieldExplanation {
      const r = resolve(doc);
      const base = stateOptions(r.doctype);
      if (where.table === undefined) return explainField(r.rules, r.data, field, base);
      const row = findRow(r.data, where.table, where.row ?? 1);
      return explainField(r.rules, r.data, field, { ...base, table: where.table, row });
    },
    engine(engineOptions = {}) {
      return createEngine({
        registry, adapter: memoryAdapter(), user, clock: options.clock, ids: sequentialIds(), timeZone: options.timeZone,
        rules: options.rules, enforceMandatoryDependsOn: options.enforceMandatoryDependsOn,
        controllers: traceControllers(options.controllers, (call) => shared.calls.push(call)), ...engineOptions,
      });
    },
    store() {
      return (shared.engine ??= app.engine());
    },
    async run(request) {
      const engine = app.store();
      const from = shared.calls.length;
      const record = await engine.run({ user, ...request });
      return testRun(engine, record, shared.calls.slice(from));
    },
    withUser(other) {
      return makeApp(registry, other, options, shared);
    },
  };
  return Object.freeze(app);
}

/**
 * A row of `data[table]` by 1-based `idx` (position when rows carry no idx) or by `name`.
 * @param data - the document
 * @param table - the Table fieldname
 * @param ref - 1-based idx or row name
 * @returns the row
 * @throws {CoworkerError} `TESTING_UNKNOWN_ROW` listing the rows there are
 */
export function findRow(data: DocData, table: string, ref: RowRef): DocData {
  const rows = rowsOf(data, table);
  const row = typeof ref === 'number' ? rows.find((r, i) => Number(r.idx ?? i + 1) === ref) : rows.find((r) => r.name === ref);
  if (!row) {
    const have = rows.map((r, i) => `${String(r.idx ?? i + 1)} (${String(r.name)})`).join(', ') || 'none';
    throw new CoworkerError('TESTING_UNKNOWN_ROW', `${String(data.doctype)} has no row ${JSON.stringify(ref)} in "${table}"; rows: ${have}`);
  }
  return row;
}

/** Recompute the computed fields of `rules` and write the changes into the Doc (so its delta shows them). */
function withComputed(rules: CompiledRules, doc: Doc, prev?: DocData): Doc {
  const { changes } = applyComputed(rules, doc.data, prev);
  let next = doc;
  const top: Record<string, unknown> = {};
  for (const c of changes) {
    if (c.table === undefined) top[c.field] = c.value;
    else {
      // applyComputed reports rows by position; the doc layer addresses them by name.
      const row = rowsOf(next.data, c.table)[c.index ?? 0];
      if (row) next = setRowValues(next, c.table, String(row.name), { [c.field]: c.value });
    }
  }
  return Object.keys(top).length ? setValues(next, top) : next;
}

function makeTestDoc(app: TestApp, custom: CustomRules | undefined, doc: Doc, ids: IdGenerator, defaults: DefaultsOptions): TestDoc {
  const rules = () => app.rules(doc.doctype, custom);
  const next = (written: Doc) => (written === doc ? self : makeTestDoc(app, custom, withComputed(rules(), written, doc.data), ids, defaults));
  const self: TestDoc = {
    app,
    doctype: doc.doctype,
    custom,
    doc,
    data: doc.data,
    set: (values) => next(setValues(doc, values)),
    addRow: (table, values = {}) => next(addRow(doc, table, values, defaults)),
    setRow: (table, ref, values) => next(setRowValues(doc, table, String(findRow(doc.data, table, ref).name), values)),
    row: (table, ref) => findRow(doc.data, table, ref),
  };
  Object.defineProperty(self, TEST_DOC, { value: true });
  return Object.freeze(self);
}
