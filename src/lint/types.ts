/**
 * Types of the lint engine.
 *
 * @module
 */
import type { LintCode, LintSeverity } from './codes';

/** One problem found in a DocType definition. Plain data, safe to serialise (`--format json`). */
export interface LintFinding {
  /** The file that defines the DocType (as the caller named it in the file map), or the DocType name when unknown. */
  readonly file: string;
  /** The DocType concerned ('' when the file did not load far enough to know). */
  readonly doctype: string;
  /** The fieldname concerned; `undefined` for a problem of the DocType as a whole. */
  readonly field: string | undefined;
  readonly code: LintCode;
  readonly severity: LintSeverity;
  readonly message: string;
  /** The DocField property concerned, e.g. `depends_on`, `fetch_from`, `default`. */
  readonly property?: string;
  /** The expression text, for expression findings. */
  readonly expression?: string;
  /** 0-based character index into `expression`, when known. */
  readonly index?: number;
}
