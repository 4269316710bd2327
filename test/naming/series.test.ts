import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/env';
import { memoryCounters } from '../../src/naming/counters';
import { InvalidNamingSeriesError } from '../../src/naming/errors';
import {
  consecutiveWeekNumber,
  formatAutoname,
  makeAutoname,
  namingSeriesPrefix,
  parseNamingSeries,
  validateNamingSeries,
} from '../../src/naming/series';
import { context } from './helpers';

// The fixed clock is 2024-03-05 10:20:30.123 UTC (ISO week 10).

describe('consecutiveWeekNumber (test_naming.py test_determine_consecutive_week_number)', () => {
  it.each([
    ['2019-12-31', '53'], // ISO week 1 of 2020, but in December
    ['2020-01-01', '01'],
    ['2020-01-15', '03'],
    ['2021-01-01', '00'], // ISO week 53 of 2020, but in January
    ['2021-12-31', '52'],
    ['2022-01-01', '00'], // ISO week 52 of 2021
    ['2024-12-30', '53'], // Monday of ISO week 1 of 2025
    ['2026-01-01', '01'], // Thursday: ISO week 1 of 2026
  ])('%s → %s', (day, week) => {
    expect(consecutiveWeekNumber(new Date(`${day}T12:00:00Z`))).toBe(week);
  });

  it('reads the calendar date in the given time zone', () => {
    const instant = new Date('2024-12-31T23:30:00Z'); // 2025-01-01 05:00 in Kolkata
    expect(consecutiveWeekNumber(instant, 'UTC')).toBe('53');
    expect(consecutiveWeekNumber(instant, 'Asia/Kolkata')).toBe('01');
  });
});

describe('parseNamingSeries', () => {
  it('builds the name left to right; the counter key is the text before the first # part', async () => {
    const ctx = context();
    expect(await parseNamingSeries('SINV-.YYYY.-.####', null, ctx)).toBe('SINV-2024-0001');
    expect(await parseNamingSeries('SINV-.YYYY.-.####', null, ctx)).toBe('SINV-2024-0002');
    expect(await ctx.counters.current('SINV-2024-')).toBe(2);
    expect(await parseNamingSeries('PRE.####', null, ctx)).toBe('PRE0001');
    expect(await ctx.counters.current('PRE')).toBe(1);
  });

  it('formats YY, MM, DD, YYYY, WW and timestamp from the clock', async () => {
    const ctx = context();
    expect(await parseNamingSeries('A.YY.MM.DD.-.YYYY.-W.WW', null, ctx)).toBe('A240305-2024-W10');
    // str(now_datetime()): microseconds shown when non-zero
    expect(await parseNamingSeries('timestamp', null, ctx)).toBe('2024-03-05 10:20:30.123000');
    const whole = context({ clock: fixedClock('2024-03-05T10:20:30Z') });
    expect(await parseNamingSeries('timestamp', null, whole)).toBe('2024-03-05 10:20:30');
  });

  it('uses the time zone for date parts (and so for the counter key)', async () => {
    const ctx = context({ clock: fixedClock('2024-12-31T23:30:00Z'), timeZone: 'Asia/Kolkata' });
    expect(await parseNamingSeries('SINV-.YYYY.-.##', null, ctx)).toBe('SINV-2025-01');
    expect(await ctx.counters.current('SINV-2025-')).toBe(1);
  });

  it('test_parse_naming_series_for_consecutive_week_number: no # part, no counter', async () => {
    const ctx = context();
    expect(await parseNamingSeries('PREFIX-.WW.-SUFFIX', null, ctx)).toBe('PREFIX-10-SUFFIX');
  });

  it('FY comes from the fiscal_year user default (first value of a list), else it is literal text as in Frappe v15', async () => {
    expect(await parseNamingSeries('JV-.FY.-.##', null, context({ userDefaults: { fiscal_year: '2024-25' } }))).toBe('JV-2024-25-01');
    expect(await parseNamingSeries('JV-.FY.-.##', null, context({ userDefaults: { fiscal_year: ['2023-24', 'x'] } }))).toBe('JV-2023-24-01');
    expect(await parseNamingSeries('JV-.FY.-.##', null, context())).toBe('JV-FY-01');
  });

  it('only the first # part counts; zero padding widens, never truncates', async () => {
    const ctx = context({ counters: memoryCounters({ 'A-': 99 }) });
    expect(await parseNamingSeries('A-.##.-.###', null, ctx)).toBe('A-100-');
    expect(await ctx.counters.current('A-')).toBe(100);
  });

  it('test_naming_with_empty_part: empty parts (double dots) are skipped', async () => {
    const doc = { webhook_docevent: 'on_update' };
    expect(await parseNamingSeries('KOOH-..{webhook_docevent}.-.####', doc, context())).toBe('KOOH-on_update-0001');
  });

  it('test_naming_with_empty_field: {field} and a bare fieldname on the doc are both replaced', async () => {
    const doc = { request_structure: null };
    expect(await parseNamingSeries('KOOH-.{request_structure}.-.request_structure.-.####', doc, context())).toBe('KOOH---0001');
  });

  it('test_naming_with_unsupported_part: dicts, lists and floats add nothing; ints and bools print', async () => {
    const ctx = context();
    expect(await parseNamingSeries('KOOH-..{webhook_docevent}.-.####', { webhook_docevent: { dict: 'x' } }, ctx)).toBe('KOOH--0001');
    expect(await parseNamingSeries('{a}.{b}.{c}.{d}', { a: [1], b: 1.5, c: 42, d: true }, ctx)).toBe('42True');
  });

  it('quirk: a literal part equal to a fieldname present on the doc is replaced by its value', async () => {
    const ctx = context();
    expect(await parseNamingSeries('INV.-.branch.-.##', { branch: 'NYC' }, ctx)).toBe('INV-NYC-01');
    // absent from the doc: kept literally
    expect(await parseNamingSeries('INV.-.branch.-.##', {}, ctx)).toBe('INV-branch-01');
    // prototype keys are not "present on the doc"
    expect(await parseNamingSeries('constructor', {}, ctx)).toBe('constructor');
  });

  it('without a doc, braces stay literal text', async () => {
    expect(await parseNamingSeries('X-.{branch}.-.##', null, context())).toBe('X-{branch}-01');
  });
});

