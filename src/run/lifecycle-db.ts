/**
 * `ctx.db` of a controller hook: Frappe's `frappe.db.get_value` / `exists` / `count` / `get_list` and
 * `frappe.get_doc`, reading inside the run's transaction (so a hook sees what earlier hooks and child runs of
 * the same run wrote, and nothing another run has not committed).
 *
 * Reads are not permission-checked: controller code is trusted server code, as in Frappe, where
 * `frappe.db.*` ignores permissions. Filters take Frappe's dict form (`{ field: value }`,
 * `{ field: [op, value] }`) or list form (`[[field, op, value], ...]`, a leading DocType ignored), or the
 * storage layer's `Where` object when given as `{ where }`.
 *
 * @module
 */
import { RunFailure } from './codes';
import type { DocData } from '../doc/types';
import type { FieldFilter, OrderBy, Query, Scalar, StorageSession, Where } from '../storage/types';
import type { DocType } from '../schema/types';
import { castSingleValue, isSingle } from './singles';

/** Frappe's filter forms: `{ field: value | [op, value] }` or `[[field, op, value], ...]`. */
export type HookFilters =
  | Readonly<Record<string, unknown>>
  | readonly (readonly unknown[])[]
  | { readonly where: Where };

/** Arguments of `ctx.db.get_list` (Frappe's `frappe.get_list` names). */
export interface HookListArgs {
  readonly filters?: HookFilters;
  /** Fieldnames to return (Table fieldnames load rows). @default every column */
  readonly fields?: readonly string[];
  /** Frappe's `order_by` string, e.g. `'posting_date desc, name asc'`. @default 'name asc' */
  readonly order_by?: string;
  /** At most this many rows. `limit_page_length` and `page_length` are accepted too. @default all */
  readonly limit?: number;
  readonly limit_page_length?: number;
  /** Skip this many rows first (`start` is accepted too). @default 0 */
  readonly limit_start?: number;
  /** Return only this field's values. @default undefined */
  readonly pluck?: string;
}

/** Read access inside the run's transaction (`ctx.db`). */
export interface HookDb {
  /**
   * The stored document with its rows, or `null` (Frappe's `frappe.get_doc` raises instead). A Single needs no
   * name and is never `null`: before its first save it is its defaults, as `frappe.get_doc('Stock Settings')`.
   */
  get(doctype: string, name?: string): Promise<DocData | null>;
  /**
   * `frappe.db.get_value`: one field (a value), several (an object), of the document named or the first
   * matching the filters; `null` when there is none.
   */
  get_value(doctype: string, nameOrFilters: string | HookFilters, field?: string): Promise<unknown>;
  get_value(doctype: string, nameOrFilters: string | HookFilters, fields: readonly string[]): Promise<Record<string, unknown> | null>;
  /** `frappe.db.exists`: the name of the document named or first matching, or `null`. */
  exists(doctype: string, nameOrFilters: string | HookFilters): Promise<string | null>;
  /** `frappe.db.count`. */
  count(doctype: string, filters?: HookFilters): Promise<number>;
  /** `frappe.get_list` (without permission checks, like `frappe.get_all`). */
  get_list(doctype: string, args?: HookListArgs): Promise<readonly DocData[] | readonly unknown[]>;
  /**
   * `frappe.db.get_single_value`: one field of a Single as stored, cast as Frappe casts it (a missing number is
   * 0, missing text '', a missing Date `0001-01-01`; DocType defaults do not apply, as in Frappe).
   * @throws RunFailure `INVALID_RUN` when the DocType is not a Single or has no such field
   */
  get_single_value(doctype: string, field: string): Promise<unknown>;
  /**
   * `frappe.db.get_singles_dict`: the stored values of a Single (no child tables), `{}` when never saved;
   * `cast: true` casts every DocField's value as `get_single_value` does.
   */
  get_singles_dict(doctype: string, options?: { readonly cast?: boolean }): Promise<Record<string, unknown>>;
}

