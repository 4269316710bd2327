/**
 * Checks on the built package (`npm test` builds before running vitest): the artefacts the exports map names
 * exist, both module formats load and expose the contract, and no code generation made it into dist/.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, repoRoot } from '../helpers/paths';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const CONTRACT = [
  'parseDoctype', 'createRegistry', 'compileExpression', 'evaluateCondition', 'SchemaError', 'ExpressionError',
];

describe('dist/', () => {
  it('has every file the exports map names', () => {
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    expect(targets).toContain('./dist/index.js');
    expect(targets).toContain('./dist/index.cjs');
    for (const t of targets) expect(existsSync(path.join(repoRoot, t)), t).toBe(true);
  });

  it('contains no eval( and no new Function', () => {
    const files = readdirSync(distDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(c?js)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(path.join(distDir, f), 'utf8');
      expect(text, f).not.toMatch(/\beval\s*\(/);
      expect(text, f).not.toMatch(/new\s+Function\b/);
      expect(text, f).not.toMatch(/\bFunction\s*\(/);
    }
  });

  it('loads as ESM and as CJS, with the same contract', async () => {
    const esm = await import(pathToFileURL(path.join(distDir, 'index.js')).href);
    const cjs = createRequire(import.meta.url)(path.join(distDir, 'index.cjs'));
    for (const name of CONTRACT) {
      expect(typeof esm[name], `esm ${name}`).toBe('function');
      expect(typeof cjs[name], `cjs ${name}`).toBe('function');
    }
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort());
  });

  it('subpath entries load in both formats', async () => {
    const req = createRequire(import.meta.url);
    const subpaths: Record<string, string> = {
      testing: 'coworkerMatchers', 'testing-node': 'loadApp', 'node/index': 'main', pglite: 'pgliteAdapter', postgres: 'postgresAdapter', sqlite: 'sqliteAdapter',
    };
    for (const [file, name] of Object.entries(subpaths)) {
      const esm = await import(pathToFileURL(path.join(distDir, `${file}.js`)).href);
      expect(typeof esm[name], `${file}.js ${name}`).not.toBe('undefined');
      expect(typeof req(path.join(distDir, `${file}.cjs`))[name], `${file}.cjs ${name}`).not.toBe('undefined');
    }
  });

  it('error classes are real Error subclasses with a string code', async () => {
    const { SchemaError, ExpressionError, CoworkerError } = await import(pathToFileURL(path.join(distDir, 'index.js')).href);
    const e = new ExpressionError('EXPR_SYNTAX', 'Unexpected token', 'eval:doc.', 9);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(CoworkerError);
    expect(e.code).toBe('EXPR_SYNTAX');
    expect(e.index).toBe(9);
    const s = new SchemaError('SCHEMA_INVALID', 'X', [{ path: ['fields', 0], message: 'bad' }]);
    expect(s).toBeInstanceOf(Error);
    expect(s.code).toBe('SCHEMA_INVALID');
    expect(s.issues).toHaveLength(1);
  });
});

describe('package.json', () => {
  it('ships only dist/, is side-effect free and ESM-first', () => {
    expect(pkg.name).toBe('coworker');
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    // dist/ without source maps, the docs (without the generated API reference), LICENSE and README.
    expect(pkg.files).toEqual(['dist', '!dist/**/*.map', 'docs', '!docs/api', 'LICENSE', 'README.md']);
    expect(existsSync(path.join(repoRoot, 'LICENSE'))).toBe(true);
    expect(pkg.exports['.'].import.types).toBe('./dist/index.d.ts');
    expect(pkg.exports['.'].require.types).toBe('./dist/index.d.cts');
  });

  it('holds one copy of the library: every subpath, ESM and CJS, shares the core', async () => {
    const esmMain = await import(pathToFileURL(path.join(distDir, 'index.js')).href);
    const esmNode = await import(pathToFileURL(path.join(distDir, 'node/index.js')).href);
    const require = createRequire(import.meta.url);
    const cjsMain = require(path.join(distDir, 'index.cjs'));
    const cjsNode = require(path.join(distDir, 'node/index.cjs'));
    for (const [node, main] of [[esmNode, esmMain], [cjsNode, cjsMain]] as const) {
      const e = await node.loadFolder('/no/such/folder').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(main.CoworkerError);
    }
    // No entry file carries the core itself: the biggest entry is a small re-export of shared chunks.
    const entries = ['index', 'testing', 'node/index', 'testing-node', 'pglite', 'postgres'];
    for (const e of entries) for (const ext of ['.js', '.cjs']) {
      const size = readFileSync(path.join(distDir, e + ext)).length;
      expect(size, e + ext).toBeLessThan(100_000); // the core alone is about 300 kB
    }
  });

  it('has exactly the allowed runtime dependencies', () => {
    // The expression engine is the attack surface: no other parser or evaluator may creep in (DECISIONS.md).
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['mitt', 'toposort']);
    expect(JSON.stringify(pkg)).not.toContain('expr-eval');
    expect(JSON.stringify(pkg)).not.toContain('jsep'); // our own parser (src/expr/parse.ts, DECISIONS.md)
  });
});

describe('the coworker executable (package.json bin)', () => {
  const bin = path.join(repoRoot, pkg.bin.coworker);
  const run = async (...args: string[]) => {
    const { spawnSync } = await import('node:child_process');
    return spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
  };

  it('is built, with a shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('lints a clean app with exit 0 and a broken folder with exit 1', async () => {
    const clean = await run('lint', 'fixtures/app');
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout + clean.stderr).toContain('0 findings'); // the summary line goes to stderr
    const bad = await run('lint', 'fixtures/lint-bad');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/UNKNOWN_FIELD_REFERENCE|INVALID_DOCTYPE/);
  });

  it('answers --help on every command, and exit 2 for a usage error', async () => {
    for (const cmd of [[], ['lint'], ['validate'], ['types']]) {
      const r = await run(...cmd, '--help');
      expect(r.status, `${cmd.join(' ')} --help`).toBe(0);
      expect(r.stdout).toMatch(/usage/i);
    }
    expect((await run('no-such-command')).status).toBe(2);
  });
});
