/**
 * The three apps of `../shared/frappe-apps` (Frappe, ERPNext, HRMS) loaded together as one bench: every
 * `<app>/**\/doctype/<name>/<name>.json` in install order. A stand-in until multi-app loading is first-class
 * in the API; tests skip when the shared folder is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sharedRoot } from './paths';

export const appsRoot = path.join(sharedRoot, 'frappe-apps');
export const BENCH_APPS = ['frappe', 'erpnext', 'hrms'] as const;
export const benchAvailable = fs.existsSync(path.join(appsRoot, 'erpnext'));

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(full).isDirectory())) walk(full, out);
    else if (entry.name.endsWith('.json') && path.basename(path.dirname(path.dirname(full))) === 'doctype'
      && path.basename(full, '.json') === path.basename(path.dirname(full))) out.push(full);
  }
}

let cached: unknown[] | undefined;

/** Every DocType JSON of the bench, parsed (cached per test file). */
export function benchDoctypeJsons(): unknown[] {
  if (cached) return cached;
  const out: unknown[] = [];
  for (const app of BENCH_APPS) {
    const files: string[] = [];
    walk(path.join(appsRoot, app), files);
    files.sort();
    for (const f of files) {
      const json = JSON.parse(fs.readFileSync(f, 'utf8')) as { doctype?: string };
      if (json.doctype === 'DocType') out.push(json);
    }
  }
  return (cached = out);
}
