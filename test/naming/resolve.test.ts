import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/env';
import { memoryCounters } from '../../src/naming/counters';
import { InvalidNamingSeriesError } from '../../src/naming/errors';
import { childRowName, resolveName } from '../../src/naming/resolve';
import { NOW, context, corpus, doctype } from './helpers';

// Fixed clock: 2024-03-05 10:20:30.123 UTC. sequentialIds: hash() gives 0000000001, 0000000002, ...

describe('resolveName: autoname forms on real DocTypes (`frappe/model/naming.py`)', () => {
  it('old-style series with # (hrms Interview: HR-INT-.YYYY.-.####), ignoring a client name', async () => {
    const ctx = context();
    const interview = corpus('hrms', 'Interview');
    expect(await resolveName(interview, { name: 'client-sent' }, ctx)).toEqual({ name: 'HR-INT-2024-0001', issues: [] });
    expect((await resolveName(interview, {}, ctx)).name).toBe('HR-INT-2024-0002');
    expect(await ctx.counters.current('HR-INT-2024-')).toBe(2);
  });

  it('date parts in the middle of the key (hrms Employee Checkin: EMP-CKIN-.MM.-.YYYY.-.######)', async () => {
    expect((await resolveName(corpus('hrms', 'Employee Checkin'), {}, context())).name).toBe('EMP-CKIN-03-2024-000001');
  });

  it('naming_series: uses doc.naming_series + ".#####" (erpnext Sales Invoice)', async () => {
    const ctx = context();
    const si = corpus('erpnext', 'Sales Invoice');
    expect(await resolveName(si, { naming_series: 'ACC-SINV-RET-.YYYY.-' }, ctx)).toEqual({ name: 'ACC-SINV-RET-2024-00001', issues: [] });
    expect(await ctx.counters.current('ACC-SINV-RET-2024-')).toBe(1);
  });

  it('naming_series: falls back to the first non-empty option and reports it as set', async () => {
    const ctx = context();
    expect(await resolveName(corpus('erpnext', 'Sales Invoice'), {}, ctx)).toEqual({
      name: 'ACC-SINV-2024-00001',
      issues: [],
      set: { naming_series: 'ACC-SINV-.YYYY.-' },
    });
    // Webhook's options start with an empty line; the series already has # so the appended .##### adds nothing
    expect((await resolveName(corpus('frappe-v13', 'Webhook'), {}, ctx)).name).toBe('HOOK-0001');
    expect((await resolveName(corpus('erpnext', 'Material Request'), {}, ctx)).name).toBe('MREQ-00001');
  });

  it('naming_series: no series anywhere is a "Naming Series mandatory" issue', async () => {
    const dt = doctype({ name: 'Bill', autoname: 'naming_series:' });
    const result = await resolveName(dt, {}, context());
    expect(result.name).toBeUndefined();
    expect(result.issues).toMatchInlineSnapshot(`
      [
        {
          "code": "NAMING",
          "doctype": "Bill",
          "exc": "ValidationError",
          "field": "naming_series",
          "message": "Naming Series mandatory",
          "path": [
            "naming_series",
          ],
        },
      ]
    `);
  });

  it('naming_series: a malformed series in the document is an issue, in the DocType definition a throw', async () => {
    const result = await resolveName(corpus('erpnext', 'Sales Invoice'), { naming_series: '$INV-' }, context());
    expect(result.issues[0]).toMatchObject({
      code: 'NAMING',
      exc: 'InvalidNamingSeriesError',
      field: 'naming_series',
      message: "Special Characters except '-', '#', '.', '/', '{' and '}' not allowed in naming series $INV-.#####",
    });
    await expect(resolveName(doctype({ name: 'Bad', autoname: 'AB$.###' }), {}, context())).rejects.toBeInstanceOf(
      InvalidNamingSeriesError,
    );
  });

  it('field: takes the stripped field value (frappe Country: field:country_name)', async () => {
    expect((await resolveName(corpus('frappe-v13', 'Country'), { country_name: '  India ' }, context())).name).toBe('India');
    expect((await resolveName(corpus('frappe-v13', 'Country'), { country_name: 91 }, context())).name).toBe('91');
  });

  it('field: an empty value is "<label> is required"', async () => {
    const result = await resolveName(corpus('frappe-v13', 'Country'), { country_name: '   ' }, context());
    expect(result.issues).toMatchInlineSnapshot(`
      [
        {
          "code": "NAMING",
          "doctype": "Country",
          "exc": "ValidationError",
          "field": "country_name",
          "message": "Country Name is required",
          "path": [
            "country_name",
          ],
        },
      ]
    `);
  });

  it('field: matches the prefix case-insensitively', async () => {
    const dt = doctype({ name: 'Thing', autoname: 'Field:code', fields: [{ fieldname: 'code', fieldtype: 'Data', label: 'Code' }] });
    expect((await resolveName(dt, { code: 'T-1' }, context())).name).toBe('T-1');
  });

  it('format: shares the "" counter across DocTypes (Access Log, Auto Repeat, Personal Data Deletion Request)', async () => {
    const ctx = context();
    expect((await resolveName(corpus('frappe-v13', 'Access Log'), {}, ctx)).name).toBe('AL-00001');
    expect((await resolveName(corpus('frappe-v13', 'Auto Repeat'), {}, ctx)).name).toBe('AUT-AR-00002');
    expect((await resolveName(corpus('frappe-v13', 'Personal Data Deletion Request'), {}, ctx)).name).toBe('deleted-user-0003@deleted.com');
    expect(await ctx.counters.current('')).toBe(3);
  });

  it('format: timestamps and field values (Console Log, Data Import)', async () => {
    const ctx = context();
    expect((await resolveName(corpus('frappe-v13', 'Console Log'), {}, ctx)).name).toBe('Log on 2024-03-05 10:20:30.123000');
    const doc = { reference_doctype: 'Item', creation: '2024-03-05 10:20:30.123456' };
    expect((await resolveName(corpus('frappe-v13', 'Data Import'), doc, ctx)).name).toBe('Item Import on 2024-03-05 10:20:30.123456');
  });

  it('hash and unrecognised autoname values give a 10-character hash (ToDo, Role Profile)', async () => {
    const ctx = context();
    expect((await resolveName(corpus('frappe-current', 'ToDo'), {}, ctx)).name).toBe('0000000001');
    expect((await resolveName(corpus('frappe-v13', 'Role Profile'), { role_profile: 'Sales' }, ctx)).name).toBe('0000000002');
    expect((await resolveName(doctype({ name: 'Plain' }), {}, ctx)).name).toBe('0000000003');
  });

  it('customAutoname (naming rules / controller autoname) runs before the autoname property', async () => {
    const customAutoname = vi.fn((_dt, doc: Readonly<Record<string, unknown>>) => doc.role_profile as string);
    const ctx = context({ customAutoname });
    expect((await resolveName(corpus('frappe-v13', 'Role Profile'), { role_profile: 'Sales' }, ctx)).name).toBe('Sales');
    // returning nothing falls through to the DocType's autoname
    const fallthrough = context({ customAutoname: async () => undefined });
    expect((await resolveName(corpus('hrms', 'Interview'), {}, fallthrough)).name).toBe('HR-INT-2024-0001');
  });

  it('autoincrement: the next sequence value, an integer (erpnext Tax Withheld Vouchers)', async () => {
    const ctx = context();
    const dt = corpus('erpnext', 'Tax Withheld Vouchers');
    expect(await resolveName(dt, {}, ctx)).toEqual({ name: 1, issues: [] });
    expect(await resolveName(dt, { name: 'ignored' }, ctx)).toEqual({ name: 2, issues: [] });
    expect(await ctx.counters.current('autoincrement:Tax Withheld Vouchers')).toBe(2);
    const sequence = vi.fn(async () => 77);
    expect((await resolveName(dt, {}, context({ autoincrement: sequence }))).name).toBe(77);
    expect(sequence).toHaveBeenCalledWith('Tax Withheld Vouchers');
  });

  it('UUID: v7 from the clock by default, v4 from the id generator on request', async () => {
    const dt = doctype({ name: 'Event Log', autoname: 'UUID' });
    const v7 = (await resolveName(dt, {}, context())).name as string;
    expect(v7).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(v7.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.parse(NOW));
    expect((await resolveName(dt, {}, context({ uuid: 'v4' }))).name).toBe('00000000-0000-0000-0000-000000000001');
  });

  it('UUID: a given UUID string is kept; anything else is InvalidUUIDValue (test_uuid_naming)', async () => {
    const dt = doctype({ name: 'Event Log', autoname: 'UUID' });
    const given = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect((await resolveName(dt, { name: given }, context())).name).toBe(given);
    const bad = await resolveName(dt, { name: 'XYZ' }, context());
    expect(bad.issues[0]).toMatchObject({ code: 'NAMING', exc: 'InvalidUUIDValue', message: 'Invalid value specified for UUID: XYZ' });
  });

  it('single DocTypes are named after themselves (System Settings)', async () => {
    expect(await resolveName(corpus('frappe-v13', 'System Settings'), {}, context())).toEqual({ name: 'System Settings', issues: [] });
  });
});

