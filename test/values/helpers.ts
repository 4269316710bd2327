import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDoctype } from '../../src/schema/parse';
import type { DocField, DocType } from '../../src/schema/types';

/** A real normalised DocField, built by the schema loader from a one-field DocType. */
export function makeField(props: Record<string, unknown>): DocField {
  const dt = parseDoctype({ name: 'Test Doc', module: 'Core', fields: [{ fieldname: 'f', ...props }] });
  const df = dt.fields[0];
  if (!df) throw new Error('no field');
  return df;
}

/** A DocType from the shared Frappe corpus (`<repo>/../shared/frappe-doctypes/<source>/<name>.json`). */
export function corpusDoctype(source: string, name: string): DocType {
  const file = resolve(__dirname, '../../../shared/frappe-doctypes', source, `${name}.json`);
  return parseDoctype(JSON.parse(readFileSync(file, 'utf8')));
}

/** Options the schema loader requires for some fieldtypes. */
const REQUIRED_OPTIONS: Record<string, string> = {
  Link: 'User',
  'Dynamic Link': 'reference_doctype',
  Table: 'Has Role',
  'Table MultiSelect': 'Has Role',
  Select: 'A\nB',
};

/** A field of the given type with the options the loader needs (cached: the loader is not under test). */
const cache = new Map<string, DocField>();
export function fieldOf(fieldtype: string, extra: Record<string, unknown> = {}): DocField {
  const key = fieldtype + JSON.stringify(extra);
  let df = cache.get(key);
  if (!df) {
    const options = REQUIRED_OPTIONS[fieldtype];
    df = makeField({ fieldtype, ...(options ? { options } : {}), ...extra });
    cache.set(key, df);
  }
  return df;
}
