/**
 * Running a checked flow: each step is a child run of the flow run, started as soon as the steps it waits for
 * have settled (bounded concurrency), with its references resolved to values and its condition evaluated over
 * `{ input, steps }`. Failures follow the step's `on_error`; results keep the template's order whatever
 * finished first. Progress is reported after every step so it can be stored (durability, resume).
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { makeIssue } from '../issues';
import type { RunError, RunRecord, RunRequest } from '../run/index';
import { MissingPath, resolveValue, type ReferenceScope } from './refs';
import type { StepResult } from './state';
import { MAX_BACKOFF, RETRYABLE_CODES, type CheckedFlow, type FlowStep } from './template';

/** What the runner needs from the flow run. */
export interface RunnerContext {
  readonly flow: CheckedFlow;
  readonly data: unknown;
  /** Results of steps settled before (resume); they are not run again. */
  readonly previous: Readonly<Record<string, StepResult>>;
  /** Start a step's child run. */
  readonly run: (request: RunRequest) => Promise<RunRecord>;
  /** Extra fields of every step request (flow_id of a resumed flow, flow_type of a template). */
  readonly common: Partial<RunRequest>;
  /** Steps running at once. */
  readonly concurrency: number;
  /** Called whenever a step's result changes (serialise saves in the caller). */
  readonly progress: (results: Readonly<Record<string, StepResult>>) => void;
  /** Waits (retry backoff). */
  readonly sleep: (ms: number) => Promise<void>;
}

/** The outcome: every step's result in template order, and the step that stopped the flow, if any. */
export interface RunnerOutcome {
  readonly results: readonly StepResult[];
  readonly failed: StepResult | undefined;
}

const result = (step: FlowStep, patch: Partial<StepResult>): StepResult => ({
  step_id: step.step_id, status: 'pending', run: null, runs: [], output: null, error: null, reason: null, docname: null, ...patch,
});

const isDone = (r: StepResult | undefined) => r !== undefined && (r.status === 'completed' || r.status === 'skipped' || r.status === 'failed');

/**
 * Run the flow's steps.
 * @param ctx - see {@link RunnerContext}
 * @returns every step's result and the stopping failure
 */
