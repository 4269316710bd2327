/**
 * The differential suite: every scenario of `scenarios/` played on the real Frappe v15 site (the oracle) and
 * through `engine.run`, compared step by step. It fails on any disagreement that `known-differences.md` does
 * not list with its reason, and writes the agreement figures docs/fidelity.md quotes.
 *
 * Runs only with FRAPPE_ORACLE=1 (`npm run test:oracle`, and `.ci/run` after the oracle's setup succeeded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from './compare';
import { ORACLE_ENABLED, skipReason, startOracle, type Oracle } from './harness';
import { describeCheck, knownFor, loadKnown } from './known';
import { playScenario } from './play';
import { figures, writePart } from './report';
import { expandSteps, loadScenarios } from './scenario';

const scenarios = loadScenarios();
const known = loadKnown();

describe('oracle scenarios (data)', () => {
  it('have unique step keys and at least 300 steps over §2-§8', () => {
    const steps = scenarios.flatMap(expandSteps);
    expect(steps.length).toBeGreaterThanOrEqual(300);
    expect(new Set(steps.map((s) => s.area.split(' ')[0]))).toEqual(new Set(['§2', '§3', '§4', '§5', '§6', '§7', '§8']));
  });
});

if (!ORACLE_ENABLED) {
  // One line, so the suite's absence is visible in every `npm test` output.
  console.log(skipReason());
}

describe.runIf(ORACLE_ENABLED)('Frappe v15 oracle: scenarios', () => {
  let oracle: Oracle;
  const all: Check[] = [];

  beforeAll(async () => {
    oracle = await startOracle();
  }, 180_000);

  afterAll(async () => {
    await oracle?.close();
    if (all.length === 0) return;
    writePart(figures('Scenarios', 'steps', all, known));
    const seen = new Set(all.filter((c) => !c.agree).map((c) => knownFor(c, known)).filter(Boolean));
    // Entries whose reason says the order varies are allowed to agree on some runs.
    const stale = known.filter((k) => !seen.has(k) && !k.reason.includes('varies from run to run')
      && scenarios.some((s) => k.key.startsWith(`${s.name}#`) || k.key.startsWith('*')));
    // A listed difference that no longer occurs: fixed (perhaps by a merged branch); delete its row.
    for (const k of stale) console.warn(`known-differences.md:${k.line}: ${k.key} ${k.aspect} no longer differs: remove it`);
  });

  for (const scenario of scenarios) {
    it(`${scenario.name}: every disagreement is a known difference`, async () => {
      const result = await playScenario(oracle, scenario);
      all.push(...result.checks);
      const unexpected = result.checks.filter((c) => !c.agree && !knownFor(c, known));
      expect(unexpected.map(describeCheck)).toEqual([]);
    }, 600_000);
  }
});
