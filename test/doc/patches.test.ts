import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../src/env';
import { addRow, loadDoc, moveRow, removeRow, replay, rowsOf, setRowValue, setValue } from '../../src/doc';
import type { Doc, DocData, DocDelta, TableDelta } from '../../src/doc';
import { fieldEqual } from '../../src/doc/equal';
import { getField } from '../../src/schema/fields';
import { corpusDoctype, opts } from './helpers';

const TABLES = ['items', 'taxes'] as const;
const VALUE_FIELDS = ['customer', 'remarks', 'conversion_rate', 'is_pos', 'posting_date'] as const;
const ROW_FIELDS = { items: ['qty', 'rate', 'item_code'], taxes: ['rate', 'description'] } as const;

function start(): Doc {
  return loadDoc(
    corpusDoctype('Sales Invoice'),
    {
      name: 'SINV-1', customer: 'ACME', remarks: null, conversion_rate: 1, is_pos: 0,
      items: [
        { name: 'i1', item_code: 'A', qty: 1, rate: 10 },
        { name: 'i2', item_code: 'B', qty: 2, rate: 20 },
      ],
      taxes: [{ name: 't1', rate: 5, description: 'VAT' }],
    },
    { getDoctype: corpusDoctype },
  );
}

const value = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, '', 0, 1, NaN, 'ACME', 'Other'),
  fc.integer({ min: -3, max: 3 }),
  fc.string({ maxLength: 3 }),
);

type Op =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'setRow'; table: (typeof TABLES)[number]; pick: number; field: string; value: unknown }
  | { kind: 'add'; table: (typeof TABLES)[number] }
  | { kind: 'remove'; table: (typeof TABLES)[number]; pick: number }
  | { kind: 'move'; table: (typeof TABLES)[number]; pick: number; to: number };

const table = fc.constantFrom(...TABLES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...VALUE_FIELDS), value }),
  table.chain((t) =>
    fc.record({
      kind: fc.constant('setRow' as const), table: fc.constant(t), pick: fc.nat(), field: fc.constantFrom(...ROW_FIELDS[t]), value,
    }),
  ),
  fc.record({ kind: fc.constant('add' as const), table }),
  fc.record({ kind: fc.constant('remove' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), table, pick: fc.nat(), to: fc.nat() }),
);

function run(doc: Doc, o: Op, ids: ReturnType<typeof sequentialIds>): Doc {
  if (o.kind === 'set') return setValue(doc, o.field, o.value);
  if (o.kind === 'add') return addRow(doc, o.table, {}, opts({ ids }));
  const rows = rowsOf(doc.data, o.table);
  if (!rows.length) return doc;
  const name = String(rows[o.pick % rows.length]!.name);
  if (o.kind === 'setRow') return setRowValue(doc, o.table, name, o.field, o.value);
  if (o.kind === 'remove') return removeRow(doc, o.table, name);
  return moveRow(doc, o.table, name, o.to % rows.length);
}

/** The delta recomputed from scratch by comparing whole states: the oracle for the incremental one. */
function referenceDelta(original: DocData, data: DocData): DocDelta {
  const values: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(original), ...Object.keys(data)])) {
    if ((TABLES as readonly string[]).includes(key)) continue;
    if (!fieldEqual(getField(corpusDoctype('Sales Invoice'), key), original[key], data[key])) values[key] = data[key];
  }
  const tables: Record<string, TableDelta> = {};
  for (const t of TABLES) {
    const before = rowsOf(original, t);
    const after = rowsOf(data, t);
    const beforeNames = before.map((r) => r.name);
    const afterNames = new Set(after.map((r) => r.name));
    const added = after.filter((r) => !beforeNames.includes(r.name));
    const removed = beforeNames.filter((n) => !afterNames.has(n)) as string[];
    const changed: Record<string, Record<string, unknown>> = {};
    for (const row of after) {
      const orig = before.find((r) => r.name === row.name);
      if (!orig) continue;
      const fields: Record<string, unknown> = {};
      for (const key of new Set([...Object.keys(orig), ...Object.keys(row)])) {
        const df = getField(corpusDoctype(t === 'items' ? 'Sales Invoice Item' : 'Sales Taxes and Charges'), key);
        if (key !== 'idx' && !fieldEqual(df, orig[key], row[key])) fields[key] = row[key];
      }
      if (Object.keys(fields).length) changed[String(row.name)] = fields;
    }
    const keptOrder = after.map((r) => r.name).filter((n) => beforeNames.includes(n));
    const reordered = keptOrder.some((n, i) => i > 0 && beforeNames.indexOf(n) < beforeNames.indexOf(keptOrder[i - 1]));
    if (added.length || removed.length || reordered || Object.keys(changed).length) {
      tables[t] = { added, removed, changed, ...(reordered ? { reordered: true } : {}) };
    }
  }
  return { values, tables };
}

describe('patches and delta under random edit sequences', () => {
  it('patches replay to data, inverse patches restore original, the delta matches a full diff, idx stays 1..n', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const ids = sequentialIds();
        const first = start();
        let doc = first;
        const snapshots: [Doc, DocData][] = [];
        for (const o of ops) {
          snapshots.push([doc, doc.data]);
          doc = run(doc, o, ids);
        }
        expect(replay(doc.original, doc.patches)).toEqual(doc.data);
        expect(replay(doc.data, doc.inversePatches)).toEqual(doc.original);
        expect(doc.original).toBe(first.original);
        expect(doc.delta).toEqual(referenceDelta(doc.original, doc.data));
        for (const t of TABLES) expect(rowsOf(doc.data, t).map((r) => r.idx)).toEqual(rowsOf(doc.data, t).map((_, i) => i + 1));
        // Earlier states are untouched by later edits.
        for (const [earlier, data] of snapshots) expect(earlier.data).toBe(data);
      }),
      { numRuns: 300 },
    );
  });

  it('each intermediate Doc replays on its own', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), (ops) => {
        const ids = sequentialIds();
        let doc = start();
        for (const o of ops) {
          doc = run(doc, o, ids);
          expect(replay(doc.original, doc.patches)).toEqual(doc.data);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a write that changes nothing adds no patch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALUE_FIELDS), (field) => {
        const doc = start();
        const same = setValue(doc, field, doc.data[field]);
        expect(same).toBe(doc);
        expect(same.patches).toHaveLength(0);
      }),
    );
  });
});
