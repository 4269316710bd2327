/**
 * Types of the rules layer: custom rules users register in code, the compiled per-DocType rules, and the
 * field states they produce.
 *
 * Terms: a *value node* is a field whose value something else reads (`qty`, or `items.qty` for a child
 * field); a *state* is what the form shows of a field (visible, mandatory, read-only, collapsed).
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocField, DocType } from '../schema/types';
import type { ExprContext } from '../expr/types';
import type { User } from '../env';

/**
 * The write a document is going through, as Frappe's `doc._action` names it (plus `insert` and `delete`):
 * what controller hooks and custom rules see as `action`.
 */
export type HookAction = 'insert' | 'save' | 'submit' | 'cancel' | 'update_after_submit' | 'delete';

/**
 * What custom rules learn about the write they run in: the third argument of `compute` and `validate`.
 * Outside a run (a form preview, `validateDoc` called directly) `action` is `null` unless the caller says.
 */
export interface RuleEnv {
  /** The write being made, or `null` outside a write. */
  readonly action: HookAction | null;
  /** The user the run is for, or `null` when unknown. */
  readonly user: User | null;
}

/** A document or child row as plain data. */
export type DocData = Readonly<Record<string, unknown>>;

/** What the form shows of one field (`frappe/public/js/frappe/form/layout.js`, `frappe/public/js/frappe/model/perm.js`). */
export interface FieldState {
  /** `false` when `hidden` or `depends_on` is false. A hidden field keeps its value. */
  readonly visible: boolean;
  /** `reqd`, overridden either way by `mandatory_depends_on` when the field has one. */
  readonly mandatory: boolean;
  /** `read_only` (or its `read_only_depends_on` override), Read Only fieldtype, docstatus, set_only_once, fetch_from. */
  readonly readOnly: boolean;
  /** Only for collapsible Section Breaks: whether the section starts collapsed. */
  readonly collapsed?: boolean;
}

/** Field states of one child row, by fieldname. */
export type RowState = Readonly<Record<string, FieldState>>;

/** Field states of a whole document: its own fields and every child row's fields. */
export interface FormState {
  /** States of the document's own fields, by fieldname. */
  readonly fields: Readonly<Record<string, FieldState>>;
  /** States of child rows: table fieldname -> row name -> field states. */
  readonly rows: Readonly<Record<string, Readonly<Record<string, RowState>>>>;
  /** Expressions that failed at run time (code `EXPR_RUNTIME`); the field fell back to its static flag. */
  readonly issues: readonly Issue[];
}

/** The environment conditions are evaluated in (everything of {@link ExprContext} except `doc` / `parent`). */
export type StateContext = Omit<ExprContext, 'doc' | 'parent'>;

/**
 * A computed field, declared in code (never as a code string): its value is `compute(...)` of its inputs.
 * On a child DocType's rules (`table` set), `compute` receives the row and the parent document.
 *
 * @example amount = qty * rate on each row
 * { field: 'amount', table: 'items', inputs: ['qty', 'rate'], compute: (row) => flt(row.qty) * flt(row.rate) }
 * @example a row total summed into the parent
 * { field: 'total', inputs: ['items.amount'], compute: (doc) => sum(doc.items, 'amount') }
 */
export interface ComputedField {
  /** The fieldname the value is written to. */
  readonly field: string;
  /** For a child-row field: the parent's Table fieldname. */
  readonly table?: string;
  /**
   * What the value is computed from: fieldnames of the same document (or row), `parent.<field>` from a row,
   * `<table>.<field>` for a child field summed into the parent, or `<table>` for the rows themselves.
   */
  readonly inputs: readonly string[];
  /** `env`: the action and user of the run (see {@link RuleEnv}). */
  readonly compute: (doc: DocData, parent: DocData, env: RuleEnv) => unknown;
}

