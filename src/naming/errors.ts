/**
 * The one error naming throws: a naming series that is wrong in the DocType definition (misuse), as opposed
 * to a naming problem in document data, which is returned as an `Issue`.
 *
 * @module
 */
import { CoworkerError } from '../errors';

/**
 * A naming series is malformed (Frappe's `InvalidNamingSeriesError`).
 * `code` is always `INVALID_NAMING_SERIES`; `series` is the offending text.
 */
export class InvalidNamingSeriesError extends CoworkerError {
  declare readonly code: 'INVALID_NAMING_SERIES';
  /** The naming series as checked (after `.#####` was appended when it had no `#`). */
  readonly series: string;

  constructor(series: string, message: string) {
    super('INVALID_NAMING_SERIES', message);
    this.series = series;
  }

  override get name(): string {
    return 'InvalidNamingSeriesError';
  }
}
