/**
 * Service adapters: which one serves an operation (explicit `options.adapter` > the per-operation default >
 * the engine default > built-in > `NO_ADAPTER`), and the three limits run() enforces on every call: the
 * roles allowed to call it, its rate limit, its timeout. Adapter code is registered in code only; its
 * configuration may come from a stored document, which is read as data and never executed.
 *
 * @module
 */
import { isAdministrator, roleMatcher } from '../permissions/roles';
import type { User } from '../env';
import { RunFailure } from './codes';
import type { AbortSignalLike, ServiceAdapter } from './types';
import type { StorageSession } from '../storage/types';

// Timers exist in every browser and in Node; declared here because src/ compiles without DOM or Node typings.
declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** The outcome of routing: a service adapter, or the built-in implementation. */
export type Route = { readonly kind: 'adapter'; readonly adapter: ServiceAdapter } | { readonly kind: 'builtin' };

const serves = (a: ServiceAdapter, operation: string) => !a.operations || a.operations.includes(operation);

/**
 * Pick what serves an operation (pure).
 * @param operation - canonical operation name
 * @param explicit - `options.adapter`, if given
 * @param adapters - registered adapters by name
 * @param perOperation - default adapter name per operation
 * @param engineDefault - the engine's default adapter name
 * @param hasBuiltin - whether a built-in or registered custom operation exists
 * @returns the route
 * @throws {RunFailure} `NO_ADAPTER` when a named adapter is missing or does not serve the operation, or nothing serves it
 */
export function routeOperation(
  operation: string,
  explicit: string | undefined,
  adapters: ReadonlyMap<string, ServiceAdapter>,
  perOperation: Readonly<Record<string, string>>,
  engineDefault: string | undefined,
  hasBuiltin: boolean,
): Route {
  const named = (name: string, why: string): Route => {
    const adapter = adapters.get(name);
    if (!adapter) throw new RunFailure('NO_ADAPTER', `No adapter named "${name}" (${why})`);
    if (!serves(adapter, operation)) throw new RunFailure('NO_ADAPTER', `Adapter "${name}" does not serve operation "${operation}" (${why})`);
    return { kind: 'adapter', adapter };
  };
  if (explicit !== undefined) return named(explicit, 'options.adapter');
  const perOp = Object.hasOwn(perOperation, operation) ? perOperation[operation] : undefined;
  if (perOp !== undefined) return named(perOp, `default adapter of operation "${operation}"`);
  if (engineDefault !== undefined) {
    const adapter = adapters.get(engineDefault);
    if (adapter && serves(adapter, operation)) return { kind: 'adapter', adapter };
  }
  if (hasBuiltin) return { kind: 'builtin' };
  throw new RunFailure('NO_ADAPTER', `Nothing serves operation "${operation}": register an adapter or an operation for it`);
}

/**
 * The roles check: Administrator always, otherwise one of `adapter.roles` (none listed: everyone).
 * @param adapter - the adapter
 * @param user - the human the run is for
 * @throws {RunFailure} `ADAPTER_FORBIDDEN`
 */
export function checkAdapterRoles(adapter: ServiceAdapter, user: User): void {
  if (!adapter.roles || adapter.roles.length === 0 || isAdministrator(user)) return;
  const has = roleMatcher(user);
  if (!adapter.roles.some(has)) {
    throw new RunFailure('ADAPTER_FORBIDDEN', `User ${user.name} may not call adapter "${adapter.name}" (needs one of: ${adapter.roles.join(', ')})`);
  }
}

/** Fixed-window counters per adapter, on the engine clock (in process, or in storage: `shared-state.ts`). */
export interface RateLimiter {
  /**
   * Count one call.
   * @throws {RunFailure} `RATE_LIMITED` when the window's limit is used up
   */
  take(adapter: ServiceAdapter, nowMs: number, session?: StorageSession): void | Promise<void>;
}

/** Create a rate limiter (one window per adapter name). */
export function createRateLimiter(): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(adapter, nowMs) {
      const limit = adapter.rate_limit;
      if (!limit) return;
      let w = windows.get(adapter.name);
      if (!w || nowMs - w.start >= limit.interval_ms) windows.set(adapter.name, (w = { start: nowMs, count: 0 }));
      if (w.count >= limit.limit) {
        throw new RunFailure('RATE_LIMITED', `Adapter "${adapter.name}" allows ${limit.limit} calls per ${limit.interval_ms} ms; try again later`);
      }
      w.count++;
    },
  };
}

/**
 * Run `work` with the adapter's timeout.
 * @param adapter - the adapter (its `timeout` in ms, if any)
 * @param work - receives a signal that turns `aborted` when the time is up
 * @returns what `work` resolved to
 * @throws {RunFailure} `ADAPTER_TIMEOUT`
 */
export async function withTimeout<T>(
  adapter: ServiceAdapter, work: (signal: AbortSignalLike) => Promise<T>, caller?: AbortSignalLike,
): Promise<T> {
  const controller = newAbortController();
  const signal = controller.signal;
  const stops: Promise<never>[] = [];
  let handle: unknown;
  let unlisten = () => {};
  if (adapter.timeout !== undefined) {
    stops.push(new Promise<never>((_, reject) => {
      handle = setTimeout(() => {
        controller.abort();
        reject(new RunFailure('ADAPTER_TIMEOUT', `Adapter "${adapter.name}" did not answer within ${adapter.timeout} ms`));
      }, adapter.timeout!);
    }));
  }
  if (caller?.addEventListener) {
    stops.push(new Promise<never>((_, reject) => {
      const onAbort = () => {
        controller.abort();
        reject(new RunFailure('ABORTED', `The run was aborted while adapter "${adapter.name}" worked`));
      };
      if (caller.aborted) onAbort();
      caller.addEventListener!('abort', onAbort, { once: true });
      unlisten = () => caller.removeEventListener?.('abort', onAbort);
    }));
  }
  try {
    return await (stops.length ? Promise.race([work(signal), ...stops]) : work(signal));
  } finally {
    clearTimeout(handle);
    unlisten();
  }
}

/** A real `AbortController` where the platform has one (every browser, Node 16+), else a minimal stand-in. */
function newAbortController(): { readonly signal: AbortSignalLike; abort(): void } {
  const Ctor = (globalThis as { AbortController?: new () => { signal: AbortSignalLike; abort(): void } }).AbortController;
  if (Ctor) return new Ctor();
  const signal = { aborted: false };
  return { signal, abort: () => { signal.aborted = true; } };
}
