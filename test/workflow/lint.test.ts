/** `coworker lint` on Workflow JSON: Frappe's save checks, unknown DocTypes and fields, conditions outside the subset. */
import { describe, expect, it } from 'vitest';
import type { LintFinding } from '../../src/lint/types';
import { runCli } from '../cli/run-cli';

describe('coworker lint: workflows', () => {
  it('reports every problem of fixtures/workflow-lint, and nothing for the good workflow', async () => {
    const r = await runCli(['lint', 'fixtures/workflow-lint', '--format', 'json']);
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout) as { findings: LintFinding[] };
    // The good workflow's only finding: it is the second active one for its DocType (files are read in path order).
    expect(findings.filter((f) => f.file === 'fixtures/workflow-lint/expense approval.json').map((f) => f.code)).toEqual(['WORKFLOW_INVALID']);
    const summary = findings.map((f) => `${f.code} ${f.message.replace(/^Workflow "[^"]*": /, '')}`);
    expect(summary).toEqual(expect.arrayContaining([
      expect.stringMatching(/^WORKFLOW_INVALID a second active workflow for Expense Request/),
      'WORKFLOW_UNKNOWN_FIELD states[0]: Update Field state_label of state Draft is not a field of Expense Request',
      'WORKFLOW_INVALID transitions[0]: Submitted Document cannot be converted back to draft. Transition row 1',
      'WORKFLOW_INVALID transitions[1]: Cannot cancel before submitting. See Transition 2',
      'WORKFLOW_INVALID transitions[2]: Escalated not a valid State',
      expect.stringMatching(/^WORKFLOW_CONDITION transitions\[3\]: Condition of transition row 4 does not compile: SyntaxError/),
      expect.stringMatching(/^WORKFLOW_CONDITION transitions\[4\]: .*comprehensions are not supported/),
      expect.stringMatching(/^WORKFLOW_UNKNOWN_FIELD transitions\[5\]: the condition reads doc.ammount/),
      'WORKFLOW_UNKNOWN_DOCTYPE Document Type "No Such DocType" is not a DocType of the folder',
    ]));
    expect(findings).toHaveLength(9);
    const syntax = findings.find((f) => f.code === 'WORKFLOW_CONDITION' && f.expression === 'doc.amount >')!;
    expect(syntax).toMatchObject({ severity: 'error', property: 'condition', index: 12 });
  });
});
