/**
 * `compileRules`: compile once per DocType everything the form and the validator need: every field's
 * conditions, fetch_from links, custom computed fields and validators, and the dependency graph.
 *
 * Problems in the DocType JSON (an expression coworker cannot run, a reference to a field that does not
 * exist, a fetch_from through a non-Link field) are *diagnostics*: the DocType still works, and the problem is
 * reported with DocType + field. Problems in code (a custom rule naming a missing field, a dependency cycle)
 * throw, because a developer must fix them.
 *
 * @module
 */
import { CoworkerError, ExpressionError } from '../errors';
import { compileCondition } from '../expr/condition';
import type { CompileOptions } from '../expr/compile';
import { CHILD_TABLE_FIELDNAMES, STANDARD_FIELDNAMES, TABLE_FIELDTYPES } from '../schema/fieldtypes';
import type { DocField, DocType } from '../schema/types';
import { buildValueGraph } from './graph';
import type {
  CompiledFieldCondition, CompiledRules, CustomRules, FieldRules, RuleDiagnostic,
} from './types';

/** Resolves child DocTypes by name (a registry satisfies it). */
export interface DoctypeLookup {
  tryGet(name: string): DocType | undefined;
}

/** The four condition properties of a DocField, in the order Frappe's layout applies them. */
export const CONDITION_PROPERTIES = ['depends_on', 'mandatory_depends_on', 'read_only_depends_on', 'collapsible_depends_on'] as const;
export type ConditionProperty = (typeof CONDITION_PROPERTIES)[number];

/** Keys every document has besides its fields (standard columns and Desk's private flags). */
const IMPLICIT_KEYS = new Set<string>([
  ...STANDARD_FIELDNAMES, ...CHILD_TABLE_FIELDNAMES, 'doctype', '__islocal', '__unsaved', '__onload', '__newname',
  'amended_from', '_user_tags', '_comments', '_assign', '_liked_by', '_seen', 'name',
]);

const EMPTY_RULES: CustomRules = Object.freeze({});
const cache = new WeakMap<DocType, WeakMap<DoctypeLookup, WeakMap<CustomRules, CompiledRules>>>();

/**
 * Compile the rules of a DocType and, through `lookup`, of its child tables. Cached by identity of
 * (doctype, lookup, custom): compiling the same DocType twice returns the same object.
 *
 * @param doctype a normalised DocType (from `parseDoctype` / a registry)
 * @param lookup resolves child DocTypes named by Table fields (a registry)
 * @param custom computed fields and validators registered in code for this DocType (child-row rules carry `table`)
 * @param expr expression limits for every condition (the engine's `expressionBudget`); given, the result is not
 *   cached here (the engine keeps its own per-DocType cache) @default the expression defaults
 * @throws RulesCycleError when computed fields / fetch_from form a cycle; CoworkerError `RULES_INVALID` when a custom rule names an unknown field or table
 */
export function compileRules(doctype: DocType, lookup: DoctypeLookup, custom: CustomRules = EMPTY_RULES, expr?: CompileOptions): CompiledRules {
  if (expr !== undefined) return compileFresh(doctype, lookup, custom, undefined, expr);
  let byLookup = cache.get(doctype);
  if (!byLookup) cache.set(doctype, (byLookup = new WeakMap()));
  let byCustom = byLookup.get(lookup);
  if (!byCustom) byLookup.set(lookup, (byCustom = new WeakMap()));
  let rules = byCustom.get(custom);
  if (!rules) byCustom.set(custom, (rules = compileFresh(doctype, lookup, custom, undefined)));
  return rules;
}

interface ParentInfo {
  readonly doctype: DocType;
  readonly table: string;
}

