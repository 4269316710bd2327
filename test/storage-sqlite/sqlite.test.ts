import { sqliteAdapter } from '../../src/storage/sqlite/adapter';
import { storageConformance } from '../storage/conformance';
import { sqlJs } from './helpers';

storageConformance({
  name: 'sqlite (sql.js, seeds layout)',
  create: async () => sqliteAdapter({ sqlJs: await sqlJs() }),
  capabilities: ['transactions', 'unique', 'savepoints', 'write_steps'],
});