describe('namingSeriesPrefix (test_naming.py test_naming_series_prefix)', () => {
  it.each([
    ['SINV-.YY.-.####', 'SINV-24-'],
    ['SINV-.YY.-.MM.-.####', 'SINV-24-03-'],
    ['SINV', 'SINV'],
    ['SINV-.', 'SINV-'],
    ['.#####.-2021-22', ''],
  ])('%s → %s', (series, prefix) => {
    expect(namingSeriesPrefix(series, null, context())).toBe(prefix);
  });

  it('does not consume a number', async () => {
    const ctx = context();
    namingSeriesPrefix('SINV-.####', null, ctx);
    expect(await ctx.counters.current('SINV-')).toBe(0);
  });

  it('throws when no part starts with #', () => {
    expect(() => namingSeriesPrefix('A#B', null, context())).toThrow(InvalidNamingSeriesError);
  });
});

describe('validateNamingSeries (test_naming.py test_naming_series_validation)', () => {
  it.each(['SINV-', 'SI-.{field}.', 'SI-#.###', 'ACC-SINV-.YYYY.-', 'HR-INT-.YYYY.-.####', 'Facture-Été-.##'])('accepts %s', (series) => {
    expect(() => validateNamingSeries(series)).not.toThrow();
  });

  it.each([
    ['$INV-', "Special Characters except '-', '#', '.', '/', '{' and '}' not allowed in naming series $INV-.#####"],
    ['WINDOWS\\NAMING', "Special Characters except '-', '#', '.', '/', '{' and '}' not allowed in naming series WINDOWS\\NAMING.#####"],
    ['ABC####', 'Invalid naming series ABC####: dot (.) missing'],
  ])('rejects %s', (series, message) => {
    let error: unknown;
    try {
      validateNamingSeries(series);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidNamingSeriesError);
    expect(error).toMatchObject({ code: 'INVALID_NAMING_SERIES', message });
  });
});

describe('makeAutoname', () => {
  it('appends .##### to a series without #, and validates', async () => {
    const ctx = context();
    expect(await makeAutoname('KOOH-.{webhook_docevent}.', { webhook_docevent: 'on_update' }, ctx)).toBe('KOOH-on_update00001');
    await expect(makeAutoname('$X', null, ctx)).rejects.toBeInstanceOf(InvalidNamingSeriesError);
  });

  it("'hash' gives ten hex characters from the id generator", async () => {
    expect(await makeAutoname('hash', null, context())).toBe('0000000001');
  });
});

describe('formatAutoname', () => {
  it('test_format_autoname: replaces braced parts, keeps the rest', async () => {
    const ctx = context();
    expect(await formatAutoname('format:TODO-{MM}-{some_fieldname}-{##}', { some_fieldname: 'Format' }, ctx)).toBe('TODO-03-Format-01');
  });

  it('test_format_autoname_for_consecutive_week_number', async () => {
    expect(await formatAutoname('format:TODO-{WW}-{##}', {}, context())).toBe('TODO-10-01');
  });

  it('quirk: every {#} part draws from the shared counter keyed ""', async () => {
    const ctx = context();
    expect(await formatAutoname('format:AL-{#####}', {}, ctx)).toBe('AL-00001');
    expect(await formatAutoname('format:AUT-AR-{#####}', {}, ctx)).toBe('AUT-AR-00002');
    // two counters in one template draw twice, left to right
    expect(await formatAutoname('format:{##}-{###}', {}, ctx)).toBe('03-004');
    expect(await ctx.counters.current('')).toBe(4);
  });

  it('test_format_autoname_for_datetime_field: date and time values are printed', async () => {
    const ctx = context();
    expect(await formatAutoname('format:TODO-{field}-{##}', { field: '2024-03-05 10:20:30.123456' }, ctx)).toBe(
      'TODO-2024-03-05 10:20:30.123456-01',
    );
    expect(await formatAutoname('format:TODO-{field}-{##}', { field: new Date('2024-03-05T10:20:30Z') }, ctx)).toBe(
      'TODO-2024-03-05 10:20:30-02',
    );
  });

  it('a brace naming a key the doc lacks becomes the bare text; unmatched braces stay', async () => {
    const ctx = context();
    expect(await formatAutoname('format:{missing}-{a.b}', {}, ctx)).toBe('missing-{a.b}');
  });

  it('accepts the template without its format: prefix', async () => {
    expect(await formatAutoname('GC-{email_id}', { email_id: 'a@b.c' }, context())).toBe('GC-a@b.c');
  });
});
