/**
 * The table behind a DocType: its columns, each with the *kind* that decides how it is compared and what
 * values it holds, and the Table fields whose rows live in child tables. SQL adapters create their tables
 * from the same description, so every adapter agrees on which keys are columns.
 *
 * Kinds: `number` (Int, Long Int, Check, Float, Currency, Percent, Rating, Duration, and `docstatus` / `idx`)
 * compare numerically; `string` (text, Link, Select, Date / Datetime / Time as canonical strings, ...)
 * compare by Unicode code point; `json` (JSON fields) is stored as given and not filterable.
 *
 * @module
 */
import { CHILD_TABLE_FIELDNAMES, DATETIME_FIELDTYPES, NUMERIC_FIELDTYPES, OPTIONAL_FIELDNAMES } from '../schema/fieldtypes';
import type { Fieldtype } from '../schema/fieldtypes';
import { fieldLabel, tableFields, valueFields } from '../schema/fields';
import type { DocType } from '../schema/types';

/** How a column's values are held and compared. */
export type ColumnKind = 'number' | 'string' | 'json';

/** One column of a table. */
export interface Column {
  readonly fieldname: string;
  readonly kind: ColumnKind;
  /** The DocField's fieldtype; `undefined` for standard columns (`name`, `owner`, ...). */
  readonly fieldtype: Fieldtype | undefined;
  /** Integer-only numbers (Int, Long Int, Check, `docstatus`, `idx`). */
  readonly integer: boolean;
  /** Canonical date / time string format checked on write, when the column holds one. */
  readonly format: 'Date' | 'Datetime' | 'Time' | undefined;
  /** A `unique` DocField: blank values are stored as null and other values may not repeat (`frappe/model/base_document.py`). */
  readonly unique: boolean;
  /** Label used in Frappe's "{label} must be unique". */
  readonly label: string;
  /**
   * A `search_index` DocField that is not `unique` (a unique field has its unique index already): SQL
   * adapters create an index on it and the memory adapter keeps one, so filters on it do not scan.
   */
  readonly indexed?: boolean;
}

/** A Table field: its rows are rows of `childDoctype`. */
export interface ChildTable {
  readonly fieldname: string;
  readonly childDoctype: string;
}

/** The storage shape of one DocType. */
export interface TableSchema {
  readonly doctype: string;
  /** True for a child DocType (`istable`): its rows are written only through their parent. */
  readonly isChild: boolean;
  /**
   * True for a Single DocType (`issingle`): one document, named after the DocType. SQL adapters keep it as
   * field / value rows of a shared singles table (Frappe's `tabSingles`), never in a table of its own.
   */
  readonly isSingle?: boolean;
  /** Every column, standard ones first, in a stable order. */
  readonly columns: readonly Column[];
  /** Columns by fieldname. */
  readonly byName: ReadonlyMap<string, Column>;
  /** Table fields (parents only). */
  readonly tables: readonly ChildTable[];
  /** Table fields by fieldname. */
  readonly tablesByName: ReadonlyMap<string, ChildTable>;
  /** Columns with `unique`. */
  readonly unique: readonly Column[];
  /** Columns with `search_index` (and not `unique`). */
  readonly indexed: readonly Column[];
}

/** Extra fieldtypes held as numbers (MariaDB decimal columns, `frappe/database/schema.py`, `frappe/database/postgres/database.py`) beyond `numeric_fieldtypes`. */
const EXTRA_NUMBER_TYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Rating', 'Duration']);
const INTEGER_TYPES: ReadonlySet<Fieldtype> = new Set<Fieldtype>(['Int', 'Long Int', 'Check']);

function standard(fieldname: string, kind: ColumnKind, extra: Partial<Column> = {}): Column {
  return Object.freeze({
    fieldname, kind, fieldtype: undefined, integer: kind === 'number', format: undefined, unique: false, label: fieldname, ...extra,
  });
}

/** Columns every table has (`default_fields` minus `doctype`), then those of parent or child tables. */
const BASE_COLUMNS: readonly Column[] = [
  standard('name', 'string'),
  standard('owner', 'string'),
  standard('creation', 'string', { format: 'Datetime' }),
  standard('modified', 'string', { format: 'Datetime' }),
  standard('modified_by', 'string'),
  standard('docstatus', 'number'),
  standard('idx', 'number'),
];
const CHILD_COLUMNS: readonly Column[] = CHILD_TABLE_FIELDNAMES.map((f) => standard(f, 'string'));
const OPTIONAL_COLUMNS: readonly Column[] = OPTIONAL_FIELDNAMES.map((f) => standard(f, 'string'));

function kindOf(fieldtype: Fieldtype): ColumnKind {
  if (fieldtype === 'JSON') return 'json';
  return NUMERIC_FIELDTYPES.has(fieldtype) || EXTRA_NUMBER_TYPES.has(fieldtype) ? 'number' : 'string';
}

const schemas = new WeakMap<DocType, TableSchema>();

/**
 * The table shape of a DocType, cached per (frozen) DocType object.
 *
 * Columns: the standard ones, `parent` / `parenttype` / `parentfield` for child DocTypes, the optional
 * `_user_tags` / `_comments` / `_assign` / `_liked_by` / `_seen` for parents, then every value field that is
 * not virtual (`is_virtual` fields are never stored, `frappe/model/base_document.py`). A DocField reusing a standard name keeps the
 * standard column.
 *
 * @param doctype - a normalised DocType
 * @returns its frozen table schema
 */
export function tableSchema(doctype: DocType): TableSchema {
  const cachedSchema = schemas.get(doctype);
  if (cachedSchema) return cachedSchema;
  const isChild = doctype.istable === 1;
  const columns: Column[] = [...BASE_COLUMNS, ...(isChild ? CHILD_COLUMNS : OPTIONAL_COLUMNS)];
  const byName = new Map(columns.map((c) => [c.fieldname, c]));
  for (const df of valueFields(doctype)) {
    if (df.is_virtual === 1 || byName.has(df.fieldname)) continue;
    const column: Column = Object.freeze({
      fieldname: df.fieldname,
      kind: kindOf(df.fieldtype),
      fieldtype: df.fieldtype,
      integer: INTEGER_TYPES.has(df.fieldtype),
      format: DATETIME_FIELDTYPES.has(df.fieldtype) ? (df.fieldtype as 'Date' | 'Datetime' | 'Time') : undefined,
      unique: df.unique === 1,
      label: fieldLabel(df),
      indexed: df.unique !== 1 && (df as { readonly search_index?: unknown }).search_index === 1,
    });
    columns.push(column);
    byName.set(column.fieldname, column);
  }
  const tables = isChild ? [] : tableFields(doctype).map((df) => Object.freeze({ fieldname: df.fieldname, childDoctype: df.options }));
  const schema: TableSchema = Object.freeze({
    doctype: doctype.name,
    isChild,
    isSingle: !isChild && doctype.issingle === 1,
    columns: Object.freeze(columns),
    byName,
    tables: Object.freeze(tables),
    tablesByName: new Map(tables.map((t) => [t.fieldname, t])),
    unique: Object.freeze(columns.filter((c) => c.unique)),
    indexed: Object.freeze(columns.filter((c) => c.indexed === true)),
  });
  schemas.set(doctype, schema);
  return schema;
}
