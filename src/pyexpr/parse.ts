/**
 * Recursive-descent parser for the Python expression subset, following Python 3's grammar and precedence
 * (lowest first): conditional `x if c else y`, `or`, `and`, `not`, comparisons (chained), `|`, `^`, `&`,
 * shifts, `+ -`, `* / // % @`, unary `+ - ~`, `**` (right-associative, binds tighter than a unary on its
 * left), then primaries (`.attr`, `[subscript]`, `(call)`) and atoms.
 *
 * Constructs Python has but the subset refuses (`lambda`, comprehensions, `:=`, starred arguments, `await`,
 * `yield`) are reported as `PYEXPR_UNSUPPORTED`, never as syntax errors, so a user learns why.
 *
 * @module
 */
import { PyExprError } from './errors';
import { tokenize, type Token } from './lex';

export type PyNode =
  | { readonly t: 'const'; readonly v: unknown; readonly i: number }
  | { readonly t: 'name'; readonly id: string; readonly i: number }
  | { readonly t: 'attr'; readonly obj: PyNode; readonly name: string; readonly i: number }
  | { readonly t: 'sub'; readonly obj: PyNode; readonly index: PyNode; readonly i: number }
  | { readonly t: 'slice'; readonly lo: PyNode | null; readonly hi: PyNode | null; readonly step: PyNode | null; readonly i: number }
  | { readonly t: 'call'; readonly fn: PyNode; readonly args: readonly PyNode[]; readonly kwargs: ReadonlyArray<readonly [string, PyNode]>; readonly i: number }
  | { readonly t: 'unary'; readonly op: string; readonly x: PyNode; readonly i: number }
  | { readonly t: 'bin'; readonly op: string; readonly l: PyNode; readonly r: PyNode; readonly i: number }
  | { readonly t: 'bool'; readonly op: 'and' | 'or'; readonly xs: readonly PyNode[]; readonly i: number }
  | { readonly t: 'not'; readonly x: PyNode; readonly i: number }
  | { readonly t: 'cmp'; readonly first: PyNode; readonly ops: readonly string[]; readonly rest: readonly PyNode[]; readonly i: number }
  | { readonly t: 'if'; readonly test: PyNode; readonly body: PyNode; readonly orelse: PyNode; readonly i: number }
  | { readonly t: 'list' | 'tuple' | 'set'; readonly xs: readonly PyNode[]; readonly i: number }
  | { readonly t: 'dict'; readonly keys: readonly PyNode[]; readonly values: readonly PyNode[]; readonly i: number };

/** Python keywords: none of them is a name. */
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);

