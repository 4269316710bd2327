/**
 * Virtual DocFields (`is_virtual: 1`): never stored (the SQL adapters make no column for them, `columns.ts`),
 * computed whenever a document is read out, as Frappe's `BaseDocument.get_valid_dict` does
 * (frappe/model/base_document.py): the controller's property of that name when it has one (here a function in
 * the engine option `virtualFields`), else the field's `options` evaluated as a Python expression with `doc` in
 * scope (`frappe.safe_eval`, here the metered evaluator of `pyexpr/`), else null. A Check becomes 1 / 0 and an
 * Int an integer, as there.
 *
 * Expressions are compiled by `createEngine` (a syntax error is bad configuration, `ENGINE_CONFIG`); an
 * expression that fails on a document fails the read with `VIRTUAL_FIELD` and Python's exception, as Frappe's
 * read of that document raises.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { DocData } from '../doc/types';
import { checkedTree } from '../pyexpr/check';
import { PyExprError } from '../pyexpr/errors';
import type { CompiledPyExpression, DbCall, PyDataSource } from '../pyexpr/index';
import type { Registry } from '../schema/registry';
import type { DocField, DocType } from '../schema/types';
import type { StorageSession } from '../storage/types';
import { RunFailure } from './codes';
import { hookDb } from './lifecycle-db';
import { cint, flt } from '../values/number';

/** A controller property: the value of a virtual field for a document (Frappe's `@property` on the controller). */
export type VirtualFieldGetter = (doc: Readonly<DocData>) => unknown;

/** Engine option `virtualFields`: per DocType, per virtual fieldname, its getter. */
export type VirtualFieldGetters = Readonly<Record<string, Readonly<Record<string, VirtualFieldGetter>>>>;

interface VirtualField {
  readonly df: DocField;
  readonly getter: VirtualFieldGetter | undefined;
  /** The Python expression (checked at createEngine; compiled on the first read that computes it). */
  readonly source: string | undefined;
}

/** The Python evaluator loads on the first read that computes an expression (docs/DECISIONS.md). */
const pyexpr = () => import('../pyexpr/compile');

/** What evaluation needs from the run. */
export interface VirtualFieldContext {
  readonly user: string;
  readonly now: Date;
  readonly timeZone: string;
  /** Where `frappe.db.get_value` in an expression reads from (unchecked, as Frappe's). */
  readonly session: StorageSession;
  /** `frappe.db.get_list` (Frappe's `frappe.get_list`): permission-checked for the reading user. */
  readonly getList: (call: Extract<DbCall, { kind: 'get_list' }>) => Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
}

/** The virtual fields of DocTypes, compiled once per DocType object. */
export interface VirtualFieldSet {
  /** True when `doctype` or one of its child DocTypes has a virtual field. */
  has(doctype: DocType): boolean;
  /**
   * The documents with their virtual fields (and their rows') computed.
   * @throws {RunFailure} `VIRTUAL_FIELD` when an expression or getter fails on a document
   */
  apply(doctype: DocType, docs: readonly DocData[], ctx: VirtualFieldContext): Promise<DocData[]>;
}

function compileField(doctype: DocType, df: DocField, getter: VirtualFieldGetter | undefined): VirtualField {
  if (getter || !df.options.trim()) return { df, getter, source: undefined };
  try {
    checkedTree(df.options);
    return { df, getter, source: df.options };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new CoworkerError('ENGINE_CONFIG', `${doctype.name}.${df.fieldname}: the options of a virtual field must be a Python expression (or give virtualFields.${JSON.stringify(doctype.name)}.${df.fieldname}): ${why}`, { cause: e });
  }
}

/**
 * `frappe.db` of an expression, as `get_safe_globals` gives it: `get_value` reads storage unchecked
 * (`frappe.db.get_value`), `get_list` is `frappe.get_list`, checked for the reading user.
 */
function dataSource(ctx: VirtualFieldContext): PyDataSource {
  const db = hookDb(ctx.session);
  return {
    async get_value(call) {
      return ((await db.get_value(call.doctype, call.filters as never, [...call.fields])) as Record<string, unknown> | null) ?? null;
    },
    get_list: (call) => ctx.getList(call),
  };
}

