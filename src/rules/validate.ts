/**
 * `validateDoc`: every problem of a document at once, as Frappe finds them on save (`frappe/model/base_document.py` * Frappe's source, `frappe/model/base_document.py`): mandatory fields (static `reqd` and, like Desk at save, a true `mandatory_depends_on`), then per
 * field of the document and of each child row its fieldtype checks (Select options, Data formats, Phone,
 * non_negative, length, dates, JSON), then the custom validators registered in code. Never throws for bad data.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { makeIssue, type Issue, type IssueCode } from '../issues';
import { createFieldtypeHandlers, type FieldtypeHandlers } from '../values/handlers';
import { checkLevelValues } from '../values/plan';
import { isMissing, mandatoryIssue } from '../values/mandatory';
import type { ValueContext } from '../values/validate';
import { rowKey, rowsOf, type StateOptions } from './states';
import type { CompiledRules, HookAction, DocData, FieldRules, FormState, RowState, RuleEnv, Validator, ValidatorResult } from './types';

/** Options of {@link validateDoc}. */
export interface ValidateOptions extends StateOptions {
  /**
   * Treat a true `mandatory_depends_on` as mandatory, as Desk does at save. Frappe's core server does not
   * (`frappe/utils/safe_exec.py`); pass `false` to be exactly as lenient as the server. @default true
   */
  readonly enforceMandatoryDependsOn?: boolean;
  /** Fieldtype handlers (tier 2). @default createFieldtypeHandlers() */
  readonly handlers?: FieldtypeHandlers;
  /** States already computed for this document (saves evaluating conditions again). */
  readonly states?: FormState;
  /** The write being validated, passed to custom validators with the user. @default null */
  readonly action?: HookAction | null;
  /**
   * Check mandatory fields and tables. `false` (Frappe's `ignore_mandatory`) skips the pass entirely: no
   * `mandatory_depends_on` condition is evaluated, so none can fail. @default true
   */
  readonly mandatory?: boolean;
}

const defaultHandlers = createFieldtypeHandlers();

/**
 * Validate a document and its child rows.
 * @returns every issue found (empty when the document is valid); a cancelled document (docstatus 2) is not validated, as in Frappe
 */
export function validateDoc(rules: CompiledRules, doc: DocData, options: ValidateOptions = {}): Issue[] {
  if (Number(doc.docstatus ?? 0) === 2) return [];
  const handlers = options.handlers ?? defaultHandlers;
  const enforceDepends = options.enforceMandatoryDependsOn ?? true;
  // Mandatory needs only `mandatory_depends_on`: given states are reused, otherwise just those conditions run.
  const states = enforceDepends ? options.states : undefined;
  const mandatory = options.mandatory !== false;
  const spent: Issue[] = []; // conditions over their evaluation budget (EXPR_LIMIT): blocking
  const mandatoryOf = mandatory && enforceDepends && !states ? conditionalMandatory(options, spent) : undefined;
  const base: ValueContext = {
    doctype: rules.doctype.name,
    docname: typeof doc.name === 'string' ? doc.name : undefined,
    owner: typeof doc.owner === 'string' ? doc.owner : undefined,
    docstatus: Number(doc.docstatus ?? 0),
    issingle: rules.doctype.issingle === 1,
  };
  const issues: Issue[] = [];

  // 1. Mandatory: the parent's pass collects the children's too (`frappe/model/base_document.py`).
  if (mandatory) checkMandatory(rules, doc, doc, states?.fields, mandatoryOf, base, issues);
  const rowCtx = new Map<string, ValueContext[]>();
  for (const [table, child] of rules.tables) {
    const ctxs: ValueContext[] = [];
    rowsOf(doc, table).forEach((row, i) => {
      const ctx: ValueContext = {
        doctype: child.doctype.name, docname: base.docname, owner: base.owner, docstatus: base.docstatus, issingle: base.issingle,
        row: { idx: Number(row.idx ?? i + 1), table, name: typeof row.name === 'string' ? row.name : undefined },
      };
      ctxs.push(ctx);
      if (mandatory) checkMandatory(child, row, doc, states?.rows[table]?.[rowKey(row)], mandatoryOf, ctx, issues);
    });
    rowCtx.set(table, ctxs);
  }
  issues.push(...spent);

  // 2. Fieldtype checks, parent then each row (steps 2-5).
  checkLevelValues(rules.doctype, doc, base, handlers, issues);
  for (const [table, child] of rules.tables) {
    const ctxs = rowCtx.get(table)!;
    rowsOf(doc, table).forEach((row, i) => checkLevelValues(child.doctype, row, ctxs[i]!, handlers, issues));
  }

  // 3. Custom validators.
  const env: RuleEnv = { action: options.action ?? null, user: options.user ?? null };
  for (const v of rules.validators) runValidator(v, doc, doc, base, issues, env);
  for (const [table, child] of rules.tables) {
    const ctxs = rowCtx.get(table)!;
    rowsOf(doc, table).forEach((row, i) => {
      for (const v of child.validators) runValidator(v, row, doc, ctxs[i]!, issues, env);
    });
  }
  return issues;
}

