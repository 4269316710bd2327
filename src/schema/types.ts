/**
 * The normalised DocType model every other layer reads.
 *
 * Terms (Frappe's own terms): a *DocType* is a document type definition; a *DocField* (df) is one of
 * its field rows; a *child DocType* has `istable = 1` and its rows live in a parent's Table field.
 *
 * Frappe's own snake_case property names are kept unchanged, so a Frappe developer reads these objects as
 * they read the JSON. Normalisation happens once, in `parseDoctype`:
 * - Check-like flags that are missing become `0` (stored JSON omits falsy keys, `frappe/model/meta.py`);
 * - integer properties that are missing become `0`; `default` is always a string when present (Frappe
 *   stores it as text);
 * - `fields` are in `field_order` order with `idx` renumbered from 1;
 * - Select `options` are also split into `select_options` (a leading empty option kept);
 * - each field carries its `fieldclass` (`frappe/model/__init__.py`).
 * Properties coworker does not model are preserved as given (the index signatures below).
 * Every object is frozen.
 *
 * @module
 */
import type { Fieldtype } from './fieldtypes';

/** 0 or 1, as Frappe's Check columns hold them. */
export type Flag = 0 | 1;

/**
 * What a field is, by its fieldtype (`frappe/model/__init__.py`):
 * - `value`: has a column and a value (`data_fieldtypes`);
 * - `table`: holds child rows (Table, Table MultiSelect);
 * - `display`: layout and display only, no value (Section Break, Column Break, Tab Break, Fold, HTML,
 *   Button, Image, Heading, Attachment Gallery).
 */
export type Fieldclass = 'value' | 'table' | 'display';

/** A normalised DocField row. */
export interface DocField {
  readonly fieldname: string;
  readonly fieldtype: Fieldtype;
  /** The label as given, or `undefined`. Use {@link fieldLabel} for display. */
  readonly label: string | undefined;
  /** `options` as given ('' when missing); its meaning depends on the fieldtype (`frappe/core/doctype/docfield/docfield.json`). */
  readonly options: string;
  /** For Select: `options` split on newlines (a leading '' kept, trailing '\r' removed). Otherwise `undefined`. */
  readonly select_options: readonly string[] | undefined;
  /** The static default as text, or `undefined` when none. */
  readonly default: string | undefined;
  /** 1-based position after sorting by `field_order`. */
  readonly idx: number;
  readonly fieldclass: Fieldclass;

  readonly reqd: Flag;
  readonly hidden: Flag;
  readonly read_only: Flag;
  readonly unique: Flag;
  readonly no_copy: Flag;
  readonly set_only_once: Flag;
  readonly allow_on_submit: Flag;
  readonly non_negative: Flag;
  readonly fetch_if_empty: Flag;
  readonly ignore_user_permissions: Flag;
  readonly ignore_xss_filter: Flag;
  readonly is_virtual: Flag;
  readonly collapsible: Flag;
  readonly in_list_view: Flag;
  readonly remember_last_selected_value: Flag;
  readonly translatable: Flag;
  /** 1 for a field that came from a Custom Field record. */
  readonly is_custom_field: Flag;
  readonly not_nullable: Flag;
  readonly no_default: Flag;

  /** Field permission level, 0 when missing. */
  readonly permlevel: number;
  /** varchar length, 0 when missing (meaning 140 for varchar types, `frappe/model/base_document.py`). */
  readonly length: number;
  /** `precision` as given: '' or '0'..'9'. */
  readonly precision: string;

  readonly depends_on: string | undefined;
  readonly mandatory_depends_on: string | undefined;
  readonly read_only_depends_on: string | undefined;
  readonly collapsible_depends_on: string | undefined;
  readonly fetch_from: string | undefined;
  /** Custom Field only: the fieldname this field is placed after. */
  readonly insert_after: string | undefined;
  readonly oldfieldtype: string | undefined;
  readonly link_filters: string | undefined;

  /** Any other property of the JSON row, preserved as given. */
  readonly [property: string]: unknown;
}

/** A normalised DocPerm row (`frappe/core/doctype/docperm/docperm.json`). Missing rights are 0 (JSON import skips schema defaults, `frappe/model/meta.py`). */
export interface DocPerm {
  readonly role: string;
  readonly permlevel: number;
  readonly if_owner: Flag;
  readonly select: Flag;
  readonly read: Flag;
  readonly write: Flag;
  readonly create: Flag;
  readonly delete: Flag;
  readonly submit: Flag;
  readonly cancel: Flag;
  readonly amend: Flag;
  readonly report: Flag;
  readonly export: Flag;
  readonly import: Flag;
  readonly share: Flag;
  readonly print: Flag;
  readonly email: Flag;
  readonly set_user_permissions: Flag;
  readonly [property: string]: unknown;
}

/** The rights a DocPerm row can grant. */
export type PermissionType =
  | 'select' | 'read' | 'write' | 'create' | 'delete' | 'submit' | 'cancel' | 'amend'
  | 'report' | 'export' | 'import' | 'share' | 'print' | 'email' | 'set_user_permissions';

/** A normalised DocType (`frappe/core/doctype/doctype/doctype.json`). */
export interface DocType {
  readonly name: string;
  readonly module: string | undefined;
  readonly istable: Flag;
  readonly issingle: Flag;
  readonly is_submittable: Flag;
  readonly is_tree: Flag;
  readonly is_virtual: Flag;
  readonly custom: Flag;
  readonly track_changes: Flag;
  readonly allow_import: Flag;
  readonly allow_rename: Flag;
  readonly quick_entry: Flag;
  readonly editable_grid: Flag;
  /** Naming recipe (`frappe/model/naming.py`), '' when missing. */
  readonly autoname: string;
  readonly naming_rule: string;
  /** '', 'Title Case' or 'UPPER CASE'. */
  readonly name_case: string;
  readonly title_field: string;
  readonly search_fields: string;
  readonly sort_field: string;
  readonly sort_order: string;
  readonly nsm_parent_field: string;
  /** Fields in display order (`field_order`, then custom fields by `insert_after`), `idx` from 1. */
  readonly fields: readonly DocField[];
  readonly field_order: readonly string[];
  readonly permissions: readonly DocPerm[];
  /** Any other property of the JSON, preserved as given (actions, links, states, ...). */
  readonly [property: string]: unknown;
}

/** A Custom Field record (`frappe/model/meta.py`): a DocField with `dt` (the DocType it extends) and `insert_after`. */
export interface CustomFieldInput {
  readonly dt: string;
  readonly fieldname: string;
  readonly fieldtype: string;
  readonly insert_after?: string | null;
  readonly [property: string]: unknown;
}

/** A Property Setter record (`frappe/model/meta.py`). */
export interface PropertySetterInput {
  readonly doc_type: string;
  /** 'DocType', 'DocField', 'DocType Link', 'DocType Action' or 'DocType State'. */
  readonly doctype_or_field: string;
  /** For DocField: the fieldname. */
  readonly field_name?: string | null;
  /** For row targets (Link / Action / State): the row's `name`. */
  readonly row_name?: string | null;
  readonly property: string;
  readonly value: unknown;
  /** Frappe fieldtype of the property ('Check', 'Int', 'Data', 'Select', 'Text'...), used to cast `value`. */
  readonly property_type?: string | null;
  readonly [property: string]: unknown;
}
