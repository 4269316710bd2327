/**
 * `depends_on`-style conditions: Frappe's `evaluate_depends_on_value` dispatch (`frappe/public/js/frappe/form/layout.js`).
 *
 * - empty (`''`, `null`, `undefined`): no condition, true;
 * - a boolean: itself;
 * - `eval:<js>` (exactly that prefix, lowercase): the expression, by JavaScript truthiness;
 * - `fn:<name>`: a client-script trigger: refused (`EXPR_UNSUPPORTED`), there is no form headlessly;
 * - anything else: a fieldname; an array value is true when non-empty, anything else by truthiness
 *   (`"0"` is true, `0` is false).
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { getMember } from './access';
import { compileExpression, runtimeError, truthTest, type CompileOptions } from './compile';
import type { ExprContext } from './types';

/** What a condition string is, per Frappe's dispatch. `bodyOffset` is where the JavaScript starts. */
export type ConditionKind =
  | { readonly kind: 'eval'; readonly body: string; readonly bodyOffset: number }
  | { readonly kind: 'fieldname'; readonly fieldname: string }
  | { readonly kind: 'fn'; readonly name: string }
  | { readonly kind: 'empty' };

/** A condition compiled once. */
export interface CompiledCondition {
  /**
   * Evaluate against a context. False when the context has no `doc` (Frappe returns undefined then).
   * @throws ExpressionError `EXPR_RUNTIME` where Frappe's JavaScript would throw
   */
  test(ctx: ExprContext): boolean;
  /** Fields read, as in {@link CompiledExpression.references}. */
  readonly references: readonly string[];
  /** The condition as given (booleans as `'true'`/`'false'`, empty as `''`). */
  readonly source: string;
}

/**
 * Classify a condition string the way Frappe's `evaluate_depends_on_value` does.
 * @param cond a `depends_on` / `mandatory_depends_on` / ... value
 * @returns its kind; only `''`, `null` and `undefined` are empty (a blank string is a fieldname, as in Frappe)
 */
export function parseConditionKind(cond: string | null | undefined): ConditionKind {
  if (cond === null || cond === undefined || cond === '') return { kind: 'empty' };
  if (cond.startsWith('eval:')) return { kind: 'eval', body: cond.slice(5), bodyOffset: 5 };
  if (cond.startsWith('fn:')) return { kind: 'fn', name: cond.slice(3) };
  return { kind: 'fieldname', fieldname: cond };
}

/** `doc[fieldname]` truthiness without handing out inherited members (which are functions: truthy). Never runs getters. */
function fieldTruthy(doc: unknown, fieldname: string): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const desc = Object.getOwnPropertyDescriptor(doc, fieldname);
  if (!desc) return fieldname in doc; // Object.prototype members (`toString`...) are truthy in Frappe too
  const value: unknown = 'value' in desc ? desc.value : undefined;
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

const ALWAYS: CompiledCondition = Object.freeze({ test: () => true, references: Object.freeze([]), source: '' });

/**
 * Compile a condition once.
 *
 * @example
 * ```ts
 * compileCondition('eval:doc.qty > 0').test({ doc: { qty: 2 } }); // true
 * compileCondition('items').test({ doc: { items: [] } });         // false: empty table
 * ```
 * @param cond a `depends_on`-style value: `eval:...`, a fieldname, a boolean, or empty
 * @param options compile options (length, depth and evaluation limits); with none, the result is cached by source
 * @returns the compiled condition
 * @throws ExpressionError as {@link compileExpression}; `EXPR_UNSUPPORTED` for `fn:` triggers
 */
export function compileCondition(cond: string | boolean | null | undefined, options?: CompileOptions): CompiledCondition {
  if (typeof cond === 'string' && options === undefined) {
    const hit = recent[cond] ?? older[cond];
    if (hit !== undefined) {
      if (recent[cond] === undefined) remember(cond, hit); // still in use: keep it when `older` is dropped
      return hit;
    }
    const compiled = compileUncached(cond, undefined);
    remember(cond, compiled);
    return compiled;
  }
  return compileUncached(cond, options);
}

/**
 * The cache of compiled string conditions with default options, by source (the expressions themselves are cached
 * too): what {@link evaluateCondition} looks up on every call. Two generations of {@link GENERATION} entries: when
 * the recent one is full it becomes the older one and the previous older one is dropped, so at most 10,000
 * conditions are kept and the ones still in use survive. Objects without a prototype rather than a Map: V8 looks a
 * string key up in a dictionary object much faster than in a Map when the caller's string is not the very one
 * stored (the same condition text read from two DocType files).
 */
let recent = Object.create(null) as Record<string, CompiledCondition | undefined>;
let older = Object.create(null) as Record<string, CompiledCondition | undefined>;
let recentSize = 0;
const GENERATION = 5_000;

function remember(cond: string, compiled: CompiledCondition): void {
  if (recentSize >= GENERATION) {
    older = recent;
    recent = Object.create(null) as Record<string, CompiledCondition | undefined>;
    recentSize = 0;
  }
  recent[cond] = compiled;
  recentSize++;
}

function compileUncached(cond: string | boolean | null | undefined, options: CompileOptions | undefined): CompiledCondition {
  if (typeof cond === 'boolean') {
    return Object.freeze({ test: (ctx: ExprContext) => Boolean(ctx.doc) && cond, references: Object.freeze([]), source: String(cond) });
  }
  if (cond !== null && cond !== undefined && typeof cond !== 'string') {
    throw new ExpressionError('EXPR_SYNTAX', `A condition must be a string or a boolean, got ${typeof cond}`, String(cond));
  }
  const kind = parseConditionKind(cond);
  switch (kind.kind) {
    case 'empty':
      return ALWAYS;
    case 'fn':
      throw new ExpressionError('EXPR_UNSUPPORTED', `unsupported 'fn:' client-script trigger '${kind.name}' (there is no form headlessly)`, cond as string, 0);
    case 'fieldname': {
      const { fieldname } = kind;
      const test = (ctx: ExprContext) => {
        try {
          return fieldTruthy(ctx.doc, fieldname);
        } catch (e) {
          throw runtimeError(e, fieldname); // a caller's Proxy may throw anything
        }
      };
      return Object.freeze({ test, references: Object.freeze([fieldname]), source: fieldname });
    }
    case 'eval': {
      const source = cond as string;
      const compiled = compileExpression(source, options);
      // Frappe's DocType-editor hack: for a child row (parent.istable) any expression mentioning is_submittable is true.
      const submittableHack = source.includes('is_submittable');
      const istable = (ctx: ExprContext) => {
        const parent = ctx.parent ?? ctx.doc;
        return Boolean(parent && getMember(parent, 'istable'));
      };
      return Object.freeze({
        test: truthTest(compiled, submittableHack ? istable : undefined),
        references: compiled.references,
        source,
      });
    }
  }
}

/**
 * Evaluate a `depends_on`-style condition: {@link compileCondition} then `test` (compiled expressions are cached).
 * @param cond the condition
 * @param ctx what the expression sees
 * @param options compile options (limits); conditions with default options are cached by source
 * @returns the truthiness Frappe would use
 * @throws ExpressionError on a bad expression, or `EXPR_RUNTIME` where Frappe's JavaScript would throw
 */
export function evaluateCondition(cond: string | boolean | null | undefined, ctx: ExprContext, options?: CompileOptions): boolean {
  if (options === undefined && typeof cond === 'string') {
    const hit = recent[cond]; // the per-call path: one lookup, then the compiled test
    if (hit !== undefined) return hit.test(ctx);
  }
  return compileCondition(cond, options).test(ctx);
}
