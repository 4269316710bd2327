/**
 * A small JavaScript tokenizer: the first step of parsing (`parse.ts` reads its tokens).
 *
 * Frappe runs expressions as real JavaScript, so we scan the text with JavaScript's own lexical rules and
 * refuse, with the construct's name and position, everything we do not support (`=`, `=>`, `++`, template
 * literals, regular expressions, comments, legacy numerals) or that JavaScript itself rejects. The token list is
 * also how we locate a construct in the source text for error indices.
 *
 * @module
 */

/** One token of the source text. `start`/`end` are indices into the text that was scanned. */
export interface Token {
  readonly kind: 'ident' | 'num' | 'str' | 'punct';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** A lexical problem: `code` says whether the text is invalid JavaScript or valid but unsupported. */
export interface LexProblem {
  readonly code: 'EXPR_SYNTAX' | 'EXPR_UNSUPPORTED';
  readonly description: string;
  readonly index: number;
}

/** Result of {@link tokenize}: the tokens, or the first problem found. */
export type LexResult = { readonly ok: true; readonly tokens: readonly Token[] } | { readonly ok: false; readonly problem: LexProblem };

// Longest first, so that `>>>=` wins over `>>>` and `>>`.
const PUNCTUATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '**', '<<', '>>',
  '{', '}', '(', ')', '[', ']', ';', ',', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '?', ':', '=', '.',
];

/** Punctuators that are valid JavaScript but never allowed in an expression we run. */
const UNSUPPORTED_PUNCT: Readonly<Record<string, string>> = {
  '=>': 'arrow function',
  '++': 'increment operator (assignment)',
  '--': 'decrement operator (assignment)',
  '...': 'spread syntax',
  '{': 'object literal or block',
  '}': 'object literal or block',
};

/**
 * Reserved words and keywords that cannot start an identifier reference in our subset. `typeof` is the only
 * keyword operator we support; `true`, `false`, `null` are literals.
 */
const KEYWORDS: Readonly<Record<string, string>> = {
  new: "'new' operator",
  this: "'this'",
  function: 'function expression',
  class: 'class expression',
  delete: "'delete' operator",
  void: "'void' operator",
  in: "'in' operator (it walks the prototype chain)",
  instanceof: "'instanceof' operator",
  var: 'variable declaration',
  let: 'variable declaration',
  const: 'variable declaration',
  if: "statement 'if'",
  else: "statement 'else'",
  for: "statement 'for'",
  while: "statement 'while'",
  do: "statement 'do'",
  switch: "statement 'switch'",
  case: "statement 'case'",
  default: "keyword 'default'",
  break: "statement 'break'",
  continue: "statement 'continue'",
  return: "statement 'return'",
  throw: "statement 'throw'",
  try: "statement 'try'",
  catch: "keyword 'catch'",
  finally: "keyword 'finally'",
  with: "statement 'with'",
  debugger: "statement 'debugger'",
  yield: "keyword 'yield'",
  await: "keyword 'await'",
  async: "keyword 'async'",
  import: "keyword 'import'",
  export: "keyword 'export'",
  super: "keyword 'super'",
  enum: "keyword 'enum'",
  static: "keyword 'static'",
  implements: "keyword 'implements'",
  interface: "keyword 'interface'",
  package: "keyword 'package'",
  private: "keyword 'private'",
  protected: "keyword 'protected'",
  public: "keyword 'public'",
};

/** The whitespace we accept. JavaScript has more (NBSP, BOM, U+2028...): refused, naming the character. */
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** True when `name` is an IdentifierName (used for property names; keywords are allowed there). */
export function isIdentifierName(name: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(name);
}

/** Keyword description when `name` is reserved, e.g. `"'new' operator"`. */
export function keywordDescription(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(KEYWORDS, name) ? KEYWORDS[name] : undefined;
}

