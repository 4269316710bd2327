/**
 * Frappe's nested-set arithmetic (`frappe/utils/nestedset.py`) on plain rows: `update_add_node`,
 * `update_move_node`, `rebuild_tree` and `validate_loop`, statement for statement. Each function takes the
 * tree's nodes (name, parent, lft, rgt), changes them in place exactly as Frappe's SQL `UPDATE`s change the
 * table, and reports the outcome; `tree.ts` reads the nodes from storage and writes back the changed ones.
 *
 * SQL semantics are kept: a comparison with a null `lft` / `rgt` is false (such a row is never shifted), and
 * Frappe stores an unset Int as 0 (`get_valid_dict`), which is what a node not yet placed holds.
 *
 * @module
 */

/** One node of a tree, as the arithmetic needs it. */
export interface TreeNode {
  readonly name: string;
  /** The parent's name; `''` or null for a root. */
  parent: string | null;
  lft: number | null;
  rgt: number | null;
}

/** Why the arithmetic refused (the caller turns it into a run failure with Frappe's message). */
export class TreeRefusal extends Error {
  constructor(readonly kind: 'recursion' | 'corrupt' | 'missing_parent', message: string) {
    super(message);
  }
}

type Column = 'lft' | 'rgt';

/** `UPDATE t SET ... WHERE ...` on the nodes: `set` changes each node `where` holds for. */
function update(nodes: readonly TreeNode[], where: (n: TreeNode) => boolean, set: (n: TreeNode) => void): void {
  for (const n of nodes) if (where(n)) set(n);
}

/** A SQL comparison: false when the stored value is null. */
function cmp(value: number | null, op: '<' | '<=' | '>' | '>=' | '=', to: number): boolean {
  if (value === null) return false;
  switch (op) {
    case '<': return value < to;
    case '<=': return value <= to;
    case '>': return value > to;
    case '>=': return value >= to;
    default: return value === to;
  }
}

const shift = (column: Column, by: number) => (n: TreeNode): void => {
  n[column] = (n[column] as number) + by;
};

function find(nodes: readonly TreeNode[], name: string): TreeNode | undefined {
  return nodes.find((n) => n.name === name);
}

/**
 * `validate_loop`: refuse when `name` is the node at (lft, rgt) or one of its ancestors (a node cannot go
 * under itself or its own descendants).
 * @throws {TreeRefusal} `recursion` with Frappe's message
 */
export function validateLoop(nodes: readonly TreeNode[], name: string, lft: number | null, rgt: number | null): void {
  if (lft === null || rgt === null) return;
  if (nodes.some((n) => n.name === name && cmp(n.lft, '<=', lft) && cmp(n.rgt, '>=', rgt))) {
    throw new TreeRefusal('recursion', 'Item cannot be added to its own descendants');
  }
}

/**
 * `update_add_node`: place `node` (already among `nodes`, not yet placed) as the last child of `parent`, or
 * after the last root.
 * @returns the node's `lft`
 * @throws {TreeRefusal} `missing_parent`, `recursion`, `corrupt` ("Nested set error...")
 */
export function addNode(nodes: readonly TreeNode[], node: TreeNode, parent: string): number {
  let right: number | null;
  if (parent) {
    const p = find(nodes, parent);
    if (!p) throw new TreeRefusal('missing_parent', `Could not find parent ${parent}`);
    validateLoop(nodes, node.name, p.lft, p.rgt);
    right = p.rgt;
  } else {
    // SELECT coalesce(max(rgt), 0) + 1 WHERE coalesce(parent, '') = ''
    let max = 0;
    for (const n of nodes) if (!n.parent && n.rgt !== null && n.rgt > max) max = n.rgt;
    right = max + 1;
  }
  const at = right || 1;
  update(nodes, (n) => cmp(n.rgt, '>=', at), shift('rgt', 2));
  update(nodes, (n) => cmp(n.lft, '>=', at), shift('lft', 2));
  if (nodes.some((n) => cmp(n.lft, '=', at) || cmp(n.rgt, '=', at + 1))) {
    throw new TreeRefusal('corrupt', 'Nested set error. Please contact the Administrator.');
  }
  node.lft = at;
  node.rgt = at + 1;
  return at;
}

/**
 * `update_move_node`: move `node` (with its subtree) to be the last child of its new `parent` (already set
 * on the node), or the last root.
 * @throws {TreeRefusal} `missing_parent`, `recursion`
 */
