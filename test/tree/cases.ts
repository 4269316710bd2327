/**
 * The tree tests every adapter runs (memory, PGlite, SQLite, the PostgreSQL server): ERPNext's Item Group,
 * Account and Cost Center trees kept as nested sets through inserts, moves and deletes; the refusals; the tree
 * filters of `select`; the helpers; `rebuildTree`; and the oracle-checked script of `script.ts` giving the
 * same result as on the memory adapter (which tree.oracle.test.ts compares with Frappe itself).
 */
import { expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/run/engine';
import { getAncestorsOf, getDescendantsOf, getRootOf, rebuildTree } from '../../src/run/tree';
import { memoryAdapter } from '../../src/storage/memory';
import type { StorageAdapter } from '../../src/storage/types';
import { ADMIN, expectValidTree, make, positions, treeEngine } from './helpers';
import { NODE, NODE_JSON, runStep, SCRIPT, table } from './script';

/** Make a fresh adapter (its own schema / database) and a cleanup. */
export type AdapterFactory = () => Promise<{ adapter: StorageAdapter; close?: () => Promise<void> }>;

const IG = 'Item Group';
const names = async (engine: Engine, doctype: string, filters: unknown[]) => {
  const r = await engine.run({ operation: 'select', source_doctype: doctype, input: { filters, fields: ['name'], order_by: 'lft asc', limit_page_length: 0 } });
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data.map((d) => d.name);
};

/** All Item Groups > (Products > (Widgets, Gadgets > Small Gadgets), Raw Material > Steel), Services. */
async function itemGroups(engine: Engine): Promise<void> {
  await make(engine, IG, { item_group_name: 'All Item Groups', is_group: 1 });
  await make(engine, IG, { item_group_name: 'Products', is_group: 1, parent_item_group: 'All Item Groups' });
  await make(engine, IG, { item_group_name: 'Raw Material', is_group: 1, parent_item_group: 'All Item Groups' });
  await make(engine, IG, { item_group_name: 'Widgets', parent_item_group: 'Products' });
  await make(engine, IG, { item_group_name: 'Gadgets', is_group: 1, parent_item_group: 'Products' });
  await make(engine, IG, { item_group_name: 'Small Gadgets', parent_item_group: 'Gadgets' });
  await make(engine, IG, { item_group_name: 'Steel', parent_item_group: 'Raw Material' });
  await make(engine, IG, { item_group_name: 'Services', parent_item_group: 'All Item Groups' });
}

/**
 * A small chart of accounts (ERPNext names accounts "<name> - <abbr>"; without its controller the name is
 * given) and a cost center tree. Roots have no parent, which the JSON makes mandatory.
 */
async function chart(engine: Engine): Promise<void> {
  const account = (account_name: string, parent: string | null, is_group = 0) => make(engine, 'Account', {
    name: `${account_name} - AC`, account_name, company: 'Acme', parent_account: parent, is_group, root_type: 'Asset',
  }, parent ? { in_import: true } : { in_import: true, ignore_mandatory: true });
  await account('Application of Funds (Assets)', null, 1);
  await account('Current Assets', 'Application of Funds (Assets) - AC', 1);
  await account('Bank Accounts', 'Current Assets - AC', 1);
  await account('Cash', 'Current Assets - AC');
  await account('Main Bank', 'Bank Accounts - AC');
  await account('Fixed Assets', 'Application of Funds (Assets) - AC', 1);
  await account('Furniture', 'Fixed Assets - AC');
  await account('Source of Funds (Liabilities)', null, 1);
  await account('Creditors', 'Source of Funds (Liabilities) - AC');
  const center = (cost_center_name: string, parent: string | null, is_group = 0) => make(engine, 'Cost Center', {
    name: `${cost_center_name} - AC`, cost_center_name, company: 'Acme', parent_cost_center: parent, is_group,
  }, parent ? { in_import: true } : { in_import: true, ignore_mandatory: true });
  await center('Acme', null, 1);
  await center('Main', 'Acme - AC');
  await center('Sales', 'Acme - AC', 1);
  await center('Sales East', 'Sales - AC');
}

/**
 * Define the tree tests for one adapter kind.
 * @param make - a fresh adapter per test
 */
export function treeCases(fresh: AdapterFactory): void {
  const withEngine = (title: string, body: (engine: Engine, adapter: StorageAdapter) => Promise<void>) => {
    it(title, async () => {
      const { adapter, close } = await fresh();
      try {
        await body(treeEngine(adapter), adapter);
      } finally {
        await close?.();
      }
    }, 120_000);
  };

  withEngine('Item Group: each insert places the node last under its parent', async (engine, adapter) => {
    await itemGroups(engine);
    expect(await positions(adapter, IG)).toEqual({
      'All Item Groups': [1, 16], Products: [2, 9], Widgets: [3, 4], Gadgets: [5, 8], 'Small Gadgets': [6, 7],
      'Raw Material': [10, 13], Steel: [11, 12], Services: [14, 15],
    });
    await expectValidTree(adapter, IG, 'parent_item_group');
    const stored = await adapter.get(IG, 'Small Gadgets');
    expect(stored).toMatchObject({ old_parent: 'Gadgets', lft: 6, rgt: 7 });
    // lft / rgt are the engine's: input values are ignored, on insert and on save.
    await make(engine, IG, { item_group_name: 'Tools', parent_item_group: 'Products', lft: 100, rgt: 1 });
    const saved = await engine.run({ operation: 'update', target_doctype: IG, input: { data: { name: 'Widgets', lft: 50, rgt: 51, image: '/w.png' } } });
    expect(saved.error).toBeNull();
    expect(saved.output!.data[0]).toMatchObject({ lft: 3, rgt: 4 });
    await expectValidTree(adapter, IG, 'parent_item_group');
  });

  withEngine('Item Group: a move carries the subtree; the refusals leave storage as it was', async (engine, adapter) => {
    await itemGroups(engine);
    const moved = await engine.run({ operation: 'update', target_doctype: IG, input: { data: { name: 'Gadgets', parent_item_group: 'Raw Material' } } });
    expect(moved.error).toBeNull();
    expect(moved.output!.data[0]).toMatchObject({ lft: 9, rgt: 12, old_parent: 'Raw Material' });
    expect(await names(engine, IG, [['name', 'descendants of', 'Raw Material']])).toEqual(['Steel', 'Gadgets', 'Small Gadgets']);
    await expectValidTree(adapter, IG, 'parent_item_group');
    const before = await positions(adapter, IG);
    const under = await engine.run({ operation: 'update', target_doctype: IG, input: { data: { name: 'Raw Material', parent_item_group: 'Small Gadgets' } } });
    expect(under.error).toMatchObject({ code: 'TREE_RECURSION', exc: 'NestedSetRecursionError', message: 'Item cannot be added to its own descendants' });
    const leaf = await engine.run({ operation: 'update', target_doctype: IG, input: { data: { name: 'Gadgets', is_group: 0 } } });
    expect(leaf.error).toMatchObject({ code: 'TREE_LEAF_HAS_CHILDREN', exc: 'ValidationError', message: 'Item Group Gadgets cannot be a leaf node as it has children' });
    const del = await engine.run({ operation: 'delete', target_doctype: IG, input: { data: { name: 'Products' } } });
    expect(del.error).toMatchObject({ code: 'TREE_CHILD_EXISTS', exc: 'NestedSetChildExistsError', message: 'Cannot delete Products as it has child nodes' });
    // A write that fails after the nodes were shifted (a name already taken) rolls the shifts back too.
    const dup = await engine.run({ operation: 'create', target_doctype: IG, input: { data: { item_group_name: 'Widgets', parent_item_group: 'All Item Groups' } } });
    expect(dup.error?.code).toBe('DUPLICATE_ENTRY');
    expect(await positions(adapter, IG)).toEqual(before);
    // A delete closes the gap.
    expect((await engine.run({ operation: 'delete', target_doctype: IG, input: { data: { name: 'Widgets' } } })).error).toBeNull();
    await expectValidTree(adapter, IG, 'parent_item_group');
  });

  withEngine('Account and Cost Center: the contract filter, the helpers, rebuildTree', async (engine, adapter) => {
    await chart(engine);
    await expectValidTree(adapter, 'Account', 'parent_account');
    await expectValidTree(adapter, 'Cost Center', 'parent_cost_center');
    // Frappe: parent_account in (descendants of X), so X's direct children are not among them.
    expect(await names(engine, 'Account', [['parent_account', 'descendants of', 'Application of Funds (Assets) - AC']])).toEqual(['Bank Accounts - AC', 'Main Bank - AC', 'Cash - AC', 'Furniture - AC']);
    expect(await names(engine, 'Account', [['name', 'descendants of', 'Current Assets - AC']])).toEqual(['Bank Accounts - AC', 'Main Bank - AC', 'Cash - AC']);
    expect(await names(engine, 'Account', [['name', 'descendants of (inclusive)', 'Bank Accounts - AC']])).toEqual(['Bank Accounts - AC', 'Main Bank - AC']);
    expect(await names(engine, 'Account', [['name', 'ancestors of', 'Main Bank - AC']])).toEqual(['Application of Funds (Assets) - AC', 'Current Assets - AC', 'Bank Accounts - AC']);
    expect(await names(engine, 'Account', [['name', 'not descendants of', 'Application of Funds (Assets) - AC'], ['is_group', '=', 0]])).toEqual(['Creditors - AC']);
    expect(await names(engine, 'Cost Center', [['name', 'not ancestors of', 'Sales East - AC']])).toEqual(['Main - AC', 'Sales East - AC']);
    expect(await getAncestorsOf(engine, 'Account', 'Main Bank - AC')).toEqual(['Bank Accounts - AC', 'Current Assets - AC', 'Application of Funds (Assets) - AC']);
    expect(await getDescendantsOf(engine, 'Account', 'Current Assets - AC', { order: 'asc' })).toEqual(['Bank Accounts - AC', 'Main Bank - AC', 'Cash - AC']);
    expect(await getDescendantsOf(engine, 'Account', 'Cash - AC')).toEqual([]);
    expect(await getRootOf(engine, 'Account')).toBe('Application of Funds (Assets) - AC');
    expect(await getRootOf(engine, 'Territory')).toBeNull();
    await expect(getAncestorsOf(engine, 'Account', 'Nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rebuildTree(engine, 'Item Tax')).rejects.toMatchObject({ code: 'TREE_NOT_SUPPORTED' });
    // A tree numbered wrongly outside the engine (an import, a hand edit) is renumbered from its parent links.
    const good = await positions(adapter, 'Account');
    // (Siblings keep their order: rebuild orders them by their current lft.)
    for (const [name, rgt] of [['Cash - AC', 0], ['Current Assets - AC', 99]] as const) {
      const doc = (await adapter.get('Account', name))!;
      await adapter.update('Account', { ...doc, rgt }, doc.modified as string);
    }
    expect(await rebuildTree(engine, 'Account')).toBe(2);
    expect(await positions(adapter, 'Account')).toEqual(good);
    expect(await rebuildTree(engine, 'Account')).toBe(0);
  });

  it('the oracle-checked script gives what the memory adapter gives, step by step', async () => {
    const { adapter, close } = await fresh();
    try {
      const reference = createEngine({ user: ADMIN, doctypes: [NODE_JSON], adapter: memoryAdapter() });
      const engine = createEngine({ user: ADMIN, doctypes: [NODE_JSON], adapter });
      for (const [i, step] of SCRIPT.entries()) {
        expect(await runStep(engine, step), `step ${i}`).toEqual(await runStep(reference, step));
        expect(await table(engine), `table after step ${i}`).toEqual(await table(reference));
      }
      expect(Object.keys(await table(engine)).length).toBeGreaterThan(5);
      expect(await adapter.count(NODE)).toBe(await reference.adapter.count(NODE));
    } finally {
      await close?.();
    }
  }, 120_000);
}
