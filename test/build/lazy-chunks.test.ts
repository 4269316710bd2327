/**
 * Capabilities that load on first need (docs/DECISIONS.md), through the built package in both formats: each
 * lazy chunk loads (`import()` in ESM, `require` of a `.cjs` chunk in CJS) and shares the core with the entry:
 * a refusal thrown in a lazy chunk keeps its code (a second copy of the core would turn it into INTERNAL).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir } from '../helpers/paths';

const ADMIN = { name: 'Administrator', roles: ['System Manager'] };
const TICKET = {
  doctype: 'DocType', name: 'Lz Ticket', module: 'Custom', autoname: 'prompt', allow_rename: 1, track_changes: 1,
  fields: [{ fieldname: 'title', fieldtype: 'Data', label: 'Title' }, { fieldname: 'status', fieldtype: 'Data', label: 'Status' }],
  permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }],
};
const WORKFLOW = {
  name: 'Lz Flow', document_type: 'Lz Ticket', is_active: 1 as const,
  states: [
    { state: 'Open', doc_status: '0' as const, allow_edit: 'System Manager' },
    { state: 'Closed', doc_status: '0' as const, allow_edit: 'System Manager', update_field: 'status', update_value: 'closed' },
  ],
  transitions: [{ state: 'Open', action: 'Close', next_state: 'Closed', allowed: 'System Manager', condition: "doc.title != 'keep'" }],
};

type Main = typeof import('../../src/index');

async function exercise(main: Main): Promise<void> {
  const engine = main.createEngine({ doctypes: [TICKET], adapter: main.memoryAdapter(), user: ADMIN, workflow: { workflows: [WORKFLOW] } });
  for (const state of ['Open', 'Closed']) await engine.run({ operation: 'create', target_doctype: 'Workflow State', input: { data: { workflow_state_name: state } } });
  const made = await engine.run({ operation: 'create', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1', title: 'a' } } });
  expect(made.error).toBeNull();
  expect(made.output?.data[0]?.workflow_state).toBe('Open');
  // Workflow runtime and Python conditions.
  const bad = await engine.run({ operation: 'apply_workflow', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, action: 'Reopen' } });
  expect(bad.error).toMatchObject({ code: 'VALIDATION', exc: 'WorkflowTransitionError' });
  const closed = await engine.run({ operation: 'apply_workflow', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, action: 'Close' } });
  expect(closed.error).toBeNull();
  expect(closed.output?.data[0]).toMatchObject({ workflow_state: 'Closed', status: 'closed' });
  // track_changes: the save above wrote a Version.
  expect((await engine.history('Lz Ticket', 'T-1')).length).toBeGreaterThan(0);
  // rename (its own chunk): a refusal keeps its code.
  const same = await engine.run({ operation: 'rename', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, new_name: 'T-1' } });
  expect(same.error?.code).toBe('RENAME_CONFLICT');
  const renamed = await engine.run({ operation: 'rename', target_doctype: 'Lz Ticket', input: { data: { name: 'T-1' }, new_name: 'T-2' } });
  expect(renamed.error).toBeNull();
  // flows (operations, runner, state).
  const flow = await engine.run({ operation: 'flow', input: { steps: [{ step_id: 'read', operation: 'takeone', source_doctype: 'Lz Ticket', input: { data: { name: 'T-2' } } }] } });
  expect(flow.error).toBeNull();
  expect(flow.output?.data[0]?.name).toBe('T-2');
  // the form controller.
  const form = await engine.form({ doctype: 'Lz Ticket', name: 'T-2' });
  expect(form.getSnapshot().doc.title).toBe('a');
}

describe('capabilities loaded on first need, from the source', () => {
  it('every lazy module loads through import() and shares the core', async () => {
    await exercise(await import('../../src/index'));
  });

  it('a workflow in code is checked at createEngine, conditions included, before its runtime is loaded', async () => {
    const { createEngine } = await import('../../src/index');
    const bad = { ...WORKFLOW, transitions: [{ ...WORKFLOW.transitions[0]!, condition: 'doc.title !=' }] };
    expect(() => createEngine({ doctypes: [TICKET], workflow: { workflows: [bad] } })).toThrow(expect.objectContaining({ code: 'WORKFLOW_INVALID', message: expect.stringContaining('does not compile') }));
    const underscore = { ...WORKFLOW, transitions: [{ ...WORKFLOW.transitions[0]!, condition: 'doc._secret' }] };
    expect(() => createEngine({ doctypes: [TICKET], workflow: { workflows: [underscore] } })).toThrow(expect.objectContaining({ code: 'WORKFLOW_INVALID' }));
  });
});

describe.skipIf(!existsSync(path.join(distDir, 'index.cjs')))('capabilities loaded on first need, from dist/', () => {
  it('ESM: each lazy chunk loads and shares the core', async () => {
    await exercise(await import(pathToFileURL(path.join(distDir, 'index.js')).href) as Main);
  });

  it('CJS: each lazy chunk loads and shares the core', async () => {
    await exercise(createRequire(import.meta.url)(path.join(distDir, 'index.cjs')) as Main);
  });
});