export function moveNode(nodes: readonly TreeNode[], node: TreeNode): void {
  const parent = node.parent;
  const lft = node.lft as number;
  const rgt = node.rgt as number;
  if (parent) {
    const p = find(nodes, parent);
    if (!p) throw new TreeRefusal('missing_parent', `Could not find parent ${parent}`);
    validateLoop(nodes, node.name, p.lft, p.rgt);
  }
  // move to dark side
  update(nodes, (n) => cmp(n.lft, '>=', lft) && cmp(n.rgt, '<=', rgt), (n) => {
    n.lft = -(n.lft as number);
    n.rgt = -(n.rgt as number);
  });
  // shift left
  const diff = rgt - lft + 1;
  update(nodes, (n) => cmp(n.lft, '>', rgt), (n) => {
    n.lft = (n.lft as number) - diff;
    n.rgt = n.rgt === null ? null : n.rgt - diff;
  });
  // shift left rgts of ancestors whose only rgts must shift
  update(nodes, (n) => cmp(n.lft, '<', lft) && cmp(n.rgt, '>', rgt), shift('rgt', -diff));
  let newDiff: number;
  if (parent) {
    const p = find(nodes, parent)!;
    const pl = p.lft as number;
    const pr = p.rgt as number;
    p.rgt = pr + diff;
    update(nodes, (n) => cmp(n.lft, '>', pr), (n) => {
      n.lft = (n.lft as number) + diff;
      n.rgt = n.rgt === null ? null : n.rgt + diff;
    });
    update(nodes, (n) => cmp(n.lft, '<', pl) && cmp(n.rgt, '>', pr), shift('rgt', diff));
    newDiff = pr - lft;
  } else {
    let max: number | null = null;
    for (const n of nodes) if (n.rgt !== null && (max === null || n.rgt > max)) max = n.rgt;
    newDiff = (max ?? 0) + 1 - lft;
  }
  // bring back from dark side
  update(nodes, (n) => cmp(n.lft, '<', 0), (n) => {
    n.lft = -(n.lft as number) + newDiff;
    n.rgt = n.rgt === null ? null : -n.rgt + newDiff;
  });
}

/**
 * `rebuild_tree`: number every node again from 1, roots (no parent) by name, each node's children by their
 * current `lft` (then name): Frappe reads children in the database's order, which for an untouched table is
 * that order; coworker makes it stable (docs/DECISIONS.md). Nodes whose parent does not exist, and cycles,
 * are not reached, as in Frappe: they keep their values.
 * @returns the nodes whose lft or rgt changed
 */
export function rebuildNodes(nodes: readonly TreeNode[]): TreeNode[] {
  const byParent = new Map<string, TreeNode[]>();
  for (const n of nodes) {
    if (!n.parent) continue;
    const list = byParent.get(n.parent) ?? [];
    list.push(n);
    byParent.set(n.parent, list);
  }
  const order = (a: TreeNode, b: TreeNode): number =>
    (a.lft ?? Number.MAX_SAFE_INTEGER) - (b.lft ?? Number.MAX_SAFE_INTEGER) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const changed = new Set<TreeNode>();
  const seen = new Set<string>();
  // Iterative depth-first walk (a deep chain must not overflow the stack).
  const number = (root: TreeNode, left: number): number => {
    const stack: { node: TreeNode; left: number; children: TreeNode[]; i: number; right: number }[] = [];
    const open = (node: TreeNode, l: number) => {
      seen.add(node.name);
      stack.push({ node, left: l, children: [...(byParent.get(node.name) ?? [])].sort(order).filter((c) => !seen.has(c.name)), i: 0, right: l + 1 });
    };
    open(root, left);
    let result = left;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const child = top.children[top.i++];
      if (child && !seen.has(child.name)) {
        open(child, top.right);
        continue;
      }
      if (child) continue;
      stack.pop();
      if (top.node.lft !== top.left || top.node.rgt !== top.right) changed.add(top.node);
      top.node.lft = top.left;
      top.node.rgt = top.right;
      result = top.right + 1;
      const parentFrame = stack[stack.length - 1];
      if (parentFrame) parentFrame.right = result;
    }
    return result;
  };
  let right = 1;
  const roots = nodes.filter((n) => !n.parent).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const root of roots) right = number(root, right);
  return [...changed];
}

/**
 * Whether the nodes form a valid nested set: every node has 0 < lft < rgt, no two values are equal, and each
 * child lies strictly inside its parent. For tests and `rebuild` diagnostics.
 * @returns the first problem found, or undefined
 */
export function nestedSetProblem(nodes: readonly TreeNode[]): string | undefined {
  const seen = new Map<number, string>();
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes) {
    if (n.lft === null || n.rgt === null || n.lft <= 0 || n.rgt <= n.lft) return `${n.name}: lft ${n.lft}, rgt ${n.rgt}`;
    for (const v of [n.lft, n.rgt]) {
      const other = seen.get(v);
      if (other !== undefined) return `${n.name} and ${other} share ${v}`;
      seen.set(v, n.name);
    }
    const p = n.parent ? byName.get(n.parent) : undefined;
    if (p && !(p.lft! < n.lft && n.rgt < p.rgt!)) return `${n.name} (${n.lft}, ${n.rgt}) is not inside its parent ${p.name} (${p.lft}, ${p.rgt})`;
  }
  return undefined;
}
