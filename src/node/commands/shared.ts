/**
 * Pieces shared by the commands: loading a folder with progress, resolving paths.
 *
 * @module
 */
import path from 'node:path';
import { CliError, displayPath, progress, type CliIO } from '../io';
import { loadFolders, type LoadedFolder } from '../load-folder';

/**
 * Load the DocType folders named on the command line (one registry, in the order given, as a bench holds its
 * apps), with a progress line on a terminal.
 * @param io - the CLI io (relative paths resolve against `io.cwd`)
 * @param dirs - one folder as given, or several
 * @returns the loaded folders
 * @throws {CliError} `CLI_UNREADABLE` when a folder cannot be read
 */
export async function loadDoctypeFolder(io: CliIO, dirs: string | readonly string[]): Promise<LoadedFolder> {
  const bar = progress(io, 'loading DocTypes');
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  try {
    return await loadFolders(list.map((d) => path.resolve(io.cwd, d)), { display: (abs) => displayPath(io, abs), onProgress: bar.update });
  } finally {
    bar.clear();
  }
}

/**
 * The folders of a command: every positional argument, then every `--app` value, in the order given.
 * @param appOption - the parsed `--app` option (a string or a list with `multiple: true`)
 * @param positionals - the positional arguments
 * @returns the folders (at least one)
 * @throws {CliError} `CLI_USAGE` when there is none
 */
export function folderArgs(appOption: unknown, positionals: readonly string[]): string[] {
  const apps = Array.isArray(appOption) ? (appOption as string[]) : typeof appOption === 'string' ? [appOption] : [];
  const dirs = [...positionals, ...apps];
  if (dirs.length === 0) throw new CliError('CLI_USAGE', 'missing folder');
  return dirs;
}

/**
 * Fail with exit code 3 when a folder held no DocType at all (a wrong path is the usual cause).
 * @throws {CliError} `CLI_UNREADABLE`
 */
export function requireDoctypes(loaded: LoadedFolder, dir: string | readonly string[]): void {
  if (loaded.registry.list().length === 0 && loaded.findings.length === 0) {
    throw new CliError('CLI_UNREADABLE', `no DocType JSON found under ${typeof dir === 'string' ? dir : dir.join(', ')}`);
  }
}
