/**
 * Workflow's configuration half, without its Python conditions: the options, the Workflow DocTypes added to
 * the registry, workflows given in code checked (structure always; conditions by the checker the caller
 * passes), their state fields added, the adapter that learns a saved Workflow's new state column, and the
 * assembly of controllers and operations into engine options. `withWorkflow` (plugin.ts) uses it with the full
 * check; `createEngine` uses it through `withLazyWorkflow` (lazy.ts), whose runtime loads on first need.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { Registry } from '../schema/registry';
import { createRegistry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { memoryAdapter } from '../storage/memory';
import type { StorageAdapter } from '../storage/types';
import type { Controller, Controllers } from '../run/index';
import type { EngineOptions, OperationDefinition } from '../run/types';
import { stateCustomField, type WorkflowDefinition, type WorkflowProblem } from './shape';
import { WORKFLOW_DOCTYPES } from './doctypes';

/** Options of {@link withWorkflow}. */
export interface WorkflowOptions {
  /** Workflows kept in code (used when no active `Workflow` document exists for the DocType). */
  readonly workflows?: readonly WorkflowDefinition[];
  /**
   * Enforce what Frappe's Desk enforces besides the server's `validate_workflow`: read-only by state
   * (`allow_edit`), no plain submit past an approval (a transition leads into a submitted state), and no plain
   * cancel when a transition leads into a cancelled state (`can_cancel_document`). @default true
   */
  readonly deskRules?: boolean;
}

/** The DocTypes the workflow layer itself owns (never under a workflow). */
export const OWN = new Set(['Workflow', 'Workflow Document State', 'Workflow Transition', 'Workflow State', 'Workflow Action Master', 'Run']);

/** The hooks the `'*'` controller checks a save in. */
export const WORKFLOW_HOOKS = ['before_save', 'before_submit', 'before_update_after_submit', 'before_cancel'] as const;

/** What the workflow's runtime needs from its configuration. */
export interface WorkflowSetup {
  readonly engine: EngineOptions;
  readonly registry: Registry;
  readonly deskRules: boolean;
  /** The workflows given in code, checked, by DocType. */
  readonly inCode: ReadonlyMap<string, WorkflowDefinition>;
  /** DocTypes whose state field a saved Workflow added: prepared after the transaction that added it. */
  readonly toPrepare: Set<string>;
  /** The engine's adapter, which prepares `toPrepare` after each transaction. */
  readonly adapter: StorageAdapter;
}

/** The controllers and operations of a workflow runtime. */
export interface WorkflowParts {
  /** The `'*'` controller: checks every save as Frappe's `validate_workflow`. */
  readonly check: Controller;
  /** The `Workflow` DocType's controller (`Workflow.validate` / `on_update`). */
  readonly workflowDoc: Controller;
  readonly operations: Readonly<Record<string, OperationDefinition>>;
}

/**
 * Check and record the configuration: bad workflows in code fail here, with `check`'s problems.
 * @throws {CoworkerError} `WORKFLOW_INVALID` for a workflow in code that Frappe would refuse, or two for one DocType
 */
export function configureWorkflow(
  engine: EngineOptions, options: WorkflowOptions, check: (wf: WorkflowDefinition, target: DocType) => WorkflowProblem[],
): WorkflowSetup {
  const registry = engine.registry ?? createRegistry(engine.doctypes ?? []);
  for (const json of WORKFLOW_DOCTYPES) if (!registry.has(json.name)) registry.add(json);
  // The state field a saved Workflow adds is a new column: the adapter must learn it, after the transaction that
  // added it (preparing inside it would wait on the transaction's own lock).
  const base = engine.adapter ?? memoryAdapter();
  const toPrepare = new Set<string>();
  const flush = async (): Promise<void> => {
    if (!toPrepare.size) return;
    const names = [...toPrepare];
    toPrepare.clear();
    await base.prepare(names.map((n) => registry.get(n)));
  };
  const adapter: StorageAdapter = {
    ...base,
    transaction: async (fn, txOptions) => {
      try {
        return await base.transaction(fn, txOptions);
      } finally {
        await flush();
      }
    },
  };
  const inCode = new Map<string, WorkflowDefinition>();
  for (const def of options.workflows ?? []) {
    const target = registry.tryGet(def.document_type);
    if (!target) throw new CoworkerError('WORKFLOW_INVALID', `Workflow "${def.name}": "${def.document_type}" is not a DocType of this engine`);
    const problems = check(def, target);
    if (problems.length) throw invalidWorkflow(def, problems);
    if (inCode.has(def.document_type)) throw new CoworkerError('WORKFLOW_INVALID', `Two workflows in code for ${def.document_type}: "${inCode.get(def.document_type)!.name}" and "${def.name}"`);
    inCode.set(def.document_type, def);
    ensureStateField(registry, def);
  }
  return { engine, registry, deskRules: options.deskRules ?? true, inCode, toPrepare, adapter };
}

/** The error for a workflow in code with problems. */
export function invalidWorkflow(def: WorkflowDefinition, problems: readonly WorkflowProblem[]): CoworkerError {
  return new CoworkerError('WORKFLOW_INVALID', `Workflow "${def.name}": ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
}

/**
 * Engine options with the workflow's controllers and operations added.
 * @throws {CoworkerError} `WORKFLOW_INVALID` when the engine options already define one of its operations
 */
export function assembleWorkflow(setup: WorkflowSetup, parts: WorkflowParts): EngineOptions {
  const { engine, registry, adapter } = setup;
  const controllers = mergeControllers(engine.controllers, { '*': parts.check, Workflow: parts.workflowDoc });
  for (const name of Object.keys(parts.operations)) {
    if (engine.operations && name in engine.operations) throw new CoworkerError('WORKFLOW_INVALID', `withWorkflow: the engine options already define an operation "${name}"`);
  }
  const { doctypes: _unused, ...rest } = engine;
  void _unused;
  return { ...rest, registry, adapter, controllers, operations: { ...engine.operations, ...parts.operations } };
}

/** Add the workflow's state field as Frappe does (a hidden Link Custom Field) when the DocType lacks it. */
export function ensureStateField(registry: Registry, def: WorkflowDefinition): boolean {
  const dt = registry.tryGet(def.document_type);
  const field = def.workflow_state_field || 'workflow_state';
  if (!dt || dt.fields.some((f) => f.fieldname === field)) return false;
  registry.applyCustomizations({ customFields: [stateCustomField(def) as never] });
  return true;
}

/** The caller's controllers plus ours, ours last (Frappe's `_validate` runs after `before_save` hooks). */
function mergeControllers(mine: Controllers | undefined, ours: Readonly<Record<string, Controller>>): Controllers {
  const out: Record<string, Controller | readonly Controller[]> = { ...(mine ?? {}) };
  for (const [doctype, c] of Object.entries(ours)) {
    const existing = out[doctype];
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing as Controller];
    out[doctype] = [...list, { name: doctype === '*' ? 'workflow' : c.name, ...c }];
  }
  return out;
}
