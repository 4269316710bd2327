/**
 * The controllers an engine was given (`createEngine({ controllers })`), checked and indexed once: per DocType and
 * hook, in registration order, `'*'` hooks after the DocType's own (Frappe's `doc_events` order). Unknown hook
 * names fail at `createEngine` with a suggestion; DocTypes Frappe names "By script" with no `autoname` hook here
 * are reported as diagnostics.
 */
import { CoworkerError } from '../errors';
import type { Registry } from '../schema/registry';
import { HOOK_NAMES, type Controller, type Controllers, type EngineDiagnostic, type Hook, type HookName } from './lifecycle';

interface RegisteredHook {
  readonly fn: Hook;
  readonly source: string;
}

/** Controllers checked and indexed by `createEngine`. */
export interface ControllerSet {
  /** Hooks for one DocType and hook name: the DocType's own, then `'*'`'s. */
  hooksFor(doctype: string, hook: HookName): readonly RegisteredHook[];
  /** Whether any controller applies to the DocType. */
  has(doctype: string): boolean;
  readonly diagnostics: readonly EngineDiagnostic[];
}

const HOOK_SET: ReadonlySet<string> = new Set(HOOK_NAMES);
const NO_HOOKS: readonly RegisteredHook[] = Object.freeze([]);

function suggestion(key: string): string {
  const plain = key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const close = HOOK_NAMES.find((h) => h === plain || h.replace(/_/g, '') === plain.replace(/_/g, ''));
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * Check and index the `controllers` option (at `createEngine`: bad configuration never waits for a run).
 * @param input - the option
 * @param registry - the engine's DocTypes
 * @returns the indexed controllers and the naming diagnostics
 * @throws {CoworkerError} `ENGINE_CONFIG` for an unknown DocType, a child DocType, an unknown hook name or a
 *   hook that is not a function
 */
export function compileControllers(input: Controllers | undefined, registry: Registry): ControllerSet {
  const byDoctype = new Map<string, Map<HookName, RegisteredHook[]>>();
  for (const [doctype, value] of Object.entries(input ?? {})) {
    if (doctype !== '*') {
      const dt = registry.tryGet(doctype);
      if (!dt) throw new CoworkerError('ENGINE_CONFIG', `controllers: "${doctype}" is not a DocType of this engine`);
      if (dt.istable === 1) {
        throw new CoworkerError('ENGINE_CONFIG', `controllers: "${doctype}" is a child DocType; Frappe runs no lifecycle hooks on rows (only naming: before_naming, autoname): put row logic in the parent's controller`);
      }
    }
    const list = Array.isArray(value) ? (value as readonly Controller[]) : [value as Controller];
    const hooks = new Map<HookName, RegisteredHook[]>();
    list.forEach((controller, i) => {
      if (typeof controller !== 'object' || controller === null) {
        throw new CoworkerError('ENGINE_CONFIG', `controllers["${doctype}"]${Array.isArray(value) ? `[${i}]` : ''} must be an object of hooks`);
      }
      const source = typeof controller.name === 'string' && controller.name ? controller.name : `${doctype}#${i + 1}`;
      for (const [key, fn] of Object.entries(controller)) {
        if (key === 'name') continue;
        if (!HOOK_SET.has(key)) throw new CoworkerError('ENGINE_CONFIG', `controllers["${doctype}"]: "${key}" is not a Frappe hook${suggestion(key)}; hooks are ${HOOK_NAMES.join(', ')}`);
        if (typeof fn !== 'function') throw new CoworkerError('ENGINE_CONFIG', `controllers["${doctype}"].${key} must be a function`);
        const at = hooks.get(key as HookName) ?? [];
        at.push({ fn: fn as Hook, source });
        hooks.set(key as HookName, at);
      }
    });
    byDoctype.set(doctype, hooks);
  }
  const star = byDoctype.get('*');
  const cache = new Map<string, readonly RegisteredHook[]>();
  const set: ControllerSet = {
    hooksFor(doctype, hook) {
      const key = `${doctype}\u0000${hook}`;
      let found = cache.get(key);
      if (!found) {
        const own = byDoctype.get(doctype)?.get(hook) ?? [];
        const all = registry.tryGet(doctype)?.istable === 1 ? [] : (star?.get(hook) ?? []);
        found = own.length + all.length ? Object.freeze([...own, ...all]) : NO_HOOKS;
        cache.set(key, found);
      }
      return found;
    },
    has: (doctype) => (byDoctype.has(doctype) && doctype !== '*') || (star !== undefined && registry.tryGet(doctype)?.istable !== 1),
    diagnostics: [],
  };
  return { ...set, diagnostics: namingDiagnostics(registry, set) };
}

/**
 * DocTypes Frappe names in their controller (`autoname` empty, or naming rule "By script": Account, Address,
 * Cost Center, Warehouse...) that have no `autoname` hook here: each would silently get a random hash.
 */
function namingDiagnostics(registry: Registry, set: ControllerSet): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  for (const dt of registry.list()) {
    if (dt.istable === 1 || dt.issingle === 1 || dt.is_virtual === 1) continue;
    const byScript = dt.naming_rule === 'By script' || (!(dt.autoname ?? '').trim() && !['Random', 'Autoincrement', 'UUID'].includes(dt.naming_rule ?? ''));
    if (!byScript || set.hooksFor(dt.name, 'autoname').length) continue;
    out.push(Object.freeze({
      code: 'NAMING_BY_SCRIPT', severity: 'warning', doctype: dt.name,
      message: `${dt.name} has no autoname rule (Frappe's controller names it, "By script") and no autoname hook here: its documents will be named by a random hash`,
    }));
  }
  return out;
}
