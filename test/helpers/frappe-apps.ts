/**
 * Test helper: the DocType JSON of the Frappe, ERPNext and HRMS apps in `../shared/frappe-apps`, read by path
 * (`<app>/**\/doctype/*\/*.json`), as a bench would load them together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sharedRoot } from './paths';

export const appsRoot = path.join(sharedRoot, 'frappe-apps');

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (entry === 'node_modules' || entry === 'public' || entry === 'fixtures') continue;
      walk(p, out);
    } else if (entry.endsWith('.json') && path.basename(path.dirname(path.dirname(p))) === 'doctype' && entry === `${path.basename(path.dirname(p))}.json`) {
      out.push(p);
    }
  }
}

const cache = new Map<string, unknown[]>();

/** Every DocType JSON of the given apps (default frappe, erpnext, hrms). */
export function appDoctypes(apps: readonly string[] = ['frappe', 'erpnext', 'hrms']): unknown[] {
  const key = apps.join(',');
  let found = cache.get(key);
  if (!found) {
    const files: string[] = [];
    for (const app of apps) walk(path.join(appsRoot, app), files);
    found = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>).filter((j) => j.doctype === 'DocType');
    cache.set(key, found);
  }
  return found;
}
