/**
 * Virtual fields: what a DocType's reads need (its Tables whose rows have virtual fields) is worked out once per
 * DocType, not on every read: the registry is asked for the child DocTypes when the set is built, and no more
 * however many documents are read. Rows of a child DocType without virtual fields are left as they are.
 */
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../src/storage/memory';
import { createRegistry } from '../../src/schema/registry';
import type { Registry } from '../../src/schema/registry';
import { compileVirtualFields } from '../../src/run/virtual-fields';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const ROW = { name: 'VP Row', istable: 1, module: 'Custom', fields: [f('qty', 'Int'), f('twice', 'Int', { is_virtual: 1, options: 'doc.qty * 2' })] };
const PLAIN_ROW = { name: 'VP Plain Row', istable: 1, module: 'Custom', fields: [f('note', 'Data')] };
const DOC = {
  name: 'VP Doc', module: 'Custom', autoname: 'hash', permissions: [],
  fields: [f('rows', 'Table', { options: 'VP Row' }), f('notes', 'Table', { options: 'VP Plain Row' })],
};

describe('virtual fields: the per-DocType plan', () => {
  it('asks the registry for child DocTypes once per DocType, not per read', async () => {
    const base = createRegistry([ROW, PLAIN_ROW, DOC]);
    let lookups = 0;
    const registry = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'tryGet') return (name: string) => { lookups++; return target.tryGet(name); };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Registry;
    const set = compileVirtualFields(registry);
    const dt = base.get('VP Doc');
    const ctx = { user: 'Administrator', now: new Date(0), timeZone: 'UTC', session: memoryAdapter(), getList: async () => [] };
    const doc = { name: 'd', rows: [{ name: 'r1', qty: 2 }, { name: 'r2', qty: 5 }], notes: [{ name: 'n1', note: 'x' }] };
    expect(set.has(dt)).toBe(true);
    const [first] = await set.apply(dt, [doc], ctx);
    expect((first!.rows as Record<string, unknown>[]).map((r) => r.twice)).toEqual([4, 10]);
    expect(first!.notes).toBe(doc.notes);
    const after = lookups;
    for (let i = 0; i < 20; i++) {
      expect(set.has(dt)).toBe(true);
      await set.apply(dt, [doc], ctx);
    }
    expect(lookups).toBe(after);
  });
});
