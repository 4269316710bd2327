import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { memoryCounters } from '../../src/naming/counters';

describe('memoryCounters', () => {
  it('creates a counter at 0 and increments it (getseries: a new key returns 1)', async () => {
    const c = memoryCounters();
    expect(await c.current('SINV-')).toBe(0);
    expect(await c.next('SINV-')).toBe(1);
    expect(await c.next('SINV-')).toBe(2);
    expect(await c.current('SINV-')).toBe(2);
  });

  it('keeps one counter per key, including the empty key and prototype-like keys', async () => {
    const c = memoryCounters({ A: 5 });
    expect(await c.next('A')).toBe(6);
    expect(await c.next('B')).toBe(1);
    expect(await c.next('')).toBe(1);
    expect(await c.next('__proto__')).toBe(1);
    expect(await c.next('constructor')).toBe(1);
    expect(await c.current('A')).toBe(6);
  });

  it('set() moves the counter so next() continues from it', async () => {
    const c = memoryCounters();
    await c.set('X', 41);
    expect(await c.next('X')).toBe(42);
  });

  it('gives distinct consecutive numbers to many concurrent next() calls', async () => {
    const c = memoryCounters();
    const got = await Promise.all(Array.from({ length: 500 }, () => c.next('K')));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(await c.current('K')).toBe(500);
  });

  it('rejects non-integer values with a typed error', async () => {
    expect(() => memoryCounters({ A: 1.5 })).toThrow(CoworkerError);
    await expect(memoryCounters().set('A', Number.NaN)).rejects.toMatchObject({ code: 'NAMING_COUNTER_INVALID' });
  });
});
