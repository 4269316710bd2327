/** Engines over the fixture app (Sales Order, Sales Order Item, Customer, Item) and the corpus ToDo. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock, sequentialIds } from '../../src/env';
import { createEngine } from '../../src/run/engine';
import type { EngineOptions } from '../../src/run/types';
import { memoryAdapter } from '../../src/storage/memory';
import { fixtureJson } from '../helpers/fixtures';
import { corpusRoot } from '../helpers/paths';

export const ADMIN = { name: 'Administrator', roles: [] as string[] };
export const MANAGER = { name: 'manager@x.com', roles: ['Sales Manager'] };
export const SALES_USER = { name: 'user@x.com', roles: ['Sales User'] };
export const SYSTEM_MANAGER = { name: 'a@x.com', roles: ['System Manager'] };

/** The corpus ToDo (frappe-current), as shipped. */
export function todoJson(): unknown {
  return JSON.parse(readFileSync(path.join(corpusRoot, 'frappe-current', 'ToDo.json'), 'utf8'));
}

/** Every fixture DocType plus ToDo. */
export function appDoctypes(): unknown[] {
  return [...Object.values(fixtureJson()), todoJson()];
}

/** An engine over the fixture app with a fixed clock and sequential ids. */
export function appEngine(options: EngineOptions = {}) {
  return createEngine({
    doctypes: appDoctypes(), adapter: memoryAdapter(), user: MANAGER,
    clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(), ...options,
  });
}

/** Master data every order needs: a customer and two items (created as Administrator). */
export async function seed(engine: ReturnType<typeof appEngine>): Promise<void> {
  const runs = await Promise.all([
    engine.run({ operation: 'create', target_doctype: 'Customer', input: { data: { customer_name: 'Acme' } }, user: ADMIN }),
    engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'ITEM-1', item_name: 'Widget', standard_rate: 9.5 } }, user: ADMIN }),
    engine.run({ operation: 'create', target_doctype: 'Item', input: { data: { item_code: 'ITEM-2', item_name: 'Gadget', standard_rate: 20 } }, user: ADMIN }),
  ]);
  for (const r of runs) if (!r.success) throw new Error(`seed failed: ${JSON.stringify(r.error)}`);
}

/** Values of a valid draft Sales Order. */
export const ORDER = { customer: 'Acme', delivery_date: '2024-03-20', items: [{ item_code: 'ITEM-1', qty: 2 }] };
