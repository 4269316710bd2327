/** Queries may only filter or sort on fields the user can read: a permlevel-hidden value cannot be bisected. */
import { describe, expect, it } from 'vitest';
import { createEngine, memoryAdapter } from '../../src/index';

const secretive = {
  name: 'Salary Note', module: 'Test', autoname: 'hash',
  fields: [
    { fieldname: 'employee', fieldtype: 'Data', label: 'Employee' },
    { fieldname: 'salary', fieldtype: 'Int', label: 'Salary', permlevel: 1 },
  ],
  permissions: [
    { role: 'Employee', read: 1, write: 1, create: 1 },
    { role: 'HR Manager', read: 1, write: 1, create: 1 },
    { role: 'HR Manager', permlevel: 1, read: 1, write: 1 },
  ],
};
const hr = { name: 'hr@example.com', roles: ['HR Manager'] };
const clerk = { name: 'clerk@example.com', roles: ['Employee'] };

async function engine() {
  const e = createEngine({ doctypes: [secretive], adapter: memoryAdapter(), user: hr, workflow: false, flows: false });
  for (const [employee, salary] of [['Ann', 5000], ['Bob', 9000]] as const) {
    const r = await e.run({ operation: 'create', target_doctype: 'Salary Note', input: { data: { employee, salary } } });
    expect(r.success).toBe(true);
  }
  return e;
}

describe('read permissions in queries', () => {
  it.each([
    ['where', { where: { salary: { gt: 6000 } } }],
    ['where inside OR', { where: { OR: [{ employee: 'Ann' }, { salary: 9000 }] } }],
    ['where inside NOT', { where: { NOT: { salary: { lt: 6000 } } } }],
    ['orderBy', { orderBy: [{ salary: 'desc' as const }] }],
  ])('select by an unreadable field (%s) is PERMISSION_DENIED naming it', async (_kind, query) => {
    const e = await engine();
    const r = await e.run({ operation: 'select', source_doctype: 'Salary Note', user: clerk, query });
    expect(r.error).toMatchObject({ code: 'PERMISSION_DENIED', exc: 'PermissionError' });
    expect(r.error?.message).toContain('Salary Note.salary');
    // the user who may read it gets the answer
    const ok = await e.run({ operation: 'select', source_doctype: 'Salary Note', user: hr, query });
    expect(ok.success).toBe(true);
  });

  it('takeone by a query on an unreadable field is refused too; readable fields still work', async () => {
    const e = await engine();
    const bad = await e.run({ operation: 'takeone', source_doctype: 'Salary Note', user: clerk, query: { where: { salary: 9000 } } });
    expect(bad.error?.code).toBe('PERMISSION_DENIED');
    const good = await e.run({ operation: 'takeone', source_doctype: 'Salary Note', user: clerk, query: { where: { employee: 'Bob' } } });
    expect(good.success).toBe(true);
    expect(good.output?.data[0]?.salary).toBeUndefined(); // stripped: above the clerk's read level
  });
});
