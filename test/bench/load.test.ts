/**
 * Frappe + ERPNext + HRMS (../shared/frappe-apps) loaded together as one bench: the Node loader, symbolic
 * links, loadApp with several folders, and the CLI taking several folders.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFolders } from '../../src/node/load-folder';
import { loadApp } from '../../src/testing/node';
import { benchApps, repoRoot } from '../helpers/paths';
import { runCli } from '../cli/run-cli';

const MANIFEST = JSON.parse(readFileSync(path.join(benchApps[0]!, '..', 'MANIFEST.json'), 'utf8')) as unknown;

describe('a bench of three apps', () => {
  it('loads all 926 DocTypes into one registry, every Table field resolving across apps', async () => {
    const bench = await loadFolders(benchApps);
    expect(bench.apps.map((a) => [a.name, a.layout, a.doctypes])).toEqual([['frappe', 'app', 271], ['erpnext', 'app', 508], ['hrms', 'app', 147]]);
    expect(bench.registry.list()).toHaveLength(926);
    expect(bench.diagnostics).toEqual([]);
    expect(bench.registry.check().filter((d) => d.severity === 'error')).toEqual([]);
    // ERPNext's Call Log uses Frappe's Dynamic Link; HRMS's Shift Assignment Schedule uses Frappe's Assignment Rule Day.
    expect(bench.registry.childDoctype('Call Log', 'links').name).toBe('Dynamic Link');
    expect(bench.registry.childDoctype('Shift Assignment Schedule', 'repeat_on_days').name).toBe('Assignment Rule Day');
    expect(bench.appOf.get('Sales Order')).toBe('erpnext');
    expect(bench.appOf.get('Currency')).toBe('frappe');
    expect(bench.appOf.get('Leave Application')).toBe('hrms');
    expect(JSON.stringify(MANIFEST)).toContain('Leave Application');
  });

  it('one app alone leaves its cross-app child tables unresolved (what a bench fixes)', async () => {
    const erpnext = await loadFolders([benchApps[1]!]);
    const missing = erpnext.registry.check().filter((d) => d.severity === 'error').map((d) => `${d.doctype}.${d.fieldname} -> ${d.child}`);
    expect(missing).toEqual(expect.arrayContaining(['Call Log.links -> Dynamic Link', 'Common Code.applies_to -> Dynamic Link']));
  });

  it('follows symbolic links to folders and files, and walks a looping link once', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'coworker-bench-'));
    const apps = path.join(root, 'apps');
    mkdirSync(apps);
    // bench makes apps/<app> a link to the app's repository.
    symlinkSync(path.join(repoRoot, 'fixtures/app/library_app'), path.join(apps, 'library_app'));
    const flat = path.join(root, 'flat');
    mkdirSync(flat);
    symlinkSync(path.join(repoRoot, 'fixtures/doctypes/Customer.json'), path.join(flat, 'Customer.json'));
    symlinkSync(flat, path.join(flat, 'loop'));
    symlinkSync(path.join(root, 'nowhere'), path.join(flat, 'dangling.json'));
    const loaded = await loadFolders([path.join(apps, 'library_app'), flat]);
    expect(loaded.apps.map((a) => [a.name, a.layout, a.doctypes])).toEqual([['library_app', 'app', 4], ['flat', 'flat', 1]]);
    expect(loaded.registry.has('Customer')).toBe(true);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('loadApp takes several folders as one bench; alone, an app with cross-app child tables fails loudly', async () => {
    const app = await loadApp(benchApps);
    expect(app.registry.list()).toHaveLength(926);
    expect(await loadApp(benchApps)).toBe(app);
    const alone = (await loadApp(benchApps[1]!).catch((e: unknown) => e)) as Error & { code: string };
    expect(alone.code).toBe('TESTING_LOAD_FAILED');
    expect(alone.message).toContain('Call Log.links');
    const lenient = await loadApp(benchApps[1]!, { strict: false });
    expect(lenient.registry.list()).toHaveLength(508);
  });

  it('loadApp with strict: false keeps the DocTypes of a folder that has bad files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-lenient-'));
    writeFileSync(path.join(dir, 'Good.json'), JSON.stringify({ doctype: 'DocType', name: 'Good', module: 'T', fields: [{ fieldname: 'a', fieldtype: 'Data' }] }));
    writeFileSync(path.join(dir, 'Broken.json'), '{ "doctype": "DocType", ');
    await expect(loadApp(dir)).rejects.toMatchObject({ code: 'TESTING_LOAD_FAILED' });
    expect((await loadApp(dir, { strict: false })).registry.list().map((d) => d.name)).toEqual(['Good']);
  });
});

describe('the CLI over a bench', () => {
  const [frappe, erpnext, hrms] = benchApps as [string, string, string];

  it('lint takes several positional folders or --app repeated, the same bench either way', async () => {
    const positional = await runCli(['lint', frappe, erpnext, hrms, '--format', 'json']);
    const repeated = await runCli(['lint', '--app', frappe, '--app', erpnext, '--app', hrms, '--format', 'json']);
    expect(JSON.parse(positional.stdout)).toEqual(JSON.parse(repeated.stdout));
    const out = JSON.parse(positional.stdout) as { doctypes: number; apps: unknown[] };
    expect(out.doctypes).toBe(926);
    expect(out.apps).toEqual([{ name: 'frappe', layout: 'app', doctypes: 271 }, { name: 'erpnext', layout: 'app', doctypes: 508 }, { name: 'hrms', layout: 'app', doctypes: 147 }]);
  });

  it('types and validate take several folders too', async () => {
    const types = await runCli(['types', frappe, '--app', erpnext]);
    expect(types.code).toBe(0);
    expect(types.stdout).toContain('export interface SalesOrder ');
    expect(types.stdout).toContain('export interface Currency ');
    const doc = JSON.stringify({ doctype: 'Currency', currency_name: 'XTS' });
    const validate = await runCli(['validate', '--doctypes', frappe, '--app', erpnext, '-'], { stdin: doc });
    expect(validate.stderr).not.toContain('internal error');
    expect(validate.code).toBe(0);
  });

  it('validate over an app whose child tables live in another app says which DocTypes cannot run (exit 3)', async () => {
    const r = await runCli(['validate', '--doctypes', erpnext, '-'], { stdin: '{"doctype":"Currency"}' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Call Log.links');
    expect(r.stderr).toContain('--app');
  });
});
