/**
 * What naming reads from its surroundings: counters, the clock, ids, user defaults and the stored
 * `amended_from` of other documents. Everything is injected (nothing ambient is read directly).
 *
 * @module
 */
import type { Clock, IdGenerator } from '../env';
import type { DocType } from '../schema/types';
import type { NamingCounters } from './counters';

/** A document as naming sees it: a plain object of field values (own properties only are read). */
export type NamingDoc = Readonly<Record<string, unknown>>;

/** The parts of {@link NamingContext} that naming-series *parsing* needs (no counter). */
export interface SeriesPartContext {
  /** "Now" for the `YY` / `MM` / `DD` / `YYYY` / `WW` / `timestamp` parts. */
  readonly clock: Clock;
  /** IANA time zone the date parts are read in (Frappe: the system time zone). @default 'UTC' */
  readonly timeZone?: string | undefined;
  /** User defaults; `fiscal_year` feeds the `FY` part. @default {} */
  readonly userDefaults?: Readonly<Record<string, unknown>> | undefined;
}

/** Everything name resolution reads. */
export interface NamingContext extends SeriesPartContext {
  /** Series counters (`tabSeries`). */
  readonly counters: NamingCounters;
  /** Source of hash names and UUIDs. */
  readonly ids: IdGenerator;
  /**
   * Look up a stored document's `amended_from`, for amend naming (`frappe.db.get_value(doctype, name,
   * "amended_from")`). When absent, every source counts as never amended (what Frappe does when the source
   * row is missing). @default undefined
   */
  readonly getAmendedFrom?: ((doctype: string, name: string) => Promise<string | null | undefined>) | undefined;
  /**
   * Amended Document Naming Settings for this DocType (or the Document Naming Settings default).
   * `'Default Naming'` names an amendment like any new document. @default 'Amend Counter'
   */
  readonly amendNaming?: 'Amend Counter' | 'Default Naming' | undefined;
  /**
   * Next value of the DocType's sequence for `autoname: autoincrement`.
   * @default (doctype) => counters.next(`autoincrement:${doctype}`)
   */
  readonly autoincrement?: ((doctype: string) => Promise<number>) | undefined;
  /** UUID version for `autoname: UUID` (Frappe develop uses v7). @default 'v7' */
  readonly uuid?: 'v4' | 'v7' | undefined;
  /**
   * Steps 7-8 of Frappe's `set_new_name`: Document Naming Rules and a controller's `autoname()` ("By
   * script"). Return a name to use it, or nothing to fall through to the DocType's `autoname`.
   * @default undefined
   */
  readonly customAutoname?:
    | ((doctype: DocType, doc: NamingDoc) => Promise<string | number | null | undefined> | string | number | null | undefined)
    | undefined;
  /**
   * Apply the DocType's `name_case` (Title Case / UPPER CASE) in `validate_name`. Frappe v13 tried to and
   * v14+ dropped it (frappe/frappe#18672), so by default coworker does what today's server does and leaves the
   * name's case alone; set `true` for the v13 intent. @default false
   */
  readonly applyNameCase?: boolean | undefined;
}
