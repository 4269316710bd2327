/**
 * Reads the DocType JSON of `../shared/frappe-apps` (Frappe, ERPNext, HRMS in their app layout) for benches:
 * every `<app>/**\/doctype/<name>/<name>.json` whose `doctype` is `DocType`, in install order.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const appsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/frappe-apps');
export const appsAvailable = existsSync(path.join(appsRoot, 'erpnext'));

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (entry !== 'node_modules' && entry !== 'public' && entry !== 'fixtures') walk(p, out);
    } else if (entry.endsWith('.json') && path.basename(path.dirname(path.dirname(p))) === 'doctype' && entry === `${path.basename(path.dirname(p))}.json`) {
      out.push(p);
    }
  }
}

/** Every DocType JSON of the apps, parsed. */
export function appDoctypeJsons(apps: readonly string[] = ['frappe', 'erpnext', 'hrms']): Record<string, unknown>[] {
  const files: string[] = [];
  for (const app of apps) walk(path.join(appsRoot, app), files);
  return files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>).filter((j) => j.doctype === 'DocType');
}
