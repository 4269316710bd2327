import { describe, expect, it } from 'vitest';
import { validateName } from '../../src/naming/validate';
import { corpus, doctype } from './helpers';

describe('validateName (`frappe/model/naming.py`)', () => {
  const note = doctype({ name: 'Note' });

  it.each([
    ['', 'ValidationError', 'No Name Specified for Note'],
    [null, 'ValidationError', 'No Name Specified for Note'],
    [0, 'ValidationError', 'No Name Specified for Note'],
    [12, 'NameError', 'Invalid name type (integer) for varchar name column'],
    ['New Note 3', 'NameError', 'There were some errors setting the name, please contact the administrator'],
    ['Note', 'NameError', 'Name of Note cannot be Note'],
    [' Note ', 'NameError', 'Name of Note cannot be Note'], // compared after strip
    ['a<b', 'NameError', "Name cannot contain special characters like '<', '>'"],
    ['a>b', 'NameError', "Name cannot contain special characters like '<', '>'"],
    [{ x: 1 }, 'NameError', 'Invalid name type (object) for varchar name column'],
  ])('%j → %s %s', (name, exc, message) => {
    const result = validateName(note, name);
    expect(result).toHaveProperty('issue');
    if ('issue' in result) expect(result.issue).toMatchObject({ code: 'NAMING', exc, message, doctype: 'Note', field: 'name' });
  });

  it('strips and returns a valid name', () => {
    expect(validateName(note, '  Groceries  ')).toEqual({ name: 'Groceries' });
    // "New" alone, or "New" followed by another DocType, is fine
    expect(validateName(note, 'New Year')).toEqual({ name: 'New Year' });
  });

  it('accepts an integer only for autoincrement DocTypes', () => {
    expect(validateName(corpus('erpnext', 'Tax Withheld Vouchers'), 12)).toEqual({ name: 12 });
  });

  it('single DocTypes, and the DocType "DocType", may carry their own name', () => {
    expect(validateName(corpus('frappe-v13', 'System Settings'), 'System Settings')).toEqual({ name: 'System Settings' });
    expect(validateName(corpus('frappe-current', 'DocType'), 'DocType')).toEqual({ name: 'DocType' });
  });

  it('applies the name case before the checks', () => {
    expect(validateName(note, 'hello world', 'Title Case')).toEqual({ name: 'Hello World' });
    expect(validateName(note, 'hello world', 'UPPER CASE')).toEqual({ name: 'HELLO WORLD' });
    expect(validateName(note, 'note', 'Title Case')).toHaveProperty('issue');
    expect(validateName(note, 'hello', 'lower case')).toEqual({ name: 'hello' });
  });
});
