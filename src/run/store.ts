/**
 * The in-memory run store: the latest record of each run, bounded (the oldest run is evicted first), with
 * lookups by name, the run tree (parent and children both ways), queries by status / DocType / operation /
 * flow, and subscriptions to every change.
 *
 * @module
 */
import type { RunRecord, RunStatus } from './types';

/** A run and its descendants. */
export interface RunTree {
  readonly run: RunRecord;
  readonly children: readonly RunTree[];
}

/** Filters of {@link RunStore.query}; all given ones must hold. */
export interface RunQuery {
  readonly status?: RunStatus;
  /** Matches either `source_doctype` or `target_doctype`. */
  readonly doctype?: string;
  readonly operation?: string;
  readonly flow_id?: string;
  readonly owner?: string;
  readonly agent?: string;
}

/** A bounded store of run records. */
export interface RunStore {
  /** The latest record of a run, or `undefined` (never stored, or evicted). */
  get(name: string): RunRecord | undefined;
  /** The whole tree the run belongs to, from its root (the furthest ancestor still in the store). */
  tree(name: string): RunTree | undefined;
  /** Records matching every filter, oldest first. */
  query(filter?: RunQuery): RunRecord[];
  /** Called with each new or changed record. @returns unsubscribe */
  subscribe(listener: (run: RunRecord) => void): () => void;
  /** How many runs are kept. */
  readonly size: number;
  /** @internal Add or replace a record. */
  put(run: RunRecord): void;
}

/**
 * Create a run store.
 * @param max - runs kept; adding one more evicts the oldest @default 1000
 * @param onListenerError - called when a subscriber throws @default ignore
 * @returns the store
 */
export function createRunStore(max = 1000, onListenerError: (error: unknown) => void = () => {}): RunStore {
  const runs = new Map<string, RunRecord>();
  const listeners = new Set<(run: RunRecord) => void>();
  return {
    get: (name) => runs.get(name),
    get size() {
      return runs.size;
    },
    tree(name) {
      let run = runs.get(name);
      if (!run) return undefined;
      const seen = new Set<string>([run.name]);
      while (run.parent_run_id && runs.has(run.parent_run_id) && !seen.has(run.parent_run_id)) {
        seen.add(run.parent_run_id);
        run = runs.get(run.parent_run_id)!;
      }
      const build = (r: RunRecord, path: Set<string>): RunTree => ({
        run: r,
        children: r.child_run_ids
          .filter((id) => runs.has(id) && !path.has(id))
          .map((id) => build(runs.get(id)!, new Set([...path, id]))),
      });
      return build(run, new Set([run.name]));
    },
    query(filter = {}) {
      return [...runs.values()].filter((r) =>
        (filter.status === undefined || r.status === filter.status) &&
        (filter.doctype === undefined || r.source_doctype === filter.doctype || r.target_doctype === filter.doctype) &&
        (filter.operation === undefined || r.operation === filter.operation) &&
        (filter.flow_id === undefined || r.flow_id === filter.flow_id) &&
        (filter.owner === undefined || r.owner === filter.owner) &&
        (filter.agent === undefined || r.agent === filter.agent));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    put(run) {
      // Re-inserting keeps a run's age by first insertion: delete only when new.
      if (!runs.has(run.name)) {
        while (runs.size >= max) runs.delete(runs.keys().next().value!);
      }
      runs.set(run.name, run);
      for (const l of [...listeners]) {
        try {
          l(run);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
  };
}
