/**
 * Virtual DocFields (computed on read from their Python expression or a `virtualFields` getter, never stored) and
 * virtual DocTypes (served by a `virtualDoctypes` source, never stored), on memory, PGlite, SQLite and a
 * PostgreSQL server (when COWORKER_PG_URL is set).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, memoryAdapter, type StorageAdapter } from '../../src/index';
import { pgliteAdapter } from '../../src/pglite';
import { sqliteAdapter } from '../../src/sqlite';
import { appDoctypes } from '../helpers/frappe-apps';
import { onServer } from '../storage-pg/server';
import { sqlJs } from '../storage-sqlite/helpers';

type Doc = Record<string, unknown>;
const ADMIN = { name: 'Administrator', roles: [] as string[] };
const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const perms = [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 }, { role: 'Viewer', read: 1 }];

const SKILL = { name: 'Wt Skill', module: 'Custom', istable: 1, fields: [f('skill', 'Data'), f('years', 'Int'), f('label', 'Data', { is_virtual: 1, options: "doc.skill + ' (senior)' if doc.years > 10 else doc.skill" })] };
const PERSON = {
  name: 'Wt Person', module: 'Custom', autoname: 'hash',
  fields: [
    f('first_name', 'Data', { reqd: 1 }), f('last_name', 'Data'),
    f('full_name', 'Data', { is_virtual: 1, options: "doc.first_name + ' ' + doc.last_name" }),
    f('long_name', 'Check', { is_virtual: 1, options: "doc.first_name != 'Ada'" }),
    f('answer', 'Int', { is_virtual: 1, options: "'42'" }),
    f('secret_initials', 'Data', { is_virtual: 1, permlevel: 1, options: 'doc.first_name[0] + doc.last_name[0]' }),
    f('skills', 'Table', { options: 'Wt Skill' }),
  ],
  permissions: [...perms, { role: 'System Manager', permlevel: 1, read: 1, write: 1 }],
};

/** A virtual DocType: log lines kept by the app, outside storage. */
const LOG = { name: 'Wt Log Line', module: 'Custom', is_virtual: 1, autoname: 'field:code', fields: [f('code', 'Data', { reqd: 1 }), f('level', 'Select', { options: 'info\nwarn\nerror' }), f('message', 'Data')], permissions: perms };
const TICKET = { name: 'Wt Ticket', module: 'Custom', autoname: 'hash', fields: [f('subject', 'Data'), f('log_line', 'Link', { options: 'Wt Log Line' })], permissions: perms };

function ok(r: { error: unknown; output: { data: readonly Doc[] } | null }): Doc {
  expect(r.error, JSON.stringify(r.error)).toBeNull();
  return r.output!.data[0]!;
}

function logSource() {
  const lines = new Map<string, Doc>([
    ['L1', { name: 'L1', code: 'L1', level: 'info', message: 'started', owner: 'Administrator', docstatus: 0, modified: '2024-01-01 00:00:00.000000' }],
    ['L2', { name: 'L2', code: 'L2', level: 'error', message: 'disk full', owner: 'Administrator', docstatus: 0, modified: '2024-01-02 00:00:00.000000' }],
    ['L3', { name: 'L3', code: 'L3', level: 'warn', message: 'slow', owner: 'Administrator', docstatus: 0, modified: '2024-01-03 00:00:00.000000' }],
  ]);
  const queries: unknown[] = [];
  return {
    lines, queries,
    source: {
      list: (q: unknown) => {
        queries.push(q);
        return [...lines.values()];
      },
      get: (name: string) => lines.get(name),
      insert: (doc: Doc) => {
        lines.set(String(doc.name), { ...doc });
      },
      update: (doc: Doc) => {
        lines.set(String(doc.name), { ...doc });
      },
      delete: (name: string) => {
        lines.delete(name);
      },
    },
  };
}