function compileFresh(doctype: DocType, lookup: DoctypeLookup, custom: CustomRules, parent: ParentInfo | undefined, expr?: CompileOptions): CompiledRules {
  const diagnostics: RuleDiagnostic[] = [];
  const byName = new Map(doctype.fields.map((df) => [df.fieldname, df] as const));
  const parentByName = parent ? new Map(parent.doctype.fields.map((df) => [df.fieldname, df] as const)) : byName;
  const diag = (d: Omit<RuleDiagnostic, 'doctype'>) => diagnostics.push(Object.freeze({ doctype: doctype.name, ...d }));

  // Custom rules split: those for this level, and those for each child table.
  const ownComputed = (custom.computed ?? []).filter((c) => (parent ? c.table === parent.table : !c.table));
  const ownValidators = (custom.validators ?? []).filter((v) => (parent ? v.table === parent.table : !v.table));
  if (!parent) checkCustomRules(doctype, byName, lookup, custom);

  // 1. Per-field conditions and fetch_from.
  const fields = new Map<string, FieldRules>();
  const stateReaders = new Map<string, string[]>();
  const parentReaders = new Map<string, string[]>();
  const wildcardReaders: string[] = [];
  const addReader = (map: Map<string, string[]>, key: string, field: string) => {
    const list = map.get(key);
    if (!list) map.set(key, [field]);
    else if (!list.includes(field)) list.push(field);
  };

  for (const df of doctype.fields) {
    const compiled: Partial<Record<ConditionProperty, CompiledFieldCondition>> = {};
    const inputs = new Set<string>();
    for (const prop of CONDITION_PROPERTIES) {
      const source = df[prop];
      if (source === undefined || source === '') continue;
      let cond: CompiledFieldCondition;
      try {
        cond = compileCondition(source, expr);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        diag({ code: e.code === 'EXPR_RUNTIME' ? 'EXPR_UNSUPPORTED' : e.code, field: df.fieldname, property: prop, message: e.description, expression: source, ...(e.index === undefined ? {} : { index: e.index }) });
        continue;
      }
      compiled[prop] = cond;
      for (const ref of cond.references) {
        // At top level Desk passes the document as `parent` too (`frappe/public/js/frappe/form/layout.js`), so parent.x is x.
        const isParentRef = ref.startsWith('parent.');
        const key = isParentRef ? ref.slice('parent.'.length) : ref;
        if (key === '*') {
          if (!isParentRef || !parent) wildcardReaders.includes(df.fieldname) || wildcardReaders.push(df.fieldname);
          else addReader(parentReaders, '*', df.fieldname);
          continue;
        }
        const scopeFields = isParentRef ? parentByName : byName;
        // A plain-fieldname condition is one key even with dots in it (Frappe reads doc["a.b"]).
        const plainFieldname = !source.startsWith('eval:');
        const topKey = plainFieldname ? key : key.split('.')[0]!;
        if (!scopeFields.has(topKey) && !IMPLICIT_KEYS.has(topKey)) {
          const where = isParentRef ? `parent DocType "${(parent ?? { doctype }).doctype.name}"` : `DocType "${doctype.name}"`;
          const message = plainFieldname && key.includes('.')
            ? `"${source}" has no "eval:" prefix, so Frappe reads it as the field "${key}", which ${where} does not have (always false)`
            : `${where} has no field "${topKey}"`;
          diag({ code: 'UNKNOWN_FIELD_REFERENCE', field: df.fieldname, property: prop, expression: source, message });
        }
        if (isParentRef && parent) addReader(parentReaders, topKey, df.fieldname);
        else {
          inputs.add(topKey);
          addReader(stateReaders, topKey, df.fieldname);
        }
      }
    }
    let fetch: FieldRules['fetch'];
    if (df.fetch_from) {
      fetch = compileFetch(df, byName, lookup, diag);
      // A field fetched from a link shows read-only while the link has a value (`frappe/public/js/frappe/form/controls/link.js`): its state reads the link.
      if (fetch) {
        inputs.add(fetch.link);
        addReader(stateReaders, fetch.link, df.fieldname);
      }
    }
    fields.set(df.fieldname, Object.freeze({ df, ...compiled, ...(fetch ? { fetch } : {}), stateInputs: Object.freeze([...inputs]) }));
  }

  // 2. Child tables: compiled in the context of this parent (their rows read parent.*).
  const tables = new Map<string, CompiledRules>();
  if (!parent) {
    for (const df of doctype.fields) {
      if (!TABLE_FIELDTYPES.has(df.fieldtype)) continue;
      const child = df.options ? lookup.tryGet(df.options) : undefined;
      if (!child) {
        diag({ code: 'UNKNOWN_CHILD_TABLE', field: df.fieldname, property: 'options', message: `child DocType "${df.options}" is not registered` });
        continue;
      }
      tables.set(df.fieldname, compileFresh(child, lookup, custom, { doctype, table: df.fieldname }, expr));
    }
  }

  // 3. The value graph: computed inputs and fetch links. Child nodes are `<table>.<field>`.
  const nodes = new Set<string>();
  const edges: Array<[string, string]> = [];
  for (const df of doctype.fields) if (df.fieldclass !== 'display') nodes.add(df.fieldname);
  for (const rule of fields.values()) if (rule.fetch) edges.push([rule.fetch.link, rule.df.fieldname]);
  for (const c of ownComputed) {
    for (const input of c.inputs) {
      const from = parent && input.startsWith('parent.') ? undefined : input;
      if (from) edges.push([from, c.field]);
    }
  }
  for (const [table, childRules] of tables) {
    // A parent computed from `items.amount` depends on the child's value node, so the child's order is merged in.
    for (const node of childRules.order) nodes.add(`${table}.${node}`);
    for (const [from, tos] of childRules.dependents) for (const to of tos) edges.push([`${table}.${from}`, `${table}.${to}`]);
    for (const c of (custom.computed ?? []).filter((x) => x.table === table)) {
      for (const input of c.inputs) if (input.startsWith('parent.')) edges.push([input.slice('parent.'.length), `${table}.${c.field}`]);
    }
  }
  for (const [from] of edges) nodes.add(from);
  const graph = buildValueGraph(doctype.name, [...nodes], edges);
  const position = new Map(graph.order.map((n, i) => [n, i] as const));
  const computedInOrder = [...ownComputed].sort((a, b) => (position.get(a.field) ?? 0) - (position.get(b.field) ?? 0));

  return Object.freeze({
    doctype,
    fields,
    order: Object.freeze(graph.order),
    dependents: graph.dependents,
    stateReaders,
    wildcardReaders: Object.freeze(wildcardReaders),
    tables,
    parentReaders,
    computed: Object.freeze(computedInOrder),
    validators: Object.freeze([...ownValidators]),
    diagnostics: Object.freeze([...diagnostics, ...[...tables.values()].flatMap((t) => t.diagnostics)]),
  });
}

