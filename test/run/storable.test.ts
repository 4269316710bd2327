/**
 * Whatever passes tier 2 is storable, on every adapter: for every data fieldtype and a spread of inputs
 * (canonical, Frappe's other accepted forms, wrong kinds, garbage), a create either succeeds and reads back
 * the coerced value, or is refused by tier 2 with `VALIDATION`; a storage refusal (`INTERNAL`) is a bug.
 * Memory, PGlite, SQLite (sql.js) and a PostgreSQL server (when `COWORKER_PG_URL` is set) run the same cases.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, fixedClock, memoryAdapter, sequentialIds, type StorageAdapter } from '../../src/index';
import { pgliteAdapter } from '../../src/pglite';
import { postgresAdapter } from '../../src/postgres';
import { sqliteAdapter } from '../../src/sqlite';
import { DATA_FIELDTYPES } from '../../src/schema/fieldtypes';
import { PG_URL, uniqueSchema } from '../storage-pg/server';
import { sqlJs } from '../storage-sqlite/helpers';
import { generateFernetKey } from '../../src/crypto/fernet';

/** The Password field's secret is encrypted at rest (persistent storage needs a key). */
const KEY = generateFernetKey();

const INPUTS: readonly unknown[] = [
  null, '', ' ', 'text', 'A', '0', '12', '-3.5', '1,000', '1e3', 'inf', 411001, 0, -7, 2.5, 1e20, true, false,
  '2024-02-29', '2024-02-30', '2024-03-05 10:30:00', '2024-03-05 10:30:00.123456', '2024-03-05T10:30:00.123Z',
  '2024-03-05T16:00:00+05:30', '9:30:00', '9:30', '23:59:59.5', '24:00:00', '10:00', '05-03-2024',
  '{"a":1}', '{bad', { a: 1 }, [1, 2], 'https://example.com', '+91 98765 43210', 'a@example.com',
];

const fieldname = (ft: string) => `f_${ft.toLowerCase().replace(/ /g, '_')}`;
// Links point at a DocType the engine does not hold (unknownLinks: 'skip'), so every value reaches storage.
const FIELDTYPES = [...DATA_FIELDTYPES];
const DOCTYPE = {
  name: 'Storable Probe',
  autoname: 'hash',
  fields: FIELDTYPES.map((ft) => ({
    fieldname: fieldname(ft), fieldtype: ft, label: ft,
    ...(ft === 'Select' ? { options: '\nA\nB\ntext' } : ft === 'Link' ? { options: 'Nowhere' } : ft === 'Dynamic Link' ? { options: fieldname('Link') } : {}),
  })),
};

interface Outcome { readonly stored: number; readonly refused: number; readonly internal: string[] }

/**
 * One document per input, every fieldtype holding it; the fields tier 2 refuses are dropped and the rest
 * written again, so each (fieldtype, input) pair ends stored or refused by tier 2.
 */
async function probe(adapter: StorageAdapter): Promise<Outcome> {
  const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [DOCTYPE], adapter, clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(), unknownLinks: 'skip', encryptionKey: KEY });
  let stored = 0;
  let refused = 0;
  const internal: string[] = [];
  for (const value of INPUTS) {
    let fields = FIELDTYPES.map(fieldname);
    while (fields.length) {
      const data = Object.fromEntries(fields.map((f) => [f, value]));
      const r = await engine.run({ operation: 'create', target_doctype: DOCTYPE.name, input: { data } });
      if (r.success) {
        stored += fields.length;
        // What was stored reads back as what the run returned.
        const back = await adapter.get(DOCTYPE.name, r.docname!);
        for (const f of fields) expect(back?.[f], `${f} ${JSON.stringify(value)}`).toEqual(r.output!.data[0]![f]);
        break;
      }
      if (r.error?.code !== 'VALIDATION') {
        internal.push(`${JSON.stringify(value)} in ${fields.join(', ')}: ${r.error?.code} ${r.error?.message}`);
        break;
      }
      const bad = new Set(r.error.issues.map((i) => i.field));
      refused += fields.filter((f) => bad.has(f)).length;
      const rest = fields.filter((f) => !bad.has(f));
      if (rest.length === fields.length) {
        internal.push(`${JSON.stringify(value)}: VALIDATION without a field: ${r.error.message}`);
        break;
      }
      fields = rest;
    }
  }
  return { stored, refused, internal };
}

describe('whatever passes tier 2 is storable on every adapter', () => {
  const check = (o: Outcome) => {
    expect(o.internal).toEqual([]);
    expect(o.stored).toBeGreaterThan(FIELDTYPES.length * 5);
    expect(o.refused).toBeGreaterThan(0);
  };
  it('memory', async () => check(await probe(memoryAdapter())));
  it('PGlite', async () => check(await probe(pgliteAdapter())), 120_000);
  it('SQLite (sql.js)', async () => check(await probe(sqliteAdapter({ sqlJs: await sqlJs() }))), 60_000);

  const pool = PG_URL ? new pg.Pool({ connectionString: PG_URL, max: 4 }) : undefined;
  const schema = uniqueSchema('storable');
  afterAll(async () => {
    if (!pool) return;
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  it.skipIf(!pool)(`PostgreSQL server${pool ? '' : ' (skipped: COWORKER_PG_URL is not set)'}`, async () => {
    check(await probe(postgresAdapter(pool!, { schema })));
  }, 120_000);
});
