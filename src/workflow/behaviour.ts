/**
 * What a workflow decides, as functions of (workflow, document, user, reads): `frappe/model/workflow.py`'s
 * `get_transitions`, `validate_workflow`, `set_workflow_state_on_action`, `has_approval_access`,
 * `can_cancel_document`, and read-only by state (`allow_edit`, which Frappe's Desk enforces).
 * Nothing here writes; refusals are returned or thrown as {@link WorkflowRefusal} with Frappe's exception name.
 *
 * @module
 */
import type { User } from '../env';
import { effectiveRoles, isAdministrator } from '../permissions/roles';
import { PyExprError, toPy, type PyDataSource } from '../pyexpr/index';
import type { DocType } from '../schema/types';
import type { DocData as Doc } from '../rules/types';
import type { Workflow, WorkflowStateRow, WorkflowTransitionRow } from './definition';

/** A workflow refusal: Frappe's message and exception class (`WorkflowTransitionError`...). */
export class WorkflowRefusal {
  constructor(readonly message: string, readonly exc: string) {}
}

/** What evaluating conditions needs. */
export interface ConditionEnv {
  readonly user: User;
  readonly db: PyDataSource;
  readonly now: Date;
  readonly timeZone: string;
  /** Fields whose numbers are Python floats (Float, Currency, Percent of the DocType and its rows). */
  readonly floatFields: ReadonlySet<string>;
}


/** `frappe.get_roles()`: Administrator has every role. */
export function userHasRole(user: User, role: string): boolean {
  return isAdministrator(user) || effectiveRoles(user).has(role);
}

/** Float-valued fields of a DocType and its child DocTypes (as `doc.as_dict()` gives floats). */
export function floatFieldsOf(doctypes: readonly DocType[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const dt of doctypes) {
    for (const f of dt.fields) if (f.fieldtype === 'Float' || f.fieldtype === 'Currency' || f.fieldtype === 'Percent') out.add(f.fieldname);
  }
  return out;
}

/** The state row of a state name. */
export function stateRow(wf: Workflow, state: unknown): WorkflowStateRow | undefined {
  return wf.states.find((s) => s.state === state);
}

const bold = (s: unknown): string => String(s ?? '');

/** Is a transition's condition satisfied for `doc`? A condition that raises fails with Python's exception name. */
async function conditionHolds(wf: Workflow, index: number, doc: unknown, env: ConditionEnv): Promise<boolean> {
  const compiled = wf.conditions[index];
  if (!compiled) return true;
  try {
    return await compiled.test({
      doc, user: env.user.name, db: env.db, now: env.now, timeZone: env.timeZone, floatFields: env.floatFields,
    });
  } catch (error) {
    if (!(error instanceof PyExprError)) throw error;
    throw new WorkflowRefusal(`Workflow condition of transition row ${wf.transitions[index]?.idx ?? index + 1} failed: ${error.message}`, error.pyType);
  }
}

/**
 * `get_transitions(doc)`: the transitions out of the document's current state whose role the user has and
 * whose condition holds. A new (unsaved) document has none.
 * @throws {WorkflowRefusal} `WorkflowStateError` when the document has no state
 */
export async function availableTransitions(wf: Workflow, doc: Doc, isNew: boolean, env: ConditionEnv): Promise<WorkflowTransitionRow[]> {
  if (isNew) return [];
  const current = doc[wf.workflow_state_field];
  if (!current) throw new WorkflowRefusal('Workflow State not set', 'WorkflowStateError');
  const out: WorkflowTransitionRow[] = [];
  let pyDoc: unknown; // converted once for all conditions (as Frappe's doc.as_dict())
  for (const [i, t] of wf.transitions.entries()) {
    if (t.state !== current || !userHasRole(env.user, t.allowed)) continue;
    pyDoc ??= toPy(doc, { floatFields: env.floatFields });
    if (await conditionHolds(wf, i, pyDoc, env)) out.push(t);
  }
  return out;
}

/** `has_approval_access`: Administrator, a transition allowing self-approval, or a user who is not the owner. */
export function hasApprovalAccess(user: User, doc: Doc, t: WorkflowTransitionRow): boolean {
  return isAdministrator(user) || Boolean(Number(t.allow_self_approval ?? 1)) || user.name !== doc.owner;
}

