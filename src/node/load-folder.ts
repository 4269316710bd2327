/**
 * Loading every DocType JSON under one folder, or several folders as one bench, into a registry (Node only).
 *
 * Two layouts are recognised per folder:
 * - a **Frappe app** (`<app>/<module>/doctype/<snake>/<snake>.json`): when any file matches
 *   `doctype/<x>/<x>.json`, only those files are DocTypes (apps also hold workspace, report and fixture JSON);
 * - a **flat** folder (any depth): every `.json` file whose content is a DocType (`"doctype": "DocType"`);
 *   other JSON (a MANIFEST.json, say) is skipped.
 *
 * Several folders load as a bench site holds its apps: in the order given (install order: `frappe` first),
 * into one registry, so ERPNext's Links and Table fields resolve against Frappe's DocTypes. Symbolic links
 * (to files and to folders, as `bench` makes them under `apps/`) are followed; a link that loops is walked once.
 *
 * Problems with the files are returned as diagnostics and lint findings (`INVALID_JSON`, `INVALID_DOCTYPE`,
 * `DUPLICATE_DOCTYPE`, `DUPLICATE_FIELDNAME`), so one bad file never hides the others. Only an unreadable
 * folder throws (and every problem, with `strict`).
 *
 * @module
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './io';
import { LINT_CODES } from '../lint/codes';
import type { LintFinding } from '../lint/types';
import { workflowDocuments, type WorkflowSource } from '../lint/workflow';
import { loadDoctypes, type DoctypeSource, type LoadDiagnostic } from '../schema/load';
import type { Registry } from '../schema/registry';

/** How a folder was laid out. */
export type FolderLayout = 'app' | 'flat';

/** Options of {@link loadFolder} and {@link loadFolders}. */
export interface LoadFolderOptions {
  /** How a file is named in findings and in `files`. @default the path relative to the process's working directory */
  readonly display?: (absolutePath: string) => string;
  /** Called after each file is read and parsed (for progress output). @default none */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Refuse instead of loading what loads: any diagnostic (a duplicate fieldname included) throws a
   * `SchemaError` `SCHEMA_LOAD_FAILED` naming every one. @default false
   */
  readonly strict?: boolean;
}

/** One folder of a {@link LoadedFolder}. */
export interface LoadedApp {
  /** The folder's name (an app folder of a bench: `frappe`, `erpnext`...). */
  readonly name: string;
  /** The folder as given, resolved to an absolute path. */
  readonly dir: string;
  readonly layout: FolderLayout;
  /** How many DocTypes of this folder loaded. */
  readonly doctypes: number;
}

