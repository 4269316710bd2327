/**
 * `coworker lint <folder>`.
 *
 * @module
 */
import { formatFinding, lintRegistry, sortFindings } from '../../lint/lint';
import { lintWorkflows } from '../../lint/workflow';
import { formatOption, parseCommandArgs } from '../args';
import { HELP } from '../help';
import { EXIT, type CliIO } from '../io';
import { loadDoctypeFolder, onePositional, requireDoctypes } from './shared';

/**
 * Run `lint`.
 * @param args - arguments after `lint`
 * @param io - the CLI io
 * @returns the exit code: 0 clean, 1 findings
 * @throws {CliError} usage (2) and unreadable-input (3) errors
 */
export async function lintCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' } });
  if (values.help) {
    io.stdout.write(HELP.lint);
    return EXIT.OK;
  }
  const format = formatOption(values.format);
  const dir = onePositional(positionals, 'folder');
  const loaded = await loadDoctypeFolder(io, dir);
  requireDoctypes(loaded, dir);
  const findings = sortFindings([
    ...loaded.findings, ...lintRegistry(loaded.registry, { files: loaded.files }), ...lintWorkflows(loaded.workflows, loaded.registry),
  ]);
  const doctypes = loaded.registry.list().length;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ layout: loaded.layout, doctypes, findings }, null, 2)}\n`);
  } else {
    for (const f of findings) io.stdout.write(`${formatFinding(f)}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    io.stderr.write(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}) in ${doctypes} DocType${doctypes === 1 ? '' : 's'} (${loaded.layout} layout)\n`);
  }
  return findings.length ? EXIT.FINDINGS : EXIT.OK;
}