type MandatoryOf = (rule: FieldRules, doc: DocData, parent: DocData) => boolean;

/** `reqd`, overridden by a `mandatory_depends_on` (a condition failing at run time keeps `reqd`, as states do). */
function conditionalMandatory(options: ValidateOptions, spent: Issue[]): MandatoryOf {
  return (rule, doc, parent) => {
    const cond = rule.mandatory_depends_on;
    if (!cond) return rule.df.reqd === 1;
    try {
      return cond.test({ doc, parent, user: options.user, now: options.now, boot: options.boot });
    } catch (e) {
      // A spent budget blocks the write (a runaway or hostile rule must not switch a check off by being expensive).
      if (e instanceof ExpressionError && e.code === 'EXPR_LIMIT') {
        spent.push(makeIssue('EXPR_LIMIT', `"mandatory_depends_on" expression for ${rule.df.fieldname} exceeded its evaluation budget: ${e.description}`, {
          field: rule.df.fieldname, expression: cond.source, index: e.index,
        }));
      }
      return rule.df.reqd === 1;
    }
  };
}

/**
 * What validateDoc's mandatory pass walks for one level, derived once per compiled rules: the fields that can
 * be mandatory (`reqd` or a `mandatory_depends_on`; states mark no other field mandatory). Value checks walk
 * the value layer's plan (`values/plan.ts`).
 */
const mandatoryPlans = new WeakMap<CompiledRules, readonly FieldRules[]>();

function mandatoryCandidates(rules: CompiledRules): readonly FieldRules[] {
  let list = mandatoryPlans.get(rules);
  if (!list) {
    list = [...rules.fields.values()].filter((rule) => rule.df.fieldclass !== 'display' && (rule.df.reqd === 1 || rule.mandatory_depends_on));
    mandatoryPlans.set(rules, list);
  }
  return list;
}

function checkMandatory(
  rules: CompiledRules,
  doc: DocData,
  parent: DocData,
  states: RowState | undefined,
  mandatoryOf: MandatoryOf | undefined,
  ctx: ValueContext,
  issues: Issue[],
): void {
  for (const rule of mandatoryCandidates(rules)) {
    const df = rule.df;
    const mandatory = states ? states[df.fieldname]?.mandatory === true : mandatoryOf ? mandatoryOf(rule, doc, parent) : df.reqd === 1;
    if (mandatory && isMissing(df, doc[df.fieldname])) issues.push(mandatoryIssue(df, ctx));
  }
}

function runValidator(v: Validator, doc: DocData, parent: DocData, ctx: ValueContext, issues: Issue[], env: RuleEnv): void {
  let result: ValidatorResult;
  try {
    result = v.validate(doc, parent, env);
  } catch (e) {
    // A validator is user code; its failure is reported, never allowed to break validation of the rest.
    result = { message: `Validator "${v.name}" failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (result === undefined || result === null || result === false) return;
  const list = Array.isArray(result) ? result : [result];
  for (const item of list as ReadonlyArray<string | { message: string; field?: string; code?: IssueCode }>) {
    const detail = typeof item === 'string' ? { message: item } : item;
    issues.push(
      makeIssue(detail.code ?? 'VALIDATION', detail.message, {
        doctype: ctx.doctype,
        field: detail.field ?? v.field ?? v.inputs[0],
        row: ctx.row?.idx,
        table: ctx.row?.table,
        rowname: ctx.row?.name,
      }),
    );
  }
}
