/**
 * The API reference (`npm run docs`, typedoc) covers every public entry of the package, with typedoc's
 * validation on: a type a public signature names but the reference leaves out, or a broken `{@link}`, fails.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/paths';

const read = (file: string): unknown => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'));

describe('typedoc reference', () => {
  const config = read('typedoc.json') as { entryPoints: string[]; validation: Record<string, boolean>; treatValidationWarningsAsErrors?: boolean };

  it('documents the source of every entry the package exports, with validation on', () => {
    // tsup.config.ts names each entry's source; package.json's exports name the built files.
    const tsup = readFileSync(path.join(repoRoot, 'tsup.config.ts'), 'utf8');
    const dts = tsup.slice(tsup.indexOf('dts:'));
    const sources = [...dts.matchAll(/'?([\w/-]+)'?: '(src\/[\w/.-]+\.ts)'/g)].map((m) => m[2]!);
    expect(sources.length).toBeGreaterThanOrEqual(10);
    expect([...config.entryPoints].sort()).toEqual([...new Set(sources)].sort());
    expect(config.validation).toMatchObject({ notExported: true, invalidLink: true });
    expect(config.treatValidationWarningsAsErrors).toBe(true);
  });

  it('builds with no warning', () => {
    let output = '';
    try {
      output = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none'], {
        cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      expect.fail(`typedoc failed:\n${output}`);
    }
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
  }, 600_000);
});
