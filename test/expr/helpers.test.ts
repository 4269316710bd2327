/**
 * The Frappe JS helpers, with expected values reasoned from the Frappe source (datatype.js, number_format.js,
 * common.js, datetime.js), which differ from the Python helpers of the same names.
 */
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/errors';
import { compileExpression } from '../../src/expr/compile';
import type { ExprContext } from '../../src/expr/types';

const run = (src: string, ctx: Partial<ExprContext> = {}) => compileExpression(src).evaluate({ doc: {}, ...ctx });

describe('cint / flt / cstr (JS versions)', () => {
  it.each([
    ['cint(true)', 1], ['cint(false)', 0], ['cint("3.9")', 3], ['cint("")', 0], ['cint("abc", 7)', 7], ['cint(null)', 0],
    ['cint("007")', 7], ['cint("0")', 0],
    // JS cint strips leading zeros before parseInt: "0x1A" becomes "x1A", which is NaN -> 0 (Python gives 0 too, for another reason)
    ['cint("0x1A")', 0], ['cint(" 12 ")', 12], ['cint("1,000")', 1],
  ])('%s = %s', (src, expected) => expect(run(src)).toBe(expected));

  it.each([
    ['flt(null)', 0], ['flt("")', 0], ['flt("1,234.5")', 1234.5], ['flt("Rs 1,000.25")', 1000.25], ['flt("abc")', 0],
    ['flt(2.675, 2)', 2.68], // legacy: toFixed(8) on the scaled absolute value, then Math.round
    ['flt(-2.5, 0)', -2], ['flt(3.5, 0)', 4], ['flt(-2.55, 1)', -2.6], // JS rounds |x| then restores the sign
    ['flt("1.234,5", null, "#.###,##")', 1234.5],
  ])('%s = %s', (src, expected) => expect(run(src)).toBe(expected));

  it('flt rounding follows boot.sysdefaults.rounding_method', () => {
    const boot = { sysdefaults: { rounding_method: "Banker's Rounding" } };
    expect(run('flt(2.5, 0)', { boot })).toBe(2);
    expect(run('flt(0.125, 2)', { boot: { sysdefaults: { rounding_method: 'Commercial Rounding' } } })).toBe(0.13);
    expect(() => run('flt(1, 2, null, "Nope")')).toThrow(ExpressionError);
  });

  it('cstr, is_null, nth, strip, toTitle, replace_all, has_common, has_words, __', () => {
    expect(run('cstr(null) + cstr(undefined) + cstr(0)')).toBe('0');
    expect(run('is_null("  ")')).toBe(true);
    expect(run('is_null(0)')).toBeUndefined(); // undefined, not false
    expect(run('[nth(1), nth(2), nth(3), nth(11), nth(4)].join()')).toBe('1st,2nd,3rd,11st,4th'); // Frappe's nth(11) is "11st"
    expect(run('strip("  a b \\n")')).toBe('a b');
    expect(run('strip("")')).toBeUndefined();
    expect(run('lstrip("xxa", ["x"])')).toBe('a');
    expect(() => run('strip("aa", "a")')).toThrow(ExpressionError); // Frappe would loop forever
    expect(run('toTitle("hello big world")')).toBe('Hello Big World');
    expect(run('replace_all("a-b-c", "-", "+")')).toBe('a+b+c');
    expect(run('has_common(["a", "b"], ["b"])')).toBe(true);
    expect(run('has_common(null, ["b"])')).toBe(false);
    expect(run('has_words(["Pending"], "Pending Review")')).toBe(true);
    expect(run('has_words(["x"], "")')).toBe(true);
    expect(run('__("Hello {0}", ["World"])')).toBe('Hello World');
  });

  it('in_list throws on a missing list, as Frappe’s list.includes does', () => {
    expect(() => run('in_list(doc.nope, "a")')).toThrow(expect.objectContaining({ code: 'EXPR_RUNTIME' }));
    expect(run('in_list("abc", "b")')).toBe(true); // a string "list" is a substring test, as in JS
  });
});

describe('frappe.* namespace', () => {
  const ctx: Partial<ExprContext> = {
    user: { name: 'jane@example.com', roles: ['Accounts User', 'Employee'], full_name: 'Jane', email: 'jane@example.com' },
    boot: { developer_mode: 1, sysdefaults: { time_zone: 'Asia/Kolkata', currency: 'INR' } },
    now: new Date('2024-01-31T20:00:00Z'), // 2024-02-01 01:30 in Asia/Kolkata
  };
  it('session, user, roles, boot', () => {
    expect(run('frappe.session.user', ctx)).toBe('jane@example.com');
    expect(run('frappe.session.user_fullname', ctx)).toBe('Jane');
    expect(run('frappe.user.name', ctx)).toBe('jane@example.com');
    expect(run('frappe.user.has_role("Employee")', ctx)).toBe(true);
    expect(run('frappe.user.has_role(["HR User", "Accounts User"])', ctx)).toBe(true);
    expect(run('frappe.user.has_role("HR User")', ctx)).toBeUndefined(); // undefined, not false
    expect(run('frappe.user_roles.length', ctx)).toBe(2);
    expect(run('frappe.boot.developer_mode', ctx)).toBe(1);
    expect(run('frappe.sys_defaults.currency', ctx)).toBe('INR');
    expect(run('frappe.boot.missing', {})).toBeUndefined();
    expect(run('frappe.user.name', {})).toBe('Guest');
  });

  it('dates from ctx.now in the configured zone (UTC by default)', () => {
    expect(run('frappe.datetime.get_today()', ctx)).toBe('2024-02-01');
    expect(run('frappe.datetime.get_today()', { now: ctx.now })).toBe('2024-01-31');
    expect(run('frappe.datetime.now_datetime()', ctx)).toBe('2024-02-01 01:30:00');
    expect(run('frappe.datetime.add_days("2024-02-28", 2)', ctx)).toBe('2024-03-01');
    expect(run('frappe.datetime.add_months("2024-01-31", 1)', ctx)).toBe('2024-02-29'); // moment clamps to month end
    expect(run('frappe.datetime.get_diff("2024-03-01", "2024-02-01")', ctx)).toBe(29);
    expect(run('frappe.datetime.get_diff("2024-02-01", "2024-02-02 12:00:00")', ctx)).toBe(-1);
    expect(run('[frappe.datetime.month_start(), frappe.datetime.month_end(), frappe.datetime.year_start(), frappe.datetime.year_end()].join()', ctx))
      .toBe('2024-02-01,2024-02-29,2024-01-01,2024-12-31');
    expect(run('frappe.datetime.add_days("garbage", 1)', ctx)).toBe('Invalid date');
    expect(() => run('frappe.datetime.get_today()')).toThrow(expect.objectContaining({ code: 'EXPR_RUNTIME' }));
  });
});
