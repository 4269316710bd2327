/**
 * Frappe's server write semantics through `run()` (issue 10 `frappe/model/__init__.py`, Frappe's source): read-only input, unknown keys,
 * Frappe-shaped rows, coercion, document flags, Links to `DocType` and to DocTypes the engine does not hold,
 * `:DocType` defaults, title templates, Prompt / UUID naming, `__islocal`.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, fixedClock, sequentialIds, type EngineOptions } from '../../src/index';

const f = (fieldname: string, fieldtype: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype, label: fieldname, ...extra });
const PERMS = [{ role: 'System Manager', read: 1, write: 1, create: 1, submit: 1, cancel: 1, delete: 1, amend: 1 }];

const DOCTYPES = [
  { name: 'DocType', fields: [f('module', 'Data'), f('istable', 'Check'), f('issingle', 'Check'), f('is_submittable', 'Check'), f('custom', 'Check')], permissions: PERMS },
  { name: 'Company', autoname: 'field:company_name', fields: [f('company_name', 'Data', { reqd: 1 }), f('cost_center', 'Data')], permissions: PERMS },
  { name: 'Wt Line', istable: 1, fields: [f('account', 'Data'), f('cost_center', 'Data', { default: ':Company' }), f('amount', 'Currency', { read_only: 1 })] },
  {
    name: 'Wt Entry', autoname: 'hash', title_field: 'title', is_submittable: 1, permissions: PERMS,
    fields: [
      f('title', 'Data', { default: '{party} on {posting_date}' }), f('company', 'Link', { options: 'Company' }), f('party', 'Data'),
      f('posting_date', 'Date'), f('posting_time', 'Time'), f('pincode', 'Data'), f('status', 'Select', { options: 'Open\nClosed', read_only: 1 }),
      f('total', 'Currency', { read_only: 1 }), f('ref_type', 'Link', { options: 'DocType' }), f('ref_name', 'Dynamic Link', { options: 'ref_type' }),
      f('assigned_to', 'Link', { options: 'User' }), f('note', 'Data', { reqd: 1 }), f('remark', 'Data'),
      f('after_save', 'Data', { depends_on: 'eval:!doc.__islocal' }), f('lines', 'Table', { options: 'Wt Line' }),
      f('against', 'Link', { options: 'Wt Entry' }),
    ],
  },
  { name: 'Wt Prompt', autoname: 'Prompt', fields: [f('label', 'Data')], permissions: PERMS },
  { name: 'Wt Uuid', autoname: 'UUID', fields: [f('label', 'Data')], permissions: PERMS },
];

const USER = { name: 'sm@example.com', roles: ['System Manager'] };
const engineWith = (options: Partial<EngineOptions> = {}) =>
  createEngine({ doctypes: DOCTYPES, user: USER, clock: fixedClock('2024-01-05T10:00:00Z'), ids: sequentialIds(), ...options });
const ENTRY = { note: 'n', party: 'Acme', posting_date: '2024-01-05' };
const create = (engine: ReturnType<typeof engineWith>, data: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  engine.run({ operation: 'create', target_doctype: 'Wt Entry', input: { data }, options });

describe('read-only input', () => {
  it("is accepted by default, as Frappe's server accepts it (read_only is a Desk property)", async () => {
    const r = await create(engineWith(), { ...ENTRY, status: 'Closed', total: 12, lines: [{ account: 'A', amount: 5 }] });
    expect(r.error).toBeNull();
    expect(r.output!.data[0]).toMatchObject({ status: 'Closed', total: 12, lines: [{ amount: 5 }] });
  });
  it("is refused with readOnlyInput: 'refuse' (READ_ONLY_FIELD), the Desk's view", async () => {
    const r = await create(engineWith({ readOnlyInput: 'refuse' }), { ...ENTRY, status: 'Closed', lines: [{ account: 'A', amount: 5 }] });
    expect(r.error).toMatchObject({ code: 'READ_ONLY_FIELD', exc: 'ValidationError' });
    expect(r.error!.issues.map((i) => i.field).sort()).toEqual(['amount', 'status']);
  });
  it('a bad option value fails createEngine', () => {
    expect(() => engineWith({ readOnlyInput: 'maybe' as never })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    expect(() => engineWith({ unknownKeys: 'drop' as never })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    expect(() => engineWith({ unknownLinks: 'ask' as never })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
    expect(() => engineWith({ allowFlags: ['ignore_everything' as never] })).toThrow(expect.objectContaining({ code: 'ENGINE_CONFIG' }));
  });
});

describe('input shape', () => {
  it('unknown keys (another version, a layout field) are ignored with a warning each, and never stored', async () => {
    const engine = engineWith();
    const r = await create(engine, { ...ENTRY, colour: 'red', lines: [{ account: 'A', legacy_key: 1 }] });
    expect(r.success).toBe(true);
    expect(r.warnings.filter((w) => w.code === 'UNKNOWN_KEY')).toEqual([
      expect.objectContaining({ field: 'colour', doctype: 'Wt Entry', severity: 'warning', exc: 'ValidationError' }),
      expect.objectContaining({ field: 'legacy_key', doctype: 'Wt Line', row: 1, table: 'lines', severity: 'warning' }),
    ]);
    const stored = await engine.adapter.get('Wt Entry', r.docname!);
    expect(stored).not.toHaveProperty('colour');
  });
  it("unknownKeys: 'refuse' refuses them (INVALID_RUN, one issue per key)", async () => {
    const r = await create(engineWith({ unknownKeys: 'refuse' }), { ...ENTRY, colour: 'red' });
    expect(r.error).toMatchObject({ code: 'INVALID_RUN', issues: [{ code: 'UNKNOWN_KEY', field: 'colour' }] });
  });
  it("child rows in Frappe's own shape (doctype, parent, parentfield, parenttype, idx, name, docstatus) are accepted", async () => {
    const engine = engineWith();
    const row = { doctype: 'Wt Line', name: 'row-1', parent: 'X', parentfield: 'lines', parenttype: 'Wt Entry', idx: 7, docstatus: 0, account: 'A' };
    const r = await create(engine, { ...ENTRY, doctype: 'Wt Entry', lines: [row] });
    expect(r.error).toBeNull();
    // Parentage and position come from the row's place; a new document's rows are named anew (set_new_name).
    expect(r.output!.data[0]!.lines).toEqual([expect.objectContaining({ account: 'A', idx: 1, parent: r.docname, parentfield: 'lines', parenttype: 'Wt Entry' })]);
    const other = await create(engine, { ...ENTRY, lines: [{ ...row, doctype: 'Wt Prompt' }] });
    expect(other.error).toMatchObject({ code: 'INVALID_RUN', issues: [{ field: 'lines', row: 1 }] });
  });
  it("values are coerced as the server stores them: a number in a Data field, Frappe's date and time forms", async () => {
    const r = await create(engineWith(), { ...ENTRY, pincode: 411001, posting_date: '2024-01-05T18:30:00Z', posting_time: '9:30' });
    expect(r.output!.data[0]).toMatchObject({ pincode: '411001', posting_date: '2024-01-05', posting_time: '09:30:00' });
  });
});

describe('document flags', () => {
  it('are refused unless the engine allows them (FLAG_NOT_ALLOWED, PermissionError), and unknown ones are INVALID_RUN', async () => {
    const engine = engineWith();
    expect((await create(engine, { party: 'x' }, { flags: { ignore_mandatory: true } })).error).toMatchObject({ code: 'FLAG_NOT_ALLOWED', exc: 'PermissionError' });
    expect((await create(engineWith({ allowFlags: 'all' }), ENTRY, { flags: { skip_everything: true } })).error?.code).toBe('INVALID_RUN');
  });
  it('ignore_mandatory and ignore_links have their Frappe meaning and are recorded on the run', async () => {
    const engine = engineWith({ allowFlags: ['ignore_mandatory', 'ignore_links'] });
    expect((await create(engine, { party: 'x' })).error?.issues).toContainEqual(expect.objectContaining({ code: 'MANDATORY', field: 'note' }));
    const r = await create(engine, { party: 'x', company: 'Nowhere' }, { flags: { ignore_mandatory: true, ignore_links: true } });
    expect(r.error).toBeNull();
    expect(r.flags).toEqual(['ignore_mandatory', 'ignore_links']);
  });
  it('ignore_permissions lets trusted code write for a user without rights', async () => {
    const engine = engineWith({ allowFlags: ['ignore_permissions'], user: { name: 'guest@example.com', roles: [] } });
    expect((await create(engine, ENTRY)).error?.code).toBe('PERMISSION_DENIED');
    expect((await create(engine, ENTRY, { flags: { ignore_permissions: true } })).success).toBe(true);
  });
  it('in_import keeps the given name and skips Select checks; ignore_validate_update_after_submit', async () => {
    const engine = engineWith({ allowFlags: ['in_import', 'ignore_validate_update_after_submit'] });
    const imported = await create(engine, { ...ENTRY, name: 'ENTRY-0042', status: 'Legacy' }, { flags: { in_import: true } });
    expect(imported.error).toBeNull();
    expect(imported.docname).toBe('ENTRY-0042');
    expect((await create(engine, { ...ENTRY, name: 'ENTRY-0043' })).docname).not.toBe('ENTRY-0043');
    // in_import fills no defaults (Frappe's _set_defaults returns early): the Select keeps no first option.
    const bare = await create(engine, { ...ENTRY, name: 'ENTRY-0044' }, { flags: { in_import: true } });
    expect(bare.output!.data[0]!.status).toBeNull();
    expect((await create(engine, ENTRY)).output!.data[0]!.status).toBe('Open');
    const submitted = await engine.run({ operation: 'submit', target_doctype: 'Wt Entry', input: { data: { name: 'ENTRY-0042', status: 'Open' } } });
    expect(submitted.error).toBeNull();
    const change = { operation: 'update', target_doctype: 'Wt Entry', input: { data: { name: 'ENTRY-0042', remark: 'late' } } } as const;
    expect((await engine.run(change)).error?.code).toBe('UPDATE_AFTER_SUBMIT');
    expect((await engine.run({ ...change, options: { flags: { ignore_validate_update_after_submit: true } } })).error).toBeNull();
  });
});

describe('ignore_links on cancel', () => {
  it('skips the check for submitted documents linking here (check_no_back_links_exist)', async () => {
    const engine = engineWith({ allowFlags: ['ignore_links'] });
    const a = await create(engine, { ...ENTRY, docstatus: 1 });
    await create(engine, { ...ENTRY, docstatus: 1, against: a.docname });
    const cancel = { operation: 'cancel', target_doctype: 'Wt Entry', input: { data: { name: a.docname } } } as const;
    expect((await engine.run(cancel)).error?.code).toBe('LINK_EXISTS');
    const forced = await engine.run({ ...cancel, options: { flags: { ignore_links: true } } });
    expect(forced.error).toBeNull();
    expect(forced.flags).toEqual(['ignore_links']);
  });
});

describe('links', () => {
  it('Links to DocType resolve against the registry (and Dynamic Links through them)', async () => {
    const engine = engineWith();
    await engine.run({ operation: 'create', target_doctype: 'Wt Prompt', input: { data: { name: 'P-1' } } });
    expect((await create(engine, { ...ENTRY, ref_type: 'Wt Prompt', ref_name: 'P-1' })).error).toBeNull();
    const bad = await create(engine, { ...ENTRY, ref_type: 'Planet' });
    expect(bad.error?.issues).toEqual([expect.objectContaining({ code: 'LINK_NOT_FOUND', exc: 'LinkValidationError', field: 'ref_type' })]);
  });
  it('registered DocTypes are readable as documents of DocType "DocType" (takeone, select)', async () => {
    const engine = engineWith();
    const one = await engine.run({ operation: 'takeone', from: 'DocType', input: { data: { name: 'Wt Line' } } });
    expect(one.output!.data[0]).toMatchObject({ name: 'Wt Line', istable: 1 });
    const tables = await engine.run({ operation: 'select', from: 'DocType', query: { where: { istable: 1 } } });
    // The engine's own child DocTypes (Workflow and flows, on by default) are registered DocTypes too.
    const builtin = new Set(['Flow Template Step', 'Workflow Document State', 'Workflow Transition']);
    expect(tables.output!.data.map((d) => d.name).filter((n) => !builtin.has(String(n)))).toEqual(['Wt Line']);
    expect(tables.output!.data.map((d) => d.name)).toEqual(expect.arrayContaining([...builtin]));
  });
  it("Links to DocTypes the engine does not hold: warn by default, or skip, error, or a resolver", async () => {
    const warned = await create(engineWith(), { ...ENTRY, assigned_to: 'a@x.com' });
    expect(warned.success).toBe(true);
    expect(warned.warnings).toEqual([expect.objectContaining({ code: 'LINK_NOT_CHECKED', field: 'assigned_to', value: 'a@x.com', severity: 'warning' })]);
    expect((await create(engineWith({ unknownLinks: 'skip' }), { ...ENTRY, assigned_to: 'a@x.com' })).warnings).toEqual([]);
    const refused = await create(engineWith({ unknownLinks: 'error' }), { ...ENTRY, assigned_to: 'a@x.com' });
    expect(refused.error).toMatchObject({ code: 'VALIDATION', issues: [{ code: 'LINK_NOT_CHECKED', exc: 'LinkValidationError' }] });
    const users = new Set(['a@x.com']);
    const resolver = (doctype: string, name: string) => (doctype === 'User' && users.has(name) ? { name } : null);
    expect((await create(engineWith({ unknownLinks: resolver }), { ...ENTRY, assigned_to: 'a@x.com' })).error).toBeNull();
    expect((await create(engineWith({ unknownLinks: resolver }), { ...ENTRY, assigned_to: 'b@x.com' })).error?.issues).toEqual([expect.objectContaining({ code: 'LINK_NOT_FOUND' })]);
  });
});

describe('defaults, titles, names, private keys', () => {
  it(':Company defaults read the Company named by the document through storage', async () => {
    const engine = engineWith();
    await engine.run({ operation: 'create', target_doctype: 'Company', input: { data: { company_name: 'Acme', cost_center: 'Main - A' } } });
    const r = await create(engine, { ...ENTRY, company: 'Acme', lines: [{ account: 'A' }, { account: 'B', cost_center: 'Other' }] });
    expect((r.output!.data[0]!.lines as Record<string, unknown>[]).map((l) => l.cost_center)).toEqual(['Main - A', 'Other']);
  });
  it("title templates are applied as Frappe's set_title_field does", async () => {
    const engine = engineWith();
    expect((await create(engine, ENTRY)).output!.data[0]!.title).toBe('Acme on 2024-01-05');
    expect((await create(engine, { ...ENTRY, title: 'Mine' })).output!.data[0]!.title).toBe('Mine');
  });
  it('Prompt naming takes __newname (or the given name); UUID naming generates one', async () => {
    const engine = engineWith();
    const run = (doctype: string, data: Record<string, unknown>) => engine.run({ operation: 'create', target_doctype: doctype, input: { data } });
    expect((await run('Wt Prompt', { __newname: 'Chosen', label: 'x' })).docname).toBe('Chosen');
    expect((await run('Wt Prompt', { name: 'Given' })).docname).toBe('Given');
    expect((await run('Wt Prompt', { label: 'x' })).error?.issues).toEqual([expect.objectContaining({ code: 'NAMING' })]);
    const uuid = await run('Wt Uuid', { label: 'x' });
    expect(uuid.docname).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const stored = await engine.adapter.get('Wt Prompt', 'Chosen');
    expect(Object.keys(stored!).filter((k) => k.startsWith('__'))).toEqual([]);
  });
  it('engine drafts keep __islocal: fields shown only once saved (eval:!doc.__islocal) are hidden on a new document', async () => {
    const engine = engineWith();
    const draft = await engine.run({ operation: 'create', target_doctype: 'Wt Entry', input: { data: ENTRY }, options: { draft: true } });
    const states = (draft.output!.meta as { states: { fields: Record<string, { visible: boolean }> } }).states;
    expect(states.fields.after_save!.visible).toBe(false);
    const saved = await create(engine, ENTRY);
    const edit = await engine.run({ operation: 'update', target_doctype: 'Wt Entry', input: { data: { name: saved.docname } }, options: { draft: true } });
    expect((edit.output!.meta as { states: { fields: Record<string, { visible: boolean }> } }).states.fields.after_save!.visible).toBe(true);
    // The draft's document is the one Desk would hold (new: __islocal); the stored one has no private keys.
    expect(draft.output!.data[0]).toMatchObject({ __islocal: 1 });
    expect(edit.output!.data[0]).not.toHaveProperty('__islocal');
    const stored = await engine.adapter.get('Wt Entry', saved.docname!);
    expect(Object.keys(stored!).filter((k) => k.startsWith('__'))).toEqual([]);
  });
});
