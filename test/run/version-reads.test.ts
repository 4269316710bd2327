/**
 * A Version's formatting reads each document it needs once: a save changing many Currency values (document and
 * rows) reads the Currency's symbol / symbol_on_right / fraction_units from storage once, not three times per
 * formatted value (the review's "read once per run").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, versionData } from '../../src/index';
import { memoryAdapter } from '../../src/storage/memory';
import type { StorageAdapter, StorageSession } from '../../src/storage/types';
import { frappeAppsRoot } from '../helpers/paths';

const CURRENCY = JSON.parse(readFileSync(path.join(frappeAppsRoot, 'frappe/frappe/geo/doctype/currency/currency.json'), 'utf8')) as Record<string, unknown>;
const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const LINE = { name: 'VR Line', istable: 1, module: 'Custom', fields: [f('item', 'Data'), f('rate', 'Currency', { options: 'currency' })] };
const ORDER = {
  name: 'VR Order', module: 'Custom', autoname: 'hash', track_changes: 1,
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
  fields: [
    f('currency', 'Link', { options: 'Currency' }), f('a', 'Currency', { options: 'currency' }), f('b', 'Currency', { options: 'currency' }),
    f('c', 'Currency', { options: 'currency' }), f('lines', 'Table', { options: 'VR Line' }),
  ],
};

/** The memory adapter, counting `get`s of Currency documents inside transactions. */
function counting(base: StorageAdapter, counts: Map<string, number>): StorageAdapter {
  const wrapSession = (s: StorageSession): StorageSession => new Proxy(s, {
    get(target, prop, receiver) {
      if (prop === 'get') {
        return (doctype: string, name: string) => {
          if (doctype === 'Currency') counts.set(name, (counts.get(name) ?? 0) + 1);
          return target.get(doctype, name);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return <T>(fn: (tx: StorageSession) => Promise<T>) => target.transaction((tx) => fn(wrapSession(tx)));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('Version formatting reads', () => {
  it('a save changing five Currency values reads the Currency document once', async () => {
    const counts = new Map<string, number>();
    const adapter = counting(memoryAdapter(), counts);
    const engine = createEngine({ doctypes: [CURRENCY, LINE, ORDER], adapter, user: { name: 'Administrator', roles: [] } });
    await engine.ready();
    await adapter.insert('Currency', { name: 'EUR', currency_name: 'EUR', symbol: '€', fraction_units: 100, docstatus: 0 });
    const created = await engine.run({ operation: 'create', target_doctype: 'VR Order', input: { data: { currency: 'EUR', a: 1, b: 2, c: 3, lines: [{ item: 'x', rate: 4 }, { item: 'y', rate: 5 }] } } });
    expect(created.error).toBeNull();
    const doc = created.output!.data[0]!;
    const rows = doc.lines as Record<string, unknown>[];
    counts.clear();
    const saved = await engine.run({ operation: 'update', target_doctype: 'VR Order', input: { data: { name: doc.name, a: 10, b: 20, c: 30, lines: [{ ...rows[0], rate: 40 }, { ...rows[1], rate: 50 }] } } });
    expect(saved.error).toBeNull();
    const [version] = await engine.adapter.query('Version', {});
    const diff = versionData(version!);
    expect(diff.changed.map(([field, , to]) => [field, to])).toEqual([['a', '€ 10.00'], ['b', '€ 20.00'], ['c', '€ 30.00']]);
    expect(diff.row_changed).toHaveLength(2);
    // Ten formatted values (old and new of five), each needing the symbol, its side and the fraction units.
    expect(counts.get('EUR')).toBe(1);
  });
});
