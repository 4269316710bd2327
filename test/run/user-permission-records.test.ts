/**
 * Issue 14 (User Permissions in runs, stored records): with Frappe's `User Permission` DocType in the registry,
 * each run reads the user's stored records (`get_user_permissions`) and applies them as `has_user_permission` and
 * `build_match_conditions` do: `apply_to_all_doctypes` / `applicable_for`, `is_default`, the descendants of a tree
 * node unless `hide_descendants`, and strict user permissions. A permission matrix on every adapter.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/engine';
import type { EngineOptions } from '../../src/run/types';
import type { StorageAdapter } from '../../src/storage/types';
import { fixedClock, sequentialIds } from '../../src/env';
import { ADMIN } from './helpers';
import { everyAdapter } from './every-adapter';
import { REGIONS, SECURITY_DOCTYPES } from './security-doctypes';

const SALES = { name: 'sales@x.com', roles: ['Sec User'] };

async function world(adapter: StorageAdapter, options: EngineOptions = {}): Promise<Engine> {
  const engine = createEngine({ doctypes: SECURITY_DOCTYPES, adapter, user: ADMIN, unknownLinks: 'skip', clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(), ...options });
  const must = async (doctype: string, data: Record<string, unknown>) => {
    const r = await engine.run({ operation: 'create', target_doctype: doctype, input: { data } });
    if (!r.success) throw new Error(`${doctype}: ${r.error?.message}`);
  };
  for (const region of REGIONS) await must('Sec Region', region);
  await must('Sec Customer', { customer_name: 'Acme', region: 'North' });
  await must('Sec Customer', { customer_name: 'Beta', region: 'South' });
  await must('Sec Order', { title: 'acme-1', customer: 'Acme', region: 'North East' });
  await must('Sec Order', { title: 'beta-1', customer: 'Beta', region: 'South' });
  await must('Sec Order', { title: 'blank-1', region: 'North West' });
  await must('Sec Order', { title: 'rows-beta', customer: 'Acme', region: 'North', lines: [{ item: 'x', bill_to: 'Beta' }] });
  return engine;
}

const allow = (engine: Engine, allowDt: string, forValue: string, extra: Record<string, unknown> = {}) =>
  engine.run({ operation: 'create', target_doctype: 'User Permission', input: { data: { user: SALES.name, allow: allowDt, for_value: forValue, ...extra } } });

const names = async (engine: Engine, doctype: string, user = SALES) => {
  const r = await engine.run({ operation: 'select', source_doctype: doctype, user, query: { orderBy: [{ name: 'asc' }] } });
  if (!r.success) throw new Error(`${r.error?.code}: ${r.error?.message}`);
  return r.output!.data.map((d) => d.name);
};

describe.each(everyAdapter('userperm'))('stored User Permissions on %s', (_kind, make) => {
  it('a stored record restricts select, takeone, create and update (rows too); empty Links pass unless strict', async () => {
    const engine = await world(await make());
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'beta-1', 'blank-1', 'rows-beta']);
    expect((await allow(engine, 'Sec Customer', 'Acme')).error).toBeNull();
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'blank-1', 'rows-beta']);
    expect(await names(engine, 'Sec Customer')).toEqual(['Acme']);
    const other = await engine.run({ operation: 'takeone', source_doctype: 'Sec Order', input: { data: { name: 'beta-1' } }, user: SALES });
    expect(other.error?.code).toBe('PERMISSION_DENIED');
    // A row linking to Beta: listed (get_list filters the parent's Links only), but refused when opened, naming the row.
    const rows = await engine.run({ operation: 'takeone', source_doctype: 'Sec Order', input: { data: { name: 'rows-beta' } }, user: SALES });
    expect(rows.error?.issues[0]).toMatchObject({ code: 'USER_PERMISSION', field: 'bill_to', table: 'lines', row: 1 });
    const created = await engine.run({ operation: 'create', target_doctype: 'Sec Order', input: { data: { title: 'mine', customer: 'Beta' } }, user: SALES });
    expect(created.error?.issues[0]).toMatchObject({ code: 'USER_PERMISSION', field: 'customer' });
    const moved = await engine.run({ operation: 'update', target_doctype: 'Sec Order', input: { data: { name: 'acme-1', customer: 'Beta' } }, user: SALES });
    expect(moved.error?.code).toBe('PERMISSION_DENIED');
    const ok = await engine.run({ operation: 'update', target_doctype: 'Sec Order', input: { data: { name: 'acme-1', notes: 'fine' } }, user: SALES });
    expect(ok.error).toBeNull();
    // Administrator is never restricted by anyone's records.
    expect(await names(engine, 'Sec Order', ADMIN)).toHaveLength(4);
  });

  it('strict user permissions: an empty restricted Link is hidden and refused (engine option)', async () => {
    const adapter = await make();
    const engine = await world(adapter);
    await allow(engine, 'Sec Customer', 'Acme');
    const strict = createEngine({ doctypes: SECURITY_DOCTYPES, adapter, user: ADMIN, unknownLinks: 'skip', strictUserPermissions: true });
    expect(await names(strict, 'Sec Order')).toEqual(['acme-1', 'rows-beta']);
    const blank = await strict.run({ operation: 'takeone', source_doctype: 'Sec Order', input: { data: { name: 'blank-1' } }, user: SALES });
    expect(blank.error?.code).toBe('PERMISSION_DENIED');
    expect(blank.error?.message).toContain("Sec Customer 'empty'");
  });

  it('applicable_for (apply_to_all_doctypes off) restricts only that DocType', async () => {
    const engine = await world(await make());
    expect((await allow(engine, 'Sec Customer', 'Acme', { apply_to_all_doctypes: 0, applicable_for: 'Sec Order' })).error).toBeNull();
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'blank-1', 'rows-beta']);
    // Not applicable to Sec Customer itself: every customer is listed.
    expect(await names(engine, 'Sec Customer')).toEqual(['Acme', 'Beta']);
  });

  it('tree DocTypes: descendants of the allowed node are allowed unless hide_descendants (lft / rgt)', async () => {
    const engine = await world(await make());
    await allow(engine, 'Sec Region', 'North');
    expect(await names(engine, 'Sec Region')).toEqual(['North', 'North East', 'North West']);
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'blank-1', 'rows-beta']);
    const hidden = await engine.run({ operation: 'update', target_doctype: 'User Permission', input: { data: { name: (await engine.adapter.query('User Permission', {}))[0]!.name, hide_descendants: 1 } } });
    expect(hidden.error).toBeNull();
    expect(await names(engine, 'Sec Region')).toEqual(['North']);
    expect(await names(engine, 'Sec Order')).toEqual(['rows-beta']);
  });

  it('is_default gives new documents their Link default; records of other users do not apply', async () => {
    const engine = await world(await make());
    await allow(engine, 'Sec Customer', 'Acme', { is_default: 1 });
    await allow(engine, 'Sec Customer', 'Beta');
    const created = await engine.run({ operation: 'create', target_doctype: 'Sec Order', input: { data: { title: 'defaulted' } }, user: SALES });
    expect(created.error).toBeNull();
    expect(created.output!.data[0]!.customer).toBe('Acme');
    const other = { name: 'other@x.com', roles: ['Sec User'] };
    expect(await names(engine, 'Sec Order', other)).toHaveLength(5);
  });
});

describe('strict user permissions from a stored System Settings', () => {
  it('apply_strict_user_permissions of the stored System Settings applies when the engine option is not given', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { sharedRoot } = await import('../helpers/paths');
    const { memoryAdapter } = await import('../../src/storage/memory');
    const settings = JSON.parse(readFileSync(path.join(sharedRoot, 'frappe-apps/frappe/frappe/core/doctype/system_settings/system_settings.json'), 'utf8'));
    const adapter = memoryAdapter();
    const engine = await world(adapter, { doctypes: [...SECURITY_DOCTYPES, settings] });
    await allow(engine, 'Sec Customer', 'Acme');
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'blank-1', 'rows-beta']);
    const saved = await engine.run({ operation: 'create', target_doctype: 'System Settings', input: { data: { name: 'System Settings', language: 'en', time_zone: 'UTC', apply_strict_user_permissions: 1 } } });
    expect(saved.error).toBeNull();
    expect(await names(engine, 'Sec Order')).toEqual(['acme-1', 'rows-beta']);
    // The engine option wins over the stored setting.
    const lenient = createEngine({ doctypes: [...SECURITY_DOCTYPES, settings], adapter, user: ADMIN, unknownLinks: 'skip', strictUserPermissions: false });
    expect(await names(lenient, 'Sec Order')).toEqual(['acme-1', 'blank-1', 'rows-beta']);
  });
});
