/**
 * Parsing `eval:` bodies into an AST. The only module that imports jsep (one module owns the third-party parser).
 *
 * jsep is configured once, idempotently, at module load:
 * - `typeof` is added as a unary operator (jsep 1.6 already knows `===`, `!==`, `>>>`, `??`, `**`, and `?.`
 *   member access; its default ternary plugin is kept);
 * - a `gobble-token` hook replaces jsep's parenthesised-group parser, so that `(a b)` and `(a; b)` are syntax
 *   errors as in JavaScript, and marks grouped nodes `parenthesized`, which the compiler needs for three rules
 *   of the JavaScript grammar that jsep ignores (`a ?? b || c`, `-a ** 2`, and `(a?.b).c` ending an optional chain).
 *
 * The top level is parsed by hand rather than with `jsep(text)`, because jsep treats `;`, `,` and mere
 * juxtaposition alike, while Frappe wraps the body as `let out = <body>; return out`: statements are separated
 * by `;` or a line break (automatic semicolon insertion), the value is the *first* statement, and a comma in the
 * first statement would declare variables.
 *
 * @module
 */
import jsep from 'jsep';
import { ExpressionError } from '../errors';
import { tokenize, type Token } from './lex';

interface NodeBase {
  /** Set when the node was written inside `( )`. */
  parenthesized?: boolean;
  /** Index in the body where an identifier, literal or array literal starts (set by {@link parseBody}). */
  start?: number;
}

/** The jsep node types we accept (plus `ThisExpression` and `Compound`, which the compiler refuses). */
export type ExprNode =
  | (NodeBase & { type: 'Literal'; value: string | number | boolean | null; raw: string })
  | (NodeBase & { type: 'Identifier'; name: string })
  | (NodeBase & { type: 'MemberExpression'; computed: boolean; object: ExprNode; property: ExprNode; optional?: boolean })
  | (NodeBase & { type: 'CallExpression'; callee: ExprNode; arguments: ExprNode[]; optional?: boolean })
  | (NodeBase & { type: 'UnaryExpression'; operator: string; argument: ExprNode; prefix: boolean })
  | (NodeBase & { type: 'BinaryExpression'; operator: string; left: ExprNode; right: ExprNode })
  | (NodeBase & { type: 'ConditionalExpression'; test: ExprNode; consequent: ExprNode; alternate: ExprNode })
  | (NodeBase & { type: 'ArrayExpression'; elements: Array<ExprNode | null> })
  | (NodeBase & { type: 'SequenceExpression'; expressions: ExprNode[] })
  | (NodeBase & { type: 'ThisExpression' })
  | (NodeBase & { type: 'Compound'; body: ExprNode[] });

/** A parsed `eval:` body: `statements[0]` gives the value, the others are evaluated for their effects (errors). */
export interface ParsedBody {
  readonly statements: readonly ExprNode[];
  /** Tokens of the body; `start`/`end` are indices into the body text. */
  readonly tokens: readonly Token[];
}

/** The parts of jsep's parser instance we drive (see jsep's `HookScope` typings). */
interface JsepParser {
  index: number;
  readonly expr: string;
  readonly code: number;
  readonly char: string;
  gobbleSpaces(): void;
  gobbleExpression(): ExprNode | false | undefined;
  gobbleTokenProperty(node: ExprNode): ExprNode;
  throwError(message: string): never;
  gobbleIdentifier(): ExprNode;
  gobbleStringLiteral(): ExprNode;
  gobbleNumericLiteral(): ExprNode;
  gobbleArray(): ExprNode;
}

/** Record where the nodes jsep builds from single tokens start (jsep keeps no positions), on this parser only. */
function trackStarts(parser: JsepParser): void {
  for (const name of ['gobbleIdentifier', 'gobbleStringLiteral', 'gobbleNumericLiteral', 'gobbleArray'] as const) {
    const original = parser[name];
    parser[name] = function (this: JsepParser): ExprNode {
      const start = this.index;
      const node = original.call(this);
      if (node && typeof node === 'object') node.start = start;
      return node;
    };
  }
}

/**
 * Where a node starts in the body: its leftmost token with a recorded start. Used for the index of runtime
 * limits (`EXPR_LIMIT` from `evaluate`).
 */
export function startOf(node: ExprNode): number | undefined {
  if (node.start !== undefined) return node.start;
  switch (node.type) {
    case 'MemberExpression': return startOf(node.object);
    case 'CallExpression': return startOf(node.callee);
    case 'BinaryExpression': return startOf(node.left);
    case 'ConditionalExpression': return startOf(node.test);
    case 'UnaryExpression': return startOf(node.argument);
    case 'SequenceExpression': return node.expressions[0] && startOf(node.expressions[0]);
    default: return undefined;
  }
}
type JsepStatics = typeof jsep & { Jsep: new (text: string) => JsepParser };

const OPAREN = 40;
const CPAREN = 41;
const COMMA = 44;
const SEMICOLON = 59;

/** The character code at the parser's position (a getter: read it afresh after every move). */
const codeOf = (p: JsepParser): number => p.code;

