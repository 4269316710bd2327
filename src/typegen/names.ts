/**
 * TypeScript names for DocTypes and fields.
 *
 * @module
 */

/** Names the generated file itself declares or uses; a DocType whose type name would clash gets `Doc` appended. */
const RESERVED = new Set([
  'DocTypes', 'DocTypeName', 'StandardFields', 'ChildStandardFields', 'DocInput', 'RunRequestFor', 'TypedRun',
  'TypedRunRecord', 'TypedRunIssue', 'MandatoryFields', 'Schema', 'Promise', 'Omit', 'Array', 'ReadonlyArray', 'Record', 'Partial', 'Readonly', 'Object',
  'String', 'Number', 'Boolean', 'Function', 'Symbol', 'Error',
]);

/**
 * A PascalCase interface name for a DocType: `Sales Invoice Item` -> `SalesInvoiceItem`, `ToDo` -> `ToDo`.
 * Characters that cannot appear in an identifier separate words; a leading digit gets a `_` prefix.
 * @param doctype - the DocType name
 * @param taken - names already used (a clash gets `2`, `3`... appended); the new name is added to it
 * @returns a unique identifier
 */
export function typeName(doctype: string, taken: Set<string>): string {
  const words = doctype.split(/[^\p{L}\p{N}_$]+/u).filter(Boolean);
  let base = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') || 'DocType';
  if (/^\p{N}/u.test(base)) base = `_${base}`;
  if (RESERVED.has(base)) base = `${base}Doc`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

/** A property key: bare when it is an identifier, otherwise a quoted string. */
export function propertyKey(name: string): string {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$]*$/u.test(name) ? name : JSON.stringify(name);
}

/** A string literal type (JSON quoting is valid TypeScript). */
export const literal = (value: string): string => JSON.stringify(value);
