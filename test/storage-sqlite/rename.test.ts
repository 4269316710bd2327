/** `rename` and `copy` on SQLite (sql.js; test/run/rename-suite.ts): a fresh database per test. */
import { sqliteAdapter } from '../../src/sqlite';
import { renameCopySuite } from '../run/rename-suite';
import { sqlJs } from './helpers';

renameCopySuite('sqlite', async () => sqliteAdapter({ sqlJs: await sqlJs() }), { cleanup: async (a) => a.close?.() });
