/**
 * The form controller: one document being edited, as a UI needs it. Framework-agnostic: it talks to the engine
 * only through `run()` (every change is a draft run, so it is permission-checked, traced and validated like any
 * run; nothing is written before a save) and exposes one immutable snapshot plus `subscribe`, the shape
 * `useSyncExternalStore` and every store-based UI binding reads.
 *
 * How a change flows: the user's intent is kept as a document-layer {@link Doc} (so undo / redo walk immutable
 * documents that share structure), the snapshot shows the change at once, and a draft run on the form's edit
 * brings back what the engine computes from it (fetch_from, computed fields, field states, issues). Runs are
 * queued, so they apply in the order the calls were made; `settled()` waits for them.
 *
 * @module
 */
import { addRow, moveRow, removeRow, setRowValue, setValues } from '../doc/write';
import { loadDoc } from '../doc/load';
import type { Doc } from '../doc/types';
import { randomIds, systemClock, type Clock, type IdGenerator, type User } from '../env';
import type { Issue } from '../issues';
import { fieldState } from '../rules/states';
import type { DocData, FieldState, FormState } from '../rules/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import type { DraftMeta, EditSnapshot, RunError, RunRecord, RunRequest } from '../run/types';
import { documentActions } from './actions';
import { buildSlices, type FieldSlice } from './slices';

export type { FieldSlice } from './slices';

/** Where a form is in its life. `conflict`: a save found that someone else saved in between. */
export type FormStatus = 'loading' | 'pristine' | 'dirty' | 'saving' | 'saved' | 'failed' | 'conflict' | 'deleted';

/** One immutable view of a form: render from it. Unchanged parts keep their identity between snapshots. */
export interface FormSnapshot {
  readonly doctype: string;
  /** The stored name; `null` for a document never saved. */
  readonly name: string | null;
  /** The document as the form shows it: the engine's merged document with the latest changes. */
  readonly doc: DocData;
  /** The document as it was opened (or last saved / reloaded). */
  readonly original: DocData;
  /** The accumulated change since `original`, as the edit holds it. */
  readonly delta: Readonly<Record<string, unknown>>;
  /** Field states (visible / mandatory / read-only / collapsed) of fields and rows. */
  readonly states: FormState;
  /** Per field: value, state, label, options and issues. A field's slice is the same object while it is unchanged. */
  readonly fields: Readonly<Record<string, FieldSlice>>;
  /** Every issue a save would raise now (and the last refusal's issues). */
  readonly issues: readonly Issue[];
  readonly state: FormStatus;
  /** There are changes not saved. */
  readonly dirty: boolean;
  /** What the user may do now (`save`, `submit`, `cancel`, `amend`, `delete`, `discard`, workflow actions). */
  readonly actions: readonly string[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The last failure (a refused save, submit, ...). */
  readonly error: RunError | null;
  /** In state `conflict`: the version someone else saved. */
  readonly conflict: { readonly theirs: DocData } | null;
}

/** What a form needs of the engine. */
export interface FormHost {
  run(request: RunRequest): Promise<RunRecord>;
  readonly registry: Registry;
  /** Workflow actions and whether the state allows editing, when the DocType has an active workflow. */
  workflowFor?(doctype: string, doc: DocData, user: User | undefined): Promise<{ actions: readonly string[]; allowEdit: boolean } | undefined>;
}

/** Options of {@link openForm}. */
export interface FormOptions {
  readonly doctype: string;
  /** A stored document to edit; omit for a new one. */
  readonly name?: string;
  /** Initial values of a new document (they block defaults, as in Desk). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Who edits (every run of the form is theirs). @default the engine's user */
  readonly user?: User;
  readonly agent?: string | null;
  /** The engine's default user, for permission checks of `actions` when `user` is not given. */
  readonly defaultUser?: User;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

/** A form: one document being edited. Every method that changes something returns when its run settled. */
export interface FormController {
  getSnapshot(): FormSnapshot;
  /** @returns unsubscribe */
  subscribe(listener: () => void): () => void;
  /** The slice of one field (same object while the field is unchanged). */
  field(fieldname: string): FieldSlice | undefined;
  set(fieldname: string, value: unknown): Promise<void>;
  setValues(values: Readonly<Record<string, unknown>>): Promise<void>;
  setRow(table: string, rowName: string, fieldname: string, value: unknown): Promise<void>;
  /** @returns the new row's (temporary) name */
  addRow(table: string, values?: Readonly<Record<string, unknown>>): Promise<string>;
  removeRow(table: string, rowName: string): Promise<void>;
  moveRow(table: string, rowName: string, toIndex: number): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Drop every unsaved change. */
  discard(): Promise<void>;
  /** Read the stored document again (drops unsaved changes; resolves a conflict by taking theirs). */
  reload(): Promise<void>;
  /** After a conflict: save the form's version over theirs. */
  overwrite(): Promise<RunRecord>;
  save(): Promise<RunRecord>;
  submit(): Promise<RunRecord>;
  cancel(): Promise<RunRecord>;
  /** A cancelled document: open its amendment (a new draft) in this form. */
  amend(): Promise<RunRecord>;
  delete(): Promise<RunRecord>;
  /** Take a workflow transition (`apply_workflow`). */
  applyWorkflow(action: string): Promise<RunRecord>;
  /** Resolves when every queued run has settled. */
  settled(): Promise<void>;
}

/** Thrown by a form method whose run failed; the snapshot holds the same error. */
export class FormRunError extends Error {
  constructor(readonly run: RunRecord) {
    super(run.error?.message ?? 'run failed');
    this.name = 'FormRunError';
  }
}

const STANDARD = new Set(['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype', 'amended_from']);
const ROW_MANAGED = new Set(['doctype', 'parent', 'parentfield', 'parenttype', 'idx', 'owner', 'creation', 'modified', 'modified_by', 'docstatus']);

/** What a draft step sends: the keys whose value changed, Table fields as their whole row list. */
function changedValues(meta: DocType, before: DocData, after: DocData): Record<string, unknown> {
  const tables = new Set(meta.fields.filter((f) => f.fieldtype === 'Table' || f.fieldtype === 'Table MultiSelect').map((f) => f.fieldname));
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] === after[key] || STANDARD.has(key) || key.startsWith('__')) continue;
    out[key] = tables.has(key) ? rowsPayload(after[key]) : after[key];
  }
  return out;
}

