/** The leave-request fixture app (fixtures/testing-app) as an engine for form tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine, fixedClock, memoryAdapter, sequentialIds, type CreateEngineOptions } from '../../src/index';
import { repoRoot } from '../helpers/paths';

const dir = path.join(repoRoot, 'fixtures/testing-app/leave_app/leave_app/hr_leave/doctype');
export const leaveDoctypes = ['leave_request', 'leave_request_approver', 'leave_type'].map(
  (n) => JSON.parse(readFileSync(path.join(dir, n, `${n}.json`), 'utf8')) as Record<string, unknown>,
);

export const employee = { name: 'emp@example.com', roles: ['Employee'] };
export const approver = { name: 'boss@example.com', roles: ['Leave Approver'] };
export const hr = { name: 'hr@example.com', roles: ['HR Manager'] };

export async function leaveEngine(extra: Partial<CreateEngineOptions> = {}) {
  const engine = createEngine({
    ...extra,
    doctypes: leaveDoctypes, adapter: memoryAdapter(), user: employee,
    clock: fixedClock('2026-01-05T09:00:00Z'), ids: sequentialIds(),
    rules: {
      'Leave Request': {
        computed: [{
          field: 'total_leave_days', inputs: ['from_date', 'to_date', 'half_day'],
          compute: (doc) => {
            if (!doc.from_date || !doc.to_date) return 0;
            const days = (Date.parse(String(doc.to_date)) - Date.parse(String(doc.from_date))) / 86_400_000 + 1;
            return doc.half_day ? days - 0.5 : days;
          },
        }],
      },
    },
  });
  const made = await engine.run({ operation: 'create', target_doctype: 'Leave Type', user: hr, input: { data: { leave_type_name: 'Casual', max_days: 10 } } });
  if (!made.success) throw new Error(JSON.stringify(made.error));
  return engine;
}
