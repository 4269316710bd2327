/**
 * Workflow's runtime: the `'*'` controller that checks every save as Frappe's `validate_workflow` does, the
 * `Workflow` controller (Frappe's `Workflow.validate` / `on_update`), and the operations `apply_workflow` and
 * `get_transitions`. It talks to the engine only through `run()`, controllers and custom operations. With
 * `createEngine` this module (and the Python conditions of `pyexpr`) loads on first need (lazy.ts).
 *
 * Where workflows come from, per DocType: the active stored `Workflow` document if there is one, else the
 * workflow given in code (`WorkflowOptions.workflows`).
 *
 * @module
 */
import type { User } from '../env';
import { makeIssue } from '../issues';
import { PyExprError, type PyDataSource } from '../pyexpr/index';
import { tableFields } from '../schema/fields';
import type { DocType } from '../schema/types';
import { hookDb, RunFailure } from '../run/index';
import type { Controller, HookContext, HookDb } from '../run/index';
import type { OperationContext, OperationDefinition } from '../run/types';
import {
  availableTransitions, canCancelDocument, fieldsLockedByState, floatFieldsOf, hasApprovalAccess, stateForAction, stateRow,
  userHasRole, validateStateChange, WorkflowRefusal, type ConditionEnv,
} from './behaviour';
import { checkWorkflow, compileWorkflow, definitionFromDoc, type Workflow } from './definition';
import { ensureStateField, invalidWorkflow, OWN, WORKFLOW_HOOKS, type WorkflowParts, type WorkflowSetup } from './setup';

/** A cancel `apply_workflow` started: the state and update it sets (cancel takes no input data). */
interface PendingCancel {
  readonly set: Readonly<Record<string, unknown>>;
}

/**
 * The workflow's controllers and operations over a configuration. Workflows in code are compiled here.
 * @throws {CoworkerError} `WORKFLOW_INVALID` for a workflow in code whose condition does not compile (configured
 *   with a check that left conditions to this point)
 */
