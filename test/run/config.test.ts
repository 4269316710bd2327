/**
 * createEngine checks its configuration before the first run: configuration problems fail createEngine
 * with a typed error naming the DocType and field, never a run as INTERNAL.
 */
import { describe, expect, it } from 'vitest';
import { EngineConfigError } from '../../src/run/config-check';
import { createEngine } from '../../src/run/engine';
import type { EngineOptions } from '../../src/run/types';
import { createRegistry } from '../../src/schema/registry';

const dt = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({ doctype: 'DocType', name, module: 'T', fields, ...extra });
const row = dt('Order Row', [{ fieldname: 'qty', fieldtype: 'Int' }], { istable: 1 });

function configError(options: EngineOptions): EngineConfigError {
  try {
    createEngine(options);
  } catch (e) {
    if (e instanceof EngineConfigError) return e;
    throw e;
  }
  throw new Error('createEngine accepted the configuration');
}

describe('createEngine checks its configuration', () => {
  it('a Table field naming a DocType that is not registered', () => {
    const err = configError({ doctypes: [dt('Order', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Order Row' }])] });
    expect(err.code).toBe('ENGINE_CONFIG');
    expect(err.problems).toEqual([expect.objectContaining({ reason: 'missing_child_doctype', doctype: 'Order', field: 'rows' })]);
    expect(err.message).toContain('Order.rows');
  });

  it('a Table field naming a DocType that is not a child table', () => {
    const err = configError({ doctypes: [dt('Customer', []), dt('Order', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Customer' }])] });
    expect(err.problems).toEqual([expect.objectContaining({ reason: 'child_not_istable', doctype: 'Order', field: 'rows' })]);
  });

  it('a cycle of fetched values, naming the fields', () => {
    const err = configError({
      doctypes: [dt('Loop', [
        { fieldname: 'a', fieldtype: 'Link', options: 'Loop', fetch_from: 'b.a' },
        { fieldname: 'b', fieldtype: 'Link', options: 'Loop', fetch_from: 'a.b' },
      ])],
    });
    expect(err.problems[0]).toMatchObject({ reason: 'rules_cycle', doctype: 'Loop' });
    expect(err.problems[0]!.message).toMatch(/a -> b -> a|b -> a -> b/);
  });

  it('a cycle of computed fields (custom rules)', () => {
    const doctypes = [dt('Calc', [{ fieldname: 'x', fieldtype: 'Int' }, { fieldname: 'y', fieldtype: 'Int' }])];
    const err = configError({
      doctypes,
      rules: { Calc: { computed: [{ field: 'x', inputs: ['y'], compute: (d) => d.y }, { field: 'y', inputs: ['x'], compute: (d) => d.x }] } },
    });
    expect(err.problems[0]).toMatchObject({ reason: 'rules_cycle', doctype: 'Calc' });
  });

  it('broken custom rules: an unknown DocType, an unknown field, a rule without its function', () => {
    const doctypes = [dt('Order', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Order Row' }, { fieldname: 'total', fieldtype: 'Int' }]), row];
    expect(configError({ doctypes, rules: { Ordr: {} } }).problems).toEqual([expect.objectContaining({ reason: 'unknown_rules_doctype', doctype: 'Ordr' })]);
    const unknownField = configError({ doctypes, rules: { Order: { computed: [{ field: 'totl', inputs: ['rows.qty'], compute: () => 0 }] } } });
    expect(unknownField.problems).toEqual([expect.objectContaining({ reason: 'bad_custom_rule', doctype: 'Order' })]);
    expect(unknownField.message).toContain('no field "totl"');
    const noFn = configError({ doctypes, rules: { Order: { validators: [{ name: 'v', inputs: ['total'] } as never] } } });
    expect(noFn.problems).toEqual([expect.objectContaining({ reason: 'bad_custom_rule', doctype: 'Order', message: expect.stringContaining('validate: a function') })]);
  });

  it('lists every problem at once', () => {
    const err = configError({
      doctypes: [dt('A', [{ fieldname: 'r', fieldtype: 'Table', options: 'Nope' }]), dt('B', [{ fieldname: 'r', fieldtype: 'Table MultiSelect', options: 'A' }])],
      rules: { Nope: {} },
    });
    expect(err.problems.map((p) => `${p.doctype}.${p.field ?? ''}:${p.reason}`).sort()).toEqual(['A.r:missing_child_doctype', 'B.r:child_not_istable', 'Nope.:unknown_rules_doctype']);
  });

  it('a good configuration runs', async () => {
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [dt('Order', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Order Row' }]), row] });
    const r = await engine.run({ operation: 'create', target_doctype: 'Order', input: { data: { rows: [{ qty: 2 }] } } });
    expect(r.error).toBeNull();
  });
});

describe('a registry changed after createEngine', () => {
  it('a DocType added later with a missing child table fails its run as ENGINE_CONFIG, not INTERNAL', async () => {
    const registry = createRegistry([dt('Ok', [{ fieldname: 'a', fieldtype: 'Data' }])]);
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, registry });
    registry.add(dt('Late', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Nowhere' }, { fieldname: 'x', fieldtype: 'Link', options: 'Late', fetch_from: 'x.x' }]));
    const r = await engine.run({ operation: 'create', target_doctype: 'Late', input: { data: { rows: [{}] } } });
    expect(r.error?.code).not.toBe('INTERNAL');
    expect(r.error?.code).toBe('ENGINE_CONFIG');
  });
});

describe('a DocType added after the first run', () => {
  it('is unknown to the prepared adapter: ENGINE_CONFIG, not INTERNAL', async () => {
    const registry = createRegistry([dt('Ok', [{ fieldname: 'a', fieldtype: 'Data' }])]);
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, registry });
    expect((await engine.run({ operation: 'create', target_doctype: 'Ok', input: { data: { a: 'x' } } })).success).toBe(true);
    registry.add(dt('Later', [{ fieldname: 'a', fieldtype: 'Data' }]));
    const r = await engine.run({ operation: 'create', target_doctype: 'Later', input: { data: { a: 'x' } } });
    expect(r.error).toMatchObject({ code: 'ENGINE_CONFIG', exc: 'ValidationError' });
  });
});
