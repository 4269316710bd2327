/**
 * Frappe's document flags for one run (`doc.insert(ignore_permissions=True)`, `doc.flags.ignore_links`...),
 * with Frappe's meaning. They switch server rules off, so they are trusted-code features: a run may use a
 * flag only when the code that built the engine allowed it (`createEngine({ allowFlags })`), and every flag
 * used is recorded on the run record (`flags`).
 *
 * | flag | what Frappe skips (frappe/model/document.py, base_document.py, naming.py) |
 * |---|---|
 * | `ignore_permissions` | DocType rights and permlevel checks (`check_permission`); output is not stripped |
 * | `ignore_links` | Link / Dynamic Link existence and `fetch_from` (`_validate_links`); on cancel, the submitted documents linking here (`check_no_back_links_exist`) |
 * | `ignore_mandatory` | mandatory fields and tables (`_validate_mandatory`) |
 * | `ignore_validate_update_after_submit` | the allow-on-submit check (`_validate_update_after_submit`) |
 * | `ignore_version` | no `Version` of the save for a DocType with `track_changes` (`save_version`) |
 * | `in_import` | defaults are not filled (`_set_defaults`), the given `name` is kept (`set_new_name`), Select options and `set_only_once` are not checked (`_validate_selects`, `_validate_constants`) |
 *
 * @module
 */
import { RunFailure } from './codes';
import type { RunOptions } from './types';

/** The flags a run may set. */
export const RUN_FLAGS = [
  'ignore_permissions', 'ignore_links', 'ignore_mandatory', 'ignore_validate_update_after_submit', 'in_import',
  'ignore_version',
] as const;

/** One of {@link RUN_FLAGS}. */
export type RunFlag = (typeof RUN_FLAGS)[number];

/** The flags in effect for a run (all false unless set and allowed). */
export type RunFlags = Readonly<Record<RunFlag, boolean>>;

/** No flag set. */
export const NO_FLAGS: RunFlags = Object.freeze(Object.fromEntries(RUN_FLAGS.map((f) => [f, false])) as Record<RunFlag, boolean>);

const KNOWN = new Set<string>(RUN_FLAGS);

/**
 * The engine's allowed flags from its options (checked at `createEngine`).
 * @param allow - `allowFlags` of the engine options
 * @returns the allowed set
 * @throws {RunFailure} never; configuration errors are returned as a message instead
 */
export function allowedFlags(allow: readonly string[] | 'all' | undefined): { set: ReadonlySet<RunFlag> } | { error: string } {
  if (allow === undefined) return { set: new Set() };
  if (allow === 'all') return { set: new Set(RUN_FLAGS) };
  if (!Array.isArray(allow)) return { error: `allowFlags must be 'all' or a list of ${RUN_FLAGS.join(', ')}` };
  const bad = allow.filter((f) => !KNOWN.has(f));
  if (bad.length) return { error: `allowFlags: unknown flag${bad.length === 1 ? '' : 's'} ${bad.join(', ')} (known: ${RUN_FLAGS.join(', ')})` };
  return { set: new Set(allow as RunFlag[]) };
}

/**
 * The flags a run asks for in `options.flags` (`{ ignore_links: true }`), checked against what the engine
 * allows.
 * @param options - the run's options
 * @param allowed - the engine's allowed flags
 * @returns the flags in effect and the names of those set
 * @throws {RunFailure} `INVALID_RUN` for a malformed or unknown flag, `FLAG_NOT_ALLOWED` for a flag the
 *   engine does not allow
 */
export function runFlags(options: RunOptions, allowed: ReadonlySet<RunFlag>): { flags: RunFlags; used: readonly RunFlag[] } {
  const given = options.flags;
  if (given === undefined || given === null) return { flags: NO_FLAGS, used: [] };
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new RunFailure('INVALID_RUN', 'options.flags must be an object such as { ignore_links: true }');
  }
  const used: RunFlag[] = [];
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    if (!KNOWN.has(name)) throw new RunFailure('INVALID_RUN', `Unknown flag ${name} in options.flags (known: ${RUN_FLAGS.join(', ')})`);
    if (value === false || value === 0 || value === null || value === undefined) continue;
    if (value !== true && value !== 1) throw new RunFailure('INVALID_RUN', `options.flags.${name} must be true or false`);
    if (!allowed.has(name as RunFlag)) {
      throw new RunFailure('FLAG_NOT_ALLOWED', `The flag ${name} is not allowed by this engine (createEngine option allowFlags)`);
    }
    used.push(name as RunFlag);
  }
  const flags = { ...NO_FLAGS } as Record<RunFlag, boolean>;
  for (const f of used) flags[f] = true;
  return { flags: Object.freeze(flags), used };
}
