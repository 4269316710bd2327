/**
 * `coworker lint <folder>...`: several folders (or `--app` repeated) lint together as one bench.
 *
 * @module
 */
import { formatFinding, lintRegistry, sortFindings } from '../../lint/lint';
import { formatOption, parseCommandArgs } from '../args';
import { HELP } from '../help';
import { EXIT, type CliIO } from '../io';
import { folderArgs, loadDoctypeFolder, requireDoctypes } from './shared';

/**
 * Run `lint`.
 * @param args - arguments after `lint`
 * @param io - the CLI io
 * @returns the exit code: 0 clean, 1 findings
 * @throws {CliError} usage (2) and unreadable-input (3) errors
 */
export async function lintCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, app: { type: 'string', multiple: true } });
  if (values.help) {
    io.stdout.write(HELP.lint);
    return EXIT.OK;
  }
  const format = formatOption(values.format);
  const dirs = folderArgs(values.app, positionals);
  const loaded = await loadDoctypeFolder(io, dirs);
  requireDoctypes(loaded, dirs);
  // Duplicate fieldnames load (the later row wins) and lintRegistry reports them from the registry: once.
  const fileFindings = loaded.findings.filter((f) => f.code !== 'DUPLICATE_FIELDNAME');
  const findings = sortFindings([...fileFindings, ...lintRegistry(loaded.registry, { files: loaded.files, apps: loaded.apps.length > 1 ? loaded.appOf : undefined })]);
  const doctypes = loaded.registry.list().length;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ layout: loaded.layout, apps: loaded.apps.map((a) => ({ name: a.name, layout: a.layout, doctypes: a.doctypes })), doctypes, findings }, null, 2)}\n`);
  } else {
    for (const f of findings) io.stdout.write(`${formatFinding(f)}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    io.stderr.write(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}) in ${doctypes} DocType${doctypes === 1 ? '' : 's'} (${loaded.layout} layout)\n`);
  }
  return findings.length ? EXIT.FINDINGS : EXIT.OK;
}
