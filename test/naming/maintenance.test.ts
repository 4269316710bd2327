import { describe, expect, it } from 'vitest';
import { memoryCounters } from '../../src/naming/counters';
import { appendNumberIfNameExists, revertSeriesIfLast } from '../../src/naming/maintenance';
import { context } from './helpers';

describe('revertSeriesIfLast (test_naming.py test_revert_series; the clock year is 2024)', () => {
  it.each([
    // [counter key in tabSeries, series key, deleted name, current before, current after]
    ['TEST-2024-', 'TEST-.YYYY.-', 'TEST-2024-00001', 1, 0],
    ['TEST-2024-', 'TEST-.YYYY.-.#####', 'TEST-2024-00002', 2, 1],
    ['TEST-', 'TEST-', 'TEST-00003', 3, 2],
    ['TEST1-', 'TEST1-.#####.-2021-22', 'TEST1-00003-2021-22', 3, 2],
    ['', '.#####.-2021-22', '00003-2021-22', 3, 2],
  ])('%j: %s / %s', async (counter, key, name, before, after) => {
    const ctx = context({ counters: memoryCounters({ [counter]: before }) });
    await revertSeriesIfLast(key, name, ctx);
    expect(await ctx.counters.current(counter)).toBe(after);
  });

  it('leaves the counter alone when the name is not the last one', async () => {
    const ctx = context({ counters: memoryCounters({ 'TEST-2024-': 5 }) });
    await revertSeriesIfLast('TEST-.YYYY.-.#####', 'TEST-2024-00004', ctx);
    expect(await ctx.counters.current('TEST-2024-')).toBe(5);
  });

  it('parses field parts of the key from the document', async () => {
    const ctx = context({ counters: memoryCounters({ 'INV-NYC-': 7 }) });
    await revertSeriesIfLast('INV-.{branch}.-.###', 'INV-NYC-007', ctx, { branch: 'NYC' });
    expect(await ctx.counters.current('INV-NYC-')).toBe(6);
  });

  it('never creates a counter at -1', async () => {
    const ctx = context();
    await revertSeriesIfLast('X-', 'X-', ctx);
    expect(await ctx.counters.current('X-')).toBe(0);
  });
});

describe('appendNumberIfNameExists (test_naming.py test_append_number_if_name_exists)', () => {
  it('Bottle exists → Bottle-1; with "_" → Bottle_1', async () => {
    expect(await appendNumberIfNameExists('Bottle', ['Bottle'])).toBe('Bottle-1');
    expect(await appendNumberIfNameExists('Bottle', ['Bottle'], '_')).toBe('Bottle_1');
  });

  it('a free value is returned unchanged', async () => {
    expect(await appendNumberIfNameExists('Bottle', ['Jar', 'Bottle-1'])).toBe('Bottle');
  });

  it('continues after the longest, then greatest, existing number', async () => {
    const names = ['Bottle', 'Bottle-1', 'Bottle-9', 'Bottle-10', 'Bottle-x', 'Bottle-2-3', 'Bottles-40'];
    // length first: Bottle-10 beats Bottle-9 although "9" > "1" as text
    expect(await appendNumberIfNameExists('Bottle', names)).toBe('Bottle-11');
  });

  it('escapes regex characters of the value', async () => {
    expect(await appendNumberIfNameExists('a.b', ['a.b', 'aXb-5'])).toBe('a.b-1');
  });

  it('with an exists() callback: the first free number', async () => {
    const taken = new Set(['Bottle', 'Bottle-1', 'Bottle-2']);
    expect(await appendNumberIfNameExists('Bottle', async (n) => taken.has(n))).toBe('Bottle-3');
    expect(await appendNumberIfNameExists('Jar', (n) => taken.has(n))).toBe('Jar');
  });
});
