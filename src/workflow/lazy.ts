/**
 * Workflow as `createEngine` applies it by default: configured and checked at once (the Workflow DocTypes, the
 * structure of workflows given in code, their state fields), while the runtime (runtime.ts) and the Python
 * conditions it evaluates (`pyexpr`) load on first need through `import()`, so a bundler puts them in a chunk of
 * their own. First need: a save of a DocType that has a workflow (in code, or an active stored `Workflow`), a
 * save of a `Workflow`, or an `apply_workflow` / `get_transitions` run. A save of a DocType without one costs
 * the query that finds none, as the eager plugin's does.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { RunFailure } from '../run/index';
import type { Controller, HookContext, HookDb } from '../run/index';
import type { EngineOptions, OperationContext, OperationDefinition } from '../run/types';
import { checkWorkflow } from './shape';
import { assembleWorkflow, configureWorkflow, OWN, WORKFLOW_HOOKS, type WorkflowOptions, type WorkflowParts } from './setup';

/**
 * `withWorkflow` with its runtime loaded on first need. Workflows given in code are checked here, conditions
 * included (`checkWorkflow`); they are compiled, with the engine's `pythonBudget`, when the runtime loads.
 * @param engine - the options you would give `createEngine`
 * @param options - see {@link WorkflowOptions}
 * @returns options for `createEngine`
 * @throws {CoworkerError} `WORKFLOW_INVALID` for a workflow in code that Frappe would refuse, or two for one DocType
 */
export function withLazyWorkflow(engine: EngineOptions, options: WorkflowOptions = {}): EngineOptions {
  const setup = configureWorkflow(engine, options, checkWorkflow);
  let runtime: Promise<WorkflowParts> | undefined;
  // Conditions were checked at configuration, so compiling cannot refuse them; should it, the run fails as
  // configuration (ENGINE_CONFIG), never as INTERNAL.
  const load = (): Promise<WorkflowParts> => (runtime ??= import('./runtime').then((m) => m.workflowRuntime(setup)).catch((e: unknown) => {
    throw e instanceof CoworkerError ? new RunFailure('ENGINE_CONFIG', `${e.code}: ${e.message}`) : e;
  }));

  /** Whether a workflow may apply to a DocType (the runtime decides which one). */
  const mayApply = async (doctype: string, db: HookDb): Promise<boolean> => {
    if (OWN.has(doctype) || setup.registry.tryGet(doctype)?.istable === 1) return false;
    if (setup.inCode.has(doctype)) return true;
    const rows = await db.get_list('Workflow', { filters: { document_type: doctype, is_active: 1 }, fields: ['name'], limit: 1 });
    return rows.length > 0;
  };
  const hook = (name: (typeof WORKFLOW_HOOKS)[number]) => async (ctx: HookContext): Promise<void> => {
    if (!(await mayApply(ctx.doctype, ctx.db))) return;
    await (await load()).check[name]?.(ctx);
  };
  const check = Object.fromEntries(WORKFLOW_HOOKS.map((name) => [name, hook(name)])) as Controller;
  const workflowDoc: Controller = {
    name: 'workflow: Workflow',
    async validate(ctx) {
      await (await load()).workflowDoc.validate?.(ctx);
    },
    async on_update(ctx) {
      await (await load()).workflowDoc.on_update?.(ctx);
    },
  };
  const operation = (name: string): OperationDefinition => ({
    rights: ['read'],
    requiresDoctype: true,
    handle: async (ctx: OperationContext) => (await load()).operations[name]!.handle(ctx),
  });
  return assembleWorkflow(setup, { check, workflowDoc, operations: { get_transitions: operation('get_transitions'), apply_workflow: operation('apply_workflow') } });
}
