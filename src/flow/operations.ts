/**
 * The `flow` and `resume_flow` custom operations. They load and check the template (stored `Flow Template`
 * or inline steps), keep the flow's progress in a {@link FlowStateStore}, run the steps as child runs
 * ({@link runSteps}) and turn the outcome into the flow run's output (or failure).
 *
 * @module
 */
import type { User } from '../env';
import { makeIssue, type Issue } from '../issues';
import { checkRights, RunFailure } from '../run/index';
import type { OperationContext, OperationDefinition, OperationResult, RunRequest } from '../run/index';
import type { DocData } from '../doc/types';
import { FLOW_TEMPLATE } from './doctypes';
import { runSteps, type RunnerOutcome } from './runner';
import type { FlowState, FlowStateStore, StepResult } from './state';
import { checkFlow, type CheckedFlow, type FlowCheckEnv, type FlowStep } from './template';

declare function setTimeout(fn: () => void, ms: number): unknown;

/** Configuration of the flow operations. */
export interface FlowOperationsConfig {
  readonly env: FlowCheckEnv;
  /** The state store for a run's storage session. */
  readonly states: (storage: OperationContext['storage']) => FlowStateStore;
  /** Whether an operation (canonical) of a step is a storage operation of the engine's adapter. */
  readonly storageOperation: (operation: string, step: FlowStep) => boolean;
  /** Whether the adapter has real transactions. */
  readonly transactional: boolean;
  /** Steps running at once, unless a run's `options.concurrency` says otherwise. */
  readonly concurrency: number;
  /** Waits between retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown inside an atomic flow's transaction to roll it back, carrying the outcome. */
class Rollback {
  constructor(readonly outcome: RunnerOutcome) {}
}

/** The flow's output: the last completed step's data, and every step's result in template order. */
export function flowOutput(state: Pick<FlowState, 'name' | 'template' | 'flow_type'>, results: readonly StepResult[], extra: Record<string, unknown> = {}): { data: DocData[]; meta: Record<string, unknown> } {
  const last = [...results].reverse().find((r) => r.status === 'completed');
  return {
    data: (last?.output?.data ?? []) as DocData[],
    meta: {
      flow: state.name, template: state.template, flow_type: state.flow_type, data_from: last?.step_id ?? null,
      steps: results.map((r) => ({ step_id: r.step_id, status: r.status, run: r.run, runs: r.runs, docname: r.docname, reason: r.reason, error_code: r.error?.code ?? null })),
      ...extra,
    },
  };
}

function stopped(failed: StepResult, output: { data: DocData[]; meta: Record<string, unknown> }): RunFailure {
  const code = failed.error?.code ?? 'INTERNAL';
  return new RunFailure(code, `Flow stopped at step "${failed.step_id}": ${failed.error?.message ?? code}`, failed.error?.issues ?? [], { output });
}

function invalid(issues: readonly Issue[], what: string): RunFailure {
  return new RunFailure('FLOW_INVALID', `${what}: ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map((i) => i.message).join('; ')}`, issues);
}

/** The stored template's steps (rows by idx), after checking the user may read it. */
async function loadTemplate(ctx: OperationContext, name: string): Promise<{ rows: unknown[]; flow_type: string | null }> {
  const doc = await ctx.storage.get(FLOW_TEMPLATE, name);
  if (!doc) throw new RunFailure('NOT_FOUND', `${FLOW_TEMPLATE} ${name} not found`);
  const verdict = checkRights(ctx.registry.get(FLOW_TEMPLATE), ctx.user, ['read'], doc);
  if (!verdict.ok) throw new RunFailure(verdict.code, verdict.message, verdict.issues ?? []);
  const rows = Array.isArray(doc.steps) ? [...(doc.steps as DocData[])].sort((a, b) => Number(a.idx ?? 0) - Number(b.idx ?? 0)) : [];
  return { rows, flow_type: typeof doc.flow_type === 'string' && doc.flow_type ? doc.flow_type : null };
}

function concurrencyOf(options: Readonly<Record<string, unknown>>, fallback: number): number {
  const c = options.concurrency;
  if (c === undefined) return fallback;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) throw new RunFailure('INVALID_RUN', 'options.concurrency must be a whole number ≥ 1');
  return c;
}

