/**
 * Naming: how a new document gets its `name`, exactly as Frappe decides it (`frappe/model/naming.py`).
 *
 * Terms:
 * - *autoname*: the DocType's naming recipe (`field:X`, `naming_series:`, `Prompt`, `format:...`, a series
 *   with `#`, `hash`, `autoincrement`, `UUID`).
 * - *naming series*: a `.`-separated template such as `SINV-.YYYY.-.####`; its first `#` part is a number.
 * - *counter key* (Frappe's `tabSeries.name`): the text a series generated before its first `#` part.
 * - *amended name*: `<source>-<n>` for a document amending a cancelled one.
 *
 * Data problems are returned as `NAMING` issues; only a malformed series in a DocType definition throws
 * ({@link InvalidNamingSeriesError}).
 *
 * @module
 */
export { memoryCounters, type NamingCounters } from './counters';
export type { NamingContext, NamingDoc, SeriesPartContext } from './context';
export { InvalidNamingSeriesError } from './errors';
export {
  consecutiveWeekNumber,
  formatAutoname,
  makeAutoname,
  namingSeriesPrefix,
  parseNamingSeries,
  validateNamingSeries,
} from './series';
export { validateName } from './validate';
export { amendedName } from './amend';
export { appendNumberIfNameExists, revertSeriesIfLast } from './maintenance';
export { childRowName, resolveName, type NameResult, type ResolveNameOptions } from './resolve';
export { syncAutonameField } from './sync';
