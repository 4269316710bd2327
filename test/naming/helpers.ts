/** Shared test helpers for naming: DocTypes from the real corpus or small inline JSON, and a fixed context. */
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock, sequentialIds } from '../../src/env';
import { memoryCounters } from '../../src/naming/counters';
import type { NamingContext } from '../../src/naming/context';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import { corpusRoot } from '../helpers/paths';

const loaded = new Map<string, DocType>();

/** A real DocType from the shared Frappe corpus, e.g. `corpus('hrms', 'Interview')` (parsed once, frozen). */
export function corpus(source: string, name: string): DocType {
  const file = path.join(corpusRoot, source, `${name}.json`);
  let dt = loaded.get(file);
  if (!dt) {
    dt = parseDoctype(JSON.parse(fs.readFileSync(file, 'utf8')), { source: file });
    loaded.set(file, dt);
  }
  return dt;
}

/** A small DocType written inline, normalised by the real parser. */
export function doctype(json: Record<string, unknown>): DocType {
  return parseDoctype({ module: 'Core', fields: [], ...json });
}

/** 2024-03-05 10:20:30.123 UTC: a Tuesday in ISO week 10. */
export const NOW = '2024-03-05T10:20:30.123Z';

/** A naming context with a fixed clock, sequential ids and fresh in-memory counters. */
export function context(overrides: Partial<NamingContext> = {}): NamingContext {
  return { counters: memoryCounters(), clock: fixedClock(NOW), ids: sequentialIds(), ...overrides };
}