/**
 * The `flow` and `resume_flow` operations.
 * @param config - see {@link FlowOperationsConfig}
 * @returns operation definitions for `createEngine({ operations })`
 */
export function flowOperations(config: FlowOperationsConfig): Record<'flow' | 'resume_flow', OperationDefinition> {
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((r) => void setTimeout(r, ms)));
  /** Flows of this engine still running, by state name (a second start with their key waits for them). */
  const inflight = new Map<string, Promise<unknown>>();
  /** Idempotency keys (per user) claimed by a flow start of this engine; settles when that start has. */
  const claims = new Map<string, Promise<void>>();

  async function execute(ctx: OperationContext, store: FlowStateStore, state: FlowState, flow: CheckedFlow): Promise<OperationResult> {
    const atomic = state.options.atomic === true;
    const concurrency = atomic ? 1 : concurrencyOf(state.options, config.concurrency);
    let current = state;
    let saving: Promise<void> = Promise.resolve();
    const save = (s: FlowState) => {
      current = s;
      if (!atomic) saving = saving.then(() => store.save(s));
    };
    save(state);
    const run = (request: RunRequest) => ctx.run(request, { failParent: false });
    const go = () => runSteps({
      flow, data: state.data, previous: state.results, run, concurrency, sleep,
      common: { flow_id: state.name, ...(state.flow_type ? { flow_type: state.flow_type } : {}) },
      progress: (results) => save({ ...current, results }),
    });
    let outcome: RunnerOutcome;
    if (atomic) {
      try {
        outcome = await ctx.transaction(async () => {
          const o = await go();
          if (o.failed) throw new Rollback(o);
          return o;
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
        outcome = e.outcome;
      }
    } else outcome = await go();
    const results = Object.fromEntries(outcome.results.map((r) => [r.step_id, r]));
    const final: FlowState = { ...current, results, status: outcome.failed ? 'failed' : 'completed' };
    current = final;
    saving = saving.then(() => store.save(final));
    await saving;
    const output = flowOutput(state, outcome.results, atomic ? { atomic: true, rolled_back: outcome.failed !== undefined } : {});
    if (outcome.failed) throw stopped(outcome.failed, output);
    return output;
  }

  /** A finished flow's record again (idempotent start, resume of a completed flow). */
  function replay(state: FlowState, extra: Record<string, unknown>): OperationResult {
    const results = state.steps.map((s) => state.results[s.step_id] ?? { step_id: s.step_id, status: 'not_run' as const, run: null, runs: [], output: null, error: null, reason: 'not reached', docname: null });
    const output = flowOutput(state, results, extra);
    const failed = results.find((r) => r.status === 'failed' && state.steps.find((s) => s.step_id === r.step_id)?.on_error !== 'continue');
    if (state.status === 'failed' && failed) throw stopped(failed, output);
    return output;
  }

  function track<T>(name: string, p: Promise<T>): Promise<T> {
    inflight.set(name, p);
    return p.finally(() => inflight.delete(name));
  }

  const flow: OperationDefinition = {
    async handle(ctx) {
      const user: User = ctx.user;
      const store = config.states(ctx.storage);
      const key = ctx.record.options.idempotency_key;
      if (key !== undefined && (typeof key !== 'string' || key === '')) throw new RunFailure('INVALID_RUN', 'options.idempotency_key must be a non-empty string');
      let release = () => {};
      if (typeof key === 'string') {
        // Claimed synchronously, so two starts racing in this engine see each other before any storage read.
        const claim = JSON.stringify([user.name, key]);
        while (claims.has(claim)) await claims.get(claim);
        claims.set(claim, new Promise<void>((resolve) => {
          release = () => {
            claims.delete(claim);
            resolve();
          };
        }));
      }
      try {
        return await start(ctx, store, typeof key === 'string' ? key : undefined);
      } finally {
        release();
      }
    },
  };

  async function start(ctx: OperationContext, store: FlowStateStore, key: string | undefined): Promise<OperationResult> {
    const input = ctx.request.input ?? {};
    const options = ctx.record.options;
    const user: User = ctx.user;
    if (key !== undefined) {
      let first = await store.byKey(user.name, key);
      if (first && inflight.has(first.name)) {
        await inflight.get(first.name)!.catch(() => undefined);
        first = await store.get(first.name);
      }
      if (first) {
        if (first.status === 'running') {
          throw new RunFailure('INVALID_RUN', `Flow ${first.name} started with idempotency key "${key}" was interrupted; resume it with resume_flow`);
        }
        return replay(first, { replay_of: first.name });
      }
    }
    const hasTemplate = input.template !== undefined;
    const hasSteps = input.steps !== undefined;
    if (hasTemplate === hasSteps) throw new RunFailure('INVALID_RUN', 'flow needs input.template (a Flow Template name) or input.steps (inline steps), not both');
    if (hasTemplate && (typeof input.template !== 'string' || !input.template)) throw new RunFailure('INVALID_RUN', 'input.template must be a Flow Template name');
    if (input.data !== undefined && !isObject(input.data)) throw new RunFailure('INVALID_RUN', 'input.data must be an object');
    let rows: unknown = input.steps;
    let flowType = ctx.record.flow_type;
    if (typeof input.template === 'string') {
      const t = await loadTemplate(ctx, input.template);
      rows = t.rows;
      flowType ??= t.flow_type;
    }
    const checked = checkFlow(rows, config.env);
    if (!checked.ok) throw invalid(checked.issues, typeof input.template === 'string' ? `Flow Template ${input.template}` : 'Inline flow');
    if (options.atomic === true) {
      const issues = checked.flow.steps.flatMap((s, i) => (config.transactional && config.storageOperation(config.env.operation(s.operation, s)!, s) ? [] : [
        makeIssue('FLOW_NOT_ATOMIC', `Step "${s.step_id}", operation: ${config.transactional ? `"${s.operation}" is not a storage operation of the engine's adapter` : 'the storage adapter has no transactions'}`, { table: 'steps', row: i + 1, field: 'operation', value: s.step_id }),
      ]));
      if (issues.length) throw invalid(issues, 'options.atomic');
    }
    const state: FlowState = {
      name: ctx.record.name, owner: user.name, template: typeof input.template === 'string' ? input.template : null, flow_type: flowType,
      status: 'running', idempotency_key: typeof key === 'string' ? key : null, agent: ctx.agent, steps: checked.flow.steps,
      data: input.data ?? {}, options: { ...options }, results: {}, runs: [ctx.record.name],
    };
    return track(state.name, execute(ctx, store, state, checked.flow));
  }

  const resume: OperationDefinition = {
    async handle(ctx) {
      const input = ctx.request.input ?? {};
      const name = typeof input.flow === 'string' ? input.flow : isObject(input.data) && typeof input.data.name === 'string' ? input.data.name : undefined;
      if (!name) throw new RunFailure('INVALID_RUN', 'resume_flow needs the flow run name in input.flow');
      if (inflight.has(name)) throw new RunFailure('INVALID_RUN', `Flow ${name} is still running`);
      const store = config.states(ctx.storage);
      const state = await store.get(name);
      if (!state) throw new RunFailure('NOT_FOUND', `Flow ${name} not found`);
      if (state.owner !== ctx.user.name && ctx.user.name !== 'Administrator') {
        throw new RunFailure('PERMISSION_DENIED', `Flow ${name} belongs to ${state.owner}; only they may resume it`);
      }
      if (state.status === 'completed') return replay(state, { resumed: false });
      const checked = checkFlow(state.steps, config.env);
      if (!checked.ok) throw invalid(checked.issues, `Flow ${name}`);
      const next: FlowState = { ...state, status: 'running', runs: [...state.runs, ctx.record.name] };
      return track(name, execute(ctx, store, next, checked.flow));
    },
  };

  return { flow, resume_flow: resume };
}
