/**
 * The type generator: field type mapping, names, and the generated file compiled with the real TypeScript
 * compiler (programmatically): it compiles for the fixture app and for the whole real corpus, and a usage file
 * with `@ts-expect-error` lines proves that wrong fields, options and types are type errors.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { generateTypes, fieldType, typeName } from '../../src/typegen/index';
import { createRegistry } from '../../src/schema/index';
import type { DocField } from '../../src/schema/types';
import { runCli } from '../cli/run-cli';
import { corpusRoot, repoRoot } from '../helpers/paths';

const usageDir = path.join(repoRoot, 'test/typegen/usage');

/** Compile files with the project's strictness; returns "file(line): TSnnnn message" lines. */
function compile(files: readonly string[]): string[] {
  const program = ts.createProgram([...files], {
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: false, noEmit: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'], types: [], verbatimModuleSyntax: true, isolatedModules: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(repoRoot, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : '';
    return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const df = (fieldtype: string, extra: Partial<DocField> = {}) => ({ fieldname: 'f', fieldtype, options: '', select_options: undefined, ...extra }) as DocField;

describe('fieldType', () => {
  it('maps fieldtypes: numbers, 0 | 1 for Check, strings for text and dates, unknown for JSON', () => {
    expect(['Int', 'Long Int', 'Float', 'Currency', 'Percent', 'Rating', 'Duration'].map((t) => fieldType(df(t)))).toEqual(Array(7).fill('number'));
    expect(fieldType(df('Check'))).toBe('0 | 1');
    expect(['Data', 'Link', 'Dynamic Link', 'Date', 'Datetime', 'Time', 'Text Editor', 'Password', 'Attach'].every((t) => fieldType(df(t)) === 'string')).toBe(true);
    expect(fieldType(df('JSON'))).toBe('unknown');
  });

  it("Select: a union of the options plus '' (Frappe stores '' when nothing is chosen); no options: string", () => {
    expect(fieldType(df('Select', { select_options: ['', 'Open', "It's \"done\""] }))).toBe(`"" | "Open" | "It's \\"done\\""`);
    expect(fieldType(df('Select', { select_options: [] }))).toBe('string');
  });

  it('tables: arrays of the row type, or of untyped rows when the child is unknown', () => {
    expect(fieldType(df('Table', { fieldclass: 'table' }), 'SalesInvoiceItem')).toBe('SalesInvoiceItem[]');
    expect(fieldType(df('Table MultiSelect'))).toBe('{ [field: string]: unknown }[]');
  });
});

describe('typeName', () => {
  it('PascalCase, unique, never a name the file itself uses', () => {
    const taken = new Set<string>();
    expect(['Sales Invoice Item', 'ToDo', 'sales-invoice item', 'Promise', '2FA Settings', 'DocTypes'].map((n) => typeName(n, taken)))
      .toEqual(['SalesInvoiceItem', 'ToDo', 'SalesInvoiceItem2', 'PromiseDoc', '_2FASettings', 'DocTypesDoc']);
  });
});

describe('coworker types', () => {
  it('the committed types of fixtures/app are what the command generates, and they compile with the usage file', async () => {
    // test/typegen/usage/generated.ts is committed (reviewed output; the project typecheck compiles the usage
    // file against it). Regenerate with: npx tsx src/node/bin.ts types fixtures/app -o test/typegen/usage/generated.ts
    const r = await runCli(['types', 'fixtures/app']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(usageDir, 'generated.ts'), 'utf8'));
    expect(r.stdout).toContain(`export interface DocTypes {\n  "Book Loan": BookLoan;\n  "Book Loan Item": BookLoanItem;`);
    expect(r.stdout).toContain('status?: "" | "Available" | "On Loan" | "Lost" | null;');
    expect(r.stdout).toContain('items?: BookLoanItem[];');
    expect(compile([path.join(usageDir, 'app-usage.ts')])).toEqual([]);
    expect(r.stdout).toContain('export interface MandatoryFields {\n  "Book Loan": "member" | "items";');
    // createEngine<Schema>(): typed runs without casts; every @ts-expect-error there must be a real error
    expect(compile([path.join(usageDir, 'engine-usage.ts')])).toEqual([]);
  }, 60_000);

  it('-o writes the file (creating folders) and names it on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-types-'));
    const r = await runCli(['types', 'fixtures/app', '-o', 'out/doctypes.d.ts'], { cwd: dir });
    expect(r).toMatchObject({ code: 3 }); // fixtures/app is relative to cwd: not found from the temp dir
    const ok = await runCli(['types', path.join(repoRoot, 'fixtures/app'), '-o', 'out/doctypes.d.ts'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('wrote 4 DocTypes to out/doctypes.d.ts\n');
    expect(readFileSync(path.join(dir, 'out/doctypes.d.ts'), 'utf8')).toBe(readFileSync(path.join(usageDir, 'generated.ts'), 'utf8'));
  });

  it('the usage file really fails when the generated types are too loose', () => {
    // Same usage, but every field typed `any` and any key allowed: the @ts-expect-error lines about fields,
    // options, types and rows are then unused (TS2578); only the wrong DocType name still errors.
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-loose-'));
    const loose = readFileSync(path.join(usageDir, 'generated.ts'), 'utf8')
      .replace(/export interface (\w+) extends ([^{]+)\{/g, 'export interface $1 extends $2{ [key: string]: any;')
      .replace(/^ {2}(\S+)\?: .*;$/gm, '  $1?: any;');
    writeFileSync(path.join(dir, 'generated.ts'), loose);
    const srcRun = path.join(repoRoot, 'src/run/index').split(path.sep).join('/');
    writeFileSync(path.join(dir, 'app-usage.ts'), readFileSync(path.join(usageDir, 'app-usage.ts'), 'utf8').replace('../../../src/run/index', srcRun));
    const errors = compile([path.join(dir, 'app-usage.ts')]);
    expect(errors.filter((e) => e.includes('TS2578'))).toHaveLength(5);
    expect(errors.filter((e) => !e.includes('TS2578'))).toEqual([]);
  }, 60_000);

  it('types for every DocType of the real corpus compile (one file per source folder)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coworker-types-'));
    const sources = readdirSync(corpusRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const files = sources.map((source) => {
      const folder = path.join(corpusRoot, source);
      const jsons = readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(folder, f), 'utf8')));
      const registry = createRegistry(jsons, { duplicateFieldnames: 'last-wins' });
      const file = path.join(dir, `${source}.ts`);
      writeFileSync(file, generateTypes(registry.list(), registry));
      return file;
    });
    expect(compile(files)).toEqual([]);
  }, 60_000);

  it('writes to stdout without -o; usage error without a folder', async () => {
    const r = await runCli(['types', 'fixtures/app']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ Generated by `coworker types`/);
    expect((await runCli(['types'])).code).toBe(2);
  });
});
