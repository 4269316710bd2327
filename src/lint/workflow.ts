/**
 * Lint Workflow documents (as Frappe exports them: `{"doctype": "Workflow", ...}`) against the DocTypes of a
 * folder: what Frappe refuses on save, unknown DocTypes and fields, conditions outside the Python subset.
 *
 * @module
 */
import { LINT_CODES, type LintCode } from './codes';
import type { LintFinding } from './types';
import { compilePython, PyExprError } from '../pyexpr/index';
import type { Registry } from '../schema/registry';
import { checkWorkflow, definitionFromDoc } from '../workflow/definition';

/** One Workflow JSON and the file it came from. */
export interface WorkflowSource {
  readonly file: string;
  readonly json: unknown;
}

/** Fields every document has (conditions may read them). */
const STANDARD = new Set(['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype', 'parent', 'parentfield', 'parenttype', 'amended_from']);

const CODE_OF: Readonly<Record<string, LintCode>> = { condition: 'WORKFLOW_CONDITION', unknown_field: 'WORKFLOW_UNKNOWN_FIELD' };

/**
 * Findings for Workflow documents.
 * @param workflows - the Workflow JSON documents and their files
 * @param registry - the DocTypes they are for
 */
export function lintWorkflows(workflows: readonly WorkflowSource[], registry: Registry): LintFinding[] {
  const out: LintFinding[] = [];
  const active = new Map<string, string>();
  for (const { file, json } of workflows) {
    const def = definitionFromDoc((json ?? {}) as Record<string, unknown>);
    const push = (code: LintCode, message: string, extra: Partial<LintFinding> = {}) =>
      out.push(Object.freeze({ file, doctype: def.document_type, field: undefined, code, severity: LINT_CODES[code].severity, message: `Workflow "${def.name}": ${message}`, ...extra }));
    const target = registry.tryGet(def.document_type);
    if (!target) push('WORKFLOW_UNKNOWN_DOCTYPE', `Document Type "${def.document_type}" is not a DocType of the folder`);
    if (def.is_active) {
      const other = active.get(def.document_type);
      if (other !== undefined) push('WORKFLOW_INVALID', `a second active workflow for ${def.document_type} (also "${other}"); Frappe keeps only the last saved active`);
      else active.set(def.document_type, def.name);
    }
    for (const p of checkWorkflow(def, target)) {
      const code = CODE_OF[p.code] ?? 'WORKFLOW_INVALID';
      if (code !== 'WORKFLOW_CONDITION') { push(code, `${p.path}: ${p.message}`); continue; }
      const i = Number(/\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
      const condition = def.transitions[i]?.condition ?? '';
      let index: number | undefined;
      try { compilePython(condition); } catch (e) { if (e instanceof PyExprError) index = e.index; }
      push(code, `${p.path}: ${p.message}`, { property: 'condition', expression: condition, ...(index === undefined ? {} : { index }) });
    }
    if (!target) continue;
    const known = new Set([...target.fields.map((f) => f.fieldname), ...STANDARD, def.workflow_state_field ?? 'workflow_state']);
    def.transitions.forEach((t, i) => {
      if (!t.condition) return;
      let refs: readonly string[];
      try { refs = compilePython(t.condition).references; } catch { return; }
      for (const ref of refs) {
        if (ref === '*' || known.has(ref)) continue;
        push('WORKFLOW_UNKNOWN_FIELD', `transitions[${i}]: the condition reads doc.${ref}, which ${target.name} does not have (it is always None)`, { field: ref, property: 'condition', expression: t.condition });
      }
    });
  }
  return out;
}

/** Is this JSON a Workflow document (or a list of them, as in `fixtures/workflow.json`)? Returns them. */
export function workflowDocuments(json: unknown): unknown[] {
  const list = Array.isArray(json) ? json : [json];
  return list.filter((d) => typeof d === 'object' && d !== null && (d as { doctype?: unknown }).doctype === 'Workflow');
}
