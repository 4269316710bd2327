/**
 * Flows: multi-step runs from templates stored as documents (`Flow Template`) or given inline, with typed step
 * references, conditions, concurrency, failure policies, durable progress, resume and tracing. A capability
 * above the run layer: it plugs in through custom operations (`flow`, `resume_flow`), custom validators (a
 * template is checked when saved) and `engine.trace()`; see docs/flows.md.
 *
 * @example
 * const engine = createFlowEngine({ doctypes, adapter, storeRuns: true, user: { name: 'ann@example.com', roles: ['Sales User'] } });
 * const r = await engine.run({ operation: 'flow', input: { template: 'Lead to Quotation', data: { lead: 'CRM-LEAD-0001' } }, flow_type: 'workflow' });
 * r.output?.meta.steps; // [{ step_id, status, run, reason, ... }]
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { DocData } from '../doc/types';
import { BUILTIN_OPERATIONS, createEngine, resolveOperation, RUN_DOCTYPE } from '../run/index';
import type { DocumentTrace, Engine, EngineOptions, OperationContext, OperationDefinition, ServiceAdapter } from '../run/index';
import type { Validator } from '../rules/types';
import { createRegistry } from '../schema/registry';
import { memoryAdapter } from '../storage/memory';
import { FLOW_STATE, FLOW_STATE_JSON, FLOW_TEMPLATE, FLOW_TEMPLATE_JSON, FLOW_TEMPLATE_STEP_JSON } from './doctypes';
import type { FlowState } from './state';
import { checkFlow, type FlowCheckEnv, type FlowStep } from './template';
import type { Issue } from '../issues';

export { FLOW_STATE, FLOW_STATE_JSON, FLOW_TEMPLATE, FLOW_TEMPLATE_JSON, FLOW_TEMPLATE_STEP, FLOW_TEMPLATE_STEP_JSON } from './doctypes';
export { checkFlow, MAX_BACKOFF, MAX_RETRIES, MAX_RETRY_DELAY, RETRYABLE_CODES } from './template';
export type { CheckedFlow, FlowCheckEnv, FlowStep, FlowStepInput, OnError } from './template';
export { compileFlowCondition } from './condition';
export type { FlowCondition } from './condition';
export { parseReference, parseTemplateString, resolveValue, stringify as stringifyReference, MissingPath } from './refs';
export type { PathPart, Reference, ReferenceProblem, ReferenceScope, Segment } from './refs';
export type { FlowState, FlowStateStore, StepResult, StepStatus } from './state';

/** Options of the flow operations. */
export interface FlowConfig {
  /** Steps of one flow running at once (a run's `options.concurrency` overrides it). @default 4 */
  readonly concurrency?: number;
  /** Waits between retries (tests may pass a fake). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A document's trace through flows: the write runs, the step run, its flow and the template. */
export interface FlowTrace extends DocumentTrace {
  /** The last write run, when it ran as a step of a flow. */
  readonly step: DocData | undefined;
  /** The flow's stored `Run`; for a flow that was interrupted and resumed, the last stored `resume_flow` run. */
  readonly flow: DocData | undefined;
  /** The flow's progress (`Flow State`), when flows store it (`storeRuns`). */
  readonly state: FlowState | undefined;
  /** The `Flow Template` the flow ran, if it ran a stored one. */
  readonly template: DocData | undefined;
}

/** An engine whose `trace()` follows a document to its step run, flow and template. */
export interface FlowEngine extends Engine {
  trace(doctype: string, name: string): Promise<FlowTrace>;
}

const adapterServes = (a: ServiceAdapter | undefined, op: string) => a !== undefined && (a.operations === undefined || a.operations.includes(op));

/**
 * Engine options with flows: the `Flow Template` DocTypes (and `Flow State` with `storeRuns`), the `flow` and
 * `resume_flow` operations, and the template check on save.
 * @param options - the engine's options (`doctypes` or `registry`, `adapter`, ...)
 * @param config - see {@link FlowConfig}
 * @returns options for `createEngine`
 * @throws {CoworkerError} `ENGINE_CONFIG` when `options.operations` already has `flow` / `resume_flow`
 */
export function withFlows(options: EngineOptions = {}, config: FlowConfig = {}): EngineOptions {
  for (const name of ['flow', 'resume_flow']) {
    if (options.operations && Object.hasOwn(options.operations, name)) throw new CoworkerError('ENGINE_CONFIG', `Custom operation "${name}" would replace the flow operation`);
  }
  const concurrency = config.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new CoworkerError('ENGINE_CONFIG', 'Flow concurrency must be a whole number ≥ 1');
  const registry = options.registry ?? createRegistry(options.doctypes ?? []);
  for (const json of [FLOW_TEMPLATE_STEP_JSON, FLOW_TEMPLATE_JSON, ...(options.storeRuns ? [FLOW_STATE_JSON] : [])]) {
    if (!registry.has(json.name)) registry.add(json);
  }
  const adapter = options.adapter ?? memoryAdapter();
  const adapters = new Map((options.adapters ?? []).map((a) => [a.name, a] as const));
  const known = new Set<string>([
    ...Object.keys(options.operations ?? {}), 'flow', 'resume_flow', ...Object.keys(options.operationAdapters ?? {}),
    ...(options.adapters ?? []).flatMap((a) => a.operations ?? []),
  ]);
  const env: FlowCheckEnv = {
    registry,
    operation: (name, step) => resolveOperation(name, known, options.aliases ?? {}) ?? (typeof step.options?.adapter === 'string' ? name : undefined),
    expressions: options.expressionBudget,
  };
  const storageOperation = (op: string, step: FlowStep) => (BUILTIN_OPERATIONS as readonly string[]).includes(op) && step.options?.adapter === undefined
    && options.operationAdapters?.[op] === undefined && !adapterServes(options.defaultAdapter ? adapters.get(options.defaultAdapter) : undefined, op);
  // The operations (the runner, the state store) load on the first flow / resume_flow run: a chunk of their own.
  let loaded: Promise<Readonly<Record<'flow' | 'resume_flow', OperationDefinition>>> | undefined;
  const load = () => (loaded ??= Promise.all([import('./operations'), import('./state')]).then(([{ flowOperations }, { memoryStateStore, storageStateStore }]) => {
    const memoryStates = memoryStateStore();
    return flowOperations({
      env, storageOperation, transactional: adapter.capabilities.has('transactions'), concurrency,
      states: options.storeRuns ? (storage: OperationContext['storage']) => storageStateStore(() => storage) : () => memoryStates,
      ...(config.sleep ? { sleep: config.sleep } : {}),
    });
  }));
  const operations: Record<'flow' | 'resume_flow', OperationDefinition> = {
    flow: { handle: async (ctx) => (await load()).flow.handle(ctx) },
    resume_flow: { handle: async (ctx) => (await load()).resume_flow.handle(ctx) },
  };

  // The template check on save: one row validator reporting each step's own problems (row, field, code).
  const checked = new WeakMap<object, readonly Issue[]>();
  const stepsCheck: Validator = {
    name: 'flow_template_steps', table: 'steps', inputs: ['step_id'],
    validate: (row, parent) => {
      let issues = checked.get(parent);
      if (!issues) {
        const rows = Array.isArray(parent.steps) ? (parent.steps as DocData[]) : [];
        const r = checkFlow(rows, env);
        issues = r.ok ? [] : r.issues;
        checked.set(parent, issues);
      }
      const rows = Array.isArray(parent.steps) ? (parent.steps as DocData[]) : [];
      const position = rows.indexOf(row) + 1;
      return issues.filter((i) => i.row === position).map((i) => ({ message: i.message, field: i.field ?? 'step_id', code: i.code }));
    },
  };
  const own = options.rules?.[FLOW_TEMPLATE];
  return {
    ...options,
    registry,
    adapter,
    operations: { ...(options.operations ?? {}), ...operations },
    rules: { ...(options.rules ?? {}), [FLOW_TEMPLATE]: { ...(own ?? {}), validators: [...(own?.validators ?? []), stepsCheck] } },
    appendOnly: [...(options.appendOnly ?? []), ...(options.storeRuns ? [FLOW_STATE] : [])],
  };
}

/**
 * Follow a stored document to the step run that last wrote it, that run's flow and the flow's template
 * (needs `storeRuns`).
 * @param engine - an engine created with {@link withFlows}
 * @param doctype - the document's DocType
 * @param name - its name
 * @returns the trace
 */
export async function traceFlow(engine: Engine, doctype: string, name: string): Promise<FlowTrace> {
  const trace = await engine.trace(doctype, name);
  const last = trace.last;
  const step = last && typeof last.step_id === 'string' && last.step_id ? last : undefined;
  const flowId = step && typeof step.flow_id === 'string' ? step.flow_id : undefined;
  const storage = engine.adapter;
  let flow = flowId ? await storage.get(RUN_DOCTYPE, flowId) : undefined;
  let state: FlowState | undefined;
  if (flowId && engine.registry.has(FLOW_STATE)) {
    const { storageStateStore } = await import('./state');
    state = await storageStateStore(() => storage).get(flowId);
  }
  // An interrupted flow's own run never settled: its last resume run stands for it.
  for (const run of [...(state?.runs ?? [])].reverse()) {
    if (flow) break;
    flow = await storage.get(RUN_DOCTYPE, run);
  }
  const input = flow?.input ? (typeof flow.input === 'string' ? JSON.parse(flow.input) : flow.input) as Record<string, unknown> : undefined;
  const templateName = state?.template ?? (typeof input?.template === 'string' ? input.template : undefined);
  const template = templateName ? await storage.get(FLOW_TEMPLATE, templateName) : undefined;
  return { ...trace, step, flow, state, template };
}

/**
 * `createEngine(withFlows(options, config))`, with a `trace()` that follows documents through flows.
 * @param options - the engine's options
 * @param config - see {@link FlowConfig}
 * @returns the engine
 */
export function createFlowEngine(options: EngineOptions = {}, config: FlowConfig = {}): FlowEngine {
  const engine = createEngine(withFlows(options, config));
  return { ...engine, trace: (doctype, name) => traceFlow(engine, doctype, name) };
}