function compileFetch(
  df: DocField,
  byName: ReadonlyMap<string, DocField>,
  lookup: DoctypeLookup,
  diag: (d: Omit<RuleDiagnostic, 'doctype'>) => void,
): FieldRules['fetch'] {
  const spec = df.fetch_from!;
  const dot = spec.indexOf('.');
  if (dot <= 0 || dot === spec.length - 1) {
    diag({ code: 'BAD_FETCH_FROM', field: df.fieldname, property: 'fetch_from', message: `fetch_from "${spec}" is not <link_field>.<source_field>` });
    return undefined;
  }
  const link = spec.slice(0, dot);
  // Frappe takes the source field after the *last* dot (`frappe/model/base_document.py`).
  const source = spec.slice(spec.lastIndexOf('.') + 1);
  const linkDf = byName.get(link);
  if (!linkDf || (linkDf.fieldtype !== 'Link' && linkDf.fieldtype !== 'Dynamic Link')) {
    diag({ code: 'BAD_FETCH_FROM', field: df.fieldname, property: 'fetch_from', message: linkDf ? `fetch_from "${spec}": "${link}" is a ${linkDf.fieldtype} field, not a Link` : `fetch_from "${spec}": no field "${link}"` });
    return undefined;
  }
  if (linkDf.fieldtype === 'Link' && linkDf.options) {
    const target = lookup.tryGet(linkDf.options);
    if (target && !target.fields.some((f) => f.fieldname === source) && !(STANDARD_FIELDNAMES as readonly string[]).includes(source)) {
      diag({ code: 'BAD_FETCH_FROM', field: df.fieldname, property: 'fetch_from', message: `fetch_from "${spec}": DocType "${target.name}" has no field "${source}"` });
    }
  }
  return Object.freeze({ link, source, ifEmpty: df.fetch_if_empty === 1 });
}

/** Custom rules are code: a rule naming a field or table that does not exist is a developer error, thrown. */
function checkCustomRules(doctype: DocType, byName: ReadonlyMap<string, DocField>, lookup: DoctypeLookup, custom: CustomRules): void {
  const problems: string[] = [];
  const fieldsOf = (table: string | undefined): ReadonlyMap<string, DocField> | undefined => {
    if (!table) return byName;
    const tdf = byName.get(table);
    if (!tdf || !TABLE_FIELDTYPES.has(tdf.fieldtype)) {
      problems.push(`"${table}" is not a Table field of ${doctype.name}`);
      return undefined;
    }
    const child = lookup.tryGet(tdf.options);
    return child ? new Map(child.fields.map((f) => [f.fieldname, f] as const)) : undefined;
  };
  const check = (kind: string, name: string, table: string | undefined, field: string | undefined, inputs: readonly string[]) => {
    const scope = fieldsOf(table);
    if (!scope) return;
    if (field !== undefined && !scope.has(field)) problems.push(`${kind} "${name}": no field "${field}"${table ? ` in table "${table}"` : ''}`);
    for (const input of inputs) {
      const [head, sub] = input.split('.', 2) as [string, string | undefined];
      if (head === 'parent' && table) {
        if (sub && !byName.has(sub) && !IMPLICIT_KEYS.has(sub)) problems.push(`${kind} "${name}": input "${input}": no field "${sub}" in ${doctype.name}`);
      } else if (!scope.has(head) && !IMPLICIT_KEYS.has(head)) {
        problems.push(`${kind} "${name}": input "${input}": no field "${head}"`);
      } else if (sub && !table) {
        const childScope = fieldsOf(head);
        if (childScope && !childScope.has(sub)) problems.push(`${kind} "${name}": input "${input}": no field "${sub}" in table "${head}"`);
      }
    }
  };
  for (const c of custom.computed ?? []) check('computed field', c.field, c.table, c.field, c.inputs);
  for (const v of custom.validators ?? []) check('validator', v.name, v.table, v.field, v.inputs);
  if (problems.length) {
    throw new CoworkerError('RULES_INVALID', `Custom rules for DocType "${doctype.name}":\n  - ${problems.join('\n  - ')}`);
  }
}
