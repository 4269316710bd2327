/**
 * Command-line parsing on top of `node:util` `parseArgs`, turning its errors into usage errors.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed command line of one command. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parse a command's arguments (strict: unknown options are usage errors). `--help` / `-h` is always accepted.
 * @param args - the arguments after the command name
 * @param options - the command's options
 * @returns values and positionals
 * @throws {CliError} `CLI_USAGE` for an unknown option or a missing option value
 */
export function parseCommandArgs(args: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args], options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    // parseArgs reports bad input as TypeErrors with ERR_PARSE_ARGS_* codes.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new CliError('CLI_USAGE', (e as Error).message);
    throw e;
  }
}

/**
 * The `--format` option, checked.
 * @param value - the raw option value
 * @returns `text` or `json`
 * @default 'text'
 * @throws {CliError} `CLI_USAGE` for anything else
 */
export function formatOption(value: unknown): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new CliError('CLI_USAGE', `--format must be "text" or "json", not "${String(value)}"`);
}
