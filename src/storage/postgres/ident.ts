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
 * Frappe's table name for a DocType.
 * @param doctype - the DocType name
 * @returns `tab<DocType>` (unquoted)
 */
export function tableName(doctype: string): string {
  return `tab${doctype}`;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** FNV-1a 32-bit hash, hex: short, stable, dependency-free. */
function hash(text: string): string {
  let h = 0x811c9dc5;
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
  const full = `${table}_${suffix}`;
  if (utf8Length(full) <= MAX_IDENT_BYTES) return full;
  let prefix = full.slice(0, 40);
  while (utf8Length(prefix) > 40) prefix = prefix.slice(0, -1);
  return `${prefix}_${hash(full)}`;
}
