/**
 * `createEngine`: the façade that wires the run layer together and holds configuration. Every decision is
 * made by the pure modules (guardian, tiers, routing, edit states); this file creates the run record, calls
 * them in order, performs the effects (storage writes through the operations, events, the run store, stored
 * `Run` documents) and guarantees that `run()` always returns a record and never throws for a call that is an
 * object.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { randomIds, systemClock, type User } from '../env';
import { compileRules } from '../rules/compile';
import type { CompiledRules, CustomRules } from '../rules/types';
import { createRegistry, type Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { memoryAdapter } from '../storage/memory';
import type { StorageAdapter, StorageSession } from '../storage/types';
import { StorageError } from '../storage/errors';
import { createFieldtypeHandlers } from '../values/handlers';
import type { DocData } from '../doc/types';
import { checkAdapterRoles, createRateLimiter, routeOperation, withTimeout } from './adapters';
import { enforce, RUN_ERROR_CODES, RunFailure } from './codes';
import type { EngineCore, OperationOutcome, RunContext, RunNotes } from './core';
import { allowedFlags, runFlags } from './flags';
import { doctypeDocuments } from './links';
import { checkEngineConfig } from './config-check';
import { cloneData, deepFreeze } from './data';
import { createEditStore, editSnapshot } from './edit-state';
import { EDIT_DOCTYPE, retryEditConflicts, stateDoctypeDefs, storageEditStore, storageRateLimiter } from './shared-state';
import { GUEST_USER, identify, userPermissionsOf } from './identity';
import { authDoctypeDef, hasPasswordFields, readSecret } from './passwords';
import { checkSecurityOptions } from './security-options';
import { runRestrictions } from './user-permission-records';
import { createRunEmitter } from './events';
import { checkDoctype, checkRights } from './guardian';
import { isBuiltinOperation, resolveOperation } from './operations';
import { selectOperation, takeoneOperation } from './reads';
import { normalizeRequest, resolveDoctypes, type NormalizedRequest } from './request';
import { RUN_DOCTYPE, RUN_DOCTYPE_JSON } from './run-doctype';
import { createRunStore, type RunStore } from './store';
import { systemFieldRules } from './tiers/system';
import { createStamper } from './timestamps';
import { VERSION_DOCTYPE, VERSION_DOCTYPE_JSON } from './version-doctype';
import { compileVirtualFields } from './virtual-fields';
import { checkVirtualSources, routeVirtual } from './virtual-doctypes';
import { sessionAdapter, type EngineDiagnostic } from './lifecycle';
import { compileControllers } from './controllers';
import type {
  BuiltinOperation, ChildRunOptions, EditSnapshot, EngineOptions, OperationDefinition, OperationResult, RunError, RunEventName,
  AbortSignalLike, RunCallOptions, RunOutput, RunRecord, RunRequest, ServiceAdapter,
} from './types';
import {
  amendOperation, cancelOperation, createOperation, deleteOperation,
  submitOperation, updateOperation, upsertOperation,
} from './writes';
import { draftOperation, editFor, saveEditOperation } from './drafts';

/** The runs that created and last changed a stored document. */
export interface DocumentTrace {
  /** The successful write runs on the document, oldest first. */
  readonly runs: readonly DocData[];
  /** The run that created it (`create`, `amend`, or an `upsert` that inserted). */
  readonly created: DocData | undefined;
  /** The last run that changed it. */
  readonly last: DocData | undefined;
}

