/**
 * How one step's two outcomes are compared, and the normalisations applied first. The list is short on
 * purpose; each entry says why it hides nothing Frappe users could observe as a different behaviour.
 */

/** One compared aspect of one step. */
export interface Check {
  /** `<scenario>#<step>` */
  readonly key: string;
  readonly area: string;
  /** `outcome`, `exc`, `message`, `name`, `values.<field>` (`values.<table>.<n>.<field>` for rows), `rows`. */
  readonly aspect: string;
  readonly oracle: unknown;
  readonly coworker: unknown;
  readonly agree: boolean;
}

/** A side's answer for one step, in one shape. */
export interface Outcome {
  readonly ok: boolean;
  /** Exception class names this side raised (coworker: its error's, or its blocking issues' for a data failure). */
  readonly exc?: readonly string[];
  /** Every message this side gave for the failure. */
  readonly messages?: readonly string[];
  readonly name?: string | null;
  /** Stored values after a write / what a read returned, keyed by aspect (`values.x`). */
  readonly values?: Readonly<Record<string, unknown>>;
}

const DATETIME = /\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g;

/**
 * Normalisation 1, messages: Frappe shows `frappe.throw` text with an `Error: ` title prefix in some paths and
 * not in others (`message` vs `messages` of the same exception); timestamps inside a message
 * (TimestampMismatchError) are the two stores' own clocks. Both are cosmetic; the wording itself is compared.
 */
export function normaliseMessage(m: string): string {
  // Normalisation 1b: the oracle removes HTML from Frappe's text (`<[^>]+>` goes, entities are decoded), which
  // also eats a literal `<', '>` in a message; the same removal is applied to coworker's text.
  return m.replace(/<[^>]+>/g, '').replace(/^Error:\s*/, '').replace(DATETIME, '<ts>').replace(/\s+/g, ' ').trim();
}

/**
 * Normalisation 2, names: a `hash` name is 10 random characters on each side (an amendment of it adds `-n`),
 * so two hash names with the same suffix agree; inside messages they read `<hash>`. (Their alphabet differs:
 * v15 makes a time-prefixed base-36 name, coworker 10 hex characters; see known-differences.md.) Every other
 * name must be equal.
 */
export function namesAgree(a: unknown, b: unknown, hashNamed = true): boolean {
  if (a === b) return true;
  if (!hashNamed) return false;
  const hash = /^[0-9a-z]{10}((?:-\d+)*)$/;
  const ma = typeof a === 'string' ? hash.exec(a) : null;
  const mb = typeof b === 'string' ? hash.exec(b) : null;
  return !!ma && !!mb && ma[1] === mb[1];
}

/**
 * Normalisation 3, clock values: a value the server took from its own clock (`now` defaults, Time fields of
 * a new document, `Today`) differs by the milliseconds between the two runs; a datetime within ten minutes
 * of the test's now becomes `<now>`, a time `<now-time>`. A fixed value (one a step wrote) is compared as is.
 */
export function normaliseClock(v: unknown, now: Date, timeZone: string): unknown {
  if (typeof v !== 'string') return v;
  const dt = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(v);
  const local = localParts(now, timeZone);
  if (dt) {
    const mins = (Date.parse(`${dt[1]}T${dt[2]}:${dt[3]}:${dt[4]}Z`) - Date.parse(`${local.date}T${local.time}Z`)) / 60_000;
    return Math.abs(mins) <= 10 ? '<now>' : v;
  }
  const t = /^(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(v);
  if (t) {
    const [h, m] = local.time.split(':').map(Number) as [number, number];
    const diff = Math.abs(Number(t[1]) * 60 + Number(t[2]) - (h * 60 + m));
    return Math.min(diff, 1440 - diff) <= 10 ? '<now-time>' : v;
  }
  return v;
}

function localParts(now: Date, timeZone: string): { date: string; time: string } {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

/**
 * Normalisation 4, value representation: Python's `str(timedelta)` writes a Time without a leading zero
 * (`9:05:00`) and a stored Datetime / Time with microseconds only when they are non-zero; the database holds
 * the same instant either way, so times are zero-padded and `.000000` fractions dropped. Numbers compare by
 * value (Frappe's `decimal` columns come back as floats: `1.0` is `1`).
 */
export function normaliseValue(v: unknown): unknown {
  if (typeof v === 'string') {
    let s = v.replace(/^(\d):(\d{2}):(\d{2})/, '0$1:$2:$3');
    if (/^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}\.0+$/.test(s)) s = s.replace(/\.0+$/, '');
    return s;
  }
  return v;
}

/** Compare two values after the normalisations above. */
export function valuesAgree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** The checks of one step from the two outcomes. */
/** Hash names inside a message, for a hash-named DocType (normalisation 2). */
export function maskHashNames(m: string): string {
  // Both sides are masked alike, so a 10-letter word ("characters") masked on both still compares equal.
  return m.replace(/\b[0-9a-z]{10}\b/g, '<hash>');
}

export function compareOutcomes(key: string, area: string, o: Outcome, c: Outcome, hashNamed = false): Check[] {
  const checks: Check[] = [];
  const push = (aspect: string, oracle: unknown, coworker: unknown, agree: boolean) => checks.push({ key, area, aspect, oracle, coworker, agree });
  push('outcome', o.ok ? 'ok' : 'error', c.ok ? 'ok' : 'error', o.ok === c.ok);
  if (!o.ok && !c.ok) {
    // Normalisation 5: coworker reports every problem of a document at once, Frappe raises at the first;
    // the step agrees when Frappe's exception (and one of its messages) is among coworker's.
    const oe = o.exc?.[0] ?? null;
    const ce = c.exc ?? [];
    push('exc', oe, ce.join(' | '), oe !== null && ce.includes(oe));
    // Normalisation 6: an exception Frappe raises without text (the oracle then reports its class name, e.g.
    // `DoesNotExistError` from delete_doc) has no wording to compare.
    const mask = (m: string) => (hashNamed ? maskHashNames(normaliseMessage(m)) : normaliseMessage(m));
    const om = (o.messages ?? []).filter((m) => m !== oe).map(mask);
    const cm = (c.messages ?? []).map(mask);
    if (om.length) push('message', om[0] ?? null, cm.join(' | '), om.some((m) => cm.includes(m)));
  }
  if (o.ok && c.ok) {
    if (o.name !== undefined || c.name !== undefined) push('name', o.name ?? null, c.name ?? null, namesAgree(o.name, c.name, hashNamed));
    const keys = new Set([...Object.keys(o.values ?? {}), ...Object.keys(c.values ?? {})]);
    for (const k of [...keys].sort()) {
      const a = o.values?.[k] ?? null;
      const b = c.values?.[k] ?? null;
      push(k, a, b, valuesAgree(a, b));
    }
  }
  return checks;
}
