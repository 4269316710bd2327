/**
 * `coworker validate --doctypes <folder> <doc.json...>`: each document goes through `engine.run` as a dry
 * run of `create` (or `update` when `--records` holds it), with an in-memory adapter and Administrator, so
 * the issues are exactly what a real run would report and nothing is written.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocData } from '../../doc/types';
import type { Issue } from '../../issues';
import { createEngine, EngineConfigError, type Engine } from '../../run/index';
import type { Registry } from '../../schema/registry';
import { memoryAdapter } from '../../storage/index';
import { formatOption, parseCommandArgs } from '../args';
import { HELP } from '../help';
import { CliError, displayPath, EXIT, readAll, type CliIO } from '../io';
import { loadDoctypeFolder } from './shared';

/** The outcome of one document. */
export interface DocumentResult {
  /** The file (or `<stdin>`). */
  readonly file: string;
  /** 0-based position in the file when it holds an array, else `undefined`. */
  readonly index: number | undefined;
  readonly doctype: string | undefined;
  readonly operation: 'create' | 'update' | undefined;
  readonly ok: boolean;
  /** Why the run failed, when it did (with issues, or e.g. `UNKNOWN_DOCTYPE`). */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly issues: readonly Issue[];
}

interface Source {
  readonly file: string;
  readonly text: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readSources(io: CliIO, files: readonly string[]): Promise<Source[]> {
  if (files.length === 0 || files.includes('-')) {
    if (files.length === 0 && io.stdin.isTTY) throw new CliError('CLI_USAGE', 'no document given (pass files, or pipe JSON to stdin)');
  }
  const names = files.length === 0 ? ['-'] : files;
  const out: Source[] = [];
  for (const name of names) {
    if (name === '-') {
      out.push({ file: '<stdin>', text: await readAll(io.stdin) });
      continue;
    }
    const abs = path.resolve(io.cwd, name);
    try {
      out.push({ file: displayPath(io, abs), text: await readFile(abs, 'utf8') });
    } catch (e) {
      throw new CliError('CLI_UNREADABLE', `cannot read ${name}: ${(e as Error).message}`, { cause: e });
    }
  }
  return out;
}

/** The documents of a source: one object, or an array of objects. */
function documentsOf(source: Source): Array<{ index: number | undefined; doc: Record<string, unknown> }> {
  let json: unknown;
  try {
    json = JSON.parse(source.text);
  } catch (e) {
    throw new CliError('CLI_UNREADABLE', `${source.file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (isObject(json)) return [{ index: undefined, doc: json }];
  if (Array.isArray(json) && json.every(isObject)) return json.map((doc, index) => ({ index, doc }));
  throw new CliError('CLI_UNREADABLE', `${source.file}: expected a document (JSON object) or an array of documents`);
}

/** `--records`: `[{ doctype, ... }]` or `{ "<DocType>": [...] }`, as [doctype, document] pairs. */
async function readRecords(io: CliIO, file: string): Promise<Array<[string, Record<string, unknown>]>> {
  const [source] = await readSources(io, [file]);
  let json: unknown;
  try {
    json = JSON.parse(source!.text);
  } catch (e) {
    throw new CliError('CLI_UNREADABLE', `${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const pairs: Array<[string, unknown]> = Array.isArray(json)
    ? json.map((d) => [isObject(d) && typeof d.doctype === 'string' ? d.doctype : '', d])
    : isObject(json) ? Object.entries(json).flatMap(([dt, docs]) => (Array.isArray(docs) ? docs.map((d) => [dt, d] as [string, unknown]) : [[dt, docs] as [string, unknown]])) : [];
  const bad = pairs.findIndex(([dt, d]) => !dt || !isObject(d) || typeof d.name !== 'string');
  if (!Array.isArray(json) && !isObject(json)) throw new CliError('CLI_UNREADABLE', `${file}: expected an array of documents or an object of arrays by DocType`);
  if (bad >= 0) throw new CliError('CLI_UNREADABLE', `${file}: record ${bad + 1} needs a "doctype" and a "name"`);
  return pairs as Array<[string, Record<string, unknown>]>;
}

/** Store the `--records` documents as they are (they are the world the documents are checked against). */
async function seed(engine: Engine, registry: Registry, records: ReadonlyArray<[string, Record<string, unknown>]>): Promise<Set<string>> {
  await engine.ready();
  const stored = new Set<string>();
  for (const [doctype, doc] of records) {
    if (!registry.has(doctype)) throw new CliError('CLI_UNREADABLE', `--records: DocType "${doctype}" is not in the --doctypes folder`);
    const { doctype: _omit, ...data } = doc;
    await engine.adapter.insert(doctype, { docstatus: 0, ...data, name: data.name as string } as DocData);
    stored.add(`${doctype}\u0000${String(data.name)}`);
  }
  return stored;
}

async function validateOne(
  engine: Engine, stored: ReadonlySet<string>, file: string, index: number | undefined, doc: Record<string, unknown>, fallback: string | undefined,
): Promise<DocumentResult> {
  const doctype = typeof doc.doctype === 'string' ? doc.doctype : fallback;
  if (!doctype) {
    return { file, index, doctype: undefined, operation: undefined, ok: false, issues: [], error: { code: 'NO_DOCTYPE', message: 'the document has no "doctype" (or pass --doctype)' } };
  }
  const { doctype: _omit, ...data } = doc;
  const operation = typeof data.name === 'string' && stored.has(`${doctype}\u0000${data.name}`) ? 'update' : 'create';
  const record = await engine.run({ operation, target_doctype: doctype, input: { data }, options: { dry_run: true } });
  const error = record.error ? { code: record.error.code, message: record.error.message } : null;
  return { file, index, doctype, operation, ok: record.success, error, issues: record.error?.issues ?? [] };
}

/** `file`, `file#2` for the second document of an array. */
const where = (r: DocumentResult): string => (r.index === undefined ? r.file : `${r.file}#${r.index + 1}`);

/**
 * One line per issue (`file:field: CODE message`, rows as `field[table#idx]`), or one line for a clean
 * document or a failure without issues.
 * @param r - a document's result
 * @returns lines without newlines
 */
export function formatResult(r: DocumentResult): string[] {
  if (r.ok) return [`${where(r)}: ok (${r.doctype}, ${r.operation})`];
  if (r.issues.length === 0) return [`${where(r)}:-: ${r.error?.code ?? 'FAILED'} ${r.error?.message ?? ''}`];
  return r.issues.map((i) => {
    const field = i.row === undefined ? i.field ?? '-' : `${i.table ?? '?'}[${i.row}].${i.field ?? '-'}`;
    return `${where(r)}:${field}: ${i.code} ${i.message}`;
  });
}

/**
 * Run `validate`.
 * @param args - arguments after `validate`
 * @param io - the CLI io
 * @returns the exit code: 0 when every document is valid, 1 otherwise
 * @throws {CliError} usage (2) and unreadable-input (3) errors
 */
export async function validateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    doctypes: { type: 'string', multiple: true }, app: { type: 'string', multiple: true }, doctype: { type: 'string' }, records: { type: 'string' }, format: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(HELP.validate);
    return EXIT.OK;
  }
  const format = formatOption(values.format);
  const dirs = [...((values.doctypes as string[] | undefined) ?? []), ...((values.app as string[] | undefined) ?? [])];
  if (dirs.length === 0) throw new CliError('CLI_USAGE', 'missing --doctypes <folder> (or --app <folder>, repeated)');
  const sources = await readSources(io, positionals);
  const loaded = await loadDoctypeFolder(io, dirs);
  if (loaded.registry.list().length === 0) throw new CliError('CLI_UNREADABLE', `no DocType JSON loaded from ${dirs.join(', ')}`);
  if (loaded.findings.length) io.stderr.write(`note: ${loaded.findings.length} problem(s) loading ${dirs.join(', ')}; run coworker lint on it\n`);

  let engine: Engine;
  try {
    engine = createEngine({ registry: loaded.registry, adapter: memoryAdapter(), user: { name: 'Administrator', roles: ['Administrator', 'System Manager'] } });
  } catch (e) {
    // A child table missing from the folders, a fetch cycle...: the DocTypes cannot be run; lint names them.
    if (e instanceof EngineConfigError) throw new CliError('CLI_UNREADABLE', `the DocTypes cannot be run (load every app they need, e.g. --app frappe --app erpnext):\n${e.message}`, { cause: e });
    throw e;
  }
  const stored = typeof values.records === 'string' ? await seed(engine, loaded.registry, await readRecords(io, values.records)) : new Set<string>();
  const fallback = typeof values.doctype === 'string' ? values.doctype : undefined;
  const results: DocumentResult[] = [];
  for (const source of sources) {
    for (const { index, doc } of documentsOf(source)) results.push(await validateOne(engine, stored, source.file, index, doc, fallback));
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    for (const r of results) for (const line of formatResult(r)) io.stdout.write(`${line}\n`);
    const failed = results.filter((r) => !r.ok).length;
    io.stderr.write(`${results.length} document${results.length === 1 ? '' : 's'}, ${failed} with issues\n`);
  }
  return results.every((r) => r.ok) ? EXIT.OK : EXIT.FINDINGS;
}
