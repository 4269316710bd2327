/**
 * Tree DocTypes (`is_tree`): Frappe's `NestedSet` (`frappe/utils/nestedset.py`) for every DocType that has
 * `is_tree`, `lft` and `rgt`. The write operations call {@link placeNode} inside their transaction before the
 * document is written (insert, save, submit: Frappe's `on_update` runs `update_nsm`) and {@link removeNode}
 * before a delete (`on_trash`); reads use {@link treeNames} for the `descendants of` / `ancestors of` filters.
 * The public helpers {@link getAncestorsOf}, {@link getDescendantsOf} and {@link rebuildTree} work on an
 * engine.
 *
 * Every tree write first takes the tree's lock, a row of the naming-counter table (`tabSeries`) named
 * `__nestedset__:<DocType>` that it increments: on PostgreSQL that row stays locked until the write's
 * transaction ends, so two writers to one tree run one after the other and the second sees what the first
 * committed (READ COMMITTED); memory and SQLite run transactions one at a time already. `lft` / `rgt` are the
 * engine's: values in the input are ignored, and a save keeps what storage holds (docs/DECISIONS.md).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { CoworkerError } from '../errors';
import { makeIssue } from '../issues';
import type { DocType } from '../schema/types';
import type { Registry } from '../schema/registry';
import { setStoredValues } from '../storage/set-values';
import type { StorageAdapter, StorageSession } from '../storage/types';
import { RunFailure } from './codes';
import type { TreeNode } from './tree-nsm';

/** The nested-set arithmetic loads on the first write to a tree DocType (docs/DECISIONS.md). */
const nsm = () => import('./tree-nsm');

/** The fields a tree DocType keeps its structure in. */
export interface TreeFields {
  /** `nsm_parent_field`, else `parent_<scrubbed doctype>`. */
  readonly parentField: string;
  /** `old_parent` when the DocType has it. */
  readonly oldParentField: string | undefined;
  /** `is_group` when the DocType has it (`validate_ledger`). */
  readonly groupField: string | undefined;
}

const cache = new WeakMap<DocType, TreeFields | null>();

/** `frappe.scrub`: lower case, spaces and dashes to underscores. */
function scrub(text: string): string {
  return text.replace(/[ -]/g, '_').toLowerCase();
}

/**
 * The tree fields of a DocType, or undefined when it is not a nested-set tree (`is_tree` with `lft`, `rgt`
 * and its parent field).
 * @param doctype - a normalised DocType
 * @returns the fields, or undefined
 */
export function treeFields(doctype: DocType): TreeFields | undefined {
  const known = cache.get(doctype);
  if (known !== undefined) return known ?? undefined;
  const has = (f: string) => doctype.fields.some((df) => df.fieldname === f);
  const parentField = doctype.nsm_parent_field || `parent_${scrub(doctype.name)}`;
  const found: TreeFields | null = doctype.is_tree === 1 && has('lft') && has('rgt') && has(parentField)
    ? { parentField, oldParentField: has('old_parent') ? 'old_parent' : undefined, groupField: has('is_group') ? 'is_group' : undefined }
    : null;
  cache.set(doctype, found);
  return found ?? undefined;
}

/** Actions after which Frappe runs `on_update` (NestedSet's `update_nsm`): not cancel, not update after submit. */
export const NSM_ACTIONS: ReadonlySet<string> = new Set(['create', 'update', 'submit', 'amend']);

/** The naming-counter key whose row is the tree's lock. */
export function treeLockKey(doctype: string): string {
  return `__nestedset__:${doctype}`;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : v === null || v === undefined || v === '' ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v));

interface LoadedTree {
  readonly nodes: TreeNode[];
  /** Stored `old_parent` by name. */
  readonly oldParents: ReadonlyMap<string, string | null>;
}

