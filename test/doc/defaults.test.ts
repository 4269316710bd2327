import { describe, expect, it } from 'vitest';
import { newDoc, newRow, rowsOf } from '../../src/doc';
import { defaultValue } from '../../src/doc/defaults';
import { corpusDoctype, doctype, lookupOf, opts, user } from './helpers';

// One field per default rule of create_new.js (`frappe/public/js/frappe/model/create_new.js`). The fixed clock is
// 2024-03-31 22:30:15 UTC.
const probe = doctype(
  'Default Probe',
  [
    { fieldname: 'u_dunder', fieldtype: 'Data', default: '__user' },
    { fieldname: 'u_title', fieldtype: 'Data', default: 'User' },
    { fieldname: 'u_upper', fieldtype: 'Data', default: 'USER' },
    { fieldname: 'u_dunder_upper', fieldtype: 'Data', default: '__USER' },
    { fieldname: 'fullname', fieldtype: 'Data', default: 'user_fullname' },
    { fieldname: 'today', fieldtype: 'Date', default: 'Today' },
    { fieldname: 'today_lower', fieldtype: 'Date', default: 'today' },
    { fieldname: 'dunder_today', fieldtype: 'Date', default: '__today' },
    { fieldname: 'now_dt', fieldtype: 'Datetime', default: 'now' },
    { fieldname: 'now_upper', fieldtype: 'Datetime', default: 'NOW' },
    { fieldname: 'now_time', fieldtype: 'Time', default: 'Now' },
    { fieldname: 'time_plain', fieldtype: 'Time' },
    { fieldname: 'int_def', fieldtype: 'Int', default: '42' },
    { fieldname: 'int_text', fieldtype: 'Int', default: '007' },
    { fieldname: 'check_on', fieldtype: 'Check', default: '1' },
    { fieldname: 'check_off', fieldtype: 'Check', default: '0' },
    { fieldname: 'check_none', fieldtype: 'Check' },
    { fieldname: 'currency', fieldtype: 'Currency', default: '1,234.5' },
    { fieldname: 'float', fieldtype: 'Float', default: '0.25' },
    { fieldname: 'percent', fieldtype: 'Percent', default: '12.5' },
    { fieldname: 'long_int', fieldtype: 'Long Int', default: '9' },
    { fieldname: 'sel_first', fieldtype: 'Select', options: 'Alpha\nBeta' },
    { fieldname: 'sel_blank_first', fieldtype: 'Select', options: '\nAlpha\nBeta' },
    { fieldname: 'sel_default', fieldtype: 'Select', options: 'Alpha\nBeta', default: 'Beta' },
    { fieldname: 'sel_placeholder', fieldtype: 'Select', options: '[Select]' },
    { fieldname: 'title', fieldtype: 'Data', default: 'Untitled' },
    { fieldname: 'no_def', fieldtype: 'Data', default: 'Z', no_default: 1 },
    { fieldname: 'plain', fieldtype: 'Data', default: 'hello' },
    { fieldname: 'section', fieldtype: 'Section Break', default: 'x' },
  ],
  { title_field: 'title' },
);

