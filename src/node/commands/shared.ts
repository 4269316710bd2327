/**
 * Pieces shared by the commands: loading a folder with progress, resolving paths.
 *
 * @module
 */
import path from 'node:path';
import { CliError, displayPath, progress, type CliIO } from '../io';
import { loadFolder, type LoadedFolder } from '../load-folder';

/**
 * Load a DocType folder named on the command line, with a progress line on a terminal.
 * @param io - the CLI io (relative paths resolve against `io.cwd`)
 * @param dir - the folder as given
 * @returns the loaded folder
 * @throws {CliError} `CLI_UNREADABLE` when the folder cannot be read
 */
export async function loadDoctypeFolder(io: CliIO, dir: string): Promise<LoadedFolder> {
  const bar = progress(io, 'loading DocTypes');
  try {
    return await loadFolder(path.resolve(io.cwd, dir), { display: (abs) => displayPath(io, abs), onProgress: bar.update });
  } finally {
    bar.clear();
  }
}

/**
 * Fail with exit code 3 when a folder held no DocType at all (a wrong path is the usual cause).
 * @throws {CliError} `CLI_UNREADABLE`
 */
export function requireDoctypes(loaded: LoadedFolder, dir: string): void {
  if (loaded.registry.list().length === 0 && loaded.findings.length === 0) {
    throw new CliError('CLI_UNREADABLE', `no DocType JSON found under ${dir}`);
  }
}

/** The single positional argument of a command, or a usage error. */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw new CliError('CLI_USAGE', positionals.length ? `expected one ${what}, got ${positionals.length}` : `missing ${what}`);
  return positionals[0]!;
}
