/**
 * Tree DocTypes of ERPNext (`../shared/frappe-apps`: Item Group, Account, Cost Center, Territory) with their
 * child DocTypes, an engine over any adapter, and the nested-set checks the tree tests share.
 */
import { expect } from 'vitest';
import { createEngine } from '../../src/run/engine';
import type { Engine } from '../../src/run/engine';
import type { StorageAdapter } from '../../src/storage/types';
import { nestedSetProblem, type TreeNode } from '../../src/run/tree-nsm';
import { benchDoctypeJsons } from '../helpers/bench';

export const ADMIN = { name: 'Administrator', roles: [] as string[] };

type Json = { name: string; fields: { fieldname: string; fieldtype: string; options?: string }[] };

/** The named bench DocTypes plus every child DocType of their Table fields. */
export function benchSubset(...names: string[]): Json[] {
  const all = new Map((benchDoctypeJsons() as Json[]).map((j) => [j.name, j]));
  const out = new Map<string, Json>();
  const add = (name: string): void => {
    const json = all.get(name);
    if (!json || out.has(name)) return;
    out.set(name, json);
    for (const f of json.fields) if ((f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect') && f.options) add(f.options);
  };
  names.forEach(add);
  return [...out.values()];
}

export const TREE_DOCTYPES = ['Item Group', 'Account', 'Cost Center', 'Territory'];

/**
 * An engine over the ERPNext tree DocTypes. Their other Links (Company, Currency, Sales Person...) name
 * DocTypes the engine does not hold: `unknownLinks: 'skip'`. Roots of Account / Cost Center have no parent,
 * which their JSON makes mandatory (ERPNext's controllers allow it for roots): `ignore_mandatory` is allowed.
 */
export function treeEngine(adapter: StorageAdapter): Engine {
  return createEngine({ doctypes: benchSubset(...TREE_DOCTYPES), adapter, user: ADMIN, unknownLinks: 'skip', allowFlags: ['ignore_mandatory', 'in_import'] });
}

/** Create a document; fail the test with the run's error otherwise. */
export async function make(engine: Engine, doctype: string, data: Record<string, unknown>, flags?: Record<string, boolean>): Promise<Record<string, unknown>> {
  const r = await engine.run({ operation: 'create', target_doctype: doctype, input: { data }, ...(flags ? { options: { flags } } : {}) });
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data[0] as Record<string, unknown>;
}

/** Every node of a tree as stored: name -> [lft, rgt]. */
export async function positions(adapter: StorageAdapter, doctype: string): Promise<Record<string, [number, number]>> {
  const rows = await adapter.query(doctype, { fields: ['name', 'lft', 'rgt'], orderBy: { lft: 'asc' } });
  return Object.fromEntries(rows.map((r) => [String(r.name), [Number(r.lft), Number(r.rgt)]]));
}

/** Assert the stored tree is a valid nested set (children inside parents, no shared values). */
export async function expectValidTree(adapter: StorageAdapter, doctype: string, parentField: string): Promise<void> {
  const rows = await adapter.query(doctype, { fields: ['name', parentField, 'lft', 'rgt'] });
  const nodes: TreeNode[] = rows.map((r) => ({ name: String(r.name), parent: (r[parentField] as string | null) || null, lft: r.lft as number, rgt: r.rgt as number }));
  expect(nestedSetProblem(nodes)).toBeUndefined();
  // Values are exactly 1..2n: no gaps.
  expect(nodes.flatMap((n) => [n.lft, n.rgt]).sort((a, b) => a! - b!)).toEqual(Array.from({ length: nodes.length * 2 }, (_, i) => i + 1));
}
