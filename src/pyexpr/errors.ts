/**
 * The one error type of the Python-expression layer.
 *
 * @module
 */
import { CoworkerError } from '../errors';

/** Codes carried by {@link PyExprError}. */
export type PyExprErrorCode =
  /** The text is not a Python expression (Python's `SyntaxError`). */
  | 'PYEXPR_SYNTAX'
  /** Valid Python that coworker refuses: a construct outside the subset, a `_`-prefixed name, an unknown method. */
  | 'PYEXPR_UNSUPPORTED'
  /** Longer, deeper or more work than the configured limits (source length, nesting, steps, result size, db calls). */
  | 'PYEXPR_LIMIT'
  /** Evaluation raised where Python raises; `pyType` is Python's exception class (`TypeError`, `NameError`...). */
  | 'PYEXPR_RUNTIME';

/** A Python expression could not be compiled or evaluated. */
export class PyExprError extends CoworkerError {
  declare readonly code: PyExprErrorCode;
  /** The expression text as given. */
  readonly source: string;
  /** 0-based character index into `source`, when known. */
  readonly index: number | undefined;
  /** Short description without the position. */
  readonly description: string;
  /** Python's exception class for the same failure (`SyntaxError`, `TypeError`, `ZeroDivisionError`...). */
  readonly pyType: string;

  constructor(code: PyExprErrorCode, pyType: string, description: string, source: string, index?: number) {
    super(code, `${pyType}: ${description}${index === undefined ? '' : ` at character ${index}`} in ${JSON.stringify(source)}`);
    this.source = source;
    this.index = index;
    this.description = description;
    this.pyType = pyType;
  }

  override get name(): string {
    return 'PyExprError';
  }
}

/**
 * Raised inside evaluation where Python raises; the compiler catches it and adds the source and position.
 * `code` is `PYEXPR_RUNTIME` unless the failure is a limit or an unsupported operation.
 */
export class PyFault {
  constructor(
    readonly pyType: string,
    readonly message: string,
    readonly code: 'PYEXPR_RUNTIME' | 'PYEXPR_LIMIT' | 'PYEXPR_UNSUPPORTED' = 'PYEXPR_RUNTIME',
  ) {}
}

/** Throw a Python-style failure from evaluation. */
export function raise(pyType: string, message: string): never {
  throw new PyFault(pyType, message);
}
