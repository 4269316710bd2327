/**
 * The value dependency graph of a DocType: which field values are computed or fetched from which.
 *
 * Only value-to-value edges (computed fields, fetch_from) can form a cycle: a condition reads values but
 * writes none, so `depends_on` edges are kept apart (`stateReaders`) and never make a cycle, matching Frappe,
 * where two fields may each show or hide the other.
 *
 * @module
 */
import toposort from 'toposort';
import { CoworkerError } from '../errors';

/** Thrown when computed fields / fetch_from form a cycle. `cycle` lists the fields in order, first repeated last. */
export class RulesCycleError extends CoworkerError {
  declare readonly code: 'RULES_CYCLE';
  readonly doctype: string;
  readonly cycle: readonly string[];

  constructor(doctype: string, cycle: readonly string[]) {
    super('RULES_CYCLE', `DocType "${doctype}": dependency cycle between fields ${cycle.join(' -> ')}`);
    this.doctype = doctype;
    this.cycle = cycle;
  }

  override get name(): string {
    return 'RulesCycleError';
  }
}

export interface ValueGraph {
  readonly order: readonly string[];
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

/**
 * Order value nodes so every node comes after the nodes it is computed from.
 * @param nodes every value node
 * @param edges `[from, to]`: `to` is computed / fetched from `from`
 * @throws RulesCycleError naming the fields of a cycle
 */
export function buildValueGraph(doctype: string, nodes: readonly string[], edges: ReadonlyArray<readonly [string, string]>): ValueGraph {
  const dependents = new Map<string, string[]>();
  for (const [from, to] of edges) {
    if (from === to) throw new RulesCycleError(doctype, [from, to]);
    const list = dependents.get(from);
    if (list) {
      if (!list.includes(to)) list.push(to);
    } else dependents.set(from, [to]);
  }
  let order: string[];
  try {
    order = toposort.array([...nodes], edges.map(([a, b]) => [a, b] as [string, string]));
  } catch (e) {
    throw new RulesCycleError(doctype, findCycle(dependents) ?? [String((e as Error).message)]);
  }
  return { order, dependents };
}

/** Depth-first search for one cycle, returned as a closed path (`a -> b -> a`). */
function findCycle(dependents: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 1);
    stack.push(node);
    for (const next of dependents.get(node) ?? []) {
      const s = state.get(next);
      if (s === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of dependents.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every node reachable from `start` through `dependents` (excluding `start` unless reachable again), in `order`. */
export function downstream(graph: ValueGraph, start: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const node = queue.pop()!;
    for (const next of graph.dependents.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return graph.order.filter((n) => seen.has(n));
}
