import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDTYPES } from '../../src/schema/fieldtypes';
import { checkInternationalPhone, invalidEmailParts, isValidDataPhone, isValidPersonName, isValidUrl, splitEmails } from '../../src/values/formats';
import { validateValue, type ValueContext } from '../../src/values/validate';
import { corpusDoctype, fieldOf } from './helpers';
import { reference } from './reference';

const parent: ValueContext = { doctype: 'ToDo', docname: 'TD-0001', owner: 'jane@example.com' };
const row: ValueContext = { doctype: 'Sales Order Item', row: { idx: 3, table: 'items', name: 'r3' } };
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('format validators vs CPython running Frappe\'s utils', () => {
  // fixtures/values/python-reference.json "formats": validate_email_address over split_emails, validate_url,
  // PERSON_NAME_PATTERN, PHONE_NUMBER_PATTERN, evaluated by CPython 3.11.
  it('Email (split_emails + validate_email_address)', () => {
    const wrong = reference.formats.email.filter(
      ([e, ok]) => (splitEmails(e).flatMap(invalidEmailParts).length === 0) !== ok,
    );
    expect(wrong).toEqual([]);
  });
  it('URL (validate_url)', () => {
    expect(reference.formats.url.filter(([u, ok]) => isValidUrl(u) !== ok)).toEqual([]);
  });
  it('Name (validate_name): Python \\w excludes combining marks', () => {
    expect(reference.formats.name.filter(([n, ok]) => isValidPersonName(n) !== ok)).toEqual([]);
  });
  it('Data Phone (validate_phone_number)', () => {
    expect(reference.formats.phone.filter(([p, ok]) => isValidDataPhone(p) !== ok)).toEqual([]);
  });
});

describe('Phone fieldtype (phonenumbers stand-in)', () => {
  it.each([
    ['+91 1234567890', 'valid'], // frappe/tests/test_utils.py test_valid_phone
    ['+420 1234567890', 'invalid'], // same test: Czech numbers have 9 digits
    ['+420 123 456 789', 'valid'],
    ['+1 (415) 555-2671', 'valid'],
    ['+1 115 555 2671', 'invalid'], // NANP area codes start 2-9
    ['9876543210', 'country_code_required'],
    ['+999 1234', 'country_code_required'],
    ['+44 20 7946 0958', 'valid'],
    ['+44 12', 'invalid'],
    ['+49 30 123456 7890 12345', 'invalid'], // longer than E.164's 15 digits
    ['call me', 'invalid'],
  ])('%s → %s', (phone, outcome) => {
    expect(checkInternationalPhone(phone)).toBe(outcome);
  });

  it('uses Frappe\'s two messages', () => {
    const df = fieldOf('Phone', { fieldname: 'mobile_no', label: 'Mobile' });
    expect(validateValue(df, '98765', parent).map((i) => i.message)).toMatchInlineSnapshot(`
      [
        "Please select a country code for field mobile_no.",
      ]
    `);
    expect(validateValue(df, '+420 1234567890', parent).map((i) => i.message)).toMatchInlineSnapshot(`
      [
        "Phone Number +420 1234567890 set in field mobile_no is not valid.",
      ]
    `);
    expect(validateValue(df, '', parent)).toEqual([]);
  });
});