/** An engine: `run()` plus the stores and subscriptions around it. */
export interface Engine {
  /**
   * Run one operation. Always resolves to the run record (failed runs carry `error`); throws only when
   * `request` is not an object.
   * @param request - see {@link RunRequest}
   * @returns the settled run record
   * @throws {CoworkerError} `INVALID_RUN_CALL` when `request` is not an object
   */
  run(request: RunRequest, call?: RunCallOptions): Promise<RunRecord>;
  /** Listen to `before` / `after` / `error` / `settled`. @returns unsubscribe */
  on(event: RunEventName, listener: (run: RunRecord) => void): () => void;
  /** The bounded in-memory store of run records. */
  readonly runs: RunStore;
  /** The current state of an edit (its id is the name of the draft run that opened it). With `state: 'storage'`:
   * the state this process last read or wrote; {@link Engine.loadEdit} reads the stored one. */
  edit(id: string): EditSnapshot | undefined;
  /** The current state of an edit, read from where edits live (storage with `state: 'storage'`). */
  loadEdit(id: string): Promise<EditSnapshot | undefined>;
  /**
   * The secret of a Password field (Frappe's `doc.get_password()`): reads never return it, only its mask.
   * An in-process accessor for code that holds the engine (no run, no permission check).
   * @returns the secret, or `undefined` when none is stored
   */
  getPassword(doctype: string, name: string, fieldname: string): Promise<string | undefined>;
  /** The stored runs (`storeRuns`) that wrote a document. */
  trace(doctype: string, name: string): Promise<DocumentTrace>;
  /**
   * The `Version` documents of a document of a DocType with `track_changes`, oldest first (Frappe's form
   * timeline, `frappe.desk.form.load.get_versions`): whoever may read the document may read its history.
   * `versionData(version)` parses a Version's `data`.
   * @param user - who asks (default: the engine's user)
   * @throws {CoworkerError} with the read's code (`PERMISSION`, `NOT_FOUND`, `UNKNOWN_DOCTYPE`...) when the
   *   user may not read the document
   */
  history(doctype: string, name: string, user?: User): Promise<DocData[]>;
  /** Resolves once the storage adapter has been prepared with every DocType. */
  ready(): Promise<void>;
  readonly registry: Registry;
  readonly adapter: StorageAdapter;
  /** What `createEngine` found worth saying about the configuration (e.g. DocTypes named "By script" without an `autoname` hook). */
  readonly diagnostics: readonly EngineDiagnostic[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BUILTINS: Readonly<Record<BuiltinOperation, (ctx: RunContext) => Promise<OperationOutcome>>> = {
  select: selectOperation, takeone: takeoneOperation, create: createOperation, update: updateOperation,
  upsert: upsertOperation, delete: deleteOperation, submit: submitOperation, cancel: cancelOperation, amend: amendOperation,
  // Operations most apps never run load on first need (a chunk of their own for bundlers; docs/DECISIONS.md).
  rename: async (ctx) => (await import('./rename')).renameOperation(ctx), copy: async (ctx) => (await import('./copy')).copyOperation(ctx),
  share: async (ctx) => (await import('./share-operations')).shareOperation(ctx),
  unshare: async (ctx) => (await import('./share-operations')).unshareOperation(ctx),
};

/** One object for "no custom rules", so compiled rules are shared by engines over the same registry. */
const EMPTY_RULES: CustomRules = Object.freeze({});

const WRITE_OPERATIONS = new Set(['create', 'update', 'upsert', 'submit', 'cancel', 'amend', 'delete', 'rename']);

function toOutput(result: OperationResult | readonly DocData[] | void | undefined): RunOutput {
  if (result === undefined || result === null) return { data: [], meta: {} };
  if (Array.isArray(result)) return { data: result as DocData[], meta: {} };
  const r = result as OperationResult;
  const data = r.data === undefined ? [] : Array.isArray(r.data) ? r.data : [r.data as DocData];
  return { data, meta: r.meta ?? {} };
}

/** Errors that mean the engine's configuration cannot run (checked at createEngine; seen here only when the
 * registry changed afterwards): never INTERNAL, which is reserved for bugs in coworker. */
const CONFIG_ERROR_CODES = new Set(['ENGINE_CONFIG', 'RULES_CYCLE', 'RULES_INVALID', 'SCHEMA_CHILD_TABLE', 'SCHEMA_UNKNOWN_DOCTYPE', 'STORAGE_UNKNOWN_DOCTYPE']);

function asRunError(e: unknown): RunError {
  // A storage failure wrapped as INTERNAL whose cause is configuration (a DocType the adapter was not prepared with).
  const cause = e instanceof RunFailure && e.code === 'INTERNAL' ? (e as { cause?: unknown }).cause : undefined;
  if (cause instanceof CoworkerError && CONFIG_ERROR_CODES.has(cause.code)) return asRunError(cause);
  if (e instanceof RunFailure) return { code: e.code, exc: e.exc, message: e.message, issues: e.issues };
  if (e instanceof CoworkerError && CONFIG_ERROR_CODES.has(e.code)) {
    return { code: 'ENGINE_CONFIG', exc: RUN_ERROR_CODES.ENGINE_CONFIG, message: `${e.code}: ${e.message}`, issues: [] };
  }
  // Reads pass storage errors through; a lost connection keeps its code there too.
  if (e instanceof StorageError && e.code === 'STORAGE_CONNECTION_LOST') return { code: e.code, exc: RUN_ERROR_CODES[e.code], message: e.message, issues: [] };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 'INTERNAL', exc: RUN_ERROR_CODES.INTERNAL, message, issues: [] };
}

/**
 * Create an engine.
 *
 * @example
 * const engine = createEngine({ doctypes: [todoJson], adapter: memoryAdapter(), user: { name: 'a@x.com', roles: ['System Manager'] } });
 * const r = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'Call' } } });
 * r.success; r.output?.data[0]?.name;
 * @param options - see {@link EngineOptions}
 * @returns the engine
 * @throws {SchemaError} when a DocType JSON does not parse; {@link CoworkerError} `ENGINE_CONFIG` for bad options;
 *   {@link EngineConfigError} `ENGINE_CONFIG` for a missing or non-child Table DocType, broken custom rules or a
 *   cycle of computed / fetched values, naming each DocType and field
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const registry = options.registry ?? createRegistry(options.doctypes ?? []);
  if (options.storeRuns && !registry.has(RUN_DOCTYPE)) registry.add(RUN_DOCTYPE_JSON);
  // track_changes writes Version documents: the engine knows Frappe's Version DocType when a DocType tracks changes.
  if (!registry.has(VERSION_DOCTYPE) && registry.list().some((d) => d.track_changes === 1)) registry.add(VERSION_DOCTYPE_JSON);
  indexVersions(registry);
  // Virtual DocTypes are served by their sources, never by the storage adapter.
  checkVirtualSources(registry, options.virtualDoctypes ?? {});
  const adapter = routeVirtual(options.adapter ?? memoryAdapter(), registry, options.virtualDoctypes ?? {});
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const defaultUser: User = options.user ?? GUEST_USER;
  if (options.resolveUser !== undefined && typeof options.resolveUser !== 'function') throw new CoworkerError('ENGINE_CONFIG', 'resolveUser must be a function (name -> roles)');
  const customRules = options.rules ?? {};
  const security = checkSecurityOptions(options, registry, adapter);
  const rulesCache = new WeakMap<DocType, CompiledRules>();
  const operations = new Map<string, OperationDefinition>(Object.entries(options.operations ?? {}));
  const adapters = new Map<string, ServiceAdapter>((options.adapters ?? []).map((a) => [a.name, a]));
  const knownOperations = new Set<string>([
    ...operations.keys(), ...Object.keys(options.operationAdapters ?? {}),
    ...(options.adapters ?? []).flatMap((a) => a.operations ?? []),
  ]);
  const appendOnly = new Set(options.appendOnly ?? []);
  if (options.storeRuns) appendOnly.add(RUN_DOCTYPE);
  for (const name of operations.keys()) {
    if (isBuiltinOperation(name)) throw new CoworkerError('ENGINE_CONFIG', `Custom operation "${name}" would replace a built-in operation`);
  }
  const stateMode = options.state ?? 'process';
  if (stateMode !== 'process' && stateMode !== 'storage') throw new CoworkerError('ENGINE_CONFIG', `state must be 'process' or 'storage', got ${String(stateMode)}`);
  const stamper = createStamper(clock, options.timeZone ?? 'UTC');
  const controllers = compileControllers(options.controllers, registry);
  for (const d of controllers.diagnostics) options.onDiagnostic?.(d);

  const core: EngineCore = {
    registry, adapter, clock, ids,
    handlers: options.handlers ?? createFieldtypeHandlers(),
    rulesFor: (dt) => {
      let r = rulesCache.get(dt);
      if (!r) rulesCache.set(dt, (r = compileRules(dt, registry, customRules[dt.name] ?? EMPTY_RULES, security.expressions)));
      return r;
    },
    stamper,
    timeZone: options.timeZone ?? 'UTC',
    appendOnly,
    systemRules: systemFieldRules(options.systemFields ?? []),
    enforceMandatoryDependsOn: options.enforceMandatoryDependsOn ?? true,
    edits: stateMode === 'storage' ? storageEditStore(stamper, options.maxEdits ?? 1000) : createEditStore(options.maxEdits ?? 1000),
    ...writePolicies(options),
    doctypeDocuments: doctypeDocuments(registry, () => memoryAdapter({ name: 'doctypes' })),
    controllers,
    virtualFields: compileVirtualFields(registry, options.virtualFields),
    formatSettings: options.formatSettings ?? {},
    draftHooks: options.draftHooks ?? false,
    secretCipher: security.secretCipher,
    // A hook's child run starts inside the hook's transaction: its parent is registered in `session` while the
    // child's run() picks the session up (synchronously, before its first await), as for ctx.transaction.
    runChild: (request, session) => {
      const parentName = request.parent_run_id!;
      const previous = sessions.get(parentName);
      if (!txOwners.has(session)) txOwners.set(session, (previous && txOwners.get(previous)) || parentName);
      sessions.set(parentName, session);
      try {
        return engine.run(request);
      } finally {
        if (previous) sessions.set(parentName, previous);
        else sessions.delete(parentName);
      }
    },
  };
  // Configuration problems fail here, naming the DocType and field, never a run later as INTERNAL.
  checkEngineConfig(registry, customRules, core.rulesFor);

  const reportListenerError = options.onListenerError ?? (() => {});
  const emitter = createRunEmitter(reportListenerError);
  const runs = createRunStore(options.maxRuns ?? 1000, (e) => reportListenerError(e, 'settled', undefined as unknown as RunRecord));
  const limiter = stateMode === 'storage' ? storageRateLimiter(stamper, adapter) : createRateLimiter();
  /** Records of runs still executing (mutable; snapshots go to the store and to listeners). */
  const active = new Map<string, Mutable<RunRecord>>();
  /** Runs executing inside a transaction opened by an ancestor's `ctx.transaction`, and that session. */
  const sessions = new Map<string, StorageSession>();
  /** Stored-run writes waiting for the transaction of the run they are keyed by to end (outer writes would wait on it). */
  const deferred = new Map<string, RunRecord[]>();
  /** The run that opened the outermost transaction a session belongs to (it flushes the deferred records). */
  const txOwners = new WeakMap<StorageSession, string>();
  const storedRunExists = async (runName: string) => {
    await ready();
    return adapter.exists(RUN_DOCTYPE, runName).catch(() => false);
  };
  /** With edits in storage, an edit opened by another engine process is a known parent. */
  const sharedEditExists = async (id: string) => {
    if (stateMode !== 'storage') return false;
    await ready();
    return adapter.exists(EDIT_DOCTYPE, id).catch(() => false);
  };
  const flushDeferred = async (owner: string) => {
    const list = deferred.get(owner) ?? [];
    deferred.delete(owner);
    for (const r of list) await storeRun(r);
  };

