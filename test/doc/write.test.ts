import { describe, expect, it } from 'vitest';
import { CoworkerError } from '../../src/errors';
import { DocError, loadDoc, newDoc, revert, setValue, setValues } from '../../src/doc';
import type { Doc } from '../../src/doc';
import { corpusDoctype, doctype, opts, codeOf } from './helpers';

const todo = () => corpusDoctype('ToDo');
const saved = () =>
  loadDoc(todo(), { name: 'TD-0001', status: 'Open', priority: 'Medium', description: 'Call', date: null, docstatus: 0 });


describe('no-op writes keep identity', () => {
  it.each([
    ['the same string', 'description', 'Call'],
    ['undefined over null', 'date', undefined],
    ['null over a missing key', 'color', null],
  ])('%s returns the same Doc with no patch', (_, field, value) => {
    const doc = saved();
    const next = setValue(doc, field, value);
    expect(next).toBe(doc);
    expect(next.patches).toHaveLength(0);
  });

  it('numbers compare by value, NaN included', () => {
    const meta = corpusDoctype('Sales Invoice');
    const doc = setValues(newDoc(meta, opts()), { total_billing_amount: NaN, conversion_rate: 1 });
    expect(setValue(doc, 'total_billing_amount', NaN)).toBe(doc);
    expect(setValue(doc, 'conversion_rate', 1.0)).toBe(doc);
  });

  it('"" and null are different values for a Data field', () => {
    const doc = saved();
    const cleared = setValue(doc, 'sender', '');
    expect(cleared).not.toBe(doc);
    expect(cleared.delta.values).toEqual({ sender: '' });
  });

  it('equality is fieldtype-aware: a Date "" is null, an Int "5" is 5, a Check true is 1', () => {
    const meta = doctype('Eq Probe', [
      { fieldname: 'd', fieldtype: 'Date' },
      { fieldname: 'n', fieldtype: 'Int' },
      { fieldname: 'c', fieldtype: 'Check' },
    ]);
    const doc = loadDoc(meta, { name: 'E1', d: null, n: 5, c: 1 });
    expect(setValues(doc, { d: '', n: '5', c: true })).toBe(doc);
    expect(setValue(doc, 'n', 6).delta.values).toEqual({ n: 6 });
  });

  it('a batch where every value is equal returns the same Doc', () => {
    const doc = saved();
    expect(setValues(doc, { status: 'Open', priority: 'Medium' })).toBe(doc);
  });
});

describe('delta after sequences of edits', () => {
  it('records only changed keys, with their latest value', () => {
    let doc = saved();
    doc = setValue(doc, 'status', 'Closed');
    doc = setValue(doc, 'description', 'Call back');
    doc = setValue(doc, 'description', 'Call back tomorrow');
    expect(doc.delta).toEqual({ values: { status: 'Closed', description: 'Call back tomorrow' }, tables: {} });
    expect(doc.original.status).toBe('Open'); // the original is untouched
  });

  it('setting a value back to the original removes it from the delta', () => {
    let doc = saved();
    doc = setValue(doc, 'status', 'Closed');
    doc = setValue(doc, 'priority', 'High');
    doc = setValue(doc, 'status', 'Open');
    expect(doc.delta.values).toEqual({ priority: 'High' });
    doc = setValue(doc, 'priority', 'Medium');
    expect(doc.delta).toEqual({ values: {}, tables: {} });
    // The history is kept although the net change is nil.
    expect(doc.patches).toHaveLength(4);
  });

  it('undefined is stored as null, and null over a missing original key leaves no delta', () => {
    let doc = saved();
    doc = setValue(doc, 'color', '#fff');
    doc = setValue(doc, 'color', undefined);
    expect(doc.data.color).toBeNull();
    expect(doc.delta.values).toEqual({});
  });

  it('leaves every untouched value shared with the previous state', () => {
    const doc = loadDoc(todo(), { name: 'TD-2', description: 'x', _assign: ['a@example.com'] });
    const next = setValue(doc, 'status', 'Closed');
    expect(next.data._assign).toBe(doc.data._assign);
  });

  it('standard columns and private keys are writable', () => {
    const doc = setValues(saved(), { docstatus: 1, __unsaved: 1 });
    expect(doc.delta.values).toEqual({ docstatus: 1, __unsaved: 1 });
  });

  it('isNew follows __islocal', () => {
    const doc = newDoc(todo(), opts());
    expect(doc.isNew).toBe(true);
    expect(setValue(doc, '__islocal', 0).isNew).toBe(false);
    expect(saved().isNew).toBe(false);
  });
});

