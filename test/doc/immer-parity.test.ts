/**
 * The document layer's own structural sharing (`src/doc/patch.ts`) against immer, which it replaced: every write
 * gives the patches and inverse patches immer's `produceWithPatches` gave for the same recipe, and the same data;
 * `replay` agrees with immer's `applyPatches`. immer is a devDependency, kept for this comparison.
 */
import fc from 'fast-check';
import { Immer, enablePatches } from 'immer';
import type { Patch } from 'immer';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../src/env';
import { DocError, addRow, loadDoc, moveRow, removeRow, replay, rowsOf, setRowValues, setValues } from '../../src/doc';
import type { Doc, DocData } from '../../src/doc';
import { corpusDoctype, opts } from './helpers';

enablePatches();
const immer = new Immer({ autoFreeze: true });
type Draft = Record<string, unknown>;

const TABLES = ['items', 'taxes'] as const;
type Table = (typeof TABLES)[number];

function start(): Doc {
  return loadDoc(
    corpusDoctype('Sales Invoice'),
    {
      name: 'SINV-9', customer: 'ACME', remarks: 'x', conversion_rate: 1,
      items: [
        { name: 'a', item_code: 'A', qty: 1, rate: 10 },
        { name: 'b', item_code: 'B', qty: 2, rate: 20 },
        { name: 'c', item_code: 'C', qty: 3, rate: 30 },
      ],
    },
    { getDoctype: corpusDoctype },
  );
}

const value = fc.oneof(fc.constantFrom<unknown>(null, '', 0, 1, 'ACME', { lat: 1 }, [1, 2]), fc.integer({ min: -2, max: 2 }));
type Op =
  | { kind: 'set'; values: Record<string, unknown> }
  | { kind: 'setRow'; table: Table; pick: number; values: Record<string, unknown> }
  | { kind: 'add'; table: Table; pick: number }
  | { kind: 'remove'; table: Table; pick: number }
  | { kind: 'move'; table: Table; pick: number; to: number };
const table = fc.constantFrom(...TABLES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), values: fc.dictionary(fc.constantFrom('customer', 'remarks', 'conversion_rate', 'po_no'), value, { minKeys: 1, maxKeys: 3 }) }),
  fc.record({ kind: fc.constant('setRow' as const), table, pick: fc.nat(), values: fc.dictionary(fc.constantFrom('rate', 'description'), value, { minKeys: 1, maxKeys: 2 }) }),
  fc.record({ kind: fc.constant('add' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), table, pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), table, pick: fc.nat(), to: fc.nat() }),
);

/** The write through the document layer, and the recipe the immer-based layer ran for it. */
function step(doc: Doc, o: Op, ids: ReturnType<typeof sequentialIds>): { next: Doc; recipe: (d: Draft) => void } | undefined {
  const renumber = (rows: Draft[], from: number, to: number) => {
    for (let i = from; i <= to; i++) if (rows[i]!.idx !== i + 1) rows[i]!.idx = i + 1;
  };
  if (o.kind === 'set') {
    const next = setValues(doc, o.values);
    const written = Object.keys(o.values).filter((k) => next.data[k] !== doc.data[k]);
    return { next, recipe: (d) => { for (const k of written) d[k] = next.data[k]; } };
  }
  if (o.kind === 'add') {
    const next = addRow(doc, o.table, {}, opts({ ids }));
    const row = rowsOf(next.data, o.table).at(-1);
    return { next, recipe: (d) => { if (Array.isArray(d[o.table])) (d[o.table] as unknown[]).push(row); else d[o.table] = [row]; } };
  }
  const rows = rowsOf(doc.data, o.table);
  if (!rows.length) return undefined;
  const index = o.pick % rows.length;
  const name = String(rows[index]!.name);
  if (o.kind === 'setRow') {
    const next = setRowValues(doc, o.table, name, o.values);
    const row = rowsOf(next.data, o.table)[index]!;
    const written = Object.keys(o.values).filter((k) => row[k] !== rows[index]![k]);
    return { next, recipe: (d) => { for (const k of written) (d[o.table] as Draft[])[index]![k] = row[k]; } };
  }
  if (o.kind === 'remove') {
    return {
      next: removeRow(doc, o.table, name),
      recipe: (d) => { const list = d[o.table] as Draft[]; list.splice(index, 1); renumber(list, index, rows.length - 2); },
    };
  }
  const to = o.to % rows.length;
  return {
    next: moveRow(doc, o.table, name, to),
    recipe: (d) => {
      const list = d[o.table] as Draft[];
      const [moved] = list.splice(index, 1);
      list.splice(to, 0, moved!);
      renumber(list, Math.min(index, to), Math.max(index, to));
    },
  };
}

describe('patches are immer\'s', () => {
  it('each write gives the patches, inverse patches and data immer gave for the same recipe', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 15 }), (ops) => {
        const ids = sequentialIds();
        let doc = start();
        for (const o of ops) {
          const s = step(doc, o, ids);
          if (!s) continue;
          const { next } = s;
          const [data, patches, inverse] = immer.produceWithPatches(doc.data as Draft, s.recipe);
          expect(next.data).toEqual(data);
          expect(next.patches.slice(doc.patches.length)).toEqual(patches);
          // Inverse patches are kept newest first.
          expect(next.inversePatches.slice(0, next.inversePatches.length - doc.inversePatches.length)).toEqual(inverse);
          expect(Object.isFrozen(next.data) && next.patches.every((p) => Object.isFrozen(p))).toBe(true);
          doc = next;
        }
        expect(replay(doc.original, doc.patches)).toEqual(immer.applyPatches(doc.original as Draft, doc.patches as Patch[]));
        expect(replay(doc.data, doc.inversePatches)).toEqual(immer.applyPatches(doc.data as Draft, doc.inversePatches as Patch[]));
      }),
      { numRuns: 300 },
    );
  });

  it('replay copies on write, appends with "-", and refuses patches it cannot apply', () => {
    const doc = start();
    const rows = rowsOf(doc.data, 'items');
    const next = replay(doc.data, [{ op: 'add', path: ['items', '-'], value: { name: 'z' } }, { op: 'remove', path: ['remarks'] }]);
    expect(rowsOf(next, 'items').map((r) => r.name)).toEqual(['a', 'b', 'c', 'z']);
    expect(next).not.toHaveProperty('remarks');
    expect(rowsOf(next, 'items')[0]).toBe(rows[0]);
    expect(doc.data.remarks).toBe('x');
    expect(Object.isFrozen(rowsOf(next, 'items')[3])).toBe(true);
    for (const bad of [
      { op: 'replace', path: [], value: 1 },
      { op: 'replace', path: ['nothing', 'x'], value: 1 },
      { op: 'replace', path: ['__proto__', 'polluted'], value: 1 },
      { op: 'replace', path: ['items', 0, 'constructor'], value: 1 },
      { op: 'move', path: ['remarks'] },
    ]) {
      let error: unknown;
      try {
        replay(doc.data, [bad as never]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DocError);
      expect((error as DocError).code).toBe('DOC_INVALID_PATCH');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a value written is frozen with the document, and the caller\'s next write does not change earlier states', () => {
    const doc = start();
    const geo = { type: 'FeatureCollection', features: [{ a: 1 }] };
    const next = setValues(doc, { remarks: geo as unknown });
    expect(Object.isFrozen(geo.features[0])).toBe(true);
    expect((next.data as DocData).remarks).toBe(geo);
    expect(doc.data.remarks).toBe('x');
  });
});
