/**
 * Password fields, as Frappe keeps them (`BaseDocument._save_passwords`, `frappe/utils/password.py`): the
 * document's column holds a mask (`*` repeated to the value's length) and the secret lives in a separate table,
 * `__Auth`, keyed by DocType, document and fieldname. Every read returns the mask; a mask written back means
 * "unchanged"; an empty value removes the secret; `engine.getPassword` is the one way to read it.
 *
 * `__Auth` is prepared in storage next to the DocTypes but is not in the registry, so no run can name it. With the
 * engine option `encryptionKey` (a Frappe site's `encryption_key`), the stored value is a Fernet token
 * (`encrypted: 1`), as Frappe's `set_encrypted_password` writes it. Password fields of child rows are kept the same
 * way, keyed by the row's DocType and name.
 *
 * @module
 */
import type { DocData } from '../doc/types';
import { parseDoctype } from '../schema/parse';
import type { DocType } from '../schema/types';
import type { StorageSession } from '../storage/types';
import { CoworkerError } from '../errors';
import { fernetDecrypt, fernetEncrypt, importFernetKey, type FernetKey } from '../crypto/fernet';
import { tableFields } from '../schema/fields';

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
      { fieldname: 'encrypted', fieldtype: 'Check' },
    ],
  }));
}

/** Frappe's `is_dummy_password`: a non-empty string of `*` only. */
export function isPasswordMask(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && /^\*+$/.test(value);
}

/**
 * The mask of a secret: `*` once per character as Python counts them (`"*" * len(new_password)`): code points,
 * so an emoji outside the Basic Multilingual Plane is one `*`, not two UTF-16 units.
 */
export function passwordMask(secret: string): string {
  let n = 0;
  for (const _ of secret) n++;
  return '*'.repeat(n);
}

/** Whether a DocType has Password fields of its own. */
export function hasPasswordFields(doctype: DocType): boolean {
  let has = withPasswords.get(doctype);
  if (has === undefined) withPasswords.set(doctype, (has = doctype.fields.some((df) => df.fieldtype === 'Password')));
  return has;
}

/** Whether a DocType has Password fields, derived once per frozen DocType. */
const withPasswords = new WeakMap<DocType, boolean>();

const secretName = (doctype: string, name: string, fieldname: string) => JSON.stringify([doctype, name, fieldname]);

/**
 * How secrets are sealed at rest: Fernet with the engine's `encryptionKey` (Frappe's format), or in clear
 * (memory storage without a key).
 */
export interface SecretCipher {
  /** The stored form of a secret and whether it is encrypted. */
  seal(text: string, now: Date): Promise<{ readonly password: string; readonly encrypted: 0 | 1 }>;
  /** The secret of a stored `__Auth` row. @throws {CoworkerError} `ENCRYPTION_KEY` when it cannot be decrypted */
  open(row: DocData): Promise<string | undefined>;
}

/**
 * The engine's cipher.
 * @param encryptionKey - a Fernet key (`Fernet.generate_key()`, a Frappe site's `encryption_key`), or none
 * @returns the cipher; without a key secrets are stored in clear and encrypted rows cannot be read
 */
export function secretCipher(encryptionKey: string | undefined): SecretCipher {
  let key: Promise<FernetKey> | undefined;
  const imported = () => (key ??= importFernetKey(encryptionKey!));
  return {
    async seal(text, now) {
      if (encryptionKey === undefined) return { password: text, encrypted: 0 };
      return { password: await fernetEncrypt(await imported(), text, Math.floor(now.getTime() / 1000)), encrypted: 1 };
    },
    async open(row) {
      if (typeof row.password !== 'string') return undefined;
      if (Number(row.encrypted ?? 0) !== 1) return row.password;
      if (encryptionKey === undefined) throw new CoworkerError('ENCRYPTION_KEY', 'This secret is encrypted and the engine has no encryptionKey');
      const clear = await fernetDecrypt(await imported(), row.password);
      // Frappe: "Encryption key is invalid! Please check site_config.json".
      if (clear === undefined) throw new CoworkerError('ENCRYPTION_KEY', `Failed to decrypt key ${String(row.fieldname)}: the encryption key is invalid (not the key this secret was stored with)`);
      return clear;
    },
  };
}