  // The adapter learns every DocType (the caller's memoryAdapter() was created without any).
  let prepared: Promise<void> | undefined;
  const ready = () => (prepared ??= adapter.prepare([
    ...registry.list(), ...(registry.list().some(hasPasswordFields) ? [authDoctypeDef()] : []), ...(stateMode === 'storage' ? stateDoctypeDefs() : []),
  ]));

  const snapshot = (rec: Mutable<RunRecord>): RunRecord => Object.freeze({
    ...rec, child_run_ids: Object.freeze([...rec.child_run_ids]), flags: Object.freeze([...rec.flags]),
  });
  const publish = (rec: Mutable<RunRecord>): RunRecord => {
    const snap = snapshot(rec);
    runs.put(snap);
    return snap;
  };

  const newName = (): string => {
    let name: string;
    do name = `run-${ids.hash(10)}`; while (runs.get(name) || active.has(name));
    return name;
  };

  async function storeRun(run: RunRecord): Promise<void> {
    try {
      await adapter.insert(RUN_DOCTYPE, {
        name: run.name, owner: run.owner, creation: run.creation, modified: run.modified, modified_by: run.owner,
        operation: run.operation, operation_original: run.operation_original, source_doctype: run.source_doctype,
        target_doctype: run.target_doctype, docname: run.docname, status: run.status, success: run.success ? 1 : 0,
        error_code: run.error?.code ?? null, error: run.error ? jsonSafe(run.error) : null, input: run.input ? jsonSafe(run.input) : null,
        query: run.query ? jsonSafe(run.query) : null, options: jsonSafe(run.options), output_meta: run.output ? cloneData(jsonSafe(run.output.meta)) : null,
        duration: run.duration, agent: run.agent, parent_run_id: run.parent_run_id, child_run_ids: [...run.child_run_ids],
        flow_id: run.flow_id, flow_type: run.flow_type, step_id: run.step_id,
        warnings: run.warnings.length ? jsonSafe(run.warnings) : null, run_flags: run.flags.length ? [...run.flags] : null,
      });
    } catch (e) {
      reportListenerError(e, 'settled', run);
    }
  }

