/**
 * The read operations: `select` (a query) and `takeone` (one document). Both need `read`; results lose the
 * fields above the user's read levels (`stripUnreadable`, `frappe/permissions.py`, `frappe/model/meta.py`); a user whose read comes only from an
 * `if_owner` row sees only their own documents.
 *
 * @module
 */
import { readableFields, stripUnreadable } from '../permissions/fields';
import { rolePermissions } from '../permissions/role-permissions';
import type { DocType } from '../schema/types';
import { getField } from '../schema/fields';
import { StorageError } from '../storage/errors';
import type { Query, Where } from '../storage/types';
import type { DocData } from '../doc/types';
import { enforce, RunFailure } from './codes';
import { childrenOf, type OperationOutcome, type RunContext } from './core';
import { publicData } from './data';
import { checkDoctype } from './guardian';
import { DOCTYPE_DOCTYPE } from './links';
import type { StorageSession } from '../storage/types';
import { hasListArguments, listQuery, type ChildFilter } from './list-args';
import { restrictWhere } from './restrictions';
import { treeFields, treeNames, type TreeRelation } from './tree';
import { checkDocAccess, listAccess, readableFor } from './shares';
import { isSingle, loadSingle, selectSingle } from './singles';

function source(ctx: RunContext): DocType {
  enforce(checkDoctype(ctx.core.registry, ctx.source));
  return ctx.core.registry.get(ctx.source!);
}

/** A `where` narrowed to the user's own documents when their read right is `if_owner` only. */
function ownedOnly(doctype: DocType, ctx: RunContext, where: Where | undefined): Where | undefined {
  const perms = rolePermissions(doctype, ctx.user);
  if (perms.if_owner.read === undefined) return where;
  return where ? { AND: [where, { owner: ctx.user.name }] } : { owner: ctx.user.name };
}

/** The fieldnames a query filters or sorts on (its `where`, combinators included, and `orderBy`). */
function queriedFields(q: Query): Set<string> {
  const out = new Set<string>();
  const walk = (w: Where | readonly Where[] | undefined): void => {
    if (!w) return;
    if (Array.isArray(w)) {
      for (const x of w) walk(x);
      return;
    }
    for (const [k, v] of Object.entries(w as Record<string, unknown>)) {
      if (k === 'AND' || k === 'OR' || k === 'NOT') walk(v as Where | readonly Where[]);
      else out.add(k);
    }
  };
  walk(q.where);
  const orders = q.orderBy === undefined ? [] : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
  for (const o of orders as readonly Readonly<Record<string, unknown>>[]) for (const k of Object.keys(o)) out.add(k);
  return out;
}

/**
 * A query may only filter or sort on fields the user can read (permlevel): otherwise their values could be found
 * by bisection. Frappe's get_list refuses such fields the same way ("You do not have permission to access field").
 */
function checkQueryReadable(ctx: RunContext, doctype: DocType, q: Query): void {
  const used = queriedFields(q);
  if (used.size === 0) return;
  const readable = new Set(readableFor(ctx, doctype));
  for (const f of used) {
    if (getField(doctype, f) && !readable.has(f)) {
      throw new RunFailure('PERMISSION_DENIED', `You do not have permission to access field: ${doctype.name}.${f}`);
    }
  }
}

/** Where reads of a DocType come from: storage, or the registry for DocType `DocType` (links.ts). */
async function readsFrom(ctx: RunContext, doctype: DocType): Promise<StorageSession> {
  return doctype.name === DOCTYPE_DOCTYPE ? ctx.core.doctypeDocuments.session() : ctx.core.adapter;
}

async function query(ctx: RunContext, doctype: DocType, q: Query): Promise<readonly DocData[]> {
  return asRunFailure((async () => (await readsFrom(ctx, doctype)).query(doctype.name, q))());
}

/** A bad query's storage error as the run's INVALID_RUN. */
async function asRunFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof StorageError && (e.code === 'STORAGE_BAD_QUERY' || e.code === 'STORAGE_UNKNOWN_FIELD')) {
      throw new RunFailure('INVALID_RUN', e.message, [], { cause: e });
    }
    throw e;
  }
}

/** The tree operators' node names: Frappe reads them with `get_all` (no permission check), by `lft`. */
async function treeRelatives(ctx: RunContext, doctype: string, name: string, relation: TreeRelation): Promise<readonly string[]> {
  const dt = ctx.core.registry.tryGet(doctype);
  if (!dt || !treeFields(dt)) throw new RunFailure('INVALID_RUN', `get_list: ${doctype} is not a tree DocType (is_tree with lft and rgt), so "${relation} of" cannot be used on it`);
  return treeNames(ctx.core.adapter, dt.name, name, relation);
}

function shown(ctx: RunContext, doctype: DocType, rows: readonly DocData[]): DocData[] {
  const children = childrenOf(ctx.core.registry, doctype);
  return rows.map((r) => stripUnreadable(doctype, ctx.user, publicData(r), children));
}

/**
 * Whole documents with their virtual fields computed (before the read levels strip what the user may not see:
 * Frappe computes only `permitted_fieldnames`). A projection (`fields`) reads stored columns only, as get_list.
 */
