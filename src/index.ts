/**
 * coworker: Frappe's document rules, applied headlessly and safely, in the browser and in Node.
 *
 * This is the curated public entry: every export is named here on purpose. The layers, data flowing one way:
 * schema (DocType JSON in) -> expr (safe expressions) -> rules (field graph, states, validation)
 * -> doc (immutable documents) -> run (the orchestrator) -> storage (adapters).
 *
 * @module
 */

// Errors and issues
export { CoworkerError, SchemaError, ExpressionError } from './errors';
export type { Path, SchemaProblem, SchemaErrorCode, ExpressionErrorCode } from './errors';
export { ISSUE_CODES, makeIssue } from './issues';
export type { Issue, IssueCode } from './issues';

// Ambient inputs
export { systemClock, randomIds, sequentialIds, fixedClock } from './env';
export type { Clock, IdGenerator, User } from './env';

// schema
export * as fieldtypes from './schema/fieldtypes';
export type { Fieldtype } from './schema/fieldtypes';
export type {
  DocType, DocField, DocPerm, Flag, Fieldclass, PermissionType, CustomFieldInput, PropertySetterInput,
} from './schema/types';
export { parseDoctype, schemaWarnings, createRegistry, getField, fieldLabel, valueFields, tableFields } from './schema/index';
export type { ParseOptions, Registry, RegistryOptions, SchemaDiagnostic, ParentLink, CustomizationsInput } from './schema/index';
export { loadDoctypes } from './schema/index';
export type { DoctypeSource, LoadCode, LoadDiagnostic, LoadDoctypesOptions, LoadedDoctypes } from './schema/index';

// expr
export {
  compileExpression, compileCondition, evaluateCondition, parseConditionKind, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH,
  DEFAULT_MAX_OPS, DEFAULT_MAX_BYTES,
} from './expr/index';
export type { CompileOptions, CompiledCondition, ConditionKind, CompiledExpression, ExprContext, ExprUser, EvalLimits } from './expr/index';

// pyexpr: Frappe's server-side Python conditions (frappe.safe_eval subset), compiled to closures
export { compilePython, evaluatePython, PY_DEFAULTS, PyExprError, toPy, toJs } from './pyexpr/index';
export type { CompiledPyExpression, PyCompileOptions, PyEvalContext, PyDataSource, DbCall, PyExprErrorCode, ToPyOptions } from './pyexpr/index';

// values
export { rounded, DEFAULT_ROUNDING_METHOD, ROUNDING_METHODS, isRoundingMethod } from './values/rounding';
export type { RoundingMethod } from './values/rounding';
export { cint, flt, getFieldPrecision, getNumberFormatInfo } from './values/number';
export type { SystemSettings } from './values/number';
export { coerceValue } from './values/coerce';
export { validateValue } from './values/validate';
export type { ValueContext } from './values/validate';
export { isMissing, mandatoryIssue } from './values/mandatory';
export { createFieldtypeHandlers, frappeValueHandler, passThroughHandler } from './values/handlers';
export type { FieldtypeHandler, FieldtypeHandlers } from './values/handlers';
export { valuesEqual } from './values/equals';
export { normalizeTemporal, isCanonicalTemporal, TEMPORAL_PATTERN_SOURCES } from './values/canonical';
export type { TemporalFormat } from './values/canonical';

// rules
export { compileRules, CONDITION_PROPERTIES } from './rules/compile';
export type { DoctypeLookup, ConditionProperty } from './rules/compile';
export { RulesCycleError } from './rules/graph';
export { evaluateStates, updateStates, fieldState, hasValue } from './rules/states';
export type { StateOptions, StatePermissions } from './rules/states';
export { applyComputed } from './rules/computed';
export type { ComputedChange } from './rules/computed';
export { validateDoc } from './rules/validate';
export type { ValidateOptions } from './rules/validate';
export type {
  DocData, FieldState, RowState, FormState, StateContext, ComputedField, Validator, ValidatorResult, CustomRules,
  FieldRules, RuleDiagnostic, CompiledRules, RuleEnv, CompiledFieldCondition,
} from './rules/types';

