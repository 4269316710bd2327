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

/** A bounded map of edits by id. */
export interface EditStore {
  get(id: string): Edit | undefined;
  set(edit: Edit): void;
}

/**
 * Create an edit store.
 * @param max - edits kept (the oldest is dropped first) @default 1000
 * @returns the store
 */
export function createEditStore(max = 1000): EditStore {
  const edits = new Map<string, Edit>();
  return {
    get: (id) => edits.get(id),
    set(edit) {
      if (!edits.has(edit.id)) while (edits.size >= max) edits.delete(edits.keys().next().value!);
      edits.set(edit.id, edit);
    },
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
