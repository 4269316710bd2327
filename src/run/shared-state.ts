/**
 * Engine state kept in storage (engine option `state: 'storage'`), so that several engine processes over one
 * database behave as one engine: draft edits (`__Edit`) and service-adapter rate-limit windows
 * (`__Rate Limit`). Naming-series counters are in storage on every adapter already (`tabSeries`, drawn in
 * the write's transaction).
 *
 * Both tables are versioned by their `modified` stamp: a change is the adapter's `update(doc, expectedModified)`
 * (Frappe's `check_if_latest`, a row lock on the SQL adapters), and every new stamp is later than the one it
 * replaces, so a writer that read an older version always fails instead of overwriting (no lost update).
 * Like `__Auth`, the DocTypes are prepared in storage but never registered: no run can name them.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { parseDoctype } from '../schema/parse';
import type { DocType } from '../schema/types';
import { StorageError } from '../storage/errors';
import { createMutex, type Mutex } from '../storage/mutex';
import type { StorageSession } from '../storage/types';
import type { RateLimiter } from './adapters';
import { RunFailure } from './codes';
import { EditConflict, type Edit, type EditStore } from './edit-state';
import type { Stamper } from './timestamps';
import type { EditState, RunError, ServiceAdapter } from './types';

/** The storage table of draft edits. */
export const EDIT_DOCTYPE = '__Edit';
/** The storage table of rate-limit windows (one row per service adapter). */
export const RATE_LIMIT_DOCTYPE = '__Rate Limit';

/** Where the engine keeps edits and rate-limit windows. */
export type EngineStateMode = 'process' | 'storage';

/** How often a step is retried when another run changed its edit (or a rate window) meanwhile. */
export const STATE_RETRIES = 25;

const field = (fieldname: string, fieldtype: string) => ({ fieldname, fieldtype, label: fieldname });

let stateDoctypes: readonly DocType[] | undefined;

/** `__Edit` and `__Rate Limit`, for the storage adapter only (never registered, never a run's DocType). */
export function stateDoctypeDefs(): readonly DocType[] {
  return (stateDoctypes ??= Object.freeze([
    parseDoctype({
      name: EDIT_DOCTYPE, module: 'Core', autoname: 'Prompt', permissions: [],
      fields: [
        field('ref_doctype', 'Data'), field('docname', 'Data'), field('state', 'Data'), field('agent', 'Data'),
        field('base_modified', 'Data'), field('delta', 'JSON'), field('base', 'JSON'), field('error', 'JSON'),
      ],
    }),
    parseDoctype({
      name: RATE_LIMIT_DOCTYPE, module: 'Core', autoname: 'Prompt', permissions: [],
      fields: [field('window_start', 'Long Int'), field('calls', 'Long Int')],
    }),
  ]));
}

/** A version check that failed: someone else wrote first (or removed the row). */
function lostRace(e: unknown): boolean {
  return e instanceof StorageError && (e.code === 'TIMESTAMP_MISMATCH' || e.code === 'NOT_FOUND' || e.code === 'DUPLICATE_ENTRY');
}

function encodeEdit(edit: Edit, modified: string, creation: string): DocData {
  return {
    name: edit.id, owner: edit.owner, creation, modified, modified_by: edit.owner, docstatus: 0, idx: 0,
    ref_doctype: edit.doctype, docname: edit.docname, state: edit.state, agent: edit.agent,
    base_modified: edit.baseModified, delta: edit.delta, base: edit.base, error: edit.error,
  };
}

function decodeEdit(row: DocData): Edit {
  return Object.freeze({
    id: String(row.name), doctype: String(row.ref_doctype), docname: (row.docname as string | null) ?? null,
    state: row.state as EditState, delta: Object.freeze({ ...((row.delta as Record<string, unknown> | null) ?? {}) }),
    baseModified: (row.base_modified as string | null) ?? null, error: (row.error as RunError | null) ?? null,
    owner: String(row.owner), agent: (row.agent as string | null) ?? null, base: (row.base as DocData | null) ?? {},
  });
}

/**
 * Edits in storage through the adapter (one row of `__Edit` per edit), shared by every engine on the database.
 * @param stamper - the engine's stamps (versions are `modified` stamps, strictly increasing per row)
 * @param max - edits kept; opening one beyond it removes the least recently changed @default 1000
 * @returns the store (`peek` answers from what this process last read or wrote)
 */
