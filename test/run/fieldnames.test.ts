/**
 * Issue 14 `frappe/model/workflow.py`: fieldnames. What Frappe refuses when a DocType is saved is refused at load (SchemaError);
 * every other name, including JavaScript's `Object.prototype` names, is stored faithfully by every adapter.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { createEngine } from '../../src/run/engine';
import { parseDoctype } from '../../src/schema/parse';
import { everyAdapter } from '../helpers/adapters';
import { ADMIN } from './helpers';

const doctypeWith = (fieldnames: string[], name = 'Fieldname Probe') => ({
  name, module: 'Custom', autoname: 'hash', permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }],
  fields: fieldnames.map((fieldname) => ({ fieldname, fieldtype: 'Data', label: fieldname })),
});

function problemsOf(json: unknown): { code?: string; message: string }[] {
  try {
    parseDoctype(json);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return [...(e as SchemaError).issues];
  }
  return [];
}

describe('fieldnames Frappe refuses on save are refused at load', () => {
  it.each([
    ['a reserved keyword of every document', 'meta', 'reserved_fieldname'],
    ['a reserved keyword of every document', 'flags', 'reserved_fieldname'],
    ['a reserved keyword of every document', 'doctype', 'reserved_fieldname'],
    ['a reserved keyword of every document', 'dont_update_if_missing', 'reserved_fieldname'],
    ['the prototype accessor', '__proto__', 'reserved_fieldname'],
    ['a private key prefix', '__islocal', 'reserved_fieldname'],
    ['not a word', 'a-b', 'invalid_fieldname'],
    ['not a word', 'a.b', 'invalid_fieldname'],
    ['not a word', 'has space', 'invalid_fieldname'],
    ['longer than a column name', 'x'.repeat(65), 'invalid_fieldname'],
  ])('%s: %s', (_why, fieldname, code) => {
    const problems = problemsOf(doctypeWith(['ok', fieldname]));
    expect(problems).toEqual([expect.objectContaining({ code })]);
  });

  it('accepts what Frappe accepts: Unicode letters, a leading digit (ERPNext Journal Entry has one), 64 characters, one leading _', () => {
    expect(problemsOf(doctypeWith(['größe', '2_add_edit_gl_entries', 'y'.repeat(64), '_user_tags_x']))).toEqual([]);
  });
});

const PROTO_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', 'propertyIsEnumerable'];

const { adapters, close } = everyAdapter('fieldnames');
afterAll(close);

describe.each(adapters)('Object.prototype fieldnames round-trip on %s', (_kind, make) => {
  it('create, read back, update, query by them', async () => {
    const engine = createEngine({ doctypes: [doctypeWith(PROTO_NAMES)], adapter: await make(), user: ADMIN });
    const values = Object.fromEntries(PROTO_NAMES.map((f) => [f, `v-${f}`]));
    const created = await engine.run({ operation: 'create', target_doctype: 'Fieldname Probe', input: { data: values } });
    expect(created.error).toBeNull();
    expect(created.output!.data[0]).toMatchObject(values);
    const name = created.docname!;
    const read = await engine.run({ operation: 'takeone', source_doctype: 'Fieldname Probe', input: { data: { name } } });
    expect(read.output!.data[0]).toMatchObject(values);
    const changed = await engine.run({ operation: 'update', target_doctype: 'Fieldname Probe', input: { data: { name, toString: 'changed', constructor: '' } } });
    expect(changed.error).toBeNull();
    const again = await engine.run({ operation: 'takeone', source_doctype: 'Fieldname Probe', input: { data: { name } } });
    expect(again.output!.data[0]).toMatchObject({ toString: 'changed', valueOf: 'v-valueOf' });
    expect([null, '']).toContain(again.output!.data[0]!.constructor);
    const found = await engine.run({ operation: 'select', source_doctype: 'Fieldname Probe', query: { where: { valueOf: 'v-valueOf' } } });
    expect(found.output!.data.map((d) => d.name)).toEqual([name]);
  });

  it('a document that leaves them empty stores nothing for them (no inherited function leaks in)', async () => {
    const engine = createEngine({ doctypes: [doctypeWith(PROTO_NAMES)], adapter: await make(), user: ADMIN });
    const created = await engine.run({ operation: 'create', target_doctype: 'Fieldname Probe', input: { data: {} } });
    expect(created.error).toBeNull();
    const read = await engine.run({ operation: 'takeone', source_doctype: 'Fieldname Probe', input: { data: { name: created.docname } } });
    for (const f of PROTO_NAMES) expect(typeof read.output!.data[0]![f], f).not.toBe('function');
  });
});
