/**
 * Lint across apps: findings that only hold for part of a bench are warnings when the apps load together
 * (the classification of every finding over Frappe + ERPNext + HRMS is in docs/cli.md).
 */
import { describe, expect, it } from 'vitest';
import { lintRegistry } from '../../src/lint/lint';
import type { LintFinding } from '../../src/lint/types';
import { loadFolders } from '../../src/node/load-folder';
import { createRegistry } from '../../src/schema/registry';
import { benchApps } from '../helpers/paths';

const tally = (findings: readonly LintFinding[]) => {
  const out: Record<string, number> = {};
  for (const f of findings) out[`${f.code}/${f.severity}`] = (out[`${f.code}/${f.severity}`] ?? 0) + 1;
  return out;
};

describe('coworker lint over Frappe + ERPNext + HRMS', () => {
  it('reports 45 errors and 31 warnings; cross-app and shared-parent findings are warnings', async () => {
    const bench = await loadFolders(benchApps);
    const findings = lintRegistry(bench.registry, { files: bench.files, apps: bench.appOf });
    expect(tally(findings)).toEqual({
      'UNKNOWN_FIELD_REFERENCE/error': 30, 'BAD_FETCH_FROM/error': 15,
      'UNKNOWN_FIELD_REFERENCE/warning': 10, 'BAD_FETCH_FROM/warning': 5, 'EXPR_UNSUPPORTED/warning': 14, 'BITWISE_OPERATOR/warning': 2,
    });
    const find = (doctype: string, field: string, parentHint = '') =>
      findings.filter((f) => f.doctype === doctype && f.field === field && f.message.includes(parentHint));
    // HRMS adds Employee.grade as a Custom Field at install: a warning naming both apps.
    const grade = find('Salary Structure Assignment', 'grade')[0]!;
    expect(grade.severity).toBe('warning');
    expect(grade.message).toContain('"Employee" belongs to app erpnext; app hrms may add the field as a Custom Field');
    // A field missing from a DocType of the same app stays an error.
    expect(find('Lower Deduction Certificate', 'pan_no')[0]!.severity).toBe('error');
    // Item Default is shared by Item, Item Group and Brand; Item has enable_deferred_expense.
    const shared = find('Item Default', 'deferred_expense_account', 'parent DocType "Brand"')[0]!;
    expect(shared.severity).toBe('warning');
    expect(shared.message).toContain('"Item" has it');
    // Without app information (one app alone), the fetch is an error again.
    const noApps = lintRegistry(bench.registry, { files: bench.files });
    expect(noApps.find((f) => f.doctype === 'Salary Structure Assignment' && f.field === 'grade')!.severity).toBe('error');
  });

  it('a parent.x read that no parent of a shared child satisfies stays an error', () => {
    const row = { doctype: 'DocType', name: 'Row', module: 'T', istable: 1, fields: [{ fieldname: 'v', fieldtype: 'Data', depends_on: 'eval:parent.flag' }] };
    const parent = (name: string, withFlag: boolean) => ({
      doctype: 'DocType', name, module: 'T',
      fields: [{ fieldname: 'rows', fieldtype: 'Table', options: 'Row' }, ...(withFlag ? [{ fieldname: 'flag', fieldtype: 'Check' }] : [])],
    });
    const some = lintRegistry(createRegistry([row, parent('A', true), parent('B', false)]));
    expect(some.map((f) => [f.code, f.severity])).toEqual([['UNKNOWN_FIELD_REFERENCE', 'warning']]);
    const none = lintRegistry(createRegistry([row, parent('A', false), parent('B', false)]));
    expect(none.map((f) => [f.code, f.severity])).toEqual([['UNKNOWN_FIELD_REFERENCE', 'error'], ['UNKNOWN_FIELD_REFERENCE', 'error']]);
  });
});
