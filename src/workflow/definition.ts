/**
 * A workflow as data: read from a `Workflow` document (or from code), and checked as Frappe checks it when it
 * is saved (`Workflow.validate_docstatus` in `frappe/workflow/doctype/workflow/workflow.py`), plus what a
 * headless engine can check up front: transition conditions compile, the state and update fields exist.
 *
 * @module
 */
import { compilePython, type CompiledPyExpression, type PyCompileOptions } from '../pyexpr/index';
import type { WorkflowDefinition } from './shape';

export { checkWorkflow, definitionFromDoc, stateCustomField } from './shape';
export type { WorkflowDefinition, WorkflowProblem, WorkflowStateRow, WorkflowTransitionRow } from './shape';

/** A checked workflow, its conditions compiled. */
export interface Workflow extends WorkflowDefinition {
  readonly workflow_state_field: string;
  /** Compiled condition per transition index (undefined when the row has none). */
  readonly conditions: ReadonlyArray<CompiledPyExpression | undefined>;
}

/**
 * Compile a checked definition (conditions compiled once, with the engine's `pythonBudget`).
 * @throws {PyExprError} when a condition does not compile (call {@link checkWorkflow} first for every problem)
 */
export function compileWorkflow(wf: WorkflowDefinition, budget?: PyCompileOptions): Workflow {
  return Object.freeze({
    ...wf,
    workflow_state_field: wf.workflow_state_field || 'workflow_state',
    conditions: Object.freeze(wf.transitions.map((t) => (t.condition ? compilePython(t.condition, budget) : undefined))),
  });
}

