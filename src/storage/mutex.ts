/**
 * A promise-chain mutex: callers run one at a time, in call order.
 *
 * @module
 */

/** Runs tasks one at a time, in the order they were submitted. */
export interface Mutex {
  /**
   * Run `task` once every earlier task has settled.
   * @param task - the work; may be sync or async
   * @returns what `task` returns (a rejection is passed on and does not block later tasks)
   */
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

/**
 * Create a mutex.
 * @returns a new, free mutex
 */
export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => T | Promise<T>): Promise<T> {
      const result = tail.then(task);
      // The chain continues whatever the task did; the caller still sees the rejection through `result`.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}
