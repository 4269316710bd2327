// Type test for the types generated from fixtures/app (compiled by test/typegen/typegen.test.ts, never run).
// Every `@ts-expect-error` must match a real error: an unused one fails the compile (TS2578).
import type { Engine } from '../../../src/run/index';
import type { BookLoan, DocTypes, LibraryBook, RunRequestFor, TypedRun } from './generated';

declare const engine: Engine;
const typed = engine as unknown as TypedRun;

export async function usage(): Promise<void> {
  const ok: RunRequestFor<'Library Book'> = { operation: 'create', target_doctype: 'Library Book', input: { data: { title: 'Dune', status: 'Available', price: 9.5 } } };
  await engine.run(ok); // a typed request is an ordinary RunRequest

  // @ts-expect-error -- a field Library Book does not have
  const wrongField: RunRequestFor<'Library Book'> = { operation: 'create', target_doctype: 'Library Book', input: { data: { titel: 'Dune' } } };
  // @ts-expect-error -- a Select value outside its options
  const wrongOption: RunRequestFor<'Library Book'> = { operation: 'create', target_doctype: 'Library Book', input: { data: { status: 'Borrowed' } } };
  // @ts-expect-error -- a number where a Data field wants text
  const wrongType: RunRequestFor<'Library Book'> = { operation: 'create', target_doctype: 'Library Book', input: { data: { title: 42 } } };
  // @ts-expect-error -- not a DocType of the app
  const wrongDoctype: RunRequestFor<'Library Boook'> = { operation: 'create', target_doctype: 'Library Boook' };

  const r = await typed.run({ operation: 'create', target_doctype: 'Book Loan', input: { data: { member: 'M-1', items: [{ book: '978-1', condition: 'Good' }] } } });
  const loan: BookLoan | undefined = r.output?.data[0];
  const firstBook: string | null | undefined = loan?.items?.[0]?.book; // child rows are typed
  const docstatus: 0 | 1 | 2 | undefined = loan?.docstatus;            // standard fields
  const parentfield: string | undefined = loan?.items?.[0]?.parentfield; // child standard fields
  // @ts-expect-error -- rows of Book Loan Item have no "member"
  loan?.items?.[0]?.member;
  // @ts-expect-error -- a Check is 0 | 1, not boolean
  const active: DocTypes['Library Member']['is_active'] = true;
  const book: LibraryBook = { doctype: 'Library Book', status: '' }; // '' is always a valid Select value
  void [wrongField, wrongOption, wrongType, wrongDoctype, firstBook, docstatus, parentfield, active, book];
}
