/**
 * Operation names: the built-ins, their aliases, and resolution of what a caller wrote to a canonical name.
 *
 * @module
 */
import type { BuiltinOperation } from './types';

/** The built-in operations. */
export const BUILTIN_OPERATIONS: readonly BuiltinOperation[] = Object.freeze([
  'select', 'takeone', 'create', 'update', 'upsert', 'delete', 'submit', 'cancel', 'amend', 'share', 'unshare',
  'rename', 'copy',
]);

/** Operations that read; the others write. */
export const READ_OPERATIONS: ReadonlySet<string> = new Set(['select', 'takeone', 'copy']);

/** Built-in aliases (case-insensitive), alias -> canonical. */
export const DEFAULT_ALIASES: Readonly<Record<string, BuiltinOperation>> = Object.freeze({
  read: 'select', list: 'select', query: 'select', find: 'select', get_list: 'select',
  get: 'takeone', one: 'takeone', takeOne: 'takeone', get_doc: 'takeone', findone: 'takeone',
  insert: 'create', new: 'create', add: 'create',
  save: 'update', edit: 'update', write: 'update', set: 'update',
  put: 'upsert', merge: 'upsert',
  remove: 'delete', destroy: 'delete', trash: 'delete',
  rename_doc: 'rename', copy_doc: 'copy', duplicate: 'copy',
});

const BUILTIN = new Set<string>(BUILTIN_OPERATIONS);

/** Whether a name is a built-in operation. */
export function isBuiltinOperation(name: string): name is BuiltinOperation {
  return BUILTIN.has(name);
}

/**
 * The canonical name of an operation: a built-in, a registered custom operation, or an alias of either.
 * Matching is exact first, then case-insensitive.
 * @param name - the operation as written
 * @param custom - names of registered custom operations
 * @param aliases - engine aliases (alias -> name), consulted before the built-in aliases
 * @returns the canonical name, or `undefined` when nothing matches
 */
export function resolveOperation(
  name: string,
  custom: ReadonlySet<string>,
  aliases: Readonly<Record<string, string>>,
): string | undefined {
  const known = (n: string) => BUILTIN.has(n) || custom.has(n);
  if (known(name)) return name;
  const lower = name.toLowerCase();
  if (known(lower)) return lower;
  for (const table of [aliases, DEFAULT_ALIASES as Readonly<Record<string, string>>]) {
    const target = Object.hasOwn(table, name) ? table[name] : lookupInsensitive(table, lower);
    if (target !== undefined && known(target)) return target;
  }
  return undefined;
}

function lookupInsensitive(table: Readonly<Record<string, string>>, lower: string): string | undefined {
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
