/**
 * The guardian: pure checks that run before any tier, each answering `{ ok: true }` or one reason with a
 * stable code (`frappe/model/document.py`, `frappe/permissions.py`). They read only their arguments; the engine decides
 * the order (fail fast) and throws the first refusal.
 *
 * @module
 */
import { makeIssue, type Issue } from '../issues';
import { hasPermission } from '../permissions/has-permission';
import { permlevelAccess, rolePermissions } from '../permissions/role-permissions';
import type { PermissionUser, SharedRights } from '../permissions/types';
import { CHILD_TABLE_FIELDNAMES, OPTIONAL_FIELDNAMES, STANDARD_FIELDNAMES, STANDARD_SET_ONCE_FIELDNAMES } from '../schema/fieldtypes';
import type { Registry } from '../schema/registry';
import { getField } from '../schema/fields';
import type { DocField, DocType, PermissionType } from '../schema/types';
import { valuesEqual } from '../values/equals';
import type { DocData } from '../doc/types';
import { OK, refuse, type Verdict } from './codes';
import { isBlank, rowList } from './data';
import type { WriteAction } from './types';

/** Child DocTypes of a DocType, by Table fieldname. */
export type Children = Readonly<Record<string, DocType>>;

const label = (df: DocField) => df.label || df.fieldname;

/**
 * The DocType exists (and, for operations on documents, is not a child table: rows are written through
 * their parent).
 * @param registry - the engine's DocTypes
 * @param name - the DocType named by the run, or null
 * @param allowChild - accept child DocTypes (reads of child tables) @default false
 * @returns the verdict
 */
export function checkDoctype(registry: Registry, name: string | null, allowChild = false): Verdict {
  if (!name) return refuse('UNKNOWN_DOCTYPE', 'This operation needs a DocType (target_doctype / source_doctype)');
  const dt = registry.tryGet(name);
  if (!dt) return refuse('UNKNOWN_DOCTYPE', `DocType ${name} not found`);
  if (dt.istable === 1 && !allowChild) {
    return refuse('INVALID_RUN', `${name} is a child table: its rows are written through their parent document`);
  }
  return OK;
}

/**
 * Append-only DocTypes (an audit trail, the stored `Run` records) refuse update and delete for everyone,
 * Administrator included.
 * @param doctype - the DocType name
 * @param operation - the canonical operation
 * @param appendOnly - the engine's append-only DocTypes
 * @returns the verdict
 */
export function checkAppendOnly(doctype: string, operation: string, appendOnly: ReadonlySet<string>): Verdict {
  if (!appendOnly.has(doctype)) return OK;
  if (operation === 'create' || operation === 'select' || operation === 'takeone') return OK;
  return refuse('APPEND_ONLY', `${doctype} is append-only: documents can be created and read, never changed or deleted`);
}

/**
 * Every listed right, at DocType level (no document) or on a document (`if_owner`, user permissions):
 * deny by default, Administrator always allowed (`frappe/permissions.py`).
 * @param doctype - the DocType
 * @param user - the human the run is for (an agent has exactly these rights)
 * @param rights - all must be granted
 * @param doc - the document, when the check is about one @default undefined
 * @param shared - what DocShare grants the user on the document (shares.ts) @default nothing
 * @returns the verdict; the message names the first missing right
 */
export function checkRights(doctype: DocType, user: PermissionUser, rights: readonly PermissionType[], doc?: DocData, shared?: SharedRights): Verdict {
  for (const ptype of rights) {
    const result = hasPermission(doctype, ptype, user, doc ? { doc, shared } : { shared });
    if (!result.allowed) {
      // Frappe v15's wording (frappe/model/delete_doc.py for delete, Document.raise_no_permission_to otherwise).
      const name = doc && typeof doc.name === 'string' ? doc.name : 'None';
      const level = rolePermissions(doctype, user);
      if (!level.read && !level.select) return refuse('PERMISSION_DENIED', `User ${user.name} does not have doctype access via role permission for document ${doctype.name}`);
      return refuse('PERMISSION_DENIED', ptype === 'delete'
        ? `User not allowed to delete ${doctype.name}: ${name}`
        : `User ${user.name} does not have access to this document: ${doctype.name} - ${name}`);
    }
  }
  return OK;
}

/** The outcome of a docstatus transition: the action Frappe derives, or a refusal. */
export type Transition = { readonly ok: true; readonly action: WriteAction } | (Verdict & { readonly ok: false });

const STATUS_LABEL: Readonly<Record<number, string>> = { 0: '0 (Draft)', 1: '1 (Submitted)', 2: '2 (Cancelled)' };

