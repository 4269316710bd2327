/**
 * Our expression parser (src/expr/parse.ts) against JavaScript itself: what V8 refuses as a SyntaxError we
 * refuse (as not JavaScript, or as outside our subset), and what V8 parses we never call a syntax error. Plus the
 * shapes the compiler relies on (precedence, associativity, optional chains, statements) and error positions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import { parseBody, type ExprNode } from '../../src/expr/parse';

/** Does V8 parse the body the way Frappe wraps it? */
function nativeParses(body: string): boolean {
  try {
    // eslint-disable-next-line no-new-func -- the oracle, test files only
    new Function('doc', `let out = ${body}; return out`);
    return true;
  } catch (e) {
    if (e instanceof SyntaxError) return false;
    throw e;
  }
}

function codeOf(src: string): string | undefined {
  try {
    compileExpression(src, { cache: false });
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as ExpressionError).code;
  }
}

/** The AST as a compact string: `(op left right)`, members as `a.b` / `a[k]`, marks for `?.` and `( )`. */
function show(n: ExprNode | null): string {
  if (n === null) return '_';
  const p = (s: string) => (n.parenthesized ? `(${s})` : s);
  switch (n.type) {
    case 'Literal': return p(n.raw);
    case 'Identifier': return p(n.name);
    case 'MemberExpression': return p(`${show(n.object)}${n.optional ? '?.' : n.computed ? '' : '.'}${n.computed ? `[${show(n.property)}]` : show(n.property)}`);
    case 'CallExpression': return p(`${show(n.callee)}${n.optional ? '?.' : ''}(${n.arguments.map(show).join(', ')})`);
    case 'UnaryExpression': return p(`{${n.operator} ${show(n.argument)}}`);
    case 'BinaryExpression': return p(`{${n.operator} ${show(n.left)} ${show(n.right)}}`);
    case 'ConditionalExpression': return p(`{? ${show(n.test)} ${show(n.consequent)} ${show(n.alternate)}}`);
    case 'ArrayExpression': return p(`[${n.elements.map(show).join(' ')}]`);
    case 'SequenceExpression': return p(`{, ${n.expressions.map(show).join(' ')}}`);
    default: return n.type;
  }
}
const ast = (body: string) => parseBody(body, 0).statements.map(show);

describe('parser: the shapes the compiler relies on', () => {
  it.each([
    ['a + b * c - d', '{- {+ a {* b c}} d}'],
    ['2 ** 3 ** 2', '{** 2 {** 3 2}}'],
    ['a || b && c | d ^ e & f == g < h << i + j * k', '{|| a {&& b {| c {^ d {& e {== f {< g {<< h {+ i {* j k}}}}}}}}}}'],
    ['a ? b : c ? d : e', '{? a b {? c d e}}'],
    ['a || b ? c : d', '{? {|| a b} c d}'],
    ['-a ** 2', '{** {- a} 2}'], // the compiler refuses it, as JavaScript does
    ['!!doc.items.length', '{! {! doc.items.length}}'],
    ['typeof doc.a == "string"', '{== {typeof doc.a} "string"}'],
    ['a?.b.c', 'a?.b.c'],
    ['(a?.b).c', '(a?.b).c'],
    ['a?.[0]?.(1, 2,)', 'a?.[0]?.(1, 2)'],
    ['[1, , 2, ]', '[1 _ 2]'],
    ['[,]', '[_]'],
    ['(a, b)', '({, a b})'],
    ['a[b, c]', 'a[{, b c}]'],
    ['1 .toFixed(2)', '1.toFixed(2)'],
    ['doc.true.null', 'doc.true.null'],
  ])('%s', (src, expected) => {
    expect(ast(src)).toEqual([expected]);
  });

  it('separates statements at ; and at line breaks where the expression cannot go on', () => {
    expect(ast('a; b,c;; d')).toEqual(['a', '{, b c}', 'd']);
    expect(ast('a\nb')).toEqual(['a', 'b']);
    expect(ast('a\n(b)')).toEqual(['a(b)']); // JavaScript: no semicolon is inserted before (
    expect(ast('a\n? b\n: c')).toEqual(['{? a b c}']);
  });

  it('records where identifiers, literals and arrays start', () => {
    const [s] = parseBody('eval:doc.items[0] + [1]', 5).statements;
    expect(s).toMatchObject({ left: { object: { object: { start: 0 }, property: { start: 4 } }, property: { start: 10 } }, right: { start: 15 } });
  });
});

