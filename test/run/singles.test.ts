/**
 * Single DocTypes on the memory adapter: the shared scenario (singles-scenario.ts), plus what only the run
 * layer decides (unknown fields in ctx.db, a Single named otherwise refused by storage).
 */
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../src/storage/memory';
import { createRegistry } from '../../src/schema/registry';
import { benchAvailable } from '../helpers/bench';
import { singleDoctypes, singlesScenario } from './singles-scenario';

describe.skipIf(!benchAvailable)('Single DocTypes (memory)', () => {
  it('get with defaults, first update creates, create saves into it, rows, select, ctx.db, permissions, delete', async () => {
    await singlesScenario(memoryAdapter());
  });

  it('storage refuses a Single document named otherwise', async () => {
    const registry = createRegistry(singleDoctypes());
    const adapter = memoryAdapter({ doctypes: registry.list() });
    await expect(adapter.insert('HR Settings', { name: 'Other' })).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
    await adapter.insert('HR Settings', { name: 'HR Settings', frequency: 'Monthly' });
    expect(await adapter.get('HR Settings', 'HR Settings')).toMatchObject({ frequency: 'Monthly' });
  });
});
