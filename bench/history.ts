/**
 * `engine.history()` at scale (track_changes): the Versions of one document with 100,000 Versions stored / with
 * 1,000 (5 per document at every size), on SQLite and PGlite, medians of alternating rounds. The Version's
 * `docname` is indexed, so the read stays flat (goal <= 1.5x). Tables are filled with raw SQL.
 */
import { PGlite } from '@electric-sql/pglite';
import initSqlJs from 'sql.js';
import { createEngine } from '../dist/index.js';
import { TYPE_PARSERS, pgliteAdapter } from '../dist/pglite.js';
import { sqliteAdapter } from '../dist/sqlite.js';
import type { SqlJsStatic } from '../dist/sqlite.js';
import { paired, report } from './lib';

const T0 = '2024-01-15 10:30:00.000000';
const CALLS = 100;
const NOTE = {
  name: 'Bench Note', module: 'Bench', autoname: 'hash', track_changes: 1,
  fields: [{ fieldname: 'body', fieldtype: 'Data', label: 'Body' }],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
};
const USER = { name: 'Administrator', roles: [] as string[] };

type Engine = ReturnType<typeof createEngine>;
const histories = (engine: Engine, versions: number) => async () => {
  for (let k = 0; k < CALLS; k++) {
    const found = await engine.history('Bench Note', `N-${(k * 7919) % (versions / 5)}`);
    if (found.length !== 5) throw new Error(`bench: expected 5 Versions, got ${found.length}`);
  }
};

console.log('\nengine.history() at scale (medians of 5 rounds)');

const SQL = (await initSqlJs()) as unknown as SqlJsStatic;
const sqliteWith = (versions: number) => {
  const db = new SQL.Database();
  db.run('CREATE TABLE doctypes(name TEXT PRIMARY KEY, data TEXT)');
  db.run(
    "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ?) INSERT INTO doctypes SELECT 'N-' || n, " +
      "json_object('doctype', 'Bench Note', 'name', 'N-' || n, 'modified', ?, 'creation', ?, 'owner', 'Administrator', 'docstatus', 0, 'body', 'b') FROM i",
    [versions / 5, T0, T0],
  );
  db.run(
    "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ?) INSERT INTO doctypes SELECT 'V-' || n, " +
      "json_object('doctype', 'Version', 'name', 'V-' || n, 'modified', ?, 'creation', ?, 'owner', 'Administrator', 'docstatus', 0, " +
      "'ref_doctype', 'Bench Note', 'docname', 'N-' || (n / 5), 'data', '{}') FROM i",
    [versions, T0, T0],
  );
  return createEngine({ doctypes: [NOTE], adapter: sqliteAdapter({ database: db }), user: USER });
};
{
  const small = sqliteWith(1_000);
  const large = sqliteWith(100_000);
  await small.ready();
  await large.ready();
  report('SQLite history of a document: 100k Versions / 1k', ...(await paired(['100k', histories(large, 100_000)], ['1k', histories(small, 1_000)], CALLS)), { max: 1.5 });
}

{
  const db = new PGlite({ parsers: TYPE_PARSERS as Record<number, (text: string) => unknown> });
  await db.waitReady;
  const pgWith = async (versions: number) => {
    const engine = createEngine({ doctypes: [NOTE], adapter: pgliteAdapter(db, { schema: `history_${versions}`, migrate: 'at-prepare' }), user: USER });
    await engine.ready();
    const s = `"history_${versions}"`;
    await db.query(`INSERT INTO ${s}."tabBench Note" (name, modified, creation, owner, docstatus, idx, body) SELECT 'N-' || i, $2::timestamp, $2::timestamp, 'Administrator', 0, 0, 'b' FROM generate_series(0, $1::int - 1) i`, [versions / 5, T0]);
    await db.query(
      `INSERT INTO ${s}."tabVersion" (name, modified, creation, owner, docstatus, idx, ref_doctype, docname, data) ` +
        `SELECT 'V-' || i, $2::timestamp, $2::timestamp, 'Administrator', 0, 0, 'Bench Note', 'N-' || (i / 5), '{}' FROM generate_series(0, $1::int - 1) i`,
      [versions, T0],
    );
    await db.query(`ANALYZE ${s}."tabVersion"`);
    return engine;
  };
  const small = await pgWith(1_000);
  const large = await pgWith(100_000);
  report('PGlite history of a document: 100k Versions / 1k', ...(await paired(['100k', histories(large, 100_000)], ['1k', histories(small, 1_000)], CALLS)), { max: 1.5 });
  await db.close();
}
