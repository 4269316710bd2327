/**
 * The built-in DocTypes of flows, as Frappe DocType JSON so templates are edited, permitted and stored like any
 * other document: `Flow Template` (a named template with a child table of steps), `Flow Template Step` (one
 * step), and `Flow State` (a flow's durable progress, written by the flow operations, read by `resume_flow`).
 *
 * @module
 */

/** The template DocType. */
export const FLOW_TEMPLATE = 'Flow Template';
/** The step child DocType. */
export const FLOW_TEMPLATE_STEP = 'Flow Template Step';
/** The progress DocType (one document per flow run, named by the flow run). */
export const FLOW_STATE = 'Flow State';

const field = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname.replace(/_/g, ' '), ...extra });

/** `Flow Template Step`: one step of a template (a row of `Flow Template.steps`). */
export const FLOW_TEMPLATE_STEP_JSON = Object.freeze({
  doctype: 'DocType',
  name: FLOW_TEMPLATE_STEP,
  module: 'Coworker',
  istable: 1,
  editable_grid: 1,
  custom: 0,
  fields: [
    field('step_id', 'Data', { reqd: 1, in_list_view: 1, description: 'Unique in the template; letters, digits and _; what references name' }),
    field('operation', 'Data', { reqd: 1, in_list_view: 1, description: 'A built-in, alias, custom or adapter operation' }),
    field('source_doctype', 'Data', { in_list_view: 1 }),
    field('target_doctype', 'Data', { in_list_view: 1 }),
    field('input', 'JSON', { description: 'The step run\'s input; strings may hold {{references}}' }),
    field('query', 'JSON', { description: 'The step run\'s query (reads); may hold {{references}}' }),
    field('options', 'JSON', { description: 'The step run\'s options (e.g. dry_run); may hold {{references}}' }),
    field('condition', 'Small Text', { description: 'An expression over input and steps; false skips the step' }),
    field('after', 'Small Text', { description: 'Step ids (comma or newline separated) this step waits for besides those it references' }),
    field('run_if_skipped', 'Check', { default: '0', description: 'Run even when a step it depends on was skipped' }),
    field('on_error', 'Select', { options: 'stop\ncontinue\nretry', default: 'stop' }),
    field('retries', 'Int', { default: '0', non_negative: 1, description: 'Attempts after the first (on_error retry)' }),
    field('retry_delay', 'Int', { default: '0', non_negative: 1, description: 'Milliseconds before the first retry; doubled on each next one' }),
  ],
  permissions: [],
});

/** `Flow Template`: a named, stored flow. Who may write templates is a DocPerm question (System Manager by default). */
export const FLOW_TEMPLATE_JSON = Object.freeze({
  doctype: 'DocType',
  name: FLOW_TEMPLATE,
  module: 'Coworker',
  autoname: 'field:title',
  custom: 0,
  fields: [
    field('title', 'Data', { reqd: 1, unique: 1, in_list_view: 1 }),
    field('flow_type', 'Data', { in_list_view: 1, description: 'workflow, ai-conversation, batch-job, api-request ...' }),
    field('description', 'Small Text'),
    field('steps', 'Table', { options: FLOW_TEMPLATE_STEP, reqd: 1 }),
  ],
  permissions: [
    { role: 'System Manager', permlevel: 0, read: 1, write: 1, create: 1, delete: 1, report: 1, export: 1 },
    { role: 'All', permlevel: 0, read: 1 },
  ],
});

/** `Flow State`: a flow's durable progress (written by the engine's flow operations; read-only to users). */
export const FLOW_STATE_JSON = Object.freeze({
  doctype: 'DocType',
  name: FLOW_STATE,
  module: 'Coworker',
  autoname: 'Prompt',
  custom: 0,
  track_changes: 0,
  fields: [
    field('template', 'Data', { in_list_view: 1 }),
    field('flow_type', 'Data'),
    field('status', 'Select', { options: 'running\ncompleted\nfailed', in_list_view: 1 }),
    field('idempotency_key', 'Data'),
    field('agent', 'Data'),
    field('steps', 'JSON', { description: 'The checked steps the flow runs' }),
    field('data', 'JSON', { description: 'The flow input' }),
    field('options', 'JSON'),
    field('results', 'JSON', { description: 'Per step: status, run, output, error, reason' }),
    field('runs', 'JSON', { description: 'The flow run and each resume run, in order' }),
  ],
  permissions: [{ role: 'System Manager', permlevel: 0, read: 1, report: 1, export: 1 }],
});