  /** The canonical operation and DocTypes, set on the record before `before` is emitted. */
  function resolveRequest(rec: Mutable<RunRecord>, req: NormalizedRequest): void {
    // Known: built-ins, custom operations, and operations a service adapter declares or is the default for.
    const explicitAdapter = typeof req.options.adapter === 'string' ? req.options.adapter : undefined;
    const operation = resolveOperation(req.operation, knownOperations, options.aliases ?? {})
      ?? (explicitAdapter !== undefined ? req.operation : undefined);
    if (!operation) throw new RunFailure('UNKNOWN_OPERATION', `Unknown operation "${req.operation}"`);
    const { source, target } = resolveDoctypes(req, operation);
    rec.operation = operation;
    rec.source_doctype = source;
    rec.target_doctype = target;
  }

  async function execute(rec: Mutable<RunRecord>, req: NormalizedRequest, user: User, notes: RunNotes, signal: AbortSignalLike | undefined): Promise<RunOutput> {
    await ready();
    checkAborted(signal);
    const explicitAdapter = typeof req.options.adapter === 'string' ? req.options.adapter : undefined;
    const operation = rec.operation;
    const source = rec.source_doctype;
    const target = rec.target_doctype;
    const session = sessions.get(rec.name);
    const runCore: EngineCore = session ? { ...core, adapter: sessionAdapter(adapter, session) } : core;

    const custom = operations.get(operation);
    const route = routeOperation(
      operation, explicitAdapter, adapters,
      options.operationAdapters ?? {}, options.defaultAdapter, custom !== undefined || isBuiltinOperation(operation),
    );
    // Children a custom operation starts; a failed one fails the parent unless started with failParent: false.
    const failedChildren: RunRecord[] = [];
    const childRun = async (request: RunRequest, childOptions?: ChildRunOptions) => {
      const child = await engine.run({
        ...request, parent_run_id: rec.name, user: request.user ?? user, agent: request.agent === undefined ? rec.agent : request.agent,
        // An agent's limit follows it into the runs it starts (a resolver would otherwise restore the user's roles).
        ...(req.agent_roles && (request.agent === undefined || request.agent === rec.agent) && request.agent_roles == null ? { agent_roles: req.agent_roles } : {}),
      }, signal ? { signal } : undefined);
      if (!child.success && childOptions?.failParent !== false) failedChildren.push(child);
      return child;
    };

    if (route.kind === 'adapter') {
      const a = route.adapter;
      checkAdapterRoles(a, user);
      await limiter.take(a, clock().getTime(), runCore.adapter);
      let config: Record<string, unknown> = {};
      if (a.configFrom) {
        const doc = await adapter.get(a.configFrom.doctype, a.configFrom.name);
        if (!doc) throw new RunFailure('NO_ADAPTER', `Configuration ${a.configFrom.doctype} ${a.configFrom.name} of adapter "${a.name}" not found`);
        config = cloneData(doc) as Record<string, unknown>;
      }
      config = { ...config, ...(a.config ?? {}) };
      const result = await withTimeout(a, (adapterSignal) => a.handle({
        operation, source_doctype: source, target_doctype: target, input: rec.input, query: rec.query, options: rec.options,
        config, user, agent: rec.agent, run: snapshot(rec), signal: adapterSignal,
      }), signal);
      return toOutput(result);
    }

    if (custom) {
      const dtName = target ?? source;
      if (custom.requiresDoctype || custom.rights?.length) {
        enforce(checkDoctype(registry, dtName, true));
        if (custom.rights?.length) enforce(checkRights(registry.get(dtName!), user, custom.rights));
      }
      const result = await custom.handle({
        record: snapshot(rec), request: req as unknown as RunRequest, user, agent: rec.agent, registry, storage: session ?? adapter,
        run: childRun, config: {}, ...(signal ? { signal } : {}),
        transaction: (fn) => (session ?? adapter).transaction(async (tx) => {
          // Children started while fn runs use tx (writes nest as savepoints); their records are stored after it ends.
          sessions.set(rec.name, tx);
          txOwners.set(tx, (session && txOwners.get(session)) || rec.name);
          try {
            return await fn(tx);
          } finally {
            if (session) sessions.set(rec.name, session);
            else sessions.delete(rec.name);
          }
        }).finally(() => flushDeferred(rec.name)),
      });
      const failed = failedChildren[0];
      if (failed) {
        throw new RunFailure(failed.error?.code ?? 'INTERNAL', `Child run ${failed.name} (${failed.operation}) failed: ${failed.error?.message ?? 'unknown error'}`, failed.error?.issues ?? []);
      }
      return toOutput(result ?? undefined);
    }

    const { flags, used } = runFlags(req.options, core.allowedFlags);
    rec.flags = used;
    const ctx: RunContext = {
      core: runCore, runName: rec.name, operation, source, target, data: req.input?.data ?? {}, input: req.input, query: req.query,
      options: req.options, user, agent: rec.agent, parentRunId: req.parent_run_id, flags, notes,
      ...(await runRestrictions(runCore, user, options, () => userPermissionsOf(user, options.resolveUserPermissions))),
    };
    // A step whose edit another run changed meanwhile starts again on the current edit (no lost update).
    const mark = notes.warnings.length;
    const outcome: OperationOutcome = await retryEditConflicts(async () => {
      notes.warnings.length = mark; // a lost attempt's warnings are not the run's
      if (req.options.draft === true) return draftOperation(ctx);
      const edit = (operation === 'create' || operation === 'update' || operation === 'upsert') ? await editFor(ctx) : undefined;
      return edit ? saveEditOperation(ctx, edit) : BUILTINS[operation as BuiltinOperation](ctx);
    });
    if (WRITE_OPERATIONS.has(operation) && outcome.docname) rec.docname = outcome.docname;
    return outcome.fields ? { data: outcome.data, meta: outcome.meta, fields: outcome.fields } : { data: outcome.data, meta: outcome.meta };
  }

