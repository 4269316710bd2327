/** The tree helpers from the package entry, on the engine users create (`coworker`'s `createEngine`). */
import { it, expect } from 'vitest';
import { createEngine, getAncestorsOf, getRootOf, rebuildTree } from '../../src/index';
import { NODE, NODE_JSON } from './script';
it('public engine works with the tree helpers', async () => {
  const engine = createEngine({ doctypes: [NODE_JSON], user: { name: 'Administrator', roles: [] } });
  await engine.run({ operation: 'create', target_doctype: NODE, input: { data: { node_name: 'R', is_group: 1 } } });
  await engine.run({ operation: 'create', target_doctype: NODE, input: { data: { node_name: 'C', parent_ot_tree_node: 'R' } } });
  expect(await getAncestorsOf(engine, NODE, 'C')).toEqual(['R']);
  expect(await getRootOf(engine, NODE)).toBe('R');
  expect(await rebuildTree(engine, NODE)).toBe(0);
});
