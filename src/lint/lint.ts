/**
 * The lint engine: every check over a registry of DocTypes, as plain findings. Browser-safe and pure: the
 * Node CLI loads files into a registry and calls {@link lintRegistry}; code can do the same with its own
 * registry.
 *
 * It reuses the other layers' own diagnostics rather than re-deriving them: `registry.check()` (child tables,
 * duplicate fieldnames, field_order) and `compileRules(...).diagnostics` (expressions, field references,
 * fetch_from), then adds what no layer checks (defaults, `&` / `|`, cycles as findings instead of throws).
 *
 * @module
 */
import { compileRules } from '../rules/compile';
import { RulesCycleError } from '../rules/graph';
import type { RuleDiagnostic } from '../rules/types';
import type { Registry, SchemaDiagnostic } from '../schema/registry';
import type { DocType } from '../schema/types';
import { inBenchContext } from './bench';
import { fieldFindings, type RawFinding } from './checks';
import { LINT_CODES, type LintCode } from './codes';
import type { LintFinding } from './types';

/** Options of {@link lintRegistry}. */
export interface LintOptions {
  /**
   * The file of each DocType (DocType name -> file), used as `finding.file`.
   * @default none: the DocType name stands in for the file
   */
  readonly files?: ReadonlyMap<string, string>;
  /**
   * The app of each DocType (DocType name -> app), when several apps are linted together as one bench. A
   * `fetch_from` into another app's DocType naming a field it lacks is then a warning, not an error: apps add
   * fields to each other's DocTypes as Custom Fields at install, which DocType JSON does not show.
   * @default none
   */
  readonly apps?: ReadonlyMap<string, string>;
}

/** registry.check() codes, by our lint code. */
function schemaCode(d: SchemaDiagnostic): LintCode {
  if (d.code === 'SCHEMA_CHILD_TABLE') return d.reason === 'child_not_istable' ? 'TABLE_NOT_CHILD' : 'UNKNOWN_CHILD_TABLE';
  if (d.code === 'duplicate_fieldname') return 'DUPLICATE_FIELDNAME';
  if (d.code === 'unknown_field_order_entry') return 'UNKNOWN_FIELD_ORDER_ENTRY';
  return 'SCHEMA_WARNING';
}

function fromSchema(d: SchemaDiagnostic): RawFinding {
  const code = schemaCode(d);
  // The duplicate warning names the field only in its message ('fieldname "x" is already used by ...').
  const field = d.fieldname ?? (code === 'DUPLICATE_FIELDNAME' ? /fieldname "([^"]*)"/.exec(d.message)?.[1] : undefined);
  return { doctype: d.doctype, field, code, message: d.message, ...(code === 'TABLE_NOT_CHILD' || code === 'UNKNOWN_CHILD_TABLE' ? { property: 'options' } : {}) };
}

function fromRules(d: RuleDiagnostic): RawFinding | undefined {
  // Covered by registry.check() (which also tells a missing child from a non-child one); custom rules are code.
  if (d.code === 'UNKNOWN_CHILD_TABLE' || d.code === 'BAD_CUSTOM_RULE') return undefined;
  const where = d.expression === undefined ? '' : ` in ${JSON.stringify(d.expression)}${d.index === undefined ? '' : ` at character ${d.index}`}`;
  return {
    doctype: d.doctype, field: d.field, code: d.code, property: d.property,
    message: `${d.property}: ${d.message}${d.expression !== undefined && d.message.includes(d.expression) ? '' : where}`,
    ...(d.expression === undefined ? {} : { expression: d.expression }),
    ...(d.index === undefined ? {} : { index: d.index }),
  };
}

/** Rules diagnostics of one DocType compiled at top level; cycles become findings. */
function compileFindings(doctype: DocType, registry: Registry): RawFinding[] {
  try {
    return compileRules(doctype, registry).diagnostics.flatMap((d) => fromRules(d) ?? []);
  } catch (e) {
    if (!(e instanceof RulesCycleError)) throw e;
    return [{ doctype: e.doctype, field: e.cycle[0], code: 'FETCH_CYCLE', property: 'fetch_from', message: `values are fetched / computed in a cycle: ${e.cycle.join(' -> ')}` }];
  }
}

/**
 * Lint every DocType of a registry.
 *
 * Child tables are checked in the context of each parent that uses them (their `parent.*` reads resolve
 * against that parent); a child table no DocType uses is checked alone, without judging its `parent.*` reads.
 * A `parent.x` read that only some parents of a shared child table satisfy is a warning (see `bench.ts`).
 *
 * @example
 * const registry = createRegistry(jsons, { duplicateFieldnames: 'last-wins' });
 * lintRegistry(registry, { files: new Map([['ToDo', 'todo/todo.json']]) });
 * // [{ file: 'todo/todo.json', doctype: 'ToDo', field: 'status', code: 'SELECT_DEFAULT_NOT_IN_OPTIONS', ... }]
 * @param registry - the DocTypes (load with `duplicateFieldnames: 'last-wins'` to lint files that repeat a fieldname)
 * @param options - see {@link LintOptions}
 * @returns findings sorted by file, DocType, field position, code
 */
export function lintRegistry(registry: Registry, options: LintOptions = {}): LintFinding[] {
  const raw: RawFinding[] = registry.check().map(fromSchema);
  for (const doctype of registry.list()) {
    raw.push(...fieldFindings(doctype));
    if (!doctype.istable) raw.push(...compileFindings(doctype, registry));
    else if (registry.parentsOf(doctype.name).length === 0) {
      // Alone, `parent` is the row itself (Desk's top-level rule), which says nothing about the real parents.
      raw.push(...compileFindings(doctype, registry).filter((f) => !(f.code === 'UNKNOWN_FIELD_REFERENCE' && f.message.includes(': parent DocType '))));
    }
  }
  return finalize(inBenchContext(raw, registry, options.apps), registry, options.files ?? new Map());
}

/** Attach file and severity, drop repeats (a child's own problems come once per parent), and sort. */
function finalize(raw: readonly RawFinding[], registry: Registry, files: ReadonlyMap<string, string>): LintFinding[] {
  const seen = new Set<string>();
  const out: LintFinding[] = [];
  for (const r of raw) {
    const key = JSON.stringify([r.doctype, r.field, r.code, r.property, r.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.freeze({ file: files.get(r.doctype) ?? r.doctype, ...r, severity: r.severity ?? LINT_CODES[r.code].severity }));
  }
  const position = (f: LintFinding): number => {
    if (f.field === undefined) return -1;
    return registry.tryGet(f.doctype)?.fields.findIndex((df) => df.fieldname === f.field) ?? -1;
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.file, b.file) || cmp(a.doctype, b.doctype) || position(a) - position(b) || cmp(a.code, b.code) || cmp(a.message, b.message));
}

/**
 * Merge findings from several sources (e.g. the folder loader's and {@link lintRegistry}'s) by file.
 * @param findings - findings, each source already in its own order
 * @returns a new array sorted by file; the sort is stable, so each file keeps the order its findings came in
 */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * One finding as a line: `file:field: CODE message` (`file:-:` for the DocType as a whole).
 * @param finding - a finding
 * @returns the line, without a newline
 */
export function formatFinding(finding: LintFinding): string {
  return `${finding.file}:${finding.field ?? '-'}: ${finding.code} ${finding.message}`;
}
