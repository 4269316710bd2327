/**
 * `loadApp`: a test app from a folder of DocType JSON (Node only), loaded once per folder.
 *
 * The folder is read by the CLI's loader (`src/node/load-folder.ts`): a Frappe app
 * (`<app>/<module>/doctype/<snake>/<snake>.json`) or a flat folder of DocType JSON files, symbolic links
 * followed. Several folders load together as one bench (install order: `frappe` first), so an ERPNext test
 * sees Frappe's DocTypes. A broken file fails the load loudly, listing every problem, because a test suite over
 * a half-loaded app proves nothing (`strict: false` keeps what loaded).
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { loadFolders } from '../node/load-folder';
import type { Registry } from '../schema/registry';
import { createTestApp } from './app';
import type { TestApp, TestAppOptions } from './types';

/** Options of {@link loadApp}. */
export interface LoadAppOptions extends TestAppOptions {
  /**
   * Reuse the registry loaded earlier for the same folder string (test files share one load). Pass `false`
   * for a private registry, e.g. before `registry.applyCustomizations(...)`. @default true
   */
  readonly cache?: boolean;
  /**
   * Fail when a file does not load, or a Table field names a child DocType the app does not hold
   * (`registry.check()` errors). Turn off to keep what loaded, e.g. for a folder that leans on another app's
   * child tables without loading that app. @default true
   */
  readonly strict?: boolean;
}

const registries = new Map<string, Promise<Registry>>();
const plainApps = new Map<string, TestApp>();

/**
 * Load every DocType of an app folder (or take DocType JSON objects) into a {@link TestApp}.
 *
 * @example
 * const app = await loadApp('fixtures/testing-app/leave_app');
 * expect(app.doc('Leave Request', { half_day: 1 })).toBeMandatory('half_day_date');
 * @param source - a folder (absolute, or relative to the working directory), several folders (one bench, in
 *   install order), or DocType JSON objects
 * @param options - see {@link LoadAppOptions}
 * @returns the app; without options, the very same TestApp for the same folder string
 * @throws {CoworkerError} `TESTING_LOAD_FAILED` listing every bad file (and, when `strict`, every missing child
 *   DocType); `CLI_UNREADABLE` when the folder does not exist
 */
export async function loadApp(source: string | readonly string[] | readonly unknown[], options: LoadAppOptions = {}): Promise<TestApp> {
  const { cache = true, strict = true, ...appOptions } = options;
  const folders = typeof source === 'string' ? [source] : source.length > 0 && source.every((s) => typeof s === 'string') ? (source as string[]) : undefined;
  if (!folders) return checked(createTestApp(source as readonly unknown[], appOptions), String(source.length) + ' DocType JSON objects', strict);
  return loadFolderApp(folders, cache, strict, appOptions, Object.keys(options).length === 0);
}

async function loadFolderApp(folders: readonly string[], cache: boolean, strict: boolean, appOptions: TestAppOptions, noOptions: boolean): Promise<TestApp> {
  // One key per folder list and strictness ('\0' cannot occur in a path).
  const source = `${strict ? 'strict' : 'lenient'}\0${folders.join('\0')}`;
  const plain = cache && noOptions;
  const known = plain ? plainApps.get(source) : undefined;
  if (known) return known;
  let registry = cache ? registries.get(source) : undefined;
  if (!registry) {
    registry = readRegistry(folders, strict);
    if (cache) {
      registries.set(source, registry);
      // A failed load is not cached: the next test reports the same problem instead of a stale rejection.
      registry.catch(() => registries.delete(source));
    }
  }
  const app = checked(createTestApp(await registry, appOptions), folders.join(', '), strict);
  if (plain) plainApps.set(source, app);
  return app;
}

async function readRegistry(folders: readonly string[], strict: boolean): Promise<Registry> {
  const { registry, diagnostics } = await loadFolders(folders, { display: (abs) => abs });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length && strict) {
    const lines = errors.map((d) => `  - ${d.code} ${d.file}${d.path.length ? ` at ${d.path.join('.')}` : ''}: ${d.message}`);
    throw new CoworkerError('TESTING_LOAD_FAILED', [`cannot load ${folders.join(', ')}: ${errors.length} problem(s) (pass strict: false to keep what loaded)`, ...lines].join('\n'));
  }
  return registry;
}

function checked(app: TestApp, what: string, strict: boolean): TestApp {
  if (!strict) return app;
  const errors = app.registry.check().filter((d) => d.severity === 'error');
  if (errors.length) {
    const lines = errors.map((d) => `  - ${d.doctype}${d.fieldname ? `.${d.fieldname}` : ''}: ${d.message}`);
    throw new CoworkerError('TESTING_LOAD_FAILED', [`cannot use ${what}: ${errors.length} problem(s) (pass strict: false to allow them)`, ...lines].join('\n'));
  }
  return app;
}
