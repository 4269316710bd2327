/**
 * Fernet tokens (the format of Python's `cryptography.fernet`, which Frappe uses for `__Auth` in
 * `frappe/utils/password.py`), on WebCrypto only: AES-128-CBC with PKCS#7 padding, authenticated by
 * HMAC-SHA256 over version, timestamp, IV and ciphertext. A token written here decrypts in Frappe with the
 * same site `encryption_key`, and the reverse.
 *
 * Browser first: `globalThis.crypto.subtle` (every browser, Node 20+, Deno, Bun), no Node built-ins.
 *
 * @module
 */
import { CoworkerError } from '../errors';

const VERSION = 0x80;

/** The part of WebCrypto used here (src/ is typed without the DOM library, so it is declared locally). */
/** A WebCrypto key, as `crypto.subtle.importKey` returns it (opaque here). */
export type WebCryptoKey = { readonly type: string };
interface SubtleCrypto {
  importKey(format: 'raw', key: Uint8Array, algorithm: { name: string; hash?: string }, extractable: boolean, usages: readonly string[]): Promise<WebCryptoKey>;
  encrypt(algorithm: { name: string; iv: Uint8Array }, key: WebCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: string; iv: Uint8Array }, key: WebCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: 'HMAC', key: WebCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: 'HMAC', key: WebCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
interface WebCrypto {
  readonly subtle?: SubtleCrypto;
  getRandomValues<T extends Uint8Array>(array: T): T;
}
declare function atob(data: string): string;
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array | ArrayBuffer): string };
declare function btoa(data: string): string;
const webCrypto = (): WebCrypto | undefined => (globalThis as { crypto?: WebCrypto }).crypto;

/** A Fernet key ready to use (the two WebCrypto keys of one `Fernet.generate_key()` string). */
export interface FernetKey {
  readonly sign: WebCryptoKey;
  readonly encrypt: WebCryptoKey;
}

function subtle(): SubtleCrypto {
  const s = webCrypto()?.subtle;
  if (!s) throw new CoworkerError('ENGINE_CONFIG', 'Password encryption needs WebCrypto (globalThis.crypto.subtle)');
  return s;
}

/** URL-safe base64 (padding optional) to bytes, or `undefined` when it is not base64. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const plain = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (plain.length % 4 === 1) return undefined;
  const bin = atob(plain + '='.repeat((4 - (plain.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes to URL-safe base64 with padding (Python's `urlsafe_b64encode`). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Whether a string is a Fernet key (`Fernet.generate_key()`: 32 bytes, URL-safe base64), checked synchronously.
 * @param key - the candidate
 * @returns true when it decodes to 32 bytes
 */
export function isFernetKey(key: unknown): key is string {
  return typeof key === 'string' && fromBase64Url(key)?.length === 32;
}

/**
 * Import a Fernet key (first 16 bytes sign, last 16 encrypt, as `cryptography.fernet.Fernet`).
 * @param key - `Fernet.generate_key()` text, e.g. a Frappe site's `encryption_key`
 * @returns the WebCrypto keys
 * @throws {CoworkerError} `ENGINE_CONFIG` when the text is not a Fernet key
 */
export async function importFernetKey(key: string): Promise<FernetKey> {
  const raw = fromBase64Url(key);
  if (!raw || raw.length !== 32) throw new CoworkerError('ENGINE_CONFIG', 'encryptionKey must be a Fernet key: 32 bytes in URL-safe base64 (Fernet.generate_key())');
  const s = subtle();
  const [sign, encrypt] = await Promise.all([
    s.importKey('raw', raw.slice(0, 16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
    s.importKey('raw', raw.slice(16), { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']),
  ]);
  return { sign, encrypt };
}

/**
 * Encrypt text into a Fernet token.
 * @param key - from {@link importFernetKey}
 * @param text - the clear text (UTF-8)
 * @param now - seconds since the epoch for the token's timestamp @default the current time
 * @param iv - the 16-byte IV (the spec's test vectors); @default random, as it must be
 * @returns the token (URL-safe base64)
 */
export async function fernetEncrypt(key: FernetKey, text: string, now = Math.floor(Date.now() / 1000), iv?: Uint8Array): Promise<string> {
  const s = subtle();
  if (iv === undefined) iv = webCrypto()!.getRandomValues(new Uint8Array(16));
  const cipher = new Uint8Array(await s.encrypt({ name: 'AES-CBC', iv }, key.encrypt, new TextEncoder().encode(text)));
  const body = new Uint8Array(25 + cipher.length);
  body[0] = VERSION;
  new DataView(body.buffer).setBigUint64(1, BigInt(now));
  body.set(iv, 9);
  body.set(cipher, 25);
  const mac = new Uint8Array(await s.sign('HMAC', key.sign, body));
  const token = new Uint8Array(body.length + 32);
  token.set(body);
  token.set(mac, body.length);
  return toBase64Url(token);
}

/**
 * Decrypt a Fernet token (no time-to-live, as Frappe's `decrypt`).
 * @param key - from {@link importFernetKey}
 * @param token - the token
 * @returns the clear text, or `undefined` when the token is malformed or was not made with this key
 *   (Python's `InvalidToken`)
 */
export async function fernetDecrypt(key: FernetKey, token: string): Promise<string | undefined> {
  const bytes = fromBase64Url(token);
  if (!bytes || bytes.length < 57 || bytes[0] !== VERSION || (bytes.length - 57) % 16 !== 0) return undefined;
  const s = subtle();
  const body = bytes.subarray(0, bytes.length - 32);
  if (!(await s.verify('HMAC', key.sign, bytes.subarray(bytes.length - 32), body))) return undefined;
  try {
    const clear = await s.decrypt({ name: 'AES-CBC', iv: body.slice(9, 25) }, key.encrypt, body.slice(25));
    return new TextDecoder('utf-8', { fatal: true }).decode(clear);
  } catch {
    return undefined;
  }
}

/**
 * A new random Fernet key (`Fernet.generate_key()`).
 * @returns 32 random bytes in URL-safe base64
 */
export function generateFernetKey(): string {
  return toBase64Url(webCrypto()!.getRandomValues(new Uint8Array(32)));
}
