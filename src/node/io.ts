/**
 * What a CLI command reads and writes, injectable for tests: `main(argv, io)` never touches `process`.
 *
 * @module
 */
import path from 'node:path';
import { CoworkerError } from '../errors';

/** A writable text stream (process.stdout / process.stderr fit). */
export interface CliWriter {
  write(text: string): unknown;
  /** True when the stream is a terminal: progress lines are shown only then. */
  readonly isTTY?: boolean;
}

/** The CLI's streams and working directory. */
export interface CliIO {
  readonly stdout: CliWriter;
  readonly stderr: CliWriter;
  /** Read for `validate` when no document file is given, or for `-`. process.stdin fits. */
  readonly stdin: AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };
  /** Relative paths in arguments are resolved against it, and file names in output are shown relative to it. */
  readonly cwd: string;
}

/** Exit codes of every command. */
export const EXIT = {
  /** Nothing found: no lint finding, no document issue. */
  OK: 0,
  /** Lint findings, or documents with issues. */
  FINDINGS: 1,
  /** Bad command line (unknown command or option, missing argument). */
  USAGE: 2,
  /** An input could not be read: missing folder or file, not JSON, no DocType found. */
  UNREADABLE: 3,
  /** A bug in coworker (an unexpected exception); please report it. */
  INTERNAL: 4,
} as const;

/** The process io (the executable's default). */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}

/** A path shown relative to the working directory, with `/` separators on every platform. */
export function displayPath(io: CliIO, absolute: string): string {
  const rel = path.relative(io.cwd, absolute);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/** Read all of stdin as UTF-8 text. */
export async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * A progress reporter for long work: one self-overwriting line on stderr, only when stderr is a terminal
 * (never in pipes, CI logs or tests), at most every 50 ms.
 * @param io - the CLI io
 * @param label - what is being done, e.g. `loading`
 * @returns `update(done, total)` and `clear()`
 */
export function progress(io: CliIO, label: string): { update(done: number, total: number): void; clear(): void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!io.stderr.isTTY) return;
      const now = Date.now();
      if (done < total && now - last < 50) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2K${label} ${done}/${total}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Codes of {@link CliError}. */
export type CliErrorCode =
  /** A bad command line: exit code 2. */
  | 'CLI_USAGE'
  /** An input that cannot be read: exit code 3. */
  | 'CLI_UNREADABLE';

/** A bad command line or an unreadable input; `main` prints the message and exits with the matching code. */
export class CliError extends CoworkerError {
  declare readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  override get name(): string {
    return 'CliError';
  }
}
