/** Paths shared by tests: the repo root and the shared Frappe DocType corpus beside the checkout. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared` beside the checkout (DEVELOPERS.md): never copied into the repo. */
export const sharedRoot = path.resolve(repoRoot, '../shared');
export const corpusRoot = path.join(sharedRoot, 'frappe-doctypes');
export const distDir = path.join(repoRoot, 'dist');
