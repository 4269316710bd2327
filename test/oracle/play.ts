/**
 * Plays a scenario on the real Frappe site (through the oracle) and through `engine.run`, step by step, and
 * turns both answers into {@link Outcome}s for `compareOutcomes`.
 *
 * The two sides start equal: the oracle resets the scenario's own DocTypes (documents and series counters);
 * the engine starts on an empty memory adapter with the same DocType JSON. Real Frappe DocTypes are never
 * reset (the site is shared): their steps carry a per-run token (`$run`) and read back only their own rows.
 */
import { createEngine, type Engine } from '../../src/run/engine';
import type { RunRecord } from '../../src/run/types';
import type { DocType } from '../../src/schema/types';
import { memoryAdapter } from '../../src/storage/memory';
import type { Where } from '../../src/storage/types';
import { compareOutcomes, normaliseClock, normaliseValue, type Check, type Outcome } from './compare';
import { ORACLE_TIME_ZONE, type Oracle, type OracleResponse } from './harness';
import { expandSteps, standardDoctype, type Scenario, type Step } from './scenario';

/** DocType names the suite owns on the oracle (the oracle refuses to reset standard ones). */
const OWN_PREFIX = 'OT ';
const ADMIN = { name: 'Administrator', roles: [] as string[] };
/** What a stale save sends as `modified`: older than anything stored. */
const STALE = '2000-01-01 00:00:00';
const NO_VALUE = new Set(['Section Break', 'Column Break', 'Tab Break', 'HTML', 'Button', 'Image', 'Fold', 'Heading', 'Table', 'Table MultiSelect', 'Password']);

interface Names {
  oracle: string;
  coworker: string;
}

/** The result of one scenario: every check of every step. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly steps: number;
  readonly checks: Check[];
}

/** Replace `$run` in strings (deeply) and `$ref:<key>` by the side's name of that document. */
function bind(x: unknown, token: string, refs: Map<string, Names>, side: keyof Names): unknown {
  if (typeof x === 'string') {
    const ref = /^\$ref:(.+)$/.exec(x);
    if (ref) return refs.get(ref[1]!)?.[side] ?? `<no ref ${ref[1]}>`;
    return x.replaceAll('$run', token);
  }
  if (Array.isArray(x)) return x.map((e) => bind(e, token, refs, side));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, bind(v, token, refs, side)]));
  return x;
}

/**
 * Fixture normalisation: a right missing from a DocPerm row means 0 in an app's DocType JSON (Frappe's sync
 * of `currency.json` stores `write: 0` for its read-only rows), but the oracle creates test DocTypes through
 * `insert()`, where DocPerm's own defaults (`read`, `write`, `create`, `delete` = 1) fill the gap. The rows
 * are sent with those four rights written out, so both sides read the JSON the way an app sync does.
 */
function explicitRights(dt: Record<string, unknown>): Record<string, unknown> {
  const perms = dt.permissions as Record<string, unknown>[] | undefined;
  if (!perms) return dt;
  return { ...dt, permissions: perms.map((p) => ({ read: 0, write: 0, create: 0, delete: 0, ...p })) };
}

/** Frappe filters (`[[field, op, value]]` or `{field: value | [op, value]}`) as a storage `where`. */
export function toWhere(filters: unknown): Where | undefined {
  if (filters === undefined || filters === null) return undefined;
  const triples: [string, string, unknown][] = Array.isArray(filters)
    ? (filters as unknown[][]).map((f) => (f.length === 4 ? [f[1], f[2], f[3]] : [f[0], f[1], f[2]]) as [string, string, unknown])
    : Object.entries(filters as Record<string, unknown>).map(([k, v]) => (Array.isArray(v) ? [k, String(v[0]), v[1]] : [k, '=', v]));
  const and: Where[] = triples.map(([field, op, value]) => {
    const v = value as string | number;
    switch (op.toLowerCase()) {
      case '=': return { [field]: v };
      case '!=': return { [field]: { not: v } };
      case '>': return { [field]: { gt: v } };
      case '<': return { [field]: { lt: v } };
      case '>=': return { [field]: { gte: v } };
      case '<=': return { [field]: { lte: v } };
      case 'in': return { [field]: { in: value as (string | number)[] } };
      case 'not in': return { [field]: { notIn: value as (string | number)[] } };
      case 'is': return value === 'set' ? { [field]: { not: null } } : { [field]: null };
      case 'like': {
        const s = String(value);
        // Frappe's `like` ignores case on both databases (MariaDB's collation; `ilike` on PostgreSQL).
        const mode = 'insensitive' as const;
        if (s.startsWith('%') && s.endsWith('%')) return { [field]: { contains: s.slice(1, -1), mode } };
        if (s.endsWith('%')) return { [field]: { startsWith: s.slice(0, -1), mode } };
        if (s.startsWith('%')) return { [field]: { endsWith: s.slice(1), mode } };
        return { [field]: { equals: s, mode } };
      }
      default: throw new Error(`toWhere: operator ${op} is not translated`);
    }
  });
  return { AND: and };
}

