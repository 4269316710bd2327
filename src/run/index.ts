/**
 * The run layer: `createEngine` and `engine.run(op)`, the orchestrator of every other layer.
 *
 * Terms: a *run* is one call of `run()`, described by its *record* (a `Run` document that is always
 * returned); the *guardian* is the set of pure checks that refuse a run with one code before anything is
 * computed; the three *tiers* compute the document (1: system fields, 2: fieldtypes, 3: rules); an *edit*
 * accumulates draft changes until a save (docs/edit-state.md); a *flow* is a tree of runs sharing `flow_id`.
 *
 * @module
 */
export { createEngine } from './engine';
export type { Engine, DocumentTrace } from './engine';
export { EngineConfigError } from './config-check';
export type { EngineConfigProblem } from './config-check';
export { RUN_ERROR_CODES, RunFailure } from './codes';
export type { RunErrorCode, Verdict } from './codes';
export { BUILTIN_OPERATIONS, DEFAULT_ALIASES, resolveOperation } from './operations';
export { nextEditState } from './edit-state';
export type { EditEvent } from './edit-state';
export { EDIT_DOCTYPE, RATE_LIMIT_DOCTYPE } from './shared-state';
export type { EngineStateMode } from './shared-state';
export { GUEST_USER, userRolesFromStorage } from './identity';
export { DOCSHARE, sharedNames, sharedRights } from './shares';
export { USER_PERMISSION, storedUserPermissions } from './user-permission-records';
export type { ResolveUser } from './identity';
export type { ResolveUserPermissions } from './restrictions';
export { createRunStore } from './store';
export type { RunStore, RunTree, RunQuery } from './store';
export { RUN_DOCTYPE, RUN_DOCTYPE_JSON } from './run-doctype';
export { versionData, versionDiff } from './versions';
export { VERSION_DOCTYPE, VERSION_DOCTYPE_JSON } from './version-doctype';
export type { VersionDiff, VersionChange } from './versions';
export type { FormatSettings, FormatContext } from './version-format';
export type { VirtualFieldGetter, VirtualFieldGetters } from './virtual-fields';
export type { VirtualDoctypeSource, VirtualDoctypeSources, MaybePromise } from './virtual-doctypes';
export { SYSTEM_FIELD_RULES, systemFieldRules, applySystemFields } from './tiers/system';
export { applyFieldtypes, coerceDoc, validateFields } from './tiers/fieldtypes';
export { applyRules, linkReferences, applyLinks, applyComputedFields, validateRules } from './tiers/rules';
export type { LinkLookup, LinkLookupMany, LinkReference } from './tiers/rules';
export {
  checkDoctype, checkAppendOnly, checkRights, docstatusTransition, checkInputShape, checkReadOnlyInput,
  checkPermlevelWrite, checkSetOnce, checkUpdateAfterSubmit,
} from './guardian';
export { routeOperation } from './adapters';
export { RUN_FLAGS } from './flags';
export type { RunFlag, RunFlags } from './flags';
export { doctypeDocument, DOCTYPE_DOCTYPE } from './links';
export type { LinkResolver, UnknownLinkPolicy } from './links';
export { acceptInput } from './input';
export type { UnknownKeyPolicy, AcceptedInput } from './input';
export { HOOK_NAMES } from './lifecycle';
export { hookDb } from './lifecycle-db';
export type {
  HookName, HookAction, HookDoc, HookContext, HookIssueOptions, Hook, Controller, Controllers, HookTrace, EngineDiagnostic,
  HookDb, HookFilters, HookListArgs, RenameArgs,
} from './lifecycle';
export type {
  BuiltinOperation, RunStatus, RunOptions, RunInput, RunRequest, RunIssue, RunError, RunOutput, RunRecord, RunEvents,
  RunEventName, OperationResult, OperationContext, OperationDefinition, ChildRunOptions, RateLimit, AdapterRequest, ServiceAdapter,
  WriteAction, SystemFieldContext, SystemFieldRule, EngineOptions, EditState, EditSnapshot, DraftMeta, AbortSignalLike, RunCallOptions,
} from './types';
export { getAncestorsOf, getDescendantsOf, getRootOf, rebuildTree, treeFields } from './tree';
export type { TreeFields, TreeHost, TreeListOptions } from './tree';
