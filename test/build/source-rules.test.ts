/**
 * Rules on src/ that the type checker cannot see: browser first (no Node built-ins outside Node-only subpath
 * entries), no third-party expression parser, no code generation.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../helpers/paths';

const srcDir = path.join(repoRoot, 'src');
/** Node-only subpath entries (each its own `exports` entry) may use Node built-ins. */
const NODE_ONLY = /^node\/|^testing\/node\.ts$/;
const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
// Comments are dropped first: JSDoc examples show imports that are not the module's own.
const importsOf = (text: string) =>
  [...text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('src/', () => {
  it('imports no Node built-in outside Node-only entries', () => {
    expect(files.length).toBeGreaterThan(0);
    const offenders = files
      .filter((f) => !NODE_ONLY.test(f))
      .flatMap((f) => importsOf(readFileSync(path.join(srcDir, f), 'utf8')).filter((s) => builtins.has(s) || s.startsWith('node:')).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('parses expressions with its own parser: no third-party parser is imported', () => {
    const users = files.filter((f) => importsOf(readFileSync(path.join(srcDir, f), 'utf8')).some((s) => /^(jsep|acorn|esprima|espree|@babel\/parser|meriyah)(\/|$)/.test(s)));
    expect(users).toEqual([]);
  });

  it('never generates code', () => {
    for (const f of files) {
      const text = readFileSync(path.join(srcDir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(text, f).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
    }
  });

  it('imports only runtime dependencies, or optional peers outside the root entry', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const runtime = new Set(Object.keys(pkg.dependencies));
    const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
    const pkgName = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    const bad = files.filter((f) => !NODE_ONLY.test(f)).flatMap((f) =>
      importsOf(readFileSync(path.join(srcDir, f), 'utf8'))
        .filter((s) => !s.startsWith('.') && !builtins.has(s) && !runtime.has(pkgName(s)) && !peers.has(pkgName(s)))
        .map((s) => `${f}: ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('keeps optional peers (PGlite, pg, sql.js) out of everything the root entry reaches', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
    expect(peers.size).toBeGreaterThan(0);
    const pkgName = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    const resolve = (from: string, spec: string): string | undefined => {
      const base = path.join(path.dirname(from), spec);
      for (const cand of [`${base}.ts`, path.join(base, 'index.ts')]) if (files.includes(cand)) return cand;
      return undefined;
    };
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const s of importsOf(readFileSync(path.join(srcDir, f), 'utf8'))) {
        if (s.startsWith('.')) {
          const next = resolve(f, s);
          if (next) visit(next);
        } else if (peers.has(pkgName(s))) offenders.push(`${f}: ${s}`);
      }
    };
    visit('index.ts');
    expect(seen.size).toBeGreaterThan(30);
    expect(offenders).toEqual([]);
  });
});
