/** engine.schema(): a Standard Schema v1 validator, checked by itself and through a real consumer (TanStack Form). */
import { FormApi } from '@tanstack/form-core';
import type { StandardSchemaV1 as SpecSchema } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { leaveEngine } from './leave';

const valid = {
  naming_series: 'HR-LR-.YYYY.-', employee_name: 'Ann', leave_type: 'Casual', from_date: '2026-02-02', to_date: '2026-02-04',
  status: 'Open', approvers: [{ approver: 'a@example.com', approval_status: 'Pending' }],
};

describe('engine.schema()', () => {
  it('is a Standard Schema v1 object whose validate is synchronous', async () => {
    const engine = await leaveEngine();
    const schema = engine.schema('Leave Request');
    const spec: SpecSchema<unknown> = schema; // assignable to the spec's own type
    expect(spec['~standard'].version).toBe(1);
    expect(spec['~standard'].vendor).toBe('coworker');
    const r = schema['~standard'].validate(valid);
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toEqual({ value: valid });
    expect(engine.schema('Leave Request')).toBe(schema); // one per DocType
  });

  it('reports mandatory (incl. mandatory_depends_on), Select options, formats and row fields with paths and Frappe messages', async () => {
    const engine = await leaveEngine();
    const schema = engine.schema('Leave Request');
    const r = schema['~standard'].validate({
      ...valid, employee_name: '', half_day: 1, status: 'Maybe',
      approvers: [{ approver: 'not an email', approval_status: 'Rejected' }],
    });
    if (!('issues' in r) || !r.issues) throw new Error('expected issues');
    const byPath = Object.fromEntries(r.issues.map((i) => [JSON.stringify(i.path), i.message]));
    expect(byPath['["employee_name"]']).toBe('Error: Value missing for Leave Request: Employee Name');
    expect(byPath['["half_day_date"]']).toMatch(/Value missing for Leave Request: Half Day Date/);
    expect(byPath['["status"]']).toMatch(/Status cannot be "Maybe"/);
    expect(byPath['["approvers",0,"approver"]']).toMatch(/not a valid Email Address/);
    expect(byPath['["approvers",0,"comment"]']).toMatch(/Value missing/);
    // coworker's detail is there too
    expect(schema.issues({ ...valid, employee_name: '' })[0]).toMatchObject({ code: 'MANDATORY', exc: 'MandatoryError', field: 'employee_name' });
  });

  it('refuses what is not a document', async () => {
    const engine = await leaveEngine();
    const r = engine.schema('Leave Request')['~standard'].validate(['not', 'a', 'doc']);
    expect('issues' in r && r.issues?.[0]?.message).toMatch(/plain object/);
  });

  it('drives TanStack Form validation: field errors land on the fields the paths name', async () => {
    const engine = await leaveEngine();
    const form = new FormApi({
      defaultValues: { ...valid } as Record<string, unknown>,
      validators: { onChange: engine.schema('Leave Request') },
    });
    form.mount();
    form.setFieldValue('employee_name', '');
    form.setFieldValue('half_day', 1);
    await form.validate('change');
    expect(form.state.isValid).toBe(false);
    const fieldErrors = (name: string) => form.getFieldMeta(name as never)?.errors ?? [];
    expect(JSON.stringify(fieldErrors('employee_name'))).toMatch(/Value missing for Leave Request: Employee Name/);
    expect(JSON.stringify(fieldErrors('half_day_date'))).toMatch(/Half Day Date/);
    form.setFieldValue('employee_name', 'Ann');
    form.setFieldValue('half_day_date', '2026-02-03');
    await form.validate('change');
    expect(form.state.isValid).toBe(true);
  });
});