describe('field default keywords (client create_new.js)', () => {
  const data = newDoc(probe, opts({ getDoctype: lookupOf(probe) })).data;

  it.each([
    // [field, expected, why]
    ['u_dunder', user.name, '__user is the session user'],
    ['u_title', user.name, "'user' is compared lowercased"],
    ['u_upper', user.name, "'user' is compared lowercased"],
    ['u_dunder_upper', '__USER', '__user is compared exactly, so __USER is a literal'],
    ['fullname', 'Jane Doe', 'user_fullname is the full name'],
    ['today', '2024-03-31', 'Today: YYYY-MM-DD in the user time zone (UTC here)'],
    ['today_lower', 'today', 'Today is case-sensitive: a literal otherwise'],
    ['dunder_today', '__today', '__today is not a keyword'],
    ['now_dt', '2024-03-31 22:30:15', 'now on a Datetime: system datetime'],
    ['now_upper', '2024-03-31 22:30:15', 'now is compared lowercased'],
    ['now_time', '22:30:15', 'now on a Time: HH:mm:ss'],
    ['int_def', 42, 'truthy Int default goes through cint'],
    ['int_text', 7, 'cint strips leading zeros'],
    ['check_on', 1, 'Check default "1" becomes 1'],
    ['check_off', 0, 'Check default "0" is a truthy string, cint makes it 0'],
    ['currency', 1234.5, 'Currency goes through flt, number groups stripped'],
    ['float', 0.25, 'Float goes through flt'],
    ['percent', '12.5', 'Percent is NOT coerced on the client'],
    ['long_int', '9', 'only Int and Check are cint-ed'],
    ['sel_first', 'Alpha', 'a Select without default takes its first option'],
    ['sel_blank_first', '', 'a leading empty option gives ""'],
    ['sel_default', 'Beta', 'a Select default wins over the first option'],
    ['plain', 'hello', 'any other default is used as text'],
  ] as [string, unknown, string][])('%s = %j (%s)', (field, expected) => {
    expect(data[field]).toStrictEqual(expected);
  });

  it.each([
    ['time_plain', 'a Time without default gets no value'],
    ['check_none', 'a Check without default gets no value on the client'],
    ['sel_placeholder', '[Select] options do not give a first option'],
    ['title', 'the title field gets no default'],
    ['no_def', 'no_default suppresses the default'],
    ['section', 'layout fields hold no value'],
  ] as [string, string][])('%s has no value (%s)', (field) => {
    expect(data).not.toHaveProperty(field);
  });

  it('uses the user time zone for Today and Time, the system zone for Datetime', () => {
    const d = newDoc(probe, opts({ getDoctype: lookupOf(probe), timeZone: 'Asia/Kolkata', systemTimeZone: 'UTC' })).data;
    expect(d.today).toBe('2024-04-01'); // 22:30 UTC is 04:00 next day in Kolkata
    expect(d.now_time).toBe('04:00:15');
    expect(d.now_dt).toBe('2024-03-31 22:30:15');
  });

  it('starts from the client base keys', () => {
    expect(data).toMatchObject({ docstatus: 0, doctype: 'Default Probe', __islocal: 1, __unsaved: 1, owner: user.name, __run_link_triggers: 1 });
    expect(data.name).toBe('new-default-probe-0000000001');
  });

  it('caller values block defaults: any non-null value, including "" and 0', () => {
    const d = newDoc(probe, opts({ getDoctype: lookupOf(probe), values: { plain: '', int_def: 0, sel_first: null } })).data;
    expect(d.plain).toBe('');
    expect(d.int_def).toBe(0);
    expect(d.sel_first).toBe('Alpha'); // null does not block
  });
});

describe('Link defaults: user permissions and user defaults', () => {
  const company = (extra: Record<string, unknown> = {}) => ({ fieldname: 'company', fieldtype: 'Link', options: 'Company', ...extra });
  const make = (fields: Record<string, unknown>[]) => doctype('Link Probe', fields);
  const value = (fields: Record<string, unknown>[], over: Parameters<typeof opts>[0] = {}) => {
    const meta = make(fields);
    return newDoc(meta, opts({ getDoctype: lookupOf(meta), ...over })).data.company;
  };

  it('takes a single user default for the Link DocType', () => {
    expect(value([company()], { user: { ...user, defaults: { Company: 'ACME' } } })).toBe('ACME');
  });

  it('a field default overrides the user default on the client', () => {
    expect(value([company({ default: 'Field Co' })], { user: { ...user, defaults: { Company: 'ACME' } } })).toBe('Field Co');
  });

  it('ignores several user defaults for the DocType, then falls back to the default by fieldname', () => {
    expect(value([company()], { user: { ...user, defaults: { Company: ['A', 'B'] } } })).toBeUndefined();
    expect(value([company({ fieldname: 'company' })], { user: { ...user, defaults: { Company: ['A', 'B'], company: ['C'] } } }))
      // defaults['Company'] has two values; get_user_default('company') gives the first of its own key.
      .toBe('C');
  });

  it('uses the last selected value only with remember_last_selected_value', () => {
    const lastSelected = { Company: 'Last Co' };
    expect(value([company()], { lastSelected })).toBeUndefined();
    expect(value([company({ remember_last_selected_value: 1 })], { lastSelected })).toBe('Last Co');
  });

  it('never fills a Link to User from user defaults', () => {
    const meta = make([{ fieldname: 'company', fieldtype: 'Link', options: 'User' }]);
    expect(newDoc(meta, opts({ getDoctype: lookupOf(meta), user: { ...user, defaults: { User: 'bob' } } })).data.company).toBeUndefined();
  });

  it('a single permitted record is the default, before user defaults', () => {
    expect(value([company()], { userPermissions: { Company: [{ doc: 'P1' }] }, user: { ...user, defaults: { Company: 'ACME' } } })).toBe('P1');
  });

  it('with several permitted records, the is_default one', () => {
    expect(value([company()], { userPermissions: { Company: [{ doc: 'P1' }, { doc: 'P2', is_default: 1 }] } })).toBe('P2');
  });

  it('permissions applicable to another DocType do not count', () => {
    const userPermissions = { Company: [{ doc: 'P1', applicable_for: 'Other' }, { doc: 'P2' }, { doc: 'P3' }] };
    // Two applicable records, none default: a user default is kept only if it is one of them.
    expect(value([company()], { userPermissions, user: { ...user, defaults: { Company: 'P1' } } })).toBeUndefined();
    expect(value([company()], { userPermissions, user: { ...user, defaults: { Company: 'P3' } } })).toBe('P3');
  });

  it('a field default not permitted is dropped; ignore_user_permissions lifts the check', () => {
    const userPermissions = { Company: [{ doc: 'P1' }, { doc: 'P2' }] };
    expect(value([company({ default: 'Elsewhere' })], { userPermissions })).toBeUndefined();
    expect(value([company({ default: 'P2' })], { userPermissions })).toBe('P2');
    expect(value([company({ default: 'Elsewhere', ignore_user_permissions: 1 })], { userPermissions })).toBe('Elsewhere');
  });
});

