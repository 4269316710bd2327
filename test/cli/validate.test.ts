/**
 * `coworker validate`: documents go through engine.run as dry runs against the fixture app's DocTypes.
 * The issues are the run layer's own (codes from src/issues.ts), so these tests check the wiring: which
 * operation, which issues per document, output formats, stdin, exit codes.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentResult } from '../../src/node/commands/validate';
import { runCli } from './run-cli';

const APP = ['--doctypes', 'fixtures/app'];
const DOCS = 'fixtures/app/documents';

describe('coworker validate', () => {
  it('a valid document: exit 0, one ok line', async () => {
    const r = await runCli(['validate', ...APP, `${DOCS}/member-ok.json`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${DOCS}/member-ok.json: ok (Library Member, create)\n`);
    expect(r.stderr).toBe('1 document, 0 with issues\n');
  });

  it('prints every issue of every document (rows as table[idx].field), exit 1', async () => {
    const r = await runCli(['validate', ...APP, '--records', `${DOCS}/records.json`, `${DOCS}/book-bad.json`, `${DOCS}/loans.json`]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      // status is not an option; title is reqd.
      `${DOCS}/book-bad.json:status: INVALID_SELECT Status cannot be "Borrowed". It should be one of "Available", "On Loan", "Lost"`,
      `${DOCS}/book-bad.json:title: MANDATORY Error: Value missing for Library Book: Title`,
      // The first loan links to records that exist (--records): valid.
      `${DOCS}/loans.json#1: ok (Book Loan, create)`,
      // The second: a row's Select, a member that does not exist, and due_date made mandatory by loan_type 'Short'.
      `${DOCS}/loans.json#2:items[1].condition: INVALID_SELECT Row #1: Condition cannot be "Torn". It should be one of "Good", "Worn", "Damaged"`,
      `${DOCS}/loans.json#2:member: LINK_NOT_FOUND Could not find Member: nobody`,
      `${DOCS}/loans.json#2:due_date: MANDATORY Error: Value missing for Book Loan: Due Date`,
    ]);
    expect(r.stderr).toBe('3 documents, 2 with issues\n');
  });

  it('without --records every Link value is unknown (the adapter is empty)', async () => {
    const r = await runCli(['validate', ...APP, '--format', 'json', `${DOCS}/loans.json`]);
    const results = JSON.parse(r.stdout) as DocumentResult[];
    expect(results[0]!.issues.map((i) => [i.code, i.field, i.row ?? null])).toEqual([
      ['LINK_NOT_FOUND', 'member', null],
      ['LINK_NOT_FOUND', 'book', 1],
    ]);
  });

  it('a document stored in --records is validated as an update of it', async () => {
    const stdin = JSON.stringify({ doctype: 'Library Member', name: 'M-1', full_name: '', membership_type: 'Gold' });
    const r = await runCli(['validate', ...APP, '--records', `${DOCS}/records.json`, '--format', 'json'], { stdin });
    expect(r.code).toBe(1);
    const [result] = JSON.parse(r.stdout) as DocumentResult[];
    expect(result).toMatchObject({ file: '<stdin>', doctype: 'Library Member', operation: 'update', ok: false, error: { code: 'VALIDATION' } });
    expect(result!.issues.map((i) => i.code).sort()).toEqual(['INVALID_SELECT', 'MANDATORY']);
  });

  it('reads stdin ("-" or no file), and --doctype names the DocType of documents without one', async () => {
    const stdin = JSON.stringify([{ full_name: 'Grace Hopper' }, { doctype: 'Library Book', title: 'Cobol', isbn: '1' }]);
    const r = await runCli(['validate', ...APP, '--doctype', 'Library Member', '-'], { stdin });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('<stdin>#1: ok (Library Member, create)\n<stdin>#2: ok (Library Book, create)\n');
    const none = await runCli(['validate', ...APP], { stdin: '{"full_name": "x"}' });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('<stdin>:-: NO_DOCTYPE the document has no "doctype" (or pass --doctype)\n');
  });

  it('an unknown DocType is reported as the run reports it', async () => {
    const r = await runCli(['validate', ...APP], { stdin: '{"doctype": "Nope"}' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:-: UNKNOWN_DOCTYPE /);
  });

  it('exit codes: 2 without --doctypes or with stdin a terminal and no file; 3 for unreadable input', async () => {
    expect((await runCli(['validate', `${DOCS}/member-ok.json`])).code).toBe(2);
    expect((await runCli(['validate', ...APP])).code).toBe(2);
    expect((await runCli(['validate', ...APP, 'no-such.json'])).code).toBe(3);
    expect((await runCli(['validate', ...APP], { stdin: '{ not json' })).code).toBe(3);
    expect((await runCli(['validate', ...APP], { stdin: '42' })).code).toBe(3);
    expect((await runCli(['validate', '--doctypes', 'nowhere', `${DOCS}/member-ok.json`])).code).toBe(3);
    expect((await runCli(['validate', ...APP, '--records', `${DOCS}/member-ok.json`, `${DOCS}/member-ok.json`])).code).toBe(3);
  });
});

describe('coworker --help, help <command>, unknown commands', () => {
  it.each(['lint', 'validate', 'types'])('%s --help prints its usage and the exit codes, exit 0', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: coworker ${command}`);
    expect(r.stdout).toContain('3  unreadable input');
    expect((await runCli(['help', command])).stdout).toBe(r.stdout);
  });

  it('no command: the overview on stdout, exit 2; --help: exit 0; unknown command: exit 2', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('coworker lint <folder>');
    expect((await runCli(['--help'])).code).toBe(0);
    const unknown = await runCli(['lnt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "lnt"');
  });

  it('--version prints the package version; --help says where the docs are', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `coworker ${pkg.version}\n` });
    expect((await runCli(['--help'])).stdout).toContain('node_modules/coworker/docs');
  });
});
