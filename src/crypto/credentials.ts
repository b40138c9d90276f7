import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Credentials at rest (ledger tokens, acquirer API keys): AES-256-GCM with a 32-byte key from the environment,
 * passed in base64 by the caller. The stored form is versioned, `v1:<iv>:<tag>:<ciphertext>` (each part base64url),
 * so the scheme can change without a migration. GCM authenticates: a wrong key or a changed byte fails to open
 * instead of yielding garbage. An optional context (e.g. the ledger id) is bound as additional authenticated data,
 * so a sealed value copied onto another row does not open there.
 */

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size; random per seal
const TAG_BYTES = 16;

/** Opening failed. Deliberately says nothing about the value: it may be a secret. */
export class CredentialDecryptError extends Error {
  constructor(reason: string) {
    super(`cannot open sealed credential: ${reason}`);
    this.name = 'CredentialDecryptError';
  }
}

function keyFrom(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('CREDENTIALS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  return key;
}

function seal(key: Buffer, plaintext: string, context?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
}

function open(key: Buffer, sealed: string, context?: string): string {
  const parts = sealed.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new CredentialDecryptError('not a v1 sealed value');
  const iv = Buffer.from(parts[1]!, 'base64url');
  const tag = Buffer.from(parts[2]!, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new CredentialDecryptError('malformed sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new CredentialDecryptError('wrong key, wrong context or tampered data');
  }
}

/** Encrypts with a base64 32-byte key; returns `v1:<iv>:<tag>:<ciphertext>`. */
export function encryptCredentials(plaintext: string, base64Key: string, context?: string): string {
  return seal(keyFrom(base64Key), plaintext, context);
}

/** Decrypts what encryptCredentials produced; throws CredentialDecryptError on a wrong key or tampering. */
export function decryptCredentials(sealed: string, base64Key: string, context?: string): string {
  return open(keyFrom(base64Key), sealed, context);
}

/** The key held once per process: what the API and the worker use. */
export class CredentialBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = keyFrom(base64Key);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string, context?: string): string {
    return seal(this.key, plaintext, context);
  }

  open(sealed: string, context?: string): string {
    return open(this.key, sealed, context);
  }

  /** Ledger credentials are small objects (e.g. e-conomic's two tokens): sealed as JSON. */
  sealJson(value: Record<string, unknown>, context?: string): string {
    return seal(this.key, JSON.stringify(value), context);
  }

  openJson<T extends Record<string, unknown>>(sealed: string, context?: string): T {
    return JSON.parse(open(this.key, sealed, context)) as T;
  }
}
