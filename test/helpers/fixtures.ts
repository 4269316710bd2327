/** The project's own fixture app (fixtures/doctypes), parsed, and a tiny lookup over it. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import { repoRoot } from './paths';

export const fixturesDir = path.join(repoRoot, 'fixtures', 'doctypes');

/** Raw JSON of every fixture DocType, by name. */
export function fixtureJson(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(fixturesDir).filter((x) => x.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(path.join(fixturesDir, f), 'utf8'));
    out[json.name] = json;
  }
  return out;
}

/** Parsed fixture DocTypes and a lookup by name. */
export function fixtureDoctypes(): { get(name: string): DocType; tryGet(name: string): DocType | undefined; all: DocType[] } {
  const all = Object.values(fixtureJson()).map((j) => parseDoctype(j));
  const byName = new Map(all.map((d) => [d.name, d] as const));
  return {
    all,
    tryGet: (name) => byName.get(name),
    get: (name) => {
      const d = byName.get(name);
      if (!d) throw new Error(`no fixture DocType ${name}`);
      return d;
    },
  };
}
