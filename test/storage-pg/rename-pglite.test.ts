/** `rename` and `copy` on PGlite (test/run/rename-suite.ts): one PGlite, a fresh schema per test. */
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import { renameCopySuite } from '../run/rename-suite';

const db = new PGlite();
let n = 0;
afterAll(() => db.close());

renameCopySuite('pglite', () => pgliteAdapter(db, { schema: `rename_${++n}` }));
