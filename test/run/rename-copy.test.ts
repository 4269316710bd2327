/** `rename` and `copy` on the memory adapter (test/run/rename-suite.ts), plus atomicity under an injected fault. */
import { expect, it } from 'vitest';
import { createEngine } from '../../src/run/index';
import { memoryAdapter } from '../../src/storage/memory';
import { withFaults } from '../../src/storage/faults';
import { doctypesFor, RENAME_DOCTYPES, renameCopySuite } from './rename-suite';

renameCopySuite('memory', () => memoryAdapter());

it('a rename failing at its commit leaves storage unchanged (memory, injected fault)', async () => {
  const inner = memoryAdapter();
  const engine0 = createEngine({ doctypes: doctypesFor(RENAME_DOCTYPES), adapter: inner, user: { name: 'Administrator', roles: ['Administrator'] } });
  await engine0.ready();
  await inner.insert('Customer', { name: 'C1', customer_name: 'C1', modified: '2024-01-01 00:00:00.000000' });
  await inner.insert('Sales Order', { name: 'SO-1', customer: 'C1', items: [{ name: 'r1', item_code: 'W' }] });
  const faulty = withFaults(inner, { kind: 'commit', op: 'transaction' });
  const engine = createEngine({ doctypes: doctypesFor(RENAME_DOCTYPES), adapter: faulty, user: { name: 'Administrator', roles: ['Administrator'] } });
  const r = await engine.run({ operation: 'rename', target_doctype: 'Customer', input: { data: { name: 'C1' }, new_name: 'C2' } });
  expect(r.success).toBe(false);
  expect(faulty.fired).toBe(1);
  expect(await inner.exists('Customer', 'C1')).toBe(true);
  expect(await inner.exists('Customer', 'C2')).toBe(false);
  expect((await inner.get('Sales Order', 'SO-1'))!.customer).toBe('C1');
});
