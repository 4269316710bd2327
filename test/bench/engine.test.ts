/** createEngine over the bench: the three apps together pass its configuration check; one app alone does not. */
import { describe, expect, it } from 'vitest';
import { loadFolders } from '../../src/node/load-folder';
import { EngineConfigError } from '../../src/run/config-check';
import { createEngine } from '../../src/run/engine';
import { benchApps } from '../helpers/paths';

describe('createEngine over Frappe + ERPNext + HRMS', () => {
  it('accepts the whole bench and refuses ERPNext alone, naming its cross-app child tables', async () => {
    const bench = await loadFolders(benchApps);
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, registry: bench.registry });
    const r = await engine.run({ operation: 'select', source_doctype: 'Currency', input: { filters: { enabled: 1 }, fields: ['name'] } });
    expect(r.error).toBeNull();
    const erpnextAlone = await loadFolders([benchApps[1]!]);
    let err: unknown;
    try {
      createEngine({ user: { name: 'Administrator', roles: [] }, registry: erpnextAlone.registry });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineConfigError);
    expect((err as EngineConfigError).problems.map((p) => `${p.doctype}.${p.field}`)).toEqual(expect.arrayContaining(['Call Log.links', 'Common Code.applies_to']));
  });
});