/** Secrets kept in clear (an engine without `encryptionKey` on memory storage). */
export const CLEAR_SECRETS: SecretCipher = secretCipher(undefined);

/** One secret a write stores (`password`) or removes (`null`). `name` undefined: the written document's own. */
export interface SecretChange {
  readonly doctype: string;
  readonly name: string | undefined;
  readonly fieldname: string;
  readonly password: string | null;
}

/** What a write does to the secrets of one document and its rows. */
export type SecretChanges = readonly SecretChange[];

/** Mask the Password fields of one document or row; pushes what changes to `out`. */
function maskOne(meta: DocType, doc: DocData, name: string | undefined, out: SecretChange[]): DocData {
  if (!hasPasswordFields(meta)) return doc;
  let copy: Record<string, unknown> | undefined;
  for (const df of meta.fields) {
    if (df.fieldtype !== 'Password') continue;
    const value = doc[df.fieldname];
    copy ??= { ...doc };
    if (value === undefined || value === null || value === '') {
      out.push({ doctype: meta.name, name, fieldname: df.fieldname, password: null });
      copy[df.fieldname] = value ?? null;
    } else if (isPasswordMask(value)) {
      // The secret stays; the column takes the mask as written (Frappe's _save_passwords leaves a dummy value
      // in the document, so db_update writes it, whatever its length).
      copy[df.fieldname] = value;
    } else {
      out.push({ doctype: meta.name, name, fieldname: df.fieldname, password: String(value) });
      copy[df.fieldname] = passwordMask(String(value));
    }
  }
  return copy ?? doc;
}

const rowsOf = (doc: DocData | undefined, fieldname: string): DocData[] => {
  const rows = doc?.[fieldname];
  return Array.isArray(rows) ? rows.filter((r): r is DocData => typeof r === 'object' && r !== null) : [];
};

/**
 * Replace each Password value by its mask before the write (a mask means unchanged: the secret stays, the column takes the mask written), in the
 * document and in its child rows (matched to stored rows by name); rows removed by the write lose their secrets.
 * @param doctype - the DocType
 * @param doc - the document about to be written, rows named (not changed)
 * @param stored - the stored document (updates)
 * @param children - child DocTypes by Table fieldname
 * @returns the document to write and the secrets to store or remove
 */
export function maskPasswords(doctype: DocType, doc: DocData, stored: DocData | undefined, children: Readonly<Record<string, DocType>> = {}): { doc: DocData; secrets: SecretChanges } {
  const secrets: SecretChange[] = [];
  let out = maskOne(doctype, doc, undefined, secrets);
  for (const table of tableFields(doctype)) {
    const child = children[table.fieldname];
    if (!child || !hasPasswordFields(child)) continue;
    const storedRows = new Map(rowsOf(stored, table.fieldname).map((r) => [String(r.name), r] as const));
    const kept = new Set<string>();
    const rows = rowsOf(out, table.fieldname).map((row) => {
      const rowName = typeof row.name === 'string' && row.name ? row.name : undefined;
      if (rowName) kept.add(rowName);
      return rowName ? maskOne(child, row, rowName, secrets) : row;
    });
    if (Array.isArray(out[table.fieldname])) out = { ...out, [table.fieldname]: rows };
    for (const name of storedRows.keys()) {
      if (kept.has(name)) continue;
      for (const df of child.fields) if (df.fieldtype === 'Password') secrets.push({ doctype: child.name, name, fieldname: df.fieldname, password: null });
    }
  }
  return { doc: out, secrets };
}

/**
 * Write the secrets of one document in the write's transaction.
 * @param tx - the transaction
 * @param name - the document's name (after naming), for the document's own secrets
 * @param secrets - from {@link maskPasswords}
 * @param timestamp - the write's timestamp
 * @param cipher - the engine's {@link SecretCipher}
 * @param now - the time of the write (the Fernet token's timestamp)
 */
