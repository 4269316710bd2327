/**
 * A workflow as data: the definition types, reading a `Workflow` document, the state field's Custom Field and
 * Frappe's checks. Nothing here imports the Python evaluator, so an engine can hold workflow configuration (and
 * refuse bad configuration at `createEngine`) while the evaluator loads on first need (docs/DECISIONS.md,
 * "capabilities load on first need").
 *
 * @module
 */
import { checkedTree } from '../pyexpr/check';
import { PyExprError } from '../pyexpr/errors';
import type { DocType } from '../schema/types';

/** One row of `states` (Workflow Document State). */
export interface WorkflowStateRow {
  readonly state: string;
  /** `'0'` draft, `'1'` submitted, `'2'` cancelled (Frappe keeps it as a Select string). */
  readonly doc_status: '0' | '1' | '2';
  readonly update_field?: string | null;
  readonly update_value?: unknown;
  /** The role that may edit a document in this state. */
  readonly allow_edit: string;
  readonly message?: string | null;
}

/** One row of `transitions` (Workflow Transition). */
export interface WorkflowTransitionRow {
  readonly state: string;
  readonly action: string;
  readonly next_state: string;
  /** The role that may take it. */
  readonly allowed: string;
  /** `0`: the document's owner may not take it (`apply_workflow`'s self-approval check). @default 1 */
  readonly allow_self_approval?: 0 | 1 | boolean;
  /** A Python expression (`frappe.safe_eval` subset) over `doc`, `frappe.session`, `frappe.db`, `frappe.utils`. */
  readonly condition?: string | null;
  readonly idx?: number;
}

/** A workflow (the fields of a `Workflow` document coworker uses). */
export interface WorkflowDefinition {
  /** The workflow's name (`workflow_name`). */
  readonly name: string;
  readonly document_type: string;
  readonly is_active?: 0 | 1 | boolean;
  /** The field holding the state. @default 'workflow_state' */
  readonly workflow_state_field?: string;
  readonly override_status?: 0 | 1 | boolean;
  readonly send_email_alert?: 0 | 1 | boolean;
  readonly states: readonly WorkflowStateRow[];
  readonly transitions: readonly WorkflowTransitionRow[];
}

/** A problem with a workflow definition. */
export interface WorkflowProblem {
  /** `unknown_state`, `cancelled_transition`, `submitted_to_draft`, `draft_to_cancelled`, `condition`, `unknown_field`, `no_states`, `missing`. */
  readonly code: string;
  readonly message: string;
  /** `states[i]` / `transitions[i]` (0-based), or a top-level field. */
  readonly path: string;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * A `Workflow` document (stored, or Frappe's JSON) as a definition.
 * @param doc - the document: `workflow_name` (or `name`), `document_type`, `states`, `transitions`...
 */
export function definitionFromDoc(doc: Readonly<Record<string, unknown>>): WorkflowDefinition {
  const rows = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : []);
  return {
    name: str(doc.workflow_name ?? doc.name),
    document_type: str(doc.document_type),
    is_active: Number(doc.is_active ?? 0) ? 1 : 0,
    workflow_state_field: str(doc.workflow_state_field) || 'workflow_state',
    override_status: Number(doc.override_status ?? 0) ? 1 : 0,
    send_email_alert: Number(doc.send_email_alert ?? 0) ? 1 : 0,
    states: rows(doc.states).map((r) => ({
      state: str(r.state), doc_status: (str(r.doc_status) || '0') as WorkflowStateRow['doc_status'],
      update_field: str(r.update_field) || null, update_value: r.update_value ?? null, allow_edit: str(r.allow_edit),
      message: str(r.message) || null,
    })),
    transitions: rows(doc.transitions).map((r, i) => ({
      state: str(r.state), action: str(r.action), next_state: str(r.next_state), allowed: str(r.allowed),
      allow_self_approval: r.allow_self_approval === undefined || r.allow_self_approval === null ? 1 : Number(r.allow_self_approval) ? 1 : 0,
      condition: str(r.condition) || null, idx: typeof r.idx === 'number' ? r.idx : i + 1,
    })),
  };
}

/**
 * Frappe's checks of a workflow when it is saved, and ours: every problem, not just the first.
 * Frappe's messages are kept for its three docstatus rules and for unknown states. A transition condition is
 * checked as `compilePython` starts (`pyexpr/check.ts`: length, syntax, refused names), without the evaluator.
 * @param wf - the definition
 * @param target - the DocType it is for, when known (then `update_field` must be one of its fields)
 */
export function checkWorkflow(wf: WorkflowDefinition, target?: DocType): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  if (!wf.name) out.push({ code: 'missing', message: 'Workflow Name is required', path: 'workflow_name' });
  if (!wf.document_type) out.push({ code: 'missing', message: 'Document Type is required', path: 'document_type' });
  if (!wf.states.length) out.push({ code: 'no_states', message: 'A workflow needs at least one state', path: 'states' });
  const byName = new Map(wf.states.map((s) => [s.state, s]));
  wf.states.forEach((s, i) => {
    if (!['0', '1', '2'].includes(s.doc_status)) out.push({ code: 'doc_status', message: `Doc Status of ${s.state} must be 0, 1 or 2`, path: `states[${i}]` });
    if (s.update_field && target && !target.fields.some((f) => f.fieldname === s.update_field)) {
      out.push({ code: 'unknown_field', message: `Update Field ${s.update_field} of state ${s.state} is not a field of ${target.name}`, path: `states[${i}]` });
    }
  });
  wf.transitions.forEach((t, i) => {
    const idx = t.idx ?? i + 1;
    const from = byName.get(t.state);
    const to = byName.get(t.next_state);
    for (const [name, found] of [[t.state, from], [t.next_state, to]] as const) {
      if (!found) out.push({ code: 'unknown_state', message: `${name} not a valid State`, path: `transitions[${i}]` });
    }
    if (from && to) {
      if (from.doc_status === '2') {
        out.push({ code: 'cancelled_transition', message: `Cannot change state of Cancelled Document. Transition row ${idx}`, path: `transitions[${i}]` });
      } else if (from.doc_status === '1' && to.doc_status === '0') {
        out.push({ code: 'submitted_to_draft', message: `Submitted Document cannot be converted back to draft. Transition row ${idx}`, path: `transitions[${i}]` });
      } else if (from.doc_status === '0' && to.doc_status === '2') {
        out.push({ code: 'draft_to_cancelled', message: `Cannot cancel before submitting. See Transition ${idx}`, path: `transitions[${i}]` });
      }
    }
    const problem = t.condition ? conditionProblem(t.condition) : undefined;
    if (problem !== undefined) out.push({ code: 'condition', message: `Condition of transition row ${idx} does not compile: ${problem}`, path: `transitions[${i}]` });
  });
  return out;
}

/** The Custom Field Frappe adds for a workflow's state field (`create_custom_field_for_workflow_state`). */
export function stateCustomField(wf: WorkflowDefinition): Record<string, unknown> {
  const field = wf.workflow_state_field || 'workflow_state';
  return {
    dt: wf.document_type, fieldname: field, label: field.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    hidden: 1, allow_on_submit: 1, no_copy: 1, fieldtype: 'Link', options: 'Workflow State',
  };
}

/** Why a transition condition does not compile, or `undefined` when it does. */
function conditionProblem(condition: string): string | undefined {
  try {
    checkedTree(condition);
    return undefined;
  } catch (error) {
    if (!(error instanceof PyExprError)) throw error;
    return error.message;
  }
}
