/**
 * Fault injection for adapters: make a chosen step of a write throw, to prove that a failed write leaves
 * storage exactly as it was. Works with any adapter that has the `write_steps` capability.
 *
 * @module
 */
import { StorageError } from './errors';
import { getMany } from './many';
import { updateWhere } from './update-where';
import type { StorageAdapter, WriteOp, WriteStep } from './types';

/** Which step to fail. */
export interface FaultPlan {
  /** The kind of step (`begin`, `parent`, `row`, `commit`). */
  readonly kind: WriteStep['kind'];
  /** Only steps of this operation. @default undefined (any) */
  readonly op?: WriteOp | 'transaction' | undefined;
  /** For `row` steps: only the row step with this 0-based index within its write. @default undefined (any) */
  readonly index?: number | undefined;
  /** Fail at the nth matching step (1-based), counted across writes. @default 1 */
  readonly nth?: number | undefined;
  /** Keep failing at every matching step after the nth. @default false */
  readonly repeat?: boolean | undefined;
  /** What to throw. @default a StorageError `STORAGE_FAILURE` naming the step */
  readonly error?: Error | undefined;
}

/** An adapter with a fault plan, and what it observed. */
export interface FaultyAdapter extends StorageAdapter {
  /** Every step reported so far (including the failed ones), oldest first. */
  readonly steps: readonly WriteStep[];
  /** How many times the fault fired. */
  readonly fired: number;
}

function describe(step: WriteStep): string {
  if (step.kind === 'commit' && step.op === 'transaction') return 'transaction commit';
  if (step.kind === 'row') return `${step.op} ${step.doctype} ${step.name}: row ${step.index} (${step.action} ${step.childDoctype} ${step.row})`;
  return `${step.op} ${step.doctype} ${step.name}: ${step.kind}`;
}

function matchesPlan(plan: FaultPlan, step: WriteStep): boolean {
  if (step.kind !== plan.kind) return false;
  if (plan.op !== undefined && step.op !== plan.op) return false;
  return plan.index === undefined || (step.kind === 'row' && step.index === plan.index);
}

/**
 * Wrap an adapter so the step chosen by `plan` throws. The wrapper shares the adapter's data; only writes
 * made through the wrapper (and its transactions) are observed.
 *
 * @example
 * const faulty = withFaults(storage, { kind: 'row', index: 1 });
 * await expect(faulty.insert('Sales Order', order)).rejects.toThrow(); // the second row failed
 * await storage.exists('Sales Order', order.name); // false: nothing was written
 *
 * @param adapter - an adapter with the `write_steps` capability
 * @param plan - which step to fail
 * @returns the wrapped adapter
 * @throws {StorageError} `STORAGE_FAILURE` when the adapter cannot report write steps
 */
export function withFaults(adapter: StorageAdapter, plan: FaultPlan): FaultyAdapter {
  if (!adapter.withStepHook || !adapter.capabilities.has('write_steps')) {
    throw new StorageError('STORAGE_FAILURE', `${adapter.name} storage does not report write steps, so faults cannot be injected`);
  }
  const steps: WriteStep[] = [];
  let matched = 0;
  let fired = 0;
  const nth = plan.nth ?? 1;
  const view = adapter.withStepHook((step) => {
    steps.push(step);
    if (!matchesPlan(plan, step)) return;
    matched++;
    if (matched === nth || (plan.repeat === true && matched > nth)) {
      fired++;
      throw plan.error ?? new StorageError('STORAGE_FAILURE', `injected fault at ${describe(step)}`);
    }
  });
  // Explicit delegation (not spread or a prototype link): class-based adapters keep their `this`.
  const faulty: FaultyAdapter = {
    name: view.name,
    capabilities: view.capabilities,
    counters: view.counters,
    get steps() {
      return steps;
    },
    get fired() {
      return fired;
    },
    prepare: (doctypes) => view.prepare(doctypes),
    get: (doctype, name, options) => view.get(doctype, name, options),
    getMany: (doctype, names, options) => getMany(view, doctype, names, options),
    updateWhere: (doctype, where, values) => updateWhere(view, doctype, where, values),
    query: (doctype, query) => view.query(doctype, query),
    count: (doctype, where) => view.count(doctype, where),
    exists: (doctype, name) => view.exists(doctype, name),
    insert: (doctype, doc) => view.insert(doctype, doc),
    update: (doctype, doc, expectedModified) => view.update(doctype, doc, expectedModified),
    delete: (doctype, name) => view.delete(doctype, name),
    transaction: (fn, options) => view.transaction(fn, options),
  };
  return faulty;
}