async function scenario(adapter: StorageAdapter, columnsOf: (table: string) => Promise<string[] | undefined>): Promise<void> {
  const log = logSource();
  const engine = createEngine({ doctypes: [SKILL, PERSON, LOG, TICKET], adapter, user: ADMIN, virtualDoctypes: { 'Wt Log Line': log.source } });

  // Virtual fields: computed on every read out, never stored.
  const created = ok(await engine.run({
    operation: 'create', target_doctype: 'Wt Person',
    input: { data: { first_name: 'Ada', last_name: 'Lovelace', skills: [{ skill: 'Maths', years: 12 }] } },
  }));
  expect(created).toMatchObject({ full_name: 'Ada Lovelace', long_name: 0, answer: 42, secret_initials: 'AL' });
  expect((created.skills as Doc[])[0]).toMatchObject({ label: 'Maths (senior)' });
  const name = created.name as string;
  const stored = await adapter.get('Wt Person', name);
  for (const k of ['full_name', 'long_name', 'answer', 'secret_initials']) expect(stored).not.toHaveProperty(k);
  expect((stored!.skills as Doc[])[0]).not.toHaveProperty('label');
  const updated = ok(await engine.run({ operation: 'update', target_doctype: 'Wt Person', input: { data: { name, first_name: 'Augusta' } } }));
  expect(updated).toMatchObject({ full_name: 'Augusta Lovelace', long_name: 1 });
  const read = ok(await engine.run({ operation: 'takeone', source_doctype: 'Wt Person', input: { data: { name } } }));
  expect(read).toMatchObject({ full_name: 'Augusta Lovelace', long_name: 1, answer: 42, secret_initials: 'AL' });
  const listed = await engine.run({ operation: 'select', source_doctype: 'Wt Person', query: { where: { last_name: 'Lovelace' } } });
  expect(listed.output?.data.map((d) => d.full_name)).toEqual(['Augusta Lovelace']);
  // A virtual field above the user's read level is not computed for them (Frappe: permitted_fieldnames).
  const viewer = ok(await engine.run({ operation: 'takeone', source_doctype: 'Wt Person', input: { data: { name } }, user: { name: 'v@x.com', roles: ['Viewer'] } }));
  expect(viewer.full_name).toBe('Augusta Lovelace');
  expect(viewer).not.toHaveProperty('secret_initials');

  // No column for a virtual field; no table for a virtual DocType.
  const personColumns = await columnsOf('Wt Person');
  if (personColumns) {
    expect(personColumns).toContain('first_name');
    expect(personColumns).not.toContain('full_name');
    expect(await columnsOf('Wt Log Line')).toEqual([]);
  }

  // Virtual DocType: reads through the source, filtered, sorted and paged by the engine.
  const errors = await engine.run({ operation: 'select', source_doctype: 'Wt Log Line', query: { where: { level: { in: ['error', 'warn'] } }, orderBy: [{ code: 'desc' }] } });
  expect(errors.output?.data.map((d) => d.name)).toEqual(['L3', 'L2']);
  expect(log.queries.at(-1)).toMatchObject({ where: { level: { in: ['error', 'warn'] } } });
  expect(ok(await engine.run({ operation: 'takeone', source_doctype: 'Wt Log Line', input: { data: { name: 'L2' } } }))).toMatchObject({ message: 'disk full' });
  // Writes go to the source, through naming and validation.
  const made = ok(await engine.run({ operation: 'create', target_doctype: 'Wt Log Line', input: { data: { code: 'L4', level: 'info', message: 'hello' } } }));
  expect(made.name).toBe('L4');
  expect(log.lines.get('L4')).toMatchObject({ code: 'L4', message: 'hello', owner: 'Administrator' });
  const badLevel = await engine.run({ operation: 'create', target_doctype: 'Wt Log Line', input: { data: { code: 'L5', level: 'fatal' } } });
  expect(badLevel.error?.code).toBe('VALIDATION');
  expect(log.lines.has('L5')).toBe(false);
  ok(await engine.run({ operation: 'update', target_doctype: 'Wt Log Line', input: { data: { name: 'L4', message: 'changed' } } }));
  expect(log.lines.get('L4')?.message).toBe('changed');
  // Links to a virtual document are checked against the source.
  ok(await engine.run({ operation: 'create', target_doctype: 'Wt Ticket', input: { data: { subject: 's', log_line: 'L1' } } }));
  const dangling = await engine.run({ operation: 'create', target_doctype: 'Wt Ticket', input: { data: { subject: 's', log_line: 'L99' } } });
  expect(dangling.error?.code).toBe('VALIDATION');
  ok(await engine.run({ operation: 'delete', target_doctype: 'Wt Log Line', input: { data: { name: 'L3' } } }));
  expect(log.lines.has('L3')).toBe(false);
  // Permissions hold whatever the source returns: a user without read is refused.
  const denied = await engine.run({ operation: 'select', source_doctype: 'Wt Log Line', user: { name: 'n@x.com', roles: ['Nobody'] } });
  expect(denied.error?.code).toBe('PERMISSION_DENIED');
}

