/**
 * The Single DocTypes scenario every adapter runs (memory here, PGlite / SQLite / a PostgreSQL server in
 * test/storage-pg/singles.test.ts): System Settings, Stock Settings, HR Settings and SMS Settings (a Single
 * with a Table field) of ../shared/frappe-apps, loaded as a bench.
 */
import { expect } from 'vitest';
import { fixedClock, sequentialIds } from '../../src/env';
import { createEngine } from '../../src/run/engine';
import type { Controllers } from '../../src/run/lifecycle';
import type { StorageAdapter } from '../../src/storage/types';
import { benchDoctypeJsons } from '../helpers/bench';

/** The DocTypes the scenario loads, and the child tables of their Table fields. */
export const SINGLES = ['System Settings', 'Stock Settings', 'HR Settings', 'SMS Settings', 'SMS Parameter'];

/** Those DocTypes' JSON from the bench. */
export function singleDoctypes(): unknown[] {
  const wanted = new Set(SINGLES);
  return benchDoctypeJsons().filter((j) => wanted.has((j as { name: string }).name));
}

export const ADMIN = { name: 'Administrator', roles: [] as string[] };
const STOCK_USER = { name: 'seller@x.com', roles: ['Sales User'] };

/** What controllers saw through ctx.db, for the scenario's checks. */
interface Seen { backup?: unknown; dateBefore?: unknown; dict?: Record<string, unknown>; hr?: Record<string, unknown> | null }

function engineOver(adapter: StorageAdapter, seen: Seen) {
  const controllers: Controllers = {
    'Stock Settings': {
      async validate(ctx) {
        seen.backup = await ctx.db.get_single_value('System Settings', 'backup_limit');
        seen.dateBefore = await ctx.db.get_single_value('System Settings', 'country');
        seen.dict = await ctx.db.get_singles_dict('System Settings');
        // frappe.get_doc('HR Settings'): never saved, so its defaults.
        seen.hr = await ctx.db.get('HR Settings');
      },
    },
  };
  return createEngine({
    doctypes: singleDoctypes(), adapter, user: ADMIN, controllers, unknownLinks: 'skip',
    clock: fixedClock('2024-03-05T10:00:00Z'), ids: sequentialIds(),
  });
}

const SYSTEM = { language: 'en', time_zone: 'Asia/Kolkata', date_format: 'dd-mm-yyyy', number_format: '#,###.##' };

/**
 * The scenario: never-saved reads, first update, second update, create over a saved Single, stale save,
 * child rows, select, ctx.db reads, permissions, delete.
 * @param adapter - a fresh adapter
 */
