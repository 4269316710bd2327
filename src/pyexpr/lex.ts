/**
 * Tokenizer for Python expressions (Python 3 lexical rules, the parts an expression can use).
 *
 * Numbers become `bigint` (Python `int`) or `number` (Python `float`); strings are decoded here (escapes,
 * raw prefixes, adjacent literals are joined by the parser). Newlines are only allowed inside brackets, after a
 * backslash, or at the end, as in `compile(..., mode='eval')`.
 *
 * @module
 */
import { PyExprError } from './errors';

export type Token =
  | { readonly kind: 'name'; readonly value: string; readonly index: number }
  | { readonly kind: 'int'; readonly value: bigint; readonly index: number }
  | { readonly kind: 'float'; readonly value: number; readonly index: number }
  | { readonly kind: 'str'; readonly value: string; readonly index: number }
  | { readonly kind: 'op'; readonly value: string; readonly index: number }
  | { readonly kind: 'eof'; readonly value: ''; readonly index: number };

/** Operators, longest first so the scanner takes `**` before `*`. */
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '**', '//', '==', '!=', '<=', '>=', '<<', '>>', '->', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '@', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=', '~', '|', '&', '^', '!',
];

const syntax = (message: string, source: string, index: number): PyExprError =>
  new PyExprError('PYEXPR_SYNTAX', 'SyntaxError', message, source, index);

const ID_START = /[\p{L}\p{Nl}_]/u;
const ID_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u;
const DEC = /^(?:[0-9](?:_?[0-9])*)/;
const FLOAT_RE = /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/;

/** Split `source` into tokens. Throws `PYEXPR_SYNTAX` with the character position. */
export function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let depth = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\f') { i++; continue; }
    if (c === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r'))) {
      i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (c === '#') { while (i < n && source[i] !== '\n') i++; continue; }
    if (c === '\n' || c === '\r') {
      if (depth > 0) { i++; continue; }
      // Outside brackets only blank lines (and comments) may follow.
      let j = i;
      while (j < n && /[\s]/.test(source[j]!)) j++;
      if (j < n && source[j] === '#') { i = j; continue; }
      if (j < n) throw syntax('invalid syntax (a newline outside brackets)', source, i);
      i = j;
      continue;
    }
    const start = i;
    // Strings, with optional prefixes.
    const prefix = /^([rRbBuUfF]{1,2})?(['"])/.exec(source.slice(i, i + 4));
    if (prefix && (prefix[1] === undefined || /^(r|u|b|f|rb|br|fr|rf)$/i.test(prefix[1]))) {
      const p = (prefix[1] ?? '').toLowerCase();
      if (p.includes('b')) throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', 'bytes literals are not supported', source, start);
      if (p.includes('f')) throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', 'f-strings are not supported', source, start);
      i += p.length;
      const q = source[i]!;
      const triple = source.startsWith(q.repeat(3), i);
      const quote = triple ? q.repeat(3) : q;
      i += quote.length;
      let raw = '';
      for (;;) {
        if (i >= n) throw syntax('unterminated string literal', source, start);
        if (source.startsWith(quote, i)) { i += quote.length; break; }
        const ch = source[i]!;
        if (!triple && (ch === '\n' || ch === '\r')) throw syntax('unterminated string literal', source, start);
        if (ch === '\\' && i + 1 < n) { raw += ch + source[i + 1]; i += 2; continue; }
        raw += ch;
        i++;
      }
      out.push({ kind: 'str', value: p.includes('r') ? raw : decodeEscapes(raw, source, start), index: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const rest = source.slice(i);
      const radix = /^0([xXoObB])((?:_?[0-9a-fA-F])+)/.exec(rest);
      if (radix) {
        const base = radix[1]!.toLowerCase();
        const digits = radix[2]!.replace(/_/g, '');
        const valid = base === 'x' ? /^[0-9a-f]+$/i : base === 'o' ? /^[0-7]+$/ : /^[01]+$/;
        if (!valid.test(digits)) throw syntax(`invalid digit in ${base === 'x' ? 'hexadecimal' : base === 'o' ? 'octal' : 'binary'} literal`, source, i);
        out.push({ kind: 'int', value: BigInt(`0${base}${digits}`), index: start });
        i += radix[0].length;
      } else {
        const f = FLOAT_RE.exec(rest)![0];
        const d = DEC.exec(rest)?.[0] ?? '';
        if (f.length > d.length) {
          out.push({ kind: 'float', value: Number(f.replace(/_/g, '')), index: start });
          i += f.length;
        } else {
          if (d.length > 1 && /^0+[1-9]/.test(d.replace(/_/g, ''))) {
            throw syntax('leading zeros in decimal integer literals are not permitted', source, start);
          }
          out.push({ kind: 'int', value: BigInt(d.replace(/_/g, '')), index: start });
          i += d.length;
        }
      }
      if (/[jJ]/.test(source[i] ?? '')) throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', 'complex numbers are not supported', source, start);
      if (ID_CONTINUE.test(source[i] ?? '')) throw syntax('invalid decimal literal', source, start);
      continue;
    }
    const cp = String.fromCodePoint(source.codePointAt(i)!);
    if (ID_START.test(cp)) {
      let j = i + cp.length;
      for (;;) {
        if (j >= n) break;
        const ch = String.fromCodePoint(source.codePointAt(j)!);
        if (!ID_CONTINUE.test(ch)) break;
        j += ch.length;
      }
      out.push({ kind: 'name', value: source.slice(i, j), index: start });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw syntax(`invalid character ${JSON.stringify(c)}`, source, i);
    if (op === '(' || op === '[' || op === '{') depth++;
    if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    out.push({ kind: 'op', value: op, index: start });
    i += op.length;
  }
  out.push({ kind: 'eof', value: '', index: n });
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** Python string escapes (a non-raw literal). Unknown escapes keep the backslash, as Python does. */
function decodeEscapes(raw: string, source: string, index: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') { out += c; continue; }
    const e = raw[i + 1]!;
    if (e in SIMPLE_ESCAPES) { out += SIMPLE_ESCAPES[e]; i++; continue; }
    if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(m, 8));
      i += m.length;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width) {
      const hex = raw.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw syntax(`truncated \\${e} escape`, source, index);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw syntax('illegal Unicode character', source, index);
      out += String.fromCodePoint(cp);
      i += 1 + width;
      continue;
    }
    if (e === 'N') throw new PyExprError('PYEXPR_UNSUPPORTED', 'SyntaxError', '\\N{...} escapes are not supported', source, index);
    out += c; // unknown escape: kept as is
  }
  return out;
}
