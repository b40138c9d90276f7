import crypto from 'node:crypto';
import type { ChannelHeaders } from './port';

/**
 * The one header with this name, whatever its case. A header sent twice is ambiguous (which one was signed?), so it
 * counts as absent.
 */
export function headerValue(headers: ChannelHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  let count = 0;
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const values: readonly unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') return undefined;
      found = v;
      count++;
    }
  }
  return count === 1 ? found!.trim() : undefined;
}

export function hmacSha256(secret: string, body: Buffer): Buffer {
  return crypto.createHmac('sha256', secret).update(body).digest();
}

const sha256Bytes = 32;

/** A base64 SHA-256 digest → its 32 bytes; undefined unless it is exactly one canonical base64 digest. */
export function decodeBase64Digest(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Buffer's decoder is lenient; insisting on the round trip rejects non-canonical trailing bits.
  return bytes.length === sha256Bytes && bytes.toString('base64') === text ? bytes : undefined;
}

/** A hex SHA-256 digest (either case) → its 32 bytes; undefined unless it is exactly 64 hex digits. */
export function decodeHexDigest(text: string): Buffer | undefined {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/**
 * Whether the received digest equals the HMAC of the body under any of the secrets. The comparison runs in constant
 * time (crypto.timingSafeEqual on equal-length buffers), so the response time says nothing about how many leading
 * bytes of a forged signature were right.
 */
export function matchesAnySecret(received: Buffer | undefined, body: Buffer, secrets: readonly string[]): boolean {
  if (!received || received.length !== sha256Bytes || !Buffer.isBuffer(body)) return false;
  let ok = false;
  // Every secret is tried (no early return), so the time taken does not reveal which secret matched either.
  for (const secret of secrets) ok = crypto.timingSafeEqual(hmacSha256(secret, body), received) || ok;
  return ok;
}

/**
 * One secret or several (during a rotation both the old and the new one verify). An empty secret would let anyone
 * sign, so it is refused when the channel is built rather than at the first webhook.
 */
export function secretList(secret: string | readonly string[], what: string): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : [...secret];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new Error(`${what}: a webhook secret must be a non-empty string`);
  }
  return list;
}
