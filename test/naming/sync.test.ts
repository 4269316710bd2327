import { describe, expect, it } from 'vitest';
import { syncAutonameField } from '../../src/naming/sync';
import { corpus, doctype } from './helpers';

describe('syncAutonameField (`frappe/model/base_document.py`)', () => {
  const country = corpus('frappe-v13', 'Country');

  it('test_field_autoname_name_sync: editing the autoname field is reverted to the name', () => {
    const doc = { name: 'India', country_name: 'Not a country', code: 'in' };
    const synced = syncAutonameField(country, doc);
    expect(synced).toEqual({ name: 'India', country_name: 'India', code: 'in' });
    expect(doc.country_name).toBe('Not a country'); // input untouched
  });

  it('returns the same object when nothing changes', () => {
    const doc = { name: 'India', country_name: 'India' };
    expect(syncAutonameField(country, doc)).toBe(doc);
    const unnamed = { country_name: 'India' };
    expect(syncAutonameField(country, unnamed)).toBe(unnamed);
    const todo = { name: 'abc', description: 'x' };
    expect(syncAutonameField(corpus('frappe-current', 'ToDo'), todo)).toBe(todo);
  });

  it('test_child_table_naming: a child row keeps its first name and the field follows it', () => {
    const child = doctype({ name: 'Named Row', istable: 1, autoname: 'field:some_fieldname' });
    const row = { name: 'abc123', some_fieldname: 'Something else' };
    expect(syncAutonameField(child, row)).toEqual({ name: 'abc123', some_fieldname: 'abc123' });
  });

  it('matches "field:" case-sensitively, as Frappe does', () => {
    const dt = doctype({ name: 'Thing', autoname: 'Field:code' });
    const doc = { name: 'A', code: 'B' };
    expect(syncAutonameField(dt, doc)).toBe(doc);
  });
});