describe('validateValue', () => {
  it('a list on a non-table field is LIST_NOT_ALLOWED and nothing else', () => {
    const issues = validateValue(fieldOf('Data', { label: 'Subject' }), ['a'], parent);
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "LIST_NOT_ALLOWED",
          "doctype": "ToDo",
          "exc": "ValidationError",
          "field": "f",
          "message": "Value for Subject cannot be a list",
          "value": [
            "a",
          ],
        },
      ]
    `);
    expect(validateValue(fieldOf('Table'), [{}], parent)).toEqual([]);
  });

  it('Data with options Email: one issue per invalid address, HTML-escaped like Frappe', () => {
    const df = fieldOf('Data', { options: 'Email', label: 'Email' });
    expect(validateValue(df, 'ok@x.com, <bad>, also bad', parent).map((i) => i.message)).toMatchInlineSnapshot(`
      [
        "&lt;bad&gt; is not a valid Email Address",
        "also bad is not a valid Email Address",
      ]
    `);
    expect(validateValue(df, 'Administrator', { ...parent, owner: 'Administrator' })).toEqual([]);
    expect(codes(validateValue(df, 'Administrator', parent))).toEqual(['INVALID_EMAIL']);
  });

  it('Data options Name / Phone / URL messages; Barcode unchecked; oldfieldtype skips', () => {
    expect(validateValue(fieldOf('Data', { options: 'Name' }), ' asd$wat ', parent)[0]?.message).toBe('asd$wat is not a valid Name');
    expect(validateValue(fieldOf('Data', { options: 'Phone' }), 'abc', parent)[0]?.message).toBe('abc is not a valid Phone Number');
    expect(validateValue(fieldOf('Data', { options: 'URL' }), 'google.io', parent)[0]?.message).toBe("'google.io' is not a valid URL");
    expect(validateValue(fieldOf('Data', { options: 'Barcode' }), '!!', parent)).toEqual([]);
    expect(validateValue(fieldOf('Data', { options: 'Email', oldfieldtype: 'Text' }), 'nope', parent)).toEqual([]);
  });

  it('Select: value must be one of the options; Row prefix for child rows', () => {
    const df = fieldOf('Select', { options: '\nOpen\nClosed', label: 'Status' });
    expect(validateValue(df, 'Open', parent)).toEqual([]);
    expect(validateValue(df, '', parent)).toEqual([]);
    expect(validateValue(df, 'Done', parent)[0]?.message).toMatchInlineSnapshot(`"Status cannot be "Done". It should be one of "", "Open", "Closed""`);
    expect(validateValue(df, 'Done', row)[0]).toMatchObject({
      code: 'INVALID_SELECT', row: 3, table: 'items', rowname: 'r3',
      message: 'Row #3: Status cannot be "Done". It should be one of "", "Open", "Closed"',
    });
    expect(validateValue(fieldOf('Select', { fieldname: 'naming_series', options: 'A-' }), 'X-', parent)).toEqual([]);
    expect(validateValue(fieldOf('Select', { options: '[Select]' }), 'anything', parent)).toEqual([]);
  });

  it('non_negative: Int, Float, Currency only, flt(value) < 0', () => {
    for (const ft of ['Int', 'Float', 'Currency']) {
      expect(codes(validateValue(fieldOf(ft, { non_negative: 1, label: 'Qty' }), -1, parent))).toEqual(['NEGATIVE_VALUE']);
    }
    expect(validateValue(fieldOf('Percent', { non_negative: 1 }), -1, parent)).toEqual([]);
    expect(validateValue(fieldOf('Float', { non_negative: 1, label: 'Qty' }), -0.5, parent)[0]?.message).toBe('Value cannot be negative for ToDo: Qty');
    expect(validateValue(fieldOf('Float', { non_negative: 1, label: 'Qty' }), -0.5, row)[0]?.message).toBe('Sales Order Item Row #3: Value cannot be negative for Qty');
  });

  it('length: varchar counts code points (Python len), default 140, df.length when set', () => {
    const df = fieldOf('Data', { label: 'Code', length: 5 });
    expect(validateValue(df, '😀😀😀😀😀', parent)).toEqual([]); // 10 UTF-16 units, 5 code points
    expect(validateValue(df, '123456', parent)[0]?.message).toMatchInlineSnapshot(`"ToDo TD-0001: 'Code' (123456) will get truncated, as max characters allowed is 5"`);
    expect(validateValue(fieldOf('Data', { label: 'Code' }), 'x'.repeat(141), row)[0]?.message).toMatch(/^Sales Order Item, Row 3: 'Code' \(x+\) .* is 140$/);
    expect(validateValue(fieldOf('Small Text'), 'x'.repeat(1000), parent)).toEqual([]);
    expect(validateValue(df, 'x'.repeat(9), { ...parent, issingle: true })).toEqual([]);
  });

  it('length: Int 2^31-1, bigint limits for length > 11 and Long Int (exact, beyond 2^53)', () => {
    expect(validateValue(fieldOf('Int'), 2 ** 31 - 1, parent)).toEqual([]);
    expect(codes(validateValue(fieldOf('Int'), -(2 ** 31), parent))).toEqual(['LENGTH_EXCEEDED']);
    expect(validateValue(fieldOf('Int', { length: 20 }), 2 ** 40, parent)).toEqual([]);
    expect(validateValue(fieldOf('Long Int'), '9223372036854775807', parent)).toEqual([]);
    expect(codes(validateValue(fieldOf('Long Int'), '9223372036854775808', parent))).toEqual(['LENGTH_EXCEEDED']);
  });

  it('Date / Datetime / Time must be canonical strings (INVALID_DATE)', () => {
    const ok: [string, string][] = [
      ['Date', '2024-02-29'], ['Datetime', '2024-02-29 23:59:59'], ['Datetime', '2024-02-29 23:59:59.123456'],
      ['Time', '09:30:00'], ['Time', '23:59:59.5'],
    ];
    // Validation sees coerced values: '9:30:00' and ISO forms are normalised by coerceValue first (coerce.test.ts),
    // so only the canonical form passes here, the one every storage adapter accepts.
    const bad: [string, unknown][] = [
      ['Date', '2023-02-29'], ['Date', '29-02-2024'], ['Date', '2024-2-1'], ['Datetime', '2024-01-01T10:00:00'],
      ['Datetime', '2024-01-01'], ['Time', '24:00:00'], ['Time', '10:00'], ['Time', '9:30:00'], ['Date', 20240101],
    ];
    for (const [ft, v] of ok) expect(validateValue(fieldOf(ft), v, parent)).toEqual([]);
    for (const [ft, v] of bad) expect(codes(validateValue(fieldOf(ft), v, parent))).toEqual(['INVALID_DATE']);
    expect(validateValue(fieldOf('Date', { label: 'Due' }), '31-12-2024', parent)[0]?.message).toMatchInlineSnapshot(`"Due: 31-12-2024 is not a valid Date (expected YYYY-MM-DD)"`);
  });

  it('JSON must be a JSON string or object', () => {
    const df = fieldOf('JSON');
    expect(validateValue(df, '{"a":1}', parent)).toEqual([]);
    expect(validateValue(df, { a: 1 }, parent)).toEqual([]);
    expect(codes(validateValue(df, '{bad', parent))).toEqual(['INVALID_JSON']);
    expect(codes(validateValue(df, 5, parent))).toEqual(['INVALID_JSON']);
  });

  it('wrong kinds: an object in a text field, NaN in a Float, text in a Long Int', () => {
    expect(codes(validateValue(fieldOf('Data'), { a: 1 }, parent))).toEqual(['INVALID_VALUE']);
    expect(codes(validateValue(fieldOf('Float'), NaN, parent))).toEqual(['INVALID_VALUE']);
    expect(codes(validateValue(fieldOf('Long Int'), 'abc', parent))).toEqual(['INVALID_VALUE']);
    expect(validateValue(fieldOf('Data'), 5, parent)).toEqual([]); // the DB stores "5"
  });

  it('real fixture: ToDo status against Frappe\'s own options', () => {
    const todo = corpusDoctype('frappe-current', 'ToDo');
    const status = todo.fields.find((d) => d.fieldname === 'status');
    if (!status) throw new Error('ToDo has no status');
    expect(validateValue(status, 'Open', parent)).toEqual([]);
    expect(validateValue(status, 'Pending', parent)[0]?.message).toMatchInlineSnapshot(`"Status cannot be "Pending". It should be one of "Open", "Closed""`);
  });

  it('never throws for any JSON value and any fieldtype (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDTYPES), fc.jsonValue(), fc.boolean(), (ft, v, asRow) => {
        const issues = validateValue(fieldOf(ft, { non_negative: 1, length: 3 }), v, asRow ? row : parent);
        for (const i of issues) expect(typeof i.message).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
