/**
 * "Did you mean" for names: the closest candidate by edit distance, compared case-insensitively.
 *
 * @module
 */

/** Levenshtein distance between two strings (small inputs: fieldtype and fieldnames). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate nearest to `input`, or `undefined` when nothing is reasonably close
 * (more than half the longer name would have to change).
 * @param input - the unknown name
 * @param candidates - the valid names
 * @returns the closest valid name, if any
 */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase().slice(0, 100); // long garbage input must not cost quadratic time
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(needle.length, best.length) / 2 ? best : undefined;
}