export function workflowRuntime(setup: WorkflowSetup): WorkflowParts {
  const { engine, registry, deskRules, toPrepare } = setup;
  const timeZone = engine.timeZone ?? 'UTC';
  const clock = engine.clock ?? (() => new Date());
  const inCode = new Map<string, Workflow>();
  for (const [doctype, def] of setup.inCode) {
    try {
      inCode.set(doctype, compileWorkflow(def, engine.pythonBudget));
    } catch (e) {
      if (e instanceof PyExprError) throw invalidWorkflow(def, checkWorkflow(def, registry.get(doctype)));
      throw e;
    }
  }

  const compiled = new Map<string, Workflow>();
  /** The workflow that applies to a DocType now: the active stored one, else the one in code. */
  async function resolve(doctype: string, db: HookDb): Promise<Workflow | undefined> {
    if (OWN.has(doctype) || registry.tryGet(doctype)?.istable === 1) return undefined;
    const rows = await db.get_list('Workflow', { filters: { document_type: doctype, is_active: 1 }, fields: ['name', 'modified'], limit: 1 }) as Array<Record<string, unknown>>;
    const row = rows[0];
    if (!row) return inCode.get(doctype);
    const key = `${String(row.name)}\u0000${String(row.modified)}`;
    let wf = compiled.get(key);
    if (!wf) {
      const doc = await db.get('Workflow', String(row.name));
      if (!doc) return inCode.get(doctype);
      wf = compileWorkflow(definitionFromDoc(doc), engine.pythonBudget);
      compiled.set(key, wf);
    }
    return wf;
  }

  const envFor = (doctype: DocType, user: User, db: HookDb): ConditionEnv => ({
    user, db: dataSource(db), now: clock(), timeZone,
    floatFields: floatFieldsOf([doctype, ...tableFields(doctype).map((f) => registry.tryGet(f.options)).filter((d): d is DocType => d !== undefined)]),
  });

  const pending = new Map<string, PendingCancel>();
  const pendingKey = (doctype: string, name: unknown) => `${doctype}\u0000${String(name)}`;

  const check: Controller = Object.fromEntries(WORKFLOW_HOOKS.map((hook) => [hook, async (ctx: HookContext) => {
    const wf = await resolve(ctx.doctype, ctx.db);
    if (!wf) return;
    const field = wf.workflow_state_field;
    const refuse = (r: WorkflowRefusal): never => ctx.throw(r.message, { exc: r.exc, field });
    if (hook === 'before_cancel') {
      const p = pending.get(pendingKey(ctx.doctype, ctx.doc.name));
      if (p) { Object.assign(ctx.doc, p.set); return; }
      if (deskRules && !canCancelDocument(wf)) {
        refuse(new WorkflowRefusal(`Cannot cancel ${ctx.doctype} ${String(ctx.doc.name)} directly: its workflow cancels through a transition (apply_workflow)`, 'WorkflowTransitionError'));
      }
      const s = stateForAction(wf, ctx.doc, 2, 'cancel');
      if (s) ctx.doc[field] = s;
      return;
    }
    const stored = ctx.doc_before_save;
    if (deskRules && stored) {
      const locked = fieldsLockedByState(wf, ctx.doc, stored, ctx.user, new Set(tableFields(ctx.meta).map((f) => f.fieldname)));
      if (locked.length) {
        refuse(new WorkflowRefusal(`Not permitted to edit ${ctx.doctype} ${String(ctx.doc.name)} in workflow state ${String(stored[field])} (changed: ${locked.join(', ')})`, 'WorkflowPermissionError'));
      }
    }
    if (deskRules && hook === 'before_submit' && stored && ctx.doc[field] === stored[field]) {
      // A plain submit would jump over the approval: Desk offers only the workflow's actions.
      const from = stateRow(wf, stored[field]);
      const approval = wf.transitions.some((t) => t.state === stored[field] && stateRow(wf, t.next_state)?.doc_status === '1');
      if (from?.doc_status === '0' && approval) {
        refuse(new WorkflowRefusal(`Workflow State transition not allowed from ${String(stored[field])}: submit ${ctx.doctype} through its workflow actions`, 'WorkflowTransitionError'));
      }
    }
    try {
      const set = await validateStateChange(wf, ctx.doc, stored, envFor(ctx.meta, ctx.user, ctx.db));
      if (set !== undefined) ctx.doc[field] = set;
    } catch (e) {
      if (e instanceof WorkflowRefusal) refuse(e);
      throw e;
    }
    if (hook !== 'before_save') {
      const s = stateForAction(wf, ctx.doc, 1, hook === 'before_submit' ? 'submit' : 'update_after_submit');
      if (s) ctx.doc[field] = s;
    }
  }])) as Controller;

  const workflowDoc: Controller = {
    name: 'workflow: Workflow',
    validate(ctx) {
      const def = definitionFromDoc(ctx.doc);
      const target = registry.tryGet(def.document_type);
      if (!target) ctx.throw(`Document Type ${def.document_type} is not a DocType of this engine`, { field: 'document_type', exc: 'LinkValidationError' });
      const [first] = checkWorkflow(def, target);
      if (first) ctx.throw(first.message, { field: first.path.replace(/\[.*$/, '') });
      if (!ctx.doc.workflow_state_field) ctx.doc.workflow_state_field = 'workflow_state';
    },
    async on_update(ctx) {
      const def = definitionFromDoc(ctx.doc);
      if (ensureStateField(registry, def)) toPrepare.add(def.document_type);
      if (!def.is_active) return;
      // set_active: activating one deactivates the others (through runs, so they are traced).
      const others = await ctx.db.get_list('Workflow', { filters: { document_type: def.document_type, is_active: 1 }, fields: ['name'] }) as Array<Record<string, unknown>>;
      for (const o of others) {
        if (o.name === ctx.doc.name) continue;
        await ctx.run({ operation: 'update', target_doctype: 'Workflow', input: { data: { name: o.name, is_active: 0 } } });
      }
    },
  };

  const fail = (message: string, exc: string, field?: string): never => {
    throw new RunFailure('VALIDATION', message, [Object.freeze({ ...makeIssue('VALIDATION', message, field ? { field } : {}), exc })], { exc });
  };

  /** Load the document and its workflow for an operation. */
  async function loadFor(ctx: OperationContext, doctypeName: string | null) {
    const input = ctx.request.input ?? {};
    const name = (input.data as Record<string, unknown> | undefined)?.name;
    if (!doctypeName) throw new RunFailure('UNKNOWN_DOCTYPE', 'apply_workflow / get_transitions need a DocType');
    if (typeof name !== 'string' || !name) throw new RunFailure('INVALID_RUN', 'input.data.name must name the document');
    const db = hookDb(ctx.storage);
    const doc = await ctx.storage.get(doctypeName, name);
    if (!doc) throw new RunFailure('NOT_FOUND', `${doctypeName} ${name} not found`);
    const wf = await resolve(doctypeName, db);
    if (!wf) throw new RunFailure('NOT_FOUND', `${doctypeName} has no active Workflow`);
    const doctype = registry.get(doctypeName);
    return { doc, wf, db, doctype, env: envFor(doctype, ctx.user, db) };
  }

  const transitionsOf = async (wf: Workflow, doc: Record<string, unknown>, env: ConditionEnv) => {
    try {
      return await availableTransitions(wf, doc, false, env);
    } catch (e) {
      if (e instanceof WorkflowRefusal) fail(e.message, e.exc, wf.workflow_state_field);
      throw e;
    }
  };

  const operations: Record<string, OperationDefinition> = {
    get_transitions: {
      rights: ['read'],
      requiresDoctype: true,
      async handle(ctx) {
        const { doc, wf, env } = await loadFor(ctx, ctx.record.source_doctype ?? ctx.record.target_doctype);
        const list = await transitionsOf(wf, doc, env);
        return {
          data: list.map((t) => ({ ...t, condition: t.condition ?? null, self_approval_ok: hasApprovalAccess(ctx.user, doc, t) })),
          meta: {
            workflow: wf.name, state: doc[wf.workflow_state_field] ?? null, can_cancel: canCancelDocument(wf),
            // Read-only by state, for a UI: may this user edit the document in its current state?
            editable: userHasRole(ctx.user, stateRow(wf, doc[wf.workflow_state_field] ?? wf.states[0]?.state)?.allow_edit ?? ''),
          },
        };
      },
    },
    apply_workflow: {
      rights: ['read'],
      requiresDoctype: true,
      async handle(ctx) {
        const doctypeName = ctx.record.target_doctype ?? ctx.record.source_doctype;
        const { doc, wf, env } = await loadFor(ctx, doctypeName);
        const action = ctx.request.input?.action;
        if (typeof action !== 'string' || !action) throw new RunFailure('INVALID_RUN', 'input.action must name the workflow action');
        const transitions = await transitionsOf(wf, doc, env);
        const t = transitions.filter((x) => x.action === action).at(-1);
        if (!t) return fail('Not a valid Workflow Action', 'WorkflowTransitionError');
        if (!hasApprovalAccess(ctx.user, doc, t)) return fail('Self approval is not allowed', 'ValidationError');
        const next = stateRow(wf, t.next_state)!;
        const set: Record<string, unknown> = { [wf.workflow_state_field]: next.state };
        if (next.update_field) set[next.update_field] = next.update_value;
        const from = Number(doc.docstatus ?? 0);
        const to = Number(next.doc_status);
        const operation = from === 0 && to === 0 ? 'update' : from === 0 && to === 1 ? 'submit' : from === 1 && to === 1 ? 'update' : from === 1 && to === 2 ? 'cancel' : undefined;
        if (!operation) return fail(`Illegal Document Status for ${next.state}`, 'ValidationError');
        const key = pendingKey(doctypeName!, doc.name);
        if (operation === 'cancel') pending.set(key, { set });
        try {
          const child = await ctx.run({
            operation, target_doctype: doctypeName!,
            input: { data: operation === 'cancel' ? { name: doc.name } : { name: doc.name, ...set } },
          });
          if (!child.success || !child.output) {
            const e = child.error!;
            throw new RunFailure(e.code, e.message, e.issues, { exc: e.exc });
          }
          return { data: child.output.data, meta: { workflow: wf.name, action, from_state: doc[wf.workflow_state_field] ?? null, to_state: next.state, write_run: child.name } };
        } finally {
          pending.delete(key);
        }
      },
    },
  };

  return { check, workflowDoc, operations };
}

/** `frappe.db.get_value` / `get_list` of conditions, read through the run's transaction. */
function dataSource(db: HookDb): PyDataSource {
  return {
    async get_value(call) {
      const filters = call.filters as string | Record<string, unknown> | unknown[];
      const found = await db.get_value(call.doctype, filters as never, [...call.fields]);
      return (found as Record<string, unknown> | null) ?? null;
    },
    async get_list(call) {
      return await db.get_list(call.doctype, {
        filters: (call.filters ?? undefined) as never, fields: [...call.fields],
        ...(call.order_by ? { order_by: call.order_by } : {}), ...(call.limit ? { limit: call.limit } : {}),
      }) as Array<Record<string, unknown>>;
    },
  };
}
