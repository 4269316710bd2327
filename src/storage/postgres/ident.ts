/**
 * SQL identifiers: quoting, Frappe's `tab<DocType>` table names and constraint names that fit PostgreSQL's
 * 63-byte identifier limit (longer names are silently truncated by PostgreSQL, which would break the
 * constraint-name → field lookup errors are classified by).
 *
 * @module
 */

/** PostgreSQL's NAMEDATALEN - 1. */
const MAX_IDENT_BYTES = 63;

/**
 * Quote an identifier: wrap in double quotes and double any quote inside. Works for every DocType and
 * fieldname (spaces, capitals, unicode); a NUL character cannot be an identifier and is refused.
 * @param name - the raw identifier
 * @returns the quoted identifier
 * @throws {Error} when `name` contains NUL (callers validate names first; this is a last line of defence)
 */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('an SQL identifier cannot contain NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Frappe's table name for a DocType: `tab<DocType>` when it fits PostgreSQL's 63-byte identifier limit.
 * A longer name would be silently truncated by PostgreSQL, so two DocTypes sharing their first 60 bytes
 * would share one table; such names become a readable prefix plus a hash of the full name (unique per
 * DocType, stable across runs and processes), as {@link constraintName} does for constraints.
 * @param doctype - the DocType name
 * @returns `tab<DocType>`, or `tab<prefix>_<hash>` when that does not fit (unquoted)
 */
export function tableName(doctype: string): string {
  let found = tableNames.get(doctype);
  if (found === undefined) tableNames.set(doctype, (found = fitted(`tab${doctype}`, 46, 2)));
  return found;
}

/** Table names are computed on every statement; DocType names are few. */
const tableNames = new Map<string, string>();

/**
 * `full` when it fits in 63 bytes, else its first `keep` bytes (whole characters) + `_` + `words` 32-bit
 * hashes in hex (table names take two: 64 bits keeps two DocTypes from ever sharing a table).
 */
function fitted(full: string, keep: number, words = 1): string {
  if (utf8Length(full) <= MAX_IDENT_BYTES) return full;
  let prefix = full.slice(0, keep);
  while (utf8Length(prefix) > keep) prefix = prefix.slice(0, -1);
  const digest = hash(full, 0x811c9dc5) + (words > 1 ? hash(full, 0x050c5d1f) : '');
  return `${prefix}_${digest}`;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** FNV-1a 32-bit hash, hex: short, stable, dependency-free. */
function hash(text: string, seed: number): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A constraint or index name: `<table>_<suffix>` when it fits in 63 bytes, otherwise a readable prefix plus
 * a hash of the full name, so distinct long names never collide after truncation.
 * @param table - the table name
 * @param suffix - e.g. `pkey`, `code_key`
 * @returns an identifier of at most 63 bytes (unquoted)
 */
export function constraintName(table: string, suffix: string): string {
  return fitted(`${table}_${suffix}`, 40);
}
