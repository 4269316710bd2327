/**
 * Tree DocTypes (nested set): the cost of `run(create)` of a leaf in a tree of N nodes, as a ratio to the same
 * create in the same DocType without `is_tree` (no nested set), on memory and PGlite; and the renumbering through
 * the adapters' `setValues` against the `get` + `update` fallback (an adapter without `setValues`).
 */
import { PGlite } from '@electric-sql/pglite';
import { createEngine, memoryAdapter, type StorageAdapter } from '../dist/index.js';
import { pgliteAdapter } from '../dist/pglite.js';
import { measure, report } from './lib';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const nodeType = (name: string, tree: boolean) => ({
  name, module: 'Custom', custom: 1, is_tree: tree ? 1 : 0, nsm_parent_field: 'parent_node', autoname: 'field:node_name',
  fields: [f('node_name', 'Data', { reqd: 1 }), f('parent_node', 'Link', { options: name }), f('is_group', 'Check'), f('lft', 'Int'), f('rgt', 'Int'), f('old_parent', 'Data')],
});
const admin = { name: 'Administrator', roles: ['Administrator'] };

/** An adapter without `setValues`: the tree falls back to get + update per shifted node. */
function withoutSetValues(adapter: StorageAdapter): StorageAdapter {
  const strip = <T extends object>(s: T): T => new Proxy(s, {
    get: (target, key) => (key === 'setValues' ? undefined : key === 'transaction'
      ? (fn: (tx: unknown) => Promise<unknown>) => (target as unknown as StorageAdapter).transaction((tx) => fn(strip(tx)))
      : Reflect.get(target, key)),
  });
  return strip(adapter);
}

async function seeded(adapter: StorageAdapter, size: number) {
  const engine = createEngine({ doctypes: [nodeType('Tree Node', true), nodeType('Flat Node', false)], adapter, user: admin });
  for (const doctype of ['Tree Node', 'Flat Node']) {
    await engine.run({ operation: 'create', target_doctype: doctype, input: { data: { node_name: 'root', is_group: 1 } } });
    for (let g = 0; g < 10; g++) await engine.run({ operation: 'create', target_doctype: doctype, input: { data: { node_name: `g${g}`, is_group: 1, parent_node: 'root' } } });
    for (let i = 0; i < size - 11; i++) await engine.run({ operation: 'create', target_doctype: doctype, input: { data: { node_name: `l${i}`, parent_node: `g${i % 10}` } } });
  }
  return engine;
}

console.log('\n## tree DocTypes (nested set)');
let n = 0;
for (const [kind, make] of [['memory', () => memoryAdapter()], ['PGlite', () => pgliteAdapter(new PGlite())]] as const) {
  for (const size of [200, 1000]) {
    const engine = await seeded(make(), size);
    // Each insert goes under the first group: every node after it shifts (the costly case).
    const add = (doctype: string) => () => engine.run({ operation: 'create', target_doctype: doctype, input: { data: { node_name: `x${n++}`, parent_node: 'g0' } } });
    const r = await measure({ 'create (no tree)': add('Flat Node'), 'create (tree)': add('Tree Node') }, { time: 1500 });
    report(`run(create) of a leaf in a tree of ${size} / same without is_tree, ${kind}`, r['create (tree)']!, r['create (no tree)']!);
  }
}
// The renumbering through setValues vs the get + update fallback, PGlite, 200 nodes.
{
  const db = new PGlite();
  const engine = await seeded(pgliteAdapter(db, { schema: 'a' }), 200);
  const fallback = createEngine({ doctypes: [nodeType('Tree Node', true), nodeType('Flat Node', false)], adapter: withoutSetValues(pgliteAdapter(db, { schema: 'a' })), user: admin });
  const add = (e: typeof engine) => () => e.run({ operation: 'create', target_doctype: 'Tree Node', input: { data: { node_name: `y${n++}`, parent_node: 'g0' } } });
  const r = await measure({ 'create (tree, get + update fallback)': add(fallback), 'create (tree, setValues)': add(engine) }, { time: 3000 });
  report('run(create) in a tree of 200, setValues / get + update, PGlite', r['create (tree, setValues)']!, r['create (tree, get + update fallback)']!);
}