const OPERATORS: Readonly<Record<string, (v: unknown) => FieldFilter | Where>> = {
  '=': (v) => ({ equals: scalar(v) }),
  '!=': (v) => ({ not: scalar(v) }),
  '<': (v) => ({ lt: scalar(v) as Scalar }),
  '>': (v) => ({ gt: scalar(v) as Scalar }),
  '<=': (v) => ({ lte: scalar(v) as Scalar }),
  '>=': (v) => ({ gte: scalar(v) as Scalar }),
  in: (v) => ({ in: list(v) }),
  'not in': (v) => ({ notIn: list(v) }),
  like: (v) => like(String(v)),
  'not like': (v) => ({ not: like(String(v)) }),
  between: (v) => {
    const [from, to] = list(v);
    return { gte: from as Scalar, lte: to as Scalar };
  },
};

function scalar(v: unknown): Scalar | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new RunFailure('INVALID_RUN', `ctx.db: a filter value must be a string or a number, not ${JSON.stringify(v)}`);
}

function list(v: unknown): (Scalar | null)[] {
  if (Array.isArray(v)) return v.map(scalar);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [scalar(v)];
}

/** SQL `like` with `%` at either end (the only forms Frappe's clients use); `_` is literal here. */
function like(pattern: string): FieldFilter {
  const starts = pattern.startsWith('%');
  const ends = pattern.endsWith('%') && pattern.length > 1;
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (core.includes('%')) throw new RunFailure('INVALID_RUN', `ctx.db: "like" supports % only at the ends, not ${JSON.stringify(pattern)}`);
  if (starts && ends) return { contains: core };
  if (starts) return { endsWith: core };
  if (ends) return { startsWith: core };
  return { equals: core };
}

function condition(field: string, op: string, value: unknown): Where {
  const lower = op.toLowerCase();
  if (lower === 'is') {
    const set = String(value).toLowerCase() === 'set';
    return set ? { AND: [{ [field]: { not: null } }, { [field]: { not: '' } }] } : { OR: [{ [field]: null }, { [field]: '' }] };
  }
  const make = OPERATORS[lower];
  if (!make) throw new RunFailure('INVALID_RUN', `ctx.db: unknown filter operator ${JSON.stringify(op)} on ${field}`);
  return { [field]: make(value) } as Where;
}

/**
 * Frappe filters as a storage `Where`.
 * @param filters - dict form, list form, or `{ where }`
 * @returns the filter
 * @throws {RunFailure} `INVALID_RUN` for an unknown operator or a value that is not a scalar
 */
export function toWhere(filters: HookFilters | undefined): Where {
  if (filters === undefined || filters === null) return {};
  if (Array.isArray(filters)) {
    return {
      AND: filters.map((f) => {
        const parts = f.length === 4 ? f.slice(1) : f;
        if (parts.length !== 3) throw new RunFailure('INVALID_RUN', `ctx.db: a list filter is [field, op, value], not ${JSON.stringify(f)}`);
        return condition(String(parts[0]), String(parts[1]), parts[2]);
      }),
    };
  }
  const dict = filters as Readonly<Record<string, unknown>>;
  if ('where' in dict && Object.keys(dict).length === 1 && typeof dict.where === 'object') return dict.where as Where;
  return {
    AND: Object.entries(dict).map(([field, v]) =>
      Array.isArray(v) ? condition(field, String(v[0]), v[1]) : ({ [field]: { equals: scalar(v) } } as Where)),
  };
}

