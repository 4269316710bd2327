/**
 * Types of the run layer: the run request a caller gives `engine.run()`, the run record (`run_doc`) it always
 * gets back, the engine options, and the extension points (custom operations, service adapters, system-field
 * rules).
 *
 * Terms: a *run* is one call of `engine.run()`; its *record* is a `Run` document describing it; a *flow* is a
 * tree of runs sharing `flow_id` (a run started inside a run is its *child*); an *edit* is a document being
 * changed through draft runs before it is saved (see docs/edit-state.md).
 *
 * @module
 */
import type { VirtualFieldGetters } from './virtual-fields';
import type { VirtualDoctypeSources } from './virtual-doctypes';
import type { FormatSettings } from './version-format';
import type { Clock, IdGenerator, User } from '../env';
import type { Issue } from '../issues';
import type { CustomRules, FormState } from '../rules/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import type { Query, StorageAdapter, StorageSession } from '../storage/types';
import type { FieldtypeHandlers } from '../values/handlers';
import type { DocData } from '../doc/types';
import type { RunErrorCode } from './codes';
import type { RunFlag } from './flags';
import type { UnknownKeyPolicy } from './input';
import type { UnknownLinkPolicy } from './links';
import type { Controllers, EngineDiagnostic } from './lifecycle';

export type { DocData };

/** The built-in operations (canonical names). */
export type BuiltinOperation =
  | 'select' | 'takeone' | 'create' | 'update' | 'upsert' | 'delete' | 'submit' | 'cancel' | 'amend'
  | 'rename' | 'copy'
  /** Frappe's `frappe.share.add` / `remove` (DocShare, shares.ts). */
  | 'share' | 'unshare';

/** Lifecycle of a run record. */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';

/** Options of one run. */
export interface RunOptions {
  /** Run the whole pipeline (guardian, tiers, the write inside a rolled-back transaction) without writing. @default false */
  readonly dry_run?: boolean;
  /** An edit step: merge, compute and validate, return the document, its field states and issues; write nothing. @default false */
  readonly draft?: boolean;
  /** Route the operation to this named service adapter (highest precedence). @default undefined */
  readonly adapter?: string;
  /**
   * Frappe document flags for this run (`{ ignore_links: true }`), each allowed only when the engine's
   * `allowFlags` allows it; used flags are listed on the record's `flags`. @default {}
   */
  readonly flags?: Readonly<Partial<Record<RunFlag, boolean>>>;
  /** Anything else is kept on the record and passed to custom operations and adapters. */
  readonly [key: string]: unknown;
}