/** Frappe `order_by` ("a desc, b asc") as a storage orderBy. */
function toOrderBy(order: string | undefined): Record<string, 'asc' | 'desc'>[] | undefined {
  if (!order) return undefined;
  return order.split(',').map((p) => {
    const [f, dir] = p.trim().split(/\s+/);
    return { [f!.replace(/`/g, '').replace(/^tab[^.]+\./, '')]: (dir?.toLowerCase() === 'desc' ? 'desc' : 'asc') as 'asc' | 'desc' };
  });
}

/** The plays of one scenario: an engine, the name map, and the step loop. */
export class ScenarioPlayer {
  readonly engine: Engine;
  private readonly refs = new Map<string, Names>();
  private readonly doctypes: Map<string, DocType>;
  private readonly token = `r${Date.now().toString(36)}`;

  constructor(private readonly oracle: Oracle, private readonly scenario: Scenario) {
    const json = [...(scenario.doctypes ?? []), ...(scenario.standard ?? []).map(standardDoctype)];
    this.engine = createEngine({ doctypes: json, adapter: memoryAdapter(), user: ADMIN, timeZone: ORACLE_TIME_ZONE, ...scenario.engine });
    this.doctypes = new Map(this.engine.registry.list().map((d) => [d.name, d] as const));
  }

  /** Reset the scenario's own DocTypes on the oracle (create or re-create them, wipe documents and series). */
  async setUp(): Promise<void> {
    const own = (this.scenario.doctypes ?? []).filter((d) => String(d.name).startsWith(OWN_PREFIX));
    if (own.length !== (this.scenario.doctypes ?? []).length) throw new Error(`scenario ${this.scenario.name}: DocType names must start with "${OWN_PREFIX}"`);
    // run_as makes the users and their roles; the roles must exist before DocPerm rows name them.
    for (const u of Object.values(this.scenario.users ?? {})) await this.oracle.must({ op: 'run_as', user: u.name, roles: u.roles, request: { op: 'ping' } });
    if (own.length) await this.oracle.must({ op: 'reset', doctypes: own.map(explicitRights), series: 'auto' });
    // Counters `auto` cannot know: a series a step names that is not among the options, `format:`'s shared "".
    if (this.scenario.series?.length) await this.oracle.must({ op: 'reset', doctypes: own.map((d) => d.name), series: this.scenario.series });
  }

  /** Play every step; returns the checks. */
  async play(): Promise<ScenarioResult> {
    const steps = expandSteps(this.scenario);
    const checks: Check[] = [];
    for (const step of steps) {
      const now = new Date();
      const o = await this.onOracle(step);
      const c = await this.onCoworker(step);
      const dt = this.doctypeOf(step);
      const hashNamed = !dt.autoname || dt.autoname.toLowerCase() === 'hash';
      const checked = compareOutcomes(step.key, step.area, this.normalise(o, now), this.normalise(c, now), hashNamed);
      checks.push(...checked);
    }
    return { scenario: this.scenario.name, steps: steps.length, checks };
  }

  private normalise(x: Outcome, now: Date): Outcome {
    if (!x.values) return x;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x.values)) values[k] = normaliseValue(normaliseClock(v, now, ORACLE_TIME_ZONE));
    return { ...x, values };
  }

  private user(step: Step) {
    if (!step.as) return undefined;
    const u = this.scenario.users?.[step.as];
    if (!u) throw new Error(`${step.key}: no user ${step.as}`);
    return u;
  }

  private doctypeOf(step: Step): DocType {
    const name = step.doctype ?? (step.doc?.doctype as string | undefined) ?? (step.ref ? this.refDoctype.get(step.ref) : undefined);
    const dt = name ? this.doctypes.get(name) : undefined;
    if (!dt) throw new Error(`${step.key}: unknown DocType ${String(name)}`);
    return dt;
  }

  private readonly refDoctype = new Map<string, string>();

  private keep(step: Step, names: Partial<Names>): void {
    if (!step.keep) return;
    const prev = this.refs.get(step.keep) ?? { oracle: '', coworker: '' };
    this.refs.set(step.keep, { ...prev, ...names });
    this.refDoctype.set(step.keep, this.doctypeOf(step).name);
  }

  private refName(step: Step, side: keyof Names): string {
    const r = step.ref ? this.refs.get(step.ref) : undefined;
    return r?.[side] || `<no ref ${String(step.ref)}>`;
  }

  // ------------------------------------------------------------------------------------------------------
  // The oracle side

  private async onOracle(step: Step): Promise<Outcome> {
    const dt = this.doctypeOf(step);
    const b = <T>(x: T) => bind(x, this.token, this.refs, 'oracle') as T;
    let req: Record<string, unknown> & { op: string };
    const name = () => this.refName(step, 'oracle');
    switch (step.op) {
      case 'insert': req = { op: 'insert', doc: b(step.doc), reload: true }; break;
      case 'save': case 'submit': case 'cancel':
        req = { op: step.op, doctype: dt.name, name: name(), reload: true, ...(step.changes ? { changes: b(step.changes) } : {}), ...(step.stale ? { modified: STALE } : {}) };
        break;
      case 'amend': req = { op: 'amend', doctype: dt.name, name: name(), reload: true, ...(step.changes ? { changes: b(step.changes) } : {}) }; break;
      case 'delete': req = { op: 'delete', doctype: dt.name, name: name(), flags: { ignore_missing: false } }; break;
      case 'get': req = { op: 'get', doctype: dt.name, name: name() }; break;
      case 'new_doc': req = { op: 'new_doc', doctype: dt.name }; break;
      case 'get_list':
        req = { op: 'get_list', doctype: dt.name, fields: step.fields ?? ['name'], order_by: step.order_by ?? 'name asc', ...(step.filters !== undefined ? { filters: b(step.filters) } : {}) };
        break;
    }
    const user = this.user(step);
    const res: OracleResponse = user ? await this.oracle.request({ op: 'run_as', user: user.name, roles: user.roles, request: req }) : await this.oracle.request(req);
    if (!res.ok) {
      return { ok: false, exc: res.exc_type ? [res.exc_type] : [], messages: [res.message ?? '', ...res.messages].filter(Boolean) };
    }
    if (step.op === 'insert' || step.op === 'amend') this.keep(step, { oracle: String(res.doc?.name) });
    if (step.op === 'delete') return { ok: true, values: { exists: await this.oracleExists(dt.name, name()) } };
    if (step.op === 'get_list') return { ok: true, values: this.listValues(res.docs ?? [], 'oracle') };
    const doc = res.doc ?? {};
    return { ok: true, ...(step.op === 'new_doc' ? {} : { name: String(doc.name) }), values: this.docValues(dt, doc, 'oracle') };
  }

  private async oracleExists(doctype: string, name: string): Promise<boolean> {
    const r = await this.oracle.must<unknown>({ op: 'get_value', doctype, filters: name, fieldname: 'name' });
    return r.value !== null && r.value !== undefined;
  }

  // ------------------------------------------------------------------------------------------------------
  // The coworker side

  private async onCoworker(step: Step): Promise<Outcome> {
    const dt = this.doctypeOf(step);
    const b = <T>(x: T) => bind(x, this.token, this.refs, 'coworker') as T;
    const user = this.user(step);
    const base = { target_doctype: dt.name, ...(user ? { user } : {}) };
    const name = () => this.refName(step, 'coworker');
    const withName = (extra: Record<string, unknown> = {}) => ({ name: name(), ...extra, ...(step.stale ? { modified: STALE } : {}) });
    let run: RunRecord;
    switch (step.op) {
      case 'insert': {
        const { doctype: _d, ...data } = b(step.doc) ?? {};
        run = await this.engine.run({ ...base, operation: 'create', input: { data } });
        break;
      }
      case 'save': run = await this.engine.run({ ...base, operation: 'update', input: { data: withName(b(step.changes)) } }); break;
      case 'submit': run = await this.engine.run({ ...base, operation: 'submit', input: { data: withName(b(step.changes)) } }); break;
      case 'cancel': run = await this.engine.run({ ...base, operation: 'cancel', input: { data: withName() } }); break;
      case 'amend': run = await this.engine.run({ ...base, operation: 'amend', input: { data: { name: name(), ...b(step.changes) } } }); break;
      case 'delete': run = await this.engine.run({ ...base, operation: 'delete', input: { data: { name: name() } } }); break;
      case 'get': run = await this.engine.run({ operation: 'takeone', source_doctype: dt.name, ...(user ? { user } : {}), input: { data: { name: name() } } }); break;
      case 'new_doc': run = await this.engine.run({ ...base, operation: 'create', options: { draft: true }, input: { data: {} } }); break;
      case 'get_list': {
        const where = toWhere(b(step.filters));
        const orderBy = toOrderBy(step.order_by ?? 'name asc');
        run = await this.engine.run({
          operation: 'select', source_doctype: dt.name, ...(user ? { user } : {}),
          query: { ...(where ? { where } : {}), ...(orderBy ? { orderBy } : {}), fields: step.fields ?? ['name'] },
        });
        break;
      }
    }
    if (!run.success) {
      const e = run.error!;
      const blocking = e.issues.filter((i) => i.severity !== 'warning');
      const exc = e.code === 'VALIDATION' && blocking.length ? [...new Set(blocking.map((i) => i.exc))] : [e.exc];
      return { ok: false, exc, messages: [e.message, ...blocking.map((i) => i.message)] };
    }
    const data = run.output?.data ?? [];
    if (step.op === 'insert' || step.op === 'amend') this.keep(step, { coworker: String(run.docname) });
    if (step.op === 'delete') return { ok: true, values: { exists: await this.engine.adapter.exists(dt.name, name()) } };
    if (step.op === 'get_list') return { ok: true, values: this.listValues(data as Record<string, unknown>[], 'coworker') };
    if (step.op === 'new_doc' || step.op === 'get') {
      const doc = (data[0] ?? {}) as Record<string, unknown>;
      return { ok: true, ...(step.op === 'get' ? { name: String(doc.name) } : {}), values: this.docValues(dt, doc, 'coworker') };
    }
    const stored = await this.engine.adapter.get(dt.name, String(run.docname));
    return { ok: true, name: String(run.docname), values: this.docValues(dt, (stored ?? {}) as Record<string, unknown>, 'coworker') };
  }

  // ------------------------------------------------------------------------------------------------------
  // Values

  /** The oracle's name for a coworker name of a kept document (links compare by the document they name). */
  private asOracleName(v: unknown, side: keyof Names): unknown {
    if (side === 'oracle' || typeof v !== 'string') return v;
    for (const n of this.refs.values()) if (n.coworker === v) return n.oracle;
    return v;
  }

  /** Value fields of a document (and its rows, by position), plus docstatus and owner. */
  private docValues(dt: DocType, doc: Record<string, unknown>, side: keyof Names, prefix = 'values.'): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (prefix === 'values.') {
      out['values.docstatus'] = doc.docstatus ?? 0;
      if (doc.owner !== undefined) out['values.owner'] = doc.owner;
    }
    for (const df of dt.fields) {
      if (df.fieldtype === 'Table' || df.fieldtype === 'Table MultiSelect') {
        const child = this.doctypes.get(String(df.options));
        const rows = Array.isArray(doc[df.fieldname]) ? (doc[df.fieldname] as Record<string, unknown>[]) : [];
        out[`${prefix}${df.fieldname}.length`] = rows.length;
        if (child) rows.forEach((r, i) => Object.assign(out, this.docValues(child, r, side, `${prefix}${df.fieldname}.${i + 1}.`)));
        continue;
      }
      if (NO_VALUE.has(df.fieldtype)) continue;
      out[`${prefix}${df.fieldname}`] = this.asOracleName(doc[df.fieldname] ?? null, side);
    }
    return out;
  }

  /** get_list rows as values: `rows.<i>.<field>`, names mapped to the oracle's. */
  private listValues(rows: Record<string, unknown>[], side: keyof Names): Record<string, unknown> {
    const out: Record<string, unknown> = { 'rows.length': rows.length };
    rows.forEach((r, i) => {
      for (const [k, v] of Object.entries(r)) if (k !== 'doctype') out[`rows.${i + 1}.${k}`] = this.asOracleName(v, side);
    });
    return out;
  }
}

/** Play one scenario against the oracle and through the engine. */
export async function playScenario(oracle: Oracle, scenario: Scenario): Promise<ScenarioResult> {
  const player = new ScenarioPlayer(oracle, scenario);
  await player.setUp();
  return player.play();
}
