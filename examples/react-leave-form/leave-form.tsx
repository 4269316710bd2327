/**
 * A Leave Application form in React over HRMS's own DocType JSON: coworker's form controller and its React
 * binding (docs/frontends.md walks through it). In an app, import from 'coworker' and 'coworker/react'; inside this
 * repository the example imports the sources so the typecheck covers it, and test/browser/react.test.ts bundles it
 * against dist/ and drives it in headless Chromium.
 *
 * The page passes the DocType JSON as `window.__doctypes`; each field component counts its renders in
 * `window.__renders` so the test can check that typing re-renders only the edited field.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngine, memoryAdapter, type FormController, type WorkflowDefinition } from '../../src/index';
import { useField, useForm, useFormSelector } from '../../src/react';

declare global {
  interface Window {
    __doctypes: unknown[];
    __renders: Record<string, number>;
    __ready?: boolean;
    __engine?: unknown;
    /** Optional: a Workflow definition for Leave Application (the workflow variant of the page). */
    __workflow?: WorkflowDefinition;
  }
}

const FIELDS = ['employee', 'company', 'leave_type', 'from_date', 'to_date', 'half_day', 'half_day_date', 'total_leave_days', 'description', 'posting_date', 'status'];

function Field({ form, fieldname }: { form: FormController; fieldname: string }) {
  const slice = useField(form, fieldname);
  window.__renders[fieldname] = (window.__renders[fieldname] ?? 0) + 1;
  if (!slice || !slice.state?.visible) return null;
  const { state, label, fieldtype, value, issues } = slice;
  const id = `f-${fieldname}`;
  const onChange = (v: unknown) => { form.set(fieldname, v).catch(() => undefined); };
  return (
    <div className="field" data-field={fieldname}>
      <label htmlFor={id}>{label}{state.mandatory ? <span className="reqd" data-reqd={fieldname}> *</span> : null}</label>
      {fieldtype === 'Check'
        ? <input id={id} type="checkbox" disabled={state.readOnly} checked={Number(value) === 1} onChange={(e) => onChange(e.target.checked ? 1 : 0)} />
        : <input id={id} disabled={state.readOnly} value={value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />}
      {issues.map((i) => i.severity === 'warning'
        ? <div className="warning" data-warning={fieldname} key={i.code + i.message}>{i.message}</div>
        : <div className="issue" data-issue={fieldname} key={i.code + i.message}>{i.message}</div>)}
    </div>
  );
}

function Toolbar({ form }: { form: FormController }) {
  const actions = useFormSelector(form, (s) => s.actions);
  const name = useFormSelector(form, (s) => s.name);
  const docstatus = useFormSelector(form, (s) => s.doc.docstatus);
  const error = useFormSelector(form, (s) => s.error);
  const [busy, setBusy] = useState(false);
  const act = (action: string) => {
    setBusy(true);
    const go = action === 'save' ? form.save() : action === 'submit' ? form.submit() : action === 'cancel' ? form.cancel() : form.applyWorkflow(action);
    go.catch(() => undefined).finally(() => setBusy(false));
  };
  return (
    <div id="toolbar" data-busy={busy ? 1 : 0}>
      <span id="docname">{name ?? 'New Leave Application'}</span>
      <span id="docstatus">{String(docstatus)}</span>
      {actions.filter((a) => a !== 'discard' && a !== 'delete').map((a) => <button key={a} data-action={a} onClick={() => act(a)}>{a}</button>)}
      {error ? <div id="error" data-code={error.code}>{error.message}</div> : null}
    </div>
  );
}

function LeaveForm({ engine }: { engine: ReturnType<typeof createEngine> }) {
  const opened = useForm(engine, { doctype: 'Leave Application' });
  if (opened.status !== 'ready') return <p id="loading">{opened.status === 'error' ? String(opened.error) : 'Loading'}</p>;
  return (
    <form id="leave" onSubmit={(e) => e.preventDefault()}>
      <Toolbar form={opened.form} />
      {FIELDS.map((f) => <Field key={f} form={opened.form} fieldname={f} />)}
    </form>
  );
}

async function main() {
  window.__renders = {};
  const wf = window.__workflow;
  const engine = createEngine({
    doctypes: window.__doctypes, adapter: memoryAdapter(),
    user: { name: 'hr@example.com', roles: ['HR User', 'Employee', 'Leave Approver'] },
    ...(wf ? { workflow: { workflows: [wf] } } : {}),
  });
  const admin = { name: 'Administrator', roles: ['Administrator'] };
  for (const s of wf?.states ?? []) {
    await engine.run({ operation: 'create', target_doctype: 'Workflow State', user: admin, input: { data: { workflow_state_name: s.state } } });
  }
  const emp = await engine.run({
    operation: 'create', target_doctype: 'Employee', user: admin,
    input: { data: { naming_series: 'HR-EMP-', first_name: 'Ann', gender: 'Female', date_of_birth: '1990-01-01', date_of_joining: '2020-01-01', company: 'Acme', status: 'Active' } },
  });
  if (!emp.success) throw new Error(JSON.stringify(emp.error));
  await engine.run({ operation: 'create', target_doctype: 'Leave Type', user: admin, input: { data: { leave_type_name: 'Casual Leave' } } });
  window.__engine = { employee: emp.docname };
  createRoot(document.getElementById('root')!).render(<StrictMode><LeaveForm engine={engine} /></StrictMode>);
  window.__ready = true;
}

main().catch((e: unknown) => { document.body.dataset.error = String((e as Error)?.stack ?? e); });
