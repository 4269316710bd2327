/**
 * Tests that read `../shared` (the Frappe corpus, the apps, the oracle) beside the checkout. Without it those
 * files are left out with one clear line instead of failing one by one with ENOENT: a file needs it when it
 * names the shared folder itself, or imports (transitively, by relative path) a module that does.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const MARKERS = /\bsharedRoot\b|\bcorpusRoot\b|\.\.\/shared\/|frappe-oracle|frappe-apps|frappe-doctypes/;
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, out);
    } else if (/\.(ts|tsx|mts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, path.join(base, 'index.ts')]) if (existsSync(c) && !c.endsWith(path.sep)) return c;
  return undefined;
}

/**
 * The test files to leave out when `../shared` is missing (relative to `root`), or `[]` when it is there.
 * @param root - the repository root
 */
export function filesNeedingShared(root: string): string[] {
  if (existsSync(path.resolve(root, '../shared'))) return [];
  const files = [...walk(path.join(root, 'test')), ...walk(path.join(root, 'examples'))];
  const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const needs = new Set(files.filter((f) => MARKERS.test(text.get(f)!)));
  for (let grew = true; grew;) {
    grew = false;
    for (const f of files) {
      if (needs.has(f)) continue;
      for (const m of text.get(f)!.matchAll(IMPORT)) {
        const target = resolveImport(f, m[1]!);
        if (target && needs.has(target)) {
          needs.add(f);
          grew = true;
          break;
        }
      }
    }
  }
  const tests = [...needs].filter((f) => /\.test\.tsx?$/.test(f)).map((f) => path.relative(root, f));
  console.warn(`../shared is not beside the checkout: ${tests.length} test files that read it are skipped (the Frappe corpus, apps and oracle).`);
  return tests;
}
