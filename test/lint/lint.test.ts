/**
 * The lint engine as a library (no files): lintRegistry over in-memory DocTypes, the `&` / `|` heuristic with
 * exact indices, child tables judged in each parent's context, and the code table kept in step with the docs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findBitwiseSuspects, formatFinding, LINT_CODES, lintRegistry } from '../../src/lint/index';
import { createRegistry } from '../../src/schema/index';
import { repoRoot } from '../helpers/paths';

const dt = (name: string, fields: object[], extra: object = {}) => ({ doctype: 'DocType', name, module: 'T', fields, ...extra });

describe('findBitwiseSuspects', () => {
  it('flags & / | between comparisons, negations, boolean helpers or two field reads, at the operator index', () => {
    const cases: Array<[string, number[]]> = [
      ['eval:doc.a == 1 & doc.b != 1', [16]],
      ['eval:doc.a | doc.b', [11]],
      ['eval:!doc.a & in_list(["x"], doc.b)', [12]],
      ['eval:frappe.user.has_role("X") | doc.a', [31]],
      ['eval:(doc.a > 1 | doc.b > 2) && (doc.c & doc.d)', [16, 39]],
    ];
    for (const [source, indices] of cases) {
      const found = findBitwiseSuspects(source);
      expect(found.map((s) => s.index), source).toEqual(indices);
      for (const s of found) expect(source.charAt(s.index)).toBe(s.operator);
    }
  });

  it('leaves real bit arithmetic, logical operators, fieldname conditions and unparsable text alone', () => {
    for (const source of ['eval:doc.flags & 4', 'eval:2 | doc.mask', 'eval:doc.a && doc.b || doc.c', 'eval:doc.a + doc.b & doc.c', 'a & b', 'eval:doc.a &', undefined]) {
      expect(findBitwiseSuspects(source), String(source)).toEqual([]);
    }
  });
});

describe('lintRegistry', () => {
  it('judges a child table\'s parent.* reads against each parent that uses it', () => {
    const registry = createRegistry([
      dt('Row', [{ fieldname: 'x', fieldtype: 'Data', depends_on: 'eval:parent.enabled' }], { istable: 1 }),
      dt('Has It', [{ fieldname: 'enabled', fieldtype: 'Check' }, { fieldname: 'rows', fieldtype: 'Table', options: 'Row' }]),
      dt('Lacks It', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Row' }]),
    ]);
    const findings = lintRegistry(registry, { files: new Map([['Row', 'row.json']]) });
    expect(findings.map(formatFinding)).toEqual([
      'row.json:x: UNKNOWN_FIELD_REFERENCE depends_on: parent DocType "Lacks It" has no field "enabled" in "eval:parent.enabled"'
        + ' (the child table is shared: "Has It" has it; under "Lacks It" Desk reads undefined)',
    ]);
    // Another parent has the field: the child is written for it, and Desk hides the field under this one.
    expect(findings[0]!.severity).toBe('warning');
  });

  it('a child table no DocType uses: its own reads are checked, its parent.* reads are not judged', () => {
    const registry = createRegistry([dt('Orphan', [{ fieldname: 'x', fieldtype: 'Data', depends_on: 'eval:parent.anything && doc.missing' }], { istable: 1 })]);
    expect(lintRegistry(registry).map((f) => [f.file, f.code, f.message])).toEqual([
      ['Orphan', 'UNKNOWN_FIELD_REFERENCE', 'depends_on: DocType "Orphan" has no field "missing" in "eval:parent.anything && doc.missing"'],
    ]);
  });

  it('a problem in a child reached from two parents is reported once', () => {
    const registry = createRegistry([
      dt('Row', [{ fieldname: 'x', fieldtype: 'Data', depends_on: 'eval:doc.x ==' }], { istable: 1 }),
      dt('P1', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Row' }]),
      dt('P2', [{ fieldname: 'rows', fieldtype: 'Table', options: 'Row' }]),
    ]);
    expect(lintRegistry(registry).map((f) => `${f.doctype}.${f.field} ${f.code}`)).toEqual(['Row.x EXPR_SYNTAX']);
  });

  it('Select and Check defaults follow Frappe\'s check_illegal_default (options split on newlines, blank option allowed)', () => {
    const registry = createRegistry([dt('D', [
      { fieldname: 'ok', fieldtype: 'Select', options: '\nA\nB', default: 'B' },
      { fieldname: 'case', fieldtype: 'Select', options: 'Open\nClosed', default: 'open' },
      { fieldname: 'none', fieldtype: 'Select', default: 'X' },
      { fieldname: 'c0', fieldtype: 'Check', default: 0 },
      { fieldname: 'c2', fieldtype: 'Check', default: '2' },
    ])]);
    expect(lintRegistry(registry).map((f) => `${f.field} ${f.code}: ${f.message}`)).toEqual([
      'case SELECT_DEFAULT_NOT_IN_OPTIONS: default "open" is not one of the options ("Open", "Closed")',
      'none SELECT_DEFAULT_NOT_IN_OPTIONS: default "X" is set but the Select has no options',
      'c2 CHECK_DEFAULT_INVALID: default "2" of a Check field is not 0 or 1',
    ]);
  });

  it('every finding carries the severity of its code (unless judged in the bench\'s context)', () => {
    const registry = createRegistry([dt('E', [{ fieldname: 'a', fieldtype: 'Data', depends_on: 'eval:window.x' }, { fieldname: 'b', fieldtype: 'Data', depends_on: 'eval:doc.a | doc.b' }])]);
    const findings = lintRegistry(registry);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['EXPR_UNSUPPORTED', 'warning'], ['BITWISE_OPERATOR', 'warning']]);
    for (const f of findings) expect(f.severity).toBe(LINT_CODES[f.code].severity);
  });
});

describe('docs/cli.md', () => {
  it('lists every lint code with its severity, and nothing else', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/cli.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(LINT_CODES).map(([code, { severity }]) => [code, severity]));
  });
});