/** Lock the tree, then read every node (name, parent, lft, rgt, old_parent). */
async function lockAndLoad(tx: StorageSession, doctype: DocType, f: TreeFields): Promise<LoadedTree> {
  await tx.counters.next(treeLockKey(doctype.name));
  const fields = ['name', f.parentField, 'lft', 'rgt', ...(f.oldParentField ? [f.oldParentField] : [])];
  const rows = await tx.query(doctype.name, { fields });
  const oldParents = new Map<string, string | null>();
  const nodes = rows.map((r): TreeNode => {
    const name = String(r.name);
    oldParents.set(name, f.oldParentField ? text(r[f.oldParentField]) : text(r[f.parentField]));
    return { name, parent: text(r[f.parentField]), lft: num(r.lft), rgt: num(r.rgt) };
  });
  return { nodes, oldParents };
}

/** Write the lft / rgt of the nodes that changed (not `modified`: Frappe's updates leave it alone). */
async function writeChanged(tx: StorageSession, doctype: string, nodes: readonly TreeNode[], before: ReadonlyMap<string, string>, skip?: string): Promise<void> {
  const rows = nodes.filter((n) => n.name !== skip && before.get(n.name) !== `${n.lft},${n.rgt}`).map((n) => ({ name: n.name, values: { lft: n.lft, rgt: n.rgt } }));
  await setStoredValues(tx, doctype, rows);
}

function snapshot(nodes: readonly TreeNode[]): Map<string, string> {
  return new Map(nodes.map((n) => [n.name, `${n.lft},${n.rgt}`]));
}

/** A refusal of the arithmetic as the run failure Frappe's exception maps to. */
function failure(doctype: DocType, f: TreeFields, e: unknown, refusal: typeof import('./tree-nsm').TreeRefusal): never {
  if (!(e instanceof refusal)) throw e;
  if (e.kind === 'recursion') {
    throw new RunFailure('TREE_RECURSION', e.message, [makeIssue('INVALID_VALUE', e.message, { doctype: doctype.name, field: f.parentField })]);
  }
  if (e.kind === 'missing_parent') {
    throw new RunFailure('VALIDATION', `${doctype.name}: ${e.message}`, [makeIssue('INVALID_VALUE', e.message, { doctype: doctype.name, field: f.parentField })]);
  }
  throw new RunFailure('TREE_CORRUPT', e.message);
}

/**
 * `update_nsm` and `validate_ledger` for a document about to be written (inside the write's transaction):
 * a new node becomes the last child of its parent (or the last root), a node whose parent changed moves with
 * its subtree, the other nodes shift as in Frappe. Returns the document to write, with its `lft`, `rgt` and
 * `old_parent`; a document that is not in a tree comes back unchanged.
 * @param tx - the write's transaction
 * @param doctype - the document's DocType
 * @param doc - the document as it will be written
 * @param isNew - an insert (no stored document)
 * @returns the document to write
 * @throws {RunFailure} `TREE_LEAF_HAS_CHILDREN`, `TREE_RECURSION`, `TREE_CORRUPT`, `VALIDATION` (the parent does not exist)
 */
export async function placeNode(tx: StorageSession, doctype: DocType, doc: DocData, isNew: boolean): Promise<DocData> {
  const f = treeFields(doctype);
  if (!f) return doc;
  const { addNode, moveNode, TreeRefusal } = await nsm();
  const name = String(doc.name);
  const parent = text(doc[f.parentField]);
  const { nodes, oldParents } = await lockAndLoad(tx, doctype, f);
  let node = isNew ? undefined : nodes.find((n) => n.name === name);
  const oldParent = node ? oldParents.get(name) ?? null : null;
  if (!node) {
    // Frappe inserts first: the new row holds 0 / 0 (an unset Int) when update_nsm runs.
    node = { name, parent, lft: 0, rgt: 0 };
    nodes.push(node);
  } else {
    node.parent = parent;
  }
  const before = snapshot(nodes);
  try {
    if (!node.lft && !node.rgt) addNode(nodes, node, parent ?? '');
    else if (oldParent !== parent) moveNode(nodes, node);
  } catch (e) {
    failure(doctype, f, e, TreeRefusal);
  }
  // validate_ledger (after update_nsm in Frappe's on_update): a leaf cannot have children (cancelled ones aside).
  if (f.groupField && !Number(doc[f.groupField] ?? 0)) {
    const children = await tx.query(doctype.name, { where: { [f.parentField]: name, docstatus: { not: 2 } }, take: 1, fields: ['name'] });
    if (children.length) {
      const message = `${doctype.name} ${name} cannot be a leaf node as it has children`;
      throw new RunFailure('TREE_LEAF_HAS_CHILDREN', message, [makeIssue('INVALID_VALUE', message, { doctype: doctype.name, field: f.groupField })]);
    }
  }
  await writeChanged(tx, doctype.name, nodes, before, name);
  const out: Record<string, unknown> = { ...doc, lft: node.lft, rgt: node.rgt };
  if (f.oldParentField) out[f.oldParentField] = parent ?? '';
  return out;
}

