/**
 * Parsing `eval:` bodies into an AST: a small precedence-climbing parser over the tokens of `lex.ts`.
 *
 * The lexer has already refused, with names and positions, everything outside our subset (assignment, `=>`,
 * `new`, template literals, regular expressions, comments...), so the grammar here is JavaScript's expression
 * grammar restricted to what remains: literals, identifiers, array literals, parentheses (with the comma
 * operator), member access (`.`, `[ ]`, `?.`), calls, the unary operators `! - + ~ typeof`, the binary operators
 * and the conditional operator. The AST is ESTree-shaped (the node set jsep used to produce, which the compiler
 * and the linter walk), with two additions:
 * - `parenthesized` marks a node written inside `( )`, which the compiler needs for three rules of JavaScript's
 *   grammar (`a ?? b || c`, `-a ** 2`, and `(a?.b).c` ending an optional chain);
 * - `start` is where an identifier, literal or array literal starts in the body (for runtime error indices).
 *
 * The top level is a statement list, because Frappe wraps the body as `let out = <body>; return out`:
 * statements are separated by `;` or a line break (automatic semicolon insertion), the value is the *first*
 * statement, and a comma in the first statement would declare variables.
 *
 * Our own parser rather than a library (docs/DECISIONS.md): the lexer already did the hard part, the grammar that
 * remains is ~200 lines, and the evaluator's bundle is several kilobytes smaller without a general parser.
 *
 * @module
 */
import { ExpressionError } from '../errors';
import { decodeStringLiteral, tokenize, type Token } from './lex';

interface NodeBase {
  /** Set when the node was written inside `( )`. */
  parenthesized?: boolean;
  /** Index in the body where an identifier, literal or array literal starts. */
  start?: number;
}

/** The node types of an expression (`ThisExpression` and `Compound` are never produced; the compiler refuses them). */
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

/**
 * Binary operators and their precedence. `??` shares the lowest level with `||` (JavaScript forbids mixing them
 * without parentheses, which the compiler checks on the `parenthesized` marks); `**` is right-associative.
 */
const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map(Object.entries({
  '||': 1, '??': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6, '===': 6, '!==': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '>>>': 8,
  '+': 9, '-': 9, '*': 10, '/': 10, '%': 10, '**': 11,
}));
const UNARY = new Set(['!', '-', '+', '~']);

/**
 * Deepest nesting of parentheses, brackets, calls and prefix operators the parser follows. Far above what the
 * compiler accepts (`maxDepth`), but it keeps a hostile `((((...` from overflowing the stack.
 */
const MAX_NESTING = 1000;

