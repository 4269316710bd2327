/**
 * Small pieces every adapter needs the same way: finding a DocType's table schema, and checking naming
 * counter keys and values (so every counter store accepts and refuses exactly the same input).
 *
 * @module
 */
import { CoworkerError } from '../errors';
import type { TableSchema } from './columns';
import { badDocument, unknownDoctype } from './errors';

/** Anything holding the schemas an adapter was prepared with. */
export interface SchemaHolder {
  readonly schemas: ReadonlyMap<string, TableSchema>;
}

/** The table schema of a prepared DocType. @throws StorageError `STORAGE_UNKNOWN_DOCTYPE` */
export function schemaOf(shared: SchemaHolder, doctype: string): TableSchema {
  if (typeof doctype !== 'string') throw unknownDoctype(String(doctype));
  const schema = shared.schemas.get(doctype);
  if (!schema) throw unknownDoctype(doctype);
  return schema;
}

/** A lookup of child schemas for a parent's Table fields. @throws StorageError when the child is not `istable` */
export function childSchemaOf(shared: SchemaHolder, parent: TableSchema) {
  return (doctype: string): TableSchema => {
    const schema = schemaOf(shared, doctype);
    if (!schema.isChild) throw badDocument(parent.doctype, `Table field options name ${doctype}, which is not a child DocType (istable)`);
    return schema;
  };
}

/** A stored `modified` as the string optimistic locking compares ('' when missing). */
export function storedModified(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A naming counter key. @throws CoworkerError `NAMING_COUNTER_INVALID` */
export function counterKey(key: unknown): string {
  if (typeof key !== 'string') throw new CoworkerError('NAMING_COUNTER_INVALID', `Naming counter key must be a string, got ${typeof key}`);
  if (key.includes('\u0000')) throw new CoworkerError('NAMING_COUNTER_INVALID', 'Naming counter key cannot contain the NUL character (U+0000)');
  return key;
}

/** A naming counter value, validated the way `memoryCounters` does. @throws CoworkerError `NAMING_COUNTER_INVALID` */
export function counterValue(key: unknown, value: unknown): number {
  counterKey(key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new CoworkerError('NAMING_COUNTER_INVALID', `Naming counter ${JSON.stringify(key)} must be an integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Whether a document name can exist at all: names are text columns, which never hold NUL. Lookups of an
 * impossible name answer "not found" on every adapter without asking the database (PostgreSQL would fail
 * the statement).
 * @param name - the name asked for
 * @returns true for a string without NUL
 */
export function possibleName(name: unknown): name is string {
  return typeof name === 'string' && !name.includes('\u0000');
}

/**
 * Requested fields plus `name` (batched reads key their results by it).
 * @param fields - the caller's `fields`, or undefined for the whole document
 * @returns the fields to read
 */
export function withName(fields: readonly string[] | undefined): readonly string[] | undefined {
  return fields === undefined || fields.includes('name') ? fields : ['name', ...fields];
}
