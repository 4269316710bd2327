/**
 * Fernet on WebCrypto: the spec's test vector (github.com/fernet/spec, generate.json / verify.json), round trips,
 * tampering, wrong keys; and, when Python's `cryptography` is at hand (the oracle's venv), tokens both ways.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fernetDecrypt, fernetEncrypt, fromBase64Url, generateFernetKey, importFernetKey, isFernetKey, toBase64Url } from '../../src/crypto/fernet';

const SPEC_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const SPEC_TOKEN = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const SPEC_NOW = Date.parse('1985-10-26T01:20:00-07:00') / 1000;

describe('Fernet', () => {
  it('makes the spec\'s token from its key, time and IV, and reads it back', async () => {
    const key = await importFernetKey(SPEC_KEY);
    expect(await fernetEncrypt(key, 'hello', SPEC_NOW, Uint8Array.from({ length: 16 }, (_, i) => i))).toBe(SPEC_TOKEN);
    expect(await fernetDecrypt(key, SPEC_TOKEN)).toBe('hello');
  });

  it('round-trips unicode and long text with random IVs (two tokens of one text differ)', async () => {
    const key = await importFernetKey(generateFernetKey());
    const text = 'pässwörd 🔐 ' + 'x'.repeat(5000);
    const a = await fernetEncrypt(key, text);
    const b = await fernetEncrypt(key, text);
    expect(a).not.toBe(b);
    expect(await fernetDecrypt(key, a)).toBe(text);
    expect(await fernetDecrypt(key, '')).toBeUndefined();
    expect(await fernetDecrypt(key, await fernetEncrypt(key, ''))).toBe('');
  });

  it('refuses a tampered token, a token of another key, and garbage (InvalidToken)', async () => {
    const key = await importFernetKey(SPEC_KEY);
    const bytes = fromBase64Url(SPEC_TOKEN)!;
    bytes[30] = bytes[30]! ^ 1;
    expect(await fernetDecrypt(key, toBase64Url(bytes))).toBeUndefined();
    expect(await fernetDecrypt(await importFernetKey(generateFernetKey()), SPEC_TOKEN)).toBeUndefined();
    for (const junk of ['not base64!', 'gAAA', 'A'.repeat(100), SPEC_TOKEN.slice(0, -8)]) expect(await fernetDecrypt(key, junk)).toBeUndefined();
  });

  it('accepts only 32-byte URL-safe base64 keys', async () => {
    expect(isFernetKey(SPEC_KEY)).toBe(true);
    expect(isFernetKey(generateFernetKey())).toBe(true);
    for (const bad of ['', 'short', SPEC_KEY.slice(4), SPEC_KEY.replace('_', '/'), 42, null]) expect(isFernetKey(bad)).toBe(false);
    await expect(importFernetKey('short')).rejects.toMatchObject({ code: 'ENGINE_CONFIG' });
  });

  const python = `${process.env['ORACLE_HOME'] ?? '/tmp/frappe-oracle-home'}/venv/bin/python`;
  it.skipIf(!existsSync(python))('interoperates with Python cryptography (the library Frappe encrypts __Auth with)', async () => {
    const keyText = generateFernetKey();
    const key = await importFernetKey(keyText);
    const ours = await fernetEncrypt(key, 'from coworker ü');
    const script = 'import sys; from cryptography.fernet import Fernet; f = Fernet(sys.argv[1].encode()); '
      + 'print(f.decrypt(sys.argv[2].encode()).decode()); print(f.encrypt("from python ü".encode()).decode())';
    const [clear, theirs] = execFileSync(python, ['-c', script, keyText, ours], { encoding: 'utf8' }).trim().split('\n');
    expect(clear).toBe('from coworker ü');
    expect(await fernetDecrypt(key, theirs!)).toBe('from python ü');
  });
});
