/**
 * Values never become SQL: hostile text in names, fields, rows, DocType names and filter operands is stored
 * and matched literally. Also checks the two places where the JSON layout needs care: JSON path quoting of
 * keys, and legacy text read as numbers exactly as SQLite's CAST compares it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDoctype } from '../../src/schema/parse';
import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import { jsonPath, sqliteNumeric } from '../../src/storage/sqlite/json';
import type { Where } from '../../src/storage/types';
import { conformanceDoctypes } from '../storage/conformance';
import { sqlJs } from './helpers';

const ORDER = 'Conf Order';
const HOSTILE = [
  "'); DROP TABLE doctypes; --",
  "' OR '1'='1",
  '" OR 1=1 --',
  "x'||(SELECT group_concat(name) FROM doctypes)||'",
  '$."name"',
  '%_\\',
  'ctrl\u0001\u001fbyte',
  '😀 Émile',
];

describe('sqlite: SQL injection attempts', () => {
  it('hostile names and values are stored and read back literally; the tables survive', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
    for (const [i, text] of HOSTILE.entries()) {
      await storage.insert(ORDER, { name: text, customer: text, description: text, items: [{ name: `${text}#row`, item: text }] });
      const got = await storage.get(ORDER, text);
      expect(got, text).toMatchObject({ name: text, customer: text, description: text });
      expect((got?.['items'] as { name: string }[])[0]?.name).toBe(`${text}#row`);
      expect(await storage.count(ORDER)).toBe(i + 1);
    }
    expect(storage.database.exec('SELECT count(*) FROM doctypes')[0]?.values).toEqual([[HOSTILE.length]]);
    // Update and delete address exactly the hostile name.
    const first = HOSTILE[0]!;
    await storage.update(ORDER, { name: first, customer: 'changed' }, null);
    await storage.delete(ORDER, HOSTILE[1]!);
    expect((await storage.query(ORDER, { where: { customer: 'changed' } })).map((d) => d['name'])).toEqual([first]);
    expect(await storage.count(ORDER)).toBe(HOSTILE.length - 1);
  });

  it('hostile filter operands match only literally', async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
    await storage.insert(ORDER, { name: 'A', customer: 'plain' });
    await storage.insert(ORDER, { name: 'B', customer: 'nul' });
    await storage.insert(ORDER, { name: 'C', customer: "it's 100%_done" });
    const hits = async (where: Where): Promise<unknown[]> => (await storage.query(ORDER, { where })).map((d) => d['name']);
    for (const text of HOSTILE) {
      expect(await hits({ customer: text }), text).toEqual([]);
      expect(await hits({ customer: { in: [text, 'x'] } }), text).toEqual([]);
      expect(await hits({ customer: { contains: text } }), text).toEqual([]);
      expect(await hits({ name: { gt: text, lt: text } }), text).toEqual([]);
      expect(await hits({ customer: { not: text } }), text).toEqual(['A', 'B', 'C']);
    }
    // A NUL is refused (no adapter can store one), never truncated into a shorter operand that would match 'nul'.
    await expect(hits({ customer: { startsWith: 'nul\u0000' } })).rejects.toMatchObject({ code: 'STORAGE_BAD_QUERY' });
    await expect(storage.insert(ORDER, { name: 'nul\u0000byte' })).rejects.toMatchObject({ code: 'STORAGE_BAD_DOCUMENT' });
    expect(await hits({ customer: { contains: "'s 100%_" } })).toEqual(['C']);
    expect(await hits({ customer: { endsWith: '%_done' } })).toEqual(['C']);
    expect(await hits({ customer: { startsWith: "it'" } })).toEqual(['C']);
  });

  it('DocType names are values too', async () => {
    const evil = parseDoctype({ name: "Evil'); DROP TABLE doctypes; --", doctype: 'DocType', module: 'T', fields: [{ fieldname: 'title', fieldtype: 'Data' }] });
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: [evil] });
    await storage.insert(evil.name, { name: 'E-1', title: 't' });
    expect(await storage.query(evil.name, { where: { title: 't' } })).toMatchObject([{ doctype: evil.name, name: 'E-1' }]);
    expect(storage.database.exec("SELECT json_extract(data, '$.doctype') FROM doctypes")[0]?.values).toEqual([[evil.name]]);
  });
});

describe('sqlite: JSON paths and legacy numbers', () => {
  it('jsonPath names exactly its key, whatever characters the key holds', async () => {
    const SQL = await sqlJs();
    const db = new SQL.Database();
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ maxLength: 12 }), (key, other) => {
      fc.pre(key !== other);
      const json = JSON.stringify({ [key]: 'hit', [other]: 'miss' });
      const got = db.exec('SELECT json_extract(?1, ?2)', [json, jsonPath(key)])[0]?.values[0]?.[0];
      expect(got).toBe('hit');
    }), { numRuns: 300 });
    for (const key of ['a"b', 'a\\b', 'a.b', 'a[0]', '$', '"', '\\"']) {
      expect(db.exec('SELECT json_extract(?1, ?2)', [JSON.stringify({ [key]: 1, a: 2 }), jsonPath(key)])[0]?.values, key).toEqual([[1]]);
    }
  });

  it('sqliteNumeric reads legacy text exactly as CAST(text AS NUMERIC) compares it', async () => {
    const SQL = await sqlJs();
    const db = new SQL.Database();
    const cast = (text: string): unknown => db.exec('SELECT CAST(?1 AS NUMERIC)', [text])[0]?.values[0]?.[0];
    const check = (text: string): void => {
      const sql = cast(text);
      expect(sqliteNumeric(text), JSON.stringify(text)).toBe(typeof sql === 'number' && Number.isFinite(sql) ? (sql === 0 ? 0 : sql) : null);
    };
    for (const text of ['', ' 12 ', '12abc', '1e3', '0x10', 'abc', '.5', '-', '1.0', '+3', '1e', '1e+', ' -2.5e-3x', '\u00a012', '1.', 'Infinity', '1e400', '-0']) check(text);
    // Short mantissas: longer ones may round differently in SQLite's own text-to-double conversion.
    const numeric = fc.stringMatching(/^[ \t]{0,2}[+-]?\d{0,8}(\.\d{0,6})?([eE][+-]?\d{0,3})?[a-z ]{0,2}$/);
    fc.assert(fc.property(numeric, (text) => check(text)), { numRuns: 500 });
  });

  it("mode: 'insensitive' folds non-ASCII letters as JavaScript does", async () => {
    const storage = sqliteAdapter({ sqlJs: await sqlJs(), doctypes: conformanceDoctypes() });
    await storage.insert(ORDER, { name: 'A', customer: 'ÉMILE ÖZTÜRK' });
    await storage.insert(ORDER, { name: 'B', customer: 'EMILE' });
    const hits = async (where: Where): Promise<unknown[]> => (await storage.query(ORDER, { where })).map((d) => d['name']);
    expect(await hits({ customer: { equals: 'émile öztürk', mode: 'insensitive' } })).toEqual(['A']);
    expect(await hits({ customer: { startsWith: 'émi', mode: 'insensitive' } })).toEqual(['A']);
    expect(await hits({ customer: { equals: 'émile öztürk' } })).toEqual([]);
  });
});