/** Frappe's `order_by` string as storage `orderBy`. */
function toOrderBy(orderBy: string | undefined): OrderBy | undefined {
  if (!orderBy) return undefined;
  return orderBy.split(',').map((part) => {
    const [field, dir] = part.trim().split(/\s+/);
    const clean = (field ?? '').replace(/^`?tab[^`]*`?\./, '').replace(/`/g, '');
    return { [clean]: (dir ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc' } as const;
  });
}

/** What `ctx.db` knows of the engine besides storage (Singles need it). */
export interface HookDbMeta {
  /** The engine's DocTypes: `get_single_value` checks and casts fields by them. */
  readonly getDoctype?: (name: string) => DocType | undefined;
  /** A never-saved Single's defaults, which `get` returns for it. */
  readonly singleDefaults?: (doctype: DocType) => DocData;
}

/**
 * The `ctx.db` of one hook call.
 * @param session - the run's transaction
 * @param meta - the engine's DocTypes and Single defaults (see {@link HookDbMeta}) @default {} (no Single support)
 * @returns the reader
 */
export function hookDb(session: StorageSession, meta: HookDbMeta = {}): HookDb {
  const { getDoctype, singleDefaults } = meta;
  const single = (doctype: string): DocType => {
    const dt = getDoctype?.(doctype);
    if (getDoctype && (!dt || !isSingle(dt))) throw new RunFailure('INVALID_RUN', `ctx.db: ${doctype} is not a Single DocType`);
    return dt ?? ({ name: doctype, fields: [] } as unknown as DocType);
  };
  const first = async (doctype: string, nameOrFilters: string | HookFilters, fields?: readonly string[]): Promise<DocData | null> => {
    if (typeof nameOrFilters === 'string') return (await session.get(doctype, nameOrFilters, fields ? { fields } : {})) ?? null;
    const rows = await session.query(doctype, { where: toWhere(nameOrFilters), take: 1, ...(fields ? { fields } : {}) });
    return rows[0] ?? null;
  };
  const db = {
    async get(doctype: string, name?: string) {
      const dt = getDoctype?.(doctype);
      if (dt && isSingle(dt)) return (await session.get(doctype, doctype)) ?? singleDefaults?.(dt) ?? null;
      return (await session.get(doctype, name ?? '')) ?? null;
    },
    async get_value(doctype: string, nameOrFilters: string | HookFilters, field: string | readonly string[] = 'name') {
      const fields = typeof field === 'string' ? [field] : field;
      const found = await first(doctype, nameOrFilters, fields);
      if (!found) return null;
      if (typeof field === 'string') return found[field] ?? null;
      return Object.fromEntries(fields.map((f) => [f, found[f] ?? null]));
    },
    async exists(doctype: string, nameOrFilters: string | HookFilters) {
      if (typeof nameOrFilters === 'string') return (await session.exists(doctype, nameOrFilters)) ? nameOrFilters : null;
      const found = await first(doctype, nameOrFilters, ['name']);
      return found ? String(found.name) : null;
    },
    count(doctype: string, filters?: HookFilters) {
      return session.count(doctype, toWhere(filters));
    },
    async get_list(doctype: string, args: HookListArgs = {}) {
      const loose = args as HookListArgs & { page_length?: number; start?: number };
      const take = args.limit ?? args.limit_page_length ?? loose.page_length;
      const skip = args.limit_start ?? loose.start;
      const fields = args.pluck ? [args.pluck] : args.fields && !args.fields.includes('*') ? args.fields : undefined;
      const orderBy = toOrderBy(args.order_by);
      const query: Query = {
        where: toWhere(args.filters),
        ...(fields ? { fields } : {}), ...(orderBy ? { orderBy } : {}),
        ...(take ? { take } : {}), ...(skip ? { skip } : {}),
      };
      const rows = await session.query(doctype, query);
      return args.pluck ? rows.map((r) => r[args.pluck!] ?? null) : rows;
    },
    async get_single_value(doctype: string, field: string) {
      const dt = single(doctype);
      const df = dt.fields.find((f) => f.fieldname === field);
      // Frappe looks the field up in the meta: standard fields (`modified`...) are refused too.
      if (getDoctype && !df) throw new RunFailure('INVALID_RUN', `Field ${field} does not exist on ${doctype}`);
      const stored = await session.get(doctype, doctype, { fields: [field] });
      const value = stored?.[field] ?? null;
      return df ? castSingleValue(df.fieldtype, value) : value;
    },
    async get_singles_dict(doctype: string, options: { readonly cast?: boolean } = {}) {
      const dt = single(doctype);
      const stored = await session.get(doctype, doctype);
      if (!stored) return {};
      const out: Record<string, unknown> = {};
      const tables = new Set(dt.fields.filter((f) => f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect').map((f) => f.fieldname));
      for (const [key, value] of Object.entries(stored)) if (key !== 'doctype' && !tables.has(key) && !Array.isArray(value)) out[key] = value;
      if (options.cast) for (const df of dt.fields) if (Object.hasOwn(out, df.fieldname)) out[df.fieldname] = castSingleValue(df.fieldtype, out[df.fieldname]);
      return out;
    },
  };
  return db as HookDb;
}
