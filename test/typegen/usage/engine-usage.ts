// Type test: an engine typed by the generated Schema (`createEngine<Schema>()`), no casts. Compiled by the
// project typecheck and by test/typegen/typegen.test.ts; never run. Every `@ts-expect-error` must match a real
// error: an unused one fails the compile (TS2578).
import { createEngine } from '../../../src/index';
import type { BookLoan, LibraryBook, Schema } from './generated';

const engine = createEngine<Schema>({ doctypes: [] });

export async function typedEngineUsage(): Promise<void> {
  const r = await engine.run({ operation: 'create', target_doctype: 'Library Book', input: { data: { title: 'Dune', status: 'Available' } } });
  const book: LibraryBook | undefined = r.output?.data[0];             // output typed by the DocType
  const price: number | null | undefined = book?.price;

  // @ts-expect-error -- a create must give the mandatory title
  await engine.run({ operation: 'create', target_doctype: 'Library Book', input: { data: { author: 'Herbert' } } });
  // a draft create may leave it out (the draft reports it as an issue)
  await engine.run({ operation: 'create', target_doctype: 'Library Book', options: { draft: true }, input: { data: { author: 'Herbert' } } });
  // an update needs no mandatory field
  await engine.run({ operation: 'update', target_doctype: 'Library Book', input: { data: { name: 'B-1', price: 12 } } });
  // @ts-expect-error -- a field Library Book does not have
  await engine.run({ operation: 'update', target_doctype: 'Library Book', input: { data: { name: 'B-1', titel: 'x' } } });
  // @ts-expect-error -- a Select value outside its options
  await engine.run({ operation: 'update', target_doctype: 'Library Book', input: { data: { name: 'B-1', status: 'Borrowed' } } });
  // @ts-expect-error -- not a DocType of the schema
  await engine.run({ operation: 'select', source_doctype: 'Library Boook' });

  const loans = await engine.run({ operation: 'select', source_doctype: 'Book Loan' });
  const loan: BookLoan | undefined = loans.output?.data[0];
  const firstBook: string | null | undefined = loan?.items?.[0]?.book;  // rows typed too
  // @ts-expect-error -- rows of Book Loan Item have no "member"
  loan?.items?.[0]?.member;

  // requests that name no DocType (custom operations, flows) stay untyped
  await engine.run({ operation: 'my_report', input: { anything: 1 } });

  // the Standard Schema validator is typed by the DocType too
  const v = engine.schema('Library Book')['~standard'].validate({ title: 'Dune' });
  if ('value' in v && v.value) { const t: string | null | undefined = v.value.title; void t; }
  void [price, firstBook];
}