export async function withVirtualFields(ctx: RunContext, doctype: DocType, rows: readonly DocData[], projected = false): Promise<readonly DocData[]> {
  const set = ctx.core.virtualFields;
  if (!set || projected || !rows.length || !set.has(doctype)) return rows;
  return set.apply(doctype, rows, {
    user: ctx.user.name, now: ctx.core.clock(), timeZone: ctx.core.timeZone, session: ctx.core.adapter,
    // frappe.get_list: a select as the reading user, with Frappe's list arguments.
    getList: async (call) => (await selectOperation({
      ...ctx, operation: 'select', source: call.doctype, data: {}, query: null,
      input: {
        filters: call.filters ?? [], fields: [...call.fields],
        ...(call.order_by ? { order_by: call.order_by } : {}), ...(call.limit ? { limit_page_length: call.limit } : {}),
      },
    })).data,
  });
}

/** The parents of `doctype` having a child row that matches a child-table filter of get_list. */
async function parentsMatching(ctx: RunContext, doctype: DocType, f: ChildFilter): Promise<string[]> {
  const rows = await query(ctx, f.child, {
    where: { AND: [{ parenttype: doctype.name }, { parentfield: { in: [...f.parentfields] } }, f.where] }, fields: ['parent'],
  });
  return rows.map((r) => String(r.parent));
}

/**
 * `select`: `query: { where, orderBy, take, skip, fields, withChildren }` on the source DocType, and/or
 * Frappe's `get_list` arguments in `input` (see `list-args.ts`).
 */
/** The owner and User Permission restriction of a list, before shares (`build_match_conditions`). */
function listRestriction(ctx: RunContext, doctype: DocType): Where | undefined {
  return restrictWhere(doctype, ctx.user, ctx.userPermissions, ownedOnly(doctype, ctx, undefined), ctx.strictUserPermissions);
}

const and = (a: Where | undefined, b: Where | undefined): Where | undefined => (a && b ? { AND: [a, b] } : a ?? b);

export async function selectOperation(ctx: RunContext): Promise<OperationOutcome> {
  const doctype = source(ctx);
  // The fields the user reads, per DocType of this select (the source, child tables of filters), worked out once.
  const readableSets = new Map<DocType, ReadonlySet<string>>();
  const readableSet = (dt: DocType): ReadonlySet<string> => {
    let set = readableSets.get(dt);
    if (!set) readableSets.set(dt, (set = new Set(dt === doctype ? readableFor(ctx, dt) : readableFields(dt, ctx.user, { parentDoctype: doctype }))));
    return set;
  };
  // Role read (narrowed by ownership and User Permissions) or shared documents (shares.ts).
  const access = await listAccess(ctx, doctype, listRestriction(ctx, doctype));
  // Frappe's get_list arguments (input.filters, fields, order_by, limit_page_length...) become a storage query.
  const q = hasListArguments(ctx.input)
    ? await listQuery(doctype, ctx.input!, {
      child: (n) => ctx.core.registry.tryGet(n),
      resolve: (f) => parentsMatching(ctx, doctype, f),
      tree: (dt, name, relation) => treeRelatives(ctx, dt, name, relation),
      canRead: (dt, f) => !getField(dt, f) || readableSet(dt).has(f),
    }, ctx.query ?? {})
    : ctx.query ?? {};
  checkQueryReadable(ctx, doctype, q);
  const where = and(q.where, access);
  const plan = { ...q, ...(where ? { where } : {}) };
  // A Single: its one document (with defaults when never saved), if it matches.
  const rows = isSingle(doctype) ? await asRunFailure(selectSingle(ctx, ctx.core.adapter, doctype, plan)) : await query(ctx, doctype, plan);
  const readable = readableFor(ctx, doctype);
  const fields = q.fields ? q.fields.filter((f) => readableSet(doctype).has(f) || !getField(doctype, f)) : readable;
  return { data: shown(ctx, doctype, await withVirtualFields(ctx, doctype, rows, q.fields !== undefined)), meta: { doctype: doctype.name, count: rows.length }, fields };
}

/** `takeone`: the document named by `input.data.name`, or the first match of `query`. */
export async function takeoneOperation(ctx: RunContext): Promise<OperationOutcome> {
  const doctype = source(ctx);
  const name = ctx.data.name;
  let doc: DocData | undefined;
  if (isSingle(doctype)) {
    // Frappe's get_doc of a Single: the stored document, or its defaults; no name needed.
    doc = await loadSingle(ctx, ctx.core.adapter, doctype);
  } else if (typeof name === 'string' && name) {
    doc = await (await readsFrom(ctx, doctype)).get(doctype.name, name);
  } else if (ctx.query) {
    const access = await listAccess(ctx, doctype, listRestriction(ctx, doctype));
    checkQueryReadable(ctx, doctype, ctx.query);
    const where = and(ctx.query.where, access);
    doc = (await query(ctx, doctype, { ...ctx.query, ...(where ? { where } : {}), take: 1, withChildren: true }))[0];
    if (doc) doc = await (await readsFrom(ctx, doctype)).get(doctype.name, String(doc.name));
  } else {
    throw new RunFailure('INVALID_RUN', 'takeone needs input.data.name or a query');
  }
  if (!doc) throw new RunFailure('NOT_FOUND', `${doctype.name} ${typeof name === 'string' ? name : 'matching the query'} not found`);
  await checkDocAccess(ctx, doctype, ['read'], doc);
  return { data: shown(ctx, doctype, await withVirtualFields(ctx, doctype, [doc])), meta: { doctype: doctype.name, name: doc.name }, fields: readableFor(ctx, doctype) };
}