/** `( expr [, expr]* )`, JavaScript's ParenthesizedExpression. Replaces jsep's `gobbleGroup`. */
function gobbleParenthesized(this: JsepParser, env: { node?: ExprNode }): void {
  if (codeOf(this) !== OPAREN) return;
  this.index++;
  const nodes: ExprNode[] = [];
  for (;;) {
    this.gobbleSpaces();
    if (codeOf(this) === CPAREN && nodes.length === 0) this.throwError('Unexpected token )');
    const node = this.gobbleExpression();
    if (!node) this.throwError(this.index >= this.expr.length ? 'Unclosed (' : `Unexpected "${this.char}"`);
    nodes.push(node);
    this.gobbleSpaces();
    if (codeOf(this) === COMMA) {
      this.index++;
      continue;
    }
    if (codeOf(this) === CPAREN) {
      this.index++;
      break;
    }
    this.throwError(this.index >= this.expr.length ? 'Unclosed (' : 'Expected , or )');
  }
  const inner: ExprNode = nodes.length === 1 ? nodes[0]! : { type: 'SequenceExpression', expressions: nodes };
  inner.parenthesized = true;
  env.node = this.gobbleTokenProperty(inner);
}

const statics = jsep as JsepStatics;
// Idempotent: jsep's plugin registry ignores a name it has seen, and addUnaryOp overwrites.
statics.addUnaryOp('typeof');
// jsep calls `init(jsep)` with jsep as the argument (its typings declare `this` instead).
const parenthesizedPlugin = {
  name: 'coworker-parenthesized',
  init(j: typeof jsep) {
    j.hooks.add('gobble-token', gobbleParenthesized as unknown as jsep.HookCallback);
  },
};
statics.plugins.register(parenthesizedPlugin as unknown as jsep.IPlugin);

function fail(code: 'EXPR_SYNTAX' | 'EXPR_UNSUPPORTED' | 'EXPR_LIMIT', description: string, source: string, index: number): never {
  throw new ExpressionError(code, description, source, index);
}

const hasLineBreak = (s: string) => s.includes('\n') || s.includes('\r');

/**
 * Parse the body of an `eval:` expression.
 * @param source the full text as the caller gave it (used in errors)
 * @param bodyStart where the body starts in `source` (after `eval:`); error indices are into `source`
 * @returns the statements and tokens
 * @throws ExpressionError `EXPR_SYNTAX`, `EXPR_UNSUPPORTED`, or `EXPR_LIMIT` when jsep runs out of stack
 */
export function parseBody(source: string, bodyStart: number): ParsedBody {
  const body = source.slice(bodyStart);
  const lexed = tokenize(body);
  if (!lexed.ok) fail(lexed.problem.code, lexed.problem.description, source, bodyStart + lexed.problem.index);
  if (lexed.tokens.length === 0) fail('EXPR_SYNTAX', 'Empty expression (Frappe would run "let out = ; return out")', source, source.length);

  const parser: JsepParser = new statics.Jsep(body);
  trackStarts(parser);
  const statements: ExprNode[] = [];
  try {
    for (;;) {
      parser.gobbleSpaces();
      if (parser.index >= body.length) break;
      if (parser.code === SEMICOLON) {
        if (statements.length === 0) parser.throwError("Unexpected token ';'");
        parser.index++; // an empty statement after the first is legal JavaScript
        continue;
      }
      const parts: ExprNode[] = [];
      for (;;) {
        const node = parser.gobbleExpression();
        if (!node) parser.throwError(`Unexpected "${parser.char}"`);
        parts.push(node);
        if (parser.code !== COMMA) break;
        if (statements.length === 0) {
          fail(
            'EXPR_UNSUPPORTED',
            'unsupported top-level comma (Frappe wraps the body as "let out = a, b", which declares b); use parentheses',
            source,
            bodyStart + parser.index,
          );
        }
        parser.index++;
      }
      statements.push(parts.length === 1 ? parts[0]! : { type: 'SequenceExpression', expressions: parts });
      if (parser.index >= body.length) break;
      if (parser.code === SEMICOLON) {
        parser.index++;
        continue;
      }
      // Automatic semicolon insertion: jsep stopped where JavaScript cannot continue the expression, so a
      // line break before the next token ends the statement; without one, the text is not JavaScript.
      const gap = body.slice(0, parser.index).match(/[ \t\n\r]*$/)?.[0] ?? '';
      if (!hasLineBreak(gap)) parser.throwError(`Unexpected token "${parser.char}"`);
    }
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    if (e instanceof RangeError) fail('EXPR_LIMIT', 'Expression nests too deeply to parse', source, bodyStart);
    const err = e as { description?: unknown; index?: unknown; message?: unknown };
    const description = typeof err.description === 'string' ? err.description : String(err.message);
    const index = typeof err.index === 'number' ? err.index : 0;
    throw new ExpressionError('EXPR_SYNTAX', description, source, bodyStart + index, { cause: e });
  }
  return { statements, tokens: lexed.tokens };
}