export function storageEditStore(stamper: Stamper, max = 1000): EditStore {
  /** The stored `modified` (version) and `creation` of each edit object this store read or wrote. */
  const versions = new WeakMap<Edit, { modified: string; creation: string }>();
  const seen = new Map<string, Edit>();
  const remember = (edit: Edit, modified: string, creation: string): Edit => {
    versions.set(edit, { modified, creation });
    seen.delete(edit.id);
    while (seen.size >= max) seen.delete(seen.keys().next().value!);
    seen.set(edit.id, edit);
    return edit;
  };

  async function trim(session: StorageSession): Promise<void> {
    const extra = (await session.count(EDIT_DOCTYPE)) - max;
    if (extra <= 0) return;
    const oldest = await session.query(EDIT_DOCTYPE, { fields: ['name'], orderBy: [{ modified: 'asc' }], take: extra });
    for (const row of oldest) {
      // Another engine may be trimming the same rows.
      await session.delete(EDIT_DOCTYPE, String(row.name)).catch((e: unknown) => {
        if (!lostRace(e)) throw e;
      });
    }
  }

  return {
    async get(id, session) {
      const row = await session.get(EDIT_DOCTYPE, id);
      if (!row) {
        seen.delete(id);
        return undefined;
      }
      return remember(decodeEdit(row), String(row.modified), String(row.creation));
    },

    async open(edit, session) {
      const stamp = stamper.next();
      await session.insert(EDIT_DOCTYPE, encodeEdit(edit, stamp, stamp));
      remember(edit, stamp, stamp);
      await trim(session);
      return edit;
    },

    async replace(previous, next, session, force) {
      let version = versions.get(previous);
      for (let attempt = 0; ; attempt++) {
        if (!version) throw new EditConflict(previous.id);
        const modified = stamper.next(version.modified);
        try {
          await session.update(EDIT_DOCTYPE, encodeEdit(next, modified, version.creation), version.modified);
          return remember(next, modified, version.creation);
        } catch (e) {
          if (!lostRace(e)) throw e;
          // Only the run that holds a `saving` edit ends it: it writes over whatever version is stored now.
          if (!force || attempt >= STATE_RETRIES) throw new EditConflict(previous.id);
          const row = await session.get(EDIT_DOCTYPE, previous.id);
          // Dropped meanwhile (`maxEdits`): nothing is left to end, and the save must not be redone.
          if (!row) return next;
          version = { modified: String(row.modified), creation: String(row.creation) };
        }
      }
    },

    peek: (id) => seen.get(id),
  };
}

/**
 * Rate-limit windows in storage (one `__Rate Limit` row per service adapter): the same fixed windows as the
 * in-process limiter, counted across every engine on the database. Each call is a versioned update of the
 * adapter's row; this process sends one at a time per adapter, so mostly other processes race it. A call inside
 * a transaction (a hook's child run) skips that queue: a queued call may be waiting for the transaction to end.
 * @param stamper - the engine's stamps
 * @param base - the engine's storage (calls through it are queued)
 * @returns the limiter
 */
export function storageRateLimiter(stamper: Stamper, base: StorageSession): RateLimiter {
  const queues = new Map<string, Mutex>();
  return {
    take(adapter: ServiceAdapter, nowMs: number, session?: StorageSession) {
      const limit = adapter.rate_limit;
      if (!limit || !session) return;
      if (session !== base) return count(session, adapter, limit, nowMs, stamper);
      let queue = queues.get(adapter.name);
      if (!queue) queues.set(adapter.name, (queue = createMutex()));
      return queue.run(() => count(session, adapter, limit, nowMs, stamper));
    },
  };
}

async function count(
  session: StorageSession, adapter: ServiceAdapter, limit: NonNullable<ServiceAdapter['rate_limit']>, nowMs: number, stamper: Stamper,
): Promise<void> {
  const refuse = () => new RunFailure('RATE_LIMITED', `Adapter "${adapter.name}" allows ${limit.limit} calls per ${limit.interval_ms} ms; try again later`);
  for (let attempt = 0; attempt <= STATE_RETRIES; attempt++) {
    const row = await session.get(RATE_LIMIT_DOCTYPE, adapter.name);
    const fresh = !row || nowMs - Number(row.window_start) >= limit.interval_ms;
    const calls = fresh ? 0 : Number(row.calls);
    if (calls >= limit.limit) throw refuse();
    const stamp = stamper.next(row?.modified);
    const doc: DocData = {
      name: adapter.name, owner: 'Administrator', creation: row?.creation ?? stamp, modified: stamp, modified_by: 'Administrator',
      docstatus: 0, idx: 0, window_start: fresh ? nowMs : Number(row.window_start), calls: calls + 1,
    };
    try {
      if (row) await session.update(RATE_LIMIT_DOCTYPE, doc, String(row.modified));
      else await session.insert(RATE_LIMIT_DOCTYPE, doc);
      return;
    } catch (e) {
      if (!lostRace(e)) throw e; // another engine counted first: read the window again
    }
  }
  throw new RunFailure('RATE_LIMITED', `Adapter "${adapter.name}": too many engines counting calls at once; try again later`);
}

/**
 * Run `step` again (up to {@link STATE_RETRIES} times) while another run changes its edit meanwhile.
 * @returns what `step` resolved to
 * @throws {RunFailure} `EDIT_CONFLICT` when every attempt lost the race
 */
export async function retryEditConflicts<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof EditConflict)) throw e;
      if (attempt >= STATE_RETRIES) throw new RunFailure('EDIT_CONFLICT', `${e.message}; ${STATE_RETRIES + 1} attempts lost the race, try again`);
    }
  }
}
