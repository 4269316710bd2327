/** Reads the shared Frappe DocType corpus (beside the checkout) for benches. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const corpusRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/frappe-doctypes');

export interface CorpusFile {
  readonly source: string;
  readonly file: string;
  readonly text: string;
}

/** Every corpus file as text, in a stable order. */
export function readCorpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const source of readdirSync(corpusRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const file of readdirSync(path.join(corpusRoot, source)).filter((f) => f.endsWith('.json')).sort()) {
      out.push({ source, file, text: readFileSync(path.join(corpusRoot, source, file), 'utf8') });
    }
  }
  return out;
}

/** ERPNext's app folder in the current Frappe apps (beside the checkout). */
export const erpnextRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/frappe-apps/erpnext');

/** Every ERPNext DocType JSON (`<module>/doctype/<name>/<name>.json`), parsed with JSON.parse. */
export function readErpnextJson(): unknown[] {
  const out: unknown[] = [];
  for (const file of readdirSync(erpnextRoot, { recursive: true, encoding: 'utf8' })) {
    const parts = file.split(path.sep);
    if (parts.at(-3) !== 'doctype' || `${parts.at(-2)}.json` !== parts.at(-1)) continue;
    out.push(JSON.parse(readFileSync(path.join(erpnextRoot, file), 'utf8')));
  }
  return out;
}
