/**
 * Python's arithmetic and bitwise operators on the values of `values.ts`, with CPython's int / float rules
 * (`/` always gives a float, `//` and `%` floor towards -inf with the sign of the divisor, `int ** negative` is
 * a float) and its errors (`TypeError`, `ZeroDivisionError`, `OverflowError`). Results that could exhaust
 * memory (long strings and lists, huge ints) are metered.
 *
 * @module
 */
import { PyFault, raise } from './errors';
import { PyTuple, intOf, isNumber, typeName } from './values';

/** The work budget of one evaluation. */
export interface Meter {
  steps: number;
  readonly maxSteps: number;
  /** Longest string / list / tuple an operation may build. */
  readonly maxSize: number;
  /** Largest int, in bits. */
  readonly maxIntBits: number;
}

export function limit(message: string): never {
  throw new PyFault('MemoryError', message, 'PYEXPR_LIMIT');
}

function unsupported(message: string): never {
  throw new PyFault('TypeError', message, 'PYEXPR_UNSUPPORTED');
}

const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length;

function checkInt(n: bigint, meter: Meter): bigint {
  if (n > 1n << 64n || n < -(1n << 64n)) {
    if (bitLength(n) > meter.maxIntBits) limit(`an int longer than ${meter.maxIntBits} bits`);
  }
  return n;
}

function checkSize(n: number, meter: Meter): void {
  meter.steps += Math.ceil(n / 64);
  if (n > meter.maxSize) limit(`a result longer than ${meter.maxSize}`);
  if (meter.steps > meter.maxSteps) limit(`more than ${meter.maxSteps} steps`);
}

function toFloat(n: bigint | number): number {
  if (typeof n === 'number') return n;
  const f = Number(n);
  if (!Number.isFinite(f)) raise('OverflowError', 'int too large to convert to float');
  return f;
}

const opError = (op: string, a: unknown, b: unknown): never =>
  raise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);

/** CPython `float_divmod` / `float_rem`. */
function floatDivmod(vx: number, wx: number): [number, number] {
  if (wx === 0) raise('ZeroDivisionError', 'float floor division by zero');
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if ((wx < 0) !== (mod < 0)) { mod += wx; div -= 1; }
  } else {
    mod = wx < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = (vx / wx < 0 || Object.is(vx / wx, -0)) ? -0 : 0;
  }
  return [floordiv, mod];
}

function intFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) raise('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) raise('ZeroDivisionError', 'integer division or modulo by zero');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

function power(a: bigint | number, b: bigint | number, meter: Meter): bigint | number {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b < 0n) {
      if (a === 0n) raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      return power(toFloat(a), toFloat(b), meter);
    }
    const bits = bitLength(a);
    if (a !== 0n && a !== 1n && a !== -1n && (bits - 1) * Number(b) > meter.maxIntBits) limit(`an int longer than ${meter.maxIntBits} bits`);
    return a ** b;
  }
  const x = toFloat(a);
  const y = toFloat(b);
  if (x === 0 && y < 0) raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y)) unsupported('a negative number to a fractional power is complex');
  // Math.pow is not correctly rounded (V8: 7 ** -2 is one ulp off); where x^|y| is an exact double, one division is.
  if (x !== 0 && Number.isInteger(x) && Number.isInteger(y) && Math.abs(y) <= 64) {
    const p = BigInt(Math.abs(x)) ** BigInt(Math.abs(y));
    if (p <= 2n ** 53n) {
      const m = (x < 0 && Math.abs(y) % 2 === 1 ? -1 : 1) * Number(p);
      return y < 0 ? 1 / m : m;
    }
  }
  const r = Math.pow(x, y);
  if (Number.isNaN(r) && x === 1) return 1; // Python: 1.0 ** nan == 1.0 (JS gives NaN)
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) raise('OverflowError', '(34, \'Numerical result out of range\')');
  return r;
}