/**
 * `NestedSet.on_trash` for a document about to be deleted (inside the delete's transaction): refused while
 * it has children; otherwise it leaves the tree the way Frappe's `update_nsm` with an empty parent does (moved
 * to the end as a root, so the nodes after it close the gap).
 * @param tx - the delete's transaction
 * @param doctype - the document's DocType
 * @param name - the document's name
 * @throws {RunFailure} `TREE_CHILD_EXISTS`
 */
export async function removeNode(tx: StorageSession, doctype: DocType, name: string): Promise<void> {
  const f = treeFields(doctype);
  if (!f) return;
  const { addNode, moveNode, TreeRefusal } = await nsm();
  const { nodes, oldParents } = await lockAndLoad(tx, doctype, f);
  if (nodes.some((n) => n.parent === name)) {
    throw new RunFailure('TREE_CHILD_EXISTS', `Cannot delete ${name} as it has child nodes`);
  }
  const node = nodes.find((n) => n.name === name);
  if (!node) return;
  node.parent = null;
  const before = snapshot(nodes);
  try {
    if (!node.lft && !node.rgt) addNode(nodes, node, '');
    else if (oldParents.get(name)) moveNode(nodes, node);
  } catch (e) {
    failure(doctype, f, e, TreeRefusal);
  }
  await writeChanged(tx, doctype.name, nodes, before, name);
}

/** Which relatives of a node. */
export type TreeRelation = 'ancestors' | 'descendants';

/**
 * The names of a node's ancestors (`lft < node.lft and rgt > node.rgt`) or descendants (`lft > node.lft and
 * rgt < node.rgt`), read without permission checks as Frappe's filters do.
 * @param session - an adapter or a transaction
 * @param doctype - a tree DocType (its `lft` / `rgt` are read)
 * @param name - the node; a missing node has no relatives (as Frappe's filters treat it)
 * @param relation - ancestors or descendants
 * @param order - by `lft` @default 'asc'
 * @returns the names
 */
export async function treeNames(session: StorageSession, doctype: string, name: string, relation: TreeRelation, order: 'asc' | 'desc' = 'asc'): Promise<string[]> {
  const node = await session.get(doctype, name, { fields: ['lft', 'rgt'] });
  const lft = num(node?.lft);
  const rgt = num(node?.rgt);
  if (lft === null || rgt === null) return [];
  const where = relation === 'descendants' ? { lft: { gt: lft }, rgt: { lt: rgt } } : { lft: { lt: lft }, rgt: { gt: rgt } };
  const rows = await session.query(doctype, { where, orderBy: { lft: order }, fields: ['name'] });
  return rows.map((r) => String(r.name));
}

/** What the public helpers need of an engine. */
export interface TreeHost {
  readonly registry: Registry;
  readonly adapter: StorageAdapter;
  /** Resolves once storage knows every DocType (an engine's `ready`). */
  ready?(): Promise<void>;
}

function treeDoctype(host: TreeHost, doctype: string): DocType {
  if (!host.registry.has(doctype)) throw new CoworkerError('UNKNOWN_DOCTYPE', `DocType ${doctype} not found`);
  const dt = host.registry.get(doctype);
  if (!treeFields(dt)) throw new CoworkerError('TREE_NOT_SUPPORTED', `Rebuilding of tree is not supported for ${doctype}`);
  return dt;
}

