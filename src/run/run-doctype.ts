/**
 * The built-in `Run` DocType: run records stored through the storage adapter (engine option `storeRuns`)
 * as append-only documents. `docname` + `target_doctype` trace a stored document to the runs that created
 * and changed it; `parent_run_id` traces a run to its parent.
 *
 * @module
 */

/** The name of the built-in DocType. */
export const RUN_DOCTYPE = 'Run';

const field = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });

/** Frappe DocType JSON of `Run` (readable by System Manager; written only by the engine). */
export const RUN_DOCTYPE_JSON = Object.freeze({
  doctype: 'DocType',
  name: RUN_DOCTYPE,
  module: 'Coworker',
  autoname: 'Prompt',
  custom: 0,
  track_changes: 0,
  fields: [
    field('operation', 'Data', { reqd: 1, in_list_view: 1 }),
    field('operation_original', 'Data'),
    field('source_doctype', 'Data'),
    field('target_doctype', 'Data', { in_list_view: 1 }),
    field('docname', 'Data', { in_list_view: 1 }),
    field('status', 'Select', { options: 'pending\nrunning\ncompleted\nfailed', in_list_view: 1 }),
    field('success', 'Check'),
    field('error_code', 'Data'),
    field('error', 'JSON'),
    field('input', 'JSON'),
    field('query', 'JSON'),
    field('options', 'JSON'),
    field('output_meta', 'JSON'),
    field('duration', 'Float'),
    field('agent', 'Data'),
    field('parent_run_id', 'Data'),
    field('child_run_ids', 'JSON'),
    field('flow_id', 'Data'),
    field('flow_type', 'Data'),
    field('step_id', 'Data'),
    field('warnings', 'JSON'),
    field('run_flags', 'JSON'),
  ],
  permissions: [{ role: 'System Manager', permlevel: 0, read: 1, report: 1, export: 1 }],
});
