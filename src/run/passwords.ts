/**
 * Password fields, as Frappe keeps them (`BaseDocument._save_passwords`, `frappe/utils/password.py`): the
 * document's column holds a mask (`*` repeated to the value's length) and the secret lives in a separate table,
 * `__Auth`, keyed by DocType, document and fieldname. Every read returns the mask; a mask written back means
 * "unchanged"; an empty value removes the secret; `engine.getPassword` is the one way to read it.
 *
 * `__Auth` is prepared in storage next to the DocTypes but is not in the registry, so no run can name it.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { parseDoctype } from '../schema/parse';
import type { DocType } from '../schema/types';
import type { StorageSession } from '../storage/types';

/** The storage table of secrets (Frappe's `__Auth`). */
export const AUTH_DOCTYPE = '__Auth';

let authDoctype: DocType | undefined;

/** `__Auth` as a DocType for the storage adapter only (never registered, never a run's DocType). */
export function authDoctypeDef(): DocType {
  return (authDoctype ??= parseDoctype({
    name: AUTH_DOCTYPE, module: 'Core', autoname: 'Prompt', permissions: [],
    fields: [
      { fieldname: 'reference_doctype', fieldtype: 'Data' },
      { fieldname: 'reference_name', fieldtype: 'Data' },
      { fieldname: 'fieldname', fieldtype: 'Data' },
      { fieldname: 'password', fieldtype: 'Long Text' },
    ],
  }));
}

/** Frappe's `is_dummy_password`: a non-empty string of `*` only. */
export function isPasswordMask(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && /^\*+$/.test(value);
}

/** Whether a DocType has Password fields at its top level (rows' Password fields are not separated). */
export function hasPasswordFields(doctype: DocType): boolean {
  return doctype.fields.some((df) => df.fieldtype === 'Password');
}

const secretName = (doctype: string, name: string, fieldname: string) => JSON.stringify([doctype, name, fieldname]);

/** What a write does to the secrets of one document. */
export type SecretChanges = ReadonlyMap<string, string | null>;

/**
 * Replace each Password value by its mask before the write (a mask means unchanged: the stored mask stays).
 * @param doctype - the DocType
 * @param doc - the document about to be written (not changed)
 * @param stored - the stored document (updates)
 * @returns the document to write and, per fieldname, the secret to store (`null`: remove it)
 */
export function maskPasswords(doctype: DocType, doc: DocData, stored: DocData | undefined): { doc: DocData; secrets: SecretChanges } {
  const secrets = new Map<string, string | null>();
  let out: Record<string, unknown> | undefined;
  for (const df of doctype.fields) {
    if (df.fieldtype !== 'Password') continue;
    const value = doc[df.fieldname];
    out ??= { ...doc };
    if (value === undefined || value === null || value === '') {
      secrets.set(df.fieldname, null);
      out[df.fieldname] = value ?? null;
    } else if (isPasswordMask(value)) {
      out[df.fieldname] = stored?.[df.fieldname] ?? value;
    } else {
      secrets.set(df.fieldname, String(value));
      out[df.fieldname] = '*'.repeat(String(value).length);
    }
  }
  return { doc: out ?? doc, secrets };
}

/**
 * Write the secrets of one document in the write's transaction.
 * @param tx - the transaction
 * @param doctype - the document's DocType name
 * @param name - the document's name (after naming)
 * @param secrets - from {@link maskPasswords}
 * @param timestamp - the write's timestamp
 */
export async function storeSecrets(tx: StorageSession, doctype: string, name: string, secrets: SecretChanges, timestamp: string): Promise<void> {
  for (const [fieldname, password] of secrets) {
    const key = secretName(doctype, name, fieldname);
    const existing = await tx.get(AUTH_DOCTYPE, key);
    if (password === null) {
      if (existing) await tx.delete(AUTH_DOCTYPE, key);
      continue;
    }
    const row = { name: key, reference_doctype: doctype, reference_name: name, fieldname, password, modified: timestamp, creation: existing?.creation ?? timestamp, docstatus: 0 };
    if (existing) await tx.update(AUTH_DOCTYPE, row, (existing.modified as string | null) ?? null);
    else await tx.insert(AUTH_DOCTYPE, row);
  }
}

/**
 * Remove every secret of a deleted document.
 * @param tx - storage
 * @param doctype - the DocType
 * @param name - the deleted document
 */
export async function removeSecrets(tx: StorageSession, doctype: DocType, name: string): Promise<void> {
  for (const df of doctype.fields) {
    if (df.fieldtype !== 'Password') continue;
    const key = secretName(doctype.name, name, df.fieldname);
    if (await tx.exists(AUTH_DOCTYPE, key)) await tx.delete(AUTH_DOCTYPE, key);
  }
}

/**
 * The stored secret of a Password field (Frappe's `get_decrypted_password`), or `undefined`.
 * @param tx - storage
 * @param doctype - the DocType name
 * @param name - the document name
 * @param fieldname - the Password field
 * @returns the secret
 */
export async function readSecret(tx: StorageSession, doctype: string, name: string, fieldname: string): Promise<string | undefined> {
  const row = await tx.get(AUTH_DOCTYPE, secretName(doctype, name, fieldname));
  return typeof row?.password === 'string' ? row.password : undefined;
}