const FLOAT_LIKE = new Set(['Float', 'Currency', 'Percent']);
const DATE_LIKE = new Set(['Date', 'Datetime', 'Time']);

/**
 * Frappe's coercion of a virtual value by fieldtype (`get_valid_dict`): Check `1 if cint(v) else 0`, Int
 * `cint`, Float / Currency / Percent `flt` (so an unset one reads 0), a JSON object as compact JSON, an empty
 * date or unique value null.
 */
function coerce(df: DocField, value: unknown): unknown {
  if (value === undefined) value = null;
  if (df.fieldtype === 'Check') return cint(value) ? 1 : 0;
  if (df.fieldtype === 'Int') return typeof value === 'number' && Number.isInteger(value) ? value : cint(value);
  if (FLOAT_LIKE.has(df.fieldtype)) return flt(value);
  if (df.fieldtype === 'JSON' && typeof value === 'object' && value !== null && !Array.isArray(value)) return JSON.stringify(value);
  if ((DATE_LIKE.has(df.fieldtype) && value === '') || (df.unique === 1 && typeof value === 'string' && value.trim() === '')) return null;
  return value;
}

/**
 * Compile the virtual fields of every DocType of `registry` and check the getters given.
 * @param registry - the engine's DocTypes
 * @param getters - engine option `virtualFields`
 * @returns the set
 * @throws {CoworkerError} `ENGINE_CONFIG` for an expression that does not compile, or a getter for a DocType or
 *   field that is not a virtual field of the registry
 */
export function compileVirtualFields(registry: Registry, getters: VirtualFieldGetters = {}): VirtualFieldSet {
  for (const [dtName, fields] of Object.entries(getters)) {
    const dt = registry.tryGet(dtName);
    if (!dt) throw new CoworkerError('ENGINE_CONFIG', `virtualFields: "${dtName}" is not a DocType of this engine`);
    for (const [fieldname, fn] of Object.entries(fields)) {
      const df = dt.fields.find((f) => f.fieldname === fieldname);
      if (!df || df.is_virtual !== 1) throw new CoworkerError('ENGINE_CONFIG', `virtualFields: ${dtName}.${fieldname} is not a virtual field (is_virtual: 1)`);
      if (typeof fn !== 'function') throw new CoworkerError('ENGINE_CONFIG', `virtualFields: ${dtName}.${fieldname} must be a function (doc) => value`);
    }
  }
  const plans = new WeakMap<DocType, readonly VirtualField[]>();
  const planOf = (dt: DocType): readonly VirtualField[] => {
    let plan = plans.get(dt);
    if (!plan) {
      plan = dt.fields.filter((df) => df.is_virtual === 1 && df.fieldclass === 'value').map((df) => compileField(dt, df, getters[dt.name]?.[df.fieldname]));
      plans.set(dt, plan);
    }
    return plan;
  };
  /** Per DocType, once: its Table fields whose child DocType has virtual fields, and whether any applies. */
  const shapes = new WeakMap<DocType, { readonly tables: readonly { readonly fieldname: string; readonly child: DocType }[]; readonly has: boolean }>();
  const shapeOf = (dt: DocType) => {
    let shape = shapes.get(dt);
    if (!shape) {
      const tables = dt.fields
        .filter((df) => df.fieldclass === 'table')
        .map((df) => ({ fieldname: df.fieldname, child: registry.tryGet(df.options) }))
        .filter((t): t is { fieldname: string; child: DocType } => t.child !== undefined && planOf(t.child).length > 0);
      shapes.set(dt, (shape = { tables, has: planOf(dt).length > 0 || tables.length > 0 }));
    }
    return shape;
  };
  // Bad expressions fail here, at createEngine.
  for (const dt of registry.list()) planOf(dt);

  const expressions = new Map<string, CompiledPyExpression>();
  const compiled = async (source: string): Promise<CompiledPyExpression> => {
    let e = expressions.get(source);
    if (!e) expressions.set(source, (e = (await pyexpr()).compilePython(source)));
    return e;
  };
  const compute = async (dt: DocType, doc: DocData, ctx: VirtualFieldContext, db: PyDataSource): Promise<DocData> => {
    const plan = planOf(dt);
    if (!plan.length) return doc;
    const out: Record<string, unknown> = { ...doc };
    for (const vf of plan) {
      // Neither a getter nor an expression: the value the document holds (what the caller gave in this write;
      // nothing when read from storage, which never keeps it), as Frappe's get_valid_dict reads `__dict__`.
      let value: unknown = doc[vf.df.fieldname] ?? null;
      try {
        if (vf.getter) value = await vf.getter(Object.freeze({ ...doc }));
        else if (vf.source !== undefined) value = await (await compiled(vf.source)).evaluateAsync({ doc, user: ctx.user, now: ctx.now, timeZone: ctx.timeZone, db });
      } catch (e) {
        const exc = e instanceof PyExprError ? e.pyType : e instanceof RunFailure ? e.exc : e instanceof Error ? e.name : 'Exception';
        const why = e instanceof Error ? e.message : String(e);
        throw new RunFailure('VIRTUAL_FIELD', `${dt.name} ${String(doc.name)}: virtual field ${vf.df.fieldname}: ${why}`, [], { cause: e, exc });
      }
      out[vf.df.fieldname] = coerce(vf.df, value);
    }
    return out;
  };

  return {
    has: (dt) => shapeOf(dt).has,
    async apply(dt, docs, ctx) {
      const db = dataSource(ctx);
      const { tables } = shapeOf(dt);
      const out: DocData[] = [];
      for (const doc of docs) {
        let next = await compute(dt, doc, ctx, db);
        for (const { fieldname, child } of tables) {
          const rows = next[fieldname];
          if (!Array.isArray(rows)) continue;
          const computed: DocData[] = [];
          for (const row of rows as DocData[]) computed.push(await compute(child, row, ctx, db));
          next = { ...next, [fieldname]: computed };
        }
        out.push(next);
      }
      return out;
    },
  };
}