function repeat(seq: unknown, count: boolean | bigint | number, meter: Meter): unknown {
  if (typeof count === 'number') raise('TypeError', `can't multiply sequence by non-int of type 'float'`);
  const n = Number(intOf(count) as bigint);
  const k = Math.max(0, n);
  if (typeof seq === 'string') { checkSize(seq.length * k, meter); return seq.repeat(k); }
  const items = Array.isArray(seq) ? seq : (seq as PyTuple).items;
  checkSize(items.length * k, meter);
  const out: unknown[] = [];
  for (let i = 0; i < k; i++) out.push(...items);
  return Array.isArray(seq) ? out : new PyTuple(out);
}

const isSeq = (v: unknown): boolean => typeof v === 'string' || Array.isArray(v) || v instanceof PyTuple;

/** Python binary operator `a op b`. */
export function binaryOp(op: string, a: unknown, b: unknown, meter: Meter): unknown {
  if (isNumber(a) && isNumber(b)) {
    if ((op === '&' || op === '|' || op === '^') && typeof a === 'boolean' && typeof b === 'boolean') {
      return op === '&' ? a && b : op === '|' ? a || b : a !== b;
    }
    const x = intOf(a);
    const y = intOf(b);
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      switch (op) {
        case '+': return checkInt(x + y, meter);
        case '-': return checkInt(x - y, meter);
        case '*':
          if (bitLength(x) + bitLength(y) > meter.maxIntBits + 1) limit(`an int longer than ${meter.maxIntBits} bits`);
          return x * y;
        case '/':
          if (y === 0n) raise('ZeroDivisionError', 'division by zero');
          return toFloat(x) / toFloat(y);
        case '//': return intFloorDiv(x, y);
        case '%': return intMod(x, y);
        case '**': return power(x, y, meter);
        case '&': return x & y;
        case '|': return x | y;
        case '^': return x ^ y;
        case '<<':
          if (y < 0n) raise('ValueError', 'negative shift count');
          if (x !== 0n && bitLength(x) + Number(y) > meter.maxIntBits) limit(`an int longer than ${meter.maxIntBits} bits`);
          return x << y;
        case '>>':
          if (y < 0n) raise('ValueError', 'negative shift count');
          return x >> y;
        default: return opError(op, a, b);
      }
    }
    const fx = toFloat(x);
    const fy = toFloat(y);
    switch (op) {
      case '+': return fx + fy;
      case '-': return fx - fy;
      case '*': return fx * fy;
      case '/':
        if (fy === 0) raise('ZeroDivisionError', 'float division by zero');
        return fx / fy;
      case '//': return floatDivmod(fx, fy)[0];
      case '%':
        if (fy === 0) raise('ZeroDivisionError', 'float modulo');
        return floatDivmod(fx, fy)[1];
      case '**': return power(x, y, meter);
      default: return opError(op, a, b);
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') { checkSize(a.length + b.length, meter); return a + b; }
    if (Array.isArray(a) && Array.isArray(b)) { checkSize(a.length + b.length, meter); return [...a, ...b]; }
    if (a instanceof PyTuple && b instanceof PyTuple) { checkSize(a.items.length + b.items.length, meter); return new PyTuple([...a.items, ...b.items]); }
    if (typeof a === 'string') raise('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
    if (Array.isArray(a)) raise('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
  }
  if (op === '*') {
    if (isSeq(a) && isNumber(b)) return repeat(a, b, meter);
    if (isNumber(a) && isSeq(b)) return repeat(b, a, meter);
  }
  if (op === '%' && typeof a === 'string') unsupported('printf-style string formatting (str % x) is not supported');
  return opError(op, a, b);
}

/** Python unary `-x`, `+x`, `~x`. */
export function unaryOp(op: string, x: unknown): unknown {
  if (isNumber(x)) {
    const v = intOf(x);
    if (op === '-') return typeof v === 'bigint' ? -v : -v;
    if (op === '+') return v;
    if (typeof v === 'bigint') return -v - 1n;
  }
  const sym = op === '-' ? '-' : op === '+' ? '+' : '~';
  return raise('TypeError', `bad operand type for unary ${sym}: '${typeName(x)}'`);
}
