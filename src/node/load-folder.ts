/**
 * Loading every DocType JSON under a folder into a registry (Node only).
 *
 * Two layouts are recognised:
 * - a **Frappe app** (`<app>/<module>/doctype/<snake>/<snake>.json`): when any file matches
 *   `doctype/<x>/<x>.json`, only those files are DocTypes (apps also hold workspace, report and fixture JSON);
 * - a **flat** folder (any depth): every `.json` file whose content is a DocType (`"doctype": "DocType"`);
 *   other JSON (a MANIFEST.json, say) is skipped.
 *
 * Problems with the files are returned as lint findings (`INVALID_JSON`, `INVALID_DOCTYPE`,
 * `DUPLICATE_DOCTYPE`), so one bad file never hides the others. Only an unreadable folder throws.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SchemaError } from '../errors';
import { CliError } from './io';
import { LINT_CODES, type LintCode } from '../lint/codes';
import type { LintFinding } from '../lint/types';
import { workflowDocuments, type WorkflowSource } from '../lint/workflow';
import { createRegistry, type Registry } from '../schema/registry';
import { parseDoctype } from '../schema/parse';

/** How the folder was laid out. */
export type FolderLayout = 'app' | 'flat';

/** Options of {@link loadFolder}. */
export interface LoadFolderOptions {
  /** How a file is named in findings and in `files`. @default the path relative to the process's working directory */
  readonly display?: (absolutePath: string) => string;
  /** Called after each file is read and parsed (for progress output). @default none */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A loaded folder. */
export interface LoadedFolder {
  readonly layout: FolderLayout;
  /** Every DocType that loaded (a repeated fieldname keeps the later row, as Frappe's Meta does). */
  readonly registry: Registry;
  /** DocType name -> file (display form). */
  readonly files: ReadonlyMap<string, string>;
  /** Problems with the files themselves, in path order. */
  readonly findings: readonly LintFinding[];
  /** Workflow documents found in the folder (`"doctype": "Workflow"`, or a list of them), for `lint`. */
  readonly workflows: readonly WorkflowSource[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__']);
const APP_FILE = /(?:^|\/)doctype\/([^/]+)\/\1\.json$/;

/** Every `.json` file under `dir`, as absolute paths in code-unit order (stable across platforms). */
async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const finding = (file: string, doctype: string, field: string | undefined, code: LintCode, message: string): LintFinding =>
  Object.freeze({ file, doctype, field, code, message, severity: LINT_CODES[code].severity });

/** The fieldname at `fields[i]` of the raw JSON, for a schema problem whose path starts there. */
function rawFieldname(json: unknown, problemPath: readonly (string | number)[]): string | undefined {
  if (problemPath[0] !== 'fields' || typeof problemPath[1] !== 'number') return undefined;
  const fields = (json as { fields?: unknown }).fields;
  const row = Array.isArray(fields) ? (fields[problemPath[1]] as { fieldname?: unknown } | undefined) : undefined;
  return typeof row?.fieldname === 'string' ? row.fieldname : undefined;
}

/**
 * Load every DocType JSON under a folder.
 *
 * @example
 * const { registry, files, findings } = await loadFolder('fixtures/app');
 * lintRegistry(registry, { files });
 * @param dir - the folder (absolute, or relative to the working directory)
 * @param options - see {@link LoadFolderOptions}
 * @returns the registry, the file of each DocType, and problems with the files
 * @throws {CliError} `CLI_UNREADABLE` when `dir` does not exist or is not a readable folder
 */
export async function loadFolder(dir: string, options: LoadFolderOptions = {}): Promise<LoadedFolder> {
  const root = path.resolve(dir);
  const display = options.display ?? ((abs: string) => path.relative(process.cwd(), abs).split(path.sep).join('/'));
  let all: string[];
  try {
    if (!(await stat(root)).isDirectory()) throw new CliError('CLI_UNREADABLE', `${display(root)} is not a folder`);
    all = await jsonFiles(root);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const reason = (e as { code?: unknown }).code === 'ENOENT' ? 'no such folder' : (e as Error).message;
    throw new CliError('CLI_UNREADABLE', `cannot read folder ${display(root)}: ${reason}`, { cause: e });
  }
  const posix = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  const appFiles = all.filter((f) => APP_FILE.test(posix(f)));
  const layout: FolderLayout = appFiles.length > 0 ? 'app' : 'flat';
  const candidates = layout === 'app' ? appFiles : all;

  const findings: LintFinding[] = [];
  const workflows: WorkflowSource[] = [];
  // In the app layout Workflow JSON lives outside doctype/ (`<module>/workflow/<name>/<name>.json`, fixtures).
  if (layout === 'app') {
    for (const abs of all.filter((f) => /(?:^|\/)(?:workflow\/[^/]+\/[^/]+|fixtures\/workflow)\.json$/.test(posix(f)))) {
      try {
        for (const json of workflowDocuments(JSON.parse(await readFile(abs, 'utf8')))) workflows.push({ file: display(abs), json });
      } catch (e) {
        findings.push(finding(display(abs), '', undefined, 'INVALID_JSON', (e as Error).message));
      }
    }
  }
  const registry = createRegistry([], { duplicateFieldnames: 'last-wins' });
  const files = new Map<string, string>();
  let done = 0;
  for (const abs of candidates) {
    const file = display(abs);
    options.onProgress?.(++done, candidates.length);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(abs, 'utf8'));
    } catch (e) {
      findings.push(finding(file, '', undefined, 'INVALID_JSON', (e as Error).message));
      continue;
    }
    const isDoctype = typeof json === 'object' && json !== null && (json as { doctype?: unknown }).doctype === 'DocType';
    if (!isDoctype) {
      const found = workflowDocuments(json);
      if (found.length) {
        for (const w of found) workflows.push({ file, json: w });
        continue;
      }
      if (layout === 'app') findings.push(finding(file, '', undefined, 'INVALID_DOCTYPE', 'not a DocType JSON ("doctype" is not "DocType")'));
      continue;
    }
    const name = typeof (json as { name?: unknown }).name === 'string' ? (json as { name: string }).name : '';
    try {
      const doctype = parseDoctype(json, { source: file, duplicateFieldnames: 'last-wins' });
      const first = files.get(doctype.name);
      if (first !== undefined) {
        findings.push(finding(file, doctype.name, undefined, 'DUPLICATE_DOCTYPE', `DocType "${doctype.name}" is already defined in ${first}; this file is ignored`));
        continue;
      }
      registry.add(doctype);
      files.set(doctype.name, file);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      for (const p of e.issues) {
        const where = p.path.length ? `${p.path.join('.')}: ` : '';
        findings.push(finding(file, name, rawFieldname(json, p.path), 'INVALID_DOCTYPE', `${where}${p.message}`));
      }
    }
  }
  return { layout, registry, files, findings, workflows };
}
