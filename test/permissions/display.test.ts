import { describe, expect, it } from 'vitest';
import { documentLevelRights, fieldDisplayStatus, levelRights } from '../../src/permissions';
import { getField } from '../../src/schema/fields';
import type { DocField } from '../../src/schema/types';
import { corpusDoctype, doctype, order, salesManager, salesOrder, salesUser } from './helpers';

const dt = doctype({
  name: 'Form',
  is_submittable: 1,
  fields: [
    { fieldname: 'plain', fieldtype: 'Data' },
    { fieldname: 'ro', fieldtype: 'Data', read_only: 1 },
    { fieldname: 'ro_type', fieldtype: 'Read Only' },
    { fieldname: 'hidden', fieldtype: 'Data', hidden: 1 },
    { fieldname: 'aos', fieldtype: 'Data', allow_on_submit: 1 },
    { fieldname: 'once', fieldtype: 'Data', set_only_once: 1 },
    { fieldname: 'lvl1', fieldtype: 'Data', permlevel: 1 },
    { fieldname: 'lvl1_aos', fieldtype: 'Data', permlevel: 1, allow_on_submit: 1 },
  ],
  permissions: [{ role: 'W', read: 1, write: 1 }, { role: 'W', permlevel: 1, read: 1 }],
});
const f = (name: string): DocField => getField(dt, name)!;
const perms = levelRights(dt, { name: 'u', roles: ['W'] });
const draft = { name: 'F1', docstatus: 0 };
const submitted = { name: 'F1', docstatus: 1 };
const fresh = { __islocal: 1, docstatus: 0 };

describe('fieldDisplayStatus (`frappe/public/js/frappe/model/perm.js`)', () => {
  it.each([
    // field, doc, expected, why
    ['plain', undefined, 'Write', 'level 0 writable'],
    ['lvl1', undefined, 'Read', 'level 1 only readable'],
    ['hidden', undefined, 'None', 'hidden beats permission'],
    ['ro', undefined, 'Write', 'read_only is applied only with a document'],
    ['ro', draft, 'Read', 'read_only with a document'],
    ['ro_type', draft, 'Read', 'fieldtype Read Only'],
    ['plain', submitted, 'Read', 'docstatus > 0'],
    ['aos', submitted, 'Write', 'allow_on_submit on a submitted document'],
    ['aos', { docstatus: 2 }, 'Read', 'allow_on_submit does not reopen a cancelled document'],
    ['lvl1_aos', submitted, 'Read', 'allow_on_submit needs write at the field level'],
    ['once', draft, 'Read', 'set_only_once on a saved document'],
    ['once', fresh, 'Write', 'set_only_once on a new document'],
  ] as ReadonlyArray<[string, Record<string, unknown> | undefined, string, string]>)('%s on %j → %s (%s)', (name, doc, expected) => {
    expect(fieldDisplayStatus(f(name), doc, perms)).toBe(expected);
  });

  it('without permission info: hidden → None, read_only → Read, else Write', () => {
    expect(fieldDisplayStatus(f('hidden'), draft, undefined)).toBe('None');
    expect(fieldDisplayStatus(f('ro'), draft, undefined)).toBe('Read');
    expect(fieldDisplayStatus(f('plain'), draft, undefined)).toBe('Write');
    expect(fieldDisplayStatus(f('plain'), draft, undefined, { hiddenDueToDependency: true })).toBe('None');
  });

  it('dynamic state overrides: depends_on hides, read_only_depends_on both ways', () => {
    expect(fieldDisplayStatus(f('plain'), draft, perms, { hiddenDueToDependency: true })).toBe('None');
    expect(fieldDisplayStatus(f('plain'), draft, perms, { readOnly: true })).toBe('Read');
    expect(fieldDisplayStatus(f('ro'), draft, perms, { readOnly: false })).toBe('Write');
  });

  it('no rights at the level → None', () => {
    expect(fieldDisplayStatus(f('plain'), draft, levelRights(dt, { name: 'x', roles: [] }))).toBe('None');
  });

  it('fixture: internal_margin is None for Sales User, Write for Sales Manager', () => {
    const margin = getField(salesOrder, 'internal_margin')!;
    expect(fieldDisplayStatus(margin, order(), levelRights(salesOrder, salesUser))).toBe('None');
    expect(fieldDisplayStatus(margin, order(), levelRights(salesOrder, salesManager))).toBe('Write');
  });
});

describe('documentLevelRights (client get_perm with a document)', () => {
  const note = corpusDoctype('frappe-current', 'Note');
  const d = { name: 'd@example.com', roles: ['Desk User'] };
  const content = getField(note, 'content') ?? getField(note, 'title')!;

  it('a non-owner loses rights that only if_owner rows give', () => {
    const theirs = documentLevelRights(note, d, { name: 'N', owner: 'other' });
    expect(theirs[0]).toMatchObject({ read: 1, write: 0, delete: 0 });
    expect(fieldDisplayStatus(content, { name: 'N', owner: 'other' }, theirs)).toBe('Read');
    const mine = documentLevelRights(note, d, { name: 'N', owner: 'd@example.com' });
    expect(mine[0]).toMatchObject({ read: 1, write: 1, delete: 1 });
  });

  it('shares add rights; a read share grants email / print per the boot lists', () => {
    const levels = documentLevelRights(note, { name: 'z', roles: [] }, { name: 'N', owner: 'other' }, {
      shared: { read: true, write: true }, sharedReadGrants: { print: true },
    });
    expect(levels[0]).toMatchObject({ read: 1, write: 1, print: 1, email: 0 });
  });

  it('server doc rights overwrite level 0; new documents keep the DocType rights', () => {
    const denied = documentLevelRights(salesOrder, salesManager, order(), { docRights: { write: 0 } });
    expect(denied[0]!.write).toBe(0);
    expect(denied[1]).toMatchObject({ write: 1 });
    const fresh = documentLevelRights(salesOrder, salesManager, { __islocal: 1 }, { docRights: { write: 0 } });
    expect(fresh[0]!.write).toBe(1);
  });

  it('read via sharing when the DocType is readable through shares', () => {
    expect(documentLevelRights(salesOrder, { name: 'z', roles: [] }, order(), { canReadViaShare: true })[0]!.read).toBe(1);
  });
});
