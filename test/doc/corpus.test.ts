import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTemporaryName, newDoc, replay, rowsOf, setValue, copyDoc } from '../../src/doc';
import type { DocData } from '../../src/doc';
import { sequentialIds } from '../../src/env';
import type { DocType } from '../../src/schema/types';
import { CORPUS_FOLDERS, corpus, corpusDoctype, opts } from './helpers';

/** Every parent DocType of the corpus whose child DocTypes are all present. */
function parents(): DocType[] {
  const names = new Set<string>();
  for (const folder of CORPUS_FOLDERS) {
    for (const f of readdirSync(path.join(corpus, folder))) if (f.endsWith('.json')) names.add(f.slice(0, -5));
  }
  const out: DocType[] = [];
  const parse = (name: string) => {
    try {
      return corpusDoctype(name);
    } catch {
      return undefined; // a few v13 files do not parse as DocTypes (the schema layer's tests cover why)
    }
  };
  for (const name of names) {
    const meta = parse(name);
    if (!meta || meta.istable) continue;
    const tables = meta.fields.filter((f) => f.fieldclass === 'table');
    if (tables.every((t) => names.has(t.options) && parse(t.options))) out.push(meta);
  }
  return out;
}

/** Checks that hold for any new document or row: defaults are well-typed and Selects hold an option. */
function checkDefaults(meta: DocType, data: DocData): void {
  for (const df of meta.fields) {
    const v = data[df.fieldname];
    if (df.fieldclass === 'display') expect(data).not.toHaveProperty(df.fieldname);
    if (v === undefined) continue;
    if (df.fieldtype === 'Int' || df.fieldtype === 'Check') expect(Number.isInteger(v), `${meta.name}.${df.fieldname}`).toBe(true);
    if (df.fieldtype === 'Currency' || df.fieldtype === 'Float') expect(typeof v, `${meta.name}.${df.fieldname}`).toBe('number');
    if (df.fieldtype === 'Select' && df.select_options && !df.default) {
      expect(df.select_options, `${meta.name}.${df.fieldname}`).toContain(v);
    }
  }
}

describe('every parent DocType of the corpus', () => {
  const all = parents();

  it('covers a large part of the corpus', () => {
    expect(all.length).toBeGreaterThan(250);
  });

  it('gets a new document with mandatory children, well-typed defaults, and round-tripping patches', () => {
    const ids = sequentialIds();
    for (const meta of all) {
      const doc = newDoc(meta, opts({ ids, withMandatoryChildren: true }));
      expect(isTemporaryName(doc.data.name)).toBe(true);
      expect(Object.isFrozen(doc.data)).toBe(true);
      checkDefaults(meta, doc.data);
      for (const table of meta.fields.filter((f) => f.fieldclass === 'table')) {
        const rows = rowsOf(doc.data, table.fieldname);
        expect(rows.length, `${meta.name}.${table.fieldname}`).toBe(table.fieldtype === 'Table' && table.reqd ? 1 : 0);
        for (const row of rows) {
          expect(row).toMatchObject({ parent: doc.data.name, parentfield: table.fieldname, parenttype: meta.name, idx: 1 });
          checkDefaults(doc.children[table.fieldname]!, row);
        }
      }
      const dataField = meta.fields.find((f) => f.fieldtype === 'Data' && f.fieldname !== meta.title_field);
      if (dataField) {
        const edited = setValue(doc, dataField.fieldname, 'edited');
        expect(replay(edited.original, edited.patches)).toEqual(edited.data);
        expect(edited.delta.values).toEqual({ [dataField.fieldname]: 'edited' });
      }
      const copy = copyDoc(doc, meta, opts({ ids }));
      expect(copy.data.name).not.toBe(doc.data.name);
    }
  });
});
