/**
 * `rename`: Frappe's `rename_doc` (`frappe/model/rename_doc.py`). The document takes the new name (its rows'
 * `parent` follows), every Link to it in every DocType (child tables included) and every Dynamic Link naming
 * it is repointed, as are the references Frappe updates by hand (File attachments, Versions, Energy Point
 * Logs) and the document's Password secrets, all in one storage transaction: a failure leaves storage as it
 * was. With `merge`, the target must exist; links to the old document are repointed to it and the old one is
 * deleted. `modified` changes nowhere (Frappe's updates use `update_modified=False`).
 *
 * Refusals follow `validate_rename`, in its order after the write check of `update_document_title`: a
 * missing document, the same name, a merge target that does not exist, a new name that does (without
 * merge), no `write` right (and no `delete` for a merge), `allow_rename` off, a name `validate_name`
 * refuses; a tree merge between a group and a leaf (`NestedSet.before_rename`), and a merge that would delete
 * a submitted document (`delete_doc`). Renaming a submitted document is allowed, as in Frappe.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { makeIssue } from '../issues';
import { validateName } from '../naming/validate';
import { pyStrip } from '../naming/text';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import { updateWhere } from '../storage/update-where';
import type { StorageSession } from '../storage/types';
import { RunFailure } from './codes';
import type { OperationOutcome, RunContext } from './core';
import { moveSecrets, removeSecrets } from './passwords';
import { lifecycleMeta, openLifecycle } from './lifecycle';
import { docName, enforceRights, fromStorage, loadStored, target, visible, type Target } from './writes';
import { rebuildInTransaction, treeFields } from './tree';

/** One column that may hold the renamed document's name: a Link, or a Dynamic Link (with its DocType column). */
export interface Reference {
  /** The DocType whose table holds the column (a child DocType for rows). */
  readonly doctype: string;
  readonly fieldname: string;
  /** For a Dynamic Link (or a reference pair), the column holding the DocType name. */
  readonly doctypeField?: string;
  /** A Single DocType: its one document is rewritten (Frappe saves it through the ORM). */
  readonly single?: boolean;
}

/**
 * Pairs Frappe repoints by hand in `rename_doc` (`update_attachments`, `rename_versions`, `rename_eps_records`):
 * their name columns are Data fields, so neither Links nor Dynamic Links find them.
 */
const EXTRA_REFERENCES: readonly Reference[] = [
  { doctype: 'File', fieldname: 'attached_to_name', doctypeField: 'attached_to_doctype' },
  { doctype: 'Version', fieldname: 'docname', doctypeField: 'ref_doctype' },
  { doctype: 'Energy Point Log', fieldname: 'reference_name', doctypeField: 'reference_doctype' },
];

/**
 * Every column of a stored DocType that can point at a document of `doctype` (`get_link_fields` and
 * `get_dynamic_link_map`): Link fields whose options name it, Dynamic Link fields (their DocType column must
 * name it), and the pairs above. Virtual DocTypes and fields are left out (never stored); Single DocTypes are
 * marked (`update_link_field_values` saves them as documents).
 * @param registry - the engine's DocTypes
 * @param doctype - the DocType of the renamed document
 * @returns the columns, each once
 */