/**
 * Scan `text` with JavaScript's lexical rules (the subset we support).
 * @param text the expression body
 * @returns the tokens, or the first problem with its index in `text`
 */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  const fail = (code: LexProblem['code'], description: string, index: number): LexResult => ({
    ok: false,
    problem: { code, description, index },
  });
  // True when the previous token ends an operand, so a following `/` is division, not a regex literal.
  const afterOperand = () => {
    const t = tokens[tokens.length - 1];
    if (!t) return false;
    if (t.kind === 'punct') return t.value === ')' || t.value === ']';
    if (t.kind !== 'ident') return true;
    const before = tokens[tokens.length - 2];
    if (before?.kind === 'punct' && (before.value === '.' || before.value === '?.')) return true; // a property name
    return t.value !== 'typeof' && keywordDescription(t.value) === undefined;
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text.charAt(i);
        if (d === '\\') {
          i += text.startsWith('\r\n', i + 1) ? 3 : 2;
          continue;
        }
        if (d === '\n' || d === '\r') return fail('EXPR_SYNTAX', 'Unterminated string (line break inside quotes)', i);
        i++;
        if (d === c) {
          closed = true;
          break;
        }
      }
      if (!closed) return fail('EXPR_SYNTAX', 'Unclosed quote', start);
      tokens.push({ kind: 'str', value: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '`') return fail('EXPR_UNSUPPORTED', 'unsupported template literal', i);
    if (isDigit(c) || (c === '.' && isDigit(text.charAt(i + 1)))) {
      const m = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
      const raw = m ? m[0] : c;
      const next = text.charAt(i + raw.length);
      if (/^0\d/.test(raw)) return fail('EXPR_UNSUPPORTED', 'unsupported legacy octal / leading-zero number literal', i);
      if (next !== '' && (ID_PART.test(next) || next === '\\')) {
        return fail('EXPR_UNSUPPORTED', 'unsupported numeric literal form (hex, octal, binary, BigInt or separators)', i);
      }
      i += raw.length;
      tokens.push({ kind: 'num', value: raw, start, end: i });
      continue;
    }
    if (ID_START.test(c)) {
      i++;
      while (i < text.length && ID_PART.test(text.charAt(i))) i++;
      if (text.charAt(i) === '\\') return fail('EXPR_UNSUPPORTED', 'unsupported escape sequence in identifier', i);
      const value = text.slice(start, i);
      const prev = tokens[tokens.length - 1];
      const isProperty = prev?.kind === 'punct' && (prev.value === '.' || prev.value === '?.');
      const kw = keywordDescription(value);
      if (kw !== undefined && !isProperty) return fail('EXPR_UNSUPPORTED', `unsupported ${kw}`, start);
      tokens.push({ kind: 'ident', value, start, end: i });
      continue;
    }
    if (c === '\\') return fail('EXPR_UNSUPPORTED', 'unsupported escape sequence in identifier', i);
    if (c === '/' && (text.charAt(i + 1) === '/' || text.charAt(i + 1) === '*')) {
      return fail('EXPR_UNSUPPORTED', 'unsupported comment (Frappe appends "; return out", which a // comment would swallow)', i);
    }
    if (c === '/' && !afterOperand()) return fail('EXPR_UNSUPPORTED', 'unsupported regular expression literal', i);
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
    if (p === undefined) {
      const cp = text.codePointAt(i) ?? 0;
      const desc = cp > 127 && /\s/u.test(c) ? 'Unsupported whitespace character' : 'Invalid or unexpected character';
      return fail('EXPR_SYNTAX', `${desc} U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, i);
    }
    // JavaScript reads `a?.5:1` as `a ? .5 : 1`; the longest match here would read an optional chain. Refuse rather than misread.
    if (p === '?.' && isDigit(text.charAt(i + 2))) {
      return fail('EXPR_UNSUPPORTED', "ambiguous '?.' before a digit: write '? .5' with a space", i);
    }
    const unsupported = UNSUPPORTED_PUNCT[p];
    if (unsupported !== undefined) return fail('EXPR_UNSUPPORTED', `unsupported ${unsupported}`, i);
    if (p.endsWith('=') && !['==', '===', '!=', '!==', '<=', '>='].includes(p)) {
      return fail('EXPR_UNSUPPORTED', `unsupported assignment '${p}'`, i);
    }
    if (p === '#' || p === '@') return fail('EXPR_SYNTAX', `Invalid or unexpected token '${p}'`, i);
    i += p.length;
    tokens.push({ kind: 'punct', value: p, start, end: i });
  }
  return { ok: true, tokens };
}

/**
 * Decode the text of a JavaScript string literal, quotes included, exactly as a sloppy-mode script does
 * (a naive decoder would read `\x41` as `x41` and `\0` as `0`).
 * @param raw the literal as written, e.g. `'a\'b'`
 * @returns the string value, or an error description for an invalid escape
 */
export function decodeStringLiteral(raw: string): { ok: true; value: string } | { ok: false; description: string; offset: number } {
  let out = '';
  const end = raw.length - 1;
  let i = 1;
  while (i < end) {
    const c = raw.charAt(i);
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const at = i;
    const e = raw.charAt(i + 1);
    i += 2;
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\r':
        if (raw.charAt(i) === '\n') i++;
        break; // line continuation
      case '\n': case '\u2028': case '\u2029':
        break; // line continuation
      case 'x': {
        const h = raw.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) return { ok: false, description: 'Invalid hexadecimal escape sequence', offset: at };
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u': {
        let hex: string;
        if (raw.charAt(i) === '{') {
          const close = raw.indexOf('}', i);
          hex = close < 0 ? '' : raw.slice(i + 1, close);
          if (!/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            return { ok: false, description: 'Invalid Unicode escape sequence', offset: at };
          }
          i = close + 1;
        } else {
          hex = raw.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { ok: false, description: 'Invalid Unicode escape sequence', offset: at };
          i += 4;
        }
        out += String.fromCodePoint(parseInt(hex, 16));
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          // Legacy octal escapes are legal in sloppy mode (Frappe's `new Function` body is sloppy): up to
          // three digits when the first is 0-3, two otherwise, value <= 255.
          const m = /^[0-7]{1,3}/.exec(raw.slice(i - 1, i + 2))![0];
          const digits = e <= '3' ? m : m.slice(0, 2);
          out += String.fromCharCode(parseInt(digits, 8));
          i += digits.length - 1;
        } else {
          out += e; // includes \8, \9, quotes, backslash and any other escaped character
        }
    }
  }
  return { ok: true, value: out };
}
