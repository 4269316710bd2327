/**
 * A flow's durable progress: one `Flow State` document per flow run (named by it), saved when the flow starts
 * and after every step settles, so `resume_flow` can run only what did not complete. With the engine's
 * `storeRuns` the states live in storage next to the `Run` documents (they survive the process); without it,
 * in memory for the engine's lifetime. The flow operations write them directly (like the engine writes `Run`
 * documents): they are bookkeeping, read-only to users.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { RunError, RunOutput } from '../run/index';
import type { StorageSession } from '../storage/types';
import { FLOW_STATE } from './doctypes';
import type { FlowStep } from './template';

/** Where a step stands. `not_run`: the flow stopped before it could start. */
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'not_run';

/** One step's result, as `output.meta.steps` lists it and the state stores it. */
export interface StepResult {
  readonly step_id: string;
  readonly status: StepStatus;
  /** The run of the last attempt. */
  readonly run: string | null;
  /** Every attempt's run, in order. */
  readonly runs: readonly string[];
  readonly output: RunOutput | null;
  readonly error: RunError | null;
  /** Why it was skipped or not run; for failures, the step and code. */
  readonly reason: string | null;
  /** The document the step wrote, if any. */
  readonly docname: string | null;
}

/** A flow's stored progress. */
export interface FlowState {
  /** The flow run's name (also the flow's `flow_id`). */
  readonly name: string;
  readonly owner: string;
  readonly template: string | null;
  readonly flow_type: string | null;
  readonly status: 'running' | 'completed' | 'failed';
  readonly idempotency_key: string | null;
  readonly agent: string | null;
  readonly steps: readonly FlowStep[];
  readonly data: unknown;
  readonly options: Readonly<Record<string, unknown>>;
  readonly results: Readonly<Record<string, StepResult>>;
  /** The flow run, then each `resume_flow` run. */
  readonly runs: readonly string[];
}

/** Save and find flow states. */
export interface FlowStateStore {
  get(name: string): Promise<FlowState | undefined>;
  /** The state of the caller's flow started with this key. */
  byKey(owner: string, key: string): Promise<FlowState | undefined>;
  /** Insert or replace (writes of one flow are serialised by the caller). */
  save(state: FlowState): Promise<void>;
}

/** States in memory (engines without `storeRuns`). */
export function memoryStateStore(): FlowStateStore {
  const states = new Map<string, FlowState>();
  return {
    get: async (name) => states.get(name),
    byKey: async (owner, key) => [...states.values()].find((s) => s.owner === owner && s.idempotency_key === key),
    save: async (state) => {
      states.set(state.name, JSON.parse(JSON.stringify(state)) as FlowState);
    },
  };
}

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function fromDoc(doc: DocData): FlowState {
  return {
    name: String(doc.name), owner: String(doc.owner ?? ''), template: (doc.template as string | null) ?? null, flow_type: (doc.flow_type as string | null) ?? null,
    status: doc.status as FlowState['status'], idempotency_key: (doc.idempotency_key as string | null) ?? null, agent: (doc.agent as string | null) ?? null,
    steps: (parse(doc.steps) ?? []) as FlowStep[], data: parse(doc.data) ?? null, options: (parse(doc.options) ?? {}) as Record<string, unknown>,
    results: (parse(doc.results) ?? {}) as Record<string, StepResult>, runs: (parse(doc.runs) ?? []) as string[],
  };
}

/** A strictly increasing Frappe timestamp per store (the storage update checks the previous one). */
function stamper(): () => string {
  let last = '';
  return () => {
    const d = new Date();
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    let s = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`;
    if (s <= last) s = `${last.slice(0, -6)}${p(Number(last.slice(-6)) + 1, 6)}`;
    last = s;
    return s;
  };
}

/** States stored as `Flow State` documents through a storage session. */
export function storageStateStore(storage: () => StorageSession): FlowStateStore {
  const next = stamper();
  return {
    async get(name) {
      const doc = await storage().get(FLOW_STATE, name);
      return doc ? fromDoc(doc) : undefined;
    },
    async byKey(owner, key) {
      const [doc] = await storage().query(FLOW_STATE, { where: { owner, idempotency_key: key }, orderBy: [{ creation: 'asc' }], take: 1 });
      return doc ? fromDoc(doc) : undefined;
    },
    async save(state) {
      const s = storage();
      const stored = await s.get(FLOW_STATE, state.name, { fields: ['name', 'modified', 'creation'] });
      const stamp = next();
      const doc = {
        name: state.name, owner: state.owner, modified_by: state.owner, creation: stored?.creation ?? stamp, modified: stamp, docstatus: 0,
        template: state.template, flow_type: state.flow_type, status: state.status, idempotency_key: state.idempotency_key, agent: state.agent,
        steps: JSON.parse(JSON.stringify(state.steps)), data: JSON.parse(JSON.stringify(state.data ?? null)), options: JSON.parse(JSON.stringify(state.options)),
        results: JSON.parse(JSON.stringify(state.results)), runs: [...state.runs],
      };
      if (stored) await s.update(FLOW_STATE, doc, stored.modified as string);
      else await s.insert(FLOW_STATE, doc);
    },
  };
}
