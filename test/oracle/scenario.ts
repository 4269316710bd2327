/**
 * Scenario files: data (JSON under `scenarios/`), not code. A scenario names the DocTypes it uses (written
 * for the test, or real Frappe DocTypes used as they are) and a list of steps; `expandSteps` turns the
 * shorthand (`each`) into plain steps with stable ids, which `known-differences.md` refers to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedRoot } from '../helpers/paths';

export type StepOp = 'insert' | 'save' | 'submit' | 'cancel' | 'amend' | 'delete' | 'new_doc' | 'get_list' | 'get';

/** One step, as written in a scenario file. */
export interface StepSpec {
  /** Stable id within the scenario (default: the step's position). */
  readonly id?: string;
  /** Area of Frappe's document semantics the step measures, numbered as the issue that asked for the suite did, e.g. `§2 values` (default: the scenario's). */
  readonly area?: string;
  readonly op: StepOp;
  /** Key of `users`: run the step as that user (the oracle's `run_as`); default Administrator. */
  readonly as?: string;
  /** insert: the document (with `doctype`). */
  readonly doc?: Record<string, unknown>;
  /** save / submit / cancel / amend / delete / get: the document a previous step kept. */
  readonly ref?: string;
  /** insert / amend: keep the resulting document's name under this key. */
  readonly keep?: string;
  /** new_doc / get_list: the DocType. */
  readonly doctype?: string;
  /** save / submit / amend: values changed before the write (a list replaces a child table). */
  readonly changes?: Record<string, unknown>;
  /** save / submit / cancel: send a `modified` older than the stored one (another user saved in between). */
  readonly stale?: boolean;
  /** get_list: `frappe.get_list` arguments (filters as `[field, op, value]` triples or a dict). */
  readonly fields?: readonly string[];
  readonly filters?: unknown;
  readonly order_by?: string;
  /** One step per value: every string `"$v"` in `doc` / `changes` / `filters` is replaced by the value
   * (and `$v` inside a longer string by its text). */
  readonly each?: readonly unknown[];
}

export interface ScenarioUser {
  readonly name: string;
  readonly roles: readonly string[];
}

/** A scenario file. */
export interface Scenario {
  readonly name: string;
  readonly area: string;
  readonly description: string;
  /** DocType JSON written for this scenario (names start with `OT `: the oracle resets them). */
  readonly doctypes?: readonly Record<string, unknown>[];
  /** Real Frappe DocTypes used as they are: paths of their JSON under `frappe-apps/frappe/frappe/`. Never reset. */
  readonly standard?: readonly string[];
  readonly users?: Readonly<Record<string, ScenarioUser>>;
  /** Series counters to reset besides those of the DocTypes' own options (e.g. `""`, the `format:` counter). */
  readonly series?: readonly string[];
  /** Engine options for this scenario (e.g. `enforceMandatoryDependsOn: false`, the server's behaviour). */
  readonly engine?: { readonly enforceMandatoryDependsOn?: boolean };
  readonly steps: readonly StepSpec[];
}

/** A step after expansion: `key` is `<scenario>#<id>`, the handle known-differences.md uses. */
export interface Step extends Omit<StepSpec, 'each'> {
  readonly key: string;
  readonly area: string;
}

export const SCENARIO_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'scenarios');
export const FRAPPE_APP_DIR = path.join(sharedRoot, 'frappe-apps', 'frappe', 'frappe');

/** Every scenario file, by name order. */
export function loadScenarios(dir = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Omit<Scenario, 'name'>), name: f.replace(/\.json$/, '') }));
}

/** The JSON of a real Frappe DocType (`standard` entry). */
export function standardDoctype(rel: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FRAPPE_APP_DIR, rel), 'utf8')) as Record<string, unknown>;
}

/** Replace every string exactly `"$v"` by `value` (deeply). */
function substitute(x: unknown, value: unknown): unknown {
  if (x === '$v') return value;
  if (typeof x === 'string' && x.includes('$v')) return x.replaceAll('$v', String(value));
  if (Array.isArray(x)) return x.map((e) => substitute(e, value));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, substitute(v, value)]));
  return x;
}

/** The plain steps of a scenario, `each` expanded; ids are unique or this throws (a scenario bug). */
export function expandSteps(s: Scenario): Step[] {
  const out: Step[] = [];
  s.steps.forEach((spec, i) => {
    const { each, ...rest } = spec;
    const id = spec.id ?? String(i + 1);
    const area = spec.area ?? s.area;
    if (!each) {
      out.push({ ...rest, key: `${s.name}#${id}`, area });
      return;
    }
    each.forEach((value, k) => {
      out.push({
        ...rest, key: `${s.name}#${id}[${k + 1}]`, area,
        ...(rest.doc ? { doc: substitute(rest.doc, value) as Record<string, unknown> } : {}),
        ...(rest.changes ? { changes: substitute(rest.changes, value) as Record<string, unknown> } : {}),
        ...(rest.filters !== undefined ? { filters: substitute(rest.filters, value) } : {}),
      });
    });
  });
  const seen = new Set<string>();
  for (const st of out) {
    if (seen.has(st.key)) throw new Error(`scenario ${s.name}: two steps have the key ${st.key}`);
    seen.add(st.key);
  }
  return out;
}