/** What a validator reports: nothing, a message, or issue details. */
export type ValidatorResult =
  | void
  | undefined
  | null
  | false
  | string
  | { readonly message: string; readonly field?: string; readonly code?: Issue['code'] }
  | ReadonlyArray<string | { readonly message: string; readonly field?: string; readonly code?: Issue['code'] }>;

/**
 * A cross-field validator declared in code: `validate(doc)` returns nothing when the document is fine.
 * @example { name: 'dates', inputs: ['from_date', 'to_date'], validate: (d) => d.to_date < d.from_date && 'To Date must be after From Date' }
 */
export interface Validator {
  readonly name: string;
  /** For row validators: the parent's Table fieldname; `validate` then gets each row and the parent. */
  readonly table?: string;
  /** Fields read (for incremental re-validation and documentation). */
  readonly inputs: readonly string[];
  /** `env`: the action and user of the run (see {@link RuleEnv}). */
  readonly validate: (doc: DocData, parent: DocData, env: RuleEnv) => ValidatorResult;
  /** Field the issue is attached to when the result names none. @default inputs[0] */
  readonly field?: string;
}

/** Custom rules for one DocType (and its child tables, through `table`). */
export interface CustomRules {
  readonly computed?: readonly ComputedField[];
  readonly validators?: readonly Validator[];
}

/** A compiled condition of one field. */
export interface CompiledFieldCondition {
  readonly source: string;
  readonly references: readonly string[];
  readonly test: (ctx: ExprContext) => boolean;
}

/** Compiled rules of one field. */
export interface FieldRules {
  readonly df: DocField;
  readonly depends_on?: CompiledFieldCondition;
  readonly mandatory_depends_on?: CompiledFieldCondition;
  readonly read_only_depends_on?: CompiledFieldCondition;
  readonly collapsible_depends_on?: CompiledFieldCondition;
  /** `fetch_from: link.source`. */
  readonly fetch?: { readonly link: string; readonly source: string; readonly ifEmpty: boolean };
  /** Value nodes this field's state reads (same document: `x`; from a row: `parent.x`). */
  readonly stateInputs: readonly string[];
}

/** A problem found while compiling rules: reported, never thrown (the DocType still loads). */
export interface RuleDiagnostic {
  readonly code:
    | 'EXPR_SYNTAX' | 'EXPR_UNSUPPORTED' | 'EXPR_LIMIT'
    | 'UNKNOWN_FIELD_REFERENCE' | 'BAD_FETCH_FROM' | 'UNKNOWN_CHILD_TABLE' | 'BAD_CUSTOM_RULE';
  readonly doctype: string;
  readonly field: string;
  /** The property concerned, e.g. `depends_on`, `fetch_from`. */
  readonly property: string;
  readonly message: string;
  readonly expression?: string;
  readonly index?: number;
}

/** Everything compiled for one DocType: per-field rules, the dependency graph, child-table rules. */
export interface CompiledRules {
  readonly doctype: DocType;
  /** Rules of every field, in field order. */
  readonly fields: ReadonlyMap<string, FieldRules>;
  /** Value nodes in dependency order (toposort): inputs before what is computed or fetched from them. */
  readonly order: readonly string[];
  /** Reverse edges: value node -> value nodes computed or fetched from it (direct). */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** Reverse edges: value node -> fields whose state reads it. */
  readonly stateReaders: ReadonlyMap<string, readonly string[]>;
  /** Fields whose conditions read something not knowable statically (`doc[x]`): re-evaluated on every change. */
  readonly wildcardReaders: readonly string[];
  /** Child tables: Table fieldname -> the child DocType's compiled rules (with `parent.*` readers). */
  readonly tables: ReadonlyMap<string, CompiledRules>;
  /** For a child DocType compiled for a parent table: value nodes of the parent its rows read (`parent.x` as `x`). */
  readonly parentReaders: ReadonlyMap<string, readonly string[]>;
  /** Computed fields of this DocType, in dependency order. */
  readonly computed: readonly ComputedField[];
  readonly validators: readonly Validator[];
  readonly diagnostics: readonly RuleDiagnostic[];
}