export async function runSteps(ctx: RunnerContext): Promise<RunnerOutcome> {
  const { flow } = ctx;
  const results: Record<string, StepResult> = {};
  for (const s of flow.steps) {
    const prev = ctx.previous[s.step_id];
    // Completed, skipped and tolerated failures are kept; anything else runs (again).
    results[s.step_id] = prev && (prev.status === 'completed' || prev.status === 'skipped' || (prev.status === 'failed' && s.on_error === 'continue')) ? prev : result(s, {});
  }
  const scope: ReferenceScope = {
    input: ctx.data,
    output: (id) => (results[id]?.status === 'completed' ? results[id]!.output ?? undefined : undefined),
  };
  const stepsView = () => {
    const out: Record<string, unknown> = {};
    for (const [id, r] of Object.entries(results)) out[id] = { status: r.status, output: r.output, error: r.error, docname: r.docname, reason: r.reason };
    return out;
  };
  let stopper: StepResult | undefined;
  const running = new Map<string, Promise<void>>();
  const set = (r: StepResult) => {
    results[r.step_id] = r;
    ctx.progress({ ...results });
  };

  async function attempt(step: FlowStep): Promise<StepResult> {
    const condition = flow.conditions.get(step.step_id);
    try {
      if (condition && !condition.test({ input: ctx.data, steps: stepsView() })) return result(step, { status: 'skipped', reason: 'condition is false' });
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      return failure(step, e.code === 'EXPR_LIMIT' ? 'EXPR_LIMIT' : 'EXPR_RUNTIME', `Step "${step.step_id}", condition: ${e.message}`, 'condition', step.condition ?? '');
    }
    let request: RunRequest;
    try {
      request = {
        ...ctx.common, operation: step.operation, step_id: step.step_id,
        ...(step.source_doctype ? { source_doctype: step.source_doctype } : {}),
        ...(step.target_doctype ? { target_doctype: step.target_doctype } : {}),
        ...(step.input ? { input: resolveValue(step.input, scope) as RunRequest['input'] } : {}),
        ...(step.query ? { query: resolveValue(step.query, scope) as RunRequest['query'] } : {}),
        ...(step.options ? { options: resolveValue(step.options, scope) as RunRequest['options'] } : {}),
      };
    } catch (e) {
      if (!(e instanceof MissingPath)) throw e;
      const field = (['input', 'query', 'options'] as const).find((f) => JSON.stringify(step[f] ?? null).includes(e.reference.text)) ?? 'input';
      return failure(step, 'FLOW_MISSING_PATH', `Step "${step.step_id}", ${field}: {{${e.reference.text}}}: ${e.message}`, field, e.at);
    }
    const runs: string[] = [];
    for (let n = 0; ; n++) {
      const rec = await ctx.run(request);
      runs.push(rec.name);
      if (rec.success) return result(step, { status: 'completed', run: rec.name, runs, output: rec.output, docname: rec.docname });
      const code = rec.error?.code ?? 'INTERNAL';
      const retry = step.on_error === 'retry' && n < step.retries && RETRYABLE_CODES.has(code);
      if (!retry) {
        return result(step, { status: 'failed', run: rec.name, runs, error: rec.error, reason: `${code}: ${rec.error?.message ?? ''}${runs.length > 1 ? ` (after ${runs.length} attempts)` : ''}` });
      }
      await ctx.sleep(Math.min(step.retry_delay * 2 ** n, MAX_BACKOFF));
    }
  }

  /** A step that failed before its run could start (FLOW_REFERENCE): the issue names the step, the field and the path. */
  function failure(step: FlowStep, issue: 'FLOW_MISSING_PATH' | 'EXPR_RUNTIME' | 'EXPR_LIMIT', message: string, field: string, path: string): StepResult {
    const error: RunError = { code: 'FLOW_REFERENCE', exc: 'ValidationError', message, issues: [makeIssue(issue, message, { table: 'steps', field, value: path, rowname: step.step_id })] };
    return result(step, { status: 'failed', error, reason: `FLOW_REFERENCE: ${message}` });
  }

  /** Why a step cannot run because a step it references did not complete, or undefined when it can. */
  const blockedBy = (step: FlowStep): string | undefined => {
    if (step.run_if_skipped) return undefined;
    for (const d of flow.refs.get(step.step_id) ?? []) {
      const r = results[d]!;
      if (r.status === 'skipped' || r.status === 'not_run') return `step "${d}" it references was skipped`;
      if (r.status === 'failed') return `step "${d}" it references failed`;
    }
    return undefined;
  };

  for (;;) {
    if (!stopper) {
      for (const step of flow.steps) {
        if (running.size >= ctx.concurrency) break;
        const r = results[step.step_id]!;
        if (r.status !== 'pending') continue;
        const deps = flow.deps.get(step.step_id) ?? [];
        if (!deps.every((d) => isDone(results[d]))) continue;
        const blocked = blockedBy(step);
        if (blocked) {
          set(result(step, { status: 'skipped', reason: blocked }));
          continue;
        }
        set(result(step, { status: 'running' }));
        running.set(step.step_id, attempt(step).then((done) => {
          running.delete(step.step_id);
          set(done);
          if (done.status === 'failed' && step.on_error !== 'continue' && !stopper) stopper = done;
        }));
      }
    }
    if (running.size === 0) {
      // Skips above can make further steps ready; loop again until nothing changes.
      const ready = !stopper && flow.steps.some((s) => results[s.step_id]!.status === 'pending' && (flow.deps.get(s.step_id) ?? []).every((d) => isDone(results[d])));
      if (!ready) break;
      continue;
    }
    await Promise.race(running.values());
  }
  for (const s of flow.steps) {
    if (results[s.step_id]!.status === 'pending') set(result(s, { status: 'not_run', reason: stopper ? `the flow stopped at step "${stopper.step_id}"` : 'not reached' }));
  }
  return { results: flow.steps.map((s) => results[s.step_id]!), failed: stopper };
}