/**
 * `validate_workflow(doc)` on every insert / save / submit / update after submit: the state defaults to the
 * first state; a change of state must be one of the transitions the user may take from the stored document.
 * @returns the state to set when the document has none (or `undefined`)
 * @throws {WorkflowRefusal} `ValidationError` (the stored state is not a state of the workflow) or
 *   `WorkflowPermissionError` (a change of state the user may not make)
 */
export async function validateStateChange(wf: Workflow, doc: Doc, stored: Doc | null, env: ConditionEnv): Promise<string | undefined> {
  const first = wf.states[0]!.state;
  let current = stored ? stored[wf.workflow_state_field] : undefined;
  let next = doc[wf.workflow_state_field];
  let set: string | undefined;
  if (!next) {
    next = first;
    set = first;
  }
  if (!current) current = first;
  if (!stateRow(wf, current)) {
    throw new WorkflowRefusal(`${bold(current)} is not a valid Workflow State. Please update your Workflow and try again.`, 'ValidationError');
  }
  if (current !== next) {
    const refusal = new WorkflowRefusal(`Workflow State transition not allowed from ${bold(current)} to ${bold(next)}`, 'WorkflowPermissionError');
    if (!stored) throw refusal;
    const allowed = await availableTransitions(wf, stored, false, env);
    if (!allowed.some((t) => t.next_state === next)) throw refusal;
  }
  return set;
}

/**
 * `set_workflow_state_on_action`: on submit and update after submit, a state whose docstatus matches the
 * document's is kept; otherwise the first state of the docstatus the action means.
 * @returns the state to set, or `undefined` to keep it
 */
export function stateForAction(wf: Workflow, doc: Doc, docstatus: number, action: 'submit' | 'update_after_submit' | 'cancel'): string | undefined {
  const state = doc[wf.workflow_state_field];
  if (wf.states.some((s) => s.state === state && Number(s.doc_status) === docstatus)) return undefined;
  const want = action === 'cancel' ? '2' : '1';
  return wf.states.find((s) => s.doc_status === want)?.state;
}

/** `can_cancel_document`: false when some transition leads into a cancelled state (cancel through the workflow). */
export function canCancelDocument(wf: Workflow): boolean {
  const cancelling = new Set(wf.states.filter((s) => s.doc_status === '2').map((s) => s.state));
  return !cancelling.size || !wf.transitions.some((t) => cancelling.has(t.next_state));
}

/** Fields a write may not change on its own: bookkeeping the engine sets. */
const BOOKKEEPING = new Set(['modified', 'modified_by', 'creation', 'owner', 'docstatus', 'idx', 'name', 'doctype', '_user_tags', '_comments', '_assign', '_liked_by', '_seen']);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Read-only by state: a saved document in a state whose `allow_edit` role the user lacks may change only
 * through a transition (the state field, and the next state's `update_field`).
 * @returns the fields changed that the user may not change (empty when the write is allowed)
 */
export function fieldsLockedByState(wf: Workflow, doc: Doc, stored: Doc, user: User, tables: ReadonlySet<string>): string[] {
  const row = stateRow(wf, stored[wf.workflow_state_field]);
  if (!row || userHasRole(user, row.allow_edit)) return [];
  const next = stateRow(wf, doc[wf.workflow_state_field]);
  const free = new Set([wf.workflow_state_field, ...(next?.update_field ? [next.update_field] : [])]);
  const strip = (rows: unknown): unknown => (Array.isArray(rows)
    ? rows.map((r) => Object.fromEntries(Object.entries(r as Doc).filter(([k]) => !BOOKKEEPING.has(k) && k !== 'parent' && k !== 'parenttype' && k !== 'parentfield')))
    : rows);
  const keys = new Set([...Object.keys(doc), ...Object.keys(stored)]);
  return [...keys].filter((k) => !BOOKKEEPING.has(k) && !free.has(k) && !k.startsWith('__')
    && !sameJson(tables.has(k) ? strip(doc[k]) : doc[k], tables.has(k) ? strip(stored[k]) : stored[k]));
}