async function relatives(host: TreeHost, doctype: string, name: string, relation: TreeRelation, options: TreeListOptions): Promise<string[]> {
  const dt = treeDoctype(host, doctype);
  await host.ready?.();
  const node = await host.adapter.get(dt.name, name, { fields: ['lft', 'rgt'] });
  if (!node) throw new CoworkerError('NOT_FOUND', `${doctype} ${name} not found`);
  const names = await treeNames(host.adapter, dt.name, name, relation, options.order ?? 'desc');
  return options.limit === undefined ? names : names.slice(0, options.limit);
}

/** Options of {@link getAncestorsOf} / {@link getDescendantsOf}. */
export interface TreeListOptions {
  /** Order by `lft`. @default 'desc' (Frappe's `order_by="lft desc"`) */
  readonly order?: 'asc' | 'desc';
  /** At most this many names. @default undefined (all) */
  readonly limit?: number;
}

/**
 * Frappe's `get_ancestors_of`: the names of a node's ancestors, nearest first (`lft desc`). An in-process
 * accessor like `engine.getPassword`: no run, no permission check.
 * @example
 * await getAncestorsOf(engine, 'Account', 'Cash - AC'); // ['Current Assets - AC', 'Assets - AC']
 * @throws {CoworkerError} `UNKNOWN_DOCTYPE`, `TREE_NOT_SUPPORTED` (not a tree DocType), `NOT_FOUND`
 */
export function getAncestorsOf(host: TreeHost, doctype: string, name: string, options: TreeListOptions = {}): Promise<string[]> {
  return relatives(host, doctype, name, 'ancestors', options);
}

/**
 * Frappe's `get_descendants_of`: the names of every node under a node (`lft desc` by default, as Frappe).
 * @throws {CoworkerError} `UNKNOWN_DOCTYPE`, `TREE_NOT_SUPPORTED`, `NOT_FOUND`
 */
export function getDescendantsOf(host: TreeHost, doctype: string, name: string, options: TreeListOptions = {}): Promise<string[]> {
  return relatives(host, doctype, name, 'descendants', options);
}

/**
 * Frappe's `get_root_of`: the first root of a tree DocType (a node no other node contains, with rgt > lft), by
 * `lft`; ERPNext uses it as the default parent (Supplier Group, Item Group...).
 * @returns the root's name, or `null` for an empty tree
 * @throws {CoworkerError} `UNKNOWN_DOCTYPE`, `TREE_NOT_SUPPORTED`
 */
export async function getRootOf(host: TreeHost, doctype: string): Promise<string | null> {
  const dt = treeDoctype(host, doctype);
  await host.ready?.();
  // By lft, the first placed node (lft > 0, rgt > lft) has no node before it that could contain it.
  const [first] = await host.adapter.query(dt.name, { where: { lft: { gt: 0 } }, fields: ['name', 'lft', 'rgt'], orderBy: { lft: 'asc' }, take: 1 });
  return first && num(first.rgt)! > num(first.lft)! ? String(first.name) : null;
}

/**
 * Frappe's `rebuild_tree`: number the whole tree again from its parent links (roots by name, siblings in
 * their current order), in one transaction under the tree's lock. For trees loaded without the engine
 * (imports, SQL) or repaired by hand.
 * @returns how many nodes changed
 * @throws {CoworkerError} `UNKNOWN_DOCTYPE`, `TREE_NOT_SUPPORTED`
 */
export async function rebuildTree(host: TreeHost, doctype: string): Promise<number> {
  const dt = treeDoctype(host, doctype);
  const f = treeFields(dt)!;
  await host.ready?.();
  return host.adapter.transaction((tx) => rebuildInTransaction(tx, dt, f));
}

/**
 * `rebuild_tree` inside a write that is already under way (a merge by `rename`, as `NestedSet.after_rename`
 * does): takes the tree's lock in `tx`, renumbers, writes what changed.
 * @returns how many nodes changed; 0 for a DocType that is not a tree
 */
export async function rebuildInTransaction(tx: StorageSession, dt: DocType, f: TreeFields | undefined = treeFields(dt)): Promise<number> {
  if (!f) return 0;
  const { rebuildNodes } = await nsm();
  const { nodes } = await lockAndLoad(tx, dt, f);
  const before = snapshot(nodes);
  const changed = rebuildNodes(nodes);
  await writeChanged(tx, dt.name, nodes, before);
  return changed.length;
}