/**
 * Frappe's `check_docstatus_transition` (`frappe/model/document.py`): 0→0 save, 0→1 submit, 1→1 update after submit, 1→2
 * cancel; 0→2 and 1→0 are refused; a cancelled document cannot change at all.
 * @param previous - the stored docstatus (`null` for a new document)
 * @param next - the incoming docstatus
 * @param submittable - whether the DocType is submittable (1 and 2 need it)
 * @returns the action or the refusal
 */
export function docstatusTransition(previous: number | null, next: number, submittable: boolean): Transition {
  if (next !== 0 && next !== 1 && next !== 2) return refuse('DOCSTATUS_TRANSITION', 'Invalid docstatus') as Transition;
  if (next !== 0 && !submittable) return refuse('DOCSTATUS_TRANSITION', 'Cannot set docstatus of a DocType that is not submittable') as Transition;
  if (previous === null) {
    if (next === 0) return { ok: true, action: 'create' };
    if (next === 1) return { ok: true, action: 'submit' };
    return refuse('DOCSTATUS_TRANSITION', 'Cannot change docstatus from 0 (Draft) to 2 (Cancelled)') as Transition;
  }
  if (previous === 2) return refuse('CANCELLED_DOCUMENT', 'Cannot edit cancelled document') as Transition;
  if (previous === 0 && next === 0) return { ok: true, action: 'update' };
  if (previous === 0 && next === 1) return { ok: true, action: 'submit' };
  if (previous === 1 && next === 1) return { ok: true, action: 'update_after_submit' };
  if (previous === 1 && next === 2) return { ok: true, action: 'cancel' };
  return refuse('DOCSTATUS_TRANSITION', `Cannot change docstatus from ${STATUS_LABEL[previous] ?? previous} to ${STATUS_LABEL[next] ?? next}`) as Transition;
}

/** The rights an action needs (`frappe/permissions.py`, `requiredRights`), plus `create` for an insert that submits. */
export function rightsFor(action: WriteAction, isNew: boolean): readonly PermissionType[] {
  switch (action) {
    case 'create': return ['create'];
    case 'update': return ['write'];
    case 'submit': return isNew ? ['create', 'submit'] : ['write', 'submit'];
    case 'update_after_submit': return ['write', 'submit'];
    case 'cancel': return ['write', 'cancel'];
    case 'amend': return ['create', 'amend'];
  }
}

const KNOWN_KEYS = new Set<string>([...STANDARD_FIELDNAMES, ...OPTIONAL_FIELDNAMES, 'doctype']);
const KNOWN_ROW_KEYS = new Set<string>([...STANDARD_FIELDNAMES, ...CHILD_TABLE_FIELDNAMES, 'doctype']);

/**
 * Every key of the input is a field, a standard column or a private `__` key; Table fields hold arrays of
 * row objects whose keys are fields of the child DocType.
 * @param doctype - the DocType
 * @param children - its child DocTypes by Table fieldname
 * @param data - the caller's values
 * @returns the verdict (`INVALID_RUN` with one issue per unknown key)
 */
export function checkInputShape(doctype: DocType, children: Children, data: Readonly<Record<string, unknown>>): Verdict {
  const issues: Issue[] = [];
  const check = (dt: DocType, values: Readonly<Record<string, unknown>>, known: ReadonlySet<string>, row?: { idx: number; table: string }) => {
    for (const key of Object.keys(values)) {
      if (key.startsWith('__') || known.has(key)) continue;
      const df = getField(dt, key);
      if (df && df.fieldclass !== 'display') continue;
      issues.push(makeIssue('INVALID_VALUE', `${dt.name} has no field ${key}`, { doctype: dt.name, field: key, row: row?.idx, table: row?.table }));
    }
  };
  check(doctype, data, KNOWN_KEYS);
  for (const [table, child] of Object.entries(children)) {
    const rows = data[table];
    if (rows === undefined || rows === null) continue;
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      issues.push(makeIssue('INVALID_VALUE', `${table} must be a list of rows`, { doctype: doctype.name, field: table }));
      continue;
    }
    rows.forEach((r, i) => check(child, r as Record<string, unknown>, KNOWN_ROW_KEYS, { idx: i + 1, table }));
  }
  return issues.length ? refuse('INVALID_RUN', issues.map((i) => i.message).join('; '), issues) : OK;
}

