/**
 * The ESM build, bundled the way a browser app would bundle it (esbuild, platform=browser), running in real
 * headless Chromium: load a real DocType, compile its expressions, evaluate conditions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, serveFiles } from '../helpers/chromium';
import { corpusRoot, distDir } from '../helpers/paths';

const leaveApplication = readFileSync(path.join(corpusRoot, 'hrms', 'Leave Application.json'), 'utf8');

describe.skipIf(browserSkipReason)(`browser build in headless Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [path.join(distDir, 'index.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const page = `<!doctype html><meta charset="utf-8"><title>coworker</title><script type="module" src="/app.js"></script>`;
    const app = `
      import * as cw from '/coworker.js';
      const json = await (await fetch('/doctype.json')).json();
      const out = { errors: [] };
      try {
        const dt = cw.parseDoctype(json);
        out.name = dt.name;
        out.fieldCount = dt.fields.length;
        const conds = dt.fields.filter((f) => f.depends_on).map((f) => [f.fieldname, f.depends_on]);
        out.compiled = conds.map(([, c]) => cw.compileExpression(c.startsWith('eval:') ? c : 'doc.' + c).references);
        const doc = { doctype: dt.name, status: 'Open', half_day: 1, docstatus: 0, leave_type: 'Casual Leave', from_date: '2026-11-02', to_date: '2026-11-04' };
        out.visible = Object.fromEntries(conds.map(([f, c]) => [f, cw.evaluateCondition(c, { doc })]));
        out.arith = cw.compileExpression('eval:doc.a + doc.b * 2 == 7 && in_list(["x", "y"], doc.c)').evaluate({ doc: { a: 1, b: 3, c: 'y' } });
        try { cw.compileExpression('eval:doc.constructor.constructor("return 1")()'); out.escaped = true; }
        catch (e) { out.escapeError = { name: e.name, code: e.code, isExpressionError: e instanceof cw.ExpressionError }; }
        try { cw.parseDoctype({ name: 'Bad', fields: [{ fieldname: 'x', fieldtype: 'Nope' }] }); }
        catch (e) { out.schemaError = { code: e.code, issues: e.issues.length }; }
      } catch (e) { out.errors.push(String(e && e.stack || e)); }
      window.__result = out;
    `;
    server = await serveFiles({
      '/': ['text/html', page],
      '/app.js': ['text/javascript', app],
      '/coworker.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/doctype.json': ['application/json', leaveApplication],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads a DocType, compiles and evaluates its conditions', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(server.url + '/');
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 20_000 });
    const out = await page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
    expect(consoleErrors).toEqual([]);
    expect(out.errors).toEqual([]);
    expect(out.name).toBe('Leave Application');
    expect(out.fieldCount).toBe(JSON.parse(leaveApplication).fields.length);
    expect((out.compiled as unknown[]).length).toBeGreaterThan(0);
    // Same answers as Node gives for the same DocType and document.
    const cw = await import(path.join(distDir, 'index.js'));
    const dt = cw.parseDoctype(JSON.parse(leaveApplication));
    const doc = { doctype: dt.name, status: 'Open', half_day: 1, docstatus: 0, leave_type: 'Casual Leave', from_date: '2026-11-02', to_date: '2026-11-04' };
    const expected = Object.fromEntries(
      dt.fields.filter((f: { depends_on?: string }) => f.depends_on).map((f: { fieldname: string; depends_on: string }) => [f.fieldname, cw.evaluateCondition(f.depends_on, { doc })]),
    );
    expect(out.visible).toEqual(expected);
    expect(Object.values(expected)).toContain(true);
    expect(out.arith).toBe(true);
    expect(out.escaped).toBeUndefined();
    expect(out.escapeError).toEqual({ name: 'ExpressionError', code: 'EXPR_UNSUPPORTED', isExpressionError: true });
    expect(out.schemaError).toEqual({ code: 'SCHEMA_INVALID', issues: 1 });
    await page.close();
  });
});
