/** Runs `main` in-process with captured io (real files, real working directory). */
import { main } from '../../src/node/cli';
import type { CliIO } from '../../src/node/io';
import { repoRoot } from '../helpers/paths';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** @default the repo root */
  readonly cwd?: string;
  /** Text piped to stdin (`undefined`: stdin is a terminal with nothing to read). */
  readonly stdin?: string;
  /** Pretend stderr is a terminal. @default false */
  readonly tty?: boolean;
}

export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const input = options.stdin;
  const io: CliIO = {
    cwd: options.cwd ?? repoRoot,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdin: Object.assign(
      (async function* () {
        if (input !== undefined) yield new TextEncoder().encode(input);
      })(),
      { isTTY: input === undefined },
    ),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
