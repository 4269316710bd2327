import { describe, expect, it } from 'vitest';
import { amendedName } from '../../src/naming/amend';
import { partText, pyTitle, zeroPad } from '../../src/naming/text';

describe('pyTitle (Python str.title, values checked with CPython 3)', () => {
  it.each([
    ["they're 2nd-best", "They'Re 2Nd-Best"],
    ['HELLO wORLD', 'Hello World'],
    ['ǆungla ßa élan_x', 'ǅungla Ssa Élan_X'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(pyTitle(input)).toBe(expected);
  });
});

describe('zeroPad (Python "%0Nd" % n)', () => {
  it.each([
    [1, 5, '00001'],
    [123456, 5, '123456'], // never truncated
    [-3, 5, '-0003'],
    [7, 0, '7'],
  ])('%d, %d → %s', (n, digits, expected) => {
    expect(zeroPad(n, digits)).toBe(expected);
  });
});

describe('partText (what a field value adds to a series)', () => {
  it('prints strings, ints, bools and datetimes; skips None, floats and containers', () => {
    expect([partText('a'), partText(3), partText(false), partText(null), partText(2.5), partText({}), partText([1])]).toEqual([
      'a', '3', 'False', '', '', '', '',
    ]);
    expect(partText(new Date('2024-03-05T10:20:30.500Z'), 'UTC')).toBe('2024-03-05 10:20:30.500000');
  });
});

describe('amendedName (_set_amended_name)', () => {
  it.each([
    ['SINV-0001', null, 'SINV-0001-1'],
    ['SINV-0001-1', 'SINV-0001', 'SINV-0001-2'],
    ['X-5', undefined, 'X-5-1'],
    ['X-5', '', 'X-5-1'], // an empty amended_from is "never amended"
    ['X-abc', 'X', 'X-1'], // cint("abc") is 0
    ['PLAIN', 'OTHER', '-1'], // no "-": the whole name is the counter segment (Frappe quirk)
  ])('%s (source amended from %j) → %s', (from, sourceAmendedFrom, expected) => {
    expect(amendedName(from, sourceAmendedFrom)).toBe(expected);
  });
});