const virtualNamesOf = new WeakMap<DocType, readonly string[]>();
const virtualNames = (dt: DocType): readonly string[] => {
  let names = virtualNamesOf.get(dt);
  if (!names) virtualNamesOf.set(dt, (names = dt.fields.filter((df) => df.is_virtual === 1 && df.fieldclass === 'value').map((df) => df.fieldname)));
  return names;
};

function keepOne(dt: DocType, given: DocData, written: DocData): DocData {
  let out: Record<string, unknown> | undefined;
  for (const f of virtualNames(dt)) {
    if (given[f] === undefined || given[f] === null) continue;
    (out ??= { ...written })[f] = given[f];
  }
  return out ?? written;
}

/**
 * The written document with the virtual values the write gave it (storage never keeps them). Frappe's document
 * object still holds them after `insert` / `save`, so its `as_dict()` (and the after-write hooks) show a value
 * the caller gave to a virtual field that has neither a property nor an expression; a later read does not.
 * @param doctype - the DocType written
 * @param children - its child DocTypes by Table fieldname (rows are matched to the written rows by name)
 * @param given - the document as it went to storage
 * @param written - what storage returned
 * @returns `written`, or a copy with the virtual values
 */
export function keepVirtualValues(doctype: DocType, children: Readonly<Record<string, DocType>>, given: DocData, written: DocData): DocData {
  let out = keepOne(doctype, given, written);
  for (const [fieldname, child] of Object.entries(children)) {
    const rows = written[fieldname];
    const givenRows = given[fieldname];
    if (!virtualNames(child).length || !Array.isArray(rows) || !Array.isArray(givenRows)) continue;
    const byName = new Map((givenRows as DocData[]).map((r) => [r.name, r]));
    out = { ...out, [fieldname]: (rows as DocData[]).map((r) => { const g = byName.get(r.name); return g ? keepOne(child, g, r) : r; }) };
  }
  return out;
}
