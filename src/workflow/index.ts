/**
 * Frappe Workflow: approval states and transitions over documents, checked on every save, with the
 * operations `apply_workflow` and `get_transitions`. A plugin above run/: it reaches the engine only through
 * controllers (hook points), custom operations and `run()`. Transition conditions are Python, evaluated by
 * the `pyexpr` layer. See docs/workflow.md.
 *
 * @module
 */
export { withWorkflow } from './plugin';
export type { WorkflowOptions } from './plugin';
export { checkWorkflow, compileWorkflow, definitionFromDoc, stateCustomField } from './definition';
export type { Workflow, WorkflowDefinition, WorkflowProblem, WorkflowStateRow, WorkflowTransitionRow } from './definition';
export {
  availableTransitions, canCancelDocument, fieldsLockedByState, hasApprovalAccess, stateForAction, validateStateChange,
  userHasRole, WorkflowRefusal,
} from './behaviour';
export type { ConditionEnv } from './behaviour';
export { WORKFLOW_DOCTYPES } from './doctypes';
