/**
 * The oracle's presence and its client. The differential suite runs only when the Frappe oracle is set up
 * (`FRAPPE_ORACLE=1`, which `npm run test:oracle` and `.ci/run` set after `setup.sh` succeeded); without it
 * `npm test` skips the suite and says so in one line (never silently).
 *
 * The client is `../shared/frappe-oracle/client.mjs`, imported by path (third-party test tooling, not copied).
 *
 * Parallelism: each oracle test file starts its own server and owns its DocTypes (`OT ...` for the scenarios,
 * `OT Prop ...` for the property cases), so vitest may run the two files at once, as the oracle's README allows;
 * no separate vitest project is needed. Two *runs* of the suite against one `ORACLE_HOME` at the same time
 * would reset each other's DocTypes: give a concurrent run its own `ORACLE_HOME`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedRoot } from '../helpers/paths';

export const ORACLE_DIR = path.join(sharedRoot, 'frappe-oracle');

/** One answer of the oracle (the fields the suite reads; `client.d.mts` has the full type). */
export interface OracleResponse<V = unknown> {
  readonly ok: boolean;
  readonly doc?: Record<string, unknown>;
  readonly docs?: Record<string, unknown>[];
  readonly value?: V;
  readonly exc_type: string | null;
  readonly exc_classes: string[] | null;
  readonly message: string | null;
  readonly messages: string[];
}

/** The part of `FrappeOracle` the suite uses. */
export interface Oracle {
  request<V = unknown>(req: Record<string, unknown> & { op: string }, opts?: { timeoutMs?: number }): Promise<OracleResponse<V>>;
  must<V = unknown>(req: Record<string, unknown> & { op: string }, opts?: { timeoutMs?: number }): Promise<OracleResponse<V>>;
  close(graceMs?: number): Promise<void>;
  readonly stderrTail: string;
}

/** True when the suite should run against the oracle. */
export const ORACLE_ENABLED = process.env.FRAPPE_ORACLE === '1';

/** Why the suite is skipped (printed once per file by the tests), or null when it runs. */
export function skipReason(): string | null {
  if (ORACLE_ENABLED) return null;
  const home = process.env.ORACLE_HOME ?? path.join(process.env.TMPDIR ?? '/tmp', 'frappe-oracle-home');
  const set = existsSync(path.join(home, 'venv'));
  return set
    ? 'oracle differential suite skipped: FRAPPE_ORACLE is not 1 (run `npm run test:oracle`)'
    : `oracle differential suite skipped: the Frappe oracle is not set up (no ${home}; run \`npm run test:oracle\`)`;
}

/** Start one oracle server (one per test file, README "From Node and vitest"). */
export async function startOracle(): Promise<Oracle> {
  const mod = (await import(pathToFileURL(path.join(ORACLE_DIR, 'client.mjs')).href)) as {
    FrappeOracle: { start(o: { dir: string; timeoutMs?: number }): Promise<Oracle> };
  };
  return mod.FrappeOracle.start({ dir: ORACLE_DIR, timeoutMs: 300_000 });
}

/** The oracle site's time zone (Frappe's fallback when the setup wizard never ran): the engine uses the same. */
export const ORACLE_TIME_ZONE = 'Asia/Kolkata';
