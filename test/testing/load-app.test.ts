/**
 * loadApp: a Frappe app folder and a flat folder load into a TestApp; loads are cached per folder string;
 * broken folders fail loudly with every problem listed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../../src/testing/node';
import './setup';
import { flatSalesApp, frappeCurrent, leaveApp, lintBad } from './paths';

describe('loadApp on a Frappe app folder', () => {
  it('loads every doctype/<snake>/<snake>.json of the app, and nothing else', async () => {
    const app = await loadApp(leaveApp);
    expect(app.registry.list().map((d) => d.name)).toEqual(['Leave Request', 'Leave Request Approver', 'Leave Type']);
    expect(app.doctype('Leave Request').is_submittable).toBe(1);
    // The child table resolves: the app is self-contained.
    expect(app.registry.childDoctype('Leave Request', 'approvers').name).toBe('Leave Request Approver');
  });

  it('defaults to Administrator and a fixed clock, so Desk defaults never depend on the day', async () => {
    const app = await loadApp(leaveApp);
    expect(app.user).toEqual({ name: 'Administrator', roles: ['Administrator'] });
    expect(app.options.clock().toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(app.options.timeZone).toBe('UTC');
  });
});

describe('loadApp on a flat folder', () => {
  it('loads every DocType JSON file of the folder', async () => {
    const app = await loadApp(flatSalesApp);
    expect(app.registry.list().map((d) => d.name)).toEqual(['Customer', 'Item', 'Sales Order', 'Sales Order Item']);
    // Desk's defaults through newDoc: the Select default of the JSON.
    const order = JSON.parse(readFileSync(path.join(flatSalesApp, 'Sales Order.json'), 'utf8'));
    const orderType = order.fields.find((f: { fieldname: string }) => f.fieldname === 'order_type');
    expect(app.doc('Sales Order').data.order_type).toBe(orderType.default);
  });

  it('refuses, by default, a folder whose Table fields name child DocTypes it does not hold', async () => {
    const err = await loadApp(frappeCurrent).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CoworkerError', code: 'TESTING_LOAD_FAILED' });
    // Every missing child is named, with the DocType and field that need it.
    expect((err as Error).message).toMatch(/^cannot use .*frappe-current: \d+ problem\(s\) \(pass strict: false to allow them\)/);
    expect((err as Error).message).toContain('User.roles');
  });

  it('loads it with strict: false, and the DocTypes that are whole work', async () => {
    const app = await loadApp(frappeCurrent, { strict: false });
    expect(app.registry.has('ToDo')).toBe(true);
    expect(app.doc('ToDo', { description: 'Call Acme' })).toBeValid();
  });
});

describe('loadApp failures', () => {
  it('lists every bad file of a folder that does not load', async () => {
    const err = (await loadApp(lintBad).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('TESTING_LOAD_FAILED');
    const lines = err.message.split('\n');
    expect(lines[0]).toMatch(/^cannot load .*lint-bad: \d+ problem\(s\) \(pass strict: false to keep what loaded\)$/);
    expect(lines.length - 1).toBe(Number(/(\d+) problem/.exec(lines[0]!)![1]));
    expect(err.message).toMatch(/INVALID_JSON .*broken\.json/);
  });

  it('reports a missing folder with the CLI loader code', async () => {
    await expect(loadApp(path.join(leaveApp, 'no-such-folder'))).rejects.toMatchObject({ code: 'CLI_UNREADABLE' });
  });
});

describe('loadApp caching', () => {
  it('returns the very same app for the same folder without options', async () => {
    const [a, b] = await Promise.all([loadApp(leaveApp), loadApp(leaveApp)]);
    expect(a).toBe(b);
    expect(await loadApp(leaveApp)).toBe(a);
  });

  it('shares the loaded registry with apps that differ only in options', async () => {
    const plain = await loadApp(leaveApp);
    const asEmployee = await loadApp(leaveApp, { user: { name: 'ann@example.com', roles: ['Employee'] } });
    expect(asEmployee).not.toBe(plain);
    expect(asEmployee.registry).toBe(plain.registry);
    expect(asEmployee.user.name).toBe('ann@example.com');
  });

  it('loads a private registry with cache: false', async () => {
    const shared = await loadApp(leaveApp);
    const own = await loadApp(leaveApp, { cache: false });
    expect(own.registry).not.toBe(shared.registry);
    expect(own.registry.list().map((d) => d.name)).toEqual(shared.registry.list().map((d) => d.name));
  });

  it('does not cache a failed load', async () => {
    await expect(loadApp(lintBad)).rejects.toThrow();
    await expect(loadApp(lintBad)).rejects.toMatchObject({ code: 'TESTING_LOAD_FAILED' });
  });
});

describe('loadApp from DocType JSON objects', () => {
  it('builds an app from the JSON as Frappe ships it', async () => {
    const read = (snake: string) => JSON.parse(readFileSync(path.join(leaveApp, 'leave_app', 'hr_leave', 'doctype', snake, `${snake}.json`), 'utf8'));
    const app = await loadApp([read('leave_request'), read('leave_request_approver'), read('leave_type')]);
    expect(app.registry.list()).toHaveLength(3);
    expect(app.doc('Leave Request', { half_day: 1 })).toBeMandatory('half_day_date');
  });

  it('fails strict loading when a child DocType is missing from the list', async () => {
    const read = (snake: string) => JSON.parse(readFileSync(path.join(leaveApp, 'leave_app', 'hr_leave', 'doctype', snake, `${snake}.json`), 'utf8'));
    await expect(loadApp([read('leave_request'), read('leave_type')])).rejects.toThrowErrorMatchingInlineSnapshot(`
      [CoworkerError: cannot use 2 DocType JSON objects: 1 problem(s) (pass strict: false to allow them)
        - Leave Request.approvers: Table field "approvers" of "Leave Request" names child DocType "Leave Request Approver", which is not registered]
    `);
  });
});
