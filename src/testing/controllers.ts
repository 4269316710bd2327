/**
 * Testing controllers: every hook of a test app's controllers is wrapped to record the call (which hook, which
 * controller, the document it saw, what it changed, what it threw), and `app.run()` returns the run record
 * with that trace and the documents its child runs created. The matchers print the trace on failure, so a
 * failing test says which hook threw, in which order the hooks ran and what each one saw.
 *
 * @module
 */
import { cloneData, deepFreeze } from '../run/data';
import { changedPaths, type Controller, type Controllers, type HookContext, type HookName } from '../run/lifecycle';
import type { Engine } from '../run/engine';
import type { DocData, RunRecord } from '../run/types';
import { show } from './format';

/** One hook call as a test sees it. */
export interface HookCall {
  readonly doctype: string;
  readonly hook: HookName;
  /** The controller's `name`, or `<DocType>#<n>` / `*#<n>`. */
  readonly controller: string;
  readonly action: HookContext['action'];
  /** The run the hook ran in (a child run's hooks carry the child's name). */
  readonly run: string;
  /** `ctx.doc` as the hook received it (frozen copy). */
  readonly doc: DocData;
  /** What it changed on `ctx.doc`: `total`, `items[2].amount`, `items: 1 -> 2 rows`. */
  readonly changed: readonly string[];
  /** What it threw, if it threw. */
  readonly threw?: { readonly name: string; readonly message: string };
}

/** A run record from `app.run()`: the record plus what the hooks did and what child runs created. */
export type TestRun = RunRecord & {
  /** Every hook call of the run and of its child runs, in call order. */
  readonly hooks: readonly HookCall[];
  /** Documents created by the run's child runs (any depth), in order: `{ doctype, doc }`. */
  readonly created: readonly { readonly doctype: string; readonly doc: DocData }[];
};

const TEST_RUN = Symbol.for('coworker.testRun');

/**
 * Whether a value came from `app.run()`.
 * @param value - anything
 * @returns true for a {@link TestRun}
 */
export function isTestRun(value: unknown): value is TestRun {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TEST_RUN] === true;
}

/** Where wrapped hooks report their calls (when a hook starts; `changed` / `threw` are filled when it ends). */
export type HookSink = (call: HookCall) => void;

const sourceOf = (doctype: string, controller: Controller, i: number) => (typeof controller.name === 'string' && controller.name ? controller.name : `${doctype}#${i + 1}`);

/**
 * The same controllers, each hook wrapped to report its calls to `sink` (the hooks' behaviour is unchanged).
 * @param controllers - the app's controllers
 * @param sink - receives every call
 * @returns wrapped controllers (same names, same order)
 */
export function traceControllers(controllers: Controllers, sink: HookSink): Controllers {
  const out: Record<string, Controller[]> = {};
  for (const [doctype, value] of Object.entries(controllers)) {
    const list = Array.isArray(value) ? (value as readonly Controller[]) : [value as Controller];
    out[doctype] = list.map((controller, i) => {
      if (typeof controller !== 'object' || controller === null) return controller; // createEngine reports it
      const source = sourceOf(doctype, controller, i);
      const wrapped: Record<string, unknown> = { name: source };
      for (const [key, fn] of Object.entries(controller)) {
        if (key === 'name') continue;
        if (typeof fn !== 'function') {
          wrapped[key] = fn;
          continue;
        }
        wrapped[key] = async (ctx: HookContext) => {
          const doc = deepFreeze(cloneData(ctx.doc)) as DocData;
          // Reported when the hook starts, so a hook's child runs' hooks come after it; completed when it ends.
          const call: { -readonly [K in keyof HookCall]: HookCall[K] } = {
            doctype: ctx.doctype, hook: ctx.hook, controller: source, action: ctx.action, run: ctx.run_name, doc, changed: [],
          };
          sink(call);
          try {
            await (fn as (c: HookContext) => unknown)(ctx);
          } catch (e) {
            // ctx.throw and failed child runs carry Frappe's exception name; anything else its own.
            const name = e instanceof Error ? (typeof (e as { exc?: unknown }).exc === 'string' ? (e as unknown as { exc: string }).exc : e.name) : typeof e;
            call.threw = Object.freeze({ name, message: e instanceof Error ? e.message : String(e) });
            Object.freeze(call);
            throw e;
          }
          call.changed = Object.freeze(changedPaths(doc, ctx.doc));
          Object.freeze(call);
        };
      }
      return wrapped as Controller;
    });
  }
  return out;
}

/** The run's descendants' created documents (successful create / amend / upsert child runs). */
function createdBy(engine: Engine, run: RunRecord): TestRun['created'] {
  const out: { doctype: string; doc: DocData }[] = [];
  const walk = (r: RunRecord) => {
    for (const id of r.child_run_ids) {
      const child = engine.runs.get(id);
      if (!child) continue;
      const doc = child.output?.data[0];
      if (child.success && doc && child.target_doctype && ['create', 'amend', 'upsert'].includes(child.operation) && !child.options.draft) {
        out.push({ doctype: child.target_doctype, doc });
      }
      walk(child);
    }
  };
  walk(run);
  return out;
}

/**
 * A run record with its hook calls and created documents attached (frozen).
 * @param engine - the engine that ran it
 * @param record - the settled record
 * @param calls - the hook calls made during the run
 * @returns the {@link TestRun}
 */
export function testRun(engine: Engine, record: RunRecord, calls: readonly HookCall[]): TestRun {
  const run = { ...record, hooks: Object.freeze([...calls]), created: Object.freeze(createdBy(engine, record)) };
  Object.defineProperty(run, TEST_RUN, { value: true });
  return Object.freeze(run);
}

const NOISE = new Set(['owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'parent', 'parentfield', 'parenttype', 'doctype']);

/** A document in one line: its set values (system fields left out), tables as row counts plus their first row. */
export function briefDoc(doc: DocData, limit = 400): string {
  const parts: string[] = [];
  const tables: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (NOISE.has(k) || v === null || v === undefined || v === '' || k.startsWith('__')) continue;
    if (Array.isArray(v)) {
      const first = v[0] && typeof v[0] === 'object' ? ` first ${briefDoc(v[0] as DocData, 120)}` : '';
      tables.push(`${k}: [${v.length} row${v.length === 1 ? '' : 's'}${first}]`);
    } else parts.push(`${k}: ${show(v)}`);
  }
  parts.push(...tables);
  const text = `{ ${parts.join(', ')} }`;
  return text.length > limit ? `${text.slice(0, limit - 2)}… }` : text;
}

/**
 * The trace of a run, one line per hook call: order, DocType, hook, controller, what it changed or threw, and
 * the document it saw.
 * @param calls - the hook calls
 * @returns lines for a failure message
 */
export function hookLines(calls: readonly HookCall[]): string[] {
  if (!calls.length) return ['  hooks: none ran'];
  return [
    '  hooks, in call order:',
    ...calls.flatMap((c, i) => [
      `    ${i + 1}. ${c.doctype}.${c.hook} [${c.controller}] (${c.action}, run ${c.run})${c.threw ? ` THREW ${c.threw.name}: ${c.threw.message}` : c.changed.length ? ` changed ${c.changed.join(', ')}` : ''}`,
      `       saw ${briefDoc(c.doc)}`,
    ]),
  ];
}
