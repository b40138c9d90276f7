import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * Encrypts every workflow payload (arguments, results, signals, queries, activity inputs and outputs) with
 * AES-256-GCM before it leaves the process, so Temporal's database and Web UI hold only ciphertext: order lines,
 * customers and amounts are business data the Temporal operator need not see. Search attributes do not pass through
 * codecs, so the Web UI still lists bookings by BookingStatus, ShopId, LedgerId, ErrorCode and OrderNumber.
 *
 * Each payload names the key it was sealed with (a fingerprint, not the key), so keys rotate: a new PAYLOAD_KEY
 * seals from then on while the old ones, kept in PAYLOAD_KEYS, still open the histories written before.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds the ciphertext to its key id and to this format: a payload relabelled with another key id fails to open.
const aad = (keyId: string) => Buffer.from(`ledgerbridge-payload-v1:${keyId}`, 'utf8');

/** The base64 32-byte key, or an error that names what is expected (never the value: it is a secret). */
export function parsePayloadKey(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64Key.trim()) {
    throw new Error('a payload key must be 32 bytes in base64 (openssl rand -base64 32)');
  }
  return key;
}

/** Names a key without revealing it: the first 16 hex digits of its SHA-256. */
const payloadKeyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export class PayloadDecryptError extends Error {
  override name = 'PayloadDecryptError';
}

/**
 * The original payload, metadata and data, as one byte string: a 4-byte length, the metadata as JSON of base64
 * values, then the data unchanged (so large payloads do not grow by base64).
 */
function frame(payload: Payload): Buffer {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]));
  const head = Buffer.from(JSON.stringify(metadata), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, payload.data ?? new Uint8Array()]);
}

function unframe(bytes: Buffer): Payload {
  const length = bytes.readUInt32BE(0);
  const metadata = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as Record<string, string>;
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(bytes.subarray(4 + length)),
  };
}

const metadataText = (payload: Payload, key: string) => {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
};

/**
 * What a plain payload reads as once plain payloads are refused: valid JSON (so decoding never fails and no workflow
 * task loops), but no signal, update or input shape the workflows take, so they drop it (workflows/signal-inputs.ts).
 */
export const REFUSED_PLAIN_PAYLOAD = { refused: 'unauthenticated payload: not sealed with PAYLOAD_KEY' };
const refusedPlain = (): Payload => ({
  metadata: { encoding: new Uint8Array(Buffer.from('json/plain')) },
  data: new Uint8Array(Buffer.from(JSON.stringify(REFUSED_PLAIN_PAYLOAD))),
});

export interface PlainPayloadPolicy {
  /**
   * Until when payloads without encryption are still read as they are: the migration window after PAYLOAD_KEY is
   * switched on, while histories written before are open. Unset, none are: anyone reaching Temporal could otherwise
   * signal a forged order snapshot into any shop's ledger, since GCM authenticates only what it sealed.
   */
  plainUntil?: Date;
  now?: () => Date;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keyId: string;
  private readonly key: Buffer;
  private readonly keys = new Map<string, Buffer>();

  /** `current` seals and opens; `previous` keys (after a rotation) only open. All base64, 32 bytes. */
  constructor(
    current: string,
    previous: readonly string[] = [],
    private readonly plain: PlainPayloadPolicy = {},
  ) {
    this.key = parsePayloadKey(current);
    this.keyId = payloadKeyId(this.key);
    for (const k of [current, ...previous].map(parsePayloadKey)) this.keys.set(payloadKeyId(k), k);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.seal(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (metadataText(p, 'encoding') === ENCRYPTED_ENCODING ? this.open(p) : this.readPlain(p)));
  }

  /** Payloads written before encryption was switched on stay readable during the migration window, then not. */
  private readPlain(payload: Payload): Payload {
    const { plainUntil, now = () => new Date() } = this.plain;
    return plainUntil && now() < plainUntil ? payload : refusedPlain();
  }

  private seal(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.keyId));
    const ciphertext = Buffer.concat([cipher.update(frame(payload)), cipher.final()]);
    return {
      metadata: {
        encoding: new Uint8Array(Buffer.from(ENCRYPTED_ENCODING)),
        [KEY_ID_METADATA]: new Uint8Array(Buffer.from(this.keyId)),
      },
      data: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), ciphertext])),
    };
  }

  private open(payload: Payload): Payload {
    const keyId = metadataText(payload, KEY_ID_METADATA) ?? '';
    const key = this.keys.get(keyId);
    if (!key) throw new PayloadDecryptError(`payload sealed with key ${keyId || '(none)'}, which is neither PAYLOAD_KEY nor in PAYLOAD_KEYS`);
    const bytes = Buffer.from(payload.data ?? new Uint8Array());
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(keyId));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return unframe(Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
    } catch {
      throw new PayloadDecryptError(`payload sealed with key ${keyId} does not open: tampered or truncated`);
    }
  }
}