describe(':DocType boot-document defaults', () => {
  const bootDocs = { Company: { ACME: { cost_center: 'Main - AC', letter_head: 'ACME LH' } } };

  it('a parent reads the reference from the user default of the scrubbed DocType name', () => {
    const meta = doctype('Boot Probe', [
      { fieldname: 'company', fieldtype: 'Link', options: 'Company' },
      { fieldname: 'letter_head', fieldtype: 'Link', options: 'Letter Head', default: ':Company' },
    ]);
    const d = newDoc(meta, opts({ getDoctype: lookupOf(meta), bootDocs, user: { ...user, defaults: { company: 'ACME' } } })).data;
    expect(d.company).toBe('ACME');
    expect(d.letter_head).toBe('ACME LH');
    expect(newDoc(meta, opts({ getDoctype: lookupOf(meta), user: { ...user, defaults: { company: 'ACME' } } })).data.letter_head)
      .toBeUndefined(); // no boot docs: no value
  });

  it('a child row reads the reference from its parent (Sales Invoice Item.cost_center = :Company)', () => {
    const si = newDoc(corpusDoctype('Sales Invoice'), opts({ values: { company: 'ACME' } }));
    const row = newRow(si, 'items', {}, opts({ bootDocs }));
    expect(row.cost_center).toBe('Main - AC');
    expect(newRow(si, 'items', { cost_center: 'Other - AC' }, opts({ bootDocs })).cost_center).toBe('Other - AC');
  });
});

describe('real DocTypes', () => {
  it('Sales Invoice: Today, Check 0/1, Select defaults, title field without its default, tables []', () => {
    const d = newDoc(corpusDoctype('Sales Invoice'), opts()).data;
    expect(d.posting_date).toBe('2024-03-31');
    expect(d.is_pos).toBe(0);
    expect(d.update_billed_amount_in_delivery_note).toBe(1);
    expect(d.apply_discount_on).toBe('Grand Total');
    expect(d.is_opening).toBe('No');
    expect(d).not.toHaveProperty('title'); // default '{customer_name}' is ignored on the title field
    expect(d.items).toEqual([]);
    expect(d.taxes).toEqual([]);
  });

  it('ToDo: the owner docfield keeps the session user; Selects take their defaults', () => {
    const d = newDoc(corpusDoctype('ToDo'), opts()).data;
    expect(d).toMatchObject({ owner: user.name, status: 'Open', priority: 'Medium' });
  });

  it('defaultValue returns [] for a Table field', () => {
    const si = corpusDoctype('Sales Invoice');
    const items = si.fields.find((f) => f.fieldname === 'items')!;
    expect(defaultValue(items, si, undefined, opts())).toEqual([]);
  });

  it('withMandatoryChildren adds one row to each reqd Table field', () => {
    const doc = newDoc(corpusDoctype('Sales Invoice'), opts({ withMandatoryChildren: true }));
    expect(rowsOf(doc.data, 'items')).toHaveLength(1); // items is reqd
    expect(rowsOf(doc.data, 'taxes')).toHaveLength(0);
  });
});
