/** Engines with flows over the fixture app, and custom operations that wait, fail and record timings. */
import { fixedClock, sequentialIds } from '../../src/env';
import { createFlowEngine, type FlowConfig } from '../../src/flow/index';
import { RunFailure } from '../../src/run/codes';
import type { EngineOptions, OperationDefinition } from '../../src/run/types';
import { memoryAdapter } from '../../src/storage/memory';
import { appDoctypes, MANAGER } from '../run/helpers';

export { ADMIN, MANAGER, SALES_USER, SYSTEM_MANAGER } from '../run/helpers';

/** Start and end (performance.now) of each `wait` call, by label. */
export type Timings = Map<string, { start: number; end: number }>;

/** Custom operations for flow tests: `wait` (input.ms, input.label), `flaky` (fails input.failures times with input.code). */
export function testOperations(timings: Timings = new Map()): Record<string, OperationDefinition> {
  const calls = new Map<string, number>();
  return {
    wait: {
      async handle({ request }) {
        const label = String(request.input?.label ?? '');
        const start = performance.now();
        await new Promise((r) => setTimeout(r, Number(request.input?.ms ?? 0)));
        timings.set(label, { start, end: performance.now() });
        return { data: [{ label, value: request.input?.value ?? null }] };
      },
    },
    flaky: {
      handle({ request }) {
        const key = String(request.input?.key ?? 'k');
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (n <= Number(request.input?.failures ?? 0)) throw new RunFailure(request.input?.code as never ?? 'ADAPTER_TIMEOUT', `attempt ${n} failed`);
        return { data: [{ key, attempts: n }] };
      },
    },
  };
}

/** A flow engine over the fixture app (memory unless given), as Sales Manager, fixed clock, sequential ids. */
export function flowEngine(options: EngineOptions = {}, config: FlowConfig = {}) {
  return createFlowEngine({
    doctypes: appDoctypes(), adapter: memoryAdapter(), user: MANAGER, clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(),
    operations: testOperations(), ...options,
  }, { sleep: async () => {}, ...config });
}
