/**
 * Flow templates: the step shape, normalising steps (stored `Flow Template Step` rows or inline objects) and
 * checking a template before it is saved or run. Every mistake is an issue with a stable `FLOW_*` code, the
 * step (`value`: its step_id, `row`: its 1-based position) and the field.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { makeIssue, type Issue, type IssueCode } from '../issues';
import type { Registry } from '../schema/registry';
import type { RunErrorCode } from '../run/index';
import { compileFlowCondition, type FlowCondition } from './condition';
import { collectReferences, type Reference } from './refs';

/** What a step does when its run fails. */
export type OnError = 'stop' | 'continue' | 'retry';

/** One step, normalised. */
export interface FlowStep {
  readonly step_id: string;
  readonly operation: string;
  readonly source_doctype: string | null;
  readonly target_doctype: string | null;
  readonly input: Readonly<Record<string, unknown>> | null;
  readonly query: Readonly<Record<string, unknown>> | null;
  readonly options: Readonly<Record<string, unknown>> | null;
  readonly condition: string | null;
  /** Step ids it waits for besides those it references. */
  readonly after: readonly string[];
  /** Run even when a step it references was skipped or failed. */
  readonly run_if_skipped: boolean;
  readonly on_error: OnError;
  /** Attempts after the first, for `on_error: 'retry'`. */
  readonly retries: number;
  /** Milliseconds before the first retry, doubled for each next one. */
  readonly retry_delay: number;
}

/** A step as given inline or stored (JSON fields may be strings). */
export type FlowStepInput = Readonly<Record<string, unknown>>;

/** A checked template: steps in template order with what each waits for. */
export interface CheckedFlow {
  readonly steps: readonly FlowStep[];
  /** Per step id: the steps it waits for (references, conditions, `after`). */
  readonly deps: ReadonlyMap<string, readonly string[]>;
  /** Per step id: the steps its input / query / options reference (it is skipped when one of them did not complete). */
  readonly refs: ReadonlyMap<string, readonly string[]>;
  readonly conditions: ReadonlyMap<string, FlowCondition>;
}

/** What checking needs from the engine. */
export interface FlowCheckEnv {
  readonly registry: Registry;
  /** The canonical operation name, or undefined when the engine does not know it. */
  readonly operation: (name: string, step: FlowStep) => string | undefined;
  /** The engine's `expressionBudget` for step conditions. @default the expression defaults */
  readonly expressions?: import('../expr/index').CompileOptions | undefined;
}

const STEP_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Upper bounds, so a template cannot keep a flow retrying for hours. */
export const MAX_RETRIES = 10;
export const MAX_RETRY_DELAY = 60_000;

/** Failures worth another attempt (`on_error: 'retry'`): timeouts, rate limits, stale writes, adapter / storage errors. */
export const RETRYABLE_CODES: ReadonlySet<RunErrorCode> = new Set<RunErrorCode>(['ADAPTER_TIMEOUT', 'RATE_LIMITED', 'TIMESTAMP_MISMATCH', 'INTERNAL']);