/** Parse a whole expression. `maxDepth` bounds nesting (brackets, operators, calls). */
export function parsePython(source: string, maxDepth: number): PyNode {
  const tokens = tokenize(source);
  let pos = 0;
  let depth = 0;

  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (v: string, tok: Token = peek()): boolean => tok.kind === 'op' && tok.value === v;
  const isKw = (v: string, tok: Token = peek()): boolean => tok.kind === 'name' && tok.value === v;
  const fail = (message: string, tok: Token = peek()): never => {
    throw new PyExprError('PYEXPR_SYNTAX', 'SyntaxError', message, source, tok.index);
  };
  const unsupported = (message: string, tok: Token = peek()): never => {
    throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', message, source, tok.index);
  };
  const expect = (v: string): Token => (isOp(v) ? next() : fail(`expected '${v}'`));
  const enter = (): void => {
    if (++depth > maxDepth) {
      throw new PyExprError('PYEXPR_LIMIT', 'SyntaxError', `nesting deeper than ${maxDepth}`, source, peek().index);
    }
  };

  /** `expressions`: one expression or a bare tuple `a, b`. */
  function exprList(closing: string | null): PyNode {
    const start = peek();
    const first = test();
    if (!isOp(',')) return first;
    const xs = [first];
    while (isOp(',')) {
      next();
      if (peek().kind === 'eof' || (closing !== null && isOp(closing))) break;
      xs.push(test());
    }
    return { t: 'tuple', xs, i: start.index };
  }

  /** `test`: a conditional expression (or refused lambda). */
  function test(): PyNode {
    enter();
    if (isKw('lambda')) unsupported('lambda is not supported');
    if (isOp('*')) unsupported('starred expressions are not supported');
    const body = orTest();
    let result = body;
    if (isKw('if')) {
      const tok = next();
      const cond = orTest();
      if (!isKw('else')) fail("expected 'else' after 'if' expression");
      next();
      result = { t: 'if', test: cond, body, orelse: test(), i: tok.index };
    }
    if (isOp(':=')) unsupported('assignment expressions (:=) are not allowed');
    if (isKw('for') || isKw('async')) unsupported('comprehensions are not supported');
    depth--;
    return result;
  }

  function boolChain(op: 'and' | 'or', sub: () => PyNode): PyNode {
    const start = peek();
    const first = sub();
    if (!isKw(op)) return first;
    const xs = [first];
    while (isKw(op)) { next(); xs.push(sub()); }
    return { t: 'bool', op, xs, i: start.index };
  }
  const orTest = (): PyNode => boolChain('or', andTest);
  const andTest = (): PyNode => boolChain('and', notTest);

  function notTest(): PyNode {
    if (isKw('not')) {
      const tok = next();
      enter();
      const x = notTest();
      depth--;
      return { t: 'not', x, i: tok.index };
    }
    return comparison();
  }

  function compareOp(): string | null {
    const tok = peek();
    if (tok.kind === 'op' && COMPARE_OPS.has(tok.value)) { next(); return tok.value; }
    if (isKw('in')) { next(); return 'in'; }
    if (isKw('not') && isKw('in', tokens[pos + 1])) { pos += 2; return 'not in'; }
    if (isKw('is')) { next(); if (isKw('not')) { next(); return 'is not'; } return 'is'; }
    if (isOp('<>')) fail('invalid syntax');
    return null;
  }

  function comparison(): PyNode {
    const start = peek();
    const first = bitOr();
    const ops: string[] = [];
    const rest: PyNode[] = [];
    for (let op = compareOp(); op !== null; op = compareOp()) { ops.push(op); rest.push(bitOr()); }
    return ops.length ? { t: 'cmp', first, ops, rest, i: start.index } : first;
  }

  function binaryLevel(ops: readonly string[], sub: () => PyNode): () => PyNode {
    return () => {
      let left = sub();
      while (peek().kind === 'op' && ops.includes(peek().value as string)) {
        const tok = next();
        enter();
        left = { t: 'bin', op: tok.value as string, l: left, r: sub(), i: tok.index };
        depth--;
      }
      return left;
    };
  }

  function factor(): PyNode {
    const tok = peek();
    if (isOp('-') || isOp('+') || isOp('~')) {
      next();
      enter();
      const x = factor();
      depth--;
      return { t: 'unary', op: tok.value as string, x, i: tok.index };
    }
    return power();
  }

  function power(): PyNode {
    if (isKw('await')) unsupported('await is not supported');
    const base = primary();
    if (isOp('**')) {
      const tok = next();
      enter();
      const r = factor();
      depth--;
      return { t: 'bin', op: '**', l: base, r, i: tok.index };
    }
    return base;
  }

  const term = binaryLevel(['*', '/', '//', '%', '@'], factor);
  const arith = binaryLevel(['+', '-'], term);
  const shift = binaryLevel(['<<', '>>'], arith);
  const bitAnd = binaryLevel(['&'], shift);
  const bitXor = binaryLevel(['^'], bitAnd);
  const bitOr = binaryLevel(['|'], bitXor);

  function primary(): PyNode {
    let node = atom();
    for (;;) {
      const tok = peek();
      if (isOp('.')) {
        next();
        const name = next();
        if (name.kind !== 'name' || KEYWORDS.has(name.value)) fail('invalid syntax', name);
        node = { t: 'attr', obj: node, name: name.value as string, i: name.index };
      } else if (isOp('[')) {
        next();
        enter();
        const index = subscriptList();
        expect(']');
        depth--;
        node = { t: 'sub', obj: node, index, i: tok.index };
      } else if (isOp('(')) {
        next();
        enter();
        node = callArgs(node, tok);
        depth--;
      } else {
        return node;
      }
    }
  }

  function callArgs(fn: PyNode, open: Token): PyNode {
    const args: PyNode[] = [];
    const kwargs: Array<readonly [string, PyNode]> = [];
    while (!isOp(')')) {
      if (isOp('*') || isOp('**')) unsupported('starred arguments are not supported');
      const tok = peek();
      if (tok.kind === 'name' && isOp('=', tokens[pos + 1])) {
        if (KEYWORDS.has(tok.value)) fail('invalid syntax');
        pos += 2;
        if (kwargs.some(([k]) => k === tok.value)) fail(`keyword argument repeated: ${tok.value}`, tok);
        kwargs.push([tok.value, test()]);
      } else {
        if (kwargs.length) fail('positional argument follows keyword argument');
        args.push(test());
      }
      if (!isOp(',')) break;
      next();
    }
    expect(')');
    return { t: 'call', fn, args, kwargs, i: open.index };
  }

  function subscriptList(): PyNode {
    const start = peek();
    const first = subscript();
    if (!isOp(',')) return first;
    const xs = [first];
    while (isOp(',')) { next(); if (isOp(']')) break; xs.push(subscript()); }
    return { t: 'tuple', xs, i: start.index };
  }

  function subscript(): PyNode {
    const start = peek();
    const lo = isOp(':') ? null : test();
    if (!isOp(':')) return lo!;
    next();
    const hi = isOp(':') || isOp(']') || isOp(',') ? null : test();
    let step: PyNode | null = null;
    if (isOp(':')) { next(); step = isOp(']') || isOp(',') ? null : test(); }
    return { t: 'slice', lo, hi, step, i: start.index };
  }

  function atom(): PyNode {
    const tok = next();
    switch (tok.kind) {
      case 'int':
      case 'float':
        return { t: 'const', v: tok.value, i: tok.index };
      case 'str': {
        let v = tok.value;
        while (peek().kind === 'str') v += next().value as string;
        return { t: 'const', v, i: tok.index };
      }
      case 'name': {
        if (tok.value === 'None') return { t: 'const', v: null, i: tok.index };
        if (tok.value === 'True') return { t: 'const', v: true, i: tok.index };
        if (tok.value === 'False') return { t: 'const', v: false, i: tok.index };
        if (tok.value === 'yield' || tok.value === 'await' || tok.value === 'lambda') unsupported(`${tok.value} is not supported`, tok);
        if (KEYWORDS.has(tok.value)) fail('invalid syntax', tok);
        return { t: 'name', id: tok.value, i: tok.index };
      }
      case 'op':
        return bracketAtom(tok);
      default:
        return fail('unexpected end of expression', tok);
    }
  }

  function bracketAtom(tok: Token): PyNode {
    enter();
    let node: PyNode;
    if (tok.value === '(') {
      if (isOp(')')) { next(); node = { t: 'tuple', xs: [], i: tok.index }; }
      else {
        if (isKw('yield')) unsupported('yield is not supported');
        const inner = exprList(')');
        expect(')');
        node = inner;
      }
    } else if (tok.value === '[') {
      const xs: PyNode[] = [];
      while (!isOp(']')) {
        xs.push(test());
        if (!isOp(',')) break;
        next();
      }
      expect(']');
      node = { t: 'list', xs, i: tok.index };
    } else if (tok.value === '{') {
      node = braces(tok);
    } else if (tok.value === '...') {
      return unsupported('Ellipsis is not supported', tok);
    } else {
      return fail('invalid syntax', tok);
    }
    depth--;
    return node;
  }

  function braces(tok: Token): PyNode {
    if (isOp('}')) { next(); return { t: 'dict', keys: [], values: [], i: tok.index }; }
    if (isOp('**')) unsupported('dict unpacking is not supported');
    const first = test();
    if (isOp(':')) {
      next();
      const keys = [first];
      const values = [test()];
      while (isOp(',')) {
        next();
        if (isOp('}')) break;
        if (isOp('**')) unsupported('dict unpacking is not supported');
        keys.push(test());
        expect(':');
        values.push(test());
      }
      expect('}');
      return { t: 'dict', keys, values, i: tok.index };
    }
    const xs = [first];
    while (isOp(',')) { next(); if (isOp('}')) break; xs.push(test()); }
    expect('}');
    return { t: 'set', xs, i: tok.index };
  }

  if (peek().kind === 'eof') fail('empty expression');
  const tree = exprList(null);
  if (peek().kind !== 'eof') {
    if (isOp('=') ) unsupported('assignment is not allowed');
    fail('invalid syntax');
  }
  return tree;
}
