/** The pure pieces, without storage or an engine: edit states, tier 1 rules, stamps, routing. */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/env';
import { routeOperation } from '../../src/run/adapters';
import { nextEditState } from '../../src/run/edit-state';
import { applySystemFields, systemFieldRules } from '../../src/run/tiers/system';
import { createStamper } from '../../src/run/timestamps';
import type { EditState, SystemFieldRule } from '../../src/run/types';
import { fixtureDoctypes } from '../helpers/fixtures';
import { appEngine, SYSTEM_MANAGER } from './helpers';

describe('edit state machine', () => {
  it('allows exactly the documented transitions', () => {
    const states: EditState[] = ['pristine', 'dirty', 'saving', 'saved', 'failed'];
    const table = Object.fromEntries(states.map((s) => [s, (['change', 'save', 'saved', 'fail'] as const).map((e) => nextEditState(s, e) ?? '-')]));
    expect(table).toEqual({
      pristine: ['dirty', 'saving', '-', '-'],
      dirty: ['dirty', 'saving', '-', '-'],
      saving: ['-', '-', 'saved', 'failed'],
      saved: ['dirty', 'saving', '-', '-'],
      failed: ['dirty', 'saving', '-', '-'],
    });
  });
});

describe('tier 1: system fields', () => {
  const fx = fixtureDoctypes();
  const so = fx.get('Sales Order');
  const children = { items: fx.get('Sales Order Item') };
  const base = { rules: systemFieldRules(), doctype: so, children, stored: undefined, user: SYSTEM_MANAGER, timestamp: '2024-03-05 10:00:00.000001' };
  let n = 0;
  const nameFor = async () => ({ name: `N${++n}`, issues: [] });

  it('sets name, owner, timestamps, docstatus, idx and the parent links of rows on create', async () => {
    const r = await applySystemFields({ customer: 'Acme', items: [{ item_code: 'A' }, { item_code: 'B', name: 'client-name' }] }, { ...base, action: 'create', nameFor });
    expect(r.issues).toEqual([]);
    expect(r.doc).toMatchObject({ name: 'N1', owner: 'a@x.com', creation: base.timestamp, modified: base.timestamp, modified_by: 'a@x.com', docstatus: 0, idx: 0 });
    expect(r.doc.items).toEqual([
      expect.objectContaining({ name: 'N2', idx: 1, parent: 'N1', parenttype: 'Sales Order', parentfield: 'items', docstatus: 0, owner: 'a@x.com' }),
      expect.objectContaining({ name: 'N3', idx: 2, parent: 'N1' }), // client row names are replaced on insert
    ]);
  });

  it('keeps name / owner / creation on update and stamps modified; user rules extend or replace', async () => {
    const tenant: SystemFieldRule = { field: 'tenant', applies_to: 'parent', priority: 50, auto_set_on: ['create', 'update'], generate: () => 'acme-corp', validate: (v) => (v === 'acme-corp' ? undefined : 'wrong tenant') };
    const stored = { name: 'SO-1', owner: 'x@x.com', creation: '2024-01-01 00:00:00.000000', modified: '2024-01-01 00:00:00.000000', docstatus: 0 };
    const r = await applySystemFields({ ...stored, items: [{ name: 'row-1', item_code: 'A' }] }, { ...base, rules: systemFieldRules([tenant]), stored, action: 'update', nameFor });
    expect(r.doc).toMatchObject({ name: 'SO-1', owner: 'x@x.com', creation: stored.creation, modified: base.timestamp, tenant: 'acme-corp' });
    expect((r.doc.items as Record<string, unknown>[])[0]).toMatchObject({ name: 'row-1', parent: 'SO-1', creation: base.timestamp });
  });

  it('reports naming issues', async () => {
    const r = await applySystemFields({}, { ...base, action: 'create', nameFor: async () => ({ issues: [{ code: 'NAMING', exc: 'ValidationError', message: 'Naming Series mandatory' }] }) });
    expect(r.issues.map((i) => i.message)).toEqual(['Naming Series mandatory']);
  });

  it('an engine rule reaches stored documents', async () => {
    const engine = appEngine({
      user: SYSTEM_MANAGER,
      systemFields: [{ field: 'assigned_by', applies_to: 'parent', priority: 40, auto_set_on: ['create'], generate: (ctx) => ctx.user.name }],
    });
    const r = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'x' } } });
    expect(r.output!.data[0]!.assigned_by).toBe('a@x.com');
  });
});

describe('stamps', () => {
  it('are strictly increasing on a fixed clock and never at or before the replaced one', () => {
    const s = createStamper(fixedClock('2024-03-05T10:00:00.123Z'));
    expect(s.next()).toBe('2024-03-05 10:00:00.123000');
    expect(s.next()).toBe('2024-03-05 10:00:00.123001');
    expect(s.next('2024-03-05 10:00:05.000000')).toBe('2024-03-05 10:00:05.000001');
    expect(s.next()).toBe('2024-03-05 10:00:05.000002');
  });
});

describe('routing', () => {
  it('names one reason when nothing serves an operation', () => {
    expect(() => routeOperation('x', undefined, new Map(), {}, undefined, false)).toThrow(/Nothing serves operation "x"/);
    expect(routeOperation('select', undefined, new Map(), {}, 'missing-default', true)).toEqual({ kind: 'builtin' });
  });
});
