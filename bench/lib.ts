/**
 * Tiny harness over tinybench: every figure is printed as a ratio against a baseline measured in the same
 * process, in the same run (DEVELOPERS.md: never an absolute time alone, never a timed unit test).
 */
import { Bench } from 'tinybench';

export interface Measured {
  readonly name: string;
  /** Mean time per call, in milliseconds. */
  readonly mean: number;
  /** Relative margin of error, percent. */
  readonly rme: number;
}

/** Run the tasks in one Bench (interleaved warm-up, same process) and return their mean latencies. */
export async function measure(tasks: Record<string, () => unknown>, options: { time?: number } = {}): Promise<Record<string, Measured>> {
  const bench = new Bench({ time: options.time ?? 700, warmupTime: 150 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const out: Record<string, Measured> = {};
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`bench task ${task.name} did not complete: ${r.state}${'error' in r ? ` ${String(r.error)}` : ''}`);
    out[task.name] = { name: task.name, mean: r.latency.mean, rme: r.latency.rme };
  }
  return out;
}

/** Format a duration in a readable unit. */
export function fmt(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

/**
 * Print one comparison line: `ours` against `baseline`, with the goal and whether it is met.
 * @param goal e.g. `{ max: 2 }` (ours/baseline must be at most 2) or `{ minSpeedup: 20 }` (baseline/ours at least 20)
 */
export function report(label: string, ours: Measured, baseline: Measured, goal?: { max?: number; minSpeedup?: number }): string {
  const ratio = ours.mean / baseline.mean;
  let verdict = '';
  if (goal?.max !== undefined) verdict = ratio <= goal.max ? `  goal <= ${goal.max}x: met` : `  goal <= ${goal.max}x: NOT met`;
  if (goal?.minSpeedup !== undefined) {
    const speedup = baseline.mean / ours.mean;
    verdict = speedup >= goal.minSpeedup ? `  goal >= ${goal.minSpeedup}x faster: met (${speedup.toFixed(1)}x)` : `  goal >= ${goal.minSpeedup}x faster: NOT met (${speedup.toFixed(1)}x)`;
  }
  const line = `${label.padEnd(58)} ${ratio.toFixed(3).padStart(9)}x  (${fmt(ours.mean)} vs ${fmt(baseline.mean)} ${baseline.name})${verdict}`;
  console.log(line);
  return line;
}

/** Seeded PRNG (mulberry32) so generated inputs are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two measurements in alternating rounds (after one warm-up round of each), so JIT warm-up and the machine's
 * load drift hit both sides alike: the median per call of each side.
 * @param clock - milliseconds now: wall time unless given (e.g. this process's CPU time)
 */
export async function paired(a: [string, () => Promise<void>], b: [string, () => Promise<void>], calls: number, rounds = 5, clock: () => number = () => performance.now()): Promise<[Measured, Measured]> {
  await a[1]();
  await b[1]();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [side, times] of [[a, ta], [b, tb]] as const) {
      const start = clock();
      await side[1]();
      times.push((clock() - start) / calls);
    }
  }
  const mid = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)] as number;
  return [{ name: a[0], mean: mid(ta), rme: 0 }, { name: b[0], mean: mid(tb), rme: 0 }];
}
