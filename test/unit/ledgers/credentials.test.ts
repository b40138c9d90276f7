import { describe, expect, it } from 'vitest';
import { CredentialBox, CredentialDecryptError, decryptCredentials, encryptCredentials } from '../../../src/crypto/credentials';

const KEY = CredentialBox.generateKey();
const SECRET = '{"appSecretToken":"app-secret-7f3a","agreementGrantToken":"grant-91c2"}';

describe('credentials at rest (AES-256-GCM)', () => {
  it('round-trips in the versioned v1:<iv>:<tag>:<ciphertext> form, with a fresh IV each time', () => {
    const sealed = encryptCredentials(SECRET, KEY);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(decryptCredentials(sealed, KEY)).toBe(SECRET);
    expect(encryptCredentials(SECRET, KEY)).not.toBe(sealed);
  });

  it('the stored value does not contain the plaintext, in any encoding', () => {
    const sealed = encryptCredentials(SECRET, KEY);
    for (const form of [SECRET, 'app-secret-7f3a', 'grant-91c2', Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('base64url'), Buffer.from(SECRET).toString('hex')]) {
      expect(sealed).not.toContain(form);
    }
  });

  it('a wrong key, a changed byte or another context fails, without echoing anything', () => {
    const sealed = encryptCredentials(SECRET, KEY, 'led_1');
    const wrongKey = CredentialBox.generateKey();
    expect(() => decryptCredentials(sealed, wrongKey, 'led_1')).toThrow(CredentialDecryptError);
    expect(() => decryptCredentials(sealed, KEY, 'led_2')).toThrow(CredentialDecryptError);
    const parts = sealed.split(':');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    const tampered = [parts[0], parts[1], parts[2], data.toString('base64url')].join(':');
    const e = (() => {
      try {
        decryptCredentials(tampered, KEY, 'led_1');
      } catch (x) {
        return x as Error;
      }
    })();
    expect(e).toBeInstanceOf(CredentialDecryptError);
    expect(e!.message).not.toContain('app-secret');
    expect(() => decryptCredentials('v2:abc', KEY)).toThrow(/not a v1 sealed value/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => encryptCredentials('x', Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => new CredentialBox('')).toThrow(/32 bytes/);
  });

  it('seals ledger credential objects as JSON through the shared box', () => {
    const box = new CredentialBox(KEY);
    const sealed = box.sealJson({ token: 'fiken-token-0b77' }, 'led_9');
    expect(box.openJson<{ token: string }>(sealed, 'led_9').token).toBe('fiken-token-0b77');
    expect(box.open(box.seal('plain'))).toBe('plain');
  });
});
