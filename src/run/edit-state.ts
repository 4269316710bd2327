/**
 * Edits: a document changed through draft runs before it is saved, and the explicit state machine each edit
 * follows (docs/edit-state.md).
 *
 * ```
 * pristine --change--> dirty --save--> saving --saved--> saved
 *                        ^                |  \--fail---> failed
 *                        |                |               | change / save (retry)
 *                        +---- change ----+---------------+
 * ```
 * A change that leaves nothing to save keeps `pristine`; `saving` accepts no change (one save at a time).
 *
 * @module
 */
import type { DocData } from '../doc/types';
import type { User } from '../env';
import { OK, refuse, type Verdict } from './codes';
import type { EditSnapshot, EditState, RunError } from './types';
import type { StorageSession } from '../storage/types';

/** What happens to an edit. */
export type EditEvent = 'change' | 'save' | 'saved' | 'fail';

const TABLE: Readonly<Record<EditState, Partial<Record<EditEvent, EditState>>>> = {
  pristine: { change: 'dirty', save: 'saving' },
  dirty: { change: 'dirty', save: 'saving' },
  saving: { saved: 'saved', fail: 'failed' },
  saved: { change: 'dirty', save: 'saving' },
  failed: { change: 'dirty', save: 'saving' },
};

/**
 * The next state of an edit (pure).
 * @param state - the current state
 * @param event - what happened
 * @returns the next state, or `undefined` when the event is not allowed in this state
 */
export function nextEditState(state: EditState, event: EditEvent): EditState | undefined {
  return TABLE[state][event];
}

/** An edit as the engine keeps it. */
export interface Edit extends EditSnapshot {
  /** The stored document (or the new document with defaults) the delta applies to. */
  readonly base: DocData;
}

/** Thrown by {@link EditStore.replace} when the edit changed since it was read (the step is retried). */
export class EditConflict extends Error {
  constructor(readonly id: string) {
    super(`Edit ${id} was changed by another run while this one worked on it`);
    this.name = 'EditConflict';
  }
}

/**
 * Where edits live: the engine's memory ({@link createEditStore}) or storage through the adapter (engine option
 * `state: 'storage'`, `shared-state.ts`). Every change is a compare-and-set against the edit as it was read, so
 * two runs continuing one edit at once (in one process or in several) never lose an update: the later one
 * fails {@link EditConflict} and is retried on the current edit.
 */
export interface EditStore {
  /** The edit, read now. `session` is the run's storage (a hook's child run reads inside its transaction). */
  get(id: string, session: StorageSession): Promise<Edit | undefined>;
  /** Keep a new edit. */
  open(edit: Edit, session: StorageSession): Promise<Edit>;
  /**
   * Replace `previous` (as read by this run) with `next`.
   * @param force - write even when someone changed it meanwhile (only the run holding a `saving` edit does)
   * @throws {EditConflict} when the edit is not `previous` any more
   */
  replace(previous: Edit, next: Edit, session: StorageSession, force?: boolean): Promise<Edit>;
  /** The edit as this process last read or wrote it (synchronous; `engine.edit()`). */
  peek(id: string): Edit | undefined;
}

/**
 * Create an in-memory edit store (one process).
 * @param max - edits kept (the oldest is dropped first) @default 1000
 * @returns the store
 */
export function createEditStore(max = 1000): EditStore {
  const edits = new Map<string, Edit>();
  const set = (edit: Edit): Edit => {
    if (!edits.has(edit.id)) while (edits.size >= max) edits.delete(edits.keys().next().value!);
    edits.set(edit.id, edit);
    return edit;
  };
  return {
    get: async (id) => edits.get(id),
    open: async (edit) => set(edit),
    async replace(previous, next, _session, force) {
      // Identity is the version here: every change stores a new frozen object.
      if (!force && edits.get(previous.id) !== previous) throw new EditConflict(previous.id);
      return set(next);
    },
    peek: (id) => edits.get(id),
  };
}

/**
 * The public view of an edit (without its base document).
 * @param edit - the edit
 * @returns a frozen snapshot
 */
export function editSnapshot(edit: Edit): EditSnapshot {
  const { base: _base, ...snapshot } = edit;
  return Object.freeze(snapshot);
}

/**
 * Only the user who opened an edit, acting through the same agent (or directly, when they opened it
 * directly), may continue, save or read it. Knowing an edit's id grants nothing.
 * @param edit - the edit a run names as `parent_run_id`
 * @param user - the run's user
 * @param agent - the run's agent
 * @returns the verdict (`PERMISSION_DENIED`)
 */
export function checkEditOwner(edit: EditSnapshot, user: User, agent: string | null): Verdict {
  if (edit.owner === user.name && edit.agent === agent) return OK;
  const who = agent ? `${user.name} (agent ${agent})` : user.name;
  return refuse('PERMISSION_DENIED', `Edit ${edit.id} belongs to another user: ${who} cannot use it`);
}

/** The `error` of an edit that failed. */
export type EditError = RunError | null;
