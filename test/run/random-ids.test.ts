/**
 * `randomIds` draws its bytes from a Web Crypto pool (one call per 4 kB): names stay Frappe-shaped, distinct
 * across pool refills, and a caller never shares bytes with another (uuid() sets its version bits on its own copy).
 */
import { describe, expect, it } from 'vitest';
import { randomIds } from '../../src/env';

describe('randomIds', () => {
  it('hands out distinct 10-hex names and v4 UUIDs across several pool refills', () => {
    const names = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const h = randomIds.hash();
      expect(h).toMatch(/^[0-9a-f]{10}$/);
      names.add(h);
      if (i % 100 === 0) expect(randomIds.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(names.size).toBe(3000);
    expect(randomIds.hash(7)).toMatch(/^[0-9a-f]{7}$/);
    expect(randomIds.hash(20000)).toMatch(/^[0-9a-f]{20000}$/);
  });
});