interface FieldChange {
  readonly df: DocField;
  readonly doctype: DocType;
  readonly before: unknown;
  readonly after: unknown;
  readonly row?: { readonly idx: number; readonly table: string; readonly name: string | undefined };
}

/**
 * Field-level differences between a base document and an incoming one, for the keys present in `delta`
 * (rows matched by `name`; rows not in the base compare against nothing).
 */
function inputChanges(doctype: DocType, children: Children, base: DocData, delta: Readonly<Record<string, unknown>>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const df of doctype.fields) {
    if (df.fieldclass !== 'value' || !Object.hasOwn(delta, df.fieldname)) continue;
    if (!valuesEqual(df, base[df.fieldname], delta[df.fieldname])) {
      out.push({ df, doctype, before: base[df.fieldname], after: delta[df.fieldname] });
    }
  }
  for (const [table, child] of Object.entries(children)) {
    if (!Array.isArray(delta[table])) continue;
    const stored = new Map(rowList(base, table).map((r) => [r.name, r] as const));
    rowList(delta, table).forEach((row, i) => {
      const before = (row.name !== undefined ? stored.get(row.name) : undefined) ?? {};
      for (const df of child.fields) {
        if (df.fieldclass !== 'value' || !Object.hasOwn(row, df.fieldname)) continue;
        if (!valuesEqual(df, before[df.fieldname], row[df.fieldname])) {
          out.push({ df, doctype: child, before: before[df.fieldname], after: row[df.fieldname], row: { idx: i + 1, table, name: typeof row.name === 'string' ? row.name : undefined } });
        }
      }
    });
  }
  return out;
}

function changeIssue(code: Issue['code'], message: string, c: FieldChange): Issue {
  return makeIssue(code, message, {
    doctype: c.doctype.name, field: c.df.fieldname, row: c.row?.idx, table: c.row?.table, rowname: c.row?.name, value: c.after,
  });
}

/**
 * Read-only fields (`read_only`, the Read Only fieldtype) cannot be changed through input: the input may
 * repeat their current value, never change it. Values the engine sets (fetch_from, computed fields) are
 * set after this check.
 * @param doctype - the DocType
 * @param children - child DocTypes by Table fieldname
 * @param base - the stored document, or the new document with defaults
 * @param delta - the caller's values
 * @returns the verdict (`READ_ONLY_FIELD`, one issue per field)
 */
