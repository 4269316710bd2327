/**
 * `known-differences.md`: the disagreements the suite accepts, each with its reason. Every table row whose
 * first cell is a check key (`<scenario>#<step>`, `*` matches anything) is an entry; the second cell is the
 * aspect (`outcome`, `exc`, `message`, `name`, `values.x`, `rows.*`..., `*` allowed). A disagreement no entry
 * matches fails the suite; an entry nothing matches any more is reported as stale (to delete).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Check } from './compare';

export const KNOWN_FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'known-differences.md');

export interface KnownDifference {
  readonly key: string;
  readonly aspect: string;
  readonly reason: string;
  readonly line: number;
  readonly keyRe: RegExp;
  readonly aspectRe: RegExp;
}

const glob = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Parse the entries of the file (rows of its tables whose first cell is in backquotes). */
export function loadKnown(file = KNOWN_FILE): KnownDifference[] {
  const out: KnownDifference[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|(.+)\|\s*$/.exec(line);
    if (!m) return;
    const [, key, aspect, reason] = m as unknown as [string, string, string, string];
    if (!reason.trim()) throw new Error(`${file}:${i + 1}: a known difference needs its reason`);
    out.push({ key, aspect, reason: reason.trim(), line: i + 1, keyRe: glob(key), aspectRe: glob(aspect) });
  });
  return out;
}

/** The entry that accepts a disagreeing check, if any. */
export function knownFor(check: Check, known: readonly KnownDifference[]): KnownDifference | undefined {
  return known.find((k) => k.keyRe.test(check.key) && k.aspectRe.test(check.aspect));
}

/** One line describing a disagreement, for a failure message. */
export function describeCheck(c: Check): string {
  return `${c.key} ${c.aspect}: Frappe ${JSON.stringify(c.oracle)} / coworker ${JSON.stringify(c.coworker)}`;
}