  const engine: Engine = {
    registry,
    adapter,
    diagnostics: controllers.diagnostics,
    runs,
    ready,
    on: (event, listener) => emitter.on(event, listener),
    edit: (id) => {
      const e = core.edits.peek(id);
      return e ? editSnapshot(e) : undefined;
    },

    async loadEdit(id) {
      await ready();
      const e = await core.edits.get(id, adapter);
      return e ? editSnapshot(e) : undefined;
    },

    async getPassword(doctype, name, fieldname) {
      await ready();
      if (!registry.tryGet(doctype)?.fields.some((df) => df.fieldname === fieldname && df.fieldtype === 'Password')) {
        throw new CoworkerError('INVALID_ARGUMENT', `${doctype}.${fieldname} is not a Password field`);
      }
      return readSecret(adapter, doctype, name, fieldname, security.secretCipher);
    },

    async trace(doctype, name) {
      await ready();
      if (!options.storeRuns) throw new CoworkerError('ENGINE_CONFIG', 'trace() needs the engine option storeRuns');
      const found = await adapter.query(RUN_DOCTYPE, {
        where: { target_doctype: doctype, docname: name, success: 1, operation: { in: [...WRITE_OPERATIONS].filter((o) => o !== 'delete') } },
        orderBy: [{ creation: 'asc' }],
      });
      const created = found.find((r) => r.operation === 'create' || r.operation === 'amend' || r.operation === 'upsert');
      return { runs: found, created, last: found[found.length - 1] };
    },

    async history(doctype, name, user) {
      const read = await engine.run({ operation: 'takeone', source_doctype: doctype, input: { data: { name } }, ...(user ? { user } : {}) });
      if (!read.success || !read.output?.data.length) {
        throw new CoworkerError(read.error?.code ?? 'NOT_FOUND', read.error?.message ?? `${doctype} ${name} not found`);
      }
      if (!registry.has(VERSION_DOCTYPE)) return [];
      const found = await adapter.query(VERSION_DOCTYPE, { where: { ref_doctype: doctype, docname: name }, orderBy: [{ creation: 'asc' }, { name: 'asc' }] });
      return found.map((v) => ({ ...v }));
    },

    async run(request, call) {
      if (typeof request !== 'object' || request === null || Array.isArray(request)) {
        throw new CoworkerError('INVALID_RUN_CALL', 'run() takes a run object: { operation, target_doctype?, input?, query?, options? }');
      }
      const startedAt = clock();
      const startedMs = startedAt.getTime();
      const stamp = core.stamper.next();
      const raw = request as unknown as Record<string, unknown>;
      const name = newName();
      const rec: Mutable<RunRecord> = {
        doctype: 'Run', name, operation: typeof raw.operation === 'string' ? raw.operation : '',
        operation_original: typeof raw.operation === 'string' ? raw.operation : '',
        source_doctype: null, target_doctype: null, input: null, query: null, options: {}, output: null,
        status: 'pending', success: false, error: null, creation: stamp, modified: stamp, duration: null,
        owner: defaultUser.name, agent: null, parent_run_id: null, child_run_ids: [], flow_id: name, flow_type: null,
        step_id: null, docname: null, warnings: [], flags: [],
      };
      const notes: RunNotes = { warnings: [] };
      active.set(name, rec);
      publish(rec);
      let user = defaultUser;
      try {
        let req: NormalizedRequest | undefined;
        let failure: unknown;
        try {
          req = normalizeRequest(raw);
        } catch (e) {
          failure = e;
        }
        if (req) {
          // A child started inside its parent's transaction (a hook's ctx.run) takes that session now, before the
          // first await below: the parent registers it only while this call is synchronous.
          const inherited = req.parent_run_id ? sessions.get(req.parent_run_id) : undefined;
          if (inherited) sessions.set(name, inherited);
          try {
            if (options.resolveUser) await ready(); // a resolver may read stored User documents
            user = await identify(req, defaultUser, options.resolveUser);
          } catch (e) {
            user = req.user ?? defaultUser;
            failure = e;
          }
          Object.assign(rec, {
            owner: user.name, agent: req.agent, input: req.input ? deepFreeze(cloneData(req.input)) : null,
            query: req.query ? deepFreeze(cloneData(req.query)) : null, options: deepFreeze(cloneData(req.options)),
            source_doctype: req.source_doctype ?? req.doctype, target_doctype: req.target_doctype ?? req.doctype,
            parent_run_id: req.parent_run_id, flow_type: req.flow_type, step_id: req.step_id, flow_id: req.flow_id ?? name,
          });
          // A child run: linked both ways, in its parent's flow (an explicit flow_id / flow_type wins).
          const parent = req.parent_run_id ? active.get(req.parent_run_id) ?? runs.get(req.parent_run_id) : undefined;
          if (req.parent_run_id && !parent && !(options.storeRuns && await storedRunExists(req.parent_run_id)) && !(await sharedEditExists(req.parent_run_id))) {
            failure = new RunFailure('INVALID_RUN', `Unknown parent_run_id "${req.parent_run_id}"`);
          }
          if (parent) {
            rec.flow_id = req.flow_id ?? parent.flow_id;
            rec.flow_type = req.flow_type ?? parent.flow_type;
            const session = sessions.get(parent.name);
            if (session && !sessions.has(name)) sessions.set(name, session);
            const live = active.get(parent.name);
            if (live) {
              live.child_run_ids = [...live.child_run_ids, name];
              publish(live);
            } else runs.put(Object.freeze({ ...parent, child_run_ids: Object.freeze([...parent.child_run_ids, name]) }));
          }
        }
        if (req && !failure) {
          try {
            resolveRequest(rec, req);
          } catch (e) {
            failure = e;
          }
        }
        rec.status = 'running';
        emitter.emit('before', publish(rec));
        try {
          if (failure) throw failure;
          const output = await execute(rec, req!, user, notes, call?.signal);
          rec.output = deepFreeze(output);
          rec.status = 'completed';
          rec.success = true;
        } catch (e) {
          rec.error = deepFreeze(asRunError(e));
          if (e instanceof RunFailure && e.output) rec.output = deepFreeze(toOutput(cloneData(e.output) as OperationResult));
          rec.status = 'failed';
          rec.success = false;
        }
      } catch (e) {
        // Anything unexpected in the bookkeeping itself still ends as a failed record.
        rec.error = deepFreeze(asRunError(e));
        rec.status = 'failed';
        rec.success = false;
      }
      rec.warnings = deepFreeze(notes.warnings.slice());
      rec.modified = core.stamper.next();
      rec.duration = Math.max(0, clock().getTime() - startedMs);
      active.delete(name);
      const final = publish(rec);
      emitter.emit(final.success ? 'after' : 'error', final);
      emitter.emit('settled', final);
      const session = sessions.get(name);
      sessions.delete(name);
      if (options.storeRuns) {
        // Inside an ancestor's transaction the record waits for it to end; the transaction owner flushes it.
        const owner = session ? txOwners.get(session) : undefined;
        if (owner) deferred.set(owner, [...(deferred.get(owner) ?? []), final]);
        else await storeRun(final);
        // Records of child runs its controller hooks started in its write's transaction.
        if (deferred.has(name)) await flushDeferred(name);
      }
      return final;
    },
  };
  return engine;
}

