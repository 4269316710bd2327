/**
 * What a hook changed on a document: the paths reported in `output.meta.hooks` and in test traces.
 *
 * @module
 */
import type { DocData } from '../doc/types';

/** Equal as plain data (objects compared as JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed between two states of a document: fields, row fields (`items[2].amount`, 1-based) and row
 * counts (`items: 1 -> 2 rows`); arrays are taken as tables.
 * @param before - the earlier state
 * @param after - the later state
 * @returns the changed paths, fields first
 */
export function changedPaths(before: DocData, after: DocData): string[] {
  const out: string[] = [];
  const tables: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (Array.isArray(before[key]) || Array.isArray(after[key])) tables.push(key);
    else if (!sameValue(before[key], after[key])) out.push(key);
  }
  for (const table of tables) {
    const a = Array.isArray(before[table]) ? (before[table] as DocData[]) : [];
    const b = Array.isArray(after[table]) ? (after[table] as DocData[]) : [];
    if (a.length !== b.length) out.push(`${table}: ${a.length} -> ${b.length} rows`);
    b.forEach((row, i) => {
      const old = a[i];
      if (!old || typeof old !== 'object' || typeof row !== 'object' || row === null) return;
      for (const key of new Set([...Object.keys(old), ...Object.keys(row)])) {
        if (!sameValue(old[key], row[key])) out.push(`${table}[${i + 1}].${key}`);
      }
    });
  }
  return out;
}
