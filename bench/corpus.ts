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