// naming
export {
  memoryCounters, InvalidNamingSeriesError, resolveName, childRowName, parseNamingSeries, namingSeriesPrefix,
  validateNamingSeries, makeAutoname, formatAutoname, consecutiveWeekNumber, amendedName, validateName,
  revertSeriesIfLast, appendNumberIfNameExists, syncAutonameField,
} from './naming/index';
export type { NamingCounters, NamingContext, NamingDoc, SeriesPartContext, NameResult, ResolveNameOptions } from './naming/index';

// doc
export {
  newDoc, newRow, loadDoc, setValue, setValues, setRowValue, setRowValues, addRow, removeRow, moveRow, applyFetch,
  applyRowFetch, fetchTargets, copyDoc, replay, revert, isTemporaryName, temporaryName, defaultValue, rowsOf, isDoc,
  DocError,
} from './doc/index';
export type {
  Doc, DocDelta, TableDelta, GetDoctype, DefaultsOptions, NewDocOptions, CopyDocOptions, FetchLookup, FetchOptions,
  UserPermission, DocErrorCode, LoadDocOptions,
} from './doc/index';
export type { Patch as DocPatch } from './doc/index';

// permissions
export {
  effectiveRoles, isAdministrator, isGuest, rolePermissions, permlevelAccess, levelRights, documentLevelRights,
  hasPermission, docPermissions, isOwner, hasUserPermission, allowedDocs, readableFields, stripUnreadable,
  resetUnwritable, fieldDisplayStatus, requiredRights, RIGHTS, GUEST_ROLE, ALL_USER_ROLE, SYSTEM_USER_ROLE, ADMIN_ROLE,
} from './permissions/index';
export type {
  PermissionUser, Rights, RolePermissions, DocRights, UserPermissions, ChildDoctypes, SharedRights, PermissionHook,
  HasPermissionOptions, PermissionResult, UserPermissionResult, LevelRights, DisplayStatus, DocAction,
  DocPermissionOptions, DocumentLevelOptions, FieldDisplayState, UserPermissionOptions, RoleOptions, PermlevelOptions,
  ResetReference, ResetOptions, RolePermissionOptions,
} from './permissions/index';
export { explainField } from './rules/explain';
export type { FieldExplanation } from './rules/explain';

// storage (the SQL-adapter helpers stay in src/storage for the adapters themselves)
export { memoryAdapter, withFaults, StorageError, STORAGE_ERROR_EXC } from './storage/index';
export type {
  MemoryAdapterOptions, FaultPlan, FaultyAdapter, StorageErrorCode, StorageErrorDetails, StorageAdapter, StorageSession,
  StorageCapability, Query, Where, FieldFilter, OrderBy, SortOrder, Scalar, GetOptions, WriteOp, WriteStep, StepHook, RowValues,
  TransactionOptions,
} from './storage/index';