/** The longest wait between two attempts (ms). */
export const MAX_BACKOFF = 300_000;
const ON_ERROR = new Set<string>(['stop', 'continue', 'retry']);
const JSON_FIELDS = ['input', 'query', 'options'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function problem(out: Issue[], code: IssueCode, step: { id: string; row: number }, field: string, message: string, extra: Partial<Issue> = {}): void {
  out.push(makeIssue(code, `Step ${step.id ? `"${step.id}"` : `#${step.row}`}, ${field}: ${message}`, { table: 'steps', row: step.row, field, value: step.id, ...extra }));
}

function jsonField(raw: unknown): { ok: true; value: Record<string, unknown> | null } | { ok: false; message: string } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: null };
  let v = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch (e) {
      return { ok: false, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (v === null) return { ok: true, value: null };
  if (typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'must be a JSON object' };
  return { ok: true, value: v as Record<string, unknown> };
}

function afterList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
  if (typeof raw === 'string') return raw.split(/[\s,]+/).filter(Boolean);
  return [];
}

function intOf(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Normalise and check steps.
 * @param raw - stored rows (ordered by `idx`) or inline step objects
 * @param env - the engine's operations and registry
 * @returns the checked flow, or every problem found
 */
export function checkFlow(raw: readonly FlowStepInput[] | unknown, env: FlowCheckEnv): { ok: true; flow: CheckedFlow } | { ok: false; issues: readonly Issue[] } {
  const issues: Issue[] = [];
  if (!Array.isArray(raw) || raw.length === 0) {
    return { ok: false, issues: [makeIssue('FLOW_NO_STEPS', 'A flow needs at least one step', { field: 'steps' })] };
  }
  const steps: FlowStep[] = [];
  const refsOf = new Map<string, { field: string; ref: Reference }[]>();
  const conditions = new Map<string, FlowCondition>();
  const position = new Map<string, number>();
  raw.forEach((item: unknown, i) => {
    const row = i + 1;
    const r = (item !== null && typeof item === 'object' && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
    const id = str(r.step_id) ?? '';
    const at = { id, row };
    if (!STEP_ID.test(id) || id === 'input') problem(issues, 'FLOW_STEP_ID', at, 'step_id', id ? `"${id}" is not a valid step id (letters, digits and _, not "input")` : 'missing');
    else if (position.has(id)) problem(issues, 'FLOW_DUPLICATE_STEP', at, 'step_id', `also used by step #${position.get(id)! + 1}`);
    else position.set(id, i);
    const json: Record<string, Record<string, unknown> | null> = {};
    for (const f of JSON_FIELDS) {
      const parsed = jsonField(r[f]);
      if (parsed.ok) json[f] = parsed.value;
      else {
        json[f] = null;
        problem(issues, 'FLOW_BAD_JSON', at, f, parsed.message);
      }
    }
    const onError = str(r.on_error) ?? 'stop';
    if (!ON_ERROR.has(onError)) problem(issues, 'FLOW_BAD_VALUE', at, 'on_error', `"${onError}" is not one of stop, continue, retry`);
    const retries = intOf(r.retries);
    if (retries === undefined || retries > MAX_RETRIES) problem(issues, 'FLOW_BAD_VALUE', at, 'retries', `must be a whole number from 0 to ${MAX_RETRIES}`);
    const delay = intOf(r.retry_delay);
    if (delay === undefined || delay > MAX_RETRY_DELAY) problem(issues, 'FLOW_BAD_VALUE', at, 'retry_delay', `must be a whole number of milliseconds from 0 to ${MAX_RETRY_DELAY}`);
    const step: FlowStep = {
      step_id: id, operation: str(r.operation) ?? '', source_doctype: str(r.source_doctype), target_doctype: str(r.target_doctype),
      input: json.input ?? null, query: json.query ?? null, options: json.options ?? null, condition: str(r.condition),
      after: afterList(r.after), run_if_skipped: r.run_if_skipped === true || r.run_if_skipped === 1 || r.run_if_skipped === '1',
      on_error: (ON_ERROR.has(onError) ? onError : 'stop') as OnError, retries: Math.min(retries ?? 0, MAX_RETRIES), retry_delay: Math.min(delay ?? 0, MAX_RETRY_DELAY),
    };
    steps.push(step);
    if (!step.operation) problem(issues, 'FLOW_UNKNOWN_OPERATION', at, 'operation', 'missing');
    else {
      const canonical = env.operation(step.operation, step);
      if (!canonical) problem(issues, 'FLOW_UNKNOWN_OPERATION', at, 'operation', `"${step.operation}" is not an operation of this engine`);
    }
    for (const f of ['source_doctype', 'target_doctype'] as const) {
      const dt = step[f];
      if (dt !== null && !env.registry.has(dt)) problem(issues, 'FLOW_UNKNOWN_DOCTYPE', at, f, `DocType "${dt}" is not registered`);
    }
    const refs: { field: string; ref: Reference }[] = [];
    for (const f of JSON_FIELDS) {
      const { refs: found, problems } = collectReferences(json[f]);
      for (const p of problems) problem(issues, 'FLOW_BAD_REFERENCE', at, f, `${p.message} in ${JSON.stringify(p.source)}`, { expression: p.source, index: p.index });
      for (const ref of found) refs.push({ field: f, ref });
    }
    if (step.condition !== null) {
      try {
        const c = compileFlowCondition(step.condition, env.expressions);
        conditions.set(id, c);
        for (const s of c.steps) refs.push({ field: 'condition', ref: { root: s, path: [], text: `steps.${s}` } });
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        problem(issues, 'FLOW_BAD_CONDITION', at, 'condition', `${e.code}: ${e.message}`, { expression: step.condition, index: e.index });
      }
    }
    refsOf.set(id, refs);
  });

  // References: earlier steps only (or input); `after`: any other step. Then cycles over the whole graph.
  const deps = new Map<string, string[]>();
  const dataRefs = new Map<string, string[]>();
  steps.forEach((step, i) => {
    const at = { id: step.step_id, row: i + 1 };
    const mine = new Set<string>();
    const data = new Set<string>();
    for (const { field, ref } of refsOf.get(step.step_id) ?? []) {
      if (ref.root === 'input') continue;
      const where = position.get(ref.root);
      if (where === undefined) problem(issues, 'FLOW_UNKNOWN_STEP', at, field, `{{${ref.text}}} names no step "${ref.root}"`);
      else if (where === i) problem(issues, 'FLOW_CYCLE', at, field, `{{${ref.text}}} refers to the step itself`);
      else if (where > i) problem(issues, 'FLOW_LATER_STEP', at, field, `{{${ref.text}}} refers to step "${ref.root}", which comes later`);
      else {
        mine.add(ref.root);
        if (field !== 'condition') data.add(ref.root);
      }
    }
    for (const a of step.after) {
      if (!position.has(a)) problem(issues, 'FLOW_UNKNOWN_STEP', at, 'after', `names no step "${a}"`);
      else if (a === step.step_id) problem(issues, 'FLOW_CYCLE', at, 'after', 'waits for itself');
      else mine.add(a);
    }
    if (!deps.has(step.step_id)) {
      deps.set(step.step_id, [...mine]);
      dataRefs.set(step.step_id, [...data]);
    }
  });
  for (const cycle of findCycles(deps)) {
    const members = cycle.join(' -> ');
    for (const id of cycle.slice(0, -1)) {
      problem(issues, 'FLOW_CYCLE', { id, row: position.get(id)! + 1 }, 'after', `steps wait for each other: ${members}`);
    }
  }
  if (issues.length) return { ok: false, issues };
  return { ok: true, flow: { steps, deps, refs: dataRefs, conditions } };
}

/** Each cycle once, as a path that returns to its first step. */
function findCycles(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const d of deps.get(id) ?? []) {
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of deps.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
