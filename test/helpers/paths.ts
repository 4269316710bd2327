/** Paths shared by tests: the repo root and the shared Frappe DocType corpus beside the checkout. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared` beside the checkout (DEVELOPERS.md): never copied into the repo. */
export const sharedRoot = path.resolve(repoRoot, '../shared');
export const corpusRoot = path.join(sharedRoot, 'frappe-doctypes');
export const distDir = path.join(repoRoot, 'dist');
/** `../shared/frappe-apps`: Frappe, ERPNext and HRMS in their app layout, to load together as a bench. */
export const frappeAppsRoot = path.join(sharedRoot, 'frappe-apps');
/** The three app folders of the bench, in install order. */
export const benchApps = ['frappe', 'erpnext', 'hrms'].map((app) => path.join(frappeAppsRoot, app));
