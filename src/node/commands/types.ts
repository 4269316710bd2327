/**
 * `coworker types <folder> -o <file.d.ts>`.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateTypes } from '../../typegen/generate';
import { parseCommandArgs } from '../args';
import { HELP } from '../help';
import { CliError, EXIT, type CliIO } from '../io';
import { folderArgs, loadDoctypeFolder, requireDoctypes } from './shared';

/**
 * Run `types`.
 * @param args - arguments after `types`
 * @param io - the CLI io
 * @returns the exit code: 0 (files that did not load are named on stderr; their DocTypes are left out)
 * @throws {CliError} usage (2) and unreadable-input (3) errors
 */
export async function typesCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' }, app: { type: 'string', multiple: true } });
  if (values.help) {
    io.stdout.write(HELP.types);
    return EXIT.OK;
  }
  const dirs = folderArgs(values.app, positionals);
  const loaded = await loadDoctypeFolder(io, dirs);
  requireDoctypes(loaded, dirs);
  for (const d of loaded.diagnostics) io.stderr.write(`warning: ${d.file}: ${d.code} ${d.message}${d.severity === 'error' ? ' (left out)' : ''}\n`);
  const text = generateTypes(loaded.registry.list(), loaded.registry);
  const out = values.out;
  if (typeof out !== 'string') {
    io.stdout.write(text);
    return EXIT.OK;
  }
  const target = path.resolve(io.cwd, out);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, 'utf8');
  } catch (e) {
    throw new CliError('CLI_UNREADABLE', `cannot write ${out}: ${(e as Error).message}`, { cause: e });
  }
  io.stderr.write(`wrote ${loaded.registry.list().length} DocTypes to ${out}\n`);
  return EXIT.OK;
}