describe('resolveName: Prompt and set_name (`frappe/model/naming.py`)', () => {
  const tag = () => corpus('frappe-v13', 'Tag');

  it('__newname is validated and used', async () => {
    expect(await resolveName(tag(), { __newname: '  urgent ' }, context())).toEqual({ name: 'urgent', issues: [] });
  });

  it('setName wins over the autoname rules', async () => {
    expect((await resolveName(corpus('hrms', 'Interview'), {}, context(), { setName: 'INT-CUSTOM' })).name).toBe('INT-CUSTOM');
  });

  it('a name already on a saved (non-local) doc is kept for prompt; a local new-... name is not', async () => {
    expect((await resolveName(tag(), { name: 'from-api' }, context())).name).toBe('from-api');
    const local = await resolveName(tag(), { name: 'new-tag-1', __islocal: 1 }, context());
    expect(local.issues.map((i) => i.message)).toEqual(['Please set the document name']);
  });

  it('test_naming_validations: doctype name, "New ...", special characters, empty', async () => {
    const messages = async (doc: Record<string, unknown>) => (await resolveName(tag(), doc, context())).issues.map((i) => [i.exc, i.message]);
    expect(await messages({ __newname: 'Tag' })).toEqual([['NameError', 'Name of Tag cannot be Tag']]);
    expect(await messages({ __newname: 'New Tag' })).toEqual([
      ['NameError', 'There were some errors setting the name, please contact the administrator'],
    ]);
    expect(await messages({ __newname: 'Tag<>' })).toEqual([['NameError', "Name cannot contain special characters like '<', '>'"]]);
    // case 4: an empty __newname falls through to the prompt rule
    expect(await messages({ __newname: '' })).toEqual([['ValidationError', 'Please set the document name']]);
  });

  it('set_name equal to the DocType name is refused (make_invalid_todo)', async () => {
    const r = await resolveName(corpus('frappe-current', 'ToDo'), { description: 'Test' }, context(), { setName: 'ToDo' });
    expect(r.issues.map((i) => i.message)).toEqual(['Name of ToDo cannot be ToDo']);
  });

  it('field: names equal to the DocType are refused too (Currency named "Currency")', async () => {
    const r = await resolveName(corpus('frappe-v13', 'Currency'), { currency_name: 'Currency' }, context());
    expect(r.issues.map((i) => i.message)).toEqual(['Name of Currency cannot be Currency']);
  });
});

