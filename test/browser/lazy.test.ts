/**
 * Capabilities that load on first need (docs/DECISIONS.md), in a browser: an app bundled from the ESM build with
 * esbuild's code splitting, its chunks served over HTTP to headless Chromium. A workflow transition and a rename
 * fetch their chunks when they first run, and a refusal thrown in a lazy chunk keeps its code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, serveFiles } from '../helpers/chromium';
import { distDir } from '../helpers/paths';

const APP = `
  import { createEngine, memoryAdapter } from ${JSON.stringify(path.join(distDir, 'index.js'))};
  const TICKET = {
    doctype: 'DocType', name: 'Lz Ticket', module: 'Custom', autoname: 'prompt', allow_rename: 1,
    fields: [{ fieldname: 'title', fieldtype: 'Data', label: 'Title' }, { fieldname: 'status', fieldtype: 'Data', label: 'Status' }],
    permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
  };
  const WORKFLOW = {
    name: 'Lz Flow', document_type: 'Lz Ticket', is_active: 1,
    states: [
      { state: 'Open', doc_status: '0', allow_edit: 'System Manager' },
      { state: 'Closed', doc_status: '0', allow_edit: 'System Manager', update_field: 'status', update_value: 'closed' },
    ],
    transitions: [{ state: 'Open', action: 'Close', next_state: 'Closed', allowed: 'System Manager', condition: "doc.title != 'keep'" }],
  };
  const out = { steps: [] };
  const mark = (step, r) => out.steps.push({ step, code: r.error ? r.error.code : null, chunks: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js')).length });
  try {
    const engine = createEngine({ doctypes: [TICKET], adapter: memoryAdapter(), user: { name: 'Administrator', roles: ['System Manager'] }, workflow: { workflows: [WORKFLOW] } });
    for (const s of ['Open', 'Closed']) await engine.run({ operation: 'create', target_doctype: 'Workflow State', input: { data: { workflow_state_name: s } } });
    mark('create', await engine.run({ operation: 'create', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1', title: 'a' } } }));
    mark('bad action', await engine.run({ operation: 'apply_workflow', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, action: 'Reopen' } }));
    const closed = await engine.run({ operation: 'apply_workflow', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, action: 'Close' } });
    mark('close', closed);
    out.status = closed.output && closed.output.data[0].status;
    mark('same name', await engine.run({ operation: 'rename', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, new_name: 'T-1' } }));
    mark('rename', await engine.run({ operation: 'rename', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, new_name: 'T-2' } }));
  } catch (e) { out.error = String(e && e.stack || e); }
  window.__result = out;
`;

describe.skipIf(browserSkipReason)(`lazy chunks in headless Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-lazy-'));
    writeFileSync(path.join(dir, 'app.js'), APP);
    const bundle = await build({
      entryPoints: [path.join(dir, 'app.js')], bundle: true, format: 'esm', platform: 'browser', splitting: true,
      outdir: path.join(dir, 'out'), write: false, logLevel: 'silent',
    });
    const files: Record<string, [string, string]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>coworker</title><script type="module" src="/app.js"></script>'],
    };
    for (const f of bundle.outputFiles) files[`/${path.basename(f.path)}`] = ['text/javascript', f.text];
    server = await serveFiles(files);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fetches the workflow and rename chunks when they first run; their refusals keep their codes', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + '/');
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 30_000 });
    const out = await page.evaluate(() => (window as unknown as { __result: { steps: Array<{ step: string; code: string | null; chunks: number }>; status?: string; error?: string } }).__result);
    expect(errors).toEqual([]);
    expect(out.error).toBeUndefined();
    const step = (name: string) => out.steps.find((s) => s.step === name)!;
    expect(out.steps.map((s) => [s.step, s.code])).toEqual([['create', null], ['bad action', 'VALIDATION'], ['close', null], ['same name', 'RENAME_CONFLICT'], ['rename', null]]);
    expect(out.status).toBe('closed');
    // The create already ran the workflow's save check (a workflow in code applies): its chunk came then;
    // rename's chunk came with the first rename.
    expect(step('same name').chunks).toBeGreaterThan(step('close').chunks);
    await page.close();
  }, 60_000);
});