/** A syntax error at a body index; {@link parseBody} shifts it into the source. */
class SyntaxFault {
  constructor(readonly code: 'EXPR_SYNTAX' | 'EXPR_UNSUPPORTED' | 'EXPR_LIMIT', readonly description: string, readonly index: number) {}
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly body: string, private readonly tokens: readonly Token[]) {}

  /** The statements of the body (see the module comment). */
  statements(): ExprNode[] {
    const { tokens } = this;
    const out: ExprNode[] = [];
    while (this.pos < tokens.length) {
      if (this.at(';')) {
        if (out.length === 0) this.fail("Unexpected token ';'");
        this.pos++; // an empty statement after the first is legal JavaScript
        continue;
      }
      const parts = [this.assignmentLevel()];
      while (this.at(',')) {
        if (out.length === 0) {
          throw new SyntaxFault(
            'EXPR_UNSUPPORTED',
            'unsupported top-level comma (Frappe wraps the body as "let out = a, b", which declares b); use parentheses',
            this.here(),
          );
        }
        this.pos++;
        parts.push(this.assignmentLevel());
      }
      out.push(parts.length === 1 ? parts[0]! : { type: 'SequenceExpression', expressions: parts });
      if (this.pos >= tokens.length) break;
      if (this.at(';')) {
        this.pos++;
        continue;
      }
      // Automatic semicolon insertion: the expression ended where JavaScript cannot continue it, so a line
      // break before the next token ends the statement; without one, the text is not JavaScript.
      const gap = this.body.slice(tokens[this.pos - 1]!.end, tokens[this.pos]!.start);
      if (!gap.includes('\n') && !gap.includes('\r')) this.fail(`Unexpected token "${tokens[this.pos]!.value}"`);
    }
    return out;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** Whether the next token is the punctuator `p`. */
  private at(p: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.kind === 'punct' && t.value === p;
  }

  /** Where the next token starts, or the end of the body. */
  private here(): number {
    return this.tokens[this.pos]?.start ?? this.body.length;
  }

  private fail(description: string): never {
    throw new SyntaxFault('EXPR_SYNTAX', description, this.here());
  }

  /** Consume the punctuator `p` or fail with `description`. */
  private expect(p: string, description: string): void {
    if (!this.at(p)) this.fail(description);
    this.pos++;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new SyntaxFault('EXPR_LIMIT', 'Expression nests too deeply to parse', this.here());
  }

  /** `a, b, c` inside parentheses or brackets. */
  private expression(): ExprNode {
    const first = this.assignmentLevel();
    if (!this.at(',')) return first;
    const expressions = [first];
    while (this.at(',')) {
      this.pos++;
      expressions.push(this.assignmentLevel());
    }
    return { type: 'SequenceExpression', expressions };
  }

  /** JavaScript's AssignmentExpression without assignment (the lexer refuses `=`): the conditional operator. */
  private assignmentLevel(): ExprNode {
    const test = this.binary(0);
    if (!this.at('?')) return test;
    this.pos++;
    this.enter();
    const consequent = this.assignmentLevel();
    this.expect(':', this.pos >= this.tokens.length ? 'Expected :' : `Expected : but found "${this.peek()!.value}"`);
    const alternate = this.assignmentLevel();
    this.depth--;
    return { type: 'ConditionalExpression', test, consequent, alternate };
  }

  /** Binary operators by precedence climbing: operators of precedence above `min` bind here. */
  private binary(min: number): ExprNode {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind !== 'punct') return left;
      const prec = BINARY_PRECEDENCE.get(t.value);
      if (prec === undefined || prec <= min) return left;
      this.pos++;
      if (this.pos >= this.tokens.length) this.fail(`Expected expression after ${t.value}`);
      this.enter();
      const right = this.binary(t.value === '**' ? prec - 1 : prec);
      this.depth--;
      left = { type: 'BinaryExpression', operator: t.value, left, right };
    }
  }

  /** Prefix operators apply to a whole member/call chain (`!doc.items.length`), not to a binary expression. */
  private unary(): ExprNode {
    const t = this.peek();
    if (t !== undefined && ((t.kind === 'punct' && UNARY.has(t.value)) || (t.kind === 'ident' && t.value === 'typeof'))) {
      this.pos++;
      if (this.pos >= this.tokens.length) this.fail(`Expected expression after ${t.value}`);
      this.enter();
      const argument = this.unary();
      this.depth--;
      return { type: 'UnaryExpression', operator: t.value, argument, prefix: true };
    }
    return this.chain(this.primary());
  }

  private primary(): ExprNode {
    const t = this.peek();
    if (t === undefined) return this.fail('Unexpected end of expression');
    const start = t.start;
    switch (t.kind) {
      case 'num':
        this.pos++;
        return { type: 'Literal', value: Number(t.value), raw: t.value, start };
      case 'str': {
        this.pos++;
        const decoded = decodeStringLiteral(t.value);
        // An invalid escape is reported by the compiler, which decodes again with the escape's position.
        return { type: 'Literal', value: decoded.ok ? decoded.value : t.value.slice(1, -1), raw: t.value, start };
      }
      case 'ident':
        this.pos++;
        if (t.value === 'true' || t.value === 'false') return { type: 'Literal', value: t.value === 'true', raw: t.value, start };
        if (t.value === 'null') return { type: 'Literal', value: null, raw: t.value, start };
        return { type: 'Identifier', name: t.value, start };
      default:
        break;
    }
    if (t.value === '(') {
      this.pos++;
      if (this.at(')')) this.fail('Unexpected token )');
      this.enter();
      const inner = this.expression();
      this.depth--;
      this.expect(')', this.pos >= this.tokens.length ? 'Unclosed (' : 'Expected , or )');
      inner.parenthesized = true;
      return inner;
    }
    if (t.value === '[') {
      this.pos++;
      this.enter();
      const elements: Array<ExprNode | null> = [];
      for (;;) {
        if (this.at(']')) break;
        if (this.at(',')) {
          elements.push(null); // a hole: `[1, , 2]`
          this.pos++;
          continue;
        }
        if (this.pos >= this.tokens.length) this.fail('Unclosed [');
        elements.push(this.assignmentLevel());
        if (this.at(',')) this.pos++;
        else if (!this.at(']')) this.fail(this.pos >= this.tokens.length ? 'Unclosed [' : 'Expected , or ]');
      }
      this.pos++;
      this.depth--;
      return { type: 'ArrayExpression', elements, start };
    }
    return this.fail(`Unexpected token ${t.value}`);
  }

  /** Member accesses and calls after a primary: `.x`, `?.x`, `[k]`, `?.[k]`, `(args)`, `?.(args)`. */
  private chain(node: ExprNode): ExprNode {
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind !== 'punct') return node;
      let optional = false;
      if (t.value === '?.') {
        optional = true;
        this.pos++;
      } else if (t.value !== '.' && t.value !== '[' && t.value !== '(') {
        return node;
      }
      const next = this.peek();
      if (next !== undefined && next.kind === 'punct' && next.value === '[') {
        this.pos++;
        this.enter();
        const property = this.expression();
        this.depth--;
        this.expect(']', this.pos >= this.tokens.length ? 'Unclosed [' : 'Expected ]');
        node = { type: 'MemberExpression', computed: true, object: node, property };
      } else if (next !== undefined && next.kind === 'punct' && next.value === '(') {
        this.pos++;
        this.enter();
        node = { type: 'CallExpression', callee: node, arguments: this.callArguments() };
        this.depth--;
      } else {
        if (!optional) this.pos++; // the '.'
        const name = this.peek();
        if (name === undefined || name.kind !== 'ident') this.fail(name === undefined ? 'Unexpected end of expression after .' : `Unexpected token ${name.value} after .`);
        this.pos++;
        node = { type: 'MemberExpression', computed: false, object: node, property: { type: 'Identifier', name: name.value, start: name.start } };
      }
      if (optional) node.optional = true;
    }
  }

  /** `( a, b, )`: arguments after the opening parenthesis (a trailing comma is allowed, holes are not). */
  private callArguments(): ExprNode[] {
    const args: ExprNode[] = [];
    for (;;) {
      if (this.at(')')) break;
      if (this.pos >= this.tokens.length) this.fail('Unclosed (');
      if (this.at(',')) this.fail('Unexpected token ,');
      args.push(this.assignmentLevel());
      if (this.at(',')) this.pos++;
      else if (!this.at(')')) this.fail(this.pos >= this.tokens.length ? 'Unclosed (' : 'Expected , or )');
    }
    this.pos++;
    return args;
  }
}

