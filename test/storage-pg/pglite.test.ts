import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { pgliteAdapter } from '../../src/pglite';
import { storageConformance } from '../storage/conformance';

// One PGlite for the whole file (starting one takes seconds); every test gets a fresh schema in it.
const db = new PGlite();
let n = 0;
afterAll(() => db.close());

storageConformance({
  name: 'pglite',
  create: async () => pgliteAdapter(db, { schema: `conf_${++n}` }),
  // Not 'transactions' / 'savepoints': PGlite is a single session, so a read outside an open transaction
  // waits for it, and the suite's "uncommitted writes are invisible outside" test (which reads outside while
  // the transaction waits for that read) would deadlock. Transactions are covered in pglite-transactions.test.ts.
  capabilities: ['unique', 'write_steps'],
});
