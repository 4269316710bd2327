/**
 * `select` checks each filtered, sorted or requested field against the DocType through its field index, not by
 * scanning the DocType's field list once per field: the number of scans of `fields` does not grow with the number
 * of fields a query names. (Counted on a DocType whose `fields` reads are counted; same answers either way.)
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/run/engine';
import { createRegistry, type Registry } from '../../src/schema/registry';
import type { DocType } from '../../src/schema/types';
import { memoryAdapter } from '../../src/storage/memory';

const N = 40;
const DOC = {
  name: 'RP Doc', module: 'Custom', autoname: 'hash',
  permissions: [{ role: 'Reader', read: 1, write: 1, create: 1 }],
  fields: [...Array.from({ length: N }, (_, i) => ({ fieldname: `f${i}`, fieldtype: 'Int', label: `F${i}` })), { fieldname: 'secret', fieldtype: 'Data', label: 'Secret', permlevel: 1 }],
};

function counted(): { registry: Registry; reads: () => number } {
  const base = createRegistry([DOC]);
  let reads = 0;
  const raw = base.get('RP Doc');
  const dt = new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'fields') reads++;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as DocType;
  const registry = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'get' || prop === 'tryGet') return (name: string) => (name === 'RP Doc' ? dt : (target[prop] as (n: string) => DocType | undefined)(name));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Registry;
  return { registry, reads: () => reads };
}

describe('select: field checks per query', () => {
  it('scans the field list as often for a query naming 40 fields as for one naming 1', async () => {
    const { registry, reads } = counted();
    const user = { name: 'r@x.com', roles: ['Reader'] };
    const engine = createEngine({ registry, adapter: memoryAdapter(), user });
    expect((await engine.run({ operation: 'create', target_doctype: 'RP Doc', input: { data: { f0: 1 } } })).error).toBeNull();
    const select = async (names: string[]) => {
      const before = reads();
      const r = await engine.run({
        operation: 'select', source_doctype: 'RP Doc',
        query: { where: Object.fromEntries(names.map((n) => [n, n === 'f0' ? 1 : 0])), orderBy: names.map((n) => ({ [n]: 'asc' as const })), fields: ['name', ...names] },
      });
      expect(r.error).toBeNull();
      expect(r.output!.data).toHaveLength(1);
      return reads() - before;
    };
    await select(['f0']); // first use builds the per-DocType indexes
    const one = await select(['f0']);
    const many = await select(Array.from({ length: N }, (_, i) => `f${i}`));
    expect(many).toBe(one);
    // A field above the user's level is still refused.
    const refused = await engine.run({ operation: 'select', source_doctype: 'RP Doc', query: { where: { secret: 'x' } } });
    expect(refused.error?.code).toBe('PERMISSION_DENIED');
  });
});