/** A loaded folder (or several, as one bench). */
export interface LoadedFolder {
  /** The layout of the first folder (see `apps` for each). */
  readonly layout: FolderLayout;
  /** Every DocType that loaded (a repeated fieldname keeps the later row, as Frappe's Meta does). */
  readonly registry: Registry;
  /** DocType name -> file (display form). */
  readonly files: ReadonlyMap<string, string>;
  /** DocType name -> the name of the folder (app) it came from. */
  readonly appOf: ReadonlyMap<string, string>;
  /** The folders, in the order given. */
  readonly apps: readonly LoadedApp[];
  /** Problems with the files (file, JSON path, code), in load order. */
  readonly diagnostics: readonly LoadDiagnostic[];
  /** The same problems as lint findings, in load order (and unreadable Workflow JSON). */
  readonly findings: readonly LintFinding[];
  /**
   * Workflow documents found beside the DocTypes, for `coworker lint`: in an app, `<module>/workflow/<x>/<x>.json`
   * and `fixtures/workflow.json`; in a flat folder, any JSON holding Workflow documents.
   */
  readonly workflows: readonly WorkflowSource[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__']);
const APP_FILE = /(?:^|\/)doctype\/([^/]+)\/\1\.json$/;

/** Every `.json` file under `dir` (symbolic links followed, each real folder once), in code-unit order. */
async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (d: string): Promise<void> => {
    const real = await realpath(d);
    if (seen.has(real)) return; // a link back up the tree
    seen.add(real);
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined); // a dangling link is skipped
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(full);
      } else if (isFile && entry.name.endsWith('.json')) out.push(full);
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A load diagnostic as a lint finding (same code, file, DocType and field; the path leads the message). */
export function diagnosticFinding(d: LoadDiagnostic): LintFinding {
  return Object.freeze({ file: d.file, doctype: d.doctype, field: d.field, code: d.code, message: d.message, severity: LINT_CODES[d.code].severity });
}

interface Listed {
  readonly name: string;
  readonly dir: string;
  readonly layout: FolderLayout;
  readonly files: readonly string[];
  /** App layout: the Workflow JSON files (they live outside doctype/). */
  readonly workflowFiles: readonly string[];
}

const WORKFLOW_FILE = /(?:^|\/)(?:workflow\/([^/]+)\/\1|fixtures\/workflow)\.json$/;

async function listFolder(dir: string, display: (abs: string) => string): Promise<Listed> {
  const root = path.resolve(dir);
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
  const workflowFiles = layout === 'app' ? all.filter((f) => WORKFLOW_FILE.test(posix(f))) : [];
  return { name: path.basename(root), dir: root, layout, files: layout === 'app' ? appFiles : all, workflowFiles };
}

/**
 * Load every DocType JSON under several folders into one registry, as a bench site holds its apps.
 *
 * @example
 * const bench = await loadFolders(['apps/frappe', 'apps/erpnext', 'apps/hrms']);
 * bench.registry.get('Sales Order'); bench.diagnostics; // [] when every file loaded
 * @param dirs - the folders in install order (absolute, or relative to the working directory)
 * @param options - see {@link LoadFolderOptions}
 * @returns the registry, the file and app of each DocType, and problems with the files
 * @throws {CliError} `CLI_UNREADABLE` when a folder does not exist or is not a readable folder;
 *   `SchemaError` `SCHEMA_LOAD_FAILED` with `strict` when any file has a problem
 */
export async function loadFolders(dirs: readonly string[], options: LoadFolderOptions = {}): Promise<LoadedFolder> {
  if (dirs.length === 0) throw new CliError('CLI_USAGE', 'no folder to load');
  const display = options.display ?? ((abs: string) => path.relative(process.cwd(), abs).split(path.sep).join('/'));
  const listed: Listed[] = [];
  for (const dir of dirs) listed.push(await listFolder(dir, display));
  const total = listed.reduce((n, l) => n + l.files.length, 0);
  const sources: DoctypeSource[] = [];
  const workflows: WorkflowSource[] = [];
  const workflowFindings: LintFinding[] = [];
  let done = 0;
  for (const folder of listed) {
    for (const abs of folder.workflowFiles) {
      const file = display(abs);
      try {
        for (const json of workflowDocuments(JSON.parse(await readFile(abs, 'utf8')))) workflows.push({ file, json });
      } catch (e) {
        workflowFindings.push(Object.freeze({ file, doctype: '', field: undefined, code: 'INVALID_JSON', message: (e as Error).message, severity: LINT_CODES.INVALID_JSON.severity }));
      }
    }
    for (const abs of folder.files) {
      const file = display(abs);
      options.onProgress?.(++done, total);
      const text = await readFile(abs, 'utf8');
      try {
        sources.push({ json: JSON.parse(text), file, app: folder.name });
      } catch (e) {
        sources.push({ json: undefined, file, app: folder.name, invalidJson: (e as Error).message });
      }
    }
  }
  // A flat folder may hold other JSON (a manifest): only an app layout promises that every file is a DocType.
  const flatFiles = new Set(listed.filter((l) => l.layout === 'flat').flatMap((l) => l.files.map(display)));
  const strictSources = sources.filter((s) => !flatFiles.has(s.file!) || isDoctypeJson(s));
  for (const s of sources) {
    if (flatFiles.has(s.file!) && !isDoctypeJson(s)) for (const json of workflowDocuments(s.json)) workflows.push({ file: s.file!, json });
  }
  const loaded = loadDoctypes(strictSources, { strict: options.strict });
  const counts = new Map<string, number>();
  for (const app of loaded.apps.values()) counts.set(app, (counts.get(app) ?? 0) + 1);
  return {
    layout: listed[0]!.layout,
    registry: loaded.registry,
    files: loaded.files,
    appOf: loaded.apps,
    apps: listed.map((l) => ({ name: l.name, dir: l.dir, layout: l.layout, doctypes: counts.get(l.name) ?? 0 })),
    diagnostics: loaded.diagnostics,
    findings: [...loaded.diagnostics.map(diagnosticFinding), ...workflowFindings],
    workflows,
  };
}

function isDoctypeJson(s: DoctypeSource): boolean {
  return s.invalidJson !== undefined || (typeof s.json === 'object' && s.json !== null && (s.json as { doctype?: unknown }).doctype === 'DocType');
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
export function loadFolder(dir: string, options: LoadFolderOptions = {}): Promise<LoadedFolder> {
  return loadFolders([dir], options);
}
