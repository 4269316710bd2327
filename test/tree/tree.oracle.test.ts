/**
 * Tree DocTypes against real Frappe v15 (the oracle; FRAPPE_ORACLE=1): the same script of inserts, moves,
 * refused saves, deletes and tree filters gives the same lft / rgt / old_parent after every step, the same
 * exceptions and messages, and the same filter results.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index';
import { sharedRoot } from '../helpers/paths';
import { NODE, NODE_JSON, runStep, SCRIPT, table, type Outcome, type Step } from './script';

interface OracleResponse { ok: boolean; doc?: Record<string, unknown>; docs?: Record<string, unknown>[]; exc_type: string | null; message: string | null }
interface Oracle {
  must(req: Record<string, unknown>): Promise<OracleResponse>;
  request(req: Record<string, unknown>): Promise<OracleResponse>;
  close(): Promise<void> | void;
}

const ORACLE_DIR = path.join(sharedRoot, 'frappe-oracle');
const P = 'parent_ot_tree_node';

async function frappeStep(oracle: Oracle, step: Step): Promise<Outcome> {
  const r = step.op === 'insert'
    ? await oracle.request({ op: 'insert', doc: { doctype: NODE, node_name: step.name, [P]: step.parent ?? null, is_group: step.group ? 1 : 0 } })
    : step.op === 'save'
      ? await oracle.request({ op: 'save', doctype: NODE, name: step.name, changes: step.changes })
      : step.op === 'delete'
        ? await oracle.request({ op: 'delete', doctype: NODE, name: step.name })
        : await oracle.request({ op: 'get_list', doctype: NODE, filters: step.filters, fields: ['name'], limit_page_length: 0 });
  const names = step.op === 'list' && r.docs ? r.docs.map((d) => String(d.name)).sort() : undefined;
  return { ok: r.ok, exc: r.exc_type, message: r.message, ...(names ? { names } : {}) };
}

async function frappeTable(oracle: Oracle): Promise<Record<string, [number, number, string]>> {
  const r = await oracle.must({ op: 'get_all', doctype: NODE, fields: ['name', 'lft', 'rgt', 'old_parent'], limit_page_length: 0 });
  return Object.fromEntries(r.docs!.map((d) => [String(d.name), [Number(d.lft), Number(d.rgt), String(d.old_parent ?? '')]]));
}

describe.runIf(process.env['FRAPPE_ORACLE'] === '1')('tree DocTypes as Frappe v15 keeps them (oracle)', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    const mod = (await import(pathToFileURL(path.join(ORACLE_DIR, 'client.mjs')).href)) as { FrappeOracle: { start(o: { dir: string }): Promise<Oracle> } };
    oracle = await mod.FrappeOracle.start({ dir: ORACLE_DIR });
    await oracle.must({ op: 'reset', doctypes: [NODE_JSON] });
  }, 180_000);
  afterAll(async () => oracle?.close());

  it('the same nested set, outcomes and filter results after every step', async () => {
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [NODE_JSON] });
    const refused: string[] = [];
    for (const [i, step] of SCRIPT.entries()) {
      const theirs = await frappeStep(oracle, step);
      if (!theirs.ok) refused.push(theirs.exc!);
      const ours = await runStep(engine, step);
      expect(ours, `step ${i}: ${JSON.stringify(step)}`).toEqual(theirs);
      expect(await table(engine), `table after step ${i}: ${JSON.stringify(step)}`).toEqual(await frappeTable(oracle));
    }
    // The script's refusals happened (on both sides, by the comparison above).
    expect(refused).toEqual(['ValidationError', 'NestedSetRecursionError', 'NestedSetRecursionError', 'NestedSetChildExistsError']);
  }, 120_000);

  it.each([17, 3, 99])('a random script (seed %i) of inserts, moves, group changes and deletes: the same after every step', async (start) => {
    await oracle.must({ op: 'reset', doctypes: [NODE_JSON] });
    const engine = createEngine({ user: { name: 'Administrator', roles: [] }, doctypes: [NODE_JSON] });
    await engine.ready();
    let seed = start;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const outcomes = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const names = Object.keys(await table(engine));
      const pick = () => names[Math.floor(next() * names.length)];
      const roll = next();
      const step: Step = names.length < 3 || roll < 0.45
        ? { op: 'insert', name: `N${i}`, ...(names.length && next() < 0.9 ? { parent: pick()! } : {}), group: next() < 0.6 }
        : roll < 0.75 ? { op: 'save', name: pick()!, changes: { [P]: next() < 0.1 ? null : pick()! } }
          : roll < 0.85 ? { op: 'save', name: pick()!, changes: { is_group: next() < 0.5 ? 1 : 0 } }
            : { op: 'delete', name: pick()! };
      const theirs = await frappeStep(oracle, step);
      const ours = await runStep(engine, step);
      outcomes.add(theirs.ok ? `${step.op} ok` : `${step.op} ${theirs.exc}`);
      expect(ours, `step ${i}: ${JSON.stringify(step)}`).toEqual(theirs);
      expect(await table(engine), `table after step ${i}: ${JSON.stringify(step)}`).toEqual(await frappeTable(oracle));
    }
    // The script reached the interesting outcomes (else the comparison above proves little).
    for (const o of ['insert ok', 'save ok', 'delete ok', 'delete NestedSetChildExistsError']) expect(outcomes).toContain(o);
    expect([...outcomes].filter((o) => o.startsWith('save ') && o !== 'save ok').length).toBeGreaterThan(0);
  }, 300_000);
});