export function referencesTo(registry: Registry, doctype: string): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  const add = (r: Reference) => {
    const key = `${r.doctype}\u0000${r.fieldname}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  };
  for (const dt of registry.list()) {
    if (dt.is_virtual) continue;
    const single = dt.issingle ? { single: true } : {};
    for (const df of dt.fields) {
      if (df.is_virtual) continue;
      if (df.fieldtype === 'Link' && df.options === doctype) add({ doctype: dt.name, fieldname: df.fieldname, ...single });
      else if (df.fieldtype === 'Dynamic Link' && df.options && dt.fields.some((f) => f.fieldname === df.options)) {
        add({ doctype: dt.name, fieldname: df.fieldname, doctypeField: df.options, ...single });
      }
    }
  }
  for (const r of EXTRA_REFERENCES) {
    const dt = registry.tryGet(r.doctype);
    if (dt && !dt.issingle && !dt.is_virtual && [r.fieldname, r.doctypeField].every((f) => dt.fields.some((df) => df.fieldname === f))) add(r);
  }
  return out;
}

/** Frappe's `sbool` for the `merge` argument: booleans, 0 / 1, and their strings. */
function mergeFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '0' || value === 'false' || value === '') return false;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  throw new RunFailure('INVALID_RUN', `rename: input.merge must be true or false, got ${JSON.stringify(value)}`);
}

/** The new name as the run gives it (`input.new_name`; `input.data.new_name` is accepted too). */
function newNameOf(ctx: RunContext): unknown {
  const input = ctx.input ?? {};
  return Object.hasOwn(input, 'new_name') ? input.new_name : ctx.data.new_name;
}

/** `validate_name` on the new name (stripped), as a run failure with Frappe's message. */
function checkNewName(t: Target, raw: unknown): string {
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    throw new RunFailure('INVALID_RUN', `rename: input.new_name must be a string, got ${typeof raw}`);
  }
  const checked = validateName(t.doctype, raw ?? '');
  if ('issue' in checked) throw new RunFailure('INVALID_NAME', checked.issue.message, [checked.issue], { exc: checked.issue.exc ?? 'NameError' });
  const name = String(checked.name);
  if (t.doctype.autoname === 'autoincrement' && !/^\d+$/.test(name)) {
    const message = `Invalid name type (str) for an autoincrement ${t.doctype.name}: ${name}`;
    throw new RunFailure('INVALID_NAME', message, [makeIssue('NAMING', message, { doctype: t.doctype.name, field: 'name', value: name })], { exc: 'NameError' });
  }
  return name;
}

const conflict = (message: string, exc?: string) => new RunFailure('RENAME_CONFLICT', message, [], exc ? { exc } : undefined);

/** `rename`: see the module comment. Output: the document under its new name (the merge target after a merge). */
export async function renameOperation(ctx: RunContext): Promise<OperationOutcome> {
  const t = target(ctx);
  const dt = t.doctype;
  const old = docName(ctx, ctx.data);
  const merge = mergeFlag(ctx.input?.merge);
  const rawNew = newNameOf(ctx);
  if (rawNew !== undefined && rawNew !== null && typeof rawNew !== 'string') {
    throw new RunFailure('INVALID_RUN', `rename: input.new_name must be a string, got ${typeof rawNew}`);
  }
  const counts: Record<string, number> = {};
  let name = '';
  let written: DocData;
  try {
    // Checks, hooks and writes in one transaction: what the checks saw is what is renamed.
    written = await ctx.core.adapter.transaction(async (tx) => {
      const stored = await loadStored(tx, dt, old);
      // update_document_title checks write on the document first; a merge deletes the old one (delete_doc).
      await enforceRights(ctx, t, merge ? ['write', 'delete'] : ['write'], stored);
      const hooks = openLifecycle(ctx, t, tx, { action: 'update', stored });
      // rename_doc: before_rename may return another new name.
      const args = await hooks.rename('before_rename', stored, { old, new: rawNew ?? '', merge });
      name = await validateRename(ctx, t, tx, stored, typeof args.new === 'string' ? pyStrip(args.new) : args.new, merge);
      if (!merge) await moveDocument(tx, t, stored, name, ctx.core.stamper.next(stored.modified as string | undefined));
      else await mergeAssignments(ctx, tx, dt, stored, name);
      for (const r of referencesTo(ctx.core.registry, dt.name)) {
        const where = r.doctypeField ? { [r.doctypeField]: dt.name, [r.fieldname]: old } : { [r.fieldname]: old };
        const n = await updateWhere(tx, r.doctype, where, { [r.fieldname]: name });
        if (n) counts[`${r.doctype}.${r.fieldname}`] = n;
      }
      await afterTreeRename(tx, dt, name);
      await hooks.rename('after_rename', await loadStored(tx, dt, name), { old, new: name, merge });
      if (merge) {
        const gone = await loadStored(tx, dt, old);
        await tx.delete(dt.name, old);
        await removeSecrets(tx, dt, gone, t.children);
        // NestedSet.after_rename: a merge renumbers the tree (the old node's children now hang under the target).
        await rebuildInTransaction(tx, dt);
      }
      const result = await loadStored(tx, dt, name);
      if (ctx.options.dry_run === true) throw new DryRun(result);
      return result;
    });
  } catch (e) {
    if (!(e instanceof DryRun)) fromStorage(e);
    written = e.doc;
  }
  return {
    data: [visible(ctx, t, written)],
    meta: { doctype: dt.name, name, old_name: old, merge, action: 'rename', updated: counts, dry_run: ctx.options.dry_run === true, ...lifecycleMeta(ctx) },
    docname: name,
  };
}

/** `validate_rename` (after the write check), in Frappe's order. @returns the new name as `validate_name` leaves it */
async function validateRename(ctx: RunContext, t: Target, tx: StorageSession, stored: DocData, newName: unknown, merge: boolean): Promise<string> {
  const dt = t.doctype;
  const old = String(stored.name);
  if (typeof newName === 'string' && newName === old) throw conflict('No changes made because old and new name are the same.');
  const existing = typeof newName === 'string' && newName ? await tx.get(dt.name, newName) : undefined;
  if (merge && !existing) throw conflict(`${dt.name} ${String(newName)} does not exist, select a new target to merge`);
  if (!merge && existing) throw conflict(`Another ${dt.name} with name ${String(newName)} exists, select another name`);
  if (!ctx.flags.ignore_permissions && !dt.allow_rename) throw new RunFailure('RENAME_NOT_ALLOWED', `${dt.name} not allowed to be renamed`);
  const name = checkNewName(t, newName);
  if (merge && existing) checkMerge(t, stored, existing);
  return name;
}

/** Thrown inside the transaction of a dry run so that nothing it wrote is kept. */
class DryRun {
  constructor(readonly doc: DocData) {}
}

/**
 * Merge checks that fail before anything is written: `NestedSet.before_rename` (group with group, leaf with
 * leaf) and `delete_doc`'s refusal of a submitted document (Frappe reaches it last and rolls back).
 */
function checkMerge(t: Target, stored: DocData, existing: DocData): void {
  const dt = t.doctype;
  const group = treeFields(dt)?.groupField;
  if (group && Number(stored[group] ?? 0) !== Number(existing[group] ?? 0)) {
    throw conflict('Merging is only possible between Group-to-Group or Leaf Node-to-Leaf Node', 'NestedSetInvalidMergeError');
  }
  if (Number(stored.docstatus ?? 0) === 1) {
    throw new RunFailure('SUBMITTED_DOCUMENT', `${dt.name} ${String(stored.name)}: Submitted Record cannot be deleted. You must Cancel it first.`);
  }
}

/**
 * `rename_parent_and_child` + `update_autoname_field` + `rename_password`: the document and its rows under the
 * new name (rows keep their own names; storage gives them the new `parent`), as stored before (`modified`
 * unchanged), and its Password secrets moved.
 */
async function moveDocument(tx: StorageSession, t: Target, current: DocData, name: string, timestamp: string): Promise<void> {
  const dt = t.doctype;
  const moved: Record<string, unknown> = { ...current, name };
  const autoname = dt.autoname ?? '';
  if (autoname.startsWith('field:')) {
    const field = autoname.slice('field:'.length).trim();
    if (dt.fields.some((df) => df.fieldname === field)) moved[field] = name;
  }
  await tx.delete(dt.name, String(current.name));
  await tx.insert(dt.name, moved);
  await moveSecrets(tx, dt, String(current.name), name, timestamp);
}

/** A `_assign` value as a list of users (Frappe stores it as JSON text). */
function assignees(value: unknown): string[] {
  if (typeof value !== 'string' || !value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * `update_assignments` (merge): the target is assigned to the users of both documents, and the ToDos of the
 * old document held by users assigned to both are deleted (the others are repointed like any Dynamic Link).
 */
async function mergeAssignments(ctx: RunContext, tx: StorageSession, dt: DocType, stored: DocData, target: string): Promise<void> {
  const existing = await loadStored(tx, dt, target);
  if (!('_assign' in existing)) return;
  const mine = assignees(stored._assign);
  const theirs = assignees(existing._assign);
  const common = mine.filter((u) => theirs.includes(u));
  if (common.length && ctx.core.registry.has('ToDo')) {
    const todos = await tx.query('ToDo', { where: { owner: { in: common }, reference_type: dt.name, reference_name: String(stored.name) }, fields: ['name'] });
    for (const todo of todos) await tx.delete('ToDo', String(todo.name));
  }
  await updateWhere(tx, dt.name, { name: target }, { _assign: JSON.stringify([...new Set([...mine, ...theirs])]) });
}

/** `NestedSet.after_rename`: children of the renamed node get `old_parent` = its new name. */
async function afterTreeRename(tx: StorageSession, dt: DocType, name: string): Promise<void> {
  const tree = treeFields(dt);
  if (tree?.oldParentField) await updateWhere(tx, dt.name, { [tree.parentField]: name }, { [tree.oldParentField]: name });
}

