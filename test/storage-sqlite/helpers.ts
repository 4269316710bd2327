/** Shared pieces of the SQLite adapter tests: sql.js loaded once, real ERPNext DocTypes, raw table dumps. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { parseDoctype } from '../../src/schema/parse';
import type { DocType } from '../../src/schema/types';
import type { SqlJsDatabase, SqlJsStatic } from '../../src/storage/sqlite/driver';
import { corpusRoot } from '../helpers/paths';

let loading: Promise<SqlJsStatic> | undefined;

/** The sql.js module, initialised once (its WASM module is shared by every database). */
export function sqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs() as unknown as Promise<SqlJsStatic>;
  return loading;
}

/** Parse ERPNext DocTypes from the shared corpus, each parent with every child DocType of its Table fields. */
export function erpnextDoctypes(...names: string[]): DocType[] {
  const out = new Map<string, DocType>();
  const load = (name: string): void => {
    if (out.has(name)) return;
    const doctype = parseDoctype(JSON.parse(readFileSync(path.join(corpusRoot, 'erpnext', `${name}.json`), 'utf8')));
    out.set(name, doctype);
    for (const field of doctype.fields) if (field.fieldtype === 'Table' || field.fieldtype === 'Table MultiSelect') load(field.options);
  };
  names.forEach(load);
  return [...out.values()];
}

/** Every row of both tables, raw, for "the table is unchanged" assertions. */
export function rawTables(db: SqlJsDatabase): { doctypes: unknown[][]; series: unknown[][] } {
  return {
    doctypes: db.exec('SELECT name, data FROM doctypes ORDER BY name')[0]?.values ?? [],
    series: db.exec('SELECT name, "current" FROM series ORDER BY name')[0]?.values ?? [],
  };
}

/** Whether the connection is outside any transaction (BEGIN fails inside one). */
export function idle(db: SqlJsDatabase): boolean {
  try {
    db.exec('BEGIN');
    db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}
