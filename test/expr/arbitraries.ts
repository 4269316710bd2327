/** The expression generator shared by the fuzzers: JavaScript text over given atoms, methods and helpers. */
import fc from 'fast-check';

export const BINOPS = ['+', '-', '*', '/', '%', '==', '===', '!=', '<', '>=', '&&', '||', '??', '&', '|', '^', '<<', '>>>', '**'];

export interface Grammar {
  readonly atoms: readonly string[];
  /** Suffixes: `.length`, `[0]`, `.slice(1)`... */
  readonly methods: readonly string[];
  /** Callable names: `in_list`, `frappe.user.has_role`... */
  readonly helpers: readonly string[];
  /** Also computed member access `(a)[b]` and array literals. */
  readonly extended?: boolean;
}

/** Random expressions (as text) of the supported syntax and a bit beyond, nested small. */
export function expressionText(g: Grammar): fc.Arbitrary<string> {
  return fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...g.atoms),
      fc.tuple(tie('e'), fc.constantFrom(...BINOPS), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(fc.constantFrom('!', '-', '+', '~', 'typeof '), tie('e')).map(([o, a]) => `${o}(${a})`),
      fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
      fc.tuple(tie('e'), fc.constantFrom(...g.methods)).map(([a, m]) => `(${a})${m}`),
      fc.tuple(fc.constantFrom(...g.helpers), fc.array(tie('e'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
      ...(g.extended
        ? [
          fc.tuple(tie('e'), tie('e')).map(([a, k]) => `(${a})[${k}]`),
          fc.array(tie('e'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
        ]
        : []),
    ),
  })).e;
}