function rowsPayload(rows: unknown): unknown {
  if (!Array.isArray(rows)) return rows;
  return rows.map((row: DocData) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!ROW_MANAGED.has(k) && !k.startsWith('__')) out[k] = v;
    return out;
  });
}

const EMPTY_STATES: FormState = Object.freeze({ fields: Object.freeze({}), rows: Object.freeze({}), issues: Object.freeze([]) });

/**
 * Open a form on a new or stored document.
 * @param host - the engine (or anything with `run` and `registry`)
 * @param options - see {@link FormOptions}
 * @returns the controller, once the document is loaded
 * @throws {FormRunError} when the document cannot be opened (unknown DocType, not found, no permission)
 */
export async function openForm(host: FormHost, options: FormOptions): Promise<FormController> {
  const meta = host.registry.get(options.doctype);
  const getDoctype = (n: string) => host.registry.get(n);
  const ids = options.ids ?? randomIds;
  const clock = options.clock ?? systemClock;
  const user = options.user;
  const permUser: User = user ?? options.defaultUser ?? { name: 'Administrator', roles: [] };
  const identity = { ...(user ? { user } : {}), ...(options.agent !== undefined ? { agent: options.agent } : {}) };

  let editId = '';
  // A Single has one document, named after its DocType: its form edits that one (stored or its defaults).
  let name: string | null = options.name ?? (meta.issingle === 1 && meta.istable !== 1 ? meta.name : null);
  let intent!: Doc;                 // the user's document (doc layer): what undo / redo walk
  let synced!: DocData;             // intent.data as last sent to the engine
  let engineDoc!: DocData;          // the engine's merged document after the last draft
  let original!: DocData;
  let states: FormState = EMPTY_STATES;
  let issues: readonly Issue[] = [];
  let edit: EditSnapshot | undefined;
  let status: FormStatus = 'loading';
  let error: RunError | null = null;
  let conflict: { theirs: DocData } | null = null;
  let workflow: { actions: readonly string[]; allowEdit: boolean } | undefined;
  const undoStack: Doc[] = [];
  const redoStack: Doc[] = [];
  const listeners = new Set<() => void>();
  let queue: Promise<unknown> = Promise.resolve();
  let snapshot: FormSnapshot | undefined;
  let lastActionKey = '';
  let lastActions: string[] = [];

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  const run = (request: Omit<RunRequest, 'target_doctype'> & { target_doctype?: string }) =>
    host.run({ target_doctype: meta.name, ...identity, ...request } as RunRequest);

  function publish(): void {
    const shown: DocData = synced === intent.data ? engineDoc : { ...engineDoc, ...changedValuesShown(synced, intent.data) };
    const dirty = Object.keys(intent.delta.values).length > 0 || Object.keys(intent.delta.tables).length > 0;
    const prev = snapshot;
    // Read-only by workflow state (`allow_edit`): the user may only take a transition, so every field shows read-only.
    const shownStates = workflow && !workflow.allowEdit ? lockedStates(states) : states;
    const fields = buildSlices(meta, shown, shownStates, issues, prev?.fields);
    // Actions depend on little of the document: recomputed only when that part changes (not per keystroke).
    const actionKey = `${name}|${String(shown.docstatus)}|${dirty}|${String(shown.owner)}|${workflow ? workflow.actions.join('\u0000') + workflow.allowEdit : ''}`;
    if (actionKey !== lastActionKey) {
      lastActionKey = actionKey;
      lastActions = documentActions(meta, shown, permUser, {
        isNew: name === null, dirty,
        ...(workflow ? { workflowActions: workflow.actions, workflowAllowsEdit: workflow.allowEdit } : {}),
      });
    }
    const actions = lastActions;
    snapshot = Object.freeze({
      doctype: meta.name, name, doc: shown, original, delta: edit?.delta ?? {}, states: shownStates, fields, issues,
      state: (status === 'pristine' || status === 'saved') && dirty ? 'dirty' : status === 'dirty' && !dirty ? 'pristine' : status, dirty,
      actions: prev && sameList(prev.actions, actions) ? prev.actions : Object.freeze(actions),
      canUndo: undoStack.length > 0, canRedo: redoStack.length > 0, error, conflict,
    });
    for (const l of [...listeners]) l();
  }

  function changedValuesShown(before: DocData, after: DocData): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(after)) if (before[key] !== after[key]) out[key] = after[key];
    return out;
  }

  function failed(rec: RunRecord): never {
    error = rec.error;
    if (rec.error?.issues.length) issues = rec.error.issues;
    throw new FormRunError(rec);
  }

  /** Take a draft run's answer. */
  function absorb(rec: RunRecord): void {
    const m = rec.output?.meta as unknown as DraftMeta | undefined;
    engineDoc = rec.output?.data[0] ?? engineDoc;
    if (m) {
      states = m.states;
      issues = m.issues;
      edit = m.edit;
      editId = m.edit.id;
      if (status !== 'conflict' && status !== 'failed') status = m.edit.state === 'saving' ? 'saving' : m.edit.state;
    }
  }

  async function refreshWorkflow(): Promise<void> {
    workflow = host.workflowFor && name !== null ? await host.workflowFor(meta.name, engineDoc, user) : undefined;
  }

  /** Open (or re-open) the edit on the stored document, or on a new one. */
  async function open(values?: Readonly<Record<string, unknown>>): Promise<void> {
    const rec = name === null
      ? await run({ operation: 'create', input: { data: { ...(values ?? {}) } }, options: { draft: true } })
      : await run({ operation: 'update', input: { data: { name } }, options: { draft: true } });
    if (!rec.success) failed(rec);
    status = 'pristine';
    error = null;
    conflict = null;
    absorb(rec);
    original = engineDoc;
    intent = loadDoc(meta, engineDoc, { getDoctype, ids });
    synced = intent.data;
    undoStack.length = 0;
    redoStack.length = 0;
    await refreshWorkflow();
    publish();
  }

  /** Send what changed in the intent since the last sync as one draft step. */
  async function sync(): Promise<void> {
    const target = intent.data;
    if (target === synced) return;
    const change = changedValues(meta, synced, target);
    const rec = await run({ operation: name === null ? 'create' : 'update', parent_run_id: editId, input: { data: change }, options: { draft: true } });
    synced = target;
    if (!rec.success) {
      error = rec.error;
      publish();
      return;
    }
    error = null;
    absorb(rec);
    publish();
  }

  function change(next: Doc): Promise<void> {
    if (next === intent) return Promise.resolve();
    undoStack.push(intent);
    redoStack.length = 0;
    intent = next;
    if (status === 'saved' || status === 'pristine') status = 'dirty';
    publish();
    return enqueue(sync);
  }

  /** Undo / redo: move to the document on top of `from`, keeping the current one on `to`. */
  function step(from: Doc[], to: Doc[]): Promise<void> {
    const target = from.pop();
    if (!target) return Promise.resolve();
    to.push(intent);
    intent = target;
    publish();
    return enqueue(sync);
  }

  const rowOpts = () => ({ user: permUser, clock, ids, getDoctype });

  async function lifecycle(request: Omit<RunRequest, 'target_doctype'>, reopen: (rec: RunRecord) => Promise<void>): Promise<RunRecord> {
    const rec = await run(request);
    if (!rec.success) {
      error = rec.error;
      if (rec.error?.issues.length) issues = rec.error.issues;
      publish();
      throw new FormRunError(rec);
    }
    await reopen(rec);
    return rec;
  }

  async function saveNow(modified?: string): Promise<RunRecord> {
    await sync();
    const prior = status;
    status = 'saving';
    publish();
    const rec = await run({
      operation: name === null ? 'create' : 'update', parent_run_id: editId,
      input: { data: modified ? { modified } : {} },
    });
    if (!rec.success) {
      status = prior === 'saving' ? 'failed' : 'failed';
      error = rec.error;
      if (rec.error?.issues.length) issues = rec.error.issues;
      if (rec.error?.code === 'TIMESTAMP_MISMATCH' && name !== null) {
        const theirs = await run({ operation: 'takeone', source_doctype: meta.name, input: { data: { name } } });
        if (theirs.success && theirs.output?.data[0]) {
          status = 'conflict';
          conflict = { theirs: theirs.output.data[0] };
        }
      }
      publish();
      throw new FormRunError(rec);
    }
    name = rec.docname ?? name;
    await open();
    status = 'saved';
    publish();
    return rec;
  }

  const controller: FormController = {
    getSnapshot: () => snapshot!,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    field: (fieldname) => snapshot?.fields[fieldname],
    set: (fieldname, value) => attempt(() => change(setValues(intent, { [fieldname]: value }))),
    setValues: (values) => attempt(() => change(setValues(intent, values))),
    setRow: (table, rowName, fieldname, value) => attempt(() => change(setRowValue(intent, table, rowName, fieldname, value))),
    async addRow(table, values = {}) {
      const next = addRow(intent, table, values, rowOpts());
      const rows = next.data[table] as readonly DocData[];
      await change(next);
      return String(rows[rows.length - 1]!.name);
    },
    removeRow: (table, rowName) => attempt(() => change(removeRow(intent, table, rowName))),
    moveRow: (table, rowName, toIndex) => attempt(() => change(moveRow(intent, table, rowName, toIndex))),
    undo: () => step(undoStack, redoStack),
    redo: () => step(redoStack, undoStack),
    discard: () => enqueue(() => open(name === null ? options.values : undefined)),
    reload: () => enqueue(() => open()),
    overwrite: () => enqueue(async () => {
      const theirs = conflict?.theirs.modified;
      if (typeof theirs !== 'string') throw new Error('overwrite() needs a conflict (a stale save) first');
      return saveNow(theirs);
    }),
    save: () => enqueue(() => saveNow()),
    submit: () => enqueue(async () => {
      if (name === null || intent.data !== synced || status === 'dirty') await saveNow();
      return lifecycle({ operation: 'submit', input: { data: { name } } }, () => open());
    }),
    cancel: () => enqueue(() => lifecycle({ operation: 'cancel', input: { data: { name } } }, () => open())),
    amend: () => enqueue(() => lifecycle({ operation: 'amend', input: { data: { name } } }, async (rec) => {
      name = rec.docname ?? String(rec.output?.data[0]?.name);
      await open();
    })),
    delete: () => enqueue(() => lifecycle({ operation: 'delete', input: { data: { name } } }, async () => {
      status = 'deleted';
      publish();
    })),
    applyWorkflow: (action) => enqueue(async () => {
      if (intent.data !== synced || status === 'dirty') await saveNow();
      return lifecycle({ operation: 'apply_workflow', input: { data: { name }, action } }, () => open());
    }),
    settled: () => queue.then(() => undefined),
  };

  await open(options.values);
  return controller;
}

const locked = new WeakMap<FormState, FormState>();

/** The same states with every field and row field read-only (memoised per states object, so slices stay stable). */
function lockedStates(states: FormState): FormState {
  let out = locked.get(states);
  if (!out) {
    const lock = (s: FieldState): FieldState => (s.readOnly ? s : fieldState(s.visible, s.mandatory, true, s.collapsed));
    const lockAll = (m: Readonly<Record<string, FieldState>>) => Object.fromEntries(Object.entries(m).map(([k, s]) => [k, lock(s)]));
    out = Object.freeze({
      fields: lockAll(states.fields),
      rows: Object.fromEntries(Object.entries(states.rows).map(([t, rows]) => [t, Object.fromEntries(Object.entries(rows).map(([r, m]) => [r, lockAll(m)]))])),
      issues: states.issues,
    });
    locked.set(states, out);
  }
  return out;
}

/** A document-layer refusal (unknown field, row...) as a rejected promise, like every other failure. */
function attempt<T>(f: () => Promise<T>): Promise<T> {
  try {
    return f();
  } catch (e) {
    return Promise.reject(e);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