describe('resolveName: amended documents (`frappe/model/document.py`)', () => {
  // A stored `amended_from` per document name, as the storage layer would answer.
  const stored: Record<string, string | null> = {
    'SINV-0001': null,
    'SINV-0001-1': 'SINV-0001',
    'SINV-0001-2': 'SINV-0001-1',
    'X-5': null,
  };
  const getAmendedFrom = async (_doctype: string, name: string) => stored[name];
  const si = () => corpus('erpnext', 'Sales Invoice');

  it.each([
    ['SINV-0001', 'SINV-0001-1'],
    ['SINV-0001-1', 'SINV-0001-2'],
    ['SINV-0001-2', 'SINV-0001-3'],
    ['X-5', 'X-5-1'], // never amended: the -5 is part of the original name
  ])('amending %s gives %s', async (source, expected) => {
    const ctx = context({ getAmendedFrom });
    expect(await resolveName(si(), { amended_from: source, naming_series: 'ACC-SINV-.YYYY.-' }, ctx)).toEqual({
      name: expected,
      issues: [],
    });
    // no series number is consumed
    expect(await ctx.counters.current('ACC-SINV-2024-')).toBe(0);
  });

  it('asks the lookup with the DocType and the source name', async () => {
    const lookup = vi.fn(getAmendedFrom);
    await resolveName(si(), { amended_from: 'SINV-0001-1' }, context({ getAmendedFrom: lookup }));
    expect(lookup).toHaveBeenCalledWith('Sales Invoice', 'SINV-0001-1');
  });

  it("'Default Naming' names the amendment like a new document", async () => {
    const ctx = context({ getAmendedFrom, amendNaming: 'Default Naming' });
    expect((await resolveName(si(), { amended_from: 'SINV-0001', naming_series: 'ACC-SINV-.YYYY.-' }, ctx)).name).toBe(
      'ACC-SINV-2024-00001',
    );
  });
});

