import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryCounters } from '../../src/naming/counters';
import { namingSeriesPrefix, parseNamingSeries } from '../../src/naming/series';
import { context } from './helpers';

// Series made of the parts Frappe knows: literals, date tokens, field references and # runs.
const part = fc.oneof(
  fc.constantFrom('YY', 'MM', 'DD', 'YYYY', 'WW', '{branch}', 'branch', '-', '/', ''),
  fc.stringMatching(/^[A-Z]{1,4}$/),
  fc.integer({ min: 1, max: 6 }).map((n) => '#'.repeat(n)),
);
const series = fc.array(part, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('.'));

describe('naming series properties', () => {
  it('parseNamingSeries draws from exactly the key namingSeriesPrefix reports, once', async () => {
    await fc.assert(
      fc.asyncProperty(series, fc.constantFrom('NYC', 'LA'), async (s, branch) => {
        const full = s.includes('#') ? s : `${s}.#####`;
        const doc = { branch };
        const counters = memoryCounters();
        const ctx = context({ counters });
        const key = namingSeriesPrefix(full, doc, ctx);
        const name = await parseNamingSeries(full, doc, ctx);
        expect(await counters.current(key)).toBe(1);
        expect(name.startsWith(key)).toBe(true);
        // the number right after the key is 1, zero-padded to the first # run's width
        const digits = full.split('.').find((p) => p.startsWith('#'))!.length;
        expect(name.slice(key.length, key.length + digits)).toBe('1'.padStart(digits, '0'));
      }),
      { numRuns: 300 },
    );
  });
});
