/**
 * The operators of expressions: JavaScript's own operators applied to the values, with a metered path for
 * operands that are objects or long strings (conversions done by `convert.ts`, long scans charged), and the
 * fused closures for the commonest shape of a Frappe condition, `doc.field <op> literal`.
 *
 * @module
 */
import { getMember } from './access';
import { heavy, operand } from './convert';
import { chargeString, spend } from './meter';
import type { Runtime } from './runtime';

/** A compiled node: evaluates against one evaluation's runtime. */
export type Fn = (rt: Runtime) => unknown;

export type N = number;
/** Binary operators by name, JavaScript's own. */
export const BINARY: Readonly<Record<string, (a: unknown, b: unknown) => unknown>> = {
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
  '<': (a, b) => (a as N) < (b as N),
  '>': (a, b) => (a as N) > (b as N),
  '<=': (a, b) => (a as N) <= (b as N),
  '>=': (a, b) => (a as N) >= (b as N),
  '+': (a, b) => (a as N) + (b as N),
  '-': (a, b) => (a as N) - (b as N),
  '*': (a, b) => (a as N) * (b as N),
  '/': (a, b) => (a as N) / (b as N),
  '%': (a, b) => (a as N) % (b as N),
  '**': (a, b) => (a as N) ** (b as N),
  '&': (a, b) => (a as N) & (b as N),
  '|': (a, b) => (a as N) | (b as N),
  '^': (a, b) => (a as N) ^ (b as N),
  '<<': (a, b) => (a as N) << (b as N),
  '>>': (a, b) => (a as N) >> (b as N),
  '>>>': (a, b) => (a as N) >>> (b as N),
};

/** Unary operators by name. */
export const UNARY: Readonly<Record<string, (a: unknown) => unknown>> = {
  '!': (a) => !a,
  '-': (a) => -(a as N),
  '+': (a) => +(a as N),
  '~': (a) => ~(a as N),
  typeof: (a) => typeof a,
};

/**
 * The metered path of a binary operator, taken when an operand is an object, a function or a long string
 * ({@link heavy}): conversions are done by `convert.ts` (charged, no caller code), long strings are charged
 * for the scan, and a string built by `+` is charged before it is used.
 */
export function slowBinary(rt: Runtime, operator: string, a: unknown, b: unknown, at: number): unknown {
  rt.at = at;
  switch (operator) {
    case '==':
    case '!=': {
      const objA = (typeof a === 'object' && a !== null) || typeof a === 'function';
      const objB = (typeof b === 'object' && b !== null) || typeof b === 'function';
      let eq: boolean;
      if (objA && objB) eq = a === b;
      else if (a === null || a === undefined || b === null || b === undefined) eq = a == b; // no conversion
      else eq = operand(rt, a, 'default') == operand(rt, b, 'default');
      return operator === '==' ? eq : !eq;
    }
    case '===':
    case '!==': {
      if (typeof a === 'string' && typeof b === 'string') spend(rt, Math.min(a.length, b.length));
      return operator === '===' ? a === b : a !== b;
    }
    case '+': {
      const p = operand(rt, a, 'default');
      const q = operand(rt, b, 'default');
      if (typeof p !== 'string' && typeof q !== 'string') return (p as N) + (q as N);
      const ps = typeof p === 'string' ? p : '' + (p as string);
      const qs = typeof q === 'string' ? q : '' + (q as string);
      chargeString(rt, ps.length + qs.length);
      return ps + qs;
    }
    default: {
      const p = operand(rt, a, 'number');
      return BINARY[operator]!(p, operand(rt, b, 'number'));
    }
  }
}

/** `a + b`: numbers directly; a string result is charged (it may be flattened, i.e. copied, later). */
export function plus(rt: Runtime, a: unknown, b: unknown, at: number): unknown {
  if (heavy(a) || heavy(b)) return slowBinary(rt, '+', a, b, at);
  const r: unknown = (a as N) + (b as N);
  if (typeof r === 'string') {
    rt.at = at;
    chargeString(rt, r.length);
  }
  return r;
}

export type R = Record<string, unknown>;

/**
 * `doc.k <op> literal`, the commonest shape of a Frappe condition, as one closure instead of three: the closure
 * tree's indirect calls, not the operators, are what an evaluation spends its time on.
 */
export function fusedCompare(operator: string, k: string, v: unknown, slow: (rt: Runtime, a: unknown, b: unknown) => unknown): Fn | undefined {
  switch (operator) {
    case '==': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : a == v; };
    case '!=': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : a != v; };
    case '===': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : a === v; };
    case '!==': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : a !== v; };
    case '<': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : (a as N) < (v as N); };
    case '>': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : (a as N) > (v as N); };
    case '<=': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : (a as N) <= (v as N); };
    case '>=': return (rt) => { const a = rt.docPlain ? (rt.doc as R)[k] : getMember(rt.doc, k); return heavy(a) ? slow(rt, a, v) : (a as N) >= (v as N); };
    default: return undefined;
  }
}

