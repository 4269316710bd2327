/**
 * Computed fields (custom rules declared in code): recompute, in dependency order, the values downstream of
 * what changed. Child-row computed fields run per row with the parent at hand; a parent field computed from
 * rows (`items.amount`) runs after them.
 *
 * @module
 */
import { deepFreeze, setOwn } from '../schema/json';
import { downstream } from './graph';
import { rowsOf } from './states';
import type { CompiledRules, ComputedField, DocData, RuleEnv } from './types';

const NO_ENV: RuleEnv = Object.freeze({ action: null, user: null });

/** One value a computed field wrote. */
export interface ComputedChange {
  readonly field: string;
  readonly table?: string;
  /** Row index in its table (0-based). */
  readonly index?: number;
  readonly value: unknown;
}

/**
 * Recompute computed fields. With `prev`, only those downstream of what differs between `prev` and `doc`;
 * without, all of them. Returns the new document (the same object when no value changed) and the changes.
 * `env` (the run's action and user) is passed to every `compute`.
 */
export function applyComputed(rules: CompiledRules, doc: DocData, prev?: DocData, env: RuleEnv = NO_ENV): { doc: DocData; changes: ComputedChange[] } {
  const byNode = new Map<string, ComputedField>();
  for (const c of rules.computed) byNode.set(c.field, c);
  for (const [table, child] of rules.tables) for (const c of child.computed) byNode.set(`${table}.${c.field}`, c);
  if (!byNode.size) return { doc, changes: [] };

  let targets: string[];
  const changedRows = new Map<string, Set<number>>(); // table -> indices of rows that changed (for row-level nodes)
  if (prev) {
    const changed = changedValueNodes(rules, prev, doc, changedRows);
    if (!changed.size) return { doc, changes: [] };
    const down = new Set(downstream(rules, changed));
    // A computed node whose own inputs changed is downstream of them already; new rows recompute everything of their table.
    targets = rules.order.filter((n) => byNode.has(n) && (down.has(n) || changedRows.get(n.split('.')[0]!)?.has(-1)));
  } else {
    targets = rules.order.filter((n) => byNode.has(n));
  }

  const changes: ComputedChange[] = [];
  let current = doc;
  for (const node of targets) {
    const rule = byNode.get(node)!;
    if (rule.table) {
      const rows = rowsOf(current, rule.table);
      // Rows are recomputed when the node was reached through a parent input or the row itself changed.
      const onlyRows = prev && !reachedFromParent(rules, rule, doc, prev) ? changedRows.get(rule.table) : undefined;
      const updates: Array<[number, unknown]> = [];
      rows.forEach((row, i) => {
        if (onlyRows && !onlyRows.has(i) && !onlyRows.has(-1)) return;
        const value = rule.compute(row, current, env);
        if (!Object.is(value, row[rule.field])) updates.push([i, value]);
      });
      if (updates.length) {
        current = withRowValues(current, rule.table, rule.field, updates);
        for (const [index, value] of updates) changes.push({ field: rule.field, table: rule.table, index, value });
      }
    } else {
      const value = rule.compute(current, current, env);
      if (!Object.is(value, current[rule.field])) {
        current = withValue(current, rule.field, value);
        changes.push({ field: rule.field, value });
      }
    }
  }
  return { doc: current, changes };
}

/**
 * Structural sharing by hand: a copy of `doc` with `field` set, frozen, the value deep-frozen (as the document
 * layer freezes what is written). Everything else is shared.
 */
function withValue(doc: DocData, field: string, value: unknown): DocData {
  const out = copyOf(doc);
  setOwn(out, field, deepFreeze(value));
  return Object.freeze(out);
}

/** A copy of `doc` whose `table` rows at the given indices have `field` set; other rows are shared. */
function withRowValues(doc: DocData, table: string, field: string, updates: ReadonlyArray<readonly [number, unknown]>): DocData {
  const rows = (doc[table] as readonly DocData[]).slice();
  for (const [i, value] of updates) {
    const row = copyOf(rows[i]!);
    setOwn(row, field, deepFreeze(value));
    rows[i] = Object.freeze(row);
  }
  const out = copyOf(doc);
  setOwn(out, table, Object.freeze(rows));
  return Object.freeze(out);
}

function copyOf(value: DocData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, value[key]);
  return out;
}

/** Value nodes that differ: top-level keys, and `<table>.<field>` for changed row fields (index -1 = rows added/removed). */
function changedValueNodes(rules: CompiledRules, prev: DocData, doc: DocData, changedRows: Map<string, Set<number>>): Set<string> {
  const out = new Set<string>();
  for (const k in doc) if (prev[k] !== doc[k]) out.add(k);
  for (const k in prev) if (!(k in doc)) out.add(k);
  for (const table of rules.tables.keys()) {
    if (!out.has(table)) continue;
    const a = rowsOf(prev, table);
    const b = rowsOf(doc, table);
    const indices = new Set<number>();
    const before = new Map(a.map((r) => [r.name, r] as const));
    b.forEach((row, i) => {
      const old = before.get(row.name);
      if (old === row) return;
      indices.add(i);
      if (!old) {
        indices.add(-1);
        for (const k in row) out.add(`${table}.${k}`);
      } else {
        for (const k in row) if (old[k] !== row[k]) out.add(`${table}.${k}`);
      }
    });
    if (a.length !== b.length) indices.add(-1);
    changedRows.set(table, indices);
  }
  return out;
}

function reachedFromParent(rules: CompiledRules, rule: ComputedField, doc: DocData, prev: DocData): boolean {
  return rule.inputs.some((input) => input.startsWith('parent.') && doc[input.slice(7)] !== prev[input.slice(7)]) ||
    // or an upstream parent-level computed value changed
    rules.computed.some((c) => rule.inputs.includes(`parent.${c.field}`));
}
