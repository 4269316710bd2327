/**
 * The Leave Request's rules that live in code, not in the DocType JSON (in a Frappe app they would be the
 * controller's `validate` and a client script): the number of leave days, and two date checks.
 */
import type { CustomRules, DocData } from '../../src/index';

const DAY_MS = 86_400_000;

/** Days from `from_date` to `to_date`, both included; half a day less for a half day. `0` until both are set. */
export function leaveDays(doc: DocData): number {
  const from = Date.parse(String(doc.from_date ?? ''));
  const to = Date.parse(String(doc.to_date ?? ''));
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return 0;
  return (to - from) / DAY_MS + 1 - (doc.half_day ? 0.5 : 0);
}

/** Custom rules of the Leave Request, for `loadApp(folder, { rules: { 'Leave Request': leaveRequestRules } })`. */
export const leaveRequestRules: CustomRules = {
  computed: [{ field: 'total_leave_days', inputs: ['from_date', 'to_date', 'half_day'], compute: leaveDays }],
  validators: [
    {
      name: 'to date after from date',
      inputs: ['from_date', 'to_date'],
      field: 'to_date',
      validate: (d) => Boolean(d.from_date && d.to_date && String(d.to_date) < String(d.from_date)) && 'To Date cannot be before From Date',
    },
    {
      name: 'half day inside the leave',
      inputs: ['half_day', 'half_day_date', 'from_date', 'to_date'],
      field: 'half_day_date',
      validate: (d) =>
        Boolean(d.half_day && d.half_day_date && (String(d.half_day_date) < String(d.from_date) || String(d.half_day_date) > String(d.to_date))) &&
        'Half Day Date should be between From Date and To Date',
    },
  ],
};
