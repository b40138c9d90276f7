import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { temporalDataConverter } from '../../src/temporal/data-converter';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, REFUSED_PLAIN_PAYLOAD } from '../../src/temporal/payload-codec';

const newKey = () => randomBytes(32).toString('base64');
const order = { orderId: 'C-1', customer: { email: 'kunde@example.dk' }, total: 12_345 };
const asPayload = (value: unknown) => defaultPayloadConverter.toPayload(value) as Payload;
const text = (p: Payload) => Buffer.concat([...Object.values(p.metadata ?? {}).map((v) => Buffer.from(v!)), Buffer.from(p.data ?? [])]).toString('latin1');

describe('the AES-256-GCM payload codec', () => {
  it('hides the data, names the key, and restores the payload exactly', async () => {
    const codec = new AesGcmPayloadCodec(newKey());
    const [sealed] = await codec.encode([asPayload(order)]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata![KEY_ID_METADATA]!).toString()).toMatch(/^[0-9a-f]{16}$/);
    for (const plain of ['kunde@example.dk', '12345', 'json/plain', 'C-1']) expect(text(sealed!)).not.toContain(plain);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(order);
    expect(opened).toEqual(asPayload(order));
  });

  it('seals the same value differently each time (a random nonce per payload)', async () => {
    const codec = new AesGcmPayloadCodec(newKey());
    const [a, b] = await codec.encode([asPayload(order), asPayload(order)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('opens payloads of an earlier key kept in PAYLOAD_KEYS, and refuses unknown keys and tampering', async () => {
    const oldKey = newKey();
    const [old] = await new AesGcmPayloadCodec(oldKey).encode([asPayload(order)]);
    const rotated = new AesGcmPayloadCodec(newKey(), [oldKey]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(order);
    await expect(new AesGcmPayloadCodec(newKey()).decode([old!])).rejects.toThrow(/neither PAYLOAD_KEY nor in PAYLOAD_KEYS/);
    const tampered = { ...old!, data: Uint8Array.from(old!.data!, (b, i) => (i === old!.data!.length - 1 ? b ^ 1 : b)) };
    await expect(rotated.decode([tampered])).rejects.toThrow(/tampered/);
  });

  it('reads payloads written in clear only during the migration window, then as refused', async () => {
    const plain = asPayload(order);
    const until = new Date('2026-12-31T00:00:00Z');
    const at = (iso: string) => new AesGcmPayloadCodec(newKey(), [], { plainUntil: until, now: () => new Date(iso) });
    expect(await at('2026-12-30T23:59:59Z').decode([plain])).toEqual([plain]);
    const [after] = await at('2026-12-31T00:00:00Z').decode([plain]);
    expect(defaultPayloadConverter.fromPayload(after!)).toEqual(REFUSED_PLAIN_PAYLOAD);
    const [noWindow] = await new AesGcmPayloadCodec(newKey()).decode([plain]);
    expect(defaultPayloadConverter.fromPayload(noWindow!)).toEqual(REFUSED_PLAIN_PAYLOAD);
  });
});

describe('PAYLOAD_KEY and PAYLOAD_KEYS', () => {
  const base = { ADMIN_API_KEY: 'a'.repeat(32) };
  const problem = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    return 'no error';
  };

  it('are optional: without them payloads stay plain', () => {
    expect(temporalDataConverter(loadConfig(base))).toBeUndefined();
    expect(loadConfig({ ...base, PAYLOAD_KEY: newKey(), PAYLOAD_KEYS: '' }).PAYLOAD_KEYS).toEqual([]); // docker-compose's default
    const converter = temporalDataConverter(loadConfig({ ...base, PAYLOAD_KEY: newKey(), PAYLOAD_KEYS: `${newKey()}, ${newKey()}` }));
    expect(converter?.payloadCodecs?.[0]).toBeInstanceOf(AesGcmPayloadCodec);
  });

  it('name the variable when a key is not 32 bytes of base64, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    const message = problem({ PAYLOAD_KEY: short });
    expect(message).toMatch(/PAYLOAD_KEY: expected 32 bytes in base64/);
    expect(message).not.toContain(short);
    expect(problem({ PAYLOAD_KEY: newKey(), PAYLOAD_KEYS: `${newKey()},not-a-key` })).toMatch(/PAYLOAD_KEYS: expected comma-separated keys/);
    expect(problem({ PAYLOAD_KEYS: newKey() })).toMatch(/PAYLOAD_KEYS: set PAYLOAD_KEY too/);
  });
});
