/**
 * pgliteAdapter in real headless Chromium: the adapter bundled with esbuild (platform=browser) as an app would
 * bundle it, PGlite's WASM and data files served beside the bundle, data persisted in IndexedDB (`idb://`).
 * The page writes (create, update, select), the page is reloaded, and the data is read back from IndexedDB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { browserSkipReason, launchChromium, serveFiles } from '../helpers/chromium';
import { repoRoot } from '../helpers/paths';
import { conformanceDoctypes } from '../storage/conformance';

const pgliteDist = path.join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'dist');

// The page's app: phase "write" creates, updates and selects; phase "read" (after a reload) only reads.
const APP = `
import { pgliteAdapter } from '../../src/pglite';

const T0 = '2024-01-15 10:30:00.000000';
const T1 = '2024-01-15 10:31:00.000000';
const out = { errors: [] };
try {
  const phase = new URLSearchParams(location.search).get('phase');
  const storage = pgliteAdapter({ dataDir: 'idb://coworker-browser-test' });
  // The conformance DocTypes as parsed in Node (parseDoctype output is plain JSON data).
  await storage.prepare(await (await fetch('/doctypes.json')).json());
  if (phase === 'write') {
    await storage.insert('Conf Order', {
      name: 'SO-1', modified: T0, customer: 'Zoë', amount: 0.1 + 0.2, posting_date: '2024-02-29', payload: { a: [1, 'x'] },
      items: [{ name: 'R-1', qty: 2, rate: 9.5 }, { name: 'R-2', qty: 1, rate: 0.1 }],
    });
    out.updated = await storage.update('Conf Order', {
      name: 'SO-1', modified: T1, customer: 'Zoë', status: 'Open', amount: 0.1 + 0.2, posting_date: '2024-02-29', payload: { a: [1, 'x'] },
      items: [{ name: 'R-2', qty: 3, rate: 0.1 }],
    }, T0);
    try { await storage.update('Conf Order', { name: 'SO-1', modified: T1 }, T0); } catch (e) { out.stale = e.code; }
    out.counter = await storage.counters.next('SO-');
  }
  out.selected = await storage.query('Conf Order', { where: { status: 'Open', customer: { startsWith: 'Zo' } }, withChildren: true });
  out.rows = await storage.count('Conf Row');
  out.counterNow = await storage.counters.current('SO-');
  await storage.close();
} catch (e) { out.errors.push(String(e && e.stack || e)); }
window.__result = out;
`;

describe.skipIf(browserSkipReason)(`pgliteAdapter in headless Chromium with idb:// persistence${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: APP, resolveDir: path.join(repoRoot, 'test', 'storage-pg'), loader: 'ts', sourcefile: 'app.ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      // PGlite's Node-only code (its node file system) imports Node built-ins but runs only under Node: in the
      // browser bundle they become empty CommonJS modules, as a browser app's bundler config would do.
      plugins: [{
        name: 'empty-node-builtins',
        setup(b) {
          b.onResolve({ filter: /^(node:)?(fs|fs\/promises|path|crypto|url|module|worker_threads|zlib|stream|os|child_process|util)$/ }, (args) => ({ path: args.path, namespace: 'empty' }));
          b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
        },
      }],
    });
    // No favicon request (a 404 in the log).
    const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>pglite</title><script type="module" src="/app.js"></script>';
    // PGlite finds its files with new URL('./pglite.wasm', import.meta.url): beside the bundle, here at /.
    const asset = (file: string, type: string): [string, Uint8Array] => [type, readFileSync(path.join(pgliteDist, file))];
    server = await serveFiles({
      '/': ['text/html', page],
      '/app.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/doctypes.json': ['application/json', JSON.stringify(conformanceDoctypes())],
      '/pglite.wasm': asset('pglite.wasm', 'application/wasm'),
      '/initdb.wasm': asset('initdb.wasm', 'application/wasm'),
      '/pglite.data': asset('pglite.data', 'application/octet-stream'),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const run = async (page: Page, phase: string): Promise<Record<string, unknown>> => {
    await page.goto(`${server.url}/?phase=${phase}`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 60_000 });
    return page.evaluate(() => {
      const w = window as unknown as { __result: Record<string, unknown> };
      const r = w.__result;
      delete (w as { __result?: unknown }).__result;
      return r;
    });
  };

  it('creates, updates and selects; after a reload the data comes back from IndexedDB', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // Shown when the page never finishes (a missing file, a module that failed to load).
    const log: string[] = [];
    page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
    page.on('requestfailed', (r) => log.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) log.push(`HTTP ${r.status()}: ${r.url()}`); });
    onTestFailed(() => console.error(['browser log:', ...log, ...pageErrors].join('\n')));

    const written = await run(page, 'write');
    expect(written['errors']).toEqual([]);
    expect(written['stale']).toBe('TIMESTAMP_MISMATCH');
    expect(written['counter']).toBe(1);
    const selected = written['selected'] as Record<string, unknown>[];
    expect(selected).toHaveLength(1);
    expect(selected[0]).toMatchObject({
      name: 'SO-1', modified: '2024-01-15 10:31:00.000000', amount: 0.30000000000000004, posting_date: '2024-02-29', payload: { a: [1, 'x'] },
      items: [{ name: 'R-2', qty: 3, rate: 0.1, parent: 'SO-1', idx: 1 }],
    });
    expect(selected[0]).toEqual(written['updated']);

    await page.reload();
    const read = await run(page, 'read');
    expect(read['errors']).toEqual([]);
    // Same document, same rows, same counter: all of it came back from IndexedDB.
    expect(read['selected']).toEqual(written['selected']);
    expect(read['rows']).toBe(1);
    expect(read['counterNow']).toBe(1);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 180_000);
});