/**
 * Frappe's own `version.json` has no index: Frappe adds `(ref_doctype, docname)` in `on_doctype_update`. The
 * engine reads history by `docname`, so it gets a `search_index` (a Property Setter), as the built-in has.
 */
function indexVersions(registry: Registry): void {
  const docname = registry.tryGet(VERSION_DOCTYPE)?.fields.find((f) => f.fieldname === 'docname');
  if (!docname || (docname as { search_index?: unknown }).search_index === 1) return;
  registry.applyCustomizations({
    propertySetters: [{ doc_type: VERSION_DOCTYPE, doctype_or_field: 'DocField', field_name: 'docname', property: 'search_index', property_type: 'Check', value: '1' }],
  });
}

/** Stop a run whose caller aborted before its work started. */
function checkAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) {
    const why = signal.reason instanceof Error ? `: ${signal.reason.message}` : typeof signal.reason === 'string' ? `: ${signal.reason}` : '';
    throw new RunFailure('ABORTED', `The run was aborted before it started${why}`);
  }
}

/** JSON-safe copy (drops functions and cycles never present in our metas, keeps plain data). */
function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null));
  } catch {
    return null;
  }
}

/** The engine options of the write path (`frappe/model/__init__.py` of docs/DECISIONS.md), checked once at createEngine. */
function writePolicies(options: EngineOptions): Pick<EngineCore, 'readOnlyInput' | 'unknownKeys' | 'unknownLinks' | 'allowedFlags'> {
  const readOnlyInput = options.readOnlyInput ?? 'accept';
  if (readOnlyInput !== 'accept' && readOnlyInput !== 'refuse') throw new CoworkerError('ENGINE_CONFIG', `readOnlyInput must be 'accept' or 'refuse', got ${String(readOnlyInput)}`);
  const unknownKeys = options.unknownKeys ?? 'ignore';
  if (unknownKeys !== 'ignore' && unknownKeys !== 'refuse') throw new CoworkerError('ENGINE_CONFIG', `unknownKeys must be 'ignore' or 'refuse', got ${String(unknownKeys)}`);
  const unknownLinks = options.unknownLinks ?? 'warn';
  if (typeof unknownLinks !== 'function' && unknownLinks !== 'skip' && unknownLinks !== 'warn' && unknownLinks !== 'error') {
    throw new CoworkerError('ENGINE_CONFIG', `unknownLinks must be 'skip', 'warn', 'error' or a resolver function, got ${String(unknownLinks)}`);
  }
  const flags = allowedFlags(options.allowFlags);
  if ('error' in flags) throw new CoworkerError('ENGINE_CONFIG', flags.error);
  return { readOnlyInput, unknownKeys, unknownLinks, allowedFlags: flags.set };
}
