/**
 * coworker/react in real headless Chromium: a React form over HRMS's own Leave Application DocType (read from
 * ../shared/frappe-apps), bundled with esbuild against dist/ the way an app's bundler would. Typing, a field
 * appearing when its depends_on turns true, the mandatory marker, a refused save showing Frappe's message on the
 * field, submit, and re-renders confined to the edited field and its dependents.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, serveFiles } from '../helpers/chromium';
import { distDir, repoRoot, sharedRoot } from '../helpers/paths';

const apps = path.join(sharedRoot, 'frappe-apps');
const jsonOf = (rel: string) => JSON.parse(readFileSync(path.join(apps, rel), 'utf8')) as Record<string, unknown>;
const skip = browserSkipReason ?? (existsSync(apps) ? undefined : '../shared/frappe-apps not present');

/** Resolve the app's imports of src/index and src/react to the built files, as `coworker` / `coworker/react`. */
const toDist: Plugin = {
  name: 'coworker-dist',
  setup(b) {
    b.onResolve({ filter: /\/src\/(index|react)$/ }, (args) => ({ path: path.join(distDir, `${path.basename(args.path)}.js`) }));
  },
};

describe.skipIf(skip)(`coworker/react in headless Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    const employee = jsonOf('erpnext/erpnext/setup/doctype/employee/employee.json');
    const children = (employee.fields as { fieldtype: string; options: string }[])
      .filter((f) => f.fieldtype === 'Table')
      .map((f) => {
        const dir = f.options.toLowerCase().replace(/ /g, '_');
        return jsonOf(`erpnext/erpnext/setup/doctype/${dir}/${dir}.json`);
      });
    const doctypes = [
      jsonOf('hrms/hrms/hr/doctype/leave_application/leave_application.json'),
      jsonOf('hrms/hrms/hr/doctype/leave_type/leave_type.json'),
      employee, ...children,
    ];
    const bundle = await build({
      entryPoints: [path.join(repoRoot, 'examples/react-leave-form/leave-form.tsx')],
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' }, plugins: [toDist],
    });
    const page = `<!doctype html><meta charset="utf-8"><title>Leave</title><div id="root"></div>
      <script>window.__doctypes = ${JSON.stringify(doctypes).replace(/</g, '\\u003c')};</script>
      <script type="module" src="/app.js"></script>`;
    const workflow = {
      name: 'Leave Approval', document_type: 'Leave Application', is_active: 1, workflow_state_field: 'workflow_state',
      states: [
        { state: 'Open', doc_status: '0', allow_edit: 'Employee', update_field: 'status', update_value: 'Open' },
        { state: 'Approved', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Approved' },
        { state: 'Rejected', doc_status: '1', allow_edit: 'Leave Approver', update_field: 'status', update_value: 'Rejected' },
      ],
      transitions: [
        { state: 'Open', action: 'Approve', next_state: 'Approved', allowed: 'Leave Approver', allow_self_approval: 1 },
        { state: 'Open', action: 'Reject', next_state: 'Rejected', allowed: 'Leave Approver', allow_self_approval: 1 },
      ],
    };
    const wfPage = page.replace('<script type="module"', `<script>window.__workflow = ${JSON.stringify(workflow)};</script><script type="module"`);
    server = await serveFiles({
      '/': ['text/html', page], '/workflow': ['text/html', wfPage], '/app.js': ['text/javascript', bundle.outputFiles[0]!.text],
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const renders = (page: Page) => page.evaluate(() => ({ ...window.__renders }));
  /** Open the page at `route`, collecting page errors; resolves once the form is on screen. */
  async function open(route: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + route);
    await page.waitForSelector('#leave', { timeout: 20_000 });
    expect(await page.evaluate(() => document.body.dataset.error ?? null)).toBeNull();
    const employee = await page.evaluate(() => (window.__engine as { employee: string }).employee);
    return { page, errors, employee };
  }
  const idle = (page: Page) => page.waitForFunction(() => document.querySelector('#toolbar')?.getAttribute('data-busy') === '0');

  it('drives a Leave Application form as a user would', async () => {
    const { page, errors, employee } = await open('/');

    // mandatory markers; half_day_date hidden until half_day is ticked with two different dates
    expect(await page.locator('[data-reqd="leave_type"]').count()).toBe(1);
    expect(await page.locator('[data-reqd="description"]').count()).toBe(0);
    expect(await page.locator('[data-field="half_day_date"]').count()).toBe(0);

    await page.fill('#f-employee', employee);
    await page.waitForFunction(() => (document.querySelector('#f-company') as HTMLInputElement | null)?.value === 'Acme'); // fetch_from employee.company
    await page.fill('#f-from_date', '2026-03-02');
    await page.fill('#f-to_date', '2026-03-04');
    await page.check('#f-half_day');
    await page.waitForSelector('[data-field="half_day_date"]');

    // typing in one field re-renders that field, not the others
    const before = await renders(page);
    await page.type('#f-description', 'Trip', { delay: 20 });
    await page.waitForFunction(() => (document.querySelector('#f-description') as HTMLInputElement).value === 'Trip');
    await page.waitForTimeout(100);
    const after = await renders(page);
    expect(after.description! - before.description!).toBeGreaterThanOrEqual(4);
    for (const f of ['employee', 'leave_type', 'from_date', 'to_date', 'half_day_date', 'status']) expect(after[f], f).toBe(before[f]);

    // a refused save shows Frappe's message on the field
    await page.click('[data-action="save"]');
    await idle(page);
    await page.waitForSelector('[data-issue="leave_type"]');
    expect(await page.textContent('[data-issue="leave_type"]')).toBe('Error: Value missing for Leave Application: Leave Type');
    expect(await page.getAttribute('#error', 'data-code')).toBe('VALIDATION');

    await page.fill('#f-leave_type', 'Casual Leave');
    await page.fill('#f-half_day_date', '2026-03-03');
    await page.click('[data-action="save"]');
    await idle(page);
    await page.waitForFunction(() => /^HR-LAP-\d{4}-/.test(document.querySelector('#docname')?.textContent ?? ''));
    expect(await page.locator('[data-issue]').count()).toBe(0);

    await page.click('[data-action="submit"]');
    await idle(page);
    await page.waitForFunction(() => document.querySelector('#docstatus')?.textContent === '1');
    expect(await page.locator('#f-from_date').isDisabled()).toBe(true);
    expect(await page.locator('[data-action="cancel"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('takes a workflow action from the toolbar: the transitions replace Submit', async () => {
    const { page, errors, employee } = await open('/workflow');
    await page.fill('#f-employee', employee);
    await page.waitForFunction(() => (document.querySelector('#f-company') as HTMLInputElement | null)?.value === 'Acme');
    await page.fill('#f-leave_type', 'Casual Leave');
    await page.fill('#f-from_date', '2026-03-02');
    await page.fill('#f-to_date', '2026-03-02');
    await page.click('[data-action="save"]');
    await idle(page);
    await page.waitForSelector('[data-action="Approve"]');
    expect(await page.locator('[data-action="submit"]').count()).toBe(0);
    expect(await page.locator('[data-action="Reject"]').count()).toBe(1);
    await page.click('[data-action="Approve"]');
    await idle(page);
    await page.waitForFunction(() => document.querySelector('#docstatus')?.textContent === '1');
    expect(await page.inputValue('#f-status')).toBe('Approved');
    expect(await page.locator('[data-action="Approve"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