describe('virtual fields and virtual DocTypes', () => {
  it('on memory', async () => {
    await scenario(memoryAdapter(), async () => undefined);
  });

  it('on PGlite', async () => {
    const adapter = pgliteAdapter();
    try {
      await scenario(adapter, async () => undefined); // columns: checked on the PostgreSQL server below
    } finally {
      await adapter.close?.();
    }
  }, 120_000);

  it('on SQLite (sql.js): the JSON documents hold no virtual value, and no document of a virtual DocType', async () => {
    const adapter = sqliteAdapter({ sqlJs: await sqlJs() });
    await scenario(adapter, async () => undefined);
    const db = (adapter as unknown as { database: { exec(sql: string): { values: unknown[][] }[] } }).database;
    const rows = db.exec(`SELECT data FROM doctypes WHERE json_extract(data, '$.doctype') IN ('Wt Person', 'Wt Log Line')`)[0]!.values;
    expect(rows.length).toBeGreaterThan(0);
    for (const [data] of rows) {
      const doc = JSON.parse(String(data)) as Doc;
      expect(doc.doctype).toBe('Wt Person');
      expect(doc).not.toHaveProperty('full_name');
    }
  }, 60_000);

  it('expressions that fail: a syntax error at createEngine, a runtime error fails the read with Python\'s exception', async () => {
    const broken = { ...PERSON, name: 'Wt Broken', fields: [f('first_name', 'Data'), f('bad', 'Data', { is_virtual: 1, options: 'doc.first_name +' })] };
    expect(() => createEngine({ doctypes: [SKILL, broken], user: ADMIN })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG', message: expect.stringContaining('Wt Broken.bad') }));
    const engine = createEngine({ doctypes: [SKILL, PERSON], user: ADMIN });
    const r = await engine.run({ operation: 'create', target_doctype: 'Wt Person', input: { data: { first_name: 'Cher' } } });
    // doc.first_name + ' ' + None: Python's TypeError, and nothing half-done is returned.
    expect(r.error).toMatchObject({ code: 'VIRTUAL_FIELD', exc: 'TypeError' });
    expect(r.error?.message).toContain('full_name');
    // The output is computed inside the write's transaction: the failed write kept nothing (test/oracle/claims).
    expect(await engine.adapter.query('Wt Person', {})).toEqual([]);
  });

  it('a getter (the controller property) serves a virtual field of ERPNext\'s Sales Order; bad configuration fails at createEngine', async () => {
    const all = appDoctypes() as Doc[];
    const byName = new Map(all.map((d) => [d.name as string, d]));
    const so = byName.get('Sales Order')!;
    const children = (so.fields as Doc[]).filter((x) => x.fieldtype === 'Table').map((x) => byName.get(x.options as string)!);
    const engine = createEngine({
      doctypes: [...children, so], user: ADMIN, unknownLinks: 'skip', allowFlags: ['ignore_mandatory'],
      virtualFields: { 'Sales Order': { last_scanned_warehouse: (doc) => `WH for ${String(doc.customer)}` } },
    });
    const r = ok(await engine.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { customer: 'Acme', naming_series: 'SAL-ORD-.YYYY.-' } }, options: { flags: { ignore_mandatory: true } } }));
    expect(r.last_scanned_warehouse).toBe('WH for Acme');
    // Without a getter, a virtual field with no expression reads as null (Frappe: no property, no options).
    const plain = createEngine({ doctypes: [...children, so], user: ADMIN, unknownLinks: 'skip', allowFlags: ['ignore_mandatory'] });
    const p = ok(await plain.run({ operation: 'create', target_doctype: 'Sales Order', input: { data: { customer: 'Acme', naming_series: 'SAL-ORD-.YYYY.-' } }, options: { flags: { ignore_mandatory: true } } }));
    expect(p.last_scanned_warehouse).toBeNull();
    expect(() => createEngine({ doctypes: [...children, so], virtualFields: { 'Sales Order': { customer: () => 1 } } })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    expect(() => createEngine({ doctypes: [...children, so], virtualFields: { Nowhere: {} } })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  }, 60_000);

  it('frappe.db in an expression: get_value reads storage, get_list is checked for the reading user (frappe.get_list)', async () => {
    const SECRET = { name: 'Wt Secret', module: 'Custom', autoname: 'field:code', fields: [f('code', 'Data')], permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1 }] };
    const NOTE = {
      name: 'Wt Note', module: 'Custom', autoname: 'hash', permissions: perms,
      fields: [
        f('body', 'Data'),
        f('listed', 'Data', { is_virtual: 1, options: "(frappe.db.get_list('Wt Secret', fields=['code'], limit=1) or [{'code': 'none visible'}])[0]['code']" }),
        f('looked_up', 'Data', { is_virtual: 1, options: "frappe.db.get_value('Wt Secret', 'S1', 'code')" }),
      ],
    };
    const engine = createEngine({ doctypes: [SECRET, NOTE], user: ADMIN });
    ok(await engine.run({ operation: 'create', target_doctype: 'Wt Secret', input: { data: { code: 'S1' } } }));
    const note = ok(await engine.run({ operation: 'create', target_doctype: 'Wt Note', input: { data: { body: 'b' } } }));
    expect(note).toMatchObject({ listed: 'S1', looked_up: 'S1' });
    // get_list as the viewer (no read on Wt Secret) is refused, as frappe.get_list raises: the read fails, naming the field.
    const viewer = await engine.run({ operation: 'takeone', source_doctype: 'Wt Note', input: { data: { name: note.name } }, user: { name: 'v@x.com', roles: ['Viewer'] } });
    expect(viewer.error).toMatchObject({ code: 'VIRTUAL_FIELD', exc: 'PermissionError' });
    expect(viewer.error?.message).toContain('listed');
  });

  it('a virtual DocType without a source fails at use with VIRTUAL_DOCTYPE; a source for a stored DocType fails at createEngine', async () => {
    const engine = createEngine({ doctypes: [LOG], user: ADMIN });
    const r = await engine.run({ operation: 'select', source_doctype: 'Wt Log Line' });
    expect(r.error).toMatchObject({ code: 'VIRTUAL_DOCTYPE', exc: 'NotImplementedError' });
    const readOnly = createEngine({ doctypes: [LOG], user: ADMIN, virtualDoctypes: { 'Wt Log Line': { list: () => [] } } });
    const w = await readOnly.run({ operation: 'create', target_doctype: 'Wt Log Line', input: { data: { code: 'X' } } });
    expect(w.error).toMatchObject({ code: 'VIRTUAL_DOCTYPE' });
    expect(() => createEngine({ doctypes: [TICKET, LOG], virtualDoctypes: { 'Wt Ticket': { list: () => [] } } })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    expect(() => createEngine({ doctypes: [LOG], virtualDoctypes: { 'Wt Log Line': {} as never } })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  });
});

onServer('virtual fields and virtual DocTypes on a PostgreSQL server', 'computed on read, never stored; no table for the virtual DocType', 'virtual', (adapter, pool, schema) =>
  scenario(adapter, async (table) => {
    const r = await pool.query('SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [schema, `tab${table}`]);
    return r.rows.map((x: Doc) => String(x.column_name));
  }));
