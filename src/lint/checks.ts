/**
 * Lint checks that look at one DocField at a time: defaults Frappe's DocType validation refuses
 * (`check_illegal_default` in frappe/core/doctype/doctype/doctype.py) and the `&` / `|` heuristic.
 *
 * @module
 */
import { CONDITION_PROPERTIES } from '../rules/compile';
import type { DocField, DocType } from '../schema/types';
import { findBitwiseSuspects } from './bitwise';
import type { LintCode, LintSeverity } from './codes';

/** A finding before the file and severity are attached. */
export interface RawFinding {
  readonly doctype: string;
  readonly field: string | undefined;
  readonly code: LintCode;
  readonly message: string;
  readonly property?: string;
  readonly expression?: string;
  readonly index?: number;
  /** Overrides the code's default severity (a finding judged in the context of the whole bench). */
  readonly severity?: LintSeverity;
}

/**
 * Frappe refuses to save a DocType whose Select default is not among `options.split("\n")`, or whose Check
 * default is not `'0'` / `'1'`.
 */
function defaultFindings(doctype: DocType, df: DocField): RawFinding[] {
  const value = df.default;
  if (value === undefined || value === '') return [];
  if (df.fieldtype === 'Select') {
    const options = df.select_options ?? [];
    if (options.includes(value)) return [];
    const message = options.length === 0
      ? `default "${value}" is set but the Select has no options`
      : `default "${value}" is not one of the options (${options.filter((o) => o !== '').map((o) => JSON.stringify(o)).join(', ')})`;
    return [{ doctype: doctype.name, field: df.fieldname, code: 'SELECT_DEFAULT_NOT_IN_OPTIONS', property: 'default', message }];
  }
  if (df.fieldtype === 'Check' && value.trim() !== '0' && value.trim() !== '1') {
    return [{ doctype: doctype.name, field: df.fieldname, code: 'CHECK_DEFAULT_INVALID', property: 'default', message: `default "${value}" of a Check field is not 0 or 1` }];
  }
  return [];
}

function bitwiseFindings(doctype: DocType, df: DocField): RawFinding[] {
  const out: RawFinding[] = [];
  for (const property of CONDITION_PROPERTIES) {
    const expression = df[property];
    for (const s of findBitwiseSuspects(expression)) {
      out.push({
        doctype: doctype.name, field: df.fieldname, code: 'BITWISE_OPERATOR', property, expression: expression as string, index: s.index,
        message: `${property}: "${s.operator}" at character ${s.index} between boolean operands; "${s.operator}${s.operator}" was probably meant`,
      });
    }
  }
  return out;
}

/**
 * The per-field checks of one DocType.
 * @param doctype - a parsed DocType
 * @returns findings in field order
 */
export function fieldFindings(doctype: DocType): RawFinding[] {
  return doctype.fields.flatMap((df) => [...defaultFindings(doctype, df), ...bitwiseFindings(doctype, df)]);
}
