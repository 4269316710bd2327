/**
 * Judging findings in the context of a whole bench (several apps loaded together, as a site holds them).
 *
 * Two findings are only certain when one looks at part of the bench, so they become warnings when the bench
 * says otherwise:
 * - **a child table shared by several parents** reading `parent.x` where only *some* parents have `x`:
 *   ERPNext does this on purpose (Item Default reads `parent.enable_deferred_expense`, which Item has and
 *   Brand does not): under the other parents Desk reads `undefined` and the field stays hidden. It stays an
 *   error when *no* parent has the field.
 * - **a `fetch_from` into a DocType of another app** naming a field that DocType lacks: apps add fields to
 *   other apps' DocTypes as Custom Fields at install (HRMS's `after_install` adds `Employee.grade`,
 *   `Company.default_expense_claim_payable_account`... in `hrms/setup.py`), which DocType JSON does not show.
 *   A field missing from a DocType of the *same* app stays an error.
 *
 * @module
 */
import type { Registry } from '../schema/registry';
import type { RawFinding } from './checks';

const PARENT_FIELD = /parent DocType "([^"]+)" has no field "([^"]+)"/;

function hasField(registry: Registry, doctype: string, fieldname: string): boolean {
  return registry.tryGet(doctype)?.fields.some((df) => df.fieldname === fieldname) ?? false;
}

/** A `parent.x` finding on a shared child table where another parent has `x`: a warning. */
function sharedParent(f: RawFinding, registry: Registry): RawFinding {
  const m = PARENT_FIELD.exec(f.message);
  if (!m) return f;
  const [, parent, field] = m as unknown as [string, string, string];
  const others = registry.parentsOf(f.doctype).map((p) => p.parent.name).filter((n) => n !== parent && hasField(registry, n, field));
  if (others.length === 0) return f;
  return {
    ...f, severity: 'warning',
    message: `${f.message} (the child table is shared: ${others.map((o) => JSON.stringify(o)).join(', ')} ${others.length === 1 ? 'has' : 'have'} it; under "${parent}" Desk reads undefined)`,
  };
}

/** A `fetch_from` into another app's DocType naming a field it lacks: a warning (a Custom Field at install). */
function crossAppFetch(f: RawFinding, registry: Registry, apps: ReadonlyMap<string, string>): RawFinding {
  if (f.field === undefined) return f;
  const df = registry.tryGet(f.doctype)?.fields.find((x) => x.fieldname === f.field);
  const [link, source] = (df?.fetch_from ?? '').split('.', 2);
  if (!df || !link || !source) return f;
  const linkDf = registry.tryGet(f.doctype)?.fields.find((x) => x.fieldname === link);
  const target = linkDf?.fieldtype === 'Link' ? linkDf.options : undefined;
  if (!target || !registry.has(target) || hasField(registry, target, source)) return f;
  const own = apps.get(f.doctype);
  const theirs = apps.get(target);
  if (own === undefined || theirs === undefined || own === theirs) return f;
  return {
    ...f, severity: 'warning',
    message: `${f.message} ("${target}" belongs to app ${theirs}; app ${own} may add the field as a Custom Field at install)`,
  };
}

/**
 * Adjust findings to what the whole bench shows (see the module comment).
 * @param raw - findings of `lintRegistry`
 * @param registry - every DocType of the bench
 * @param apps - DocType name -> app; without it, only the shared-parent rule applies
 * @returns the findings, some downgraded to warnings with the reason in the message
 */
export function inBenchContext(raw: readonly RawFinding[], registry: Registry, apps: ReadonlyMap<string, string> | undefined): RawFinding[] {
  return raw.map((f) => {
    if (f.code === 'UNKNOWN_FIELD_REFERENCE') return sharedParent(f, registry);
    if (f.code === 'BAD_FETCH_FROM' && apps) return crossAppFetch(f, registry, apps);
    return f;
  });
}
