/**
 * What `createEngine` checks before the first run: a problem in configuration (DocTypes, custom rules) is the
 * developer's to fix, so it fails `createEngine` with one typed error listing every problem, never a run
 * later as `INTERNAL` (a code reserved for bugs in coworker).
 *
 * Checked: every Table / Table MultiSelect field names a registered child DocType (`istable`), custom rules
 * name registered DocTypes and existing fields / tables and carry functions, and no DocType's computed /
 * fetched values form a cycle. Compiling every DocType's rules (what the cycle check needs) costs about a
 * fifth of parsing them (926 DocTypes of Frappe + ERPNext + HRMS: 0.21x `createRegistry`); the compiled rules
 * are the ones runs use afterwards, and engines over the same registry share them, so the work is not repeated.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { RulesCycleError } from '../rules/graph';
import type { CompiledRules, CustomRules } from '../rules/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';

/** One configuration problem. */
export interface EngineConfigProblem {
  /** `missing_child_doctype`, `child_not_istable`, `unknown_rules_doctype`, `bad_custom_rule`, `rules_cycle`. */
  readonly reason: string;
  /** The DocType concerned. */
  readonly doctype: string;
  /** The field concerned, when there is one (the Table field; the first field of a cycle). */
  readonly field?: string | undefined;
  readonly message: string;
}

/** `createEngine` was given a configuration it cannot run: `problems` names each DocType and field. */
export class EngineConfigError extends CoworkerError {
  declare readonly code: 'ENGINE_CONFIG';
  readonly problems: readonly EngineConfigProblem[];

  constructor(problems: readonly EngineConfigProblem[]) {
    const lines = problems.slice(0, 20).map((p) => `  - ${p.doctype}${p.field ? `.${p.field}` : ''}: ${p.message}`);
    const more = problems.length > 20 ? [`  ... and ${problems.length - 20} more`] : [];
    super('ENGINE_CONFIG', [`Engine configuration: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, ...lines, ...more].join('\n'));
    this.problems = Object.freeze([...problems]);
  }

  override get name(): string {
    return 'EngineConfigError';
  }
}

const FUNCTION_KEYS = { computed: 'compute', validators: 'validate' } as const;

function customRuleProblems(name: string, rules: CustomRules): EngineConfigProblem[] {
  const out: EngineConfigProblem[] = [];
  for (const kind of ['computed', 'validators'] as const) {
    const list: unknown = rules[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.push({ reason: 'bad_custom_rule', doctype: name, message: `rules.${kind} must be an array` });
      continue;
    }
    list.forEach((rule: unknown, i) => {
      const r = rule as Record<string, unknown> | null;
      const fn = FUNCTION_KEYS[kind];
      if (typeof r !== 'object' || r === null || typeof r[fn] !== 'function' || !Array.isArray(r.inputs)) {
        const field = typeof r?.field === 'string' ? r.field : undefined;
        out.push({ reason: 'bad_custom_rule', doctype: name, field, message: `rules.${kind}[${i}] needs ${fn}: a function, and inputs: an array of fieldnames` });
      }
    });
  }
  return out;
}

/**
 * Check an engine's DocTypes and custom rules, compiling every DocType's rules.
 * @param registry - the engine's DocTypes
 * @param customRules - `EngineOptions.rules`
 * @param compile - the engine's `rulesFor` (compiles and caches)
 * @throws {EngineConfigError} `ENGINE_CONFIG` naming every problem
 */
export function checkEngineConfig(registry: Registry, customRules: Readonly<Record<string, CustomRules>>, compile: (doctype: DocType) => CompiledRules): void {
  const problems: EngineConfigProblem[] = [];
  for (const d of registry.check()) {
    if (d.severity !== 'error') continue;
    problems.push({ reason: d.reason ?? d.code, doctype: d.doctype, field: d.fieldname, message: d.message });
  }
  const badRules = new Set<string>();
  for (const [name, rules] of Object.entries(customRules)) {
    if (!registry.has(name)) {
      problems.push({ reason: 'unknown_rules_doctype', doctype: name, message: `custom rules are given for DocType "${name}", which is not registered` });
      badRules.add(name);
      continue;
    }
    const shape = customRuleProblems(name, rules);
    if (shape.length) badRules.add(name);
    problems.push(...shape);
  }
  // Compiling needs resolvable child tables; with those broken, the problems above are the ones to fix first.
  if (problems.length === 0) {
    for (const doctype of registry.list()) {
      if (badRules.has(doctype.name)) continue;
      try {
        compile(doctype);
      } catch (e) {
        if (e instanceof RulesCycleError) {
          problems.push({ reason: 'rules_cycle', doctype: e.doctype, field: e.cycle[0], message: `computed / fetched values form a cycle: ${e.cycle.join(' -> ')}` });
        } else if (e instanceof CoworkerError && e.code === 'RULES_INVALID') {
          problems.push({ reason: 'bad_custom_rule', doctype: doctype.name, message: e.message });
        } else throw e;
      }
    }
  }
  if (problems.length) throw new EngineConfigError(problems);
}
