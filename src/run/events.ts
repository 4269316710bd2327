/**
 * Run events through mitt: `before`, `after` (success), `error`, `settled` (always last), each with the run
 * record. Listeners are wrapped so a throwing listener is reported (the engine's `onListenerError`) and never
 * breaks or changes a run.
 *
 * @module
 */
import mitt from 'mitt';
import type { RunEventName, RunEvents, RunRecord } from './types';

/** Subscribe / emit with isolated listeners. */
export interface RunEmitter {
  /** Listen to one event. @returns unsubscribe */
  on<K extends RunEventName>(event: K, listener: (run: RunRecord) => void): () => void;
  /** @internal */
  emit(event: RunEventName, run: RunRecord): void;
}

/**
 * Create the emitter.
 * @param onListenerError - called with what a listener threw @default ignore
 * @returns the emitter
 */
export function createRunEmitter(onListenerError: (error: unknown, event: RunEventName, run: RunRecord) => void = () => {}): RunEmitter {
  const bus = mitt<RunEvents>();
  return {
    on(event, listener) {
      const safe = (run: RunRecord) => {
        try {
          listener(run);
        } catch (error) {
          try {
            onListenerError(error, event, run);
          } catch {
            // The error reporter itself failed: nothing sensible is left to do, and the run must go on.
          }
        }
      };
      bus.on(event, safe);
      return () => bus.off(event, safe);
    },
    emit(event, run) {
      bus.emit(event, run);
    },
  };
}