export async function storeSecrets(tx: StorageSession, name: string, secrets: SecretChanges, timestamp: string, cipher: SecretCipher, now: Date): Promise<void> {
  for (const change of secrets) {
    const owner = change.name ?? name;
    const key = secretName(change.doctype, owner, change.fieldname);
    const existing = await tx.get(AUTH_DOCTYPE, key);
    if (change.password === null) {
      if (existing) await tx.delete(AUTH_DOCTYPE, key);
      continue;
    }
    const sealed = await cipher.seal(change.password, now);
    const row = { name: key, reference_doctype: change.doctype, reference_name: owner, fieldname: change.fieldname, ...sealed, modified: timestamp, creation: existing?.creation ?? timestamp, docstatus: 0 };
    if (existing) await tx.update(AUTH_DOCTYPE, row, (existing.modified as string | null) ?? null);
    else await tx.insert(AUTH_DOCTYPE, row);
  }
}

/**
 * Frappe's `rename_password`: the document's own secrets follow it to its new name, still sealed (they are never
 * decrypted on the way). Rows keep their names on a rename, so their secrets stay where they are.
 * @param tx - storage, inside the rename's transaction
 * @param doctype - the DocType
 * @param oldName - the name the secrets are stored under
 * @param newName - the document's new name
 * @param timestamp - the write's timestamp
 */
export async function moveSecrets(tx: StorageSession, doctype: DocType, oldName: string, newName: string, timestamp: string): Promise<void> {
  for (const df of doctype.fields) {
    if (df.fieldtype !== 'Password') continue;
    const from = secretName(doctype.name, oldName, df.fieldname);
    const row = await tx.get(AUTH_DOCTYPE, from);
    if (!row) continue;
    const to = secretName(doctype.name, newName, df.fieldname);
    if (await tx.exists(AUTH_DOCTYPE, to)) await tx.delete(AUTH_DOCTYPE, to);
    await tx.insert(AUTH_DOCTYPE, { ...row, name: to, reference_name: newName, modified: timestamp });
    await tx.delete(AUTH_DOCTYPE, from);
  }
}

/**
 * Remove every secret of a deleted document and of its rows.
 * @param tx - storage
 * @param doctype - the DocType
 * @param stored - the deleted document, with its rows
 * @param children - child DocTypes by Table fieldname
 */
export async function removeSecrets(tx: StorageSession, doctype: DocType, stored: DocData, children: Readonly<Record<string, DocType>> = {}): Promise<void> {
  const owners: [DocType, string][] = [[doctype, String(stored.name)]];
  for (const table of tableFields(doctype)) {
    const child = children[table.fieldname];
    if (child && hasPasswordFields(child)) for (const row of rowsOf(stored, table.fieldname)) owners.push([child, String(row.name)]);
  }
  for (const [meta, name] of owners) {
    for (const df of meta.fields) {
      if (df.fieldtype !== 'Password') continue;
      const key = secretName(meta.name, name, df.fieldname);
      if (await tx.exists(AUTH_DOCTYPE, key)) await tx.delete(AUTH_DOCTYPE, key);
    }
  }
}

/**
 * The stored secret of a Password field (Frappe's `get_decrypted_password`), or `undefined`.
 * @param tx - storage
 * @param doctype - the DocType name (a child DocType for a row's field)
 * @param name - the document (or row) name
 * @param fieldname - the Password field
 * @param cipher - the engine's {@link SecretCipher}
 * @returns the secret
 * @throws {CoworkerError} `ENCRYPTION_KEY` when the stored value cannot be decrypted with the engine's key
 */
export async function readSecret(tx: StorageSession, doctype: string, name: string, fieldname: string, cipher: SecretCipher): Promise<string | undefined> {
  const row = await tx.get(AUTH_DOCTYPE, secretName(doctype, name, fieldname));
  return row ? cipher.open(row) : undefined;
}