describe('name_case (`frappe/model/naming.py`)', () => {
  const prompt = (nameCase: string) => doctype({ name: 'Label', autoname: 'Prompt', name_case: nameCase });

  it('with applyNameCase, UPPER CASE and Title Case (Python str.title) are applied before stripping', async () => {
    const ctx = context({ applyNameCase: true });
    expect((await resolveName(prompt('UPPER CASE'), { __newname: ' acme corp ' }, ctx)).name).toBe('ACME CORP');
    expect((await resolveName(prompt('Title Case'), { __newname: "they're 2nd-best" }, ctx)).name).toBe("They'Re 2Nd-Best");
  });

  it('is off by default, as on Frappe v14+ servers (erpnext Customer is Title Case)', async () => {
    const customer = corpus('erpnext', 'Customer');
    expect((await resolveName(customer, {}, context())).name).toBe('CUST-2024-00001');
    expect((await resolveName(customer, {}, context({ applyNameCase: true }))).name).toBe('Cust-2024-00001');
    expect((await resolveName(prompt('UPPER CASE'), { __newname: ' acme corp ' }, context())).name).toBe('acme corp');
  });
});

describe('childRowName (`frappe/model/naming.py`)', () => {
  it('a child DocType without autoname gets a 10-character hash (Sales Invoice Item)', async () => {
    const ctx = context();
    expect(await childRowName(corpus('erpnext', 'Sales Invoice Item'), { item_code: 'X' }, ctx)).toEqual({ name: '0000000001', issues: [] });
    expect((await childRowName(corpus('erpnext', 'Sales Invoice Item'), {}, ctx)).name).toBe('0000000002');
  });

  it('a child DocType with field: autoname is named by that field (Log Setting User)', async () => {
    const child = corpus('frappe-v13', 'Log Setting User');
    expect((await childRowName(child, { user: 'jane@example.com' }, context())).name).toBe('jane@example.com');
    expect((await childRowName(child, {}, context())).issues.map((i) => i.message)).toEqual(['User is required']);
  });

  it('ignores __newname and set_name handling (that is the parent document step only)', async () => {
    const child = doctype({ name: 'Row', istable: 1, autoname: 'Prompt' });
    expect((await childRowName(child, { __newname: 'x' }, context())).issues.map((i) => i.message)).toEqual([
      'Please set the document name',
    ]);
  });
});

describe('determinism', () => {
  it('depends only on the injected clock, ids and counters', async () => {
    const run = () => resolveName(corpus('hrms', 'Interview'), {}, context({ counters: memoryCounters(), clock: fixedClock(NOW) }));
    expect(await run()).toEqual(await run());
  });
});
