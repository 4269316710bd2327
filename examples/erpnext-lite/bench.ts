/**
 * Loading a bench: the DocType JSON of several Frappe apps, read in place from their app folders
 * (`<app>/**\/doctype/<name>/<name>.json`), in install order. Nothing is copied into this repository.
 *
 * The engine's own multi-app loader is being built (see the merge notes in the README); this example needs
 * only the JSON, so it walks the folders itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/frappe-apps` beside the checkout (override with COWORKER_FRAPPE_APPS). */
export const frappeAppsRoot = process.env.COWORKER_FRAPPE_APPS
  ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/frappe-apps');

const DOCTYPE_FILE = /(?:^|[\\/])doctype[\\/]([^\\/]+)[\\/]\1\.json$/;

/**
 * Every DocType JSON of the given apps (folders under {@link frappeAppsRoot}), in app order.
 * @param apps - app folder names, in install order
 * @returns parsed JSON objects (`"doctype": "DocType"` only)
 */
export function loadBench(apps: readonly string[] = ['frappe', 'erpnext']): unknown[] {
  const out: unknown[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && DOCTYPE_FILE.test(full)) {
        const json = JSON.parse(readFileSync(full, 'utf8')) as { doctype?: string };
        if (json.doctype === 'DocType') out.push(json);
      }
    }
  };
  for (const app of apps) walk(path.join(frappeAppsRoot, app));
  return out;
}