/** The input of a run: `data` holds the document values (or the delta) and names the document by `data.name`. */
export interface RunInput {
  readonly data?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** What a caller passes to `engine.run()`. `from` / `into` / `doctype` are aliases of source / target. */
export interface RunRequest {
  readonly operation: string;
  readonly source_doctype?: string;
  readonly target_doctype?: string;
  /** Alias of `source_doctype`. */
  readonly from?: string;
  /** Alias of `target_doctype`. */
  readonly into?: string;
  /** Alias of the DocType the operation is about: target for writes, source for reads. */
  readonly doctype?: string;
  readonly input?: RunInput;
  readonly query?: Query;
  readonly options?: RunOptions;
  /**
   * The human the run is for (their roles decide every permission; with the engine option `resolveUser` only
   * the name is used and the roles come from the engine). @default the engine's user
   */
  readonly user?: User;
  /** An AI agent acting for `user`, with the user's roles or fewer (`agent_roles`). @default null */
  readonly agent?: string | null;
  /**
   * Limit the agent to these roles; each must be one the user holds, otherwise `PERMISSION_DENIED`. Child
   * runs keep the limit. Needs `agent`. @default null (the user's roles)
   */
  readonly agent_roles?: readonly string[] | null;
  readonly parent_run_id?: string | null;
  readonly flow_id?: string | null;
  readonly flow_type?: string | null;
  readonly step_id?: string | null;
}

/** One issue as a run reports it: field, row and a stable code (see {@link Issue}). */
export type RunIssue = Issue;

/** Why a run failed: one stable code, a message, and every issue when the reason is data. */
export interface RunError {
  readonly code: RunErrorCode;
  /** Frappe's exception name for the same failure, e.g. `PermissionError`. */
  readonly exc: string;
  readonly message: string;
  readonly issues: readonly RunIssue[];
}

/** What a run produced. */
export interface RunOutput {
  /** Documents (reads), the written document (writes), or what a custom operation / adapter returned. */
  readonly data: readonly DocData[];
  readonly meta: Readonly<Record<string, unknown>>;
  /** For reads: the fieldnames the caller may see. */
  readonly fields?: readonly string[];
}

/** The run record (`run_doc`): a plain frozen `Run` document. */
export interface RunRecord {
  readonly doctype: 'Run';
  readonly name: string;
  /** Canonical operation name (after alias resolution). */
  readonly operation: string;
  /** The operation exactly as the caller wrote it. */
  readonly operation_original: string;
  readonly source_doctype: string | null;
  readonly target_doctype: string | null;
  readonly input: RunInput | null;
  readonly query: Query | null;
  readonly options: RunOptions;
  readonly output: RunOutput | null;
  readonly status: RunStatus;
  readonly success: boolean;
  readonly error: RunError | null;
  readonly creation: string;
  readonly modified: string;
  /** Milliseconds from start to settle (by the engine clock). */
  readonly duration: number | null;
  /** The human the run is for. */
  readonly owner: string;
  /** The AI agent acting for `owner`, if any. */
  readonly agent: string | null;
  readonly parent_run_id: string | null;
  readonly child_run_ids: readonly string[];
  readonly flow_id: string;
  readonly flow_type: string | null;
  readonly step_id: string | null;
  /** The document the run created or changed (writes), for traceability. */
  readonly docname: string | null;
  /**
   * Non-blocking issues of the run: input keys that were ignored, Links that could not be checked, other
   * warnings of the tiers. Empty when there were none.
   */
  readonly warnings: readonly RunIssue[];
  /** Frappe document flags the run used (`options.flags`, allowed by the engine's `allowFlags`). */
  readonly flags: readonly RunFlag[];
}

/** Events the engine emits; every payload is the run record at that moment. */
export type RunEvents = {
  /** The run passed input normalisation and is about to execute. */
  before: RunRecord;
  /** The run completed successfully (after any write committed). */
  after: RunRecord;
  /** The run failed. */
  error: RunRecord;
  /** The run settled, successfully or not (always last). */
  settled: RunRecord;
};

/** The name of a run event. */
export type RunEventName = keyof RunEvents;

/** What a custom operation or service adapter returns. */
export interface OperationResult {
  readonly data?: readonly DocData[] | DocData;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** What a custom operation receives. */
export interface OperationContext {
  /** The run record as it is while running. */
  readonly record: RunRecord;
  readonly request: RunRequest;
  readonly user: User;
  readonly agent: string | null;
  readonly registry: Registry;
  /** Storage, for reads. Writes should go through `run` (child runs) so they are checked and traced. */
  readonly storage: StorageSession;
  /**
   * Start a child run: linked both ways, same flow (and `flow_type`), same user and agent. A child that fails
   * fails this run too (with the child's code) once the handler returns, unless started with `failParent: false`.
   */
  run(request: RunRequest, options?: ChildRunOptions): Promise<RunRecord>;
  /**
   * Run `fn` in one storage transaction: child runs started while it runs write through it (their own writes
   * nest as savepoints) and commit or roll back together when `fn` resolves or throws. Their stored `Run`
   * records are written after the transaction ends.
   */
  transaction<T>(fn: (storage: StorageSession) => Promise<T>): Promise<T>;
  /** Configuration of the service adapter serving this run, if any. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The caller's abort signal (`engine.run(request, { signal })`), if any; child runs inherit it. */
  readonly signal?: AbortSignalLike;
}

/** Options of {@link OperationContext.run}. */
export interface ChildRunOptions {
  /** A failure of this child fails the parent run. @default true */
  readonly failParent?: boolean;
}

/** A custom operation registered in code by name. */
export interface OperationDefinition {
  /**
   * Rights the user needs on the run's DocType before the handler runs (checked at DocType level).
   * @default [] (no DocType-level check; the handler's child runs are checked themselves)
   */
  readonly rights?: readonly import('../schema/types').PermissionType[];
  /** The DocType must be given and known. @default false */
  readonly requiresDoctype?: boolean;
  /** The work. Throwing fails the run (`INTERNAL`, or the code of a thrown {@link RunFailure}). */
  handle(ctx: OperationContext): Promise<OperationResult | readonly DocData[] | void> | OperationResult | void;
}

/** A fixed-window rate limit: at most `limit` calls per `interval_ms` (engine clock). */
export interface RateLimit {
  readonly limit: number;
  readonly interval_ms: number;
}

/** What a service adapter receives for one call. */
export interface AdapterRequest {
  readonly operation: string;
  readonly source_doctype: string | null;
  readonly target_doctype: string | null;
  readonly input: RunInput | null;
  readonly query: Query | null;
  readonly options: RunOptions;
  /** The adapter's configuration (static config merged over the configuration document, if any). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly user: User;
  readonly agent: string | null;
  readonly run: RunRecord;
  /** Aborted when the adapter's `timeout` elapses. */
  readonly signal: AbortSignalLike;
}

/**
 * The part of `AbortSignal` coworker uses (declared here: src/ compiles without DOM typings). A real
 * `AbortSignal` satisfies it; service adapters receive a real one.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

/** Options of one `engine.run()` call that are not part of the run record. */
export interface RunCallOptions {
  /**
   * Aborts the run: refused with `ABORTED` when already aborted, or when it aborts before the operation's work
   * starts; a service adapter's signal aborts with it. A storage write that has started completes or rolls back
   * as a whole (it is never cut in half). Child runs started by the run inherit it.
   */
  readonly signal?: AbortSignalLike;
}

/**
 * A named service adapter registered in code (an HTTP service, a payment provider). Code lives here only;
 * configuration may come from a document (`configFrom`), which is data and never executed.
 */
export interface ServiceAdapter {
  readonly name: string;
  /** Operations it serves (canonical names or custom names). @default every operation */
  readonly operations?: readonly string[];
  /** Static configuration passed to every call. @default {} */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Configuration read from a stored document at call time, merged under `config`. @default undefined */
  readonly configFrom?: { readonly doctype: string; readonly name: string };
  /** Milliseconds before the call fails with `ADAPTER_TIMEOUT`. @default undefined (no timeout) */
  readonly timeout?: number;
  /** Calls allowed per window, per adapter; beyond it `RATE_LIMITED`. @default undefined (no limit) */
  readonly rate_limit?: RateLimit;
  /** Roles allowed to call it (Administrator always may); empty or absent: everyone. @default undefined */
  readonly roles?: readonly string[];
  /** The call. */
  handle(request: AdapterRequest): Promise<OperationResult | readonly DocData[] | void>;
}

/** The write action a system-field rule can react to. */
export type WriteAction = 'create' | 'update' | 'submit' | 'cancel' | 'amend' | 'update_after_submit';

/** What a system-field rule sees. */
export interface SystemFieldContext {
  readonly action: WriteAction;
  readonly doctype: DocType;
  /** The document being written (for child rules: the parent). */
  readonly doc: Readonly<Record<string, unknown>>;
  /** For child rules: the row, its table fieldname and 0-based position. */
  readonly row?: { readonly data: Readonly<Record<string, unknown>>; readonly table: string; readonly index: number; readonly doctype: DocType };
  /** The stored document before this write (updates). */
  readonly stored: DocData | undefined;
  readonly user: User;
  /** The write's timestamp (`YYYY-MM-DD HH:MM:SS.ffffff`), the same for the document and its rows. */
  readonly timestamp: string;
  /** Draws a name for the document (or row): naming with counters of the write's transaction. */
  readonly nameFor: () => Promise<{ name?: string; issues: readonly Issue[]; set?: Readonly<Record<string, unknown>> }>;
}

/**
 * A tier-1 rule for one system field: when it is set, how, and what it must hold. Users add their own
 * (e.g. a `tenant` column) through the engine's `systemFields` option.
 */
export interface SystemFieldRule {
  readonly field: string;
  /** Parent documents, child rows, or both. */
  readonly applies_to: 'parent' | 'child' | 'all';
  /** Lower runs first. `name` runs at 10, timestamps at 20. */
  readonly priority: number;
  /** Actions on which `generate` (or `default` when the value is empty) sets the value. */
  readonly auto_set_on: readonly WriteAction[];
  /** Produces the value. */
  readonly generate?: (ctx: SystemFieldContext) => unknown;
  /** Used when the value is empty and there is no generator. */
  readonly default?: unknown;
  /** Actions after which the value must be non-empty. @default [] */
  readonly required_on?: readonly WriteAction[];
  /** Returns a message when the value is wrong. */
  readonly validate?: (value: unknown, ctx: SystemFieldContext) => string | undefined;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** DocType JSON objects (parsed into a new registry). Give this or `registry`. */
  readonly doctypes?: readonly unknown[];
  /** An existing registry (used as is; the `Run` DocType is added when `storeRuns` is on). */
  readonly registry?: Registry;
  /** Storage. @default memoryAdapter() */
  readonly adapter?: StorageAdapter;
  /** The user of runs that name none. Administrator only when given. @default Guest (`{ name: 'Guest', roles: ['Guest'] }`) */
  readonly user?: User;
  /**
   * The engine decides roles: name -> roles (sync or async), e.g. `userRolesFromStorage(adapter)`. When set,
   * the `roles` a request (or the `user` option) carries are ignored; `null` means unknown user
   * (`USER_RESOLUTION`). Guest is never resolved. @default undefined (roles as the request gives them)
   */
  readonly resolveUser?: import('./identity').ResolveUser;
  /**
   * User Permissions per user name (sync or async), applied by every run: reads, `select` filters, and the
   * documents written (their Link values). Administrator is never restricted. @default undefined (none)
   */
  readonly resolveUserPermissions?: import('./restrictions').ResolveUserPermissions;
  /**
   * The key Password values are encrypted with in `__Auth`: a Fernet key (`Fernet.generate_key()`, 32 bytes in
   * URL-safe base64), e.g. a Frappe site's `encryption_key`, so secrets stay readable by Frappe and the reverse.
   * Required when a DocType has Password fields and the storage is not the memory adapter (`ENGINE_CONFIG`).
   * @default undefined (secrets in clear: memory storage only)
   */
  readonly encryptionKey?: string;
  /**
   * The evaluation budget of every Desk expression the engine's rules evaluate (`depends_on`,
   * `mandatory_depends_on`, `read_only_depends_on`, `collapsible_depends_on`, in parents and rows) and flow step
   * conditions. Spent, the write fails with `VALIDATION` and an `EXPR_LIMIT` issue naming the field and expression.
   * @default { maxOps: 2_000_000, maxBytes: 4 MiB } (the expression defaults)
   */
  readonly expressionBudget?: { readonly maxOps?: number; readonly maxBytes?: number };
  /**
   * The evaluation budget of Frappe's Python conditions the engine runs (workflow transition conditions): work
   * steps, the longest string / list one operation may build, int size, database reads. Spent, the transition
   * fails with the condition's `MemoryError`.
   * @default the pyexpr defaults: { maxSteps: 20_000, maxSize: 100_000, maxIntBits: 8192, maxDbCalls: 20 }
   */
  readonly pythonBudget?: { readonly maxSteps?: number; readonly maxSize?: number; readonly maxIntBits?: number; readonly maxDbCalls?: number };
  /**
   * System Settings `apply_strict_user_permissions`: a document whose restricted Link is empty is refused and not
   * listed. Without this option, a stored `System Settings` document decides when the registry holds it.
   * @default false
   */
  readonly strictUserPermissions?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default randomIds */
  readonly ids?: IdGenerator;
  /** IANA time zone of dates and timestamps. @default 'UTC' */
  readonly timeZone?: string;
  /** Custom computed fields and validators per DocType name. @default {} */
  readonly rules?: Readonly<Record<string, CustomRules>>;
  /** Custom operations by name. @default {} */
  readonly operations?: Readonly<Record<string, OperationDefinition>>;
  /** Extra operation aliases, alias -> canonical or custom name. @default {} (built-ins always apply) */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Fieldtype handlers (tier 2). @default createFieldtypeHandlers() */
  readonly handlers?: FieldtypeHandlers;
  /** Extra tier-1 rules (a rule for an existing field replaces the built-in one). @default [] */
  readonly systemFields?: readonly SystemFieldRule[];
  /** DocTypes that refuse update and delete for everyone (e.g. an audit trail). @default [] */
  readonly appendOnly?: readonly string[];
  /** Service adapters by name. @default [] */
  readonly adapters?: readonly ServiceAdapter[];
  /** Default service adapter per operation name. @default {} */
  readonly operationAdapters?: Readonly<Record<string, string>>;
  /** Service adapter for every operation it serves, when no explicit or per-operation one applies. @default undefined */
  readonly defaultAdapter?: string;
  /** Store run records through the storage adapter as `Run` documents (append-only). @default false */
  readonly storeRuns?: boolean;
  /** How many run records the in-memory store keeps (oldest evicted). @default 1000 */
  readonly maxRuns?: number;
  /** How many open edits are kept (oldest evicted). @default 1000 */
  readonly maxEdits?: number;
  /**
   * Where the engine keeps what must outlive one run: draft edits and service-adapter rate-limit windows.
   * `'process'`: in this engine's memory (one process). `'storage'`: in storage through the adapter (tables
   * `__Edit`, `__Rate Limit`), so engines in several processes over one database share edits (with the same
   * ownership and optimistic locking) and rate limits. Naming-series counters are always in storage.
   * @default 'process'
   */
  readonly state?: import('./shared-state').EngineStateMode;
  /** Called when an event listener throws (the run is unaffected). @default ignore */
  readonly onListenerError?: (error: unknown, event: RunEventName, run: RunRecord) => void;
  /** Treat a true `mandatory_depends_on` as mandatory (Desk) or not (server). @default true */
  readonly enforceMandatoryDependsOn?: boolean;
  /**
   * Input to `read_only` fields: `accept` it as Frappe's server does (read-only is a Desk property), or
   * `refuse` a change with `READ_ONLY_FIELD`, the Desk's stricter view. @default 'accept'
   */
  readonly readOnlyInput?: 'accept' | 'refuse';
  /**
   * Input keys the DocType does not have: `ignore` them as Frappe does (each a warning on the run record),
   * or `refuse` the run with `INVALID_RUN`. @default 'ignore'
   */
  readonly unknownKeys?: UnknownKeyPolicy;
  /**
   * Links to DocTypes this engine does not hold: `skip` them, `warn` (a `LINK_NOT_CHECKED` warning naming
   * the link), `error` (a blocking `LINK_NOT_CHECKED`), or a resolver that looks the document up elsewhere
   * (e.g. on a Frappe site) and returns it, or null when it does not exist. @default 'warn'
   */
  readonly unknownLinks?: UnknownLinkPolicy;
  /**
   * Frappe document flags runs may set in `options.flags` (`ignore_permissions`, `ignore_links`,
   * `ignore_mandatory`, `ignore_validate_update_after_submit`, `in_import`), or `'all'`. Flags switch server
   * rules off: only code that builds the engine decides. @default [] (none)
   */
  readonly allowFlags?: readonly RunFlag[] | 'all';
  /**
   * Controller hooks (Frappe's `validate`, `on_submit`...) per DocType name, `'*'` for every DocType; an array
   * for several controllers, run in order. See docs/controllers.md. @default {}
   */
  readonly controllers?: Controllers;
  /**
   * Values of virtual DocFields (`is_virtual: 1`) computed by code, per DocType and fieldname: Frappe's controller
   * property of that name. A virtual field without one evaluates its `options` as a Python expression
   * (`doc.first_name + ' ' + doc.last_name`). See docs/controllers.md. @default {}
   */
  readonly virtualFields?: VirtualFieldGetters;
  /**
   * The source of each virtual DocType (`is_virtual: 1` on the DocType): `list` (Frappe's `get_list`), and
   * optionally `get`, `insert`, `update`, `delete`. Its documents never reach the storage adapter. See
   * docs/controllers.md. @default {}
   */
  readonly virtualDoctypes?: VirtualDoctypeSources;
  /**
   * The site's System Settings / Global Defaults that Frappe's formatters read (`date_format`, `time_format`,
   * `number_format`, `float_precision`, `currency_precision`, `currency`, `hide_currency_symbol`): changed values
   * in `track_changes` Versions are written as that text, as Frappe's `get_formatted`. @default {} (Frappe's
   * fallbacks: `dd-mm-yyyy`, `HH:mm:ss`, `#,###.##`)
   */
  readonly formatSettings?: FormatSettings;
  /**
   * Draft runs (`options.draft`) also run the controllers' `before_validate` and `validate`, in a transaction
   * that is rolled back, so a preview shows what they compute. Frappe's Desk runs no server hook while a form
   * is edited, which is why this is off by default. @default false
   */
  readonly draftHooks?: boolean;
  /** Called once per configuration finding at `createEngine` (also kept in `engine.diagnostics`). @default none */
  readonly onDiagnostic?: (diagnostic: EngineDiagnostic) => void;
}

/** The states an edit (a document changed through draft runs) goes through; see docs/edit-state.md. */
export type EditState = 'pristine' | 'dirty' | 'saving' | 'saved' | 'failed';

/** A snapshot of one edit. */
export interface EditSnapshot {
  /** The run name of the draft run that opened the edit (use it as `parent_run_id`). */
  readonly id: string;
  readonly doctype: string;
  /** The document's name; `null` for a new document not saved yet. */
  readonly docname: string | null;
  readonly state: EditState;
  /** The accumulated change (top-level values; a Table field holds its full new row list). */
  readonly delta: Readonly<Record<string, unknown>>;
  /** `modified` of the stored document the edit started from (`null` for a new document). */
  readonly baseModified: string | null;
  /** The last failure, in state `failed`. */
  readonly error: RunError | null;
  /** The user who opened the edit: only they (with the same `agent`) may continue, save or read it. */
  readonly owner: string;
  /** The agent that opened the edit for `owner` (`null`: the user directly). */
  readonly agent: string | null;
}

/** What a draft run returns in `output.meta`. */
export interface DraftMeta {
  readonly edit: EditSnapshot;
  readonly states: FormState;
  readonly issues: readonly RunIssue[];
}
