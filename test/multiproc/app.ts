/**
 * The small app the multi-process tests run in every engine (in this process and in each child process): a
 * DocType named by one naming series, with twenty plain fields (one per concurrent draft step), and a service
 * adapter with a rate limit.
 */
import type { EngineOptions, ServiceAdapter } from '../../src/run/types';

/** Twenty fieldnames, one per concurrent draft step. */
export const FIELDS = Array.from({ length: 20 }, (_, i) => `f${i}`);

/** `MP Note`: named by the series `MPN-.#####`; Note Users create, read and write. */
export const NOTE = {
  name: 'MP Note', module: 'Custom', autoname: 'MPN-.#####',
  permissions: [{ role: 'Note User', read: 1, write: 1, create: 1 }],
  fields: [{ fieldname: 'title', fieldtype: 'Data', label: 'Title' }, ...FIELDS.map((fieldname) => ({ fieldname, fieldtype: 'Data', label: fieldname }))],
};

export const ANN = { name: 'ann@x.com', roles: ['Note User'] };
export const BOB = { name: 'bob@x.com', roles: ['Note User'] };

/** Calls of the `ping` adapter allowed per window (the window is long: no test straddles two). */
export const PING_LIMIT = 30;

/** The rate-limited `ping` service adapter (answers with the process id it ran in). */
export function pingAdapter(limit = PING_LIMIT): ServiceAdapter {
  return {
    name: 'ping', operations: ['ping'], rate_limit: { limit, interval_ms: 3_600_000 },
    handle: async () => ({ data: [{ pid: process.pid }] }),
  };
}

/** Engine options every engine of these tests shares (add `adapter`). */
export function appOptions(): EngineOptions {
  return { doctypes: [NOTE], adapters: [pingAdapter()], operationAdapters: { ping: 'ping' }, state: 'storage' };
}