export async function singlesScenario(adapter: StorageAdapter): Promise<void> {
  const seen: Seen = {};
  const engine = engineOver(adapter, seen);
  const take = async (doctype: string, user = ADMIN) => {
    const r = await engine.run({ operation: 'takeone', source_doctype: doctype, user });
    expect(r.error, doctype).toBeNull();
    return r.output!.data[0] as Record<string, unknown>;
  };

  // Never saved: the defaults, named after the DocType, typed; no table, no row.
  const fresh = await take('System Settings');
  expect(fresh).toMatchObject({ name: 'System Settings', backup_limit: 3, enable_scheduler: 0, allow_error_traceback: 1, session_expiry: '170:00', time_format: 'HH:mm:ss', docstatus: 0, modified: null, creation: null });
  expect(await adapter.exists('System Settings', 'System Settings')).toBe(false);

  // First update creates it (no name needed; no DUPLICATE_ENTRY). Tier 1 fills the empty creation (Frappe's
  // save leaves it empty: docs/DECISIONS.md).
  const first = await engine.run({ operation: 'update', target_doctype: 'System Settings', input: { data: { ...SYSTEM, backup_limit: 5, enable_scheduler: 1 } } });
  expect(first.error).toBeNull();
  expect(first.output!.meta).toMatchObject({ name: 'System Settings', action: 'update' });
  const saved = await take('System Settings');
  expect(saved).toMatchObject({ name: 'System Settings', backup_limit: 5, enable_scheduler: 1, allow_error_traceback: 1, language: 'en' });
  expect(typeof saved.modified).toBe('string');
  expect(saved.creation).toBe(saved.modified);
  expect(await adapter.exists('System Settings', 'System Settings')).toBe(true);
  expect(await adapter.count('System Settings')).toBe(1);

  // Second update: values kept, the one changed; a stale `modified` fails as for any document.
  const second = await engine.run({ operation: 'update', target_doctype: 'System Settings', input: { data: { backup_limit: 7, modified: saved.modified } } });
  expect(second.error).toBeNull();
  expect(await take('System Settings')).toMatchObject({ backup_limit: 7, enable_scheduler: 1, language: 'en' });
  const stale = await engine.run({ operation: 'update', target_doctype: 'System Settings', input: { data: { backup_limit: 8, modified: saved.modified } } });
  expect(stale.error?.code).toBe('TIMESTAMP_MISMATCH');

  // A name given addresses the Single too (frappe.get_doc('System Settings', 'x') loads it).
  const named = await engine.run({ operation: 'takeone', source_doctype: 'System Settings', input: { data: { name: 'anything' } } });
  expect((named.output!.data[0] as Record<string, unknown>).backup_limit).toBe(7);

  // create is Frappe's insert: a new document of defaults + the values, saved into the one document.
  const created = await engine.run({ operation: 'create', target_doctype: 'System Settings', input: { data: { ...SYSTEM, language: 'de' } } });
  expect(created.error).toBeNull();
  const replaced = await take('System Settings');
  expect(replaced).toMatchObject({ name: 'System Settings', language: 'de', backup_limit: 3, enable_scheduler: 0 });
  expect(typeof replaced.creation).toBe('string');
  expect(await adapter.count('System Settings')).toBe(1);

  // Validation applies: a Single's mandatory fields.
  const bad = await engine.run({ operation: 'update', target_doctype: 'System Settings', input: { data: { language: null } } });
  expect(bad.error?.code).toBe('VALIDATION');

  // select: one row, filtered like any query; a never-saved Single answers with its defaults.
  const rows = await engine.run({ operation: 'select', source_doctype: 'System Settings', query: { where: { language: 'de' }, fields: ['name', 'backup_limit'] } });
  expect(rows.output!.data).toEqual([{ name: 'System Settings', backup_limit: 3 }]);
  const none = await engine.run({ operation: 'select', source_doctype: 'System Settings', query: { where: { language: 'fr' } } });
  expect(none.output!.data).toEqual([]);
  const hr = await engine.run({ operation: 'select', source_doctype: 'HR Settings', query: { fields: ['name', 'frequency', 'send_birthday_reminders', 'remind_before'] } });
  expect(hr.output!.data).toEqual([{ name: 'HR Settings', frequency: 'Weekly', send_birthday_reminders: 1, remind_before: '00:15:00' }]);

  // Child tables of a Single: stored in the child table, replaced on save, removed with it.
  const sms = await engine.run({ operation: 'update', target_doctype: 'SMS Settings', input: { data: {
    sms_gateway_url: 'https://sms.example/send', message_parameter: 'text', receiver_parameter: 'to',
    parameters: [{ parameter: 'user', value: 'acme' }, { parameter: 'key', value: 'k-1', header: 1 }],
  } } });
  expect(sms.error).toBeNull();
  const smsDoc = await take('SMS Settings');
  expect(smsDoc.parameters).toMatchObject([{ parameter: 'user', value: 'acme', header: 0, idx: 1, parent: 'SMS Settings', parenttype: 'SMS Settings' }, { parameter: 'key', header: 1, idx: 2 }]);
  const keep = (smsDoc.parameters as Record<string, unknown>[])[1]!;
  await engine.run({ operation: 'update', target_doctype: 'SMS Settings', input: { data: { parameters: [keep] } } });
  expect((await take('SMS Settings')).parameters).toMatchObject([{ name: keep.name, parameter: 'key', idx: 1 }]);
  expect(await adapter.count('SMS Parameter')).toBe(1);

  // Controllers read Singles through ctx.db: stored values cast as Frappe's get_single_value (no defaults).
  const stock = await engine.run({ operation: 'update', target_doctype: 'Stock Settings', input: { data: { allow_negative_stock: 1 } } });
  expect(stock.error).toBeNull();
  expect(seen.backup).toBe(3);
  expect(seen.dateBefore).toBe('');
  expect(seen.dict).toMatchObject({ name: 'System Settings', language: 'de', backup_limit: 3 });
  expect(seen.hr).toMatchObject({ name: 'HR Settings', frequency: 'Weekly', send_birthday_reminders: 1, modified: null });
  expect((await take('Stock Settings')).allow_negative_stock).toBe(1);

  // Permissions as for any DocType: a Sales User reads Stock Settings but may not write it.
  expect((await take('Stock Settings', STOCK_USER)).allow_negative_stock).toBe(1);
  const denied = await engine.run({ operation: 'update', target_doctype: 'Stock Settings', user: STOCK_USER, input: { data: { allow_negative_stock: 0 } } });
  expect(denied.error?.code).toBe('PERMISSION_DENIED');
  const noRead = await engine.run({ operation: 'takeone', source_doctype: 'System Settings', user: STOCK_USER });
  expect(noRead.error?.code).toBe('PERMISSION_DENIED');

  // delete_doc of a Single removes its values and rows: it reads as its defaults again.
  const del = await engine.run({ operation: 'delete', target_doctype: 'SMS Settings' });
  expect(del.error).toBeNull();
  expect(await adapter.exists('SMS Settings', 'SMS Settings')).toBe(false);
  expect(await adapter.count('SMS Parameter')).toBe(0);
  expect(await take('SMS Settings')).toMatchObject({ name: 'SMS Settings', sms_gateway_url: null, parameters: [], use_post: 0 });
  // Deleting a never-saved Single is no error (Frappe's delete_doc succeeds: a Single always exists).
  expect((await engine.run({ operation: 'delete', target_doctype: 'SMS Settings' })).error).toBeNull();
}
