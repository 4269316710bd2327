/**
 * The `coworker` command line: `main(argv, io)` dispatches to a command and returns the exit code. It never
 * calls `process.exit` and reads nothing from `process`, so tests run it in-process with captured io.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { lintCommand } from './commands/lint';
import { typesCommand } from './commands/types';
import { validateCommand } from './commands/validate';
import { HELP, type CommandName } from './help';
import { CliError, EXIT, type CliIO } from './io';
import pkg from '../../package.json';

const COMMANDS: Readonly<Record<CommandName, (args: readonly string[], io: CliIO) => Promise<number>>> = {
  lint: lintCommand,
  validate: validateCommand,
  types: typesCommand,
};

const isCommand = (name: string): name is CommandName => Object.prototype.hasOwnProperty.call(COMMANDS, name);

/**
 * Run the CLI.
 *
 * @example
 * const code = await main(['lint', 'fixtures/app', '--format', 'json'], processIO());
 * @param argv - the arguments after the executable (`process.argv.slice(2)`)
 * @param io - streams and working directory (see {@link CliIO})
 * @returns the exit code: 0 clean, 1 findings / issues, 2 usage error, 3 unreadable input, 4 internal error
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    io.stdout.write(topic !== undefined && isCommand(topic) ? HELP[topic] : HELP.main);
    return command === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`coworker ${pkg.version}\n`);
    return EXIT.OK;
  }
  if (!isCommand(command)) {
    io.stderr.write(`coworker: unknown command "${command}"\n\n${HELP.main}`);
    return EXIT.USAGE;
  }
  try {
    return await COMMANDS[command](rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`coworker ${command}: ${e.message}\n`);
      if (e.code === 'CLI_USAGE') io.stderr.write(`\n${HELP[command]}`);
      return e.code === 'CLI_USAGE' ? EXIT.USAGE : EXIT.UNREADABLE;
    }
    const detail = e instanceof CoworkerError ? `${e.code}: ${e.message}` : e instanceof Error ? e.stack ?? e.message : String(e);
    io.stderr.write(`coworker ${command}: internal error (please report it)\n${detail}\n`);
    return EXIT.INTERNAL;
  }
}