export function checkReadOnlyInput(doctype: DocType, children: Children, base: DocData, delta: Readonly<Record<string, unknown>>): Verdict {
  const issues = inputChanges(doctype, children, base, delta)
    .filter((c) => (c.df.read_only === 1 || c.df.fieldtype === 'Read Only') && !(c.row === undefined && isBlank(c.after) && isBlank(c.before)))
    .map((c) => changeIssue('READ_ONLY', `${c.row ? `Row #${c.row.idx}: ` : ''}${label(c.df)} is read-only`, c));
  return issues.length ? refuse('READ_ONLY_FIELD', issues.map((i) => i.message).join('; '), issues) : OK;
}

/**
 * Fields above the user's write levels cannot be changed (`frappe/permissions.py`, `frappe/model/meta.py`). Frappe resets them silently; a run refuses
 * so that an agent or caller learns its write did not happen.
 * @param doctype - the DocType (child fields are judged by the parent's levels)
 * @param children - child DocTypes by Table fieldname
 * @param user - the user
 * @param base - the stored document or the new document's defaults
 * @param delta - the caller's values
 * @returns the verdict (`PERMISSION_DENIED` with one `PERMLEVEL` issue per field)
 */
export function checkPermlevelWrite(
  doctype: DocType, children: Children, user: PermissionUser, base: DocData, delta: Readonly<Record<string, unknown>>,
): Verdict {
  if (user.name === 'Administrator') return OK;
  const writable = permlevelAccess(doctype, user, 'write');
  const issues = inputChanges(doctype, children, base, delta)
    .filter((c) => c.df.permlevel > 0 && !writable.has(c.df.permlevel))
    .map((c) => changeIssue('PERMLEVEL', `${c.row ? `Row #${c.row.idx}: ` : ''}Not allowed to change ${label(c.df)} (permission level ${c.df.permlevel})`, c));
  return issues.length ? refuse('PERMISSION_DENIED', issues.map((i) => i.message).join('; '), issues) : OK;
}

/**
 * `set_only_once` fields, `owner` and `creation` keep their stored value (`frappe/model/document.py`). Tables compare by row count
 * and each row's values.
 * @param doctype - the DocType
 * @param stored - the stored document
 * @param next - the document about to be written
 * @returns the verdict (`CANNOT_CHANGE_CONSTANT`)
 */
export function checkSetOnce(doctype: DocType, stored: DocData, next: DocData): Verdict {
  const issues: Issue[] = [];
  for (const key of STANDARD_SET_ONCE_FIELDNAMES) {
    if (!isBlank(stored[key]) && Object.hasOwn(next, key) && String(next[key] ?? '') !== String(stored[key])) {
      issues.push(makeIssue('CANNOT_CHANGE_CONSTANT', `Value cannot be changed for ${key}`, { doctype: doctype.name, field: key, value: next[key] }));
    }
  }
  // Frappe v15's validate_set_only_once compares with the stored value even when that is empty: a
  // set_only_once field is set at insert or never (filling it in on a later save is refused too).
  for (const df of doctype.fields) {
    if (df.set_only_once !== 1) continue;
    if (!valuesEqual(df, stored[df.fieldname], next[df.fieldname])) {
      issues.push(makeIssue('CANNOT_CHANGE_CONSTANT', `Value cannot be changed for ${label(df)}`, { doctype: doctype.name, field: df.fieldname, value: next[df.fieldname] }));
    }
  }
  return issues.length ? refuse('CANNOT_CHANGE_CONSTANT', issues.map((i) => i.message).join('; '), issues) : OK;
}

/**
 * After submit only `allow_on_submit` fields may change (`frappe/model/document.py`): other fields compare by value, Table fields
 * without `allow_on_submit` by row count and by row name (every row must be a stored row, once), and each
 * stored row's fields the same way; an `allow_on_submit` table may gain rows.
 * @param doctype - the DocType
 * @param children - child DocTypes by Table fieldname
 * @param stored - the submitted document
 * @param next - the document about to be written
 * @returns the verdict (`UPDATE_AFTER_SUBMIT`, one issue per field)
 */
export function checkUpdateAfterSubmit(doctype: DocType, children: Children, stored: DocData, next: DocData): Verdict {
  const issues: Issue[] = [];
  const compare = (dt: DocType, before: DocData, after: DocData, row?: { idx: number; table: string; name?: string }) => {
    for (const df of dt.fields) {
      if (df.fieldclass !== 'value' || df.allow_on_submit === 1) continue;
      const a = before[df.fieldname];
      const b = after[df.fieldname];
      if (isBlank(a) && isBlank(b)) continue;
      if (!valuesEqual(df, a, b)) {
        issues.push(makeIssue('UPDATE_AFTER_SUBMIT',
          `${row ? `Row #${row.idx}: ` : ''}Not allowed to change ${label(df)} after submission from ${String(a ?? '')} to ${String(b ?? '')}`,
          { doctype: dt.name, field: df.fieldname, row: row?.idx, table: row?.table, rowname: row?.name, value: b }));
      }
    }
  };
  compare(doctype, stored, next);
  for (const df of doctype.fields) {
    if (df.fieldclass !== 'table') continue;
    const child = children[df.fieldname];
    const before = rowList(stored, df.fieldname);
    const after = rowList(next, df.fieldname);
    if (df.allow_on_submit !== 1 && before.length !== after.length) {
      issues.push(makeIssue('UPDATE_AFTER_SUBMIT', `Not allowed to change ${label(df)} after submission`, { doctype: doctype.name, field: df.fieldname }));
      continue;
    }
    // Rows match by name (Frappe reloads each row by its name): in a table without allow_on_submit every row
    // must be a stored row, once; a new row (or a stored row repeated in place of another) is a change.
    const byName = new Map(before.map((r) => [r.name, r] as const));
    const seen = new Set<unknown>();
    let replaced = false;
    after.forEach((row, i) => {
      const old = byName.get(row.name);
      const rowRef = { idx: i + 1, table: df.fieldname, name: typeof row.name === 'string' ? row.name : '' };
      if (df.allow_on_submit !== 1 && (!old || seen.has(row.name))) {
        if (!replaced) {
          issues.push(makeIssue('UPDATE_AFTER_SUBMIT', `Row #${i + 1}: Not allowed to change ${label(df)} after submission: rows cannot be added or replaced`,
            { doctype: doctype.name, field: df.fieldname, row: i + 1, table: df.fieldname, rowname: rowRef.name || undefined }));
        }
        replaced = true;
        return;
      }
      seen.add(row.name);
      if (old && child) compare(child, old, row, rowRef);
    });
  }
  return issues.length ? refuse('UPDATE_AFTER_SUBMIT', issues.map((i) => i.message).join('; '), issues) : OK;
}
