/** `loadDoctypes`: many DocType JSON documents into one registry, keeping what loads, with diagnostics. */
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors';
import { loadDoctypes } from '../../src/schema/load';

const dt = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({ doctype: 'DocType', name, module: 'Test', fields, ...extra });
const data = (fieldname: string, extra: Record<string, unknown> = {}) => ({ fieldname, fieldtype: 'Data', label: fieldname, ...extra });

describe('loadDoctypes', () => {
  it('keeps every DocType that loads and names each bad file with its JSON path and code', () => {
    const { registry, files, apps, diagnostics } = loadDoctypes([
      { json: dt('Good', [data('a')]), file: 'a/good.json', app: 'a' },
      { json: undefined, file: 'a/broken.json', app: 'a', invalidJson: 'Unexpected token } in JSON at position 3' },
      { json: dt('Bad', [{ fieldname: 'x', fieldtype: 'Dataa' }]), file: 'a/bad.json', app: 'a' },
      { json: { doctype: 'Report', name: 'R' }, file: 'a/report.json', app: 'a' },
      { json: dt('Good', [data('b')]), file: 'b/good.json', app: 'b' },
      { json: dt('Other', [data('c')]), file: 'b/other.json', app: 'b' },
    ]);
    expect(registry.list().map((d) => d.name)).toEqual(['Good', 'Other']);
    // The first definition in install order wins.
    expect(registry.get('Good').fields.map((f) => f.fieldname)).toEqual(['a']);
    expect(files.get('Other')).toBe('b/other.json');
    expect(apps.get('Good')).toBe('a');
    expect(diagnostics.map((d) => [d.file, d.path.join('.'), d.code, d.severity])).toEqual([
      ['a/broken.json', '', 'INVALID_JSON', 'error'],
      ['a/bad.json', 'fields.0.fieldtype', 'INVALID_DOCTYPE', 'error'],
      ['a/report.json', 'doctype', 'INVALID_DOCTYPE', 'error'],
      ['b/good.json', 'name', 'DUPLICATE_DOCTYPE', 'error'],
    ]);
    expect(diagnostics[1]).toMatchObject({ doctype: 'Bad', field: 'x', app: 'a' });
    expect(diagnostics[1]!.message).toContain('did you mean "Data"');
  });

  it('loads a repeated fieldname as Frappe\'s Meta does (the later row wins) with a diagnostic', () => {
    const { registry, diagnostics } = loadDoctypes([
      { json: dt('Dup', [data('a', { label: 'First' }), data('b'), data('a', { label: 'Second', reqd: 1 })]), file: 'dup.json' },
    ]);
    const fields = registry.get('Dup').fields;
    expect(fields.map((f) => f.fieldname)).toEqual(['a', 'b']);
    expect(fields[0]).toMatchObject({ label: 'Second', reqd: 1 });
    expect(diagnostics).toEqual([expect.objectContaining({ file: 'dup.json', code: 'DUPLICATE_FIELDNAME', severity: 'warning', field: 'a', path: ['fields', 2, 'fieldname'] })]);
  });

  it('strict refuses instead, naming every problem', () => {
    const sources = [
      { json: dt('Dup', [data('a'), data('a', { label: 'other' })]), file: 'dup.json' },
      { json: dt('Bad', [{ fieldname: 'x y', fieldtype: 'Data' }]), file: 'bad.json' },
    ];
    const err = (() => {
      try {
        loadDoctypes(sources, { strict: true });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as SchemaError;
    expect(err).toBeInstanceOf(SchemaError);
    expect(err.code).toBe('SCHEMA_LOAD_FAILED');
    expect(err.issues.map((i) => [i.path[0], i.code])).toEqual([['dup.json', 'DUPLICATE_FIELDNAME'], ['bad.json', 'INVALID_DOCTYPE']]);
    expect(err.message).toContain('bad.json at fields.0.fieldname');
    // Without strict the good parts load.
    expect(loadDoctypes(sources).registry.has('Dup')).toBe(true);
  });

  it('skips non-DocType JSON silently when asked (a flat folder\'s manifest)', () => {
    const { registry, diagnostics } = loadDoctypes([{ json: { files: [] }, file: 'MANIFEST.json' }, { json: dt('A', []) }], { requireDoctype: false });
    expect(registry.has('A')).toBe(true);
    expect(diagnostics).toEqual([]);
  });
});