describe('typed errors for bad writes', () => {
  const doc = () => newDoc(corpusDoctype('Sales Invoice'), opts());

  it.each([
    ['an unknown field', 'no_such_field', 'DOC_UNKNOWN_FIELD'],
    ['a Table field', 'items', 'DOC_TABLE_FIELD'],
    ['a layout field', 'customer_section', 'DOC_NO_VALUE_FIELD'],
    ['doctype', 'doctype', 'DOC_MANAGED_FIELD'],
  ])('%s throws %s', (_, field, code) => {
    expect(codeOf(() => setValue(doc(), field, 'x'))).toBe(code);
  });

  it('carries the DocType and field', () => {
    try {
      setValue(doc(), 'no_such_field', 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DocError);
      expect(e).toMatchObject({ name: 'DocError', code: 'DOC_UNKNOWN_FIELD', doctype: 'Sales Invoice', field: 'no_such_field' });
    }
  });

  it('a batch with one bad key changes nothing', () => {
    const d = doc();
    expect(codeOf(() => setValues(d, { customer: 'ACME', bogus: 1 }))).toBe('DOC_UNKNOWN_FIELD');
    expect(d.data.customer).toBeUndefined();
  });
});

describe('frozen documents', () => {
  it('the Doc, its data, rows and delta cannot be mutated (strict mode throws)', () => {
    const doc: Doc = setValue(newDoc(corpusDoctype('Sales Invoice'), opts({ values: { items: [{ qty: 1 }] } })), 'customer', 'ACME');
    const data = doc.data as Record<string, unknown>;
    const row = (doc.data.items as Record<string, unknown>[])[0]!;
    expect(() => { data.customer = 'X'; }).toThrow(TypeError);
    expect(() => { row.qty = 2; }).toThrow(TypeError);
    expect(() => { (doc.data.items as unknown[]).push({}); }).toThrow(TypeError);
    expect(() => { (doc.delta.values as Record<string, unknown>).customer = 'X'; }).toThrow(TypeError);
    expect(() => { (doc as unknown as Record<string, unknown>).data = {}; }).toThrow(TypeError);
    expect(() => { (doc.original as Record<string, unknown>).customer = 'X'; }).toThrow(TypeError);
    expect(Object.isFrozen(doc.patches)).toBe(true);
  });

  it('a JSON value written is frozen with the document', () => {
    const meta = doctype('Json Probe', [{ fieldname: 'payload', fieldtype: 'JSON' }]);
    const value = { nested: { a: 1 } };
    const doc = setValue(loadDoc(meta, { name: 'J1' }), 'payload', value);
    expect(doc.data.payload).toBe(value);
    expect(Object.isFrozen(value.nested)).toBe(true);
  });
});

describe('revert', () => {
  it('returns the original state; an unchanged Doc is returned as is', () => {
    const doc = saved();
    expect(revert(doc)).toBe(doc);
    const edited = setValue(doc, 'status', 'Closed');
    const back = revert(edited);
    expect(back.data).toBe(doc.original);
    expect(back.delta).toEqual({ values: {}, tables: {} });
    expect(back.patches).toEqual([]);
  });
});

describe('loadDoc', () => {
  it('rejects data that is not a document', () => {
    expect(codeOf(() => loadDoc(todo(), 'nope'))).toBe('DOC_INVALID_DATA');
    expect(codeOf(() => loadDoc(todo(), { doctype: 'Note' }))).toBe('DOC_INVALID_DATA');
    expect(codeOf(() => loadDoc(corpusDoctype('Sales Invoice'), {}))).toBe('DOC_NO_LOOKUP');
    expect(codeOf(() => loadDoc(corpusDoctype('Sales Invoice'), { items: {} }, { getDoctype: corpusDoctype }))).toBe('DOC_INVALID_DATA');
    expect(
      codeOf(() => loadDoc(corpusDoctype('Sales Invoice'), { items: [{ name: 'r1' }, { name: 'r1' }] }, { getDoctype: corpusDoctype })),
    ).toBe('DOC_INVALID_DATA');
  });

  it('does not mutate or freeze the input', () => {
    const input = { name: 'TD-9', status: 'Open', _assign: ['a@example.com'] };
    const doc = loadDoc(todo(), input);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(input._assign)).toBe(false);
    expect(Object.isFrozen(doc.data._assign)).toBe(true);
    expect(input).toEqual({ name: 'TD-9', status: 'Open', _assign: ['a@example.com'] });
    expect(doc.data).toEqual({ name: 'TD-9', status: 'Open', _assign: ['a@example.com'], doctype: 'ToDo', docstatus: 0 });
  });
});