/**
 * Parse the body of an `eval:` expression.
 * @param source the full text as the caller gave it (used in errors)
 * @param bodyStart where the body starts in `source` (after `eval:`); error indices are into `source`
 * @returns the statements and tokens
 * @throws ExpressionError `EXPR_SYNTAX`, `EXPR_UNSUPPORTED`, or `EXPR_LIMIT` when the text nests too deeply
 */
export function parseBody(source: string, bodyStart: number): ParsedBody {
  const body = source.slice(bodyStart);
  const lexed = tokenize(body);
  if (!lexed.ok) throw new ExpressionError(lexed.problem.code, lexed.problem.description, source, bodyStart + lexed.problem.index);
  if (lexed.tokens.length === 0) {
    throw new ExpressionError('EXPR_SYNTAX', 'Empty expression (Frappe would run "let out = ; return out")', source, source.length);
  }
  try {
    return { statements: new Parser(body, lexed.tokens).statements(), tokens: lexed.tokens };
  } catch (e) {
    if (e instanceof SyntaxFault) throw new ExpressionError(e.code, e.description, source, bodyStart + e.index);
    if (e instanceof RangeError) throw new ExpressionError('EXPR_LIMIT', 'Expression nests too deeply to parse', source, bodyStart, { cause: e });
    throw e;
  }
}
