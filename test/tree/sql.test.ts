/** Tree DocTypes on PGlite and SQLite (cases.ts). */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import { sqliteAdapter } from '../../src/sqlite';
import { sqlJs } from '../storage-sqlite/helpers';
import { treeCases } from './cases';

const db = new PGlite();
afterAll(() => db.close());
let n = 0;

describe('tree DocTypes on PGlite', () => treeCases(async () => ({ adapter: pgliteAdapter(db, { schema: `tree_${++n}` }) })));

describe('tree DocTypes on SQLite', () => treeCases(async () => {
  const adapter = sqliteAdapter({ sqlJs: await sqlJs() });
  return { adapter, close: () => adapter.close() };
}));
