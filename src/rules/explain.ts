/**
 * `explainField`: why a field is visible, mandatory or read-only. The same decisions as `evaluateStates`, with
 * each one's reason in words, for debugging DocType rules and for tools that show them.
 *
 * @module
 */
import { CoworkerError, ExpressionError } from '../errors';
import type { ExprContext } from '../expr/types';
import { hasValue, type StateOptions } from './states';
import type { CompiledFieldCondition, CompiledRules, DocData, FieldRules } from './types';

/** The state of one field with the reasons behind each flag. */
export interface FieldExplanation {
  readonly field: string;
  readonly visible: boolean;
  readonly mandatory: boolean;
  readonly readOnly: boolean;
  /** One line per rule that decided, or could have decided, the state, in the order they apply. */
  readonly reasons: readonly string[];
}

/**
 * Explain the state of one field of a document (or, with `row`, of a child row's field).
 * @param rules compiled rules of the document's DocType
 * @param doc the document
 * @param fieldname the field to explain
 * @param options the state context, and `table` + `row` to explain a child row's field
 * @throws CoworkerError `RULES_UNKNOWN_FIELD` when the field (or table) does not exist
 */
export function explainField(
  rules: CompiledRules,
  doc: DocData,
  fieldname: string,
  options: StateOptions & { readonly table?: string; readonly row?: DocData } = {},
): FieldExplanation {
  const level = options.table ? rules.tables.get(options.table) : rules;
  const rule = level?.fields.get(fieldname);
  if (!level || !rule) {
    throw new CoworkerError('RULES_UNKNOWN_FIELD', `No field "${fieldname}"${options.table ? ` in table "${options.table}"` : ''} of ${rules.doctype.name}`);
  }
  const target = options.row ?? doc;
  const ctx: ExprContext = { ...options, doc: target, parent: doc };
  const reasons: string[] = [];
  const df = rule.df;

  let visible = true;
  if (df.hidden === 1) {
    visible = false;
    reasons.push('hidden: hidden = 1');
  }
  if (rule.depends_on) {
    const r = run(rule.depends_on, ctx, true);
    reasons.push(`${r.value ? 'visible' : 'hidden'}: depends_on ${r.text}`);
    if (!r.value) visible = false;
  }

  let mandatory = df.reqd === 1;
  if (rule.mandatory_depends_on) {
    const r = run(rule.mandatory_depends_on, ctx, mandatory);
    mandatory = r.value;
    reasons.push(`${mandatory ? 'mandatory' : 'not mandatory'}: mandatory_depends_on ${r.text}${df.reqd ? ' (overrides reqd = 1)' : ''}`);
  } else if (mandatory) reasons.push('mandatory: reqd = 1');

  let readOnly = df.read_only === 1;
  if (rule.read_only_depends_on) {
    const r = run(rule.read_only_depends_on, ctx, readOnly);
    readOnly = r.value;
    reasons.push(`${readOnly ? 'read-only' : 'editable'}: read_only_depends_on ${r.text}${df.read_only ? ' (overrides read_only = 1)' : ''}`);
  } else if (readOnly) reasons.push('read-only: read_only = 1');
  readOnly = explainReadOnly(rule, doc, target, readOnly, reasons);
  if (options.permissions) {
    if (!options.permissions.read.has(df.permlevel) && !options.permissions.write.has(df.permlevel)) {
      visible = false;
      reasons.push(`hidden: no read permission at permlevel ${df.permlevel}`);
    }
    if (!options.permissions.write.has(df.permlevel) && !readOnly) {
      readOnly = true;
      reasons.push(`read-only: no write permission at permlevel ${df.permlevel}`);
    }
  }
  return Object.freeze({ field: fieldname, visible, mandatory, readOnly, reasons: Object.freeze(reasons) });
}

function explainReadOnly(rule: FieldRules, parent: DocData, doc: DocData, readOnly: boolean, reasons: string[]): boolean {
  const df = rule.df;
  const docstatus = Number(parent.docstatus ?? 0);
  const add = (why: string) => {
    if (!readOnly) reasons.push(`read-only: ${why}`);
    readOnly = true;
  };
  if (df.fieldtype === 'Read Only') add('fieldtype is Read Only');
  if (docstatus === 2) add('the document is cancelled (docstatus 2)');
  else if (docstatus === 1 && df.allow_on_submit !== 1) add('the document is submitted and the field is not allow_on_submit');
  else if (docstatus === 1 && !readOnly) reasons.push('editable after submit: allow_on_submit = 1');
  const isNew = Boolean(doc.__islocal) || doc.name === undefined || doc.name === null;
  if (df.set_only_once === 1 && !isNew) add('set_only_once and the document is saved');
  if (rule.fetch && !rule.fetch.ifEmpty && hasValue(doc[rule.fetch.link])) {
    add(`fetched from ${rule.fetch.link}.${rule.fetch.source} while ${rule.fetch.link} has a value`);
  }
  return readOnly;
}

function run(cond: CompiledFieldCondition, ctx: ExprContext, fallback: boolean): { value: boolean; text: string } {
  try {
    const value = cond.test(ctx);
    return { value, text: `${JSON.stringify(cond.source)} is ${value}` };
  } catch (e) {
    const why = e instanceof ExpressionError ? e.description : String(e);
    return { value: fallback, text: `${JSON.stringify(cond.source)} failed (${why}); using the static flag` };
  }
}
