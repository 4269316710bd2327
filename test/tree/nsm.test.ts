/**
 * The nested-set arithmetic on plain rows (tree-nsm.ts): random sequences of inserts and moves always leave a
 * valid nested set, and rebuilding it gives the same numbers; rebuild copes with deep chains, orphans and
 * cycles; and the tree operators' argument checks of get_list.
 */
import { describe, expect, it } from 'vitest';
import { addNode, moveNode, nestedSetProblem, rebuildNodes, TreeRefusal, type TreeNode } from '../../src/run/tree-nsm';
import { listQuery } from '../../src/run/list-args';
import { createRegistry } from '../../src/schema/registry';
import { NODE, NODE_JSON } from './script';

/** A small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isUnder = (nodes: readonly TreeNode[], name: string, ancestor: string): boolean => {
  const a = nodes.find((n) => n.name === ancestor)!;
  const n = nodes.find((x) => x.name === name)!;
  return a.lft! <= n.lft! && n.rgt! <= a.rgt!;
};

describe('nested-set arithmetic', () => {
  it('random inserts and moves keep a valid nested set that a rebuild leaves unchanged', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = rng(seed);
      const nodes: TreeNode[] = [];
      for (let step = 0; step < 60; step++) {
        const pick = () => nodes[Math.floor(next() * nodes.length)]!;
        if (nodes.length < 3 || next() < 0.6) {
          const parent = nodes.length && next() < 0.85 ? pick().name : null;
          const node: TreeNode = { name: `n${step}`, parent, lft: 0, rgt: 0 };
          nodes.push(node);
          addNode(nodes, node, parent ?? '');
        } else {
          const node = pick();
          const target = next() < 0.15 ? null : pick().name;
          if (target === node.parent) continue;
          const previous = node.parent;
          node.parent = target;
          try {
            moveNode(nodes, node);
          } catch (e) {
            // Refused exactly when the target is the node itself or under it; nothing moved.
            expect(e).toBeInstanceOf(TreeRefusal);
            expect(target !== null && isUnder(nodes, target, node.name)).toBe(true);
            node.parent = previous;
          }
        }
        expect(nestedSetProblem(nodes), `seed ${seed} step ${step}`).toBeUndefined();
      }
      // Values are 1..2n without gaps (no deletes here), so a rebuild (roots by name!) may only reorder roots.
      const copy = nodes.map((n) => ({ ...n }));
      rebuildNodes(copy);
      expect(nestedSetProblem(copy)).toBeUndefined();
      for (const n of copy) {
        const o = nodes.find((x) => x.name === n.name)!;
        expect(n.rgt! - n.lft!).toBe(o.rgt! - o.lft!);
      }
    }
  });

  it('rebuild numbers a deep chain without recursion, and leaves orphans and cycles alone', () => {
    const chain: TreeNode[] = Array.from({ length: 20_000 }, (_, i) => ({ name: `c${String(i).padStart(5, '0')}`, parent: i ? `c${String(i - 1).padStart(5, '0')}` : null, lft: null, rgt: null }));
    expect(rebuildNodes(chain)).toHaveLength(20_000);
    expect(chain[0]).toMatchObject({ lft: 1, rgt: 40_000 });
    expect(chain[19_999]).toMatchObject({ lft: 20_000, rgt: 20_001 });
    const odd: TreeNode[] = [
      { name: 'root', parent: null, lft: 5, rgt: 9 }, { name: 'kid', parent: 'root', lft: 6, rgt: 7 },
      { name: 'orphan', parent: 'gone', lft: 3, rgt: 4 }, { name: 'x', parent: 'y', lft: 10, rgt: 11 }, { name: 'y', parent: 'x', lft: 12, rgt: 13 },
    ];
    rebuildNodes(odd);
    expect(odd.map((n) => [n.name, n.lft, n.rgt])).toEqual([['root', 1, 4], ['kid', 2, 3], ['orphan', 3, 4], ['x', 10, 11], ['y', 12, 13]]);
  });

  it('a parent missing from the tree is refused', () => {
    const nodes: TreeNode[] = [{ name: 'a', parent: null, lft: 1, rgt: 2 }];
    const node: TreeNode = { name: 'b', parent: 'nope', lft: 0, rgt: 0 };
    expect(() => addNode([...nodes, node], node, 'nope')).toThrow(expect.objectContaining({ kind: 'missing_parent' }));
  });
});

describe('tree operators in get_list arguments', () => {
  const registry = createRegistry([NODE_JSON]);
  const dt = registry.get(NODE);
  const env = (tree?: (d: string, n: string, r: 'ancestors' | 'descendants') => Promise<readonly string[]>) => ({ child: () => undefined, resolve: async () => [], ...(tree ? { tree } : {}) });

  it('become in / not in the node names of the linked tree DocType, as Frappe', async () => {
    const asked: unknown[] = [];
    const tree = async (d: string, n: string, r: string) => {
      asked.push([d, n, r]);
      return ['B', 'C'];
    };
    const q = await listQuery(dt, { filters: [['parent_ot_tree_node', 'not descendants of', 'A'], ['name', 'descendants of (inclusive)', 'A']] }, env(tree));
    expect(asked).toEqual([[NODE, 'A', 'descendants'], [NODE, 'A', 'descendants']]);
    // `not in` matches nulls (Frappe's ifnull(col, '') not in (...); storage's notIn is a plain negation).
    expect(q.where).toEqual({ AND: [{ parent_ot_tree_node: { notIn: ['B', 'C'] } }, { name: { in: ['B', 'C', 'A'] } }] });
  });

  it('refuse a field that is not a Link, a value that is not one name, and run without a resolver', async () => {
    await expect(listQuery(dt, { filters: [['node_name', 'descendants of', 'A']] }, env(async () => []))).rejects.toMatchObject({ code: 'INVALID_RUN' });
    await expect(listQuery(dt, { filters: [['name', 'ancestors of', ['A', 'B']]] }, env(async () => []))).rejects.toMatchObject({ code: 'INVALID_RUN' });
    await expect(listQuery(dt, { filters: [['name', 'ancestors of', 'A']] }, env())).rejects.toMatchObject({ code: 'LIST_UNSUPPORTED' });
  });
});
