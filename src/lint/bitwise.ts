/**
 * The `&` / `|` heuristic: in a condition, `doc.a == 1 & doc.b != 1` is almost always a typo for `&&`. It
 * works by accident in JavaScript for two booleans (`true & false` is `0`), but it does not short-circuit and
 * turns the result into a number, so it is worth flagging, not refusing.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { parseConditionKind } from '../expr/condition';
import { parseBody, type ExprNode } from '../expr/parse';

/** A bitwise operator whose operands look boolean. */
export interface BitwiseSuspect {
  /** `&` or `|`. */
  readonly operator: '&' | '|';
  /** 0-based index of the operator in the condition text (including `eval:`). */
  readonly index: number;
}

const COMPARISONS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', '&&', '||']);
/** Helpers that return booleans (or true/undefined), as Frappe's JavaScript defines them. */
const BOOLEAN_CALLS = new Set(['in_list', 'is_null', 'has_common', 'has_words']);

/** A field read: `doc.x`, `parent.x`, `doc['x']`, `cur_frm.doc.x`. */
function isFieldRead(node: ExprNode): boolean {
  if (node.type !== 'MemberExpression') return false;
  let object = node.object;
  while (object.type === 'MemberExpression') object = object.object;
  return object.type === 'Identifier' && (object.name === 'doc' || object.name === 'parent' || object.name === 'cur_frm');
}

/** Comparisons, logical operators, `!x`, `true`/`false` and boolean helpers produce booleans. */
function isBooleanish(node: ExprNode): boolean {
  switch (node.type) {
    case 'BinaryExpression': return COMPARISONS.has(node.operator);
    case 'UnaryExpression': return node.operator === '!';
    case 'Literal': return typeof node.value === 'boolean';
    case 'CallExpression': {
      const callee = node.callee;
      if (callee.type === 'Identifier') return BOOLEAN_CALLS.has(callee.name);
      return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'has_role';
    }
    default: return false;
  }
}

/** True when `a op b` with op `&`/`|` was most likely meant as `&&`/`||`. */
function looksLogical(node: ExprNode & { type: 'BinaryExpression' }): boolean {
  const { left, right } = node;
  // A numeric literal on either side means real bit arithmetic (`doc.flags & 4`).
  if ((left.type === 'Literal' && typeof left.value === 'number') || (right.type === 'Literal' && typeof right.value === 'number')) return false;
  if (isBooleanish(left) || isBooleanish(right)) return true;
  return isFieldRead(left) && isFieldRead(right);
}

/** Children in source order, so an in-order walk meets operators in the order the text has them. */
function children(node: ExprNode): Array<ExprNode | null> {
  switch (node.type) {
    case 'MemberExpression': return [node.object, node.property];
    case 'CallExpression': return [node.callee, ...node.arguments];
    case 'UnaryExpression': return [node.argument];
    case 'ConditionalExpression': return [node.test, node.consequent, node.alternate];
    case 'ArrayExpression': return node.elements;
    case 'SequenceExpression': return node.expressions;
    case 'Compound': return node.body;
    default: return [];
  }
}

/**
 * Find `&` / `|` operators between boolean-looking operands in a condition.
 *
 * Binary nodes carry no positions, so the operator's index comes from the tokens: an in-order walk of the AST
 * meets the `&` / `|` nodes in the same order as the `&` / `|` tokens appear in the text.
 *
 * @param condition - a DocField condition (`eval:...`); fieldname conditions and empty ones have no operators
 * @returns the suspects, in text order; `[]` when the condition does not parse (that is reported elsewhere)
 */
export function findBitwiseSuspects(condition: string | undefined): BitwiseSuspect[] {
  const kind = parseConditionKind(condition);
  if (kind.kind !== 'eval') return [];
  let parsed;
  try {
    parsed = parseBody(condition as string, kind.bodyOffset);
  } catch (e) {
    if (e instanceof ExpressionError) return [];
    throw e;
  }
  const opTokens = parsed.tokens.filter((t) => t.kind === 'punct' && (t.value === '&' || t.value === '|'));
  const suspects: BitwiseSuspect[] = [];
  let seen = 0;
  const walk = (node: ExprNode | null): void => {
    if (!node) return;
    if (node.type === 'BinaryExpression') {
      walk(node.left);
      if (node.operator === '&' || node.operator === '|') {
        const token = opTokens[seen++];
        if (looksLogical(node)) suspects.push({ operator: node.operator, index: kind.bodyOffset + (token?.start ?? 0) });
      }
      walk(node.right);
      return;
    }
    for (const child of children(node)) walk(child);
  };
  for (const statement of parsed.statements) walk(statement);
  return suspects;
}