// run: the engine users call
export {
  EngineConfigError, RUN_ERROR_CODES, RunFailure, BUILTIN_OPERATIONS, DEFAULT_ALIASES, resolveOperation, nextEditState,
  createRunStore, RUN_DOCTYPE, RUN_DOCTYPE_JSON, SYSTEM_FIELD_RULES, systemFieldRules, RUN_FLAGS, HOOK_NAMES,
} from './run/index';
export { GUEST_USER, userRolesFromStorage } from './run/index';
export { DOCSHARE, USER_PERMISSION } from './run/index';
/** Fernet keys for the engine's `encryptionKey` (Frappe's `Fernet.generate_key()`), and Frappe-compatible tokens. */
export { generateFernetKey, isFernetKey, importFernetKey, fernetEncrypt, fernetDecrypt, type FernetKey, type WebCryptoKey } from './crypto/fernet';
// track_changes: Version documents (docs/run.md)
export { VERSION_DOCTYPE, VERSION_DOCTYPE_JSON, versionData, versionDiff } from './run/index';
export type { VersionDiff, VersionChange, FormatSettings } from './run/index';
// virtual fields and DocTypes (docs/controllers.md)
export type { VirtualFieldGetter, VirtualFieldGetters, VirtualDoctypeSource, VirtualDoctypeSources, MaybePromise, FormatContext } from './run/index';
/** The run engine `createEngine` builds on (what `withWorkflow` / `withFlows` plugins and `traceFlow` take). */
export type { Engine as RunEngine } from './run/index';
export type { ResolveUser, ResolveUserPermissions } from './run/index';
export { EDIT_DOCTYPE, RATE_LIMIT_DOCTYPE } from './run/index';
export type { EngineStateMode } from './run/index';
export type {
  EngineOptions, DocumentTrace, EngineConfigProblem, RunErrorCode, RunStore, RunTree, RunQuery, BuiltinOperation, RunStatus,
  RunOptions, RunInput, RunRequest, RunIssue, RunError, RunOutput, RunRecord, RunEvents, RunEventName,
  OperationResult, OperationContext, OperationDefinition, ChildRunOptions, RateLimit, AdapterRequest, ServiceAdapter, WriteAction,
  SystemFieldContext, SystemFieldRule, EditState, EditEvent, EditSnapshot, DraftMeta, AbortSignalLike, RunCallOptions,
  RunFlag, LinkResolver, UnknownLinkPolicy, UnknownKeyPolicy,
} from './run/index';
// tree DocTypes: Frappe's nested set (docs/run.md, "Tree DocTypes")
export { getAncestorsOf, getDescendantsOf, getRootOf, rebuildTree, treeFields } from './run/index';
export type { TreeFields, TreeHost, TreeListOptions } from './run/index';
// controllers: Frappe's lifecycle hooks (docs/controllers.md)
export type {
  HookName, HookAction, HookDoc, HookContext, HookIssueOptions, Hook, Controller, Controllers, HookTrace, EngineDiagnostic,
  HookDb, HookFilters, HookListArgs, RenameArgs,
} from './run/index';

// the engine users create (run() plus what is built on it), forms, actions, Standard Schema
export { createEngine, SelectPageError } from './engine';
export type {
  Engine, CreateEngineOptions, DocRef, EngineFormOptions, DocTypeMap, DocsOf, DocValues, CreateValues, CreateOperation, TypedRunRequest, TypedDraftRequest,
  UntypedRunRequest, TypedRunRecord, IterateOptions, NameOf, DocOf, MandatoryOf, Doctyped,
} from './engine';
export { openForm, FormRunError, documentActions, doctypeSchema, listViewFields, titleOf, searchFields, standardFilters } from './form/index';
export type {
  FormController, FormSnapshot, FormStatus, FormOptions, FormHost, FieldSlice, FormAction, ActionContext, DoctypeSchema,
  DoctypeSchemaOptions, StandardSchemaV1, StandardIssue, StandardResult, ListColumn, StandardFilter,
} from './form/index';
export { issuePath } from './issues';

// lint and type generation (browser-safe engines; the CLI wraps them: `coworker lint`, `coworker types`)
export { lintRegistry, formatFinding, sortFindings, findBitwiseSuspects, LINT_CODES } from './lint/index';
export type { LintFinding, LintOptions, LintCode, LintSeverity, BitwiseSuspect } from './lint/index';
export { generateTypes } from './typegen/index';
export type { TypegenOptions, TypegenLookup } from './typegen/index';

// workflow (a plugin above run/: controllers, operations apply_workflow / get_transitions)
export {
  withWorkflow, checkWorkflow, compileWorkflow, definitionFromDoc, availableTransitions, canCancelDocument, WORKFLOW_DOCTYPES,
} from './workflow/index';
export type {
  WorkflowOptions, Workflow, WorkflowDefinition, WorkflowProblem, WorkflowStateRow, WorkflowTransitionRow,
} from './workflow/index';

// flow: multi-step runs from templates stored as documents (docs/flows.md)
export {
  withFlows, createFlowEngine, traceFlow, checkFlow, compileFlowCondition, RETRYABLE_CODES, FLOW_TEMPLATE, FLOW_TEMPLATE_JSON,
  FLOW_TEMPLATE_STEP, FLOW_TEMPLATE_STEP_JSON, FLOW_STATE, FLOW_STATE_JSON,
} from './flow/index';
export type {
  FlowConfig, FlowEngine, FlowTrace, FlowStep, FlowStepInput, OnError, CheckedFlow, FlowCheckEnv, FlowCondition, FlowState,
  StepResult, StepStatus,
} from './flow/index';
