/**
 * Everything that can refuse a Python expression before it runs: its length, its syntax (`parse.ts`) and the names
 * RestrictedPython refuses at compile time. `compilePython` starts here; so does a configuration check that needs
 * to know an expression compiles without loading the evaluator (an engine's virtual fields: the evaluator loads on
 * the first read that computes one).
 *
 * @module
 */
import { PyExprError } from './errors';
import { parsePython, type PyNode } from './parse';

/** Defaults of `PyCompileOptions`. */
export const PY_DEFAULTS = { maxLength: 4000, maxDepth: 64, maxSteps: 20_000, maxSize: 100_000, maxIntBits: 8192, maxDbCalls: 20 } as const;

/** Names RestrictedPython refuses at compile time (besides anything starting with `_`). */
const FORBIDDEN_NAMES = new Set(['printed', 'print']);

/**
 * The checked syntax tree of an expression.
 * @throws {PyExprError} `PYEXPR_SYNTAX`, `PYEXPR_UNSUPPORTED` or `PYEXPR_LIMIT`, as `compilePython` does
 */
export function checkedTree(source: string, options: { readonly maxLength?: number; readonly maxDepth?: number } = {}): PyNode {
  const maxLength = options.maxLength ?? PY_DEFAULTS.maxLength;
  if (typeof source !== 'string') throw new PyExprError('PYEXPR_SYNTAX', 'TypeError', 'the expression must be a string', String(source));
  if (source.length > maxLength) throw new PyExprError('PYEXPR_LIMIT', 'SyntaxError', `longer than ${maxLength} characters`, source);
  const text = source.normalize('NFKC');
  let tree: PyNode;
  try {
    tree = parsePython(text, options.maxDepth ?? PY_DEFAULTS.maxDepth);
  } catch (error) {
    if (error instanceof PyExprError && text !== source) throw new PyExprError(error.code, error.pyType, error.description, source, error.index);
    throw error;
  }
  refuseNames(tree, source);
  return tree;
}

/** RestrictedPython's compile-time refusals, in source order: `_` names and attributes, reserved names, `@`. */
function refuseNames(node: PyNode, source: string): void {
  const refuse = (message: string, at: number): never => {
    throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', message, source, at);
  };
  if (node.t === 'name') {
    if (node.id.startsWith('_')) refuse(`"${node.id}" is an invalid variable name because it starts with "_"`, node.i);
    if (FORBIDDEN_NAMES.has(node.id) || node.id.endsWith('__roles__')) refuse(`"${node.id}" is a reserved name`, node.i);
  }
  if (node.t === 'attr' && node.name.startsWith('_')) refuse(`"${node.name}" is an invalid attribute name because it starts with "_"`, node.i);
  if (node.t === 'bin' && node.op === '@') refuse('the @ operator is not supported', node.i);
  if (node.t === 'const') return;
  for (const value of Object.values(node)) visit(value, source);
}

function visit(value: unknown, source: string): void {
  if (Array.isArray(value)) for (const v of value) visit(v, source);
  else if (typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string') refuseNames(value as PyNode, source);
}
