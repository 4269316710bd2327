/**
 * Workflow as an engine plugin: `withWorkflow(engineOptions)` returns engine options that add the Workflow
 * DocTypes, a `'*'` controller that checks every save as Frappe's `validate_workflow` does, a `Workflow`
 * controller (Frappe's `Workflow.validate` / `on_update`), and the operations `apply_workflow` and
 * `get_transitions` (runtime.ts). Everything is loaded and checked at once, conditions included; `createEngine`
 * applies the same plugin with its runtime loaded on first need (lazy.ts).
 *
 * @module
 */
import type { EngineOptions } from '../run/types';
import { checkWorkflow } from './definition';
import { workflowRuntime } from './runtime';
import { assembleWorkflow, configureWorkflow, type WorkflowOptions } from './setup';

export type { WorkflowOptions } from './setup';

/**
 * Engine options with Workflow added. Bad workflows in `options.workflows` fail here, at configuration.
 * @param engine - the options you would give `createEngine`
 * @param options - see {@link WorkflowOptions}
 * @returns options for `createEngine` (with a `registry` built from `engine.doctypes` when none was given)
 * @throws {CoworkerError} `WORKFLOW_INVALID` for a workflow in code that Frappe would refuse, or two active
 *   workflows for one DocType
 */
export function withWorkflow(engine: EngineOptions, options: WorkflowOptions = {}): EngineOptions {
  const setup = configureWorkflow(engine, options, checkWorkflow);
  return assembleWorkflow(setup, workflowRuntime(setup));
}