describe('parser: errors with their position in the text as given', () => {
  it.each([
    ['eval:doc.a ==) 1', 'EXPR_SYNTAX', 13, 'Unexpected token )'],
    ["eval:doc.status == 'Open' &&", 'EXPR_SYNTAX', 28, 'Expected expression after &&'],
    ['(doc.a', 'EXPR_SYNTAX', 6, 'Unclosed ('],
    ['[1, 2', 'EXPR_SYNTAX', 5, 'Unclosed ['],
    ['doc.a doc.b', 'EXPR_SYNTAX', 6, 'Unexpected token "doc"'],
    ['a ? b', 'EXPR_SYNTAX', 5, 'Expected :'],
    ['doc.', 'EXPR_SYNTAX', 4, 'Unexpected end of expression after .'],
    ['f(1,,2)', 'EXPR_SYNTAX', 4, 'Unexpected token ,'],
    [';doc.a', 'EXPR_SYNTAX', 0, "Unexpected token ';'"],
    ['doc.a, doc.b', 'EXPR_UNSUPPORTED', 5, undefined],
    ['typeof', 'EXPR_SYNTAX', 6, 'Expected expression after typeof'],
  ])('%s -> %s at %i', (src, code, index, description) => {
    let err: ExpressionError | undefined;
    try {
      parseBody(src, src.startsWith('eval:') ? 5 : 0);
    } catch (e) {
      err = e as ExpressionError;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err!.code).toBe(code);
    expect(err!.index).toBe(index);
    if (description !== undefined) expect(err!.description).toBe(description);
  });

  it('refuses nesting deeper than it follows as EXPR_LIMIT, without overflowing the stack', () => {
    for (const src of ['('.repeat(5000) + '1' + ')'.repeat(5000), '['.repeat(5000), '!'.repeat(3000) + '1', '- '.repeat(3000) + '1', 'a?b:'.repeat(2000) + 'c', '2**'.repeat(3000) + '2']) {
      expect(() => parseBody(src, 0)).toThrow(expect.objectContaining({ code: 'EXPR_LIMIT' }));
    }
    expect(ast('('.repeat(200) + '1' + ')'.repeat(200))).toEqual(['(1)']);
  });
});

describe('parser: differential against V8 on random token soup', () => {
  const TOKENS = ['doc', 'doc.a', 'a', '1', '.5', '"s"', 'null', 'true', 'typeof', '.', '?.', '(', ')', '[', ']', ',', ';', '?', ':',
    '+', '-', '!', '~', '*', '**', '??', '||', '&&', '&', '==', '!==', '<', '>>>'];
  const text = fc.array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '', '\n')), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.map(([t, sep]) => t + sep).join(''));

  it('what V8 refuses we refuse; what V8 parses is never EXPR_SYNTAX', () => {
    let accepted = 0;
    fc.assert(
      fc.property(text, (body) => {
        const ours = codeOf(body);
        if (nativeParses(body)) {
          expect(ours, body).not.toBe('EXPR_SYNTAX');
          if (ours === undefined) accepted++;
        } else {
          expect(['EXPR_SYNTAX', 'EXPR_UNSUPPORTED', 'EXPR_LIMIT'], body).toContain(ours);
        }
      }),
      { numRuns: 20_000, seed: 19 },
    );
    expect(accepted).toBeGreaterThan(500); // the soup does contain real expressions
  });
});
