/**
 * docs/errors.md lists every code: each code a `CoworkerError` subclass is constructed with in src/, each issue,
 * run and storage code, and each schema / expression code of the error unions.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ISSUE_CODES } from '../src/issues';
import { RUN_ERROR_CODES } from '../src/run/codes';
import { STORAGE_ERROR_EXC } from '../src/storage/errors';
import { repoRoot } from './helpers/paths';

const doc = readFileSync(path.join(repoRoot, 'docs', 'errors.md'), 'utf8');
const srcDir = path.join(repoRoot, 'src');
const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(srcDir, f), 'utf8'));

/** A code is documented when it appears backquoted, or under a documented prefix family (`STORAGE_*`). */
const documented = (code: string) => doc.includes(`\`${code}\``) || doc.includes(`\`${code.replace(/_.*/, '')}_*\``);

describe('docs/errors.md', () => {
  it('lists every thrown error code in src/', () => {
    const thrown = new Set<string>();
    for (const text of sources) {
      for (const m of text.matchAll(/new (?:CoworkerError|RunFailure|StorageError|DocError|CliError|SchemaError|ExpressionError|PyExprError)\(\s*'([A-Z][A-Z_]+)'/g)) thrown.add(m[1]!);
    }
    expect(thrown.size).toBeGreaterThan(30);
    expect([...thrown].filter((c) => !documented(c))).toEqual([]);
  });

  it('lists every issue, run and storage code', () => {
    const all = [...Object.keys(ISSUE_CODES), ...Object.keys(RUN_ERROR_CODES), ...Object.keys(STORAGE_ERROR_EXC)];
    expect(all.filter((c) => !documented(c))).toEqual([]);
  });

  it('gives each issue and run code its Frappe exception name as in the source', () => {
    for (const [code, exc] of Object.entries(RUN_ERROR_CODES)) expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${exc} \\|`));
    for (const [code, exc] of Object.entries(ISSUE_CODES)) expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${exc}`));
  });
});
