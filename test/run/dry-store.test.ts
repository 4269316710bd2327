/**
 * A dry run of a create writes nothing into storage (run/dry-store.ts): it returns the document exactly as the
 * real create returns it, and storage's refusals (a taken name, a taken `unique` value, a taken row name, two
 * rows of one name) still refuse it, on every adapter.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, createRegistry, fixedClock, sequentialIds, type DocData, type RunRecord } from '../../src/index';
import { wouldInsert } from '../../src/run/dry-store';
import { everyAdapter } from './every-adapter';

const DOCTYPES = [
  {
    name: 'Dry Part', autoname: 'field:code', fields: [
      { fieldname: 'code', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'serial', fieldtype: 'Data', unique: 1 },
      { fieldname: 'weight', fieldtype: 'Float' },
    ],
  },
  {
    name: 'Dry Order Row', istable: 1, fields: [
      { fieldname: 'part', fieldtype: 'Link', options: 'Dry Part', reqd: 1 },
      { fieldname: 'qty', fieldtype: 'Int', default: '1' },
      { fieldname: 'tag', fieldtype: 'Data', unique: 1 },
      { fieldname: 'due', fieldtype: 'Date' },
    ],
  },
  {
    name: 'Dry Order', autoname: 'DO-.#####', fields: [
      { fieldname: 'customer', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'status', fieldtype: 'Select', options: 'Draft\nOpen' },
      { fieldname: 'note', fieldtype: 'Small Text' },
      { fieldname: 'items', fieldtype: 'Table', options: 'Dry Order Row' },
    ],
  },
];

const ORDER = { customer: 'Acme', note: 'x', items: [{ part: 'P-1', qty: 2, due: '2024-03-09' }, { part: 'P-2' }, { part: 'P-1', qty: 5 }] };

function data(r: RunRecord): DocData {
  expect(r.error ?? null).toBeNull();
  return r.output!.data[0]!;
}

/** Row names and the run-generated parts aside, two documents are the same. */
function shape(doc: DocData): unknown {
  const stamps = { creation: '-', modified: '-' };
  return { ...doc, ...stamps, items: (doc.items as DocData[]).map((row) => ({ ...row, ...stamps, name: '-' })) };
}

describe.each(everyAdapter('dry_store'))('dry run of a create on %s', (_kind, make) => {
  async function setup() {
    const adapter = await make();
    const engine = createEngine({ doctypes: DOCTYPES, adapter, user: { name: 'Administrator', roles: ['Administrator'] }, clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds() });
    for (const [code, serial] of [['P-1', 'S-1'], ['P-2', 'S-2']] as const) data(await engine.run({ operation: 'create', target_doctype: 'Dry Part', input: { data: { code, serial, weight: 1.5 } } }));
    return { adapter, engine };
  }

  it('returns what the create returns and writes nothing', async () => {
    const { adapter, engine } = await setup();
    const dry = data(await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: ORDER }, options: { dry_run: true } }));
    expect(await adapter.exists('Dry Order', String(dry.name))).toBe(false);
    expect(await adapter.query('Dry Order Row', {})).toHaveLength(0);
    const real = data(await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: ORDER } }));
    // The dry run drew no naming counter: the real create gets the same name.
    expect(dry.name).toBe(real.name);
    expect(Object.keys(dry)).toEqual(Object.keys(real));
    expect(shape(dry)).toEqual(shape(real));
    expect((dry.items as DocData[]).map((r) => [r.idx, r.part, r.qty, r.parent])).toEqual([[1, 'P-1', 2, dry.name], [2, 'P-2', 1, dry.name], [3, 'P-1', 5, dry.name]]);
    expect(Object.isFrozen(dry) && Object.isFrozen((dry.items as DocData[])[0])).toBe(true);
  });

  it('refuses a name that is taken', async () => {
    const { engine } = await setup();
    const r = await engine.run({ operation: 'create', target_doctype: 'Dry Part', input: { data: { code: 'P-1' } }, options: { dry_run: true } });
    expect(r.error?.code).toBe('DUPLICATE_ENTRY');
  });

  it('refuses a unique value that is taken, in the document and in its rows', async () => {
    const { engine } = await setup();
    const part = await engine.run({ operation: 'create', target_doctype: 'Dry Part', input: { data: { code: 'P-9', serial: 'S-2' } }, options: { dry_run: true } });
    expect(part.error).toMatchObject({ code: 'UNIQUE', issues: [{ field: 'serial' }] });
    data(await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: { customer: 'A', items: [{ part: 'P-1', tag: 'T-1' }] } } }));
    const order = await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: { customer: 'B', items: [{ part: 'P-2', tag: 'T-1' }] } }, options: { dry_run: true } });
    expect(order.error).toMatchObject({ code: 'UNIQUE', issues: [{ field: 'tag' }] });
    // Not taken: accepted.
    data(await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: { customer: 'B', items: [{ part: 'P-2', tag: 'T-2' }] } }, options: { dry_run: true } }));
  });

  it('answers as the adapter\'s insert does: the stored form, taken row names, two rows of one name', async () => {
    const { adapter } = await setup();
    const registry = createRegistry(DOCTYPES);
    const order = registry.get('Dry Order');
    const children = { items: registry.get('Dry Order Row') };
    const row = (name: string, extra: Record<string, unknown> = {}) => ({ name, part: 'P-1', qty: 3, ...extra });
    const doc = { name: 'DO-X', customer: 'Z', status: 'Open', modified: '2024-03-05 10:00:00.000000', weight: 'not a column', items: [row('R-2', { idx: 2, due: '' }), row('R-1', { idx: 1, due: '2024-01-02' })] };
    const would = await wouldInsert(adapter, order, children, doc);
    expect(await adapter.exists('Dry Order', 'DO-X')).toBe(false);
    const inserted = await adapter.insert('Dry Order', doc);
    expect(would).toEqual(inserted);
    expect(Object.keys(would)).toEqual(Object.keys(inserted));
    const taken = await wouldInsert(adapter, order, children, { ...doc, name: 'DO-Y', items: [row('R-3'), row('R-2')] }).catch((e: unknown) => e);
    expect(taken).toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'Dry Order Row' });
    const twice = await wouldInsert(adapter, order, children, { ...doc, name: 'DO-Z', items: [row('R-4'), row('R-4')] }).catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 'DUPLICATE_ENTRY' });
    const same = await wouldInsert(adapter, order, children, doc).catch((e: unknown) => e);
    expect(same).toMatchObject({ code: 'DUPLICATE_ENTRY', doctype: 'Dry Order' });
  });

  it('still checks links and mandatory values', async () => {
    const { engine } = await setup();
    const r = await engine.run({ operation: 'create', target_doctype: 'Dry Order', input: { data: { items: [{ part: 'NOPE' }] } }, options: { dry_run: true } });
    expect(r.error?.code).toBe('VALIDATION');
    expect(r.error!.issues.map((i) => i.code).sort()).toEqual(['LINK_NOT_FOUND', 'MANDATORY']);
  });
});
