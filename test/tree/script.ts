/**
 * One script of tree operations (inserts, moves, saves that are refused, deletes, tree filters) on a tree
 * DocType of our own (`OT Tree Node`, `is_tree`), replayed on coworker and on Frappe through the oracle:
 * after every step both must hold the same lft / rgt / old_parent and give the same outcome.
 */
import type { Engine } from '../../src/run/engine';

export const NODE = 'OT Tree Node';
const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });

/** A tree DocType as a Frappe developer makes one in Desk (custom, `is_tree`, the standard tree fields). */
export const NODE_JSON = {
  name: NODE, module: 'Custom', custom: 1, is_tree: 1, nsm_parent_field: 'parent_ot_tree_node', autoname: 'field:node_name',
  fields: [
    f('node_name', 'Data', { reqd: 1, unique: 1 }),
    f('parent_ot_tree_node', 'Link', { options: NODE }),
    f('is_group', 'Check'),
    f('lft', 'Int', { hidden: 1, read_only: 1 }),
    f('rgt', 'Int', { hidden: 1, read_only: 1 }),
    f('old_parent', 'Link', { options: NODE, hidden: 1 }),
  ],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
};

/** One step. */
export type Step =
  | { readonly op: 'insert'; readonly name: string; readonly parent?: string; readonly group?: boolean }
  | { readonly op: 'save'; readonly name: string; readonly changes: Record<string, unknown> }
  | { readonly op: 'delete'; readonly name: string }
  | { readonly op: 'list'; readonly filters: unknown[] };

/** What a step gave: success, or Frappe's exception name and message; for lists, the names (sorted). */
export interface Outcome {
  readonly ok: boolean;
  readonly exc: string | null;
  readonly message: string | null;
  readonly names?: readonly string[];
}

const P = 'parent_ot_tree_node';
const ins = (name: string, parent?: string, group = false): Step => ({ op: 'insert', name, ...(parent ? { parent } : {}), group });
const move = (name: string, parent: string | null): Step => ({ op: 'save', name, changes: { [P]: parent } });

export const SCRIPT: readonly Step[] = [
  ins('Root', undefined, true), ins('A', 'Root', true), ins('B', 'Root', true), ins('A1', 'A', true), ins('A1x', 'A1'), ins('A2', 'A'),
  ins('B1', 'B'), ins('Other Root', undefined, true), ins('O1', 'Other Root'),
  // refused: a group with children saved as a leaf; a node under itself / its own descendant; a delete with children
  { op: 'save', name: 'A1', changes: { is_group: 0 } },
  move('A', 'A1x'), move('A', 'A'),
  { op: 'delete', name: 'A' },
  // moves: under a later sibling, to an earlier branch, to the root level, back under a root
  move('A', 'B'), move('B1', 'A1'), move('A1', 'Other Root'), move('O1', null), move('O1', 'Root'),
  ins('B2', 'B'), ins('Late Root', undefined, true), ins('L1', 'Late Root'),
  // deletes: a leaf in the middle, a root with a parent-less past, a moved node
  { op: 'delete', name: 'A1x' }, { op: 'delete', name: 'L1' }, { op: 'delete', name: 'Late Root' }, { op: 'delete', name: 'B1' },
  ins('Z', 'A1'),
  // the tree operators in get_list filters
  { op: 'list', filters: [['name', 'descendants of', 'Root']] },
  { op: 'list', filters: [['name', 'descendants of (inclusive)', 'B']] },
  { op: 'list', filters: [['name', 'ancestors of', 'Z']] },
  { op: 'list', filters: [['name', 'not descendants of', 'Root']] },
  { op: 'list', filters: [['name', 'not ancestors of', 'Z']] },
  { op: 'list', filters: [[P, 'descendants of', 'Root']] },
  { op: 'list', filters: [[P, 'descendants of', 'Z']] }, // a leaf: `in ('')`, so the roots match
  { op: 'list', filters: [['name', 'descendants of', 'No Such Node']] },
  { op: 'list', filters: [[P, 'not ancestors of', 'Z']] },
];

/** Run one step on coworker. */
export async function runStep(engine: Engine, step: Step): Promise<Outcome> {
  const r = step.op === 'insert'
    ? await engine.run({ operation: 'create', target_doctype: NODE, input: { data: { node_name: step.name, [P]: step.parent ?? null, is_group: step.group ? 1 : 0 } } })
    : step.op === 'save'
      ? await engine.run({ operation: 'update', target_doctype: NODE, input: { data: { name: step.name, ...step.changes } } })
      : step.op === 'delete'
        ? await engine.run({ operation: 'delete', target_doctype: NODE, input: { data: { name: step.name } } })
        : await engine.run({ operation: 'select', source_doctype: NODE, input: { filters: step.filters, fields: ['name'], limit_page_length: 0 } });
  const names = step.op === 'list' && r.output ? r.output.data.map((d) => String(d.name)).sort() : undefined;
  return { ok: r.error === null, exc: r.error?.exc ?? null, message: r.error?.message ?? null, ...(names ? { names } : {}) };
}

/** Every node as stored: name -> [lft, rgt, old_parent]. */
export async function table(engine: Engine): Promise<Record<string, [number, number, string]>> {
  const rows = await engine.adapter.query(NODE, { fields: ['name', 'lft', 'rgt', 'old_parent'] });
  return Object.fromEntries(rows.map((r) => [String(r.name), [Number(r.lft), Number(r.rgt), String(r.old_parent ?? '')]]));
}
