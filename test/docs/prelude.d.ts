/**
 * The names the code samples of README.md and docs/ may use without defining them: what a guide's reader has
 * from earlier in the guide (an engine, the DocType JSON of their apps, a user, a stored document). Each is
 * declared with the library's real type, so a sample that misuses one does not compile. A sample that defines
 * a name itself shadows the declaration here.
 */
import type {
  Engine, Registry, DocType, DocField, User, StorageAdapter, Controllers, Workflow, FormSnapshot, ValueContext,
  CustomFieldInput, PropertySetterInput, DocData,
} from '../../src/index';
import type { TestApp, CoworkerMatchers } from '../../src/testing/index';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

type Json = Record<string, unknown>;

declare global {
  /** An engine built as in the guide's first sample. */
  const engine: Engine;
  /** Every DocType JSON of the user's apps (for example `loadFolders` of apps/frappe, apps/erpnext, apps/hrms). */
  const doctypes: readonly unknown[];
  const benchDoctypes: readonly unknown[];
  /** DocType JSON files as imported by the user. */
  const todoJson: Json, salesOrderJson: Json, salesOrderItemJson: Json, customerJson: Json, itemJson: Json, currencyJson: Json, json: Json;
  /** Parsed DocTypes (`registry.get(...)`). */
  const salesOrder: DocType, salesOrderItem: DocType, salesInvoice: DocType, salesInvoiceItem: DocType;
  const registry: Registry;
  const adapter: StorageAdapter;
  const storage: StorageAdapter;
  const df: DocField;
  const ctx: ValueContext;
  const user: User, clerk: User, admin: User, ann: User;
  /** A document as plain data: a stored one (`order`, `doc`) or one being edited. */
  const doc: Json & { name: string; modified: string };
  const order: Json & { name: string; modified: string };
  const incoming: Json, stored: Json;
  const childDoctypes: Record<string, DocType>;
  const now: Date;
  const docname: string;
  const controllers: Controllers;
  const leaveApproval: Workflow;
  const app: TestApp;
  const myPglite: PGlite;
  const myPool: Pool;
  const customFields: readonly CustomFieldInput[], propertySetters: readonly PropertySetterInput[];
  /** The user's own HTTP API (documents.md's fetch lookup) and a document it returned. */
  const api: { getValues(doctype: string, name: string, fields: readonly string[]): Promise<DocData | null> };
  const apiResponse: Json;
  function render(snapshot: FormSnapshot): void;
  function myStricterPhoneCheck(df: DocField, value: unknown, ctx: ValueContext): ReturnType<typeof import('../../src/index').validateValue>;
}
// docs/testing.md's setup: the matchers' types on vitest's `expect`.
declare module 'vitest' {
  interface Matchers<T = any> extends CoworkerMatchers<T> {}
}

export {};
