/**
 * Every TypeScript sample in README.md and docs/ compiles as shown, with strict settings, against the library's
 * public entries (`coworker`, `coworker/testing`, ... mapped to src/). Samples may use the names of
 * test/docs/prelude.d.ts (what the guide's reader already has); a block preceded by `<!-- sample: skip ... -->`
 * is an excerpt (a signature, generated output) and is not compiled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../helpers/paths';
import { docSamples } from './samples';

/** The package's subpaths, as a user imports them, mapped to their source entries. */
const ENTRIES: Record<string, string> = {
  'coworker': 'src/index.ts', 'coworker/expr': 'src/expr/public.ts', 'coworker/testing': 'src/testing/index.ts',
  'coworker/testing/node': 'src/testing/node.ts', 'coworker/pglite': 'src/pglite.ts', 'coworker/postgres': 'src/postgres.ts',
  'coworker/sqlite': 'src/sqlite.ts', 'coworker/workflow': 'src/workflow/index.ts', 'coworker/react': 'src/react.ts',
  'coworker/node': 'src/node/index.ts',
};

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true, noEmit: true, skipLibCheck: true, jsx: ts.JsxEmit.ReactJSX, esModuleInterop: true, resolveJsonModule: true,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: ['node'], baseUrl: repoRoot,
  paths: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, [v]])),
};

/** The files of a program that have a diagnostic, with the messages (positions relative to the file). */
function diagnose(files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(ts.createProgram([...files], COMPILER_OPTIONS))) {
    if (!d.file) continue;
    const file = path.resolve(d.file.fileName);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const list = out.get(file) ?? [];
    list.push(`${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    out.set(file, list);
  }
  return out;
}

describe('code samples in README.md and docs/', () => {
  const samples = docSamples(repoRoot);

  it('finds the samples, and every skipped one says why', () => {
    expect(samples.length).toBeGreaterThan(30);
    for (const s of samples.filter((x) => x.skip)) expect(s.skipReason, `${s.file}:${s.line}`).toMatch(/\w{3,}/);
  });

  const dir = path.join(repoRoot, 'test-results', 'doc-samples');
  const files = new Map<string, (typeof samples)[number]>();
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // `./doctypes` in a sample is what `coworker types fixtures/app` generates (committed, checked in test/typegen).
    writeFileSync(path.join(dir, 'doctypes.ts'), "export * from '../../test/typegen/usage/generated';\n");
    // The README imports the user's own DocType file: any JSON object types the same.
    mkdirSync(path.join(dir, 'doctype/sales_order'), { recursive: true });
    writeFileSync(path.join(dir, 'doctype/sales_order/sales_order.json'), '{ "name": "Sales Order", "fields": [] }\n');
    samples.forEach((s, i) => {
      if (s.skip) return;
      const file = path.join(dir, `${i}-${s.file.replace(/[/.]/g, '_')}-${s.line}.${s.lang}`);
      // `export {}` makes each sample a module: its names are its own, not shared with the other samples.
      writeFileSync(file, `${s.code}\nexport {};\n`);
      files.set(file, s);
    });
  });

  it('every sample compiles under strict TypeScript against the public entries', () => {
    const problems: string[] = [];
    for (const [file, messages] of diagnose([...files.keys(), path.join(repoRoot, 'test/docs/prelude.d.ts')])) {
      const sample = files.get(file);
      if (!sample) continue;
      for (const m of messages) {
        const [line, ...rest] = m.split(': ');
        problems.push(`${sample.file}:${sample.line + Number(line)}: ${rest.join(': ')}`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('every self-contained sample (one that needs none of the prelude) runs as shown', async () => {
    // Self-contained: compiles with no prelude. It is run as a module, its `coworker` imports pointed at src/; a
    // sample whose comment shows it throwing is marked `<!-- sample: throws CODE -->` and must throw that code.
    const broken = diagnose([...files.keys()]);
    const runnable = [...files].filter(([file]) => !broken.has(file));
    expect(runnable.length).toBeGreaterThanOrEqual(5);
    const { coworkerMatchers } = await import('../../src/testing/index');
    expect.extend(coworkerMatchers as never);
    const failures: string[] = [];
    for (const [file, sample] of runnable) {
      const code = readFileSync(file, 'utf8').replace(/from '(coworker(?:\/[a-z/]+)?)'/g, (m, spec: string) =>
        ENTRIES[spec] ? `from '${path.join(repoRoot, ENTRIES[spec]!)}'` : m);
      const runFile = file.replace(/\.(tsx?)$/, '.run.$1');
      writeFileSync(runFile, code);
      try {
        await import(runFile);
        if (sample.throws) failures.push(`${sample.file}:${sample.line}: ran, but is shown throwing ${sample.throws}`);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // A sample not shown throwing must not throw at all (a TypeError has no code either).
        if (sample.throws === undefined || sample.throws !== code) failures.push(`${sample.file}:${sample.line}: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
