/** Shared test setup for the document layer: real DocTypes from the shared corpus, fixed clock and ids. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoworkerError } from '../../src/errors';
import { fixedClock, sequentialIds } from '../../src/env';
import type { User } from '../../src/env';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import type { CopyDocOptions, NewDocOptions } from '../../src/doc/types';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The shared Frappe DocType corpus, beside the checkout (never copied into the repo). */
export const corpus = path.resolve(here, '../../../shared/frappe-doctypes');

const parsed = new Map<string, DocType>();

/** Corpus folders in lookup order: newer definitions first. */
export const CORPUS_FOLDERS = ['erpnext', 'frappe-current', 'hrms', 'frappe-v13'] as const;

/**
 * A corpus DocType by name, parsed once (looked up in `erpnext/`, `frappe-current/`, `hrms/`, then
 * `frappe-v13/`). It plays the part
 * of a registry's `get` for these tests: it satisfies `GetDoctype`.
 */
export function corpusDoctype(name: string): DocType {
  let d = parsed.get(name);
  if (!d) {
    const file = CORPUS_FOLDERS
      .map((folder) => path.join(corpus, folder, `${name}.json`))
      .find((f) => existsSync(f));
    if (!file) throw new Error(`no corpus DocType ${name}`);
    d = parseDoctype(JSON.parse(readFileSync(file, 'utf8')));
    parsed.set(name, d);
  }
  return d;
}

/** Parse a small DocType JSON written in a test (fields given as partial DocField JSON). */
export function doctype(name: string, fields: Record<string, unknown>[], extra: Record<string, unknown> = {}): DocType {
  return parseDoctype({ name, doctype: 'DocType', module: 'Test', fields, ...extra });
}

/** A lookup over explicitly given DocTypes. */
export function lookupOf(...doctypes: DocType[]): (name: string) => DocType {
  const byName = new Map(doctypes.map((d) => [d.name, d]));
  return (name) => {
    const d = byName.get(name);
    if (!d) throw new Error(`unknown DocType ${name}`);
    return d;
  };
}

export const user: User = {
  name: 'jane@example.com',
  full_name: 'Jane Doe',
  roles: ['System Manager'],
};

/** 2024-03-31 22:30:15 UTC: still March 31 in UTC, already April 1 in Asia/Kolkata (UTC+5:30). */
export const AT = '2024-03-31T22:30:15Z';

/** Deterministic options: fixed clock, sequential ids, the corpus registry. */
export function opts(over: Partial<NewDocOptions & CopyDocOptions> = {}): NewDocOptions & CopyDocOptions {
  return {
    user,
    clock: fixedClock(AT),
    ids: sequentialIds(),
    getDoctype: corpusDoctype,
    ...over,
  };
}

/** The `code` of the CoworkerError `fn` throws, undefined when it does not throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CoworkerError ? e.code : `not a CoworkerError: ${String(e)}`;
  }
  return undefined;
}
